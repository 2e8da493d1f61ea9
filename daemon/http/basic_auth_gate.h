#pragma once
// Decides whether a request's credentials let it through, without ever
// making the io thread wait for bcrypt. Checks that are cheap (no
// credentials, a plain password, credentials whose bcrypt verdict is
// remembered, right or wrong) are answered at once; a bcrypt check goes to
// the worker thread and its answer comes back on the io thread.
//
// A flood of wrong passwords must not lock out the scraper: the verdicts
// are remembered across reloads that keep the password file (so a scraper
// already let in stays let in), and the places for pending checks are
// shared between clients (PendingPlaces: kMaxPendingChecks in all, a few
// per client address, some kept for a client with none), a client's first
// check running before the others. Beyond its places a request is answered
// `busy` at once, so a flood can neither grow memory nor fill every place.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "daemon/http/basic_auth_credentials.h"
#include "daemon/http/http_server.h"
#include "daemon/http/pending_places.h"
#include "daemon/http/remembered_verdicts.h"
#include "daemon/http/worker_thread.h"

namespace gleaner::http {

enum class AuthOutcome {
  allowed,
  no_credentials,     // no Authorization field, or not one of basic auth
  wrong_credentials,  // username or password wrong (which one is not told)
  busy,               // too many bcrypt checks pending to take another
};

class BasicAuthGate {
 public:
  static constexpr std::size_t kMaxPendingChecks = PendingPlaces::kTotal;

  BasicAuthGate() = default;
  ~BasicAuthGate();  // stop()
  BasicAuthGate(const BasicAuthGate&) = delete;
  BasicAuthGate& operator=(const BasicAuthGate&) = delete;

  // Called on the io thread, client being the peer's address (without its
  // port). Returns the outcome when it is known at once;
  // otherwise nothing, and later posts done(outcome) to executor, unless
  // the check is dropped (drop_pending(), stop()): then done is destroyed
  // without a call.
  std::optional<AuthOutcome> check(const std::shared_ptr<const BasicAuthCredentials>& credentials,
                                   std::string_view authorization, std::string_view client,
                                   const boost::asio::any_io_executor& executor,
                                   std::function<void(AuthOutcome)> done);

  // Drops the checks not started yet (their connections are being closed).
  void drop_pending();

  // Drops the checks not started yet and waits for the running one: after
  // this no answer is posted to any executor.
  void stop();

  AuthStatistics statistics() const;  // from any thread

 private:
  std::atomic<std::uint64_t> bcrypt_checks_{0};
  std::atomic<std::uint64_t> cache_hits_{0};
  std::atomic<std::uint64_t> refused_busy_{0};
  std::atomic<std::uint64_t> refused_credentials_{0};
  std::atomic<std::uint64_t> remembered_refusals_{0};
  bool stopped_ = false;
  // Here, not with the credentials, so that they outlive a reload.
  RememberedVerdicts verdicts_;
  // Before the worker: its jobs hold places, given back as they end.
  PendingPlaces places_;
  // Started at the first bcrypt check: a server without a bcrypt hash runs
  // no thread. Destroyed (joined) before the counters it updates.
  std::unique_ptr<WorkerThread> worker_;
  std::atomic<WorkerThread*> worker_for_statistics_{nullptr};
};

}  // namespace gleaner::http
