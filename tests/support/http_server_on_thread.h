#pragma once
// An HttpServer serving on 127.0.0.1 from an io_context on a thread of its
// own, as the daemon runs it, so that a test can be its client. The
// server's API is called on that thread, through on_io().

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "daemon/http/http_server.h"
#include "tests/support/io_wait.h"

namespace gleaner::testing {

class HttpServerOnThread {
 public:
  HttpServerOnThread(http::HttpServerOptions options, http::RequestHandler handler,
                     std::shared_ptr<const http::WebSecurity> security = nullptr) {
    server_.emplace(io_.get_executor(), options, std::move(handler));
    server_->set_security(std::move(security));
    if (const std::string error = server_->listen("127.0.0.1:0"); !error.empty()) throw std::runtime_error(error);
    port_ = server_->local_endpoint().port();
    thread_ = std::thread([this] { io_.run(); });
  }

  // Stops the server and waits until every connection is gone (so a
  // session left behind would show up as a leak under ASan).
  ~HttpServerOnThread() {
    on_io([this] { server_->stop(); });
    eventually([this] { return server_->connection_count() == 0; });
    on_io([this] { server_.reset(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }

  HttpServerOnThread(const HttpServerOnThread&) = delete;
  HttpServerOnThread& operator=(const HttpServerOnThread&) = delete;

  // Runs f on the io thread and waits for it.
  template <typename F>
  void on_io(F f) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  void set_security(std::shared_ptr<const http::WebSecurity> security) {
    on_io([&] { server_->set_security(std::move(security)); });
  }

  // Closes the listening socket and every connection (the server object stays).
  void stop() {
    on_io([this] { server_->stop(); });
  }

  int port() const { return port_; }
  // For what is safe from any thread: connection_count(), auth_statistics().
  const http::HttpServer& server() const { return *server_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::optional<http::HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace gleaner::testing
