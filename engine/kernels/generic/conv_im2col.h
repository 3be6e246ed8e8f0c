#pragma once
// Convolutions through an explicit im2col matrix, for the shapes where that
// beats reading windows in place: cols (N*OH*OW, KH*KW*C) is built in the
// workspace, then one GEMM runs over it. Written once over the ISA's GEMM
// (Gemm::run / Gemm::workspace_size) and vector kernels (Vk::im2col,
// Vk::col2im_add).
#include <algorithm>
#include <cstddef>

#include "../kernels.h"
#include "../workspace.h"

namespace convolab::kernels::generic {

template <class Gemm, class Vk>
struct Im2colConv {
  // cols first, then the scratch of the steps that follow it (run one after
  // the other, so they share it).
  struct Pieces {
    std::size_t cols, rest;
  };
  static Pieces layout(int n, const ConvGeometry& g, std::size_t rest_bytes, WorkspaceLayout& l) {
    const std::size_t cols = l.add<float>(static_cast<std::size_t>(n) * g.oh * g.ow * g.patch());
    return {cols, l.add<unsigned char>(rest_bytes)};
  }
  static std::size_t size(int n, const ConvGeometry& g, std::size_t rest_bytes) {
    WorkspaceLayout l;
    layout(n, g, rest_bytes, l);
    return l.bytes();
  }
  static int rows(int n, const ConvGeometry& g) { return n * g.oh * g.ow; }

  // out(N*OH*OW, OC) = epilogue(cols * kernel(KH*KW*C, OC))
  static std::size_t forward_rest(int n, const ConvGeometry& g, int oc) {
    return std::max(Vk::im2col_workspace_size(n, g), Gemm::workspace_size(false, false, rows(n, g), oc, g.patch()));
  }
  static std::size_t forward_workspace_size(int n, const ConvGeometry& g, int oc) {
    return size(n, g, forward_rest(n, g, oc));
  }
  static void forward(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                      const Epilogue& ep, void* workspace) {
    WorkspaceLayout l;
    const Pieces at = layout(n, g, forward_rest(n, g, oc), l);
    float* cols = workspace_at<float>(workspace, at.cols);
    void* rest = workspace_at<unsigned char>(workspace, at.rest);
    const int k = g.patch();
    Vk::im2col(in, n, g, cols, rest);
    Gemm::run(false, false, rows(n, g), oc, k, cols, k, kernel, oc, 0.0f, out, oc, ep, rest);
  }

  // dkernel(KH*KW*C, OC) += cols^T * dout(N*OH*OW, OC)
  static std::size_t filter_rest(int n, const ConvGeometry& g, int oc) {
    return std::max(Vk::im2col_workspace_size(n, g), Gemm::workspace_size(true, false, g.patch(), oc, rows(n, g)));
  }
  static std::size_t filter_grad_workspace_size(int n, const ConvGeometry& g, int oc) {
    return size(n, g, filter_rest(n, g, oc));
  }
  static void filter_grad_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc, float* dkernel,
                              void* workspace) {
    WorkspaceLayout l;
    const Pieces at = layout(n, g, filter_rest(n, g, oc), l);
    float* cols = workspace_at<float>(workspace, at.cols);
    void* rest = workspace_at<unsigned char>(workspace, at.rest);
    const int k = g.patch();
    Vk::im2col(in, n, g, cols, rest);
    Gemm::run(true, false, k, oc, rows(n, g), cols, k, dout, oc, 1.0f, dkernel, oc, Epilogue{}, rest);
  }

  // din += col2im(dcols), dcols(N*OH*OW, KH*KW*C) = dout * kernel^T
  static std::size_t input_rest(int n, const ConvGeometry& g, int oc) {
    return Gemm::workspace_size(false, true, rows(n, g), g.patch(), oc);
  }
  static std::size_t input_grad_workspace_size(int n, const ConvGeometry& g, int oc) {
    return size(n, g, input_rest(n, g, oc));
  }
  static void input_grad_add(const float* dout, int n, const ConvGeometry& g, const float* kernel, int oc, float* din,
                             void* workspace) {
    WorkspaceLayout l;
    const Pieces at = layout(n, g, input_rest(n, g, oc), l);
    float* dcols = workspace_at<float>(workspace, at.cols);
    const int k = g.patch();
    Gemm::run(false, true, rows(n, g), k, oc, dout, oc, kernel, oc, 0.0f, dcols, k, Epilogue{},
              workspace_at<unsigned char>(workspace, at.rest));
    Vk::col2im_add(dcols, n, g, din);
  }
};

}  // namespace convolab::kernels::generic
