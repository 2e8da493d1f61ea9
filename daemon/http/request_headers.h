#pragma once
// A request's header fields as a request handler sees them (http_server.h):
// looked up by name, without the HTTP library's types, which stay inside
// the server.

#include <string_view>
#include <vector>

namespace gleaner::http {

class RequestHeaders {
 public:
  // The value of every field called `name` (compared without case), in the
  // order the client sent them; none when it sent none.
  virtual std::vector<std::string_view> values(std::string_view name) const = 0;

 protected:
  ~RequestHeaders() = default;
};

}  // namespace gleaner::http
