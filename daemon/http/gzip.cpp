#include "http/gzip.h"

#include <limits>

namespace gleaner::http {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // the largest window, with a gzip header and trailer
constexpr int kMemoryLevel = 8;           // zlib's default

}  // namespace

GzipCompressor::GzipCompressor(int level) : level_(level) {}

GzipCompressor::~GzipCompressor() {
  if (initialized_) deflateEnd(&stream_);
}

bool GzipCompressor::ensure_initialized() {
  if (!initialized_) {
    initialized_ = deflateInit2(&stream_, level_, Z_DEFLATED, kGzipWindowBits, kMemoryLevel,
                                Z_DEFAULT_STRATEGY) == Z_OK;
  }
  return initialized_;
}

std::optional<std::string> GzipCompressor::compress(std::string_view input) {
  constexpr auto kMaxChunk = std::numeric_limits<uInt>::max();
  if (input.size() > kMaxChunk || !ensure_initialized()) return std::nullopt;

  // deflateBound() is enough room to finish in one call, whatever the input.
  std::string output(deflateBound(&stream_, static_cast<uLong>(input.size())), '\0');
  if (output.size() > kMaxChunk) return std::nullopt;
  stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream_.avail_in = static_cast<uInt>(input.size());
  stream_.next_out = reinterpret_cast<Bytef*>(output.data());
  stream_.avail_out = static_cast<uInt>(output.size());
  const int status = deflate(&stream_, Z_FINISH);
  const auto produced = stream_.total_out;
  deflateReset(&stream_);
  if (status != Z_STREAM_END) return std::nullopt;
  output.resize(produced);
  return output;
}

}  // namespace gleaner::http
