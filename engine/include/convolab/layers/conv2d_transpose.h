#pragma once
// Conv2DTranspose as tfjs-layers: the adjoint of a Conv2D, so a stride
// enlarges the image. Kernel stored as tfjs stores it, (KH, KW, filters, C),
// which is exactly the Conv2D kernel (KH*KW*F, C) of the convolution that maps
// this layer's output (OH, OW, F) back to its input (H, W, C). Output size as
// tfjs's deconvLength: 'valid' OH = H*SH + max(KH - SH, 0), 'same' OH = H*SH;
// the padding is that convolution's 'same' padding.
//   out(N, OH, OW, F) = act(col2im(in(N*H*W, C) * kernel^T) + bias)
// Backward, with cols = im2col(dpre) (N*H*W, KH*KW*F):
//   din += cols * kernel;  dkernel += cols^T * in;  dbias += column sums of dpre.
// Everything runs on the GEMM and im2col/col2im kernels.
#include <vector>

#include "convolab/activated_layer.h"
#include "convolab/conv_options.h"
#include "convolab/kernels_fwd.h"

namespace convolab {

class Conv2DTranspose : public ActivatedLayer {
 public:
  Conv2DTranspose(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  std::size_t workspace_bytes(int max_batch) const override;
  std::size_t buffer_bytes(int max_batch) const override;  // its columns and per-batch gradients

 private:
  ConvOptions conv_;
  kernels::ConvGeometry geo_{};  // the convolution output → input (see above)
  std::vector<float> cols_;      // (N*H*W, KH*KW*F); dpre_ is (N*OH*OW, F)
};

}  // namespace convolab
