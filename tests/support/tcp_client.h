#pragma once
// A raw TCP connection to 127.0.0.1 for playing hostile HTTP clients: one
// that connects and says nothing, trickles bytes, sends too much, or asks
// and never reads. Every wait has a deadline; nothing here blocks for ever.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "tests/support/io_wait.h"

namespace gleaner::testing {

class TcpClient {
 public:
  // receive_buffer > 0 shrinks the socket's receive buffer (before the
  // connection, so the window it advertises is small from the start): a
  // client that never reads then stops the server's writes almost at once.
  explicit TcpClient(int port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~TcpClient() { close(); }
  TcpClient(TcpClient&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)),
        connected_(other.connected_),
        ended_(other.ended_),
        received_(std::move(other.received_)) {}
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  bool connected() const { return connected_; }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Sends all of data unless the server ends the connection or stops taking
  // bytes for longer than the patience. Returns whether all of it went.
  bool send_all(std::string_view data, std::chrono::steady_clock::duration patience = kPatience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!data.empty()) {
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent > 0) {
        data.remove_prefix(static_cast<std::size_t>(sent));
        continue;
      }
      if (sent < 0 && errno != EAGAIN && errno != EINTR) return false;
      if (!wait_for(POLLOUT, deadline)) return false;
    }
    return true;
  }

  // Whatever has arrived by now, without waiting; records the server's
  // end of the connection (FIN or reset) when it has come.
  const std::string& poll_received() {
    receive_available();
    return received_;
  }

  // One read of at most `most` bytes of what has arrived, without waiting:
  // whether any came. A client reading only this little, now and then,
  // keeps the server's answer in flight (poll_received() would drain it: on
  // loopback the server refills the window as fast as it is read).
  bool receive_a_little(std::size_t most = 4096) {
    if (ended_ || fd_ < 0) return false;
    std::string chunk(most, '\0');
    const ssize_t got = ::recv(fd_, chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) ended_ = true;
    if (got <= 0) return false;
    received_.append(chunk, 0, static_cast<std::size_t>(got));
    return true;
  }

  // What has been received so far, without reading.
  const std::string& received() const { return received_; }

  // Reads until the server ends the connection or the patience runs out;
  // returns everything received so far.
  const std::string& read_until_closed(std::chrono::steady_clock::duration patience = kPatience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!ended_ && receive_available() && wait_for(POLLIN, deadline)) {
    }
    return received_;
  }

  // Whether the server has ended the connection (seen by a read).
  bool ended_by_server() const { return ended_; }

  // The status code of the response received so far, 0 if none yet.
  int status() const {
    if (received_.size() < 12 || received_.compare(0, 5, "HTTP/") != 0) return 0;
    const auto space = received_.find(' ');
    return space == std::string::npos ? 0 : std::atoi(received_.c_str() + space + 1);
  }

 private:
  // Reads what is there; false once the connection has ended.
  bool receive_available() {
    while (!ended_ && fd_ >= 0) {
      char chunk[65536];
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
      if (got > 0) {
        received_.append(chunk, static_cast<std::size_t>(got));
      } else if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
        return true;
      } else {
        ended_ = true;  // 0: FIN; ECONNRESET and the like: reset
      }
    }
    return !ended_;
  }

  bool wait_for(short events, std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd entry{fd_, events, 0};
    return ::poll(&entry, 1, static_cast<int>(left.count())) >= 0;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool ended_ = false;
  std::string received_;
};

}  // namespace gleaner::testing
