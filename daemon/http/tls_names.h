#pragma once
// exporter-toolkit's names for TLS settings (Go's crypto/tls names, as
// web-config.yml spells them) and what OpenSSL calls the same thing.

#include <optional>
#include <string>
#include <string_view>

namespace gleaner::http {

// "TLS10" … "TLS13" as OpenSSL's protocol version (TLS1_2_VERSION, …).
std::optional<int> tls_version_by_name(std::string_view name);

struct CipherSuiteName {
  // OpenSSL's name of a TLS 1.2 (or older) suite; empty for a TLS 1.3 suite,
  // which Go's crypto/tls accepts in cipher_suites but does not let anyone
  // configure, and neither does gleaner.
  std::string openssl;
};

// A name from Go's tls.CipherSuites(), the list exporter-toolkit accepts:
// "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" gives "ECDHE-RSA-AES128-GCM-SHA256".
std::optional<CipherSuiteName> cipher_suite_by_name(std::string_view name);

// "CurveP256", "CurveP384", "CurveP521", "X25519" as OpenSSL's group name.
std::optional<std::string> curve_by_name(std::string_view name);

}  // namespace gleaner::http
