// Counts a process's heap allocations, for scrape_bench --count-allocations:
// preloaded into gleaner (LD_PRELOAD), it counts every malloc, calloc,
// realloc and aligned allocation and the bytes asked for. Each time a
// writer opens and closes the FIFO named by MALLOC_COUNTER_ASK, a thread of
// its own appends "ALLOCATIONS BYTES\n" to the file named by
// MALLOC_COUNTER_OUT (not a signal: gleaner handles every signal itself).
// The bench reads the counts before and after a number of scrapes; the
// difference, divided, is the allocations a scrape costs.
//
// The allocations themselves are glibc's (__libc_malloc and friends): only
// counted, never changed.

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* pointer, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void __libc_free(void* pointer);
}

namespace {

std::atomic<unsigned long long> allocations{0};
std::atomic<unsigned long long> bytes{0};
int out_fd = -1;

void count(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  bytes.fetch_add(size, std::memory_order_relaxed);
}

// Decimal digits of value just before end; returns where they start.
char* digits(unsigned long long value, char* end) {
  do {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value);
  return end;
}

// Writes the counts without allocating: a stack buffer and write(2).
void report() {
  char line[64];
  char* end = line + sizeof line;
  *--end = '\n';
  char* start = digits(bytes.load(), end);
  *--start = ' ';
  start = digits(allocations.load(), start);
  [[maybe_unused]] auto written = ::write(out_fd, start, static_cast<size_t>(line + sizeof line - start));
}

// Waits for a writer on the FIFO, reads it to its end, reports; again.
void* answer_asks(void* fifo) {
  for (;;) {
    const int ask = ::open(static_cast<const char*>(fifo), O_RDONLY | O_CLOEXEC);
    if (ask < 0) return nullptr;
    char ignored[16];
    while (::read(ask, ignored, sizeof ignored) > 0) {
    }
    ::close(ask);
    report();
  }
}

__attribute__((constructor)) void start_counting() {
  const char* out = std::getenv("MALLOC_COUNTER_OUT");
  const char* ask = std::getenv("MALLOC_COUNTER_ASK");
  if (!out || !ask) return;
  out_fd = ::open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out_fd < 0) return;
  pthread_t thread;
  if (::pthread_create(&thread, nullptr, answer_asks, const_cast<char*>(ask)) == 0) ::pthread_detach(thread);
}

}  // namespace

extern "C" {

void* malloc(size_t size) noexcept {
  count(size);
  return __libc_malloc(size);
}

void* calloc(size_t n, size_t size) noexcept {
  count(n * size);
  return __libc_calloc(n, size);
}

void* realloc(void* pointer, size_t size) noexcept {
  count(size);
  return __libc_realloc(pointer, size);
}

void free(void* pointer) noexcept { __libc_free(pointer); }

void* memalign(size_t alignment, size_t size) noexcept {
  count(size);
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) noexcept { return memalign(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  void* pointer = memalign(alignment, size);
  if (!pointer) return ENOMEM;
  *out = pointer;
  return 0;
}

}  // extern "C"
