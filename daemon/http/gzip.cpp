#include "daemon/http/gzip.h"

#include <zlib.h>

#include <limits>
#include <type_traits>

namespace gleaner::http {

static_assert(std::is_same_v<uLong, unsigned long>, "GzipPrefix holds zlib's uLong as unsigned long");

struct GzipCompressor::Deflater {
  z_stream stream{};
  bool initialized = false;

  ~Deflater() {
    if (initialized) deflateEnd(&stream);
  }
};

namespace {

constexpr int kRawWindowBits = -15;  // the largest window, no zlib or gzip framing
constexpr int kMemoryLevel = 8;      // zlib's default

// RFC 1952: magic, deflate, no flags, no time, no extra flags, OS unknown.
constexpr char kGzipHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};

void append_le32(std::string& out, uLong value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

void append(GzipPrefix& prefix, const GzipPrefix& next) {
  prefix.deflated += next.deflated;
  prefix.crc = crc32_combine(prefix.crc, next.crc, static_cast<z_off_t>(next.length));
  prefix.length += next.length;
}

std::string_view gzip_header() { return {kGzipHeader, sizeof kGzipHeader}; }

GzipCompressor::GzipCompressor(int level) : level_(level), deflater_(std::make_unique<Deflater>()) {}

GzipCompressor::~GzipCompressor() = default;

bool GzipCompressor::ensure_initialized() {
  if (!deflater_->initialized) {
    deflater_->initialized = deflateInit2(&deflater_->stream, level_, Z_DEFLATED, kRawWindowBits, kMemoryLevel,
                                          Z_DEFAULT_STRATEGY) == Z_OK;
  }
  return deflater_->initialized;
}

bool GzipCompressor::deflate_into(std::string& out, std::string_view input, int flush) {
  constexpr auto kMaxChunk = std::numeric_limits<uInt>::max();
  if (input.size() > kMaxChunk || !ensure_initialized()) return false;
  z_stream& stream = deflater_->stream;
  // deflateBound() plus room for the flush marker is enough for one call.
  const std::size_t bound = deflateBound(&stream, static_cast<uLong>(input.size())) + 16;
  if (bound > kMaxChunk) return false;
  const std::size_t start = out.size();
  out.resize(start + bound);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data() + start);
  stream.avail_out = static_cast<uInt>(bound);
  const int status = deflate(&stream, flush);
  const bool done = flush == Z_FINISH ? status == Z_STREAM_END : (status == Z_OK && stream.avail_in == 0);
  out.resize(start + (bound - stream.avail_out));
  deflateReset(&stream);
  return done;
}

std::optional<std::string> GzipCompressor::compress(std::string_view input) {
  return compress(GzipPrefix{}, input);
}

std::optional<std::string> GzipCompressor::compress(const GzipPrefix& prefix, std::string_view tail) {
  auto end = compress_after(prefix, tail);
  if (!end) return std::nullopt;
  std::string out;
  out.reserve(sizeof kGzipHeader + prefix.deflated.size() + end->size());
  out.append(kGzipHeader, sizeof kGzipHeader);
  out += prefix.deflated;
  out += *end;
  return out;
}

std::optional<std::string> GzipCompressor::compress_after(const GzipPrefix& prefix, std::string_view tail) {
  std::string out;
  out.reserve(tail.size() / 4 + 64);
  // After the prefix's full flush nothing refers back into it: a fresh
  // stream continues it, and its final block ends the member.
  if (!deflate_into(out, tail, Z_FINISH)) return std::nullopt;
  const uLong tail_crc = crc32(0, reinterpret_cast<const Bytef*>(tail.data()), static_cast<uInt>(tail.size()));
  append_le32(out, crc32_combine(prefix.crc, tail_crc, static_cast<z_off_t>(tail.size())));
  append_le32(out, static_cast<uLong>((prefix.length + tail.size()) & 0xffffffffu));
  return out;
}

std::optional<GzipPrefix> GzipCompressor::compress_prefix(std::string_view text) {
  GzipPrefix prefix;
  if (!deflate_into(prefix.deflated, text, Z_FULL_FLUSH)) return std::nullopt;
  prefix.crc = crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()));
  prefix.length = static_cast<uLong>(text.size());
  return prefix;
}

}  // namespace gleaner::http
