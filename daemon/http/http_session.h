#pragma once
// One client connection: read a request, answer it, and again while the
// client keeps the connection alive. A template over the stream, so that
// plain TCP (beast::tcp_stream) and TLS (TlsStream) are served by the same
// code; the stream must be a beast::basic_stream at its lowest layer, which
// gives every read and write a deadline.
//
// Deadlines, which are what keeps a slow or hostile client from holding on:
//   - a new connection has header_timeout, from the accept, to complete its
//     TLS handshake (if TLS) and deliver a whole request header;
//   - a kept-alive one has idle_timeout to start its next request, and from
//     that first byte header_timeout again for the whole header;
//   - every response has write_timeout to be taken by the client;
//   - a connection the server closes gets kLingerTime to see its answer
//     (and, with TLS, to exchange close_notify alerts).
//
// With basic auth on, each request's credentials are checked before it is
// answered, asynchronously (BasicAuthGate): the session waits for the
// verdict without holding up the io thread.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "daemon/http/basic_auth_gate.h"
#include "daemon/http/client_certificate.h"
#include "daemon/http/http_exchange.h"
#include "daemon/http/server_state.h"
#include "daemon/http/tls_stream.h"
#include "daemon/http/web_security.h"

namespace gleaner::http {

// When the server ends a connection it stops sending first and reads (and
// discards) what the client still sends for a while: closing a socket with
// unread input sends a reset, which can destroy the answer in flight, such
// as a 431 for a header the client is still sending.
inline constexpr std::chrono::seconds kLingerTime{2};
inline constexpr std::size_t kLingerMaxBytes = 1 << 20;

// Ends the sending direction of the TCP connection (a FIN).
inline void stop_sending(boost::beast::tcp_stream& stream) {
  boost::beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

template <typename Stream>
class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  // tls_context: for a TLS stream, the context it was made from, kept
  // alive as long as the connection.
  HttpSession(Stream stream, std::shared_ptr<ServerState> state, std::string remote,
              std::shared_ptr<boost::asio::ssl::context> tls_context = nullptr)
      : stream_(std::move(stream)),
        state_(std::move(state)),
        remote_(std::move(remote)),
        tls_context_(std::move(tls_context)) {
    state_->connections.add(this);
  }

  ~HttpSession() override { state_->connections.remove(this); }

  void start() {
    waiting();
    deadline().expires_after(state_->options.header_timeout);
    if constexpr (kTls) {
      stream_.async_handshake(
          boost::asio::ssl::stream_base::server,
          [self = this->shared_from_this()](boost::beast::error_code ec) { self->on_handshake(ec); });
    } else {
      read_request_by_deadline();
    }
  }

  void close() override { deadline().close(); }

 private:
  static constexpr bool kTls = is_tls_stream_v<Stream>;
  static constexpr std::size_t kFirstReadBytes = 1024;

  // The TCP stream under any TLS: it holds the deadline and the socket.
  boost::beast::tcp_stream& deadline() { return boost::beast::get_lowest_layer(stream_); }

  void on_handshake(boost::beast::error_code ec) {
    if (!ec) {
      tls_established_ = true;
      if (const std::string refusal = refuse_client_certificate(stream_.native_handle()); !refusal.empty()) {
        state_->security_log.client_certificate_refused(refusal, remote_);
        return linger();
      }
      return read_request_by_deadline();  // the deadline set at the accept goes on
    }
    switch (classify_handshake_failure(ec)) {
      case HandshakeFailure::plain_http:
        state_->security_log.plain_http_on_tls_port(remote_);
        return refuse_plain_http();
      case HandshakeFailure::failed:
        state_->security_log.handshake_failed(ec, remote_);
        return;
      case HandshakeFailure::ended:
        return;
    }
  }

  // A 400 in plain text says what went wrong better than a closed
  // connection would; it goes straight to TCP, under the TLS that never was.
  void refuse_plain_http() {
    deadline().expires_after(state_->options.write_timeout);
    boost::asio::async_write(deadline(), boost::asio::buffer(plain_http_refusal()),
                             [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) {
                               if (!ec) self->linger();
                             });
  }

  // Between requests: wait up to idle_timeout for the client's next bytes,
  // so that header_timeout counts from when a request really starts.
  void await_next_request() {
    waiting();
    deadline().expires_after(state_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t bytes) {
                              if (ec) return;  // idle too long, or the client left
                              self->buffer_.commit(bytes);
                              self->read_request();
                            });
  }

