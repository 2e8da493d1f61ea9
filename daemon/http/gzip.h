#pragma once
// gzip for response bodies. One compressor serves the whole server: it runs on
// the server's single thread, and keeping one zlib state (about 256 KiB) alive
// beats setting one up per response or keeping one per connection.

#include <zlib.h>

#include <optional>
#include <string>
#include <string_view>

namespace gleaner::http {

class GzipCompressor {
 public:
  // level: 1 (fastest) to 9 (smallest).
  explicit GzipCompressor(int level);
  ~GzipCompressor();
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  // A complete gzip member holding input; nothing if zlib could not do it
  // (out of memory, or an input beyond zlib's 4 GiB), and the caller then
  // sends the body as it is.
  std::optional<std::string> compress(std::string_view input);

 private:
  bool ensure_initialized();

  int level_;
  bool initialized_ = false;
  z_stream stream_{};
};

}  // namespace gleaner::http
