#pragma once
// Waiting for a condition instead of sleeping: tests poll until something
// holds, with a deadline generous enough for a loaded 2-core machine.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <thread>

namespace gleaner::testing {

inline constexpr std::chrono::seconds kPatience{20};

// Runs the io_context until done() holds or the deadline passes.
template <typename Predicate>
bool run_until(boost::asio::io_context& io, Predicate done,
               std::chrono::steady_clock::duration patience = kPatience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    io.restart();
    io.run_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Polls done() (without an io_context) until it holds or the deadline passes.
// A costly done() (a scrape of megabytes) takes a longer poll_every, so
// that the polling does not starve what it waits for.
template <typename Predicate>
bool eventually(Predicate done, std::chrono::steady_clock::duration patience = kPatience,
                std::chrono::steady_clock::duration poll_every = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(poll_every);
  }
  return true;
}

}  // namespace gleaner::testing
