#include "daemon/http/server_state.h"

#include <algorithm>
#include <vector>

namespace gleaner::http {
namespace {

// Options a caller could get wrong in ways that would break the server
// rather than tune it.
HttpServerOptions sanitized(HttpServerOptions options) {
  options.gzip_level = std::clamp(options.gzip_level, 0, 9);
  options.max_header_bytes = std::clamp<std::size_t>(options.max_header_bytes, 256, 1 << 20);
  return options;
}

}  // namespace

void ConnectionRegistry::add(Connection* connection) {
  connections_.insert(connection);
  count_.store(connections_.size(), std::memory_order_relaxed);
}

void ConnectionRegistry::remove(Connection* connection) {
  connections_.erase(connection);
  evicted_.erase(connection);
  count_.store(connections_.size(), std::memory_order_relaxed);
}

bool ConnectionRegistry::evict_longest_waiting() {
  Connection* longest = nullptr;
  for (Connection* connection : connections_) {
    const auto& since = connection->waiting_since();
    if (!since || evicted_.count(connection) != 0) continue;
    if (!longest || *since < *longest->waiting_since()) longest = connection;
  }
  if (!longest) return false;
  evicted_.insert(longest);
  longest->close();
  return true;
}

void ConnectionRegistry::close_all() {
  // close() only cancels: connections leave the registry later, from their
  // completion handlers, so walking a copy is all the care this needs.
  const std::vector<Connection*> open(connections_.begin(), connections_.end());
  for (Connection* connection : open) connection->close();
}

ServerState::ServerState(HttpServerOptions options, RequestHandler handler)
    : options(sanitized(options)), gzip(this->options.gzip_level) {
  set_handler(std::move(handler));
}

void ServerState::set_handler(RequestHandler handler) {
  handler_ = std::make_shared<const RequestHandler>(std::move(handler));
}

}  // namespace gleaner::http
