#pragma once
// Beast's fields of a request seen as RequestHeaders (request_headers.h):
// how the server hands a request's fields to its handler. Only the
// server's own sources (and tests of them) include this: it brings Beast.

#include <boost/beast/http/fields.hpp>
#include <string_view>
#include <vector>

#include "daemon/http/request_headers.h"

namespace gleaner::http {

class BeastRequestHeaders final : public RequestHeaders {
 public:
  // `fields` must outlive this view.
  explicit BeastRequestHeaders(const boost::beast::http::fields& fields) : fields_(fields) {}

  std::vector<std::string_view> values(std::string_view name) const override {
    std::vector<std::string_view> found;
    const auto [first, last] = fields_.equal_range(name);
    for (auto it = first; it != last; ++it) found.push_back(it->value());
    return found;
  }

 private:
  const boost::beast::http::fields& fields_;
};

}  // namespace gleaner::http
