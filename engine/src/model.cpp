#include "convolab/model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../kernels/parallel.h"
#include "convolab/memory.h"
#include "convolab/rng.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

namespace {

// Predict/evaluate walk large inputs in chunks so workspaces stay small.
constexpr int kInferenceChunk = 64;

Shape read_input_shape(const Json& spec) {
  // [height, width, channels] for images; [features] or [steps, features]
  // for inputs Dense reads along the last axis, as tfjs's inputShape.
  const Json& s = spec["inputShape"];
  if (!s.is_array() || s.items().empty() || s.items().size() > 3)
    throw Error("model: 'inputShape' must be [height, width, channels] (or [features])", ErrorKind::Spec)
        .with_option("inputShape");
  const int rank = static_cast<int>(s.items().size());
  int v[3] = {1, 1, 1};
  for (int i = 0; i < rank; ++i) {
    const Json& x = s.items()[i];
    if (!x.is_number() || x.as_number() != std::floor(x.as_number()) || x.as_number() < 1 || x.as_number() > 4096)
      throw Error("model: 'inputShape' entries must be whole numbers from 1 to 4096", ErrorKind::Spec)
          .with_option("inputShape")
          .at_index(i);
    v[3 - rank + i] = static_cast<int>(x.as_number());
  }
  return {v[0], v[1], v[2], rank};
}

void init_block(ParamBlock& b, Rng& rng) {
  switch (b.init) {
    case Init::Zeros:
      std::fill(b.value, b.value + b.size, 0.0f);
      break;
    case Init::Ones:
      std::fill(b.value, b.value + b.size, 1.0f);
      break;
    case Init::GlorotUniform: {
      const float limit = std::sqrt(6.0f / static_cast<float>(b.fan_in + b.fan_out));
      for (std::size_t i = 0; i < b.size; ++i) b.value[i] = rng.uniform(-limit, limit);
      break;
    }
    case Init::HeNormal: {
      // Keras: a normal truncated at 2 sd, scaled so the kept values have sd sqrt(2 / fan_in).
      const float sd = std::sqrt(2.0f / static_cast<float>(b.fan_in)) / 0.87962566103423978f;
      for (std::size_t i = 0; i < b.size; ++i) {
        float z;
        do z = rng.normal();
        while (std::fabs(z) > 2.0f);
        b.value[i] = sd * z;
      }
      break;
    }
  }
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Model::Model(const std::string& spec_json, std::uint64_t seed) : Model(Json::parse(spec_json), seed) {}

Model::Model(const Json& spec, std::uint64_t seed) : spec_(spec), seed_(seed) {
  if (!spec_.is_object())
    throw Error("model: the spec must be an object with 'inputShape' and 'layers'", ErrorKind::Spec);
  build();
}

void Model::build() {
  input_ = read_input_shape(spec_);
  const Json& list = spec_["layers"];
  if (!list.is_array() || list.items().empty())
    throw Error("model: 'layers' must be a non-empty list", ErrorKind::Spec).with_option("layers");
  Shape shape = input_;
  int index = 1;
  for (const Json& ls : list.items()) {
    layers_.push_back(make_layer(ls, shape, index++));
    shape = layers_.back()->output_shape();
    // 16M values (64 MB) per example and layer keeps the kernels' int
    // arithmetic on a batch's rows far from overflow.
    if (shape.size() > (std::size_t{16} << 20))
      throw Error("layer " + std::to_string(index - 1) + " (" + layers_.back()->type() + "): its output " +
                      shape.str() + " has more than 16,777,216 values per example (" +
                      bytes_text(shape.size() * sizeof(float)) + "; a layer's output may take 64.0 MB an example)",
                  ErrorKind::Memory)
          .with_code("layer-output-too-large")
          .with_bytes(static_cast<double>(shape.size() * sizeof(float)), static_cast<double>(std::size_t{64} << 20))
          .at_layer(index - 2)
          .with_value(static_cast<double>(shape.size()));
  }
  layers_.front()->set_input_gradient_needed(false);  // train_step passes it din == null
  std::size_t trainable = 0, state = 0;
  for (auto& l : layers_)
    for (auto& b : l->params()) (b.trainable ? trainable : state) += b.size;
  // Checked before the arenas exist: the weights, fit's checkpoints and one
  // example's activations must fit (the optimizer's slots are checked by compile).
  check_memory(estimate_memory(layers_, nullptr, 1), layers_, "model", "model-too-large", nullptr);
  values_.assign(trainable, 0.0f);
  grads_.assign(trainable, 0.0f);
  state_.assign(state, 0.0f);
  state_grads_.assign(state, 0.0f);
  state_before_step_.assign(state, 0.0f);
  Rng rng(seed_);
  std::size_t t_off = 0, s_off = 0;
  for (auto& l : layers_) {
    for (auto& b : l->params()) {
      if (b.trainable) {
        b.value = values_.data() + t_off;
        b.grad = grads_.data() + t_off;
        t_off += b.size;
      } else {
        b.value = state_.data() + s_off;
        b.grad = state_grads_.data() + s_off;  // always zero: readers need no special case
        s_off += b.size;
      }
      init_block(b, rng);
    }
  }
  // A separate stream for dropout masks, so adding a Dropout layer does not
  // change the initial weights.
  Rng seeder(seed_ ^ 0xD1B54A32D192ED03ull);
  for (auto& l : layers_) l->set_seed(seeder.next_u64());
  acts_.resize(layers_.size());
  dacts_.resize(layers_.size());
  timings_.assign(layers_.size(), LayerTiming{});
  // The loss that fits the final activation, until compile() says otherwise.
  const Activation last = layers_.back()->output_activation();
  Json config = Json::object();
  if (last == Activation::Sigmoid)
    config.set("loss", Json::string("binaryCrossentropy"));
  else if ((last == Activation::Softmax || last == Activation::Linear) && num_classes() >= 2)
    config.set("loss", Json::string("categoricalCrossentropy"));
  else
    config.set("loss", Json::string("meanSquaredError"));
  compile(config);
}

void Model::compile(const Json& config) {
  if (!config.is_object())
    throw Error("compile: the config must be an object like {\"optimizer\": ..., \"loss\": ...}", ErrorKind::Config);
  const Json& loss_json = config["loss"];
  if (!loss_json.is_null() && !loss_json.is_string())
    throw Error("compile: 'loss' must be a string", ErrorKind::Config).with_option("loss");
  const Loss loss = loss_json.is_string() ? parse_loss(loss_json.as_string()) : Loss::CategoricalCrossentropy;
  // the name as given: sparseCategoricalCrossentropy computes as categoricalCrossentropy
  // (the labels' form decides), but an export to tfjs must name the loss its labels need
  const std::string loss_given = loss_json.is_string() ? loss_json.as_string() : loss_name(loss);
  const Json& logits_json = config["fromLogits"];
  if (!logits_json.is_null() && !logits_json.is_bool())
    throw Error("compile: 'fromLogits' must be true or false", ErrorKind::Config).with_option("fromLogits");
  const Json& opt_json = config["optimizer"];
  if (!opt_json.is_null() && !opt_json.is_object() && !opt_json.is_string())
    throw Error("compile: 'optimizer' must be an object like {\"type\": \"adam\"} or a type name", ErrorKind::Config)
        .with_option("optimizer");
  Json opt = opt_json.is_object() ? opt_json : Json::object();
  if (opt_json.is_string()) opt.set("type", opt_json);
  float l2 = 0.0f;
  if (opt.has("l2") && !opt["l2"].is_null()) {
    if (!opt["l2"].is_number())
      throw Error("optimizer: 'l2' must be a number from 0 to 1", ErrorKind::Config).with_option("l2");
    if (!(opt["l2"].as_number() >= 0.0) || !(opt["l2"].as_number() <= 1.0))
      throw Error("optimizer: 'l2' must be a number from 0 to 1", ErrorKind::Config)
          .with_option("l2")
          .with_value(opt["l2"].as_number());
    l2 = static_cast<float>(opt["l2"].as_number());
  }
  std::unique_ptr<Optimizer> optimizer = make_optimizer(opt);
  // Its slots (Adam's two moments, ...) must fit beside what the model holds.
  check_memory(estimate_memory(layers_, optimizer.get(), std::max(capacity_, 1)), layers_, "compile", "model-too-large",
               optimizer.get());

  // Which final activation the loss takes over (works from logits).
  const Layer& last = *layers_.back();
  const Activation act = last.output_activation();
  const std::string where = "compile: " + loss_given + " needs ";
  const std::string ends =
      "; layer " + std::to_string(layers_.size()) + " (" + last.type() + ") ends in " + activation_name(act);
  // fromLogits, as Keras's from_logits: true reads the outputs as logits
  // (the loss applies softmax / sigmoid itself), false as probabilities,
  // which only a final softmax / sigmoid gives. Left out, it follows the last
  // activation: linear → logits, softmax / sigmoid → probabilities; any other
  // activation must say it. With probabilities the loss still computes from
  // the logits under the final activation (the stable fused form): the same
  // loss and gradient, without log(0).
  Activation fused = Activation::Linear;
  bool from_logits = false;
  if (loss != Loss::MeanSquaredError) {
    const bool categorical = loss == Loss::CategoricalCrossentropy;
    const Activation probs = categorical ? Activation::Softmax : Activation::Sigmoid;
    const std::string probs_name = activation_name(probs);
    if (categorical && num_classes() < 2)
      throw Error(where + "at least 2 outputs per position, one per class; the model's last axis has " +
                      std::to_string(num_classes()),
                  ErrorKind::Config)
          .with_option("loss")
          .at_layer(static_cast<int>(layers_.size()) - 1);
    if (logits_json.is_bool())
      from_logits = logits_json.as_bool();
    else if (act == Activation::Linear || act == probs)
      from_logits = act == Activation::Linear;
    else
      throw Error(where + "a final " + probs_name + " (or linear logits, or fromLogits: true)" + ends,
                  ErrorKind::Config)
          .with_option("loss")
          .at_layer(static_cast<int>(layers_.size()) - 1);
    if (!from_logits && act != probs)
      throw Error(where + "probabilities from a final " + probs_name + " when fromLogits is false" + ends,
                  ErrorKind::Config)
          .with_option("loss")
          .at_layer(static_cast<int>(layers_.size()) - 1);
    if (!from_logits) fused = probs;
  }
  // Everything is valid: commit.
  for (auto& l : layers_) l->set_output_activation_fused(false);
  layers_.back()->set_output_activation_fused(fused != Activation::Linear);
  loss_ = loss;
  from_logits_ = from_logits;
  fused_ = fused;
  l2_ = l2;
  optimizer_ = std::move(optimizer);
  ++optimizer_generation_;
  compile_ = Json::object();
  compile_.set("optimizer", opt);
  compile_.set("loss", Json::string(loss_given));
  if (loss != Loss::MeanSquaredError) compile_.set("fromLogits", Json::boolean(from_logits));
}

namespace {

// The shortest decimal that reads back as f: the optimizer keeps its rate in
// float32, and 0.001 should not come back as 0.0010000000474974513.
double shortest_decimal(float f) {
  char buf[32];
  for (int digits = 1; digits < 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
    const double d = std::strtod(buf, nullptr);
    if (static_cast<float>(d) == f) return d;
  }
  return f;
}

}  // namespace

Json Model::compile_config() const {
  Json c = compile_;
  Json opt = c["optimizer"];
  opt.set("learningRate", Json::number(shortest_decimal(optimizer_->learning_rate())));
  c.set("optimizer", opt);
  return c;
}

void Model::set_learning_rate(float lr) {
  if (!(lr > 0.0f) || !std::isfinite(lr)) {
    char text[96];
    std::snprintf(text, sizeof text, "setLearningRate: the learning rate must be a finite number above 0, got %g",
                  static_cast<double>(lr));
    throw Error(text, ErrorKind::Config).with_option("learningRate").with_value(lr);
  }
  optimizer_->set_learning_rate(lr);
}

MemoryEstimate Model::memory_estimate(int batch) const { return estimate_memory(layers_, optimizer_.get(), batch); }

int Model::max_batch() const { return largest_batch_within(layers_, optimizer_.get()); }

void Model::check_memory_for(int batch, std::size_t extra_bytes, const char* what, const char* code) const {
  check_memory(memory_estimate(std::max(batch, capacity_)), layers_, what, code, optimizer_.get(), extra_bytes);
}

void Model::reserve(int n) {
  if (n <= capacity_) return;
  // Refused before anything grows; every buffer below is sized exactly, so
  // the estimate is what the model then holds.
  check_memory(memory_estimate(n), layers_, "", "batch-too-large", optimizer_.get());
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const std::size_t size = static_cast<std::size_t>(n) * layers_[i]->output_shape().size();
    grow_exactly(acts_[i], size);
    grow_exactly(dacts_[i], size);
    layers_[i]->reserve(n);
  }
  grow_exactly(probs_, static_cast<std::size_t>(n) * output_size());
  grow_exactly(targets_, static_cast<std::size_t>(n) * output_size());
  capacity_ = n;
}

int Model::inference_chunk() const {
  if (capacity_ >= kInferenceChunk) return capacity_;
  // a model whose batch of 64 would not fit walks in chunks that do
  return std::max({capacity_, 1, std::min(kInferenceChunk, max_batch())});
}

void Model::forward(const float* x, int n, bool training) {
  reserve(n);
  const float* in = x;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    auto t0 = std::chrono::steady_clock::now();
    layers_[i]->forward(in, acts_[i].data(), n, training);
    timings_[i].forward_ms = ms_since(t0);
    in = acts_[i].data();
  }
  last_batch_ = n;
}