  void read_request() {
    waiting();
    deadline().expires_after(state_->options.header_timeout);
    read_request_by_deadline();
  }

  void read_request_by_deadline() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
    parser_->body_limit(kMaxRequestBodyBytes);
    boost::beast::http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_request(boost::beast::error_code ec) {
    if (ec) {
      parser_.reset();
      if (const auto status = refusal_for(ec)) {
        send(refuse(*status, boost::beast::http::obsolete_reason(*status), *state_));
      }
      return;  // else nothing to answer: the session ends with this handler
    }
    request_ = parser_->release();
    parser_.reset();
    working();

    // The settings of this moment: a reload applies from the next request on.
    const std::shared_ptr<const WebSecurity> security = state_->security();
    if (!kTls && security && security->tls_context()) {
      return linger();  // TLS was turned on after this plain connection opened: nothing more in plain text
    }
    if (!security || !security->basic_auth()) return answer();
    const std::optional<AuthOutcome> outcome = state_->auth_gate.check(
        security->basic_auth(), request_[boost::beast::http::field::authorization], client_address(),
        stream_.get_executor(),
        [self = this->shared_from_this()](AuthOutcome later) { self->on_auth(later); });
    if (outcome) on_auth(*outcome);
  }

  // The peer's address without its port ("127.0.0.1", "[::1]"): what tells
  // one client from another when they share the places for bcrypt checks.
  std::string_view client_address() const {
    return std::string_view(remote_).substr(0, remote_.rfind(':'));
  }

  void on_auth(AuthOutcome outcome) {
    if (outcome == AuthOutcome::allowed) return answer();
    state_->security_log.refused(outcome, request_.method_string(), request_.target(), remote_);
    WireResponse refusal =
        outcome == AuthOutcome::busy ? too_busy_to_check(request_, *state_) : challenge(request_, *state_);
    request_ = {};
    send(std::move(refusal));
  }

  void answer() {
    WireResponse response = respond(request_, remote_, *state_);
    request_ = {};
    send(std::move(response));
  }

  void send(WireResponse response) {
    response_ = std::move(response);
    // The web configuration's headers, on every answer (refusals included),
    // as exporter-toolkit sets them before anything else.
    if (const std::shared_ptr<const WebSecurity> security = state_->security()) {
      for (const auto& [name, value] : security->headers()) response_.set(name, value);
    }
    deadline().expires_after(state_->options.write_timeout);
    boost::beast::http::async_write(
        stream_, response_,
        [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) { self->on_sent(ec); });
  }

  void on_sent(boost::beast::error_code ec) {
    if (ec) return;  // too slow to read, or gone
    const bool keep_alive = response_.keep_alive();
    response_ = {};  // a scrape's body is large: give it back now, not at the next response
    if (!keep_alive) return linger();
    if (buffer_.size() > 0) return read_request();  // a pipelined request is already here
    await_next_request();
  }

  // The server's last word is out. With TLS, a close_notify alert says so
  // (and the client's is awaited); then, as for plain TCP, a FIN, and what
  // the client still sends is read and discarded. kLingerTime bounds it all.
  void linger() {
    waiting();  // on its way out: the first to go if the server is full
    deadline().expires_after(kLingerTime);
    if constexpr (kTls) {
      if (tls_established_) {
        stream_.async_shutdown([self = this->shared_from_this()](boost::beast::error_code) {
          self->stop_sending_and_discard();
        });
        return;
      }
    }
    stop_sending_and_discard();
  }

  void stop_sending_and_discard() {
    stop_sending(deadline());
    discard_input();
  }

  // Reads the TCP stream itself: under TLS, after close_notify, what comes
  // is of no interest, decrypted or not.
  void discard_input() {
    buffer_.clear();
    deadline().async_read_some(buffer_.prepare(kFirstReadBytes * 4),
                               [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t bytes) {
                                 self->lingered_bytes_ += bytes;
                                 if (ec || self->lingered_bytes_ > kLingerMaxBytes) return;
                                 self->discard_input();
                               });
  }

  Stream stream_;
  std::shared_ptr<ServerState> state_;
  const std::string remote_;
  const std::shared_ptr<boost::asio::ssl::context> tls_context_;
  bool tls_established_ = false;
  boost::beast::flat_buffer buffer_;  // kept for the connection's life, and so is its memory
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  WireRequest request_;    // from when it is read until it is answered
  WireResponse response_;  // lives until written
  std::size_t lingered_bytes_ = 0;
};

}  // namespace gleaner::http
