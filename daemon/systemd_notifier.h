#pragma once
// Telling systemd how the daemon is doing (sd_notify(3), spoken by
// systemd_protocol.h): READY=1 once it listens and its collectors are
// scheduled, RELOADING=1 … READY=1 around a reload, STOPPING=1 at the end,
// and WATCHDOG=1 pings from the event loop itself, so that a wedged loop
// stops the pings and systemd restarts us.
// Without NOTIFY_SOCKET (not started by systemd) every call does nothing.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>

namespace gleaner::daemon {

class SystemdNotifier {
 public:
  explicit SystemdNotifier(boost::asio::any_io_executor executor);

  void ready(const std::string& status);
  void reloading();
  void stopping();

  // Starts pinging at half the interval systemd asked for (WATCHDOG_USEC).
  void start_watchdog();
  void stop_watchdog();

 private:
  void notify(const std::string& message);
  void ping();

  boost::asio::steady_timer timer_;
  std::chrono::microseconds watchdog_interval_{0};
  bool watching_ = false;
};

}  // namespace gleaner::daemon