void Model::check_batch(int n, const char* what) const {
  if (n < 1) throw Error(std::string(what) + ": the batch is empty", ErrorKind::Input).with_value(n);
  if (n > (1 << 20)) throw Error(std::string(what) + ": the batch is too large", ErrorKind::Input).with_value(n);
}

namespace {

// "example 3, row 4, column 5, channel 0" for flat index i of (N, H, W, C) data.
std::string place_of(std::size_t i, const Shape& s) {
  const std::size_t per = s.size();
  const std::size_t e = i / per, r = i % per;
  std::string where = "example " + std::to_string(e);
  const std::size_t c = r % s.c, pos = r / s.c;
  if (s.rank == 3) where += ", row " + std::to_string(pos / s.w) + ", column " + std::to_string(pos % s.w);
  if (s.rank == 2) where += ", row " + std::to_string(pos);
  return where + (s.rank == 1 ? ", value " : ", channel ") + std::to_string(c);
}

// Refuses NaN and infinities before they reach the model: one would train
// into every weight it touches, and the loss would not always show it.
void check_finite_values(const float* v, std::size_t count, const Shape& s, const char* what) {
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(v[i]))
      throw Error(std::string(what) + ": " + place_of(i, s) + " is " +
                      (std::isnan(v[i]) ? "NaN"
                       : v[i] > 0       ? "Infinity"
                                        : "-Infinity") +
                      "; every value must be a finite number",
                  ErrorKind::Input)
          .with_option(what)
          .at_index(static_cast<long long>(i / s.size()))
          .with_value(v[i]);
}

