#pragma once
// One client connection: read a request, answer it, and again while the
// client keeps the connection alive. A template over the stream so that a TLS
// stream (beast::ssl_stream<beast::tcp_stream>) can be served by the same
// code; the stream must be a beast::basic_stream at its lowest layer, which
// gives every read and write a deadline.
//
// Deadlines, which are what keeps a slow or hostile client from holding on:
//   - a new connection has header_timeout to deliver a whole request header;
//   - a kept-alive one has idle_timeout to start its next request, and from
//     that first byte header_timeout again for the whole header;
//   - every response has write_timeout to be taken by the client;
//   - a connection the server closes gets kLingerTime to see its answer.

#include <boost/asio/ip/tcp.hpp>
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

#include "http/http_exchange.h"
#include "http/server_state.h"

namespace gleaner::http {

// When the server ends a connection it stops sending first and reads (and
// discards) what the client still sends for a while: closing a socket with
// unread input sends a reset, which can destroy the answer in flight, such
// as a 431 for a header the client is still sending.
inline constexpr std::chrono::seconds kLingerTime{2};
inline constexpr std::size_t kLingerMaxBytes = 1 << 20;

// Steps that differ between stream types; a TLS stream adds its overloads
// (there, stopping to send is the close_notify alert).
inline void stop_sending(boost::beast::tcp_stream& stream) {
  boost::beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

template <typename Stream>
class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream stream, std::shared_ptr<ServerState> state, std::string remote)
      : stream_(std::move(stream)), state_(std::move(state)), remote_(std::move(remote)) {
    state_->connections.add(this);
  }

  ~HttpSession() override { state_->connections.remove(this); }

  void start() { read_request(); }

  void close() override { boost::beast::get_lowest_layer(stream_).close(); }

 private:
  static constexpr std::size_t kFirstReadBytes = 1024;

  auto& deadline() { return boost::beast::get_lowest_layer(stream_); }

  // Between requests: wait up to idle_timeout for the client's next bytes,
  // so that header_timeout counts from when a request really starts.
  void await_next_request() {
    deadline().expires_after(state_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t bytes) {
                              if (ec) return;  // idle too long, or the client left
                              self->buffer_.commit(bytes);
                              self->read_request();
                            });
  }

  void read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
    parser_->body_limit(kMaxRequestBodyBytes);
    deadline().expires_after(state_->options.header_timeout);
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
    const WireRequest request = parser_->release();
    parser_.reset();
    send(respond(request, remote_, *state_));
  }

  void send(WireResponse response) {
    response_ = std::move(response);
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

  void linger() {
    stop_sending(stream_);
    deadline().expires_after(kLingerTime);
    discard_input();
  }

  void discard_input() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes * 4),
                            [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t bytes) {
                              self->lingered_bytes_ += bytes;
                              if (ec || self->lingered_bytes_ > kLingerMaxBytes) return;
                              self->discard_input();
                            });
  }

  Stream stream_;
  std::shared_ptr<ServerState> state_;
  const std::string remote_;
  boost::beast::flat_buffer buffer_;  // kept for the connection's life, and so is its memory
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  WireResponse response_;  // lives until written
  std::size_t lingered_bytes_ = 0;
};

}  // namespace gleaner::http
