#include "daemon/http/tls_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <string>

namespace gleaner::http {

HandshakeFailure classify_handshake_failure(const boost::beast::error_code& error) {
  namespace asio = boost::asio;
  const auto code = static_cast<unsigned long>(static_cast<unsigned>(error.value()));
  if (error.category() == asio::error::get_ssl_category() && ERR_GET_LIB(code) == ERR_LIB_SSL &&
      ERR_GET_REASON(code) == SSL_R_HTTP_REQUEST) {
    return HandshakeFailure::plain_http;
  }
  if (error == asio::error::eof || error == asio::ssl::error::stream_truncated ||
      error == asio::error::connection_reset || error == asio::error::operation_aborted ||
      error == asio::error::bad_descriptor) {
    return HandshakeFailure::ended;
  }
  return HandshakeFailure::failed;
}

std::string_view plain_http_refusal() {
  static const std::string response = [] {
    const std::string body = "This port speaks HTTPS: use an https:// URL.\n";
    return "HTTP/1.1 400 Bad Request\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Length: " +
           std::to_string(body.size()) +
           "\r\n"
           "Connection: close\r\n"
           "\r\n" +
           body;
  }();
  return response;
}

}  // namespace gleaner::http
