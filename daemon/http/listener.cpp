#include "daemon/http/listener.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cerrno>
#include <string_view>

#include "daemon/http/http_session.h"
#include "daemon/http/tls_stream.h"
#include "daemon/http/web_security.h"
#include "common/logging/logging.h"

namespace gleaner::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// Connections taken per wake-up before other work gets a turn.
constexpr int kAcceptsPerWakeup = 16;
// How long accepting pauses when the process is out of descriptors or memory.
constexpr std::chrono::milliseconds kAcceptPause{100};

constexpr std::string_view kBusyResponse =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 21\r\n"
    "Connection: close\r\n"
    "\r\n"
    "too many connections\n";

// Failures of one incoming connection (Linux reports the network errors
// pending on it through accept), which the next accept does not share.
bool is_connection_failure(int error) {
  switch (error) {
    case ECONNABORTED: case EINTR: case EPERM: case EPROTO: case ENOPROTOOPT: case ENETDOWN:
    case ENONET: case EHOSTDOWN: case EHOSTUNREACH: case ENETUNREACH: case EOPNOTSUPP:
      return true;
    default:
      return false;
  }
}

}  // namespace

Listener::Listener(asio::any_io_executor executor, std::shared_ptr<ServerState> state)
    : executor_(executor), state_(std::move(state)), acceptor_(executor), pause_timer_(executor) {}

std::string Listener::open(const ListenAddress& address) {
  boost::system::error_code ec;
  if (address.ip) {
    ec = bind_and_listen({*address.ip, address.port}, false);
  } else {
    ec = bind_and_listen({asio::ip::address_v6::any(), address.port}, true);
    if (ec == asio::error::address_family_not_supported || ec == boost::system::errc::address_not_available) {
      ec = bind_and_listen({asio::ip::address_v4::any(), address.port}, false);  // a host without IPv6
    }
  }
  return ec ? ec.message() : std::string();
}

std::string Listener::adopt(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return std::system_category().message(errno);
  }
  protocol_ = address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4();
  // The accept loop calls accept4() until EAGAIN: a blocking socket would
  // stall the daemon's only thread there.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return std::system_category().message(errno);
  boost::system::error_code ec;
  acceptor_.assign(protocol_, fd, ec);
  return ec ? ec.message() : std::string();
}

boost::system::error_code Listener::bind_and_listen(const tcp::endpoint& endpoint, bool dual_stack) {
  boost::system::error_code ec;
  const int fd = ::socket(endpoint.protocol().family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) return {errno, boost::system::system_category()};
  protocol_ = endpoint.protocol();
  acceptor_.assign(protocol_, fd, ec);
  if (ec) {
    ::close(fd);
    return ec;
  }
  // Each step only runs while ec is clear; the first failure is the answer.
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && dual_stack) acceptor_.set_option(asio::ip::v6_only(false), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }
  return ec;
}

void Listener::start() { await_connection(); }

void Listener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  pause_timer_.cancel();
}

tcp::endpoint Listener::local_endpoint() const {
  boost::system::error_code ec;
  const tcp::endpoint endpoint = acceptor_.local_endpoint(ec);
  return ec ? tcp::endpoint{} : endpoint;
}

// Asio accepts with accept(), which leaves the socket inheritable; waiting
// for readiness and calling accept4() ourselves closes that gap.
void Listener::await_connection() {
  acceptor_.async_wait(tcp::acceptor::wait_read,
                       [self = shared_from_this()](boost::system::error_code ec) { self->on_readable(ec); });
}

void Listener::on_readable(boost::system::error_code ec) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;  // stopped
  if (ec) {
    if (const auto count = accept_failure_log_.admit()) {
      logging::event(spdlog::level::warn,
                     fmt::format("HTTP: waiting for connections failed ({} time(s) since the last warning): {}",
                                 *count, ec.message()),
                     {{"event", "listener_wait_failed"}, {"count", *count}, {"error", ec.message()}});
    }
    return pause_accepting();
  }
  for (int i = 0; i < kAcceptsPerWakeup; ++i) {
    tcp::endpoint peer;
    socklen_t peer_size = static_cast<socklen_t>(peer.capacity());
    const int fd = ::accept4(acceptor_.native_handle(), peer.data(), &peer_size, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd >= 0) {
      peer.resize(peer_size);
      serve(fd, peer);
      continue;
    }
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK) break;
    if (is_connection_failure(error)) continue;
    // Out of descriptors (EMFILE, ENFILE) or memory: the pending connection
    // stays queued and the socket stays readable, so retrying now would spin.
    if (const auto count = accept_failure_log_.admit()) {
      const auto text = std::system_category().message(error);
      logging::event(spdlog::level::warn,
                     fmt::format("HTTP: accepting a connection failed ({} time(s) since the last warning): {}", *count,
                                 text),
                     {{"event", "listener_accept_failed"}, {"count", *count}, {"error", text}});
    }
    return pause_accepting();
  }
  await_connection();
}

