#pragma once
// The Date header (RFC 9110, section 6.6.1), which an origin server with a
// clock must send. Formatted at most once a second, and without the C
// locale's help: day and month names are fixed by the RFC.

#include <array>
#include <ctime>
#include <string_view>

namespace gleaner::http {

class HttpDateCache {
 public:
  // "Sun, 06 Nov 1994 08:49:37 GMT"; valid until the next call.
  std::string_view now();

 private:
  std::time_t formatted_second_ = -1;
  std::array<char, 32> text_{};
  std::size_t size_ = 0;
};

}  // namespace gleaner::http
