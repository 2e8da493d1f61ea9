#pragma once
// The response headers a web configuration file may set
// (http_server_config.headers): exporter-toolkit's set, with its rules, so
// that one file means the same to gleaner and to every Prometheus
// exporter:
//
//   Strict-Transport-Security   any value
//   X-Content-Type-Options      nosniff
//   X-Frame-Options             deny or sameorigin
//   X-XSS-Protection            any value
//   Content-Security-Policy     any value
//
// Names are matched as written (exporter-toolkit's are case-sensitive).
// A value must also be one line of visible text: a line break would let a
// value add header fields of its own.

#include <string>
#include <string_view>

namespace gleaner::http {

// "" when the header may be set to value, else why not.
std::string check_response_header(std::string_view name, std::string_view value);

}  // namespace gleaner::http