// Positions (rows of K) whose prediction is right: argmax match for K > 1,
// (output > threshold) == (target > 0.5) for K == 1.
std::size_t count_correct(const float* out, const float* targets, std::size_t rows, int k, float threshold) {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const float* p = out + i * k;
    const float* t = targets + i * k;
    if (k == 1)
      correct += (p[0] > threshold) == (t[0] > 0.5f);
    else
      correct += std::max_element(p, p + k) - p == std::max_element(t, t + k) - t;
  }
  return correct;
}

}  // namespace

void Model::check_input(const float* x, int n, const char* what) const {
  check_finite_values(x, static_cast<std::size_t>(n) * input_.size(), input_, (std::string(what) + ": x").c_str());
}

float Model::accuracy_threshold() const {
  // On predict's outputs a single output is a yes when its probability
  // passes 0.5; outputs that binaryCrossentropy reads as logits pass 0.
  return loss_ == Loss::BinaryCrossentropy && from_logits_ ? 0.0f : 0.5f;
}

void Model::labels_to_targets(const std::int32_t* labels, int n, const char* what) {
  const int k = num_classes();
  const int classes = std::max(k, 2);  // a single output takes 0/1 labels
  const std::size_t count = static_cast<std::size_t>(n) * positions();
  for (std::size_t i = 0; i < count; ++i)
    if (labels[i] < 0 || labels[i] >= classes) {
      std::string at = "example " + std::to_string(i / positions());
      if (positions() > 1) at += ", position " + std::to_string(i % positions());
      throw Error(std::string(what) + ": label " + std::to_string(labels[i]) + " of " + at + " is outside 0.." +
                      std::to_string(classes - 1),
                  ErrorKind::Input)
          .with_option("labels")
          .at_index(static_cast<long long>(i / positions()))
          .with_value(labels[i]);
    }
  std::fill(targets_.begin(), targets_.begin() + static_cast<std::ptrdiff_t>(count) * k, 0.0f);
  for (std::size_t i = 0; i < count; ++i) {
    if (k == 1)
      targets_[i] = static_cast<float>(labels[i]);
    else
      targets_[i * k + labels[i]] = 1.0f;
  }
}

