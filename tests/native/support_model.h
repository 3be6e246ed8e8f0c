#pragma once
// The reference net (web/src/reference-net.js) as the native tests use it.
namespace convolab::test {

inline const char* kReferenceSpec = R"({"inputShape":[28,28,1],"layers":[
  {"type":"conv2d","filters":8,"kernelSize":5,"padding":"same","activation":"relu"},
  {"type":"maxPooling2d","poolSize":2},
  {"type":"conv2d","filters":16,"kernelSize":5,"padding":"same","activation":"relu"},
  {"type":"maxPooling2d","poolSize":2},
  {"type":"flatten"},
  {"type":"dense","units":10,"activation":"softmax"}]})";

}  // namespace convolab::test
