#pragma once
// Internal: a pipe the loop reads, registered with the io_context's reactor
// only when it is first waited on. Registering costs an epoll_ctl to add
// and one to remove, and a registered pipe wakes the loop on every change
// of readiness even when nothing waits for it; most commands are done
// before their output is ever watched (see RunOperation::watch_output), and
// their pipes are then read once at the exit without being registered.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <optional>

#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {

class LazyDescriptor {
 public:
  using Descriptor = boost::asio::posix::stream_descriptor;

  LazyDescriptor() = default;
  explicit LazyDescriptor(UniqueFd fd) : fd_(std::move(fd)) {}

  bool is_open() const { return descriptor_ ? descriptor_->is_open() : static_cast<bool>(fd_); }
  int native_handle() { return descriptor_ ? descriptor_->native_handle() : fd_.get(); }

  // The registered descriptor, to wait on; registers it on first use.
  Descriptor& watched(const boost::asio::any_io_executor& executor) {
    if (!descriptor_) descriptor_.emplace(executor, fd_.release());
    return *descriptor_;
  }

  void close() {
    if (descriptor_) {
      if (descriptor_->is_open()) descriptor_->close();
    } else {
      fd_.reset();
    }
  }

 private:
  UniqueFd fd_;
  std::optional<Descriptor> descriptor_;
};

}  // namespace gleaner::subprocess
