// The kernels' thread pool: every task of every job runs exactly once and
// the job is complete when parallel_for returns, however the threads race.
#include <atomic>
#include <chrono>
#include <thread>

#include "../../engine/kernels/parallel.h"
#include "kernels_support.h"

TEST_CASE("parallel_for runs each task exactly once, finished on return", "[kernels][parallel]") {
  convolab::test::for_each_thread_count([](int threads) {
    std::atomic<int> runs[8];
    long long bad = 0;
    for (int job = 0; job < 3000; ++job) {
      const int tasks = 1 + job % 8;
      for (auto& r : runs) r.store(0);
      convolab::kernels::parallel_for(tasks, [&](int t) {
        // a little uneven work so tasks finish in different orders
        volatile int spin = 0;
        for (int i = 0; i < (t * 37 + job) % 200; ++i) spin = spin + i;
        runs[t].fetch_add(1);
      });
      for (int t = 0; t < 8; ++t) bad += runs[t].load() != (t < tasks ? 1 : 0);
    }
    INFO("threads=" << threads);
    CHECK(bad == 0);
  });
}

TEST_CASE("a worker stalled inside a task sends the next jobs to the calling thread alone", "[kernels][parallel]") {
  convolab::kernels::set_num_threads(64);
  if (convolab::kernels::num_threads() < 2) return;  // a build without the pool
  const auto caller = std::this_thread::get_id();
  // Stands in for a worker that lost its core mid-task: whatever task a
  // worker takes sleeps far longer than the caller's own tasks.
  const auto stall = [&] {
    for (int attempt = 0; attempt < 20; ++attempt) {
      std::atomic<bool> worker_ran{false};
      convolab::kernels::parallel_for(4, [&](int) {
        if (std::this_thread::get_id() != caller) {
          worker_ran = true;
          std::this_thread::sleep_for(std::chrono::milliseconds(30));
        } else {
          std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
      });
      if (worker_ran) return true;
    }
    return false;
  };
  // The next job has plenty of tasks a spinning worker would take. The solo
  // spell lasts 16 ms: a caller that itself loses its core that long (a
  // loaded machine) sees it over, so the pair is tried a few times; without
  // the fallback a worker takes some of the 8 tasks every time.
  bool solo = false;
  for (int attempt = 0; attempt < 5 && !solo; ++attempt) {
    REQUIRE(stall());
    std::atomic<int> elsewhere{0};
    convolab::kernels::parallel_for(8, [&](int) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      if (std::this_thread::get_id() != caller) elsewhere.fetch_add(1);
    });
    solo = elsewhere.load() == 0;
  }
  CHECK(solo);
}
