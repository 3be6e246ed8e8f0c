#pragma once
// x86 vector types for the generic kernels. VecWide is the widest the
// compiler targets (AVX-512, else AVX2+FMA, else SSE2) and drives the GEMM;
// VecNarrow (AVX2 or SSE2, whose compares give lane masks) drives the rest.
#include <immintrin.h>

#include <cstdint>

namespace convolab::kernels::x86 {

struct VecSse {
  using T = __m128;
  static constexpr int W = 4;
  static T zero() { return _mm_setzero_ps(); }
  static T splat(float x) { return _mm_set1_ps(x); }
  static T load(const float* p) { return _mm_loadu_ps(p); }
  static void store(float* p, T v) { _mm_storeu_ps(p, v); }
  static T broadcast(const float* p) { return _mm_set1_ps(*p); }
  static T add(T a, T b) { return _mm_add_ps(a, b); }
  static T mul(T a, T b) { return _mm_mul_ps(a, b); }
  static T madd(T acc, T a, T b) { return _mm_add_ps(acc, _mm_mul_ps(a, b)); }
  // maxps(x, 0) returns the second operand (0) when x is NaN, like x > 0 ? x : 0.
  static T relu(T x) { return _mm_max_ps(x, zero()); }
  static T gt(T a, T b) { return _mm_cmpgt_ps(a, b); }
  static T select(T mask, T a, T b) { return _mm_or_ps(_mm_and_ps(mask, a), _mm_andnot_ps(mask, b)); }
  static T leaky(T x, T alpha) { return select(gt(x, zero()), x, mul(x, alpha)); }
  static T index(int base) { return _mm_castsi128_ps(_mm_add_epi32(_mm_set1_epi32(base), _mm_setr_epi32(0, 1, 2, 3))); }
  static void store_i32(std::int32_t* p, T v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_castps_si128(v)); }
};

#if defined(__AVX2__)
struct VecAvx2 {
  using T = __m256;
  static constexpr int W = 8;
  static T zero() { return _mm256_setzero_ps(); }
  static T splat(float x) { return _mm256_set1_ps(x); }
  static T load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, T v) { _mm256_storeu_ps(p, v); }
  static T broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static T add(T a, T b) { return _mm256_add_ps(a, b); }
  static T mul(T a, T b) { return _mm256_mul_ps(a, b); }
#if defined(__FMA__)
  static T madd(T acc, T a, T b) { return _mm256_fmadd_ps(a, b, acc); }
#else
  static T madd(T acc, T a, T b) { return _mm256_add_ps(acc, _mm256_mul_ps(a, b)); }
#endif
  static T relu(T x) { return _mm256_max_ps(x, zero()); }
  static T gt(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static T select(T mask, T a, T b) { return _mm256_blendv_ps(b, a, mask); }
  static T leaky(T x, T alpha) { return select(gt(x, zero()), x, mul(x, alpha)); }
  static T index(int base) {
    return _mm256_castsi256_ps(_mm256_add_epi32(_mm256_set1_epi32(base), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
  }
  static void store_i32(std::int32_t* p, T v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm256_castps_si256(v));
  }
};
using VecNarrow = VecAvx2;
#else
using VecNarrow = VecSse;
#endif

#if defined(__AVX512F__)
struct VecAvx512 {
  using T = __m512;
  static constexpr int W = 16;
  static T zero() { return _mm512_setzero_ps(); }
  static T splat(float x) { return _mm512_set1_ps(x); }
  static T load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static T broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static T add(T a, T b) { return _mm512_add_ps(a, b); }
  static T mul(T a, T b) { return _mm512_mul_ps(a, b); }
  static T madd(T acc, T a, T b) { return _mm512_fmadd_ps(a, b, acc); }
  // Keep lanes where x > 0, zero the rest (NaN too, like x > 0 ? x : 0).
  static T relu(T x) { return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, zero(), _CMP_GT_OQ), x); }
  static T leaky(T x, T alpha) { return _mm512_mask_mul_ps(x, _mm512_cmp_ps_mask(x, zero(), _CMP_LE_OQ), x, alpha); }
};
#endif

}  // namespace convolab::kernels::x86
