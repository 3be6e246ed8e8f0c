#pragma once
// WebAssembly SIMD128 as the generic kernels' vector type: 4 float lanes.
// Plain SIMD128 only (no relaxed-SIMD FMA: this toolchain's encoding is
// rejected by Node 20 and Chromium), so madd is a mul then an add.
#include <wasm_simd128.h>

#include <cstdint>

namespace convolab::kernels::wasm_simd {

struct Vec {
  using T = v128_t;
  static constexpr int W = 4;
  static T zero() { return wasm_f32x4_const(0.0f, 0.0f, 0.0f, 0.0f); }
  static T splat(float x) { return wasm_f32x4_splat(x); }
  static T load(const float* p) { return wasm_v128_load(p); }
  static void store(float* p, T v) { wasm_v128_store(p, v); }
  static T broadcast(const float* p) { return wasm_v128_load32_splat(p); }
  static T add(T a, T b) { return wasm_f32x4_add(a, b); }
  static T mul(T a, T b) { return wasm_f32x4_mul(a, b); }
  static T madd(T acc, T a, T b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }
  // pmax(0, x) = 0 < x ? x : 0 — one maxps in V8, and NaN gives 0 like
  // the reference's x > 0 ? x : 0.
  static T relu(T x) { return wasm_f32x4_pmax(zero(), x); }
  static T leaky(T x, T alpha) { return wasm_v128_bitselect(x, wasm_f32x4_mul(x, alpha), wasm_f32x4_gt(x, zero())); }
  static T gt(T a, T b) { return wasm_f32x4_gt(a, b); }
  static T select(T mask, T a, T b) { return wasm_v128_bitselect(a, b, mask); }
  static T index(int base) { return wasm_i32x4_add(wasm_i32x4_splat(base), wasm_i32x4_const(0, 1, 2, 3)); }
  static void store_i32(std::int32_t* p, T v) { wasm_v128_store(p, v); }
};

}  // namespace convolab::kernels::wasm_simd
