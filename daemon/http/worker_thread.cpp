#include "daemon/http/worker_thread.h"

#include <pthread.h>
#include <signal.h>

namespace gleaner::http {
namespace {

// A new thread inherits the signal mask of the thread that creates it:
// block everything around its creation, and restore the mask however the
// creation ends.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t all{};
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous_);
  }
  ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  sigset_t previous_{};
};

std::thread start_with_signals_blocked(std::function<void()> body) {
  const SignalsBlocked blocked;
  return std::thread(std::move(body));
}

}  // namespace

WorkerThread::WorkerThread(std::size_t capacity)
    : capacity_(capacity), thread_(start_with_signals_blocked([this] { run(); })) {}

WorkerThread::~WorkerThread() { stop(); }

bool WorkerThread::try_post(std::function<void()> job, bool ahead) {
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_ && waiting_.size() + (running_job_ ? 1 : 0) < capacity_) {
      if (ahead) {
        waiting_.insert(waiting_.begin() + static_cast<std::ptrdiff_t>(waiting_ahead_), std::move(job));
        ++waiting_ahead_;
      } else {
        waiting_.push_back(std::move(job));
      }
      wake_.notify_one();
      return true;
    }
  }
  return false;  // job is destroyed here, outside the lock
}

void WorkerThread::drop_waiting() {
  std::deque<std::function<void()>> dropped;
  {
    const std::lock_guard lock(mutex_);
    dropped.swap(waiting_);
    waiting_ahead_ = 0;
  }
}

void WorkerThread::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  drop_waiting();
  if (thread_.joinable()) thread_.join();
}

std::size_t WorkerThread::pending() const {
  const std::lock_guard lock(mutex_);
  return waiting_.size() + (running_job_ ? 1 : 0);
}

void WorkerThread::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (stopping_) return;
    std::function<void()> job = std::move(waiting_.front());
    waiting_.pop_front();
    if (waiting_ahead_ > 0) --waiting_ahead_;
    running_job_ = true;
    lock.unlock();
    try {
      job();
    } catch (...) {
      // Nothing to report to: the job's own state (and whoever waits on it)
      // goes with it.
    }
    job = nullptr;  // what it owns is released before the next job, outside the lock
    lock.lock();
    running_job_ = false;
  }
}

}  // namespace gleaner::http
