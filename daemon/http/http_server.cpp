#include "daemon/http/http_server.h"

#include "daemon/http/listen_address.h"
#include "daemon/http/listener.h"
#include "daemon/http/server_state.h"
#include "daemon/http/web_security.h"

namespace gleaner::http {

HttpServer::HttpServer(boost::asio::any_io_executor executor, HttpServerOptions options, RequestHandler handler)
    : executor_(std::move(executor)), state_(std::make_shared<ServerState>(options, std::move(handler))) {}

HttpServer::~HttpServer() {
  stop();
  // Connections may outlive the server, but the worker must not: it posts
  // to the io_context, which goes away after the server.
  state_->auth_gate.stop();
}

std::string HttpServer::listen(std::string_view address) {
  const std::string prefix = std::string(address) + ": ";
  if (!listeners_.empty()) return prefix + "this server already listens, on port " + std::to_string(local_endpoint().port());
  std::string error;
  const std::optional<ListenAddress> parsed = parse_listen_address(address, &error);
  if (!parsed) return prefix + error;
  auto listener = std::make_shared<Listener>(executor_, state_);
  if (error = listener->open(*parsed); !error.empty()) return prefix + error;
  listener->start();
  listeners_.push_back(std::move(listener));
  return {};
}

std::string HttpServer::serve_on(int fd) {
  auto listener = std::make_shared<Listener>(executor_, state_);
  if (auto error = listener->adopt(fd); !error.empty()) return error;
  listener->start();
  listeners_.push_back(std::move(listener));
  return {};
}

boost::asio::ip::tcp::endpoint HttpServer::local_endpoint() const {
  return listeners_.empty() ? boost::asio::ip::tcp::endpoint{} : listeners_.front()->local_endpoint();
}

std::vector<boost::asio::ip::tcp::endpoint> HttpServer::local_endpoints() const {
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;
  for (const auto& listener : listeners_) endpoints.push_back(listener->local_endpoint());
  return endpoints;
}

void HttpServer::set_handler(RequestHandler handler) { state_->set_handler(std::move(handler)); }

void HttpServer::set_security(std::shared_ptr<const WebSecurity> security) {
  state_->set_security(std::move(security));
}

void HttpServer::stop() {
  for (const auto& listener : listeners_) listener->stop();
  listeners_.clear();
  state_->connections.close_all();
  // Checks still waiting are for connections just closed.
  state_->auth_gate.drop_pending();
}

std::size_t HttpServer::connection_count() const { return state_->connections.size(); }

AuthStatistics HttpServer::auth_statistics() const { return state_->auth_gate.statistics(); }

}  // namespace gleaner::http
