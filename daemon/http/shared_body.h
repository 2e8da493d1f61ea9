#pragma once
// A response body made of pieces that are written as they are, never joined:
// the collectors' part of the exposition (about 1 MB for 10,000 series) is
// the same text for every scrape until a collector publishes, and so is its
// compressed form, so a scrape points at them instead of copying them.
//
// Each piece is held by shared ownership: a collector publishing while a
// slow client is still reading its answer replaces the store's text, but the
// old text lives on until the last response that points into it is written
// (the response, and with it the body, lives until its write completes).
// A body is never changed once it is being written.
//
// It is a Beast Body (BodyWriter only: this server reads no such bodies)
// whose pieces go to the socket as one scatter/gather write.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/optional.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace gleaner::http {

class SharedBuffers {
 public:
  // A piece that owner keeps alive and unchanged; owner may be null for
  // bytes of static storage.
  void append(std::shared_ptr<const void> owner, std::string_view bytes) {
    if (bytes.empty()) return;
    owners_.push_back(std::move(owner));
    buffers_.emplace_back(bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  // A piece of the response's own: moved, not copied, into shared
  // ownership (where its bytes stay put, whatever happens to the body).
  void append(std::string bytes) {
    if (bytes.empty()) return;
    auto owned = std::make_shared<const std::string>(std::move(bytes));
    const std::string_view view = *owned;
    append(std::move(owned), view);
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const boost::asio::const_buffer> buffers() const { return {buffers_.data(), buffers_.size()}; }

 private:
  // A response has a handful of pieces (a shared part, then its own): they
  // fit inside the body, so a body allocates nothing for its bookkeeping.
  static constexpr std::size_t kInlinePieces = 4;
  boost::container::small_vector<std::shared_ptr<const void>, kInlinePieces> owners_;
  boost::container::small_vector<boost::asio::const_buffer, kInlinePieces> buffers_;
  std::size_t size_ = 0;
};

struct SharedBuffersBody {
  using value_type = SharedBuffers;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class writer {
   public:
    using const_buffers_type = std::span<const boost::asio::const_buffer>;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    // Every piece at once; the serializer takes from them what the socket
    // accepts, as many times as it needs.
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      if (body_.empty()) return boost::none;
      return {{body_.buffers(), false}};
    }

   private:
    const value_type& body_;
  };
};

}  // namespace gleaner::http
