#pragma once
// systemd's interfaces to a service, spoken directly rather than through
// libsystemd: each is a documented, stable protocol of a few lines
// (sd_notify(3), sd_listen_fds(3), sd_watchdog_enabled(3)), while linking
// libsystemd maps it and the libraries it pulls in (libgcrypt,
// libgpg-error, liblz4, liblzma, libzstd, libcap): about 1 MiB of resident
// memory for these few calls (README "Performance").

#include <chrono>
#include <optional>
#include <string_view>

namespace gleaner::daemon::systemd {

// The first descriptor systemd passes (SD_LISTEN_FDS_START).
inline constexpr int kListenFdsStart = 3;

// Sends message to the socket in NOTIFY_SOCKET (a path, or "@name" in the
// abstract namespace), as sd_notify(0, message) does. Without the variable
// (not started by systemd) or on any error: nothing.
void notify(std::string_view message);

// The watchdog interval systemd asked for (WATCHDOG_USEC), when it applies
// to this process (WATCHDOG_PID unset or this process's), as
// sd_watchdog_enabled(0, ...) gives it.
std::optional<std::chrono::microseconds> watchdog_interval();

// How many descriptors systemd passed (LISTEN_FDS, from kListenFdsStart
// on) when LISTEN_PID is this process, each made close-on-exec; 0 when none
// were; -errno when the variables cannot be read. LISTEN_PID, LISTEN_FDS and
// LISTEN_FDNAMES are removed from the environment in every case, as
// sd_listen_fds(1) does.
int take_listen_fds();

// What fd is, as sd_is_socket(3) tells it: type 0 for any, listening -1
// for either.
bool is_socket(int fd, int type, int listening);       // of any family
bool is_inet_socket(int fd, int type, int listening);  // IPv4 or IPv6
bool is_unix_socket(int fd);

}  // namespace gleaner::daemon::systemd