float Model::train_batch(const float* x, const std::int32_t* labels, int n) {
  check_batch(n, "train");
  check_input(x, n, "train");
  reserve(n);
  labels_to_targets(labels, n, "train");
  return train_step(x, targets_.data(), n);
}

float Model::train_batch(const float* x, const float* targets, int n) {
  check_batch(n, "train");
  check_input(x, n, "train");
  check_finite_values(targets, static_cast<std::size_t>(n) * output_size(), output_shape(), "train: target");
  return train_step(x, targets, n);
}

float Model::loss_of(const float* out, const float* targets, int n, float* probs, float* dout) const {
  // The loss runs over the last axis at every position: N*H*W rows of K.
  const int k = num_classes();
  const int rows = n * positions();
  switch (loss_) {
    case Loss::CategoricalCrossentropy:
      return softmax_cross_entropy(out, targets, rows, k, probs, dout);
    case Loss::BinaryCrossentropy:
      return sigmoid_binary_cross_entropy(out, targets, rows, k, probs, dout);
    case Loss::MeanSquaredError:
      return mean_squared_error(out, targets, rows, k, dout);
  }
  return 0.0f;
}

Layer& Model::layer(std::size_t i) { return const_cast<Layer&>(static_cast<const Model&>(*this).layer(i)); }
const Layer& Model::layer(std::size_t i) const {
  if (i >= layers_.size())
    throw Error("there is no layer " + std::to_string(i + 1) + " (the model has " + std::to_string(layers_.size()) +
                ")");
  return *layers_[i];
}

