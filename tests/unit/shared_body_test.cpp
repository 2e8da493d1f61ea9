// A response body of shared pieces: its bytes are the pieces joined, its
// length theirs, and it keeps every piece alive as long as it lives, however
// its first owner lets go.

#include "daemon/http/shared_body.h"

#include <gtest/gtest.h>

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <algorithm>
#include <limits>
#include <memory>
#include <sstream>
#include <string>

namespace gleaner::http {
namespace {

namespace bhttp = boost::beast::http;

// The bytes Beast's serializer would hand to a socket for this response,
// the socket taking at most `step` bytes a write (as a full socket buffer
// does): a write may end inside a piece or at a piece's edge.
std::string wire_bytes(bhttp::response<SharedBuffersBody>& response,
                       std::size_t step = std::numeric_limits<std::size_t>::max()) {
  bhttp::response_serializer<SharedBuffersBody> serializer(response);
  std::string out;
  boost::beast::error_code ec;
  while (!serializer.is_done()) {
    serializer.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
      std::size_t taken = 0;
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        const std::size_t part = std::min(buffer.size(), step - taken);
        out.append(static_cast<const char*>(buffer.data()), part);
        taken += part;
        if (taken == step) break;
      }
      serializer.consume(taken);
    });
    if (ec) return "serializer failed: " + ec.message();
  }
  return out;
}

// The pieces' bytes in order.
std::string joined(const SharedBuffers& body) {
  std::string text;
  for (const auto& buffer : body.buffers()) text.append(static_cast<const char*>(buffer.data()), buffer.size());
  return text;
}

TEST(SharedBuffers, IsItsPiecesJoinedInOrder) {
  auto shared = std::make_shared<const std::string>(std::string(100'000, 's'));
  SharedBuffers body;
  body.append(nullptr, "static ");
  body.append(shared, *shared);
  body.append(std::string("own tail\n"));
  body.append(std::string());  // empty pieces take no place
  EXPECT_EQ(body.size(), 7 + 100'000 + 9u);
  EXPECT_EQ(body.buffers().size(), 3u);
  EXPECT_EQ(joined(body), "static " + *shared + "own tail\n");
}

TEST(SharedBuffers, KeepsASharedPieceAliveAfterItsOwnerLetsGo) {
  auto text = std::make_shared<const std::string>("exposition of the previous run\n");
  const std::weak_ptr<const std::string> watch = text;
  SharedBuffers body;
  body.append(text, *text);
  text.reset();  // the store moved on
  ASSERT_FALSE(watch.expired());
  EXPECT_EQ(joined(body), "exposition of the previous run\n");
  SharedBuffers moved = std::move(body);  // a response moved into a session
  EXPECT_EQ(joined(moved), "exposition of the previous run\n");
  moved = SharedBuffers{};
  EXPECT_TRUE(watch.expired()) << "released with the last body";
}

TEST(SharedBuffers, AnOwnPieceIsMovedInNotCopied) {
  std::string own(1 << 20, 'o');
  const char* bytes = own.data();
  SharedBuffers body;
  body.append(std::move(own));
  ASSERT_EQ(body.buffers().size(), 1u);
  EXPECT_EQ(body.buffers()[0].data(), bytes);
  SharedBuffers moved = std::move(body);
  EXPECT_EQ(moved.buffers()[0].data(), bytes) << "a move of the body leaves the bytes where they are";
}

TEST(SharedBuffersBody, BeastWritesTheHeaderThenEveryPieceAndTheLengthIsTheirs) {
  auto shared = std::make_shared<const std::string>(std::string(300'000, 'x') + "\n");
  bhttp::response<SharedBuffersBody> response{bhttp::status::ok, 11};
  response.body().append(shared, *shared);
  response.body().append(std::string("gleaner_up 1\n"));
  response.prepare_payload();
  EXPECT_EQ(response[bhttp::field::content_length], std::to_string(shared->size() + 13));
  const std::string wire = wire_bytes(response);
  const auto header_end = wire.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  EXPECT_EQ(wire.substr(header_end + 4), *shared + "gleaner_up 1\n");
  // Written a little at a time, writes ending inside pieces and at their
  // edges, the bytes are the same.
  for (const std::size_t step : {1000u, 4096u, 7u}) {
    EXPECT_EQ(wire_bytes(response, step), wire) << step << " bytes a write";
  }
}

TEST(SharedBuffersBody, AnEmptyBodyWritesTheHeaderAlone) {
  bhttp::response<SharedBuffersBody> response{bhttp::status::ok, 11};
  response.content_length(12345);  // a HEAD answer: a GET's length, no body
  const std::string wire = wire_bytes(response);
  EXPECT_EQ(wire.size(), wire.find("\r\n\r\n") + 4);
  EXPECT_NE(wire.find("Content-Length: 12345\r\n"), std::string::npos);
}

}  // namespace
}  // namespace gleaner::http
