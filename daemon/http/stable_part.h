#pragma once
// The start of a response body that stays the same across many requests
// (the collectors' series, between two runs), kept with its compressed form
// so that each request only adds, and compresses, what follows it.
//
// The compressed form is made of chunks compressed one by one, cut where the
// text itself says (see split_into_chunks), so that the next version of the
// text reuses every chunk that did not change: when one collector of many
// publishes, only the chunks holding its series are compressed again.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/http/gzip.h"

namespace gleaner::http {

// Cuts text into chunks at line ends. A chunk ends after a line when it
// holds at least kMinChunkBytes and the line's last bytes hash to a chosen
// value, or when it reaches kMaxChunkBytes: cuts depend on the lines around
// them only, so a change moves the cuts near it and no others.
std::vector<std::string_view> split_into_chunks(std::string_view text);
inline constexpr std::size_t kMinChunkBytes = 4 * 1024;
inline constexpr std::size_t kMaxChunkBytes = 256 * 1024;

class StablePart {
 public:
  // previous: the part this one replaces, whose compressed chunks are
  // reused where the text is the same.
  explicit StablePart(std::shared_ptr<const std::string> text, std::shared_ptr<const StablePart> previous = nullptr);

  const std::string& text() const { return *text_; }

  // The compressed form, made with the server's compressor the first time a
  // client asks for gzip, and kept. Single thread: the server's.
  const GzipPrefix* gzip(GzipCompressor& compressor) const;

  // After gzip(): how many chunks there are, and how many were taken from
  // the previous part rather than compressed again.
  std::size_t chunk_count() const { return chunks_.size(); }
  std::size_t chunks_reused() const { return reused_; }

 private:
  struct Chunk {
    std::string_view text;  // into text_
    GzipPrefix compressed;
  };

  std::shared_ptr<const std::string> text_;
  // The latest earlier part that has its chunks, until this one has its own.
  mutable std::shared_ptr<const StablePart> reuse_from_;
  mutable bool tried_ = false;
  mutable std::vector<Chunk> chunks_;
  mutable std::size_t reused_ = 0;
  mutable std::optional<GzipPrefix> gzip_;
};

}  // namespace gleaner::http
