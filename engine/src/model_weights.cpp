// Per-layer weight access for the page and the npm module.
#include <algorithm>
#include <cmath>

#include "convolab/model.h"

namespace convolab {

const ParamBlock& Model::block(std::size_t layer, std::size_t block) const {
  if (layer >= layers_.size())
    throw Error("weights: there is no layer " + std::to_string(layer) + " (the model has " +
                    std::to_string(layers_.size()) + ", counted from 0)",
                ErrorKind::Weights)
        .with_value(static_cast<double>(layer));
  const Layer& l = *layers_[layer];
  if (block >= l.params().size()) {
    if (l.params().empty())
      throw Error("weights: layer " + std::to_string(layer) + " (" + l.type() + ") has no weights", ErrorKind::Weights)
          .at_layer(static_cast<int>(layer));
    throw Error("weights: layer " + std::to_string(layer) + " (" + l.type() + ") has no block " +
                    std::to_string(block) + " (it has " + std::to_string(l.params().size()) + ")",
                ErrorKind::Weights)
        .at_layer(static_cast<int>(layer))
        .at_index(static_cast<long long>(block));
  }
  return l.params()[block];
}

std::vector<float> Model::get_weights(std::size_t layer, std::size_t b) const {
  const ParamBlock& p = block(layer, b);
  return std::vector<float>(p.value, p.value + p.size);
}

void Model::set_weights(std::size_t layer, std::size_t b, const float* values, std::size_t count) {
  const ParamBlock& p = block(layer, b);
  const std::string what = "weights: layer " + std::to_string(layer) + " (" + layers_[layer]->type() + ") " + p.name;
  if (count != p.size)
    throw Error(what + " has " + std::to_string(p.size) + " values; got " + std::to_string(count), ErrorKind::Weights)
        .at_layer(static_cast<int>(layer))
        .with_option(p.name)
        .with_value(static_cast<double>(count));
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i]))
      throw Error(what + ": value " + std::to_string(i) + " is not a finite number", ErrorKind::Weights)
          .at_layer(static_cast<int>(layer))
          .with_option(p.name)
          .at_index(static_cast<long long>(i))
          .with_value(values[i]);
  std::copy(values, values + count, p.value);
}

const float* Model::weight_gradient(std::size_t layer, std::size_t b) const { return block(layer, b).grad; }

void Model::take_snapshot(Snapshot& s) {
  s.params.assign(values_.begin(), values_.end());
  s.state.assign(state_.begin(), state_.end());
  const std::vector<std::vector<float>*> opt = optimizer_->state();
  s.optimizer.resize(opt.size());
  for (std::size_t i = 0; i < opt.size(); ++i) s.optimizer[i].assign(opt[i]->begin(), opt[i]->end());
  s.optimizer_generation = optimizer_generation_;
  s.taken = true;
}

void Model::restore_snapshot(const Snapshot& s) {
  if (!s.taken) throw Error("restore: no snapshot was taken", ErrorKind::Weights);
  if (s.params.size() != values_.size() || s.state.size() != state_.size())
    throw Error("restore: the snapshot is of another model", ErrorKind::Weights);
  std::copy(s.params.begin(), s.params.end(), values_.begin());
  std::copy(s.state.begin(), s.state.end(), state_.begin());
  if (s.optimizer_generation != optimizer_generation_) return;
  const std::vector<std::vector<float>*> opt = optimizer_->state();
  for (std::size_t i = 0; i < opt.size() && i < s.optimizer.size(); ++i) *opt[i] = s.optimizer[i];
}

}  // namespace convolab
