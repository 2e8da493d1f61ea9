#pragma once
// Makes the kernel refuse to add anything to one epoll set, for the calling
// thread only, as it does when a user's epoll watches are used up
// (fs.epoll.max_user_watches: ENOSPC). Tests use it to reach a layer's
// "cannot wait for its exit" path without changing a system-wide setting.
//
// A seccomp filter: once installed it stays for the thread's life (and for
// the processes it starts), so install it on a thread of its own that ends
// with the test.

#include <dirent.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <set>
#include <string>
#include <thread>

namespace gleaner::testing {

// The epoll sets this process has open, by descriptor.
inline std::set<int> open_epoll_sets() {
  std::set<int> sets;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return sets;
  while (auto* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    const std::string link = "/proc/self/fd/" + std::string(entry->d_name);
    char target[64] = {};
    const auto length = ::readlink(link.c_str(), target, sizeof target - 1);
    if (length > 0 && std::string(target, static_cast<std::size_t>(length)) == "anon_inode:[eventpoll]") {
      sets.insert(std::atoi(entry->d_name));
    }
  }
  ::closedir(dir);
  return sets;
}

// The one epoll set that make() opened besides io's own (made first here),
// or -1 if it opened none or several: a runner's set of exits.
template <typename Make>
int epoll_set_made_by(boost::asio::io_context& io, Make make) {
  const boost::asio::steady_timer loop_made(io);  // Asio's reactor, and its set, come with the first timer
  const auto before = open_epoll_sets();
  make();
  int made = -1;
  for (const int set : open_epoll_sets()) {
    if (before.count(set) != 0) continue;
    if (made != -1) return -1;
    made = set;
  }
  return made;
}

#if defined(__x86_64__)
inline constexpr unsigned kSeccompArchitecture = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
inline constexpr unsigned kSeccompArchitecture = AUDIT_ARCH_AARCH64;
#else
inline constexpr unsigned kSeccompArchitecture = 0;  // none mapped: no filter
#endif

// From now on, on this thread, epoll_ctl(set, EPOLL_CTL_ADD, …) fails with
// ENOSPC; every other call is left alone. False where the kernel or the
// architecture offers no seccomp filter (the test should then skip).
inline bool refuse_epoll_adds_to(int set) {
  if (kSeccompArchitecture == 0) return false;
  // Arguments are 64-bit; on the little-endian machines mapped above their
  // low half comes first, and descriptors and operations fit in it.
  sock_filter program[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kSeccompArchitecture, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_epoll_ctl, 0, 5),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(set), 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[1])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, EPOLL_CTL_ADD, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSPC & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog filter{static_cast<unsigned short>(sizeof program / sizeof program[0]), program};
  // Without privileges a filter needs no_new_privs; it is per thread too.
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter) == 0;
}

// Runs body on a thread of its own on which adds to `set` are refused (the
// refusal ends with the thread). False, body not run, where the kernel or
// the architecture offers no seccomp filter: the test should then skip.
template <typename Body>
bool on_a_thread_refusing_adds_to(int set, Body body) {
  bool refusing = false;
  std::thread([&] {
    refusing = refuse_epoll_adds_to(set);
    if (refusing) body();
  }).join();
  return refusing;
}

}  // namespace gleaner::testing
