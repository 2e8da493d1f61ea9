#pragma once
// The start of a response body that stays the same across many requests
// (the collectors' series, between two runs), kept with its compressed form
// so that each request only adds, and compresses, what follows it.

#include <memory>
#include <optional>
#include <string>

#include "http/gzip.h"

namespace gleaner::http {

class StablePart {
 public:
  explicit StablePart(std::shared_ptr<const std::string> text) : text_(std::move(text)) {}

  const std::string& text() const { return *text_; }

  // The compressed form, made with the server's compressor the first time a
  // client asks for gzip, and kept. Single thread: the server's.
  const GzipPrefix* gzip(GzipCompressor& compressor) const {
    if (!tried_) {
      tried_ = true;
      gzip_ = compressor.compress_prefix(*text_);
    }
    return gzip_ ? &*gzip_ : nullptr;
  }

 private:
  std::shared_ptr<const std::string> text_;
  mutable bool tried_ = false;
  mutable std::optional<GzipPrefix> gzip_;
};

}  // namespace gleaner::http
