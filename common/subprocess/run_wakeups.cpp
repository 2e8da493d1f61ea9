#include "common/subprocess/run_wakeups.h"

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <map>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace gleaner::subprocess {

namespace {

constexpr RunWakeups::Id kTimerEvent = 0;  // the timer's mark in the set; watches count from 1

int checked(int fd, const char* what) {
  if (fd < 0) throw std::system_error(errno, std::generic_category(), what);
  return fd;
}

}  // namespace

struct RunWakeups::Waiting {
  std::unordered_map<Id, Handler> exits;
  std::map<std::pair<Clock::time_point, Id>, Handler> deadlines;  // earliest first
  bool empty() const { return exits.empty() && deadlines.empty(); }
};

RunWakeups::RunWakeups(const boost::asio::any_io_executor& executor)
    : set_(executor, checked(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      timer_(checked(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), "timerfd_create")) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kTimerEvent;
  if (::epoll_ctl(set_.native_handle(), EPOLL_CTL_ADD, timer_.get(), &event) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl of the timer");
  }
}

RunWakeups::Waiting& RunWakeups::waiting() {
  auto current = waiting_.lock();
  if (!current) {
    current = std::make_shared<Waiting>();
    waiting_ = current;
    wait(current);
  }
  return *current;  // owned by the wait just started, or the one pending
}

RunWakeups::Id RunWakeups::watch_exit(int pidfd, Handler on_exit) {
  const Id id = next_id_;
  epoll_event event{};
  // Once: a pidfd stays readable after its exit until it is closed.
  event.events = EPOLLIN | EPOLLONESHOT;
  event.data.u64 = id;
  if (::epoll_ctl(set_.native_handle(), EPOLL_CTL_ADD, pidfd, &event) != 0) return 0;
  ++next_id_;
  waiting().exits.emplace(id, std::move(on_exit));
  return id;
}

void RunWakeups::forget_exit(int pidfd, Id id) {
  if (id == 0) return;
  ::epoll_ctl(set_.native_handle(), EPOLL_CTL_DEL, pidfd, nullptr);
  if (auto current = waiting_.lock()) {
    current->exits.erase(id);
    release_if_idle(*current);
  }
}

RunWakeups::Deadline RunWakeups::call_at(Clock::time_point when, Handler on_due) {
  const Deadline deadline{when, next_id_++};
  auto& current = waiting();
  current.deadlines.emplace(std::make_pair(when, deadline.id), std::move(on_due));
  if (when < timer_armed_for_) arm_timer(current);
  return deadline;
}

void RunWakeups::cancel(const Deadline& deadline) {
  if (deadline.id == 0) return;
  auto current = waiting_.lock();
  if (!current || current->deadlines.erase({deadline.when, deadline.id}) == 0) return;
  // Re-armed for the next deadline, or disarmed: no wake-up for nothing.
  // (While events are taken, once at the end: runs exiting together
  // cancel theirs one after the other.)
  if (!taking_events_ && deadline.when <= timer_armed_for_) arm_timer(*current);
  release_if_idle(*current);
}

void RunWakeups::arm_timer(const Waiting& waiting) {
  const auto next = waiting.deadlines.empty() ? Clock::time_point::max() : waiting.deadlines.begin()->first.first;
  if (next == timer_armed_for_) return;
  itimerspec setting{};  // all zero: disarmed
  if (next != Clock::time_point::max()) {
    const auto since_boot = std::chrono::duration_cast<std::chrono::nanoseconds>(next.time_since_epoch()).count();
    // Zero would disarm it: a deadline already past is due at once.
    setting.it_value.tv_sec = static_cast<time_t>(since_boot / 1'000'000'000);
    setting.it_value.tv_nsec = static_cast<long>(since_boot % 1'000'000'000);
    if (setting.it_value.tv_sec == 0 && setting.it_value.tv_nsec == 0) setting.it_value.tv_nsec = 1;
  }
  ::timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &setting, nullptr);
  timer_armed_for_ = next;
}

// With nothing left to wait for, the wait ends, so that an io_context with
// no other work returns from run(). (While events are being taken, the
// wait's own handler decides that.)
void RunWakeups::release_if_idle(const Waiting& waiting) {
  if (taking_events_ || !waiting.empty()) return;
  waiting_.reset();
  set_.cancel();
}

void RunWakeups::wait(std::shared_ptr<Waiting> waiting) {
  set_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                  [weak_self = weak_from_this(), waiting = std::move(waiting)](const boost::system::error_code& error) {
                    auto self = weak_self.lock();
                    // Cancelled (idle, or this object is going away): the
                    // handlers left, if any, are dropped with `waiting`.
                    if (error || !self) return;
                    self->take_events(*waiting);
                    if (!waiting->empty()) {
                      self->wait(waiting);
                    } else if (self->waiting_.lock() == waiting) {
                      self->waiting_.reset();
                    }
                  });
}

// A handler may watch, forget or cancel others: each is taken out of its
// map before it runs, and a new watch's number cannot be among the events
// already read.
void RunWakeups::take_events(Waiting& waiting) {
  taking_events_ = true;
  std::array<epoll_event, 64> events;
  bool timer_fired = false;
  for (;;) {
    const int count = ::epoll_wait(set_.native_handle(), events.data(), static_cast<int>(events.size()), 0);
    if (count < 0 && errno == EINTR) continue;
    for (int i = 0; i < count; ++i) {
      const Id id = events[static_cast<std::size_t>(i)].data.u64;
      if (id == kTimerEvent) {
        timer_fired = true;
        continue;
      }
      const auto it = waiting.exits.find(id);
      if (it == waiting.exits.end()) continue;  // forgotten meanwhile
      const Handler on_exit = std::move(it->second);
      waiting.exits.erase(it);
      on_exit();
    }
    if (count < static_cast<int>(events.size())) break;
  }
  if (timer_fired) {
    std::uint64_t expirations = 0;
    if (::read(timer_.get(), &expirations, sizeof expirations) == sizeof expirations) {
      timer_armed_for_ = Clock::time_point::max();  // a one-shot timer, spent
    }
    call_due(waiting);
  } else {
    arm_timer(waiting);  // for what the exits' handlers cancelled
  }
  taking_events_ = false;
}

void RunWakeups::call_due(Waiting& waiting) {
  const auto now = Clock::now();
  while (!waiting.deadlines.empty() && waiting.deadlines.begin()->first.first <= now) {
    const auto first = waiting.deadlines.begin();
    const Handler on_due = std::move(first->second);
    waiting.deadlines.erase(first);
    on_due();
  }
  arm_timer(waiting);
}

}  // namespace gleaner::subprocess
