// The table from spec type names to layer classes. Adding a layer adds one
// line here (plus its own files and tests).
#include <functional>
#include <map>

#include "convolab/layer.h"
#include "convolab/layers/activation_layer.h"
#include "convolab/layers/average_pooling2d.h"
#include "convolab/layers/batch_normalization.h"
#include "convolab/layers/conv2d.h"
#include "convolab/layers/dense.h"
#include "convolab/layers/dropout.h"
#include "convolab/layers/flatten.h"
#include "convolab/layers/global_average_pooling2d.h"
#include "convolab/layers/max_pooling2d.h"

namespace convolab {

namespace {

struct Entry {
  const char* display;
  std::function<std::unique_ptr<Layer>(const LayerOptions&, Shape)> make;
};

template <typename L>
Entry entry(const char* display) {
  return {display, [](const LayerOptions& o, Shape in) { return std::unique_ptr<Layer>(new L(o, in)); }};
}

// An activation layer; fixed = Linear means "read it from 'activation'".
Entry activation_entry(const char* display, Activation fixed) {
  return {display, [display, fixed](const LayerOptions& o, Shape in) {
            Activation a = fixed;
            if (a == Activation::Linear) {
              if (!o.has("activation"))
                o.fail("'activation' is required (linear, relu, leakyRelu, sigmoid, tanh or softmax)");
              a = o.get_activation("activation", "linear");
            }
            return std::unique_ptr<Layer>(new ActivationLayer(display, a, o, in));
          }};
}

const std::map<std::string, Entry>& registry() {
  static const std::map<std::string, Entry> table = {
      {"conv2d", entry<Conv2D>("Conv2D")},
      {"maxPooling2d", entry<MaxPooling2D>("MaxPooling2D")},
      {"averagePooling2d", entry<AveragePooling2D>("AveragePooling2D")},
      {"globalAveragePooling2d", entry<GlobalAveragePooling2D>("GlobalAveragePooling2D")},
      {"flatten", entry<Flatten>("Flatten")},
      {"dense", entry<Dense>("Dense")},
      {"dropout", entry<Dropout>("Dropout")},
      {"batchNormalization", entry<BatchNormalization>("BatchNormalization")},
      {"activation", activation_entry("Activation", Activation::Linear)},
      {"reLU", activation_entry("ReLU", Activation::Relu)},
      {"leakyReLU", activation_entry("LeakyReLU", Activation::LeakyRelu)},
      {"softmax", activation_entry("Softmax", Activation::Softmax)},
  };
  return table;
}

}  // namespace

std::unique_ptr<Layer> make_layer(const Json& spec, Shape input, int index) {
  const std::string where = "layer " + std::to_string(index);
  if (!spec.is_object())
    throw Error(where + ": must be an object like {\"type\": \"dense\", ...}", ErrorKind::Spec).at_layer(index - 1);
  if (!spec["type"].is_string())
    throw Error(where + ": has no 'type'", ErrorKind::Spec).at_layer(index - 1).with_option("type");
  const std::string& type = spec["type"].as_string();
  auto it = registry().find(type);
  if (it == registry().end()) {
    std::string known;
    for (const auto& kv : registry()) known += (known.empty() ? "" : ", ") + kv.first;
    throw Error(where + ": unknown type '" + type + "' (known: " + known + ")", ErrorKind::Spec)
        .at_layer(index - 1)
        .with_option("type")
        .with_value(type);
  }
  LayerOptions opts(spec, index, it->second.display);
  return it->second.make(opts, input);
}

}  // namespace convolab