float Model::train_step(const float* x, const float* targets, int n) {
  // A training forward moves BatchNormalization's moving statistics; a step
  // that diverges must leave the model as it was, those included.
  std::copy(state_.begin(), state_.end(), state_before_step_.begin());
  forward(x, n, true);
  const std::size_t last = layers_.size() - 1;
  float loss = loss_of(acts_[last].data(), targets, n, probs_.data(), dacts_[last].data());
  // L2 weight decay as tfjs's l2 regularizer on kernels: loss += l2 * sum(w^2).
  if (l2_ > 0.0f) {
    double penalty = 0.0;
    for (auto& l : layers_)
      for (auto& b : l->params())
        if (b.regularized)
          for (std::size_t i = 0; i < b.size; ++i) penalty += static_cast<double>(b.value[i]) * b.value[i];
    loss += static_cast<float>(l2_ * penalty);
  }
  if (!std::isfinite(loss)) {
    std::copy(state_before_step_.begin(), state_before_step_.end(), state_.begin());
    throw Error("training diverged: the loss is " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                    "; the weights were kept from the last good step — lower the learning rate",
                ErrorKind::Training)
        .with_code("diverged")
        .with_value(loss);
  }
  // the step's accuracy by evaluate's rule, from its outputs before the update
  // (loss_of is done with probs_)
  to_output(acts_[last].data(), n, probs_.data());
  last_train_correct_ =
      static_cast<double>(count_correct(probs_.data(), targets, static_cast<std::size_t>(n) * positions(),
                                        num_classes(), accuracy_threshold())) /
      positions();
  std::fill(grads_.begin(), grads_.end(), 0.0f);
  for (std::size_t i = last + 1; i-- > 0;) {
    auto t0 = std::chrono::steady_clock::now();
    float* din = nullptr;
    if (i > 0) {
      din = dacts_[i - 1].data();
      kernels::zero_fill(din, static_cast<std::size_t>(n) * layers_[i - 1]->output_shape().size());
    }
    const float* in = i > 0 ? acts_[i - 1].data() : x;
    layers_[i]->backward(in, acts_[i].data(), dacts_[i].data(), din, n);
    timings_[i].backward_ms = ms_since(t0);
  }
  if (l2_ > 0.0f)
    for (auto& l : layers_)
      for (auto& b : l->params())
        if (b.regularized)
          for (std::size_t i = 0; i < b.size; ++i) b.grad[i] += 2.0f * l2_ * b.value[i];
  optimizer_->step(values_.data(), grads_.data(), values_.size());
  last_train_batch_ = n;
  return loss;
}

