#pragma once
// The listening socket and its accept loop. Every socket it makes is
// close-on-exec from birth (socket() and accept4() with SOCK_CLOEXEC; Asio
// itself does not ask for it), so no command the daemon spawns inherits one.
// Each connection is TLS or plain, as the server's security says at its
// accept. At the connection limit a new connection is answered 503 (in
// plain HTTP; a TLS one is only closed) and closed at once, keeping
// nothing; accept failures such as EMFILE pause accepting briefly instead
// of spinning.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "daemon/http/listen_address.h"
#include "daemon/http/log_throttle.h"
#include "daemon/http/server_state.h"

namespace gleaner::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::any_io_executor executor, std::shared_ptr<ServerState> state);

  // Binds and listens; returns "" or the system's reason ("Address already in use").
  std::string open(const ListenAddress& address);
  // Takes a socket already listening (one systemd passed) and owns it from
  // then on; returns "" or the system's reason.
  std::string adopt(int fd);
  void start();
  void stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  boost::system::error_code bind_and_listen(const boost::asio::ip::tcp::endpoint& endpoint, bool dual_stack);
  void await_connection();
  void on_readable(boost::system::error_code ec);
  void pause_accepting();
  void serve(int fd, const boost::asio::ip::tcp::endpoint& peer);
  void turn_away(int fd);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<ServerState> state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp protocol_ = boost::asio::ip::tcp::v4();
  boost::asio::steady_timer pause_timer_;
  LogThrottle turned_away_log_;
  LogThrottle evicted_log_;
  LogThrottle accept_failure_log_;
};

}  // namespace gleaner::http
