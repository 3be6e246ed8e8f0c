// The kernels' thread pool: every task of every job runs exactly once and
// the job is complete when parallel_for returns, however the threads race.
#include <atomic>

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
