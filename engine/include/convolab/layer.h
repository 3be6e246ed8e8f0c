#pragma once
// The layer contract. A layer is built from its options and its input shape
// (throwing a LayerError that names it if they do not fit), knows its output
// shape, its parameter blocks and its cost, and runs forward and backward on
// whole contiguous batches (N, H, W, C).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "convolab/activation.h"
#include "convolab/error.h"
#include "convolab/json.h"
#include "convolab/shape.h"

namespace convolab {

// Keras initialisers (tfjs-layers names): glorotUniform U(+-sqrt(6/(fan_in+fan_out))),
// heNormal N(0, sqrt(2/fan_in)) truncated at 2 sd, zeros, ones.
enum class Init { GlorotUniform, HeNormal, Zeros, Ones };
Init parse_init(const std::string& name);  // throws Error listing the names
const char* init_name(Init i);

// One tensor of a layer. value/grad point into the model's arenas once
// bound: trainable blocks into the parameter arena (the optimizer's),
// non-trainable ones (BatchNormalization's moving statistics) into a state
// arena; their grad points at zeros that nothing writes.
struct ParamBlock {
  std::string name;        // "kernel", "bias", "gamma", "movingMean", ...
  std::vector<int> shape;  // e.g. kernel (KH, KW, C, OC)
  std::size_t size = 0;
  Init init = Init::Zeros;
  int fan_in = 0, fan_out = 0;  // for Glorot / He
  bool is_bias = false;         // counted as a bias in summaries
  bool trainable = true;
  bool regularized = false;  // L2 weight decay applies (conv and dense kernels)
  float* value = nullptr;
  float* grad = nullptr;
};

// Builds the usual kernel / bias blocks.
ParamBlock kernel_block(std::vector<int> shape, int fan_in, int fan_out, Init init);
ParamBlock bias_block(int size, Init init);

// Rows or columns added to (or cut from) each edge of an image.
struct Sides {
  int top = 0, bottom = 0, left = 0, right = 0;
  std::string str() const;  // "[[top,bottom],[left,right]]"
};

// Reads one layer's options from its JSON spec and reports problems as
// "layer <index> (<Type>): <reason>", a spec Error whose layer_index is the
// layer's (from 0) and whose option names the option at fault, if one is.
class LayerOptions {
 public:
  LayerOptions(const Json& spec, int index, std::string display_type);
  [[noreturn]] void fail(const std::string& why) const;
  [[noreturn]] void fail_option(const std::string& option, const std::string& why) const;
  [[noreturn]] void fail_option(const std::string& option, const std::string& why, double value) const;
  [[noreturn]] void fail_option(const std::string& option, const std::string& why, const std::string& value) const;

  bool has(const std::string& key) const { return spec_.has(key) && !spec_[key].is_null(); }
  const Json& raw(const std::string& key) const { return spec_[key]; }  // for options of more than one type
  int get_int(const std::string& key, int fallback, int min_value) const;
  double get_number(const std::string& key, double fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  // A square size (5) or a [h, w] pair ([3, 5]).
  void get_pair(const std::string& key, int fallback_h, int fallback_w, int min_value, int& h, int& w) const;
  // tfjs-layers' padding / cropping forms: n (every side), [h, w] (top and
  // bottom h, left and right w) or [[top, bottom], [left, right]]; each >= 0.
  Sides get_sides(const std::string& key, int fallback) const;
  // A list of whole numbers, each >= min_value ([7, 7, 16]).
  std::vector<int> get_int_list(const std::string& key, int min_value) const;
  Activation get_activation(const std::string& key, const std::string& fallback) const;
  Init get_init(const std::string& key, Init fallback) const;

  // tfjs-layers' input checks: an image layer (Conv2D, the pools, ...) needs
  // a rank-3 input (H, W, C); Flatten needs at least two axes.
  void require_image(const Shape& in) const;
  void require_rank_at_least(const Shape& in, int rank) const;

  int index() const { return index_; }
  const std::string& type() const { return type_; }

 private:
  const Json& spec_;
  int index_;
  std::string type_;
};

class Layer {
 public:
  virtual ~Layer() = default;

  const std::string& type() const { return type_; }  // display name, e.g. "Conv2D"
  Shape input_shape() const { return in_; }
  Shape output_shape() const { return out_; }
  std::vector<ParamBlock>& params() { return params_; }
  const std::vector<ParamBlock>& params() const { return params_; }

  // Forward multiply-accumulates per example (0 for layers without weights).
  virtual std::uint64_t macs() const { return 0; }
  // Make room for batches of up to max_batch; called before the first step
  // and whenever a larger batch arrives, never per step.
  virtual void reserve(int /*max_batch*/) {}
  // Bytes of kernel workspace (scratch the kernels use inside one call:
  // packed panels, padded copies, per-thread pieces) reserve(max_batch)
  // sets aside. Summaries report it.
  virtual std::size_t workspace_bytes(int /*max_batch*/) const { return 0; }
  // Bytes of the layer's own per-batch buffers besides its output, which the
  // model holds (a pre-activation gradient, BatchNormalization's normalised
  // input, a dropout mask, max pooling's argmax) as reserve(max_batch) sizes
  // them; the memory estimate counts them before they exist. The default is
  // one output-sized buffer of 4-byte values, what each of those layers
  // keeps; a layer that keeps more says so.
  virtual std::size_t buffer_bytes(int max_batch) const {
    return static_cast<std::size_t>(max_batch) * out_.size() * sizeof(float);
  }
  // The model's first layer is told that no one reads its input gradient
  // (backward gets din == null), so it reserves no workspace for one.
  void set_input_gradient_needed(bool needed) { input_gradient_needed_ = needed; }
  // out(N, OH, OW, OC) = layer(in(N, H, W, C)).
  virtual void forward(const float* in, float* out, int n, bool training) = 0;
  // Given dout = dL/dout, add dL/dparams into the grad blocks and, when din
  // is not null, add dL/din into din. dout is left intact: the page shows it
  // as the layer's gradient for the last batch.
  virtual void backward(const float* in, const float* out, float* dout, float* din, int n) = 0;
  // Short description of the options for summaries, e.g. "8@5x5 same relu".
  virtual std::string describe() const { return ""; }

  // The activation this layer ends in (Linear for most). A loss that works
  // from logits (softmax cross-entropy, sigmoid binary cross-entropy) asks the
  // last layer to leave it out of forward/backward and applies it itself;
  // describe() still names it.
  virtual Activation output_activation() const { return Activation::Linear; }
  virtual void set_output_activation_fused(bool /*fused*/) {}
  // Layers that draw random numbers (Dropout) get a seed from the model.
  virtual void set_seed(std::uint64_t /*seed*/) {}

 protected:
  Layer(std::string type, Shape in) : type_(std::move(type)), in_(in) {}
  std::string type_;
  Shape in_;
  Shape out_;
  std::vector<ParamBlock> params_;
  bool input_gradient_needed_ = true;
};

// Builds a layer from {"type": ..., options...}; index is 1-based as the
// page numbers layers. Throws Error("layer i (Type): reason").
std::unique_ptr<Layer> make_layer(const Json& spec, Shape input, int index);

}  // namespace convolab
