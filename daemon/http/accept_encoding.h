#pragma once
// Content negotiation for gzip (RFC 9110, section 12.5.3): whether a request's
// Accept-Encoding fields allow a gzip-coded response.

#include <boost/beast/http/fields.hpp>
#include <string_view>

namespace gleaner::http {

// One Accept-Encoding field value, e.g. "br;q=1.0, gzip;q=0.8, *;q=0.1".
// gzip (or its alias x-gzip) is acceptable when listed with a q-value above
// zero, or, when not listed, when "*" is. "gzip;q=0" is a refusal. A value
// that does not parse counts as not listed.
bool accepts_gzip(std::string_view accept_encoding);

// The same over every Accept-Encoding field of a request, taken as one list.
bool accepts_gzip(const boost::beast::http::fields& headers);

}  // namespace gleaner::http
