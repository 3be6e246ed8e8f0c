// Memory: nothing allocates per training step after the first, the
// reference net at batch 32 holds well under 32 MB, and the memory estimate
// a model is refused by is never below what it really holds. Counted by
// replacing the global operator new for this test binary (cheap: a few
// atomic adds): every allocation, and the bytes live (malloc_usable_size).
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "convolab/model.h"
#include "support.h"
#include "support_model.h"

namespace {
std::atomic<long long> g_allocations{0};
std::atomic<long long> g_bytes{0};
std::atomic<long long> g_live{0};  // bytes held now, as the allocator counts them
std::atomic<long long> g_peak{0};  // the most g_live was since the last reset

void* counted(std::size_t size, std::size_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(static_cast<long long>(size), std::memory_order_relaxed);
  void* p = nullptr;
  if (align <= alignof(std::max_align_t))
    p = std::malloc(size ? size : 1);
  else if (posix_memalign(&p, align, size ? size : 1) != 0)
    p = nullptr;
  if (!p) throw std::bad_alloc();
  const long long live = g_live.fetch_add(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed) +
                         static_cast<long long>(malloc_usable_size(p));
  long long peak = g_peak.load(std::memory_order_relaxed);
  while (live > peak && !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
  return p;
}
void release(void* p) {
  if (p) g_live.fetch_sub(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t size) { return counted(size, 0); }
void* operator new[](std::size_t size) { return counted(size, 0); }
void* operator new(std::size_t size, std::align_val_t a) { return counted(size, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t size, std::align_val_t a) { return counted(size, static_cast<std::size_t>(a)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted(size, 0);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted(size, 0);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return counted(size, static_cast<std::size_t>(a));
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return counted(size, static_cast<std::size_t>(a));
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }

using namespace convolab;

TEST_CASE("training allocates nothing after the first step, and the reference net at batch 32 fits in 32 MB",
          "[memory]") {
  for (const char* optimizer : {R"({"type":"momentum","learningRate":0.01,"momentum":0.9})", R"({"type":"adam"})"}) {
    INFO(optimizer);
    Rng rng(1);
    const int batch = 32;
    const std::vector<float> x = test::random_vector(static_cast<std::size_t>(batch) * 784, rng, 0.0f, 1.0f);
    std::vector<std::int32_t> y(batch);
    for (int i = 0; i < batch; ++i) y[i] = i % 10;
    const long long bytes_before = g_bytes.load();
    Model m(test::kReferenceSpec, 3);
    m.compile(Json::parse(std::string(R"({"loss":"categoricalCrossentropy","optimizer":)") + optimizer + "}"));
    m.train_batch(x.data(), y.data(), batch);
    // Everything the model (and the kernels' workspaces) asked for, never
    // counting frees: an upper bound on what it holds.
    const double mb = static_cast<double>(g_bytes.load() - bytes_before) / (1024.0 * 1024.0);
    WARN("reference net, batch 32: " << mb << " MB allocated up to the end of the first step");
    CHECK(mb < 32.0);
    const long long allocations_before = g_allocations.load();
    for (int step = 0; step < 10; ++step) m.train_batch(x.data(), y.data(), batch);
    m.set_learning_rate(0.005f);
    for (int step = 0; step < 3; ++step) m.train_batch(x.data(), y.data(), batch);
    CHECK(g_allocations.load() - allocations_before == 0);
  }
}

TEST_CASE("the memory estimate is never below what a model holds, growing batches and snapshots included", "[memory]") {
  struct Stack {
    const char* name;
    std::string spec;
    const char* optimizer;
    int train_batch, predict_batch;
  };
  const std::vector<Stack> stacks = {
      {"reference net, adam", test::kReferenceSpec, R"({"type":"adam"})", 32, 0},
      {"every layer type, momentum, batch 7 then predict 50",
       R"({"inputShape":[12,12,3],"layers":[
         {"type":"conv2d","filters":6,"kernelSize":3,"padding":"same","activation":"relu"},
         {"type":"batchNormalization"},{"type":"activation","activation":"tanh"},
         {"type":"maxPooling2d","poolSize":2},{"type":"averagePooling2d","poolSize":2},
         {"type":"conv2d","filters":5,"kernelSize":1,"activation":"leakyRelu"},{"type":"dropout","rate":0.3},
         {"type":"globalAveragePooling2d"},{"type":"dense","units":4,"activation":"softmax"}]})",
       R"({"type":"momentum","learningRate":0.01,"momentum":0.9})", 7, 50},
      {"the newer layers, adam, batch 9 then predict 40",
       R"({"inputShape":[10,10,2],"layers":[
         {"type":"zeroPadding2d","padding":1},{"type":"depthwiseConv2d","kernelSize":3,"depthMultiplier":2,"activation":"relu"},
         {"type":"separableConv2d","filters":4,"kernelSize":3,"padding":"same","activation":"relu"},
         {"type":"conv2dTranspose","filters":3,"kernelSize":3,"strides":2,"padding":"same","activation":"relu"},
         {"type":"cropping2d","cropping":2},{"type":"upSampling2d","size":2},
         {"type":"conv2d","filters":4,"kernelSize":3,"strides":2},{"type":"globalMaxPooling2d"},
         {"type":"reshape","targetShape":[2,2]},{"type":"flatten"},{"type":"dense","units":4}]})",
       R"({"type":"adam"})", 9, 40},
      {"an MLP, centered rmsprop, batch 100",
       R"({"inputShape":[16,16,1],"layers":[{"type":"flatten"},{"type":"dense","units":300,"activation":"relu"},
         {"type":"dropout","rate":0.2},{"type":"dense","units":10}]})",
       R"({"type":"rmsprop","centered":true})", 100, 0},
  };
  for (const Stack& s : stacks) {
    INFO(s.name);
    Rng rng(2);
    const Json spec = Json::parse(s.spec);
    const int in =
        static_cast<int>(spec["inputShape"].items()[0].as_number() * spec["inputShape"].items()[1].as_number() *
                         spec["inputShape"].items()[2].as_number());
    const int n = std::max(s.train_batch, s.predict_batch);
    const std::vector<float> x = test::random_vector(static_cast<std::size_t>(n) * in, rng, 0.0f, 1.0f);
    std::vector<std::int32_t> y(n);
    for (int i = 0; i < n; ++i) y[i] = i % 4;
    std::vector<float> out(static_cast<std::size_t>(n) * 10);
    const long long live_before = g_live.load();
    g_peak.store(live_before);
    {
      Model m(spec, 3);
      m.compile(Json::parse(std::string(R"({"loss":"categoricalCrossentropy","optimizer":)") + s.optimizer + "}"));
      m.train_batch(x.data(), y.data(), s.train_batch);
      Model::Snapshot checkpoints[2];  // fit's two
      m.take_snapshot(checkpoints[0]);
      m.train_batch(x.data(), y.data(), s.train_batch);
      m.take_snapshot(checkpoints[1]);
      if (s.predict_batch) m.predict(x.data(), s.predict_batch, out.data());
      const long long held = g_live.load() - live_before;
      const long long peak = g_peak.load() - live_before;
      const int capacity = std::max(s.train_batch, std::min(s.predict_batch, 64));
      const MemoryEstimate e = m.memory_estimate(capacity);
      WARN(s.name << ": estimate " << e.total() << " bytes at batch " << capacity << ", held " << held << ", peak "
                  << peak);
      CHECK(static_cast<long long>(e.total()) >= held);
      CHECK(static_cast<long long>(e.total()) >= peak);
      // and not so far above that a model that fits would be refused
      CHECK(static_cast<double>(e.total()) <= 2.0 * static_cast<double>(held) + (1 << 20));
    }
    // the model gave back everything (but a few bytes the kernels' thread pool may keep)
    CHECK(g_live.load() - live_before < 4096);
  }
}

