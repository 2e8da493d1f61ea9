#pragma once
// One thread for work too heavy for the daemon's loop: parsing and
// admitting a collector's very large result (a million series takes
// seconds, during which no scrape, timer or other collector would be
// served). Only pure work goes there: text in, families or serialised
// series out, nothing shared; the result comes back to the loop.
//
// The thread blocks every signal, so that signals reach the loop's thread.

#include <signal.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>

namespace gleaner::daemon {

class OffLoopWorker {
 public:
  OffLoopWorker();
  ~OffLoopWorker();  // waits for the job running, drops the rest
  OffLoopWorker(const OffLoopWorker&) = delete;
  OffLoopWorker& operator=(const OffLoopWorker&) = delete;

  boost::asio::any_io_executor executor() { return pool_.get_executor(); }

 private:
  struct SignalsBlocked {
    SignalsBlocked();
    void restore();
    sigset_t previous;
  };
  SignalsBlocked blocked_while_starting_;  // before pool_: it is made first
  boost::asio::thread_pool pool_;
};

// Results larger than these are worked on off the loop; smaller ones cost
// less than the two thread hops would.
inline constexpr std::size_t kOffLoopSeries = 20'000;

}  // namespace gleaner::daemon
