#pragma once
// gzip for response bodies. One compressor serves the whole server: it runs on
// the server's single thread, and keeping one zlib state (about 256 KiB) alive
// beats setting one up per response or keeping one per connection.
//
// The compressor writes raw deflate data and frames it in the gzip header
// and trailer itself. That lets a large part that many responses share (the
// collectors' series, between two runs) be compressed once, ending in a full
// flush; each response then compresses only what follows it, and the two
// join into one valid gzip member (the trailer's CRC-32 is combined).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gleaner::http {

// A part compressed once, to start many gzip members with.
struct GzipPrefix {
  std::string deflated;      // raw deflate blocks ending in a full flush; never final
  unsigned long crc = 0;     // CRC-32 of the uncompressed part (zlib's uLong)
  unsigned long length = 0;  // its uncompressed size
};

// Appends next to prefix: one part, the two compressed texts one after the
// other. Each ends in a full flush, so neither refers into the other.
void append(GzipPrefix& prefix, const GzipPrefix& next);

// The 10 bytes every member made here starts with (static storage).
std::string_view gzip_header();

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

  // The same for prefix's text followed by tail, compressing only tail.
  std::optional<std::string> compress(const GzipPrefix& prefix, std::string_view tail);

  // The end of that member: what follows gzip_header() and
  // prefix.deflated, which a response can then send as they are, shared.
  std::optional<std::string> compress_after(const GzipPrefix& prefix, std::string_view tail);

  // Compresses a part that responses will start with.
  std::optional<GzipPrefix> compress_prefix(std::string_view text);

 private:
  bool ensure_initialized();
  // Appends the raw deflate of input to out, with the given flush.
  bool deflate_into(std::string& out, std::string_view input, int flush);

  // zlib's state, known to gzip.cpp alone: no user of this header sees zlib.
  struct Deflater;

  int level_;
  std::unique_ptr<Deflater> deflater_;
};

}  // namespace gleaner::http
