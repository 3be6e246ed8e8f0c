#pragma once
// A tiny fork-join pool for the kernels: parallel_for runs fn(task) for
// every task in [0, tasks) on the calling thread plus the pool's workers and
// returns when all are done. Builds without CONVOLAB_THREADS run every task
// on the calling thread, so kernels call it unconditionally.
#include <cstddef>
#include <utility>

namespace convolab::kernels {

// Kernels split work into at most this many tasks, and keep one scratch
// buffer per task slot (so buffers do not depend on which thread runs what).
constexpr int kMaxTaskSlots = 8;

void parallel_for_impl(int tasks, void (*fn)(void* ctx, int task), void* ctx);

// dst(count) := 0, split across the threads when it is large (a batch's
// activation gradients are zeroed before every backward step).
void zero_fill(float* dst, std::size_t count);

template <class F>
void parallel_for(int tasks, F&& f) {
  if (tasks <= 0) return;
  auto thunk = [](void* ctx, int task) { (*static_cast<std::remove_reference_t<F>*>(ctx))(task); };
  parallel_for_impl(tasks, thunk, const_cast<void*>(static_cast<const void*>(&f)));
}

// How many slices parallel_slices cuts count elements into: one per thread,
// or 1 below min_count (forking costs more than it saves).
int slice_tasks(std::size_t count, std::size_t min_count);

// f(begin, end) over [0, count), cut into one slice per thread with every
// cut at a multiple of align (whole SIMD vectors): for element-wise work,
// where how it is split changes no result.
template <class F>
void parallel_slices(std::size_t count, std::size_t min_count, std::size_t align, F&& f) {
  const int tasks = slice_tasks(count, min_count);
  const std::size_t units = count / align;
  parallel_for(tasks, [&](int t) {
    const std::size_t begin = units * t / tasks * align, end = t + 1 == tasks ? count : units * (t + 1) / tasks * align;
    if (begin < end) f(begin, end);
  });
}

}  // namespace convolab::kernels
