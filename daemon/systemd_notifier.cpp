#include "daemon/systemd_notifier.h"

#include <time.h>

#include <cstdint>

#include "daemon/systemd_protocol.h"

namespace gleaner::daemon {

SystemdNotifier::SystemdNotifier(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {
  // Unset when it does not apply to this process (e.g. WATCHDOG_PID is another's).
  if (const auto interval = systemd::watchdog_interval()) watchdog_interval_ = *interval;
}

void SystemdNotifier::notify(const std::string& message) { systemd::notify(message); }

void SystemdNotifier::ready(const std::string& status) { notify("READY=1\nSTATUS=" + status); }

void SystemdNotifier::reloading() {
  // MONOTONIC_USEC lets systemd tell this reload from an earlier one.
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const auto usec = static_cast<std::uint64_t>(now.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(now.tv_nsec) / 1000;
  notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void SystemdNotifier::stopping() { notify("STOPPING=1"); }

void SystemdNotifier::start_watchdog() {
  if (watchdog_interval_.count() <= 0 || watching_) return;
  watching_ = true;
  ping();
}

void SystemdNotifier::stop_watchdog() {
  watching_ = false;
  timer_.cancel();
}

// Each ping is sent by a timer on the event loop, so pings stop exactly when
// the loop stops turning.
void SystemdNotifier::ping() {
  if (!watching_) return;
  notify("WATCHDOG=1");
  timer_.expires_after(watchdog_interval_ / 2);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) ping();
  });
}

}  // namespace gleaner::daemon
