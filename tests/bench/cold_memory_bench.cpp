// What this machine charges for touching memory that lay untouched for a
// while, read by one byte per page of 8 MiB after gaps of 0, 1 and 10 s:
// what a run of a collector every 10 s pays for its own state, which no
// other run touches in between.
//
// On bare metal a page read again is a cache or TLB miss, some nanoseconds
// whatever the gap. On the project's VM (README "Performance") a page idle
// for 10 s cost tens of microseconds, charged to the process as its own
// CPU time: the host's doing, invisible to the guest's kernel. It is why a
// run at 1,000 × 10 s costs the daemon more CPU there than one at 100 × 1 s
// though the layer does the same work, so run_benchmarks.sh prints it next
// to the load figures.

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <thread>
#include <vector>

int main() {
  constexpr std::size_t kBytes = 8u << 20;
  constexpr std::size_t kPage = 4096;
  std::vector<unsigned char> memory(kBytes, 1);
  volatile unsigned sink = 0;
  for (const int gap : {0, 1, 10}) {
    std::this_thread::sleep_for(std::chrono::seconds(gap));
    const auto start = std::chrono::steady_clock::now();
    unsigned sum = 0;
    for (std::size_t i = 0; i < kBytes; i += kPage) sum += memory[i];
    const auto elapsed = std::chrono::steady_clock::now() - start;
    sink = sink + sum;
    std::printf("cold_memory gap=%ds per_page=%.0fns\n", gap,
                std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(kBytes / kPage));
  }
  return sink == 0;  // read, so the loop is not optimised away
}
