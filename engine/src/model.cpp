#include "convolab/model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "convolab/layers/conv2d.h"
#include "convolab/layers/dense.h"
#include "convolab/loss.h"
#include "convolab/rng.h"

namespace convolab {

namespace {

// Predict/evaluate walk large inputs in chunks so workspaces stay small.
constexpr int kInferenceChunk = 64;

Shape read_input_shape(const Json& spec) {
  const Json& s = spec["inputShape"];
  if (!s.is_array() || s.items().size() != 3)
    throw Error("model: 'inputShape' must be [height, width, channels]");
  int v[3];
  for (int i = 0; i < 3; ++i) {
    const Json& x = s.items()[i];
    if (!x.is_number() || x.as_number() != std::floor(x.as_number()) || x.as_number() < 1 || x.as_number() > 4096)
      throw Error("model: 'inputShape' entries must be whole numbers from 1 to 4096");
    v[i] = static_cast<int>(x.as_number());
  }
  return {v[0], v[1], v[2]};
}

void init_block(ParamBlock& b, Rng& rng) {
  switch (b.init) {
    case Init::Zeros: std::fill(b.value, b.value + b.size, 0.0f); break;
    case Init::Ones: std::fill(b.value, b.value + b.size, 1.0f); break;
    case Init::GlorotUniform: {
      const float limit = std::sqrt(6.0f / static_cast<float>(b.fan_in + b.fan_out));
      for (std::size_t i = 0; i < b.size; ++i) b.value[i] = rng.uniform(-limit, limit);
      break;
    }
    case Init::HeNormal: {
      const float sd = std::sqrt(2.0f / static_cast<float>(b.fan_in));
      for (std::size_t i = 0; i < b.size; ++i) b.value[i] = sd * rng.normal();
      break;
    }
  }
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Model::Model(const std::string& spec_json, std::uint64_t seed) : Model(Json::parse(spec_json), seed) {}

Model::Model(const Json& spec, std::uint64_t seed) : spec_(spec) {
  if (!spec_.is_object()) throw Error("model: the spec must be an object with 'inputShape' and 'layers'");
  build(seed);
}

void Model::build(std::uint64_t seed) {
  input_ = read_input_shape(spec_);
  const Json& list = spec_["layers"];
  if (!list.is_array() || list.items().empty()) throw Error("model: 'layers' must be a non-empty list");
  Shape shape = input_;
  int index = 1;
  for (const Json& ls : list.items()) {
    layers_.push_back(make_layer(ls, shape, index++));
    shape = layers_.back()->output_shape();
  }
  std::size_t total = 0;
  for (auto& l : layers_) for (auto& b : l->params()) total += b.size;
  if (total > (std::size_t{64} << 20))
    throw Error("model: " + std::to_string(total) + " parameters is more than the 67,108,864 Convolab allows");
  values_.assign(total, 0.0f);
  grads_.assign(total, 0.0f);
  Rng rng(seed);
  std::size_t offset = 0;
  for (auto& l : layers_) {
    for (auto& b : l->params()) {
      b.value = values_.data() + offset;
      b.grad = grads_.data() + offset;
      offset += b.size;
      init_block(b, rng);
    }
  }
  acts_.resize(layers_.size());
  dacts_.resize(layers_.size());
  timings_.assign(layers_.size(), LayerTiming{});
  compile(Json::object());
}

void Model::compile(const Json& config) {
  const Json& loss = config["loss"];
  if (!loss.is_null()) {
    if (!loss.is_string() || (loss.as_string() != "categoricalCrossentropy" && loss.as_string() != "sparseCategoricalCrossentropy"))
      throw Error("compile: unknown loss (use categoricalCrossentropy)");
  }
  if (!output_shape().is_flat())
    throw Error("model: the last layer's output is " + output_shape().str() +
                "; a classifier must end in a Dense layer (add Flatten and Dense)");
  if (num_classes() < 2) throw Error("model: the last layer needs at least 2 units, one per class");
  // Cross-entropy is computed from logits; a final softmax is fused into it.
  Layer& last = *layers_.back();
  if (auto* d = dynamic_cast<Dense*>(&last)) {
    if (d->activation() == Activation::Softmax) d->set_activation(Activation::Linear);
  } else if (auto* c = dynamic_cast<Conv2D*>(&last)) {
    if (c->activation() == Activation::Softmax) c->set_activation(Activation::Linear);
  }
  optimizer_ = make_optimizer(config["optimizer"].is_object() ? config["optimizer"] : Json::object());
}

void Model::set_learning_rate(float lr) {
  if (!(lr > 0.0f) || !std::isfinite(lr)) throw Error("learning rate must be a positive number");
  optimizer_->set_learning_rate(lr);
}

void Model::reserve(int n) {
  if (n <= capacity_) return;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const std::size_t size = static_cast<std::size_t>(n) * layers_[i]->output_shape().size();
    acts_[i].resize(size);
    dacts_[i].resize(size);
    layers_[i]->reserve(n);
  }
  probs_.resize(static_cast<std::size_t>(n) * num_classes());
  capacity_ = n;
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

float Model::train_batch(const float* x, const std::int32_t* labels, int n) {
  if (n < 1) throw Error("train: the batch is empty");
  const int k = num_classes();
  for (int i = 0; i < n; ++i)
    if (labels[i] < 0 || labels[i] >= k)
      throw Error("train: label " + std::to_string(labels[i]) + " of example " + std::to_string(i) +
                  " is outside 0.." + std::to_string(k - 1));
  forward(x, n, true);
  const std::size_t last = layers_.size() - 1;
  const float loss = softmax_cross_entropy(acts_[last].data(), labels, n, k, probs_.data(), dacts_[last].data());
  if (!std::isfinite(loss))
    throw Error("training diverged: the loss is " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                "; the weights were kept from the last good step — lower the learning rate");
  std::fill(grads_.begin(), grads_.end(), 0.0f);
  for (std::size_t i = last + 1; i-- > 0;) {
    auto t0 = std::chrono::steady_clock::now();
    float* din = nullptr;
    if (i > 0) {
      din = dacts_[i - 1].data();
      std::fill(din, din + static_cast<std::size_t>(n) * layers_[i - 1]->output_shape().size(), 0.0f);
    }
    const float* in = i > 0 ? acts_[i - 1].data() : x;
    layers_[i]->backward(in, acts_[i].data(), dacts_[i].data(), din, n);
    timings_[i].backward_ms = ms_since(t0);
  }
  optimizer_->step(values_.data(), grads_.data(), values_.size());
  return loss;
}

void Model::predict(const float* x, int n, float* probs) {
  const int k = num_classes();
  const int chunk = std::max(capacity_, kInferenceChunk);
  const std::size_t in_size = input_.size();
  for (int start = 0; start < n; start += chunk) {
    const int m = std::min(chunk, n - start);
    forward(x + static_cast<std::size_t>(start) * in_size, m, false);
    float* p = probs + static_cast<std::size_t>(start) * k;
    std::copy(acts_.back().data(), acts_.back().data() + static_cast<std::size_t>(m) * k, p);
    activation_forward(Activation::Softmax, 0.0f, p, m, k);
  }
}

Evaluation Model::evaluate(const float* x, const std::int32_t* labels, int n) {
  if (n < 1) throw Error("evaluate: no examples");
  const int k = num_classes();
  const int chunk = std::max(capacity_, kInferenceChunk);
  const std::size_t in_size = input_.size();
  double loss = 0.0;
  int correct = 0;
  for (int start = 0; start < n; start += chunk) {
    const int m = std::min(chunk, n - start);
    forward(x + static_cast<std::size_t>(start) * in_size, m, false);
    const std::int32_t* y = labels + start;
    for (int i = 0; i < m; ++i)
      if (y[i] < 0 || y[i] >= k) throw Error("evaluate: label " + std::to_string(y[i]) + " is outside 0.." + std::to_string(k - 1));
    loss += softmax_cross_entropy(acts_.back().data(), y, m, k, probs_.data(), nullptr) * m;
    for (int i = 0; i < m; ++i) {
      const float* p = probs_.data() + static_cast<std::size_t>(i) * k;
      if (std::max_element(p, p + k) - p == y[i]) ++correct;
    }
  }
  return {static_cast<float>(loss / n), static_cast<float>(correct) / static_cast<float>(n)};
}

Json Model::summary_json() const {
  Json rows = Json::array();
  std::uint64_t total_macs = 0;
  std::size_t total_w = 0, total_b = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = *layers_[i];
    std::size_t w = 0, b = 0;
    for (const auto& p : l.params()) (p.is_bias ? b : w) += p.size;
    Json row = Json::object();
    row.set("index", Json::number(static_cast<double>(i + 1)));
    row.set("type", Json::string(l.type()));
    row.set("options", Json::string(l.describe()));
    Json shape = Json::array();
    shape.push(Json::number(l.output_shape().h));
    shape.push(Json::number(l.output_shape().w));
    shape.push(Json::number(l.output_shape().c));
    row.set("outputShape", shape);
    row.set("weights", Json::number(static_cast<double>(w)));
    row.set("biases", Json::number(static_cast<double>(b)));
    row.set("params", Json::number(static_cast<double>(w + b)));
    row.set("macs", Json::number(static_cast<double>(l.macs())));
    rows.push(row);
    total_macs += l.macs();
    total_w += w;
    total_b += b;
  }
  Json out = Json::object();
  out.set("layers", rows);
  Json totals = Json::object();
  totals.set("weights", Json::number(static_cast<double>(total_w)));
  totals.set("biases", Json::number(static_cast<double>(total_b)));
  totals.set("params", Json::number(static_cast<double>(total_w + total_b)));
  totals.set("macs", Json::number(static_cast<double>(total_macs)));
  out.set("totals", totals);
  return out;
}

std::string Model::summary() const {
  Json s = summary_json();
  std::string text;
  char line[160];
  std::snprintf(line, sizeof line, "%-4s %-14s %-22s %-14s %10s %14s\n", "#", "Layer", "Options", "Output", "Params", "MACs");
  text += line;
  std::snprintf(line, sizeof line, "%-4s %-14s %-22s %-14s %10s %14s\n", "", "Input", "", input_.str().c_str(), "0", "0");
  text += line;
  for (const Json& r : s["layers"].items()) {
    std::string shape = std::to_string(static_cast<int>(r["outputShape"].items()[0].as_number())) + "x" +
                        std::to_string(static_cast<int>(r["outputShape"].items()[1].as_number())) + "x" +
                        std::to_string(static_cast<int>(r["outputShape"].items()[2].as_number()));
    std::snprintf(line, sizeof line, "%-4d %-14s %-22s %-14s %10.0f %14.0f\n", static_cast<int>(r["index"].as_number()),
                  r["type"].as_string().c_str(), r["options"].as_string().c_str(), shape.c_str(),
                  r["params"].as_number(), r["macs"].as_number());
    text += line;
  }
  const Json& t = s["totals"];
  std::snprintf(line, sizeof line, "Total params: %.0f (%.0f weights + %.0f biases); forward MACs per example: %.0f\n",
                t["params"].as_number(), t["weights"].as_number(), t["biases"].as_number(), t["macs"].as_number());
  text += line;
  return text;
}

}  // namespace convolab
