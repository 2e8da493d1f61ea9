#pragma once
// The first runs of collectors that start together (every collector at
// start-up, the new and changed ones at a reload) begin in configuration
// order as places free up, at most `limits.max_concurrent` under way at
// once, instead of all at once (README "Scheduling").
//
// Why not let them all start and wait in the ProcessRunner's queue, as
// before: a run waiting there for its command's place has already made its
// coroutine frames, some 4 KiB with the exec plugin. 1,000 collectors
// starting together held about 4 MB of them while their commands went
// through 16 places, and the heap could not give that back afterwards: what
// lives on (each collector's first series) had been allocated among them
// (README "Performance").

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>

namespace gleaner::daemon {

class FirstRunQueue {
 public:
  // Begins a first run and calls `ended` once when it is over, however it
  // ends; returns false, without calling it, when there is nothing to run
  // (the collector was stopped while it waited).
  using Start = std::function<bool(std::function<void()> ended)>;

  FirstRunQueue();

  // How many first runs may be under way at once (at least 1).
  void set_places(std::size_t places);
  void push(Start start);
  // Forgets the runs still waiting (the scheduler is stopping).
  void clear();
  std::size_t waiting() const { return state_->waiting.size(); }

 private:
  struct State {
    std::size_t places = 1;
    std::size_t under_way = 0;
    bool pumping = false;
    std::deque<Start> waiting;
  };
  static void pump(const std::shared_ptr<State>& state);

  // Shared with the `ended` callbacks, which may come after the queue is
  // gone (a run cancelled while the daemon stops): they hold it weakly.
  std::shared_ptr<State> state_;
};

}  // namespace gleaner::daemon
