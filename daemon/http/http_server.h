#pragma once
// The daemon's HTTP server: Boost.Beast on the daemon's own io_context, one
// thread, no threads of its own. It serves GET and HEAD to a RequestHandler
// and keeps slow or hostile clients from hurting anyone else: a deadline for
// every request header, for idle keep-alive connections and for every
// response write; bounded headers and bodies; a bounded number of
// connections. With set_security() it asks for basic auth and speaks TLS
// (web_security.h); bcrypt checks then run on one worker thread of its own.
//
//   HttpServer server(io.get_executor(), {}, [](const HttpRequest& request) {
//     return HttpResponse{.body = "hello\n"};
//   });
//   if (std::string error = server.listen("127.0.0.1:9947"); !error.empty()) ...
//
// Everything but connection_count() is called on the executor's thread, and
// the server is destroyed before its io_context (as any Asio object).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/http/auth_statistics.h"
#include "daemon/http/request_headers.h"
#include "daemon/http/stable_part.h"

namespace gleaner::http {

struct HttpRequest {
  std::string method;  // "GET" or "HEAD": other methods never reach a handler
  std::string target;  // as sent: "/metrics?x=1"
  std::string path;    // the target without its query, not percent-decoded: "/metrics"
  const RequestHeaders* headers = nullptr;  // valid during the call
  std::string remote;  // the client, "127.0.0.1:51234" or "[::1]:51234"
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  // The body is stable_prefix's text (if any) followed by body. A prefix
  // shared across requests is compressed only once (see stable_part.h), and
  // sent as it is, never copied: the response holds it until it is written,
  // so the handler may replace it at any time.
  std::shared_ptr<const StablePart> stable_prefix{};
  std::string body{};  // moved into the response, never copied
  std::vector<std::pair<std::string, std::string>> headers{};
  bool compressible = false;  // gzip it when the client accepts gzip
};

// Called on the io_context's thread for every GET and HEAD; must not block.
// An exception it throws becomes a 500 and a log line.
using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  // The time to deliver a whole request header (and small body, if any),
  // however slowly the bytes come: counted from the accept for a new
  // connection, from the first byte of the next request for a kept-alive one.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  // How long a kept-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // How long the client may take to receive a whole response.
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  std::size_t max_header_bytes = 8192;  // more: 431 and the connection closes
  std::size_t max_connections = 256;    // at the limit, the longest idle makes room
  int gzip_level = 1;                   // 1 (fastest) to 9 (smallest); 0 never compresses
};

class ServerState;
class Listener;
class WebSecurity;

class HttpServer {
 public:
  HttpServer(boost::asio::any_io_executor executor, HttpServerOptions options, RequestHandler handler);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on "HOST:PORT", ":PORT" or "[::]:PORT" (every
  // interface, IPv4 included), "[::1]:PORT". Returns "" or a message that
  // starts with the address: "127.0.0.1:9947: Address already in use".
  std::string listen(std::string_view address);

  // Serves on a socket that already listens (one systemd passed: socket
  // activation), besides any other; owns fd once this returns "", else
  // returns the system's reason.
  std::string serve_on(int fd);

  // Where it listens (the first socket); the actual port when listening on port 0.
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Every socket it listens on, in the order they were opened.
  std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;

  // The next request goes to this handler; the listening socket and open
  // connections stay as they are (a configuration reload).
  void set_handler(RequestHandler handler);

  // Basic auth and TLS, from load_web_security(); nullptr for neither. May
  // be called before listen() and at any time after (a reload): requests
  // read from now on, on new and open connections, are checked against the
  // new credentials; new connections use the new TLS context, while open
  // TLS connections keep theirs. A plain connection open when TLS is turned
  // on is closed at its next request, unanswered: with TLS on, nothing is
  // served in plain text. The listening socket stays as it is.
  void set_security(std::shared_ptr<const WebSecurity> security);

  // Closes the listening socket and every connection.
  void stop();

  // Open connections, including ones being closed. Safe from any thread.
  std::size_t connection_count() const;

  // What basic auth has done since the server was made (across every
  // set_security()). Safe from any thread.
  AuthStatistics auth_statistics() const;

 private:
  boost::asio::any_io_executor executor_;
  std::shared_ptr<ServerState> state_;      // shared with connections, which may outlive the server
  std::vector<std::shared_ptr<Listener>> listeners_;
};

}  // namespace gleaner::http
