#pragma once
// Decides whether a request's credentials let it through, without ever
// making the io thread wait for bcrypt. Checks that are cheap (no
// credentials, a plain password, credentials that recently passed) are
// answered at once; a bcrypt check goes to the worker thread and its answer
// comes back on the io thread. At most kMaxPendingChecks checks wait or run:
// beyond that a request is answered `busy` at once, so a flood of guesses
// can neither grow memory nor delay a scraper whose credentials are cached.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "http/basic_auth_credentials.h"
#include "http/http_server.h"
#include "http/worker_thread.h"

namespace gleaner::http {

enum class AuthOutcome {
  allowed,
  no_credentials,     // no Authorization field, or not one of basic auth
  wrong_credentials,  // username or password wrong (which one is not told)
  busy,               // too many bcrypt checks pending to take another
};

class BasicAuthGate {
 public:
  static constexpr std::size_t kMaxPendingChecks = 16;

  BasicAuthGate() = default;
  ~BasicAuthGate();  // stop()
  BasicAuthGate(const BasicAuthGate&) = delete;
  BasicAuthGate& operator=(const BasicAuthGate&) = delete;

  // Called on the io thread. Returns the outcome when it is known at once;
  // otherwise nothing, and later posts done(outcome) to executor, unless
  // the check is dropped (drop_pending(), stop()): then done is destroyed
  // without a call.
  std::optional<AuthOutcome> check(const std::shared_ptr<const BasicAuthCredentials>& credentials,
                                   std::string_view authorization, const boost::asio::any_io_executor& executor,
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
  bool stopped_ = false;
  // Started at the first bcrypt check: a server without a bcrypt hash runs
  // no thread. Destroyed (joined) before the counters it updates.
  std::unique_ptr<WorkerThread> worker_;
  std::atomic<WorkerThread*> worker_for_statistics_{nullptr};
};

}  // namespace gleaner::http
