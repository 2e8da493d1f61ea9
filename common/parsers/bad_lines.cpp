#include "common/parsers/bad_lines.h"

namespace gleaner::parsers {

bool BadLines::skip(const std::string& message) {
  if (mode_ == OnError::fail) return false;
  if (count_++ == 0) first_ = message;
  if (message.find(kDuplicateSeries) != std::string::npos) ++duplicates_;
  return true;
}

ParseOutput BadLines::finish(metrics::Families families) {
  if (count_ > 0 && families.empty()) {
    if (count_ == 1) return ParseOutput::failure(std::move(first_));
    return ParseOutput::failure(first_ + " (and " + std::to_string(count_ - 1) +
                                " more bad lines; nothing could be read)");
  }
  return ParseOutput{std::move(families), {}, count_, std::move(first_), duplicates_};
}

}  // namespace gleaner::parsers
