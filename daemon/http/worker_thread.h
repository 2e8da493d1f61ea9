#pragma once
// One thread that runs jobs in order, for work too slow for the io thread
// (bcrypt). Its queue is bounded: a job beyond the bound is refused at
// once, so a flood of work cannot grow memory or the wait without limit.
// The thread blocks every signal, so that signals reach the threads that
// handle them.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gleaner::http {

class WorkerThread {
 public:
  // capacity: jobs waiting or running at most.
  explicit WorkerThread(std::size_t capacity);
  ~WorkerThread();  // stop()
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  // Queues job; false (and job is dropped) when capacity jobs are already
  // waiting or running, or after stop(). A job that throws is abandoned.
  // A job posted ahead runs before the waiting jobs that were not (in
  // order among those posted ahead): for work that must not wait behind a
  // flood of other work.
  bool try_post(std::function<void()> job, bool ahead = false);

  // Jobs not started yet are destroyed, on the caller's thread and outside
  // the lock (so that they may own things whose destructors post jobs).
  void drop_waiting();

  // drop_waiting(), then waits for the running job to end; try_post()
  // refuses everything afterwards.
  void stop();

  // Jobs waiting or running now.
  std::size_t pending() const;

 private:
  void run();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> waiting_;
  std::size_t waiting_ahead_ = 0;  // the first ones of waiting_ were posted ahead
  bool running_job_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace gleaner::http
