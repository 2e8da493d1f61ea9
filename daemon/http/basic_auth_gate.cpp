#include "daemon/http/basic_auth_gate.h"

#include <boost/asio/post.hpp>
#include <system_error>
#include <utility>

namespace gleaner::http {

BasicAuthGate::~BasicAuthGate() { stop(); }

std::optional<AuthOutcome> BasicAuthGate::check(const std::shared_ptr<const BasicAuthCredentials>& credentials,
                                                std::string_view authorization, std::string_view client,
                                                const boost::asio::any_io_executor& executor,
                                                std::function<void(AuthOutcome)> done) {
  std::optional<PresentedCredentials> presented = parse_basic_authorization(authorization);
  if (!presented) {
    refused_credentials_.fetch_add(1, std::memory_order_relaxed);
    return AuthOutcome::no_credentials;
  }
  switch (credentials->check_quickly(*presented)) {
    case BasicAuthCredentials::QuickVerdict::accepted:
      return AuthOutcome::allowed;
    case BasicAuthCredentials::QuickVerdict::rejected:
      refused_credentials_.fetch_add(1, std::memory_order_relaxed);
      return AuthOutcome::wrong_credentials;
    case BasicAuthCredentials::QuickVerdict::needs_bcrypt:
      break;
  }
  switch (verdicts_.recall(credentials->fingerprint(), *presented)) {
    case RememberedVerdicts::Verdict::accepted:
      cache_hits_.fetch_add(1, std::memory_order_relaxed);
      return AuthOutcome::allowed;
    case RememberedVerdicts::Verdict::refused:
      remembered_refusals_.fetch_add(1, std::memory_order_relaxed);
      refused_credentials_.fetch_add(1, std::memory_order_relaxed);
      return AuthOutcome::wrong_credentials;
    case RememberedVerdicts::Verdict::unknown:
      break;
  }

  std::shared_ptr<PendingPlaces::Place> place = places_.take(client);
  if (!place) {
    refused_busy_.fetch_add(1, std::memory_order_relaxed);
    return AuthOutcome::busy;
  }
  const bool first_of_its_client = place->first_of_its_client();

  if (!worker_ && !stopped_) {
    try {
      worker_ = std::make_unique<WorkerThread>(kMaxPendingChecks);
      worker_for_statistics_.store(worker_.get(), std::memory_order_release);
    } catch (const std::system_error&) {
      // No thread to be had now (a process or memory limit): like a full queue.
    }
  }
  // The job holds the place until it ends (or is dropped).
  auto job = [this, credentials, presented = std::move(*presented), executor, done = std::move(done),
              place = std::move(place)]() mutable {
    // An answer goes back whatever happens here: were done destroyed on
    // this thread instead, the connection could end on the wrong thread.
    bool accepted = false;
    try {
      accepted = credentials->check_with_bcrypt(presented);
      // Only a verdict bcrypt gave is remembered, not a failure to ask it.
      verdicts_.remember(credentials->fingerprint(), presented, accepted);
    } catch (...) {
    }
    bcrypt_checks_.fetch_add(1, std::memory_order_relaxed);
    if (!accepted) refused_credentials_.fetch_add(1, std::memory_order_relaxed);
    // done goes with the post, so that this thread never drops the last
    // reference to anything the io thread owns (such as the connection).
    boost::asio::post(executor, [done = std::move(done), accepted] {
      done(accepted ? AuthOutcome::allowed : AuthOutcome::wrong_credentials);
    });
  };
  // A client's first check goes ahead of the others: a scraper's waits
  // behind no flood, a flooding client's next checks behind its own.
  if (worker_ && worker_->try_post(std::move(job), first_of_its_client)) return std::nullopt;
  refused_busy_.fetch_add(1, std::memory_order_relaxed);
  return AuthOutcome::busy;
}

void BasicAuthGate::drop_pending() {
  if (worker_) worker_->drop_waiting();
}

void BasicAuthGate::stop() {
  stopped_ = true;
  if (worker_) worker_->stop();
}

AuthStatistics BasicAuthGate::statistics() const {
  const WorkerThread* worker = worker_for_statistics_.load(std::memory_order_acquire);
  return AuthStatistics{
      .bcrypt_checks = bcrypt_checks_.load(std::memory_order_relaxed),
      .cache_hits = cache_hits_.load(std::memory_order_relaxed),
      .refused_credentials = refused_credentials_.load(std::memory_order_relaxed),
      .refused_busy = refused_busy_.load(std::memory_order_relaxed),
      .remembered_refusals = remembered_refusals_.load(std::memory_order_relaxed),
      .pending_checks = worker != nullptr ? worker->pending() : 0,
  };
}

}  // namespace gleaner::http
