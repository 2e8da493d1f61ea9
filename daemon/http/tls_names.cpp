#include "daemon/http/tls_names.h"

#include <openssl/ssl.h>

#include <array>
#include <utility>

namespace gleaner::http {

std::optional<int> tls_version_by_name(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, int>, 4> kVersions = {{
      {"TLS10", TLS1_VERSION},
      {"TLS11", TLS1_1_VERSION},
      {"TLS12", TLS1_2_VERSION},
      {"TLS13", TLS1_3_VERSION},
  }};
  for (const auto& [go_name, version] : kVersions) {
    if (name == go_name) return version;
  }
  return std::nullopt;
}

std::optional<CipherSuiteName> cipher_suite_by_name(std::string_view name) {
  // Go's tls.CipherSuites(): the suites it does not call insecure.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kSuites = {{
      {"TLS_AES_128_GCM_SHA256", ""},
      {"TLS_AES_256_GCM_SHA384", ""},
      {"TLS_CHACHA20_POLY1305_SHA256", ""},
      {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
      {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
      {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
      {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
      {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
      {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
      {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
      {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
      {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
  }};
  for (const auto& [go_name, openssl_name] : kSuites) {
    if (name == go_name) return CipherSuiteName{std::string(openssl_name)};
  }
  return std::nullopt;
}

std::optional<std::string> curve_by_name(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kCurves = {{
      {"CurveP256", "P-256"},
      {"CurveP384", "P-384"},
      {"CurveP521", "P-521"},
      {"X25519", "X25519"},
  }};
  for (const auto& [go_name, group] : kCurves) {
    if (name == go_name) return std::string(group);
  }
  return std::nullopt;
}

}  // namespace gleaner::http
