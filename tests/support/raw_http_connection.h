#pragma once
// One kept-alive HTTP/1.1 connection on a blocking socket, for tests that
// need several requests on the same connection (curl would hide which
// connection it used). Every wait has a deadline.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

// GCC 12 with sanitizers misreads the parser's boost::optional as maybe
// uninitialized (-Wmaybe-uninitialized) when a response parser is inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/http/parser.hpp>
#pragma GCC diagnostic pop
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <chrono>
#include <limits>
#include <optional>
#include <string>

#include "tests/support/io_wait.h"

namespace gleaner::testing {

struct RawReply {
  unsigned status = 0;
  std::string www_authenticate;
  std::string body;
  bool keep_alive = false;
};

class RawHttpConnection {
 public:
  // To 127.0.0.1:port. A source other than 127.0.0.1 (any of 127.0.0.0/8
  // reaches the loopback) makes the server see another client address.
  explicit RawHttpConnection(int port, in_addr_t source = INADDR_LOOPBACK) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_addr.s_addr = htonl(source);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0 &&
                 ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawHttpConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawHttpConnection(const RawHttpConnection&) = delete;
  RawHttpConnection& operator=(const RawHttpConnection&) = delete;

  bool connected() const { return connected_; }

  bool send(const std::string& data) {
    return connected_ && ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }

  // GET path, with an Authorization field when authorization is not empty.
  bool send_get(const std::string& path, const std::string& authorization = "") {
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
    return send(request + "\r\n");
  }

  // The next response; nothing if the connection ended or stalled first.
  std::optional<RawReply> read_reply() {
    namespace bhttp = boost::beast::http;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!parser.is_done()) {
      if (!pending_.empty()) {
        boost::beast::error_code ec;
        const std::size_t used = parser.put(boost::asio::buffer(pending_), ec);
        pending_.erase(0, used);
        if (parser.is_done()) break;
        if (ec && ec != bhttp::error::need_more) return std::nullopt;
        if (used > 0) continue;
      }
      if (!receive(deadline)) return std::nullopt;
    }
    RawReply reply;
    reply.status = parser.get().result_int();
    reply.www_authenticate = std::string(parser.get()[bhttp::field::www_authenticate]);
    reply.body = parser.get().body();
    reply.keep_alive = parser.get().keep_alive();
    return reply;
  }

  // Whether the server ends the connection (FIN or reset) within kPatience.
  bool closed_by_server() {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (receive(deadline)) {
    }
    return ended_;
  }

  const std::string& received() const { return pending_; }

 private:
  // Appends what arrives; false at the end of the stream or the deadline.
  bool receive(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd entry{fd_, POLLIN, 0};
      if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[65536];
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
      if (got > 0) {
        pending_.append(chunk, static_cast<std::size_t>(got));
        return true;
      }
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      ended_ = true;
      return false;
    }
  }

  int fd_ = -1;
  bool connected_ = false;
  bool ended_ = false;
  std::string pending_;
};

}  // namespace gleaner::testing
