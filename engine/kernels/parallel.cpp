// The kernels' thread pool. Workers are created on first use and live for
// the process; one parallel_for runs at a time (callers are the kernels of
// one model step). Without CONVOLAB_THREADS this is a plain loop.
#include "parallel.h"

#include <algorithm>

#include "kernels.h"

#ifdef CONVOLAB_THREADS
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace convolab::kernels {

#ifndef CONVOLAB_THREADS

int num_threads() { return 1; }
int max_threads() { return 1; }
void set_num_threads(int) {}

void parallel_for_impl(int tasks, void (*fn)(void*, int), void* ctx) {
  for (int t = 0; t < tasks; ++t) fn(ctx, t);
}

#else

namespace {

// Emscripten's PTHREAD_POOL_SIZE is 2: the calling thread plus one worker
// per extra core, at most kMaxThreads in all.
#ifndef CONVOLAB_MAX_THREADS
#define CONVOLAB_MAX_THREADS 2
#endif
constexpr int kMaxThreads = CONVOLAB_MAX_THREADS;

// Tasks are claimed through one atomic word (generation | tasks | next
// index), so whoever is awake runs them: the caller never waits for a
// worker that has not started — it runs the unclaimed tasks itself and
// waits only for tasks already running elsewhere. (A slow-to-wake worker on
// a busy machine would otherwise stall every kernel call.)
class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  int threads() const { return threads_; }
  void set_threads(int n) { threads_ = std::clamp(n, 1, kMaxThreads); }

  void run(int tasks, void (*fn)(void*, int), void* ctx) {
    if (threads_ <= 1 || tasks <= 1 || tasks > 0xffff || Clock::now() < solo_until_) {
      for (int t = 0; t < tasks; ++t) fn(ctx, t);
      return;
    }
    const Clock::time_point started = Clock::now();
    start_workers(threads_ - 1);
    fn_ = fn;
    ctx_ = ctx;
    done_.store(0, std::memory_order_relaxed);
    const std::uint32_t gen = ++generation_;
    // Publish, then wake only workers that went to sleep (a spinning worker
    // sees the new generation by itself). seq_cst on both sides: either we
    // see the sleeper, or it sees the job before it waits.
    state_.store(pack(gen, static_cast<std::uint32_t>(tasks), 0), std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      { std::lock_guard<std::mutex> lock(mu_); }
      wake_.notify_all();
    }
    int mine = 0;
    while (claim_and_run(gen)) ++mine;
    if (done_.load(std::memory_order_acquire) >= tasks) return;
    const Clock::time_point own_done = Clock::now();
    for (int spin = 0; spin < kSpins && done_.load(std::memory_order_acquire) < tasks; ++spin) {
    }
    if (done_.load(std::memory_order_acquire) < tasks) {
      std::unique_lock<std::mutex> lock(mu_);
      caller_waiting_.store(true, std::memory_order_seq_cst);
      finished_.wait(lock, [&] { return done_.load(std::memory_order_seq_cst) >= tasks; });
      caller_waiting_.store(false, std::memory_order_relaxed);
    }
    // A worker that took a task and then lost its core to another process
    // holds the whole job up for a scheduler time slice, which makes two
    // threads slower than one. When the wait dwarfs the caller's own tasks,
    // the kernels run on the calling thread alone for a while, then try
    // again: a short while after a lone stall, twice as long each time the
    // stalls go on. Results do not change: work is cut by shape, not threads.
    const Clock::time_point now = Clock::now();
    if (mine > 0 && now - own_done > 3 * (own_done - started) / mine + kStallSlack) {
      solo_for_ = now - solo_until_ < solo_for_ ? std::min<Clock::duration>(2 * solo_for_, kSoloMax) : kSoloMin;
      solo_until_ = now + solo_for_;
    }
  }

 private:
  static std::uint64_t pack(std::uint32_t gen, std::uint32_t tasks, std::uint32_t next) {
    return (static_cast<std::uint64_t>(gen) << 32) | (static_cast<std::uint64_t>(tasks) << 16) | next;
  }

  // Claims and runs one task of job `gen`; false when none is left.
  bool claim_and_run(std::uint32_t gen) {
    std::uint64_t s = state_.load(std::memory_order_acquire);
    for (;;) {
      if (static_cast<std::uint32_t>(s >> 32) != gen) return false;
      const std::uint32_t tasks = static_cast<std::uint32_t>(s >> 16) & 0xffff,
                          next = static_cast<std::uint32_t>(s) & 0xffff;
      if (next >= tasks) return false;
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
        // The job cannot end (nor fn_ change) before this task is counted done.
        fn_(ctx_, static_cast<int>(next));
        if (done_.fetch_add(1, std::memory_order_seq_cst) + 1 == static_cast<int>(tasks) &&
            caller_waiting_.load(std::memory_order_seq_cst)) {
          std::lock_guard<std::mutex> lock(mu_);
          finished_.notify_all();
        }
        return true;
      }
    }
  }

  void start_workers(int helpers) {
    while (static_cast<int>(workers_.size()) < helpers) workers_.emplace_back([this] { loop(); });
  }

  std::uint32_t generation() const { return static_cast<std::uint32_t>(state_.load(std::memory_order_seq_cst) >> 32); }

  // Kernel calls of one training step come a few hundred microseconds
  // apart; a worker that spins a while between them starts the next one
  // at once instead of paying a futex wake-up each time, and sleeps only
  // when the model is idle.
  void loop() {
    std::uint32_t seen = generation();
    for (;;) {
      std::uint32_t gen = generation();
      for (int spin = 0; spin < kSpins && gen == seen; ++spin) gen = generation();
      if (gen == seen) {
        std::unique_lock<std::mutex> lock(mu_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        wake_.wait(lock, [&] { return quit_ || generation() != seen; });
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
        if (quit_) return;
        gen = generation();
      }
      seen = gen;
      while (claim_and_run(gen)) {
      }
    }
  }

  static constexpr int kSpins = 1 << 18;
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::microseconds kStallSlack{200};
  static constexpr std::chrono::milliseconds kSoloMin{16}, kSoloMax{512};

  std::mutex mu_;
  std::condition_variable wake_, finished_;
  std::vector<std::thread> workers_;
  std::atomic<std::uint64_t> state_{0};
  std::atomic<int> done_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> caller_waiting_{false};
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
  std::uint32_t generation_ = 0;    // the calling thread's count of jobs
  Clock::time_point solo_until_{};  // the calling thread's: no workers before then
  Clock::duration solo_for_ = kSoloMin;
  bool quit_ = false;
  int threads_ = kMaxThreads;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

int num_threads() { return pool().threads(); }
int max_threads() { return kMaxThreads; }
void set_num_threads(int n) { pool().set_threads(n); }

void parallel_for_impl(int tasks, void (*fn)(void*, int), void* ctx) { pool().run(tasks, fn, ctx); }

#endif

int slice_tasks(std::size_t count, std::size_t min_count) {
  return count >= min_count ? std::min(num_threads(), kMaxTaskSlots) : 1;
}

void zero_fill(float* dst, std::size_t count) {
  parallel_slices(count, 1u << 16, 1,
                  [&](std::size_t begin, std::size_t end) { std::fill(dst + begin, dst + end, 0.0f); });
}

}  // namespace convolab::kernels
