#pragma once
// Warnings about refused clients (wrong credentials, failed TLS
// handshakes), which any client can cause at will: each kind is logged at
// most once a minute, with how many it stands for and the latest case.

#include <boost/system/error_code.hpp>
#include <string_view>

#include "daemon/http/basic_auth_gate.h"
#include "daemon/http/log_throttle.h"

namespace gleaner::http {

class SecurityLog {
 public:
  void refused(AuthOutcome outcome, std::string_view method, std::string_view target, std::string_view remote);
  void handshake_failed(const boost::system::error_code& error, std::string_view remote);
  void plain_http_on_tls_port(std::string_view remote);
  void client_certificate_refused(std::string_view reason, std::string_view remote);

 private:
  LogThrottle refused_credentials_;
  LogThrottle refused_busy_;
  LogThrottle handshake_failed_;
  LogThrottle plain_http_;
  LogThrottle client_certificate_refused_;
};

}  // namespace gleaner::http
