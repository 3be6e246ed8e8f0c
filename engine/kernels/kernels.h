#pragma once
// The only numeric interface layers call. Every routine here has a portable
// reference implementation (kernels/reference/) that stays forever as the
// test oracle and is always compiled, as convolab::kernels::reference::*.
// The build links exactly one implementation of convolab::kernels::*:
// wasm_simd/ (WebAssembly SIMD128), x86/ (SSE/AVX/AVX-512 intrinsics) or
// reference/ (plain C++), chosen by CMake (CONVOLAB_KERNELS).
// No kernel allocates or keeps state between calls: scratch memory is a
// workspace the caller owns, sized by the kernel's *_workspace_size
// (workspace.h explains the scheme).
//
// Glossary: N batch, H/W input height/width, C input channels,
// KH/KW kernel size, SH/SW stride, OH/OW output size, OC output channels.
// All images are NHWC, row-major; matrices are row-major.
#include <cstddef>
#include <cstdint>

namespace convolab::kernels {

// Activations that can be fused into a GEMM's store (the "epilogue").
enum class Act { Linear, Relu, LeakyRelu };

// Applied to each finished C element: c = act(c + bias[col]).
struct Epilogue {
  const float* bias = nullptr;  // (N) or null
  Act act = Act::Linear;
  float alpha = 0.0f;  // LeakyRelu slope
};

struct ConvGeometry {
  int h, w, c;  // input, per image
  int kh, kw;   // kernel
  int sh, sw;   // stride
  int pad_top, pad_left;
  int oh, ow;  // output
  int patch() const { return kh * kw * c; }
};

struct PoolGeometry {
  int h, w, c;
  int ph, pw;  // window
  int sh, sw;
  int pad_top, pad_left;
  int oh, ow;
};

// Every kernel is declared from one list (kernel_list.inc, which says how to
// add one), twice: for the build's chosen implementation (convolab::kernels)
// and for the reference twin (convolab::kernels::reference), so tests can
// hold one against the other.
#define CONVOLAB_ISA_KERNEL(ret, name, params, args) ret name params;
#define CONVOLAB_VEC_KERNEL CONVOLAB_ISA_KERNEL
#define CONVOLAB_SCALAR_KERNEL CONVOLAB_ISA_KERNEL
#include "kernel_list.inc"

namespace reference {
#define CONVOLAB_ISA_KERNEL(ret, name, params, args) ret name params;
#define CONVOLAB_VEC_KERNEL CONVOLAB_ISA_KERNEL
#define CONVOLAB_SCALAR_KERNEL CONVOLAB_ISA_KERNEL
#include "kernel_list.inc"
}  // namespace reference

// Worker threads the kernels may split work across (1 in single-thread
// builds). set_num_threads clamps to max_threads(), the most this build
// supports; workspaces are sized for that many, so the count can change
// between steps.
int num_threads();
int max_threads();
void set_num_threads(int n);

// "reference", "wasm_simd", "x86-avx512", ...: which implementation this build runs.
const char* implementation_name();

}  // namespace convolab::kernels
