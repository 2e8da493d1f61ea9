#include "daemon/http/http_date.h"

#include <cstdio>

namespace gleaner::http {

std::string_view HttpDateCache::now() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t second = std::time(nullptr);
  if (second != formatted_second_) {
    std::tm utc{};
    gmtime_r(&second, &utc);
    const int written = std::snprintf(text_.data(), text_.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                      kDays[utc.tm_wday], utc.tm_mday, kMonths[utc.tm_mon],
                                      utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    size_ = written > 0 ? static_cast<std::size_t>(written) : 0;
    formatted_second_ = second;
  }
  return {text_.data(), size_};
}

}  // namespace gleaner::http
