#pragma once
// Content negotiation for the exposition (README "What it serves"): the
// Accept field picks the Prometheus text format 0.0.4 or OpenMetrics, by
// the rule of Prometheus's Go client (client_golang's expfmt, the
// NegotiateIncludingOpenMetrics function):
//  - every element is a media range with parameters; the elements are
//    taken by weight (q), highest first, and among equal weights in the
//    order they were sent;
//  - the first that names a format gleaner writes decides:
//    `text/plain` without a version or with version=0.0.4, or
//    `application/openmetrics-text` without a version or with version
//    0.0.1 or 1.0.0 (the answer names the version asked, 0.0.1 when none);
//  - anything else (no Accept, `*/*`, other types or versions, or
//    elements that do not parse) leaves the text format, the default.
// Where it differs from that function, RFC 9110 is followed: q=0 means
// "not acceptable", a malformed q skips its element rather than making it
// the least wanted, media types and parameter names are compared without
// case, quoted parameter values are read, and several Accept fields are
// one list. Other parameters (charset, escaping=…) do not change the
// choice. Equal weights go by the order sent: Go sorts lists of up to 12
// elements stably, which is every list a scraper sends.
//
// Prometheus 3's `escaping=` (allow-utf-8, underscores, dots, values) is
// answered as client_golang answers it: the scheme named by the element
// that decides, or by the last element preferred to it that named one
// (Go keeps the last it read while looking), is added to Content-Type
// (`; escaping=dots`); another value is ignored. No scheme asked, none is
// said. The names written are the same under every scheme: they are all
// valid under the classic rules (`[a-zA-Z_:][a-zA-Z0-9_:]*`), and
// client_golang's EscapeMetricFamily escapes only names that are not, so
// even `dots`, which would double underscores in a name it escapes, leaves
// them as they are.

#include <string>
#include <string_view>

#include "daemon/http/request_headers.h"

namespace gleaner::http {

enum class ExpositionFormat { prometheus_text, openmetrics };

struct NegotiatedExposition {
  ExpositionFormat format = ExpositionFormat::prometheus_text;
  std::string content_type;  // with `; escaping=…` when one was asked
};

inline constexpr std::string_view kPrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::string_view kOpenMetrics1ContentType =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";
inline constexpr std::string_view kOpenMetrics001ContentType =
    "application/openmetrics-text; version=0.0.1; charset=utf-8";

// One Accept field value, e.g. Prometheus 2's
// "application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,*/*;q=0.1".
NegotiatedExposition negotiate_exposition(std::string_view accept);

// The same over every Accept field of a request, taken as one list.
NegotiatedExposition negotiate_exposition(const RequestHeaders& headers);

}  // namespace gleaner::http
