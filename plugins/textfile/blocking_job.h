#pragma once
// Work that may block in the kernel for as long as it likes (a read on a
// hung NFS mount cannot be interrupted), waited for by the daemon's loop
// for at most a limit.
//
// Not on CollectContext::off_loop: that one thread also parses every
// collector's large output, and one hung read would stall them all. Each
// job gets a thread of its own, started for it and detached; the loop polls
// a flag the thread sets when done (every 1 ms at first, doubling to 50 ms),
// so the thread never touches the loop's objects, which may be gone by
// then (a reload, the stop). When the limit passes the caller hears
// `timed_out` and goes on; the thread stays blocked until the kernel lets
// it go, and its result is then dropped. Until it has, every later job
// under the same key (the directory) is refused at once
// (`previous_still_running`) instead of starting another thread: one hung
// mount costs one thread, however many runs and reloads come meanwhile.
//
// The thread starts with every signal blocked, so that signals still reach
// the loop's thread.

#include <signal.h>

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

namespace gleaner::plugins::textfile {

enum class JobEnd {
  finished,                // the result is there
  timed_out,               // the limit passed; the thread goes on alone
  previous_still_running,  // an earlier job under the key has not returned yet
  cancelled,               // the run was cancelled (the stop, a reload)
  no_thread,               // no thread could be started
  failed,                  // the work threw (out of memory)
};

template <typename Result>
struct JobOutcome {
  JobEnd end = JobEnd::finished;
  Result result{};                                 // JobEnd::finished
  std::chrono::steady_clock::duration busy_for{};  // previous_still_running: since it started
};

template <typename Result>
class BlockingJobs {
 public:
  using Clock = std::chrono::steady_clock;

  // Runs work on a thread of its own unless a job under key still runs;
  // waits for it at most limit. The key is taken by value: the coroutine
  // starts suspended, after a caller's temporary would be gone.
  static boost::asio::awaitable<JobOutcome<Result>> run(std::string key, std::function<Result()> work,
                                                        Clock::duration limit) {
    namespace asio = boost::asio;
    using namespace std::chrono_literals;
    const auto deadline = Clock::now() + limit;
    JobOutcome<Result> outcome;
    std::shared_ptr<Job> job = claim(key, outcome.busy_for);
    if (!job) {
      outcome.end = JobEnd::previous_still_running;
      co_return outcome;
    }
    if (!start_thread(job, std::move(work))) {
      outcome.end = JobEnd::no_thread;
      co_return outcome;
    }
    asio::steady_timer timer(co_await asio::this_coro::executor);
    Clock::duration pause = 1ms;
    while (!job->finished.load(std::memory_order_acquire)) {
      const auto now = Clock::now();
      if (now >= deadline) {
        outcome.end = JobEnd::timed_out;
        co_return outcome;
      }
      timer.expires_after(std::min(pause, deadline - now));
      boost::system::error_code error;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        outcome.end = JobEnd::cancelled;
        co_return outcome;
      }
      pause = std::min<Clock::duration>(pause * 2, 50ms);
    }
    if (job->threw) {
      outcome.end = JobEnd::failed;
      co_return outcome;
    }
    outcome.result = std::move(job->result);
    co_return outcome;
  }

  // Whether a job under key still runs (for tests and messages).
  static bool running(const std::string& key) {
    std::lock_guard lock(registry().mutex);
    const auto found = registry().jobs.find(key);
    return found != registry().jobs.end() && !found->second->finished.load(std::memory_order_acquire);
  }

 private:
  struct Job {
    Clock::time_point started = Clock::now();
    std::atomic<bool> finished{false};
    Result result{};     // written by the thread before finished is set
    bool threw = false;  // likewise
  };
  struct Registry {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<Job>> jobs;  // the latest job of each key
  };
  static Registry& registry() {
    static Registry instance;
    return instance;
  }

  // A new job under key, or nullptr when the latest one has not finished.
  static std::shared_ptr<Job> claim(const std::string& key, Clock::duration& busy_for) {
    std::lock_guard lock(registry().mutex);
    auto& slot = registry().jobs[key];
    if (slot && !slot->finished.load(std::memory_order_acquire)) {
      busy_for = Clock::now() - slot->started;
      return nullptr;
    }
    slot = std::make_shared<Job>();
    return slot;
  }

  // Not a coroutine: the closure is built in an ordinary frame.
  static bool start_thread(const std::shared_ptr<Job>& job, std::function<Result()> work) {
    sigset_t all, previous;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_BLOCK, &all, &previous);
    bool started = true;
    try {
      std::thread([job, work = std::move(work)] {
        try {
          job->result = work();
        } catch (...) {
          job->threw = true;
        }
        job->finished.store(true, std::memory_order_release);
      }).detach();
    } catch (const std::system_error&) {
      started = false;
      job->finished.store(true, std::memory_order_release);  // frees the key
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return started;
  }
};

}  // namespace gleaner::plugins::textfile
