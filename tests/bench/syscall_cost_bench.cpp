// What each system call a run makes beyond posix_spawn + waitpid costs the
// daemon's thread on this machine, each timed alone in a tight loop (CPU
// time of the thread, user + system, per call), beside a bare call
// (getppid) and the whole of posix_spawn + waitpid of /bin/true. README
// "Performance" lists a run's calls with these figures: they say which of
// the layer's calls weigh (the pipes, the pidfd) and which are near free.
//
//   syscall_cost_bench [ROUNDS]   (default 5; the median and range printed)

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

double thread_cpu_us() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

struct Case {
  std::string name;
  int calls;  // per round
  std::function<void()> body;
  std::vector<double> us_per_call;
};

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  const int epoll_set = ::epoll_create1(EPOLL_CLOEXEC);
  int pipe_fds[2];
  if (epoll_set < 0 || ::pipe2(pipe_fds, O_CLOEXEC) != 0) return 1;
  const int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  const std::string children_path = "/proc/self/task/" + std::to_string(::getpid()) + "/children";
  const int children = ::open(children_path.c_str(), O_RDONLY | O_CLOEXEC);
  // A zombie leading its own group, never reaped here until the end: what
  // the kill of a leader's group at its exit meets.
  posix_spawnattr_t attributes;
  ::posix_spawnattr_init(&attributes);
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  char* true_argv[] = {const_cast<char*>("/bin/true"), nullptr};
  char* no_environment[] = {nullptr};
  pid_t zombie = -1;
  if (::posix_spawn(&zombie, "/bin/true", nullptr, &attributes, true_argv, no_environment) != 0) return 1;
  { siginfo_t info{}; ::waitid(P_PID, static_cast<id_t>(zombie), &info, WEXITED | WNOWAIT); }
  // The watcher's set holds one pidfd's registration, as with a run in flight.
  const int zombie_pidfd = pidfd_open(zombie);
  epoll_event watched{};
  watched.events = EPOLLIN;
  ::epoll_ctl(epoll_set, EPOLL_CTL_ADD, pipe_fds[0], &watched);

  std::vector<Case> cases;
  cases.push_back({"a bare system call (getppid)", 20000, [] { (void)::getppid(); }, {}});
  cases.push_back({"pipe2 + close of both ends (a run makes 2 pipes)", 5000, [] {
                     int fds[2];
                     if (::pipe2(fds, O_CLOEXEC) == 0) { ::close(fds[0]); ::close(fds[1]); }
                   }, {}});
  cases.push_back({"pidfd_open + close", 5000, [] { ::close(pidfd_open(::getpid())); }, {}});
  cases.push_back({"epoll_ctl ADD + DEL of a pidfd (the set)", 10000, [&] {
                     epoll_event event{};
                     event.events = EPOLLIN | EPOLLONESHOT;
                     ::epoll_ctl(epoll_set, EPOLL_CTL_ADD, zombie_pidfd, &event);
                     ::epoll_ctl(epoll_set, EPOLL_CTL_DEL, zombie_pidfd, nullptr);
                   }, {}});
  cases.push_back({"epoll_ctl MOD (Asio arming a wait)", 20000, [&] {
                     ::epoll_ctl(epoll_set, EPOLL_CTL_MOD, pipe_fds[0], &watched);
                   }, {}});
  cases.push_back({"epoll_wait, nothing ready, no wait", 20000, [&] {
                     epoll_event events[8];
                     ::epoll_wait(epoll_set, events, 8, 0);
                   }, {}});
  cases.push_back({"ioctl FIONREAD of a pipe", 20000, [&] {
                     int held = 0;
                     ::ioctl(pipe_fds[0], FIONREAD, &held);
                   }, {}});
  cases.push_back({"fcntl F_SETFL of a pipe (no longer made)", 20000, [&] { ::fcntl(pipe_fds[0], F_SETFL, 0); }, {}});
  cases.push_back({"kill of a zombie leader's group", 20000, [&] { ::kill(-zombie, SIGKILL); }, {}});
  cases.push_back({"pread of the main thread's children", 20000, [&] {
                     char buffer[256];
                     if (::pread(children, buffer, sizeof buffer, 0) < 0) std::abort();
                   }, {}});
  cases.push_back({"timerfd_settime", 20000, [&] {
                     itimerspec when{};
                     when.it_value.tv_sec = 1000;
                     ::timerfd_settime(timer, 0, &when, nullptr);
                   }, {}});
  cases.push_back({"posix_spawn + waitpid of /bin/true (the limit)", 300, [&] {
                     pid_t pid = -1;
                     if (::posix_spawn(&pid, "/bin/true", nullptr, nullptr, true_argv, no_environment) == 0) {
                       ::waitpid(pid, nullptr, 0);
                     }
                   }, {}});

  for (int round = 0; round < rounds; ++round) {
    for (auto& c : cases) {
      for (int i = 0; i < c.calls / 10; ++i) c.body();  // warm
      const double start = thread_cpu_us();
      for (int i = 0; i < c.calls; ++i) c.body();
      c.us_per_call.push_back((thread_cpu_us() - start) / c.calls);
    }
  }
  std::printf("CPU of the calling thread per call, median (min-max) of %d rounds:\n", rounds);
  for (auto& c : cases) {
    std::sort(c.us_per_call.begin(), c.us_per_call.end());
    std::printf("  %-52s %7.2f us (%.2f-%.2f)\n", c.name.c_str(), c.us_per_call[c.us_per_call.size() / 2],
                c.us_per_call.front(), c.us_per_call.back());
  }
  ::waitpid(zombie, nullptr, 0);
  return 0;
}
