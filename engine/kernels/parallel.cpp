// The kernels' thread pool. Workers are created on first use and live for
// the process; one parallel_for runs at a time (callers are the kernels of
// one model step). Without CONVOLAB_THREADS this is a plain loop.
#include "parallel.h"

#include <algorithm>

#include "kernels.h"

#ifdef CONVOLAB_THREADS
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace convolab::kernels {

#ifndef CONVOLAB_THREADS

int num_threads() { return 1; }
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
    const int helpers = std::min(threads_, tasks) - 1;
    if (helpers <= 0) {
      for (int t = 0; t < tasks; ++t) fn(ctx, t);
      return;
    }
    start_workers(helpers);
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = fn;
      ctx_ = ctx;
      tasks_ = tasks;
      next_.store(0, std::memory_order_relaxed);
      done_ = 0;
      active_ = helpers;
      participants_ = helpers;
      ++generation_;
    }
    wake_.notify_all();
    const int mine = drain();
    std::unique_lock<std::mutex> lock(mu_);
    done_ += mine;
    finished_.wait(lock, [&] { return done_ == tasks_ && active_ == 0; });
  }

 private:
  int drain() {
    int count = 0;
    for (int t; (t = next_.fetch_add(1, std::memory_order_relaxed)) < tasks_; ++count) fn_(ctx_, t);
    return count;
  }

  void start_workers(int helpers) {
    while (static_cast<int>(workers_.size()) < helpers) {
      const int id = static_cast<int>(workers_.size());
      workers_.emplace_back([this, id] { loop(id); });
    }
  }

  void loop(int id) {
    unsigned seen = 0;
    for (;;) {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return quit_ || (generation_ != seen && id < participants_); });
      if (quit_) return;
      seen = generation_;
      lock.unlock();
      const int mine = drain();
      lock.lock();
      done_ += mine;
      --active_;
      if (done_ == tasks_ && active_ == 0) finished_.notify_one();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_, finished_;
  std::vector<std::thread> workers_;
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
  int tasks_ = 0, done_ = 0, active_ = 0, participants_ = 0;
  unsigned generation_ = 0;
  bool quit_ = false;
  std::atomic<int> next_{0};
  int threads_ = kMaxThreads;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

int num_threads() { return pool().threads(); }
void set_num_threads(int n) { pool().set_threads(n); }

void parallel_for_impl(int tasks, void (*fn)(void*, int), void* ctx) { pool().run(tasks, fn, ctx); }

#endif

}  // namespace convolab::kernels