void Listener::pause_accepting() {
  pause_timer_.expires_after(kAcceptPause);
  pause_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec && self->acceptor_.is_open()) self->await_connection();
  });
}

void Listener::serve(int fd, const tcp::endpoint& peer) {
  // Full: make room by closing the connection that has waited longest
  // without a request, rather than turning this one away. Otherwise clients
  // that connect and say nothing could hold every place, each until its
  // header deadline, and lock the scrapes out.
  const auto& registry = state_->connections;
  if (registry.size() - registry.evicted() >= state_->options.max_connections) {
    if (!state_->connections.evict_longest_waiting()) return turn_away(fd);
    if (const auto count = evicted_log_.admit()) {
      logging::event(spdlog::level::warn,
                     fmt::format("HTTP: at the limit of {} open connections; closed {} connection(s) that waited "
                                 "longest without a request since the last warning",
                                 state_->options.max_connections, *count),
                     {{"event", "listener_connections_evicted"},
                      {"max_connections", state_->options.max_connections},
                      {"count", *count}});
    }
  }

  // Responses go out as soon as they are written: Nagle's wait for an ACK
  // that the client delays would add 40 ms to a scrape's last segment.
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);

  boost::system::error_code ec;
  tcp::socket socket(executor_);
  socket.assign(protocol_, fd, ec);
  if (ec) {
    ::close(fd);
    return;
  }
  beast::tcp_stream stream(std::move(socket));
  // TLS or not is decided now, for the connection's whole life.
  const std::shared_ptr<const WebSecurity>& security = state_->security();
  if (!security || !security->tls_context()) {
    std::make_shared<HttpSession<beast::tcp_stream>>(std::move(stream), state_, describe_endpoint(peer))->start();
    return;
  }
  try {
    std::shared_ptr<asio::ssl::context> context = security->tls_context_for_new_connection();
    TlsStream tls_stream(std::move(stream), *context);
    std::make_shared<HttpSession<TlsStream>>(std::move(tls_stream), state_, describe_endpoint(peer), std::move(context))
        ->start();
  } catch (const std::exception& error) {
    // OpenSSL could not make the connection's state (out of memory); the
    // socket closes with the stream.
    if (const auto count = accept_failure_log_.admit()) {
      logging::event(spdlog::level::warn,
                     fmt::format("HTTP: setting up TLS for a connection failed ({} time(s) since the last warning): {}",
                                 *count, error.what()),
                     {{"event", "listener_tls_setup_failed"}, {"count", *count}, {"error", error.what()}});
    }
  }
}

// Keeps nothing for the connection: reads whatever request already arrived
// (so that closing sends FIN, not a reset that could destroy the answer),
// answers 503 if the socket takes it at once, and closes.
void Listener::turn_away(int fd) {
  char scratch[4096];
  for (int i = 0; i < 4 && ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0; ++i) {
  }
  // A TLS client would take plain text for a broken handshake: it just sees the close.
  const std::shared_ptr<const WebSecurity>& security = state_->security();
  if (!security || !security->tls_context()) {
    [[maybe_unused]] const auto sent =
        ::send(fd, kBusyResponse.data(), kBusyResponse.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  }
  ::close(fd);
  if (const auto count = turned_away_log_.admit()) {
    logging::event(spdlog::level::warn,
                   fmt::format("HTTP: at the limit of {} open connections; turned away {} new connection(s) since "
                               "the last warning",
                               state_->options.max_connections, *count),
                   {{"event", "listener_connections_turned_away"},
                    {"max_connections", state_->options.max_connections},
                    {"count", *count}});
  }
}

}  // namespace gleaner::http
