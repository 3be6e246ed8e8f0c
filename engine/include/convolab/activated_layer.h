#pragma once
// What Dense and the convolution layers share besides the layer contract:
// each ends in an activation of its own (its "activation" and "alpha"
// options, which a loss working from logits takes over), calls kernels that
// need scratch, and writes dL/d(pre-activation) beside dout in backward.
#include <string>
#include <utility>
#include <vector>

#include "convolab/layer.h"
#include "convolab/output_activation.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

class ActivatedLayer : public Layer {
 public:
  Activation output_activation() const override { return act_.declared(); }
  void set_output_activation_fused(bool fused) override { act_.set_fused_into_loss(fused); }

 protected:
  ActivatedLayer(std::string type, Shape in) : Layer(std::move(type), in) {}

  // Each layer reads it after the options before it in its spec, so that of
  // two bad options the first is the one reported.
  OutputActivation act_;
  WorkspaceBuffer workspace_;  // the kernels' scratch, shared by forward and backward
  std::vector<float> dpre_;    // (rows, output channels) dL/d(pre-activation); dout stays intact
};

}  // namespace convolab
