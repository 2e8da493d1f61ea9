#include "common/subprocess/exit_watcher.h"

#include <sys/epoll.h>

#include <array>
#include <cerrno>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace gleaner::subprocess {

namespace {

int make_epoll_set() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}

}  // namespace

struct ExitWatcher::Waiting {
  std::unordered_map<WatchId, Handler> handlers;
};

ExitWatcher::ExitWatcher(const boost::asio::any_io_executor& executor) : set_(executor, make_epoll_set()) {}

ExitWatcher::WatchId ExitWatcher::watch(int pidfd, Handler on_exit) {
  const WatchId id = next_id_;
  epoll_event event{};
  // Once: a pidfd stays readable after its exit until it is closed.
  event.events = EPOLLIN | EPOLLONESHOT;
  event.data.u64 = id;
  if (::epoll_ctl(set_.native_handle(), EPOLL_CTL_ADD, pidfd, &event) != 0) return 0;
  ++next_id_;
  auto waiting = waiting_.lock();
  if (!waiting) {
    waiting = std::make_shared<Waiting>();
    waiting_ = waiting;
    wait(waiting);
  }
  waiting->handlers.emplace(id, std::move(on_exit));
  return id;
}

void ExitWatcher::forget(int pidfd, WatchId id) {
  if (id == 0) return;
  ::epoll_ctl(set_.native_handle(), EPOLL_CTL_DEL, pidfd, nullptr);
  if (auto waiting = waiting_.lock()) waiting->handlers.erase(id);
}

void ExitWatcher::wait(std::shared_ptr<Waiting> waiting) {
  set_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                  [weak_self = weak_from_this(), waiting = std::move(waiting)](const boost::system::error_code& error) {
                    auto self = weak_self.lock();
                    // Cancelled (the watcher is going away): the handlers are
                    // dropped with `waiting`, never called.
                    if (error || !self) return;
                    self->take_exits(*waiting);
                    if (!waiting->handlers.empty()) self->wait(waiting);
                  });
}

// A handler may watch or forget others: each is taken out of the map before
// it runs, and a new watch's number cannot be among the events read.
void ExitWatcher::take_exits(Waiting& waiting) {
  std::array<epoll_event, 64> events;
  for (;;) {
    const int count = ::epoll_wait(set_.native_handle(), events.data(), static_cast<int>(events.size()), 0);
    if (count < 0 && errno == EINTR) continue;
    for (int i = 0; i < count; ++i) {
      const auto it = waiting.handlers.find(events[static_cast<std::size_t>(i)].data.u64);
      if (it == waiting.handlers.end()) continue;  // forgotten meanwhile
      const Handler on_exit = std::move(it->second);
      waiting.handlers.erase(it);
      on_exit();
    }
    if (count < static_cast<int>(events.size())) return;
  }
}

}  // namespace gleaner::subprocess
