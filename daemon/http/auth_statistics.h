#pragma once
// What basic auth has done since the start, as HttpServer::auth_statistics()
// reports it: gleaner's own metrics (README "Metrics about gleaner itself")
// and tests read it. A header of its own, so that its readers need none of
// the server's types.

#include <cstddef>
#include <cstdint>

namespace gleaner::http {

struct AuthStatistics {
  std::uint64_t bcrypt_checks = 0;        // bcrypt hashes computed, each tens of ms on the worker thread
  std::uint64_t cache_hits = 0;           // requests let in by credentials that recently passed bcrypt
  std::uint64_t refused_credentials = 0;  // requests answered 401
  std::uint64_t refused_busy = 0;         // requests answered 503: too many bcrypt checks pending
  std::uint64_t remembered_refusals = 0;  // requests answered 401 at once: the same wrong credentials failed recently
  std::size_t pending_checks = 0;         // bcrypt checks waiting or running now
};

}  // namespace gleaner::http
