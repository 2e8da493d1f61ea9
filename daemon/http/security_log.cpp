#include "daemon/http/security_log.h"

#include <spdlog/spdlog.h>

namespace gleaner::http {

void SecurityLog::refused(AuthOutcome outcome, std::string_view method, std::string_view target,
                          std::string_view remote) {
  switch (outcome) {
    case AuthOutcome::allowed:
      return;
    case AuthOutcome::no_credentials:
    case AuthOutcome::wrong_credentials:
      if (const auto count = refused_credentials_.admit()) {
        spdlog::warn(
            "HTTP: refused {} request(s) without valid basic auth credentials since the last warning; "
            "the latest: {} {} from {}, {}",
            *count, method, target, remote,
            outcome == AuthOutcome::no_credentials ? "which sent no basic auth credentials"
                                                   : "whose username or password is wrong");
      }
      return;
    case AuthOutcome::busy:
      if (const auto count = refused_busy_.admit()) {
        spdlog::warn(
            "HTTP: answered 503 to {} request(s) since the last warning because their client address already "
            "had {} password checks pending, or no place of the {} was free to it (a flood of guesses?); the "
            "latest: {} {} from {}",
            *count, PendingPlaces::kPerClient, PendingPlaces::kTotal, method, target, remote);
      }
      return;
  }
}

void SecurityLog::handshake_failed(const boost::system::error_code& error, std::string_view remote) {
  if (const auto count = handshake_failed_.admit()) {
    spdlog::warn("HTTP: {} TLS handshake(s) failed since the last warning; the latest, with {}: {}", *count, remote,
                 error.message());
  }
}

void SecurityLog::client_certificate_refused(std::string_view reason, std::string_view remote) {
  if (const auto count = client_certificate_refused_.admit()) {
    spdlog::warn("HTTP: {} TLS connection(s) refused after the handshake since the last warning; the latest, with "
                 "{}: {}",
                 *count, remote, reason);
  }
}

void SecurityLog::plain_http_on_tls_port(std::string_view remote) {
  if (const auto count = plain_http_.admit()) {
    spdlog::warn(
        "HTTP: {} client(s) spoke plain HTTP to the TLS port since the last warning (answered 400); "
        "the latest: {}",
        *count, remote);
  }
}

}  // namespace gleaner::http
