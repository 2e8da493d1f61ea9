#pragma once
// The TLS side of a connection: its stream type, and what a failed
// handshake means for the server.

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <string_view>
#include <type_traits>

namespace gleaner::http {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <typename Stream>
inline constexpr bool is_tls_stream_v = std::is_same_v<Stream, TlsStream>;

enum class HandshakeFailure {
  plain_http,  // the client sent an HTTP request, not a TLS hello
  ended,       // the client left, or the server closed the connection: nothing to report
  failed,      // anything else: a timeout, no common protocol or cipher, a client refusing the certificate
};

HandshakeFailure classify_handshake_failure(const boost::beast::error_code& error);

// What a client that speaks plain HTTP to the TLS port gets, in plain text:
// a complete HTTP/1.1 400 response that says to use https.
std::string_view plain_http_refusal();

}  // namespace gleaner::http
