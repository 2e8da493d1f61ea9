#include "daemon/http/stable_part.h"

#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace gleaner::http {
namespace {

// About one line in kCutEvery ends a chunk (some 50 KB of series). The
// hash covers the line's last bytes (its labels' end and its value), which
// is enough to tell lines apart and cheap on lines of any length. The
// minimum size is small next to that on purpose: a cut skipped because its
// chunk is too short makes the cuts after it depend on where the chunk
// began, and a change would then move cuts far past it.
constexpr std::uint64_t kCutEvery = 512;
constexpr std::size_t kHashedBytes = 32;

bool cut_after(std::string_view line) {
  const std::string_view end = line.substr(line.size() > kHashedBytes ? line.size() - kHashedBytes : 0);
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
  for (unsigned char c : end) hash = (hash ^ c) * 1099511628211ull;
  return hash % kCutEvery == 0;
}

}  // namespace

std::vector<std::string_view> split_into_chunks(std::string_view text) {
  std::vector<std::string_view> chunks;
  std::size_t chunk_start = 0;
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    const void* newline = std::memchr(text.data() + line_start, '\n', text.size() - line_start);
    const std::size_t line_end =
        newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - text.data()) + 1 : text.size();
    const std::size_t chunk_size = line_end - chunk_start;
    if (chunk_size >= kMaxChunkBytes ||
        (chunk_size >= kMinChunkBytes && cut_after(text.substr(line_start, line_end - line_start)))) {
      chunks.push_back(text.substr(chunk_start, chunk_size));
      chunk_start = line_end;
    }
    line_start = line_end;
  }
  if (chunk_start < text.size()) chunks.push_back(text.substr(chunk_start));
  return chunks;
}

StablePart::StablePart(std::shared_ptr<const std::string> text, std::shared_ptr<const StablePart> previous)
    : text_(std::move(text)) {
  // A part nobody asked gzip of has no chunks: reuse what it would have.
  if (previous) reuse_from_ = previous->tried_ ? std::move(previous) : previous->reuse_from_;
}

const GzipPrefix* StablePart::gzip(GzipCompressor& compressor) const {
  if (tried_) return gzip_ ? &*gzip_ : nullptr;
  tried_ = true;

  std::unordered_map<std::string_view, const GzipPrefix*> earlier;
  if (reuse_from_) {
    for (const auto& chunk : reuse_from_->chunks_) earlier.emplace(chunk.text, &chunk.compressed);
  }
  GzipPrefix whole;
  for (const std::string_view text : split_into_chunks(*text_)) {
    Chunk chunk{text, {}};
    if (const auto found = earlier.find(text); found != earlier.end()) {
      chunk.compressed = *found->second;
      ++reused_;
    } else if (auto compressed = compressor.compress_prefix(text)) {
      chunk.compressed = std::move(*compressed);
    } else {
      chunks_.clear();
      reuse_from_.reset();
      return nullptr;  // zlib failed: the body goes out uncompressed
    }
    append(whole, chunk.compressed);
    chunks_.push_back(std::move(chunk));
  }
  reuse_from_.reset();  // this part's own chunks serve the next one now
  gzip_ = std::move(whole);
  return &*gzip_;
}

}  // namespace gleaner::http