void Model::to_output(const float* out, int n, float* dst) const {
  // What the layers compute: a final softmax / sigmoid the loss took over is
  // put back; anything else (a linear last layer's raw outputs) as it is.
  const std::size_t count = static_cast<std::size_t>(n) * output_size();
  std::copy(out, out + count, dst);
  activation_forward(fused_, 0.0f, dst, n * positions(), num_classes());
}

void Model::predict(const float* x, int n, float* out) {
  check_batch(n, "predict");
  check_input(x, n, "predict");
  const int chunk = inference_chunk();
  const std::size_t in_size = input_.size();
  for (int start = 0; start < n; start += chunk) {
    const int m = std::min(chunk, n - start);
    forward(x + static_cast<std::size_t>(start) * in_size, m, false);
    to_output(acts_.back().data(), m, out + static_cast<std::size_t>(start) * output_size());
  }
}

Evaluation Model::evaluate(const float* x, const std::int32_t* labels, int n) {
  check_batch(n, "evaluate");
  check_input(x, n, "evaluate");
  // Expand labels chunk by chunk into targets_ (sized for the capacity).
  const int chunk = inference_chunk();
  reserve(chunk);
  double loss = 0.0, correct = 0.0;
  for (int start = 0; start < n; start += chunk) {
    const int m = std::min(chunk, n - start);
    labels_to_targets(labels + static_cast<std::size_t>(start) * positions(), m, "evaluate");
    Evaluation e = evaluate_targets(x + static_cast<std::size_t>(start) * input_.size(), targets_.data(), m);
    loss += static_cast<double>(e.loss) * m;
    correct += static_cast<double>(e.accuracy) * m;
  }
  return {static_cast<float>(loss / n), static_cast<float>(correct / n)};
}

Evaluation Model::evaluate(const float* x, const float* targets, int n) {
  check_batch(n, "evaluate");
  check_input(x, n, "evaluate");
  check_finite_values(targets, static_cast<std::size_t>(n) * output_size(), output_shape(), "evaluate: target");
  const int chunk = inference_chunk();
  double loss = 0.0, correct = 0.0;
  for (int start = 0; start < n; start += chunk) {
    const int m = std::min(chunk, n - start);
    Evaluation e = evaluate_targets(x + static_cast<std::size_t>(start) * input_.size(),
                                    targets + static_cast<std::size_t>(start) * output_size(), m);
    loss += static_cast<double>(e.loss) * m;
    correct += static_cast<double>(e.accuracy) * m;
  }
  return {static_cast<float>(loss / n), static_cast<float>(correct / n)};
}

// One chunk (m <= capacity): mean loss and accuracy (the mean over positions).
Evaluation Model::evaluate_targets(const float* x, const float* targets, int m) {
  forward(x, m, false);
  const float loss = loss_of(acts_.back().data(), targets, m, probs_.data(), nullptr);
  to_output(acts_.back().data(), m, probs_.data());
  const std::size_t rows = static_cast<std::size_t>(m) * positions();
  const std::size_t correct = count_correct(probs_.data(), targets, rows, num_classes(), accuracy_threshold());
  return {loss, static_cast<float>(static_cast<double>(correct) / static_cast<double>(rows))};
}

}  // namespace convolab