TEST_CASE("a model or a batch over the memory limit is refused before anything is allocated", "[memory]") {
  const std::size_t limit = memory_limit();
  auto refused = [&](const std::string& spec_json) {
    const long long live_before = g_live.load();
    g_peak.store(live_before);
    try {
      Model m(spec_json);
    } catch (const Error& e) {
      CHECK(g_peak.load() - live_before < (1 << 20));  // no buffer of the model was ever allocated
      return e;
    }
    FAIL("accepted: " << spec_json);
    return Error("");
  };
  // 256 inputs x 1M units: 1 GB of weights, as much again for gradients
  const Error dense =
      refused(R"({"inputShape":[16,16,1],"layers":[{"type":"flatten"},{"type":"dense","units":1000000}]})");
  CHECK(dense.kind() == ErrorKind::Memory);
  CHECK(dense.code() == "model-too-large");
  CHECK(dense.layer_index() == 1);
  CHECK(dense.bytes_needed() > static_cast<double>(limit));
  CHECK(dense.bytes_limit() == static_cast<double>(limit));
  CHECK_THAT(dense.what(),
             Catch::Contains("GB") && Catch::Contains("MB Convolab allows") && Catch::Contains("layer 2 (Dense)"));
  const Error conv = refused(
      R"({"inputShape":[6,6,512],"layers":[{"type":"conv2d","filters":65536,"kernelSize":3},{"type":"flatten"}]})");
  CHECK(conv.code() == "model-too-large");
  CHECK(conv.layer_index() == 0);

  // A model that fits at batch 1 but not at 64 (under a limit of 32 MB, so
  // the test stays light): train_batch refuses, weights, state and optimizer
  // state untouched; predict walks in chunks that fit.
  struct ScopedLimit {
    std::size_t old = memory_limit();
    explicit ScopedLimit(std::size_t bytes) { set_memory_limit(bytes); }
    ~ScopedLimit() { set_memory_limit(old); }
  } small(std::size_t{32} << 20);
  Model m(R"({"inputShape":[32,32,1],"layers":[{"type":"conv2d","filters":100,"kernelSize":3,"padding":"same",
    "activation":"relu"},{"type":"globalAveragePooling2d"},{"type":"dense","units":2,"activation":"softmax"}]})");
  m.compile(Json::parse(R"({"optimizer":"adam"})"));
  const int fits = m.max_batch();
  REQUIRE(fits >= 4);
  REQUIRE(fits < 40);
  CHECK(m.memory_estimate(fits).total() <= memory_limit());
  CHECK(m.memory_estimate(fits + 1).total() > memory_limit());
  const std::vector<float> x(static_cast<std::size_t>(64) * 32 * 32, 0.5f);
  const std::vector<std::int32_t> y(64, 1);
  const std::vector<float> before(m.param_values(), m.param_values() + m.param_count());
  const long long live_before = g_live.load();
  try {
    m.train_batch(x.data(), y.data(), 64);
    FAIL("a batch of 64 was accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Memory);
    CHECK(e.code() == "batch-too-large");
    CHECK(e.option() == "batchSize");
    CHECK(e.number() == 64);
    CHECK(e.layer_index() == 0);
    CHECK(e.bytes_needed() > static_cast<double>(memory_limit()));
    CHECK(e.bytes_limit() == static_cast<double>(memory_limit()));
    CHECK_THAT(e.what(), Catch::Contains("a batch of 64 needs") &&
                             Catch::Contains("use a batch of at most " + std::to_string(fits)));
  }
  CHECK(g_live.load() == live_before);
  CHECK(std::vector<float>(m.param_values(), m.param_values() + m.param_count()) == before);
  CHECK(m.optimizer().state().front()->empty());  // no step was taken: Adam's moments never sized
  std::vector<float> out(64 * 2);
  m.predict(x.data(), 64, out.data());  // in chunks of at most `fits`
  CHECK(out[0] + out[1] == Approx(1.0f));
  CHECK(m.memory_estimate(fits).total() <= memory_limit());
}
