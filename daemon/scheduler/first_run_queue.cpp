#include "daemon/scheduler/first_run_queue.h"

#include <algorithm>

namespace gleaner::daemon {

FirstRunQueue::FirstRunQueue() : state_(std::make_shared<State>()) {}

void FirstRunQueue::set_places(std::size_t places) {
  state_->places = std::max<std::size_t>(places, 1);
  pump(state_);
}

void FirstRunQueue::push(Start start) {
  state_->waiting.push_back(std::move(start));
  pump(state_);
}

void FirstRunQueue::clear() { state_->waiting.clear(); }

// A run may end before its start returns (nothing to wait for), and its
// `ended` would then start the next from inside this loop, and so on, one
// stack frame per collector: the flag keeps it to this one loop.
void FirstRunQueue::pump(const std::shared_ptr<State>& state) {
  if (state->pumping) return;
  state->pumping = true;
  while (state->under_way < state->places && !state->waiting.empty()) {
    auto start = std::move(state->waiting.front());
    state->waiting.pop_front();
    ++state->under_way;
    const bool started = start([weak = std::weak_ptr<State>(state)] {
      const auto owner = weak.lock();
      if (!owner) return;
      --owner->under_way;
      pump(owner);
    });
    if (!started) --state->under_way;
  }
  state->pumping = false;
}

}  // namespace gleaner::daemon
