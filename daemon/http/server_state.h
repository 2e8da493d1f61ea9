#pragma once
// What the listener and every connection share: the options, the current
// handler and security, the open connections, and the per-server helpers. Connections hold
// it by shared_ptr, so it outlives an HttpServer destroyed while their last
// completion handlers are still queued.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <memory>
#include <unordered_set>

#include "daemon/http/basic_auth_gate.h"
#include "daemon/http/gzip.h"
#include "daemon/http/http_date.h"
#include "daemon/http/http_server.h"
#include "daemon/http/security_log.h"

namespace gleaner::http {

class WebSecurity;

// A connection as the server sees it: something to count, to close, and
// to know whether it is worth keeping.
class Connection {
 public:
  virtual ~Connection() = default;
  // Closes the socket now; the pending operations complete with an error and
  // the connection goes away.
  virtual void close() = 0;

  // Since when it has been waiting for a complete request from its client
  // (a new connection, one kept alive between requests, one on its way
  // out); nothing while a request is being answered. Those waiting longest
  // are the first to go when the server is full.
  const std::optional<std::chrono::steady_clock::time_point>& waiting_since() const { return waiting_since_; }

 protected:
  void waiting() { waiting_since_ = std::chrono::steady_clock::now(); }
  void working() { waiting_since_.reset(); }

 private:
  std::optional<std::chrono::steady_clock::time_point> waiting_since_;
};

class ConnectionRegistry {
 public:
  void add(Connection* connection);
  void remove(Connection* connection);
  void close_all();
  // Closes the connection that has waited longest for a request, so that a
  // client with a request to make gets its place; false if every connection
  // is busy answering one.
  bool evict_longest_waiting();
  std::size_t size() const { return count_.load(std::memory_order_relaxed); }
  std::size_t evicted() const { return evicted_.size(); }

 private:
  std::unordered_set<Connection*> connections_;
  // Evicted but not yet gone (their handlers still to run): not evicted twice.
  std::unordered_set<Connection*> evicted_;
  std::atomic<std::size_t> count_{0};  // read from other threads (tests, metrics)
};

class ServerState {
 public:
  ServerState(HttpServerOptions options, RequestHandler handler);

  // The handler is held by shared_ptr so that a call in progress keeps its
  // own copy alive even if the handler replaces itself through set_handler.
  std::shared_ptr<const RequestHandler> handler() const { return handler_; }
  void set_handler(RequestHandler handler);

  // Null: no basic auth, no TLS. A connection keeps the one it was opened
  // with for its TLS context, and asks for the current one at each request.
  const std::shared_ptr<const WebSecurity>& security() const { return security_; }
  void set_security(std::shared_ptr<const WebSecurity> security) { security_ = std::move(security); }

  const HttpServerOptions options;
  ConnectionRegistry connections;
  GzipCompressor gzip;
  HttpDateCache date;
  SecurityLog security_log;
  BasicAuthGate auth_gate;

 private:
  std::shared_ptr<const RequestHandler> handler_;
  std::shared_ptr<const WebSecurity> security_;
};

}  // namespace gleaner::http
