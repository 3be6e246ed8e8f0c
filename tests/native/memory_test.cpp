// Memory: nothing allocates per training step after the first, and the
// reference net at batch 32 holds well under 32 MB. Counted by replacing
// the global operator new for this test binary (cheap: one atomic add).
#include <atomic>
#include <cstdlib>
#include <new>

#include "convolab/model.h"
#include "support.h"
#include "support_model.h"

namespace {
std::atomic<long long> g_allocations{0};
std::atomic<long long> g_bytes{0};

void* counted(std::size_t size, std::size_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(static_cast<long long>(size), std::memory_order_relaxed);
  void* p = nullptr;
  if (align <= alignof(std::max_align_t))
    p = std::malloc(size ? size : 1);
  else if (posix_memalign(&p, align, size ? size : 1) != 0)
    p = nullptr;
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(std::size_t size) { return counted(size, 0); }
void* operator new[](std::size_t size) { return counted(size, 0); }
void* operator new(std::size_t size, std::align_val_t a) { return counted(size, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t size, std::align_val_t a) { return counted(size, static_cast<std::size_t>(a)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted(size, 0);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted(size, 0);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return counted(size, static_cast<std::size_t>(a));
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return counted(size, static_cast<std::size_t>(a));
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace convolab;

TEST_CASE("training allocates nothing after the first step, and the reference net at batch 32 fits in 32 MB",
          "[memory]") {
  for (const char* optimizer : {R"({"type":"momentum","learningRate":0.01,"momentum":0.9})", R"({"type":"adam"})"}) {
    INFO(optimizer);
    Rng rng(1);
    const int batch = 32;
    const std::vector<float> x = test::random_vector(static_cast<std::size_t>(batch) * 784, rng, 0.0f, 1.0f);
    std::vector<std::int32_t> y(batch);
    for (int i = 0; i < batch; ++i) y[i] = i % 10;
    const long long bytes_before = g_bytes.load();
    Model m(test::kReferenceSpec, 3);
    m.compile(Json::parse(std::string(R"({"loss":"categoricalCrossentropy","optimizer":)") + optimizer + "}"));
    m.train_batch(x.data(), y.data(), batch);
    // Everything the model (and the kernels' workspaces) asked for, never
    // counting frees: an upper bound on what it holds.
    const double mb = static_cast<double>(g_bytes.load() - bytes_before) / (1024.0 * 1024.0);
    WARN("reference net, batch 32: " << mb << " MB allocated up to the end of the first step");
    CHECK(mb < 32.0);
    const long long allocations_before = g_allocations.load();
    for (int step = 0; step < 10; ++step) m.train_batch(x.data(), y.data(), batch);
    m.set_learning_rate(0.005f);
    for (int step = 0; step < 3; ++step) m.train_batch(x.data(), y.data(), batch);
    CHECK(g_allocations.load() - allocations_before == 0);
  }
}
