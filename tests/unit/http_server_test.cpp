// The HTTP server against real sockets on 127.0.0.1: what a scrape needs,
// and what slow, greedy or malformed clients must not be able to do to it.
// The server runs on an io_context in a background thread; clients are plain
// blocking sockets whose every wait has a deadline.

#include "daemon/http/http_server.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
// GCC 12 with sanitizers misreads the parser's boost::optional as maybe
// uninitialized (-Wmaybe-uninitialized) when a response parser is inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/http/parser.hpp>
#pragma GCC diagnostic pop
#include <boost/beast/http/string_body.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/io_wait.h"
#include "daemon/http/accept_encoding.h"
#include "daemon/http/listen_address.h"
#include "daemon/http/stable_part.h"

namespace gleaner::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using gleaner::testing::eventually;
using gleaner::testing::kPatience;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// A blocking HTTP client on a raw socket, so that tests can also misbehave:
// trickle bytes, send garbage, never read. No wait lasts past kPatience.

struct Reply {
  unsigned status = 0;
  bhttp::fields headers;
  std::string body;
  bool keep_alive = false;

  std::string header(bhttp::field name) const { return std::string(headers[name]); }
  bool has(bhttp::field name) const { return headers.find(name) != headers.end(); }
};

class Client {
 public:
  // An unconnected socket, for a test that must not create one later.
  explicit Client(tcp protocol, int receive_buffer = 0) {
    fd_ = ::socket(protocol.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    // Before connect(), so the window the client advertises stays small.
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  explicit Client(const tcp::endpoint& server, int receive_buffer = 0) : Client(server.protocol(), receive_buffer) {
    connect(server);
  }
  ~Client() { close(); }
  Client(Client&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), connected_(other.connected_), pending_(std::move(other.pending_)) {}
  Client(const Client&) = delete;

  bool connect(const tcp::endpoint& server) {
    connected_ = ::connect(fd_, server.data(), static_cast<socklen_t>(server.size())) == 0;
    return connected_;
  }
  bool connected() const { return connected_; }

  void close() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

  // Sends everything; false if the server closed or did not take it in time.
  bool send(std::string_view data) {
    const auto deadline = Clock::now() + kPatience;
    while (!data.empty()) {
      if (!wait_for(POLLOUT, deadline)) return false;
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // Reads one response; nothing if the connection ended or stalled first.
  std::optional<Reply> read_reply(bool to_head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.skip(to_head);
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    const auto deadline = Clock::now() + kPatience;
    for (;;) {
      if (!pending_.empty()) {
        boost::beast::error_code ec;
        const std::size_t used = parser.put(asio::buffer(pending_), ec);
        pending_.erase(0, used);
        if (parser.is_done()) break;
        if (ec && ec != bhttp::error::need_more) {
          ADD_FAILURE() << "malformed response: " << ec.message();
          return std::nullopt;
        }
        if (used > 0) continue;
      }
      if (receive(deadline) <= 0) return std::nullopt;
    }
    auto message = parser.release();
    Reply reply;
    reply.status = message.result_int();
    reply.keep_alive = message.keep_alive();
    reply.headers = std::move(message.base());
    reply.body = std::move(message.body());
    return reply;
  }

  // Waits for the server to end the connection (FIN or reset), keeping what
  // arrived meanwhile in received(); false if it stays open past kPatience.
  bool closed_by_server() {
    const auto deadline = Clock::now() + kPatience;
    for (;;) {
      const ssize_t got = receive(deadline);
      if (got == 0 || (got < 0 && errno != ETIMEDOUT)) return true;
      if (got < 0) return false;
    }
  }

  // Whether the server has ended the connection by now, without waiting.
  bool closed_now() {
    const ssize_t got = receive(Clock::now());
    return got == 0 || (got < 0 && errno != ETIMEDOUT);
  }

  const std::string& received() const { return pending_; }

 private:
  bool wait_for(short events, Clock::time_point deadline) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd entry{fd_, events, 0};
      const int ready = ::poll(&entry, 1, static_cast<int>(std::max<long>(left.count(), 0)));
      if (ready > 0) return true;
      if (ready == 0 || errno != EINTR) return false;
    }
  }

  // Appends what arrives to pending_: >0 bytes, 0 at end of stream, -1 with
  // errno (ETIMEDOUT when the deadline passed).
  ssize_t receive(Clock::time_point deadline) {
    if (!wait_for(POLLIN, deadline)) {
      errno = ETIMEDOUT;
      return -1;
    }
    char chunk[65536];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
    if (got > 0) pending_.append(chunk, static_cast<std::size_t>(got));
    if (got < 0 && errno == EAGAIN) return receive(deadline);
    return got;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;  // received, not yet parsed
};

std::string get(std::string_view target, std::string_view extra_headers = "", std::string_view method = "GET") {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" +
         std::string(extra_headers) + "\r\n";
}

std::string gunzip(std::string_view compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string output;
  int status = Z_OK;
  while (status == Z_OK) {
    char chunk[65536];
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    status = inflate(&stream, Z_NO_FLUSH);
    output.append(chunk, sizeof chunk - stream.avail_out);
  }
  EXPECT_EQ(status, Z_STREAM_END);
  EXPECT_EQ(stream.avail_in, 0u) << "bytes after the gzip member";
  inflateEnd(&stream);
  return output;
}

// About 1 MB of exposition text, the size of a 10,000-series scrape.
const std::string& scrape_body() {
  static const std::string body = [] {
    std::string text;
    for (int i = 0; text.size() < 1'000'000; ++i) {
      text += "gleaner_test_series{collector=\"bench\",index=\"" + std::to_string(i) + "\"} " +
              std::to_string(i * 7) + "\n";
    }
    return text;
  }();
  return body;
}

// A text of `bytes` or so, lines whose values are random (so that its gzip
// stays large too), marked with `mark` so two versions never look alike.
std::string random_series(std::size_t bytes, const std::string& mark, unsigned seed) {
  std::mt19937_64 random(seed);
  std::string text;
  text.reserve(bytes + 128);
  for (int i = 0; text.size() < bytes; ++i) {
    text += "shared_series{version=\"" + mark + "\",index=\"" + std::to_string(i) + "\"} " +
            std::to_string(random()) + "\n";
  }
  return text;
}

// The shared part's text, overwritten with '#' when its last owner lets go:
// a response still sending it after that would send '#'s (or fail), not
// the text.
std::shared_ptr<const std::string> scribbled_when_freed(std::string text) {
  return std::shared_ptr<const std::string>(new std::string(std::move(text)), [](const std::string* freed) {
    std::fill(const_cast<char*>(freed->data()), const_cast<char*>(freed->data()) + freed->size(), '#');
    delete freed;
  });
}

// ---------------------------------------------------------------------------
// Pure parts: the listen setting and Accept-Encoding.

TEST(ListenAddressTest, ParsesEveryFormOfTheListenSetting) {
  std::string error;
  auto address = parse_listen_address("127.0.0.1:9947", &error);
  ASSERT_TRUE(address) << error;
  EXPECT_EQ(address->ip, asio::ip::make_address("127.0.0.1"));
  EXPECT_EQ(address->port, 9947);

  for (const char* every_interface : {":9947", "[::]:9947"}) {
    address = parse_listen_address(every_interface, &error);
    ASSERT_TRUE(address) << every_interface << ": " << error;
    EXPECT_FALSE(address->ip) << every_interface;
    EXPECT_EQ(address->port, 9947);
  }

  address = parse_listen_address("[::1]:0", &error);
  ASSERT_TRUE(address) << error;
  EXPECT_EQ(address->ip, asio::ip::make_address("::1"));
  EXPECT_EQ(address->port, 0);

  address = parse_listen_address("localhost:65535", &error);
  ASSERT_TRUE(address) << error;
  EXPECT_EQ(address->ip, asio::ip::make_address("127.0.0.1"));
  EXPECT_EQ(address->port, 65535);

  address = parse_listen_address("0.0.0.0:80", &error);
  ASSERT_TRUE(address) << error;
  EXPECT_EQ(address->ip, asio::ip::make_address("0.0.0.0")) << "IPv4 only, as written";
}

TEST(ListenAddressTest, RejectsWhatIsNotHostColonPort) {
  for (const char* bad : {"", "9947", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http",
                          "127.0.0.1:-1", "::1:9947", "[::1]9947", "[::1", "[127.0.0.1]:80", "example.com:80",
                          "256.0.0.1:80"}) {
    std::string error;
    EXPECT_FALSE(parse_listen_address(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(AcceptEncodingTest, NegotiatesGzipByQValue) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("GZIP"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
  EXPECT_TRUE(accepts_gzip("gzip ; q=0.001"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("identity;q=0, *;q=0.5"));

  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // named beats the wildcard
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=2"));     // not a q-value: ignored
  EXPECT_FALSE(accepts_gzip("gzip;q=0.5x"));  // nor this
  EXPECT_FALSE(accepts_gzip("gzipper"));
}

TEST(AcceptEncodingTest, ReadsEveryAcceptEncodingFieldAsOneList) {
  bhttp::fields headers;
  headers.insert(bhttp::field::accept_encoding, "br");
  EXPECT_FALSE(accepts_gzip(headers));
  headers.insert(bhttp::field::accept_encoding, "gzip;q=0.5");
  EXPECT_TRUE(accepts_gzip(headers));
}

// ---------------------------------------------------------------------------
// The server.

class HttpServerTest : public ::testing::Test {
 protected:
  // Starts the server with the test's routes on a background thread.
  void start(HttpServerOptions options = {}, std::string_view listen = "127.0.0.1:0") {
    server_.emplace(io_.get_executor(), options, [this](const HttpRequest& request) { return route(request); });
    const std::string error = server_->listen(listen);
    ASSERT_EQ(error, "");
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (io_thread_.joinable()) {
      on_io([this] { server_->stop(); });
      EXPECT_TRUE(eventually([this] { return server_->connection_count() == 0; }));
      work_.reset();
      io_.stop();
      io_thread_.join();
    }
    server_.reset();
  }

  // Runs f on the server's thread, where the server's API is called.
  template <typename F>
  void on_io(F f) {
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  tcp::endpoint endpoint() const { return {asio::ip::address_v4::loopback(), server_->local_endpoint().port()}; }

  Client connect(int receive_buffer = 0) {
    Client client(endpoint(), receive_buffer);
    EXPECT_TRUE(client.connected());
    return client;
  }

  // One request on a new connection.
  std::optional<Reply> fetch(std::string_view request_text, bool head = false) {
    Client client = connect();
    if (!client.send(request_text)) return std::nullopt;
    return client.read_reply(head);
  }

  bool connections_become(std::size_t count) {
    return eventually([&] { return server_->connection_count() == count; });
  }

  HttpResponse route(const HttpRequest& request) {
    if (request.path == "/") return {.body = "hello\n"};
    if (request.path == "/echo") {
      std::string tests;
      for (const std::string_view value : request.headers->values("X-Test")) {
        tests += (tests.empty() ? "" : ";") + std::string(value);
      }
      return {.body = request.method + "|" + request.target + "|" + request.path + "|" + request.remote + "|" + tests};
    }
    if (request.path == "/metrics") {
      return {.content_type = "text/plain; version=0.0.4; charset=utf-8",
              .body = scrape_body(),
              .headers = {{"X-Series", "many"}},
              .compressible = true};
    }
    if (request.path == "/negotiated") {
      return {.body = scrape_body(), .headers = {{"Vary", "Accept"}}, .compressible = true};
    }
    if (request.path == "/huge") {
      ++huge_answers_;
      return {.body = std::string(16 << 20, 'x')};
    }
    if (request.path == "/shared") {
      ++shared_answers_;
      return {.stable_prefix = shared_part_, .body = "gleaner_own_series 1\n", .compressible = true};
    }
    if (request.path == "/throw") throw std::runtime_error("a collector exploded");
    if (request.path == "/overframed") {
      return {.body = "12345", .headers = {{"Content-Length", "999"}, {"Connection", "close"}, {"X-Kept", "yes"}}};
    }
    return {.status = 404, .body = "no such page\n"};
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::optional<HttpServer> server_;
  std::thread io_thread_;
  std::atomic<int> huge_answers_{0};
  // What /shared starts with, as the daemon's collectors' part: replaced
  // (on the server's thread) as a collector publishing replaces it. Without
  // a previous part to take compressed chunks from, so that nothing but the
  // answers in flight holds an old one.
  std::shared_ptr<const StablePart> shared_part_;
  std::atomic<int> shared_answers_{0};

  void share(std::string text) { share(std::make_shared<const std::string>(std::move(text))); }
  void share(std::shared_ptr<const std::string> text) {
    on_io([&] { shared_part_ = std::make_shared<const StablePart>(std::move(text)); });
  }
};

TEST_F(HttpServerTest, AnswersGetWithTheHandlersResponse) {
  start();
  const auto reply = fetch(get("/echo?verbose=1", "X-Test: passed through\r\n"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_THAT(reply->body, StartsWith("GET|/echo?verbose=1|/echo|127.0.0.1:"));
  EXPECT_THAT(reply->body, HasSubstr("|passed through"));
  EXPECT_EQ(reply->header(bhttp::field::content_type), "text/plain; charset=utf-8");
  EXPECT_EQ(reply->header(bhttp::field::content_length), std::to_string(reply->body.size()));
  EXPECT_TRUE(reply->has(bhttp::field::date));
  EXPECT_FALSE(reply->has(bhttp::field::server)) << "no version disclosure";
  EXPECT_TRUE(reply->keep_alive);
}

TEST_F(HttpServerTest, TheHandlerSeesEveryFieldOfANameInTheOrderSent) {
  start();
  const auto reply = fetch(get("/echo", "X-Test: first\r\nX-Other: no\r\nx-test: second\r\n"));
  ASSERT_TRUE(reply);
  EXPECT_THAT(reply->body, EndsWith("|first;second"));
}

TEST_F(HttpServerTest, HandlerHeadersCannotBreakTheFraming) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send(get("/overframed")));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body, "12345");
  EXPECT_EQ(reply->header(bhttp::field::content_length), "5");
  EXPECT_EQ(std::string(reply->headers["X-Kept"]), "yes");
  EXPECT_TRUE(reply->keep_alive);
  ASSERT_TRUE(client.send(get("/")));
  EXPECT_EQ(client.read_reply().value_or(Reply{}).body, "hello\n");
}

TEST_F(HttpServerTest, AcceptsAnAbsoluteFormTarget) {
  start();
  const auto reply = fetch(get("http://localhost:9947/echo?x"));
  ASSERT_TRUE(reply);
  EXPECT_THAT(reply->body, StartsWith("GET|http://localhost:9947/echo?x|/echo|"));
}

TEST_F(HttpServerTest, HeadSendsTheHeadersOfGetWithoutTheBody) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send(get("/metrics", "", "HEAD")));
  const auto head = client.read_reply(/*to_head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200u);
  EXPECT_EQ(head->header(bhttp::field::content_length), std::to_string(scrape_body().size()));
  EXPECT_EQ(std::string(head->headers["X-Series"]), "many");
  // Had any body bytes followed, they would now be read as the next response.
  ASSERT_TRUE(client.send(get("/")));
  const auto next = client.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200u);
  EXPECT_EQ(next->body, "hello\n");
}

TEST_F(HttpServerTest, HandlerMayAnswerNotFound) {
  start();
  const auto reply = fetch(get("/nothing-here"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 404u);
  EXPECT_EQ(reply->body, "no such page\n");
}

TEST_F(HttpServerTest, OtherMethodsGet405WithAllowAndTheConnectionStays) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nx=1"));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 405u);
  EXPECT_EQ(reply->header(bhttp::field::allow), "GET, HEAD");
  EXPECT_TRUE(reply->keep_alive);

  ASSERT_TRUE(client.send(get("/", "", "DELETE")));
  EXPECT_EQ(client.read_reply().value_or(Reply{}).status, 405u);
  ASSERT_TRUE(client.send(get("/")));
  EXPECT_EQ(client.read_reply().value_or(Reply{}).status, 200u);
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send(get("/echo")));
  const auto first = client.read_reply();
  ASSERT_TRUE(first);
  ASSERT_TRUE(client.send(get("/echo")));
  const auto second = client.read_reply();
  ASSERT_TRUE(second);
  EXPECT_EQ(first->body, second->body) << "the same client address and port";
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send(get("/") + get("/nothing") + get("/echo")));
  EXPECT_EQ(client.read_reply().value_or(Reply{}).status, 200u);
  EXPECT_EQ(client.read_reply().value_or(Reply{}).status, 404u);
  EXPECT_THAT(client.read_reply().value_or(Reply{}).body, StartsWith("GET|/echo|"));
}

TEST_F(HttpServerTest, Http10ClosesAfterTheResponseUnlessAskedToKeepAlive) {
  start();
  Client plain = connect();
  ASSERT_TRUE(plain.send("GET / HTTP/1.0\r\n\r\n"));
  const auto reply = plain.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, "hello\n");
  EXPECT_TRUE(plain.closed_by_server());

  Client kept = connect();
  ASSERT_TRUE(kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  const auto first = kept.read_reply();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->keep_alive);
  ASSERT_TRUE(kept.send("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(kept.read_reply().value_or(Reply{}).body, "hello\n");
}

TEST_F(HttpServerTest, CompressesWithGzipWhenTheClientAcceptsIt) {
  start();
  const auto reply = fetch(get("/metrics", "Accept-Encoding: br;q=1.0, gzip;q=0.8\r\n"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->header(bhttp::field::content_encoding), "gzip");
  EXPECT_EQ(reply->header(bhttp::field::vary), "Accept-Encoding");
  EXPECT_EQ(reply->header(bhttp::field::content_type), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(reply->header(bhttp::field::content_length), std::to_string(reply->body.size()));
  EXPECT_LT(reply->body.size(), scrape_body().size() / 4);
  EXPECT_TRUE(gunzip(reply->body) == scrape_body());
}

TEST_F(HttpServerTest, ASharedPartGoesOutWholeWithTheLengthOfEverything) {
  start();
  const std::string text = random_series(1'000'000, "a", 1);
  share(text);
  const std::string whole = text + "gleaner_own_series 1\n";
  for (const bool gzip : {false, true}) {
    SCOPED_TRACE(gzip ? "gzip" : "identity");
    const std::string accept = gzip ? "Accept-Encoding: gzip\r\n" : "";
    // Twice on one connection: a second answer parsed right after the first
    // shows the first was exactly as long as it said.
    Client client = connect();
    ASSERT_TRUE(client.send(get("/shared", accept) + get("/shared", accept)));
    for (int i = 0; i < 2; ++i) {
      const auto reply = client.read_reply();
      ASSERT_TRUE(reply);
      EXPECT_EQ(reply->status, 200u);
      EXPECT_EQ(reply->header(bhttp::field::content_length), std::to_string(reply->body.size()));
      EXPECT_EQ(reply->header(bhttp::field::content_encoding), gzip ? "gzip" : "");
      EXPECT_TRUE((gzip ? gunzip(reply->body) : reply->body) == whole) << "not the shared text and the own one, joined";
    }
    // HEAD: GET's headers and length, no body (the next answer's parse
    // would show one).
    const auto get_reply = fetch(get("/shared", accept));
    ASSERT_TRUE(get_reply);
    Client head_client = connect();
    ASSERT_TRUE(head_client.send(get("/shared", accept, "HEAD") + get("/", "")));
    const auto head = head_client.read_reply(/*to_head=*/true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->header(bhttp::field::content_length), std::to_string(get_reply->body.size()));
    EXPECT_EQ(head->header(bhttp::field::content_encoding), gzip ? "gzip" : "");
    EXPECT_EQ(head_client.read_reply().value_or(Reply{}).body, "hello\n") << "HEAD sent a body";
  }
}

// A collector publishes while a slow client is still reading the last
// exposition: the part it was sent is replaced in the server, and the
// client still gets all of it, as it was.
TEST_F(HttpServerTest, ASlowReaderGetsTheWholePartItWasAnsweredWithAfterItIsReplaced) {
  start();
  for (const bool gzip : {false, true}) {
    SCOPED_TRACE(gzip ? "gzip" : "identity");
    // 16 MB: far more than the socket buffers of a 4 KiB window hold.
    const std::string old_text = random_series(16'000'000, "old", 2);
    auto old_part = scribbled_when_freed(old_text);
    const std::weak_ptr<const std::string> old_alive = old_part;
    share(std::move(old_part));
    const int answered = shared_answers_;
    Client slow = connect(/*receive_buffer=*/4096);
    ASSERT_TRUE(slow.send(get("/shared", gzip ? "Accept-Encoding: gzip\r\n" : "")));
    ASSERT_TRUE(eventually([&] { return shared_answers_ > answered; }));

    share(random_series(1'000'000, "new", 3));  // the next run's exposition
    ASSERT_TRUE(eventually([&] {
      bool replaced = false;
      on_io([&] { replaced = shared_part_ && shared_part_->text().find("\"new\"") != std::string::npos; });
      return replaced;
    }));
    // 16 MB cannot have left through a 4 KiB window the client has not
    // read: the answer is being written, and must hold what it sends.
    EXPECT_FALSE(old_alive.expired()) << "the answer in flight let go of the part it is sending";
    // A quick scrape meanwhile gets the new part.
    const auto quick = fetch(get("/shared"));
    ASSERT_TRUE(quick);
    EXPECT_NE(quick->body.find("\"new\""), std::string::npos);

    const auto reply = slow.read_reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->header(bhttp::field::content_length), std::to_string(reply->body.size()));
    const std::string body = gzip ? gunzip(reply->body) : reply->body;
    EXPECT_EQ(body.size(), old_text.size() + 21);
    EXPECT_TRUE(body == old_text + "gleaner_own_series 1\n") << "not the old part, whole and unchanged";
    // Released once written: nothing keeps old expositions.
    EXPECT_TRUE(eventually([&] { return old_alive.expired(); }));
  }
}

TEST_F(HttpServerTest, KeepsWhatTheHandlerSaysTheBodyVariesWith) {
  start();
  for (const char* accept : {"Accept-Encoding: gzip\r\n", ""}) {
    const auto reply = fetch(get("/negotiated", accept));
    ASSERT_TRUE(reply) << accept;
    EXPECT_EQ(reply->header(bhttp::field::vary), "Accept, Accept-Encoding") << accept;
  }
}

TEST_F(HttpServerTest, DoesNotCompressWhenGzipIsRefusedOrNotOffered) {
  start();
  for (const char* accept : {"Accept-Encoding: gzip;q=0, deflate\r\n", "Accept-Encoding: identity\r\n", ""}) {
    const auto reply = fetch(get("/metrics", accept));
    ASSERT_TRUE(reply) << accept;
    EXPECT_FALSE(reply->has(bhttp::field::content_encoding)) << accept;
    EXPECT_EQ(reply->header(bhttp::field::vary), "Accept-Encoding") << accept;
    EXPECT_TRUE(reply->body == scrape_body()) << accept;
  }
  const auto not_compressible = fetch(get("/", "Accept-Encoding: gzip\r\n"));
  ASSERT_TRUE(not_compressible);
  EXPECT_FALSE(not_compressible->has(bhttp::field::content_encoding));
  EXPECT_EQ(not_compressible->body, "hello\n");
}

TEST_F(HttpServerTest, MalformedRequestLineGets400AndTheConnectionCloses) {
  start();
  for (const char* garbage : {"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n"}) {
    Client client = connect();
    ASSERT_TRUE(client.send(garbage));
    const auto reply = client.read_reply();
    ASSERT_TRUE(reply) << garbage;
    EXPECT_EQ(reply->status, 400u) << garbage;
    EXPECT_FALSE(reply->keep_alive) << garbage;
    EXPECT_TRUE(client.closed_by_server()) << garbage;
  }
}

TEST_F(HttpServerTest, Http11WithoutHostGets400) {
  start();
  const auto reply = fetch("GET / HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400u);
}

TEST_F(HttpServerTest, HugeHeaderGets431AndTheConnectionCloses) {
  start();
  Client client = connect();
  const std::string huge = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + std::string(1 << 20, 'a') + "\r\n\r\n";
  // The server answers long before the header is all sent; send from a
  // thread and read meanwhile, as a real client would.
  std::thread sender([&] { client.send(huge); });
  const auto reply = client.read_reply();
  const bool closed = client.closed_by_server();
  sender.join();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 431u);
  EXPECT_FALSE(reply->keep_alive);
  EXPECT_TRUE(closed);
}

TEST_F(HttpServerTest, RequestBodyOverTheLimitGets413AndTheConnectionCloses) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\n"));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413u);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, ClientTricklingItsHeaderIsCutAtHeaderTimeout) {
  start({.header_timeout = 300ms});
  const auto connected = std::chrono::steady_clock::now();
  Client slow = connect();
  const std::string request = get("/", "User-Agent: " + std::string(200, 's') + "\r\n");
  bool answered_meanwhile = false;
  std::size_t sent = 0;
  // A byte every 100 ms would take 25 s; the server must give up long before.
  for (; sent < request.size(); ++sent) {
    if (!slow.send(request.substr(sent, 1)) || slow.closed_now()) break;
    if (sent == 1) answered_meanwhile = fetch(get("/")).value_or(Reply{}).status == 200;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_LT(sent, request.size()) << "the whole header went through";
  EXPECT_TRUE(slow.closed_by_server());
  // Cut at the 300 ms set, not the 10 s default (closed_by_server's 20 s is
  // only the outer guard): 5 s is far from both, whatever the machine's load.
  EXPECT_LT(std::chrono::steady_clock::now() - connected, 5s) << "cut at the default header timeout, not the one set";
  EXPECT_EQ(slow.received(), "") << "no answer for a header that never came";
  EXPECT_TRUE(answered_meanwhile) << "other clients are served while one trickles";
}

TEST_F(HttpServerTest, SilentNewConnectionIsClosedAtHeaderTimeout) {
  start({.header_timeout = 300ms, .idle_timeout = 60s});
  const auto connected = std::chrono::steady_clock::now();
  Client silent = connect();
  EXPECT_TRUE(silent.closed_by_server());
  // At the 300 ms set, far below the 10 s default (20 s is the outer guard).
  EXPECT_LT(std::chrono::steady_clock::now() - connected, 5s) << "closed at the default header timeout, not the one set";
  EXPECT_TRUE(connections_become(0));
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAtIdleTimeout) {
  start({.header_timeout = 60s, .idle_timeout = 300ms});
  Client client = connect();
  ASSERT_TRUE(client.send(get("/")));
  ASSERT_TRUE(client.read_reply());
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_TRUE(connections_become(0));
}

TEST_F(HttpServerTest, ClientThatNeverReadsIsDroppedAtWriteTimeout) {
  start({.write_timeout = 300ms});
  // A small receive window: the 16 MiB answer cannot hide in socket buffers.
  Client greedy = connect(/*receive_buffer=*/4096);
  ASSERT_TRUE(greedy.send(get("/huge")));
  ASSERT_TRUE(eventually([this] { return huge_answers_ == 1; }));
  EXPECT_TRUE(connections_become(0));
  EXPECT_TRUE(greedy.closed_by_server());
  EXPECT_LT(greedy.received().size(), std::size_t{16} << 20) << "dropped before the end";
  EXPECT_EQ(fetch(get("/")).value_or(Reply{}).status, 200u);
}

TEST_F(HttpServerTest, TwoHundredIdleConnectionsDoNotKeepARequestWaiting) {
  start({.header_timeout = 60s});
  std::vector<Client> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(connect());
  ASSERT_TRUE(connections_become(200));
  const auto reply = fetch(get("/"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200u);
}

TEST_F(HttpServerTest, AtTheLimitTheConnectionWaitingLongestMakesRoom) {
  start({.header_timeout = 60s, .max_connections = 10});
  std::vector<Client> held;
  for (int i = 0; i < 10; ++i) held.push_back(connect());
  ASSERT_TRUE(connections_become(10));

  // Idle clients cannot lock a client with a request out: a newcomer takes
  // the place of the connection that has waited longest.
  auto reply = fetch(get("/"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_TRUE(held[0].closed_by_server());
  EXPECT_FALSE(held[1].closed_now());

  // Full again (once the fetch's own connection has gone, or it would be
  // the one waiting longest): the next to go is the oldest left, not the newest.
  ASSERT_TRUE(connections_become(9));
  held.push_back(connect());
  ASSERT_TRUE(connections_become(10));
  reply = fetch(get("/"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_TRUE(held[1].closed_by_server());
  for (std::size_t i = 2; i < held.size(); ++i) EXPECT_FALSE(held[i].closed_now()) << i;
  EXPECT_TRUE(eventually([this] { return server_->connection_count() <= 10; }));
}

TEST_F(HttpServerTest, ConnectionsOverTheLimitAreTurnedAwayWhenAllAreBusy) {
  start({.write_timeout = 60s, .max_connections = 10});
  // Ten clients that ask for a large answer and never read it: every
  // connection is busy answering, none can be given up.
  std::vector<Client> busy;
  for (int i = 0; i < 10; ++i) {
    busy.push_back(connect());
    ASSERT_TRUE(busy.back().send(get("/huge")));
  }
  ASSERT_TRUE(eventually([this] { return huge_answers_ == 10; }));

  for (int i = 0; i < 3; ++i) {
    Client extra = connect();
    extra.send(get("/"));  // may fail: the server may have closed already
    EXPECT_TRUE(extra.closed_by_server());
    if (!extra.received().empty()) {
      EXPECT_THAT(extra.received(), StartsWith("HTTP/1.1 503 "));
    }
    EXPECT_EQ(server_->connection_count(), 10u);
  }

  busy.pop_back();
  ASSERT_TRUE(connections_become(9));
  EXPECT_EQ(fetch(get("/")).value_or(Reply{}).status, 200u);
}

// With no descriptor left, the pending connection stays queued and the
// listening socket stays readable: accepting must pause, not spin.
TEST_F(HttpServerTest, AcceptingPausesWhileOutOfDescriptors) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "sanitizer runtimes need descriptors of their own (UBSan's vptr check probes memory "
                  "through a pipe): starving the process would test them, not the server";
#endif
  start();
  ASSERT_EQ(fetch(get("/")).value_or(Reply{}).status, 200u);  // up and serving before the squeeze
  ASSERT_TRUE(connections_become(0));
  Client client(tcp::v4());
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original), 0);
  // The lowest free descriptor number becomes the limit: no new one fits.
  const int lowest_free = ::fcntl(0, F_DUPFD_CLOEXEC, 0);
  ASSERT_GE(lowest_free, 0);
  ::close(lowest_free);
  rlimit lowered = original;
  lowered.rlim_cur = static_cast<rlim_t>(lowest_free);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);

  clockid_t io_thread_clock{};
  ASSERT_EQ(::pthread_getcpuclockid(io_thread_.native_handle(), &io_thread_clock), 0);
  const auto cpu_time = [&] {
    timespec now{};
    ::clock_gettime(io_thread_clock, &now);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
  };
  const bool connected = client.connect(endpoint());  // completes in the kernel's backlog
  const auto cpu_before = cpu_time();
  std::this_thread::sleep_for(1s);
  const auto cpu_spent = cpu_time() - cpu_before;
  ::setrlimit(RLIMIT_NOFILE, &original);

  ASSERT_TRUE(connected);
  EXPECT_LT(cpu_spent, 100ms) << "the accept loop spun";
  EXPECT_EQ(server_->connection_count(), 0u);
  // Descriptors are back: the queued connection is served.
  ASSERT_TRUE(client.send(get("/")));
  EXPECT_EQ(client.read_reply().value_or(Reply{}).status, 200u);
}

TEST_F(HttpServerTest, HandlerThatThrowsGets500AndServingGoesOn) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send(get("/throw")));
  const auto reply = client.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 500u);
  EXPECT_THAT(reply->body, Not(HasSubstr("exploded"))) << "internals stay in the log";
  ASSERT_TRUE(client.send(get("/")));
  EXPECT_EQ(client.read_reply().value_or(Reply{}).status, 200u);
}

TEST_F(HttpServerTest, ListenReportsAPortInUse) {
  start();
  const std::string taken = "127.0.0.1:" + std::to_string(server_->local_endpoint().port());
  HttpServer second(io_.get_executor(), {}, {});
  EXPECT_EQ(second.listen(taken), taken + ": Address already in use");
}

TEST_F(HttpServerTest, ListenReportsABadAddress) {
  HttpServer server(io_.get_executor(), {}, {});
  EXPECT_THAT(server.listen("localhost"), StartsWith("localhost: expected HOST:PORT"));
  EXPECT_THAT(server.listen("[::1]:99999"), StartsWith("[::1]:99999: the port must be"));
}

TEST_F(HttpServerTest, PortOnlyListensOnEveryInterfaceIPv4Included) {
  start({}, ":0");
  const auto reply = fetch(get("/echo"));
  ASSERT_TRUE(reply);
  EXPECT_THAT(reply->body, HasSubstr("|127.0.0.1:")) << "an IPv4 client, shown as IPv4";
}

TEST_F(HttpServerTest, IPv6AnyListensOnIPv4AndIPv6) {
  start({}, "[::]:0");
  EXPECT_EQ(fetch(get("/")).value_or(Reply{}).status, 200u);
  if (!server_->local_endpoint().address().is_v6()) GTEST_SKIP() << "no IPv6 on this host";
  Client v6({asio::ip::address_v6::loopback(), server_->local_endpoint().port()});
  ASSERT_TRUE(v6.connected());
  ASSERT_TRUE(v6.send(get("/echo")));
  EXPECT_THAT(v6.read_reply().value_or(Reply{}).body, HasSubstr("|[::1]:"));
}

TEST_F(HttpServerTest, SetHandlerSwapsHandlersWithoutClosingAnything) {
  start();
  const auto port = server_->local_endpoint().port();
  Client kept = connect();
  ASSERT_TRUE(kept.send(get("/")));
  EXPECT_EQ(kept.read_reply().value_or(Reply{}).body, "hello\n");

  on_io([this] { server_->set_handler([](const HttpRequest&) { return HttpResponse{.body = "reloaded\n"}; }); });

  ASSERT_TRUE(kept.send(get("/")));
  EXPECT_EQ(kept.read_reply().value_or(Reply{}).body, "reloaded\n") << "the open connection";
  EXPECT_EQ(fetch(get("/")).value_or(Reply{}).body, "reloaded\n") << "a new connection";
  EXPECT_EQ(server_->local_endpoint().port(), port);
}

TEST_F(HttpServerTest, StopClosesTheListenerAndEveryConnection) {
  start();
  const tcp::endpoint where = endpoint();
  Client client = connect();
  ASSERT_TRUE(client.send(get("/")));
  ASSERT_TRUE(client.read_reply());

  on_io([this] { server_->stop(); });
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_TRUE(connections_become(0));
  EXPECT_FALSE(Client(where).connected());
}

// The daemon spawns commands; none of them may inherit a socket of the server.
TEST_F(HttpServerTest, EverySocketIsCloseOnExec) {
  start();
  Client client = connect();
  ASSERT_TRUE(client.send(get("/")));
  ASSERT_TRUE(client.read_reply());
  ASSERT_EQ(server_->connection_count(), 1u);

  int sockets = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (ec || !target.string().starts_with("socket:")) continue;
    const int fd = std::stoi(entry.path().filename().string());
    ++sockets;
    EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC) << "socket " << fd << " would leak into children";
  }
  EXPECT_GE(sockets, 3) << "the listener, the server's end, the client's end";

  // And what a child really sees.
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  const char* argv[] = {"/bin/sh", "-c", "ls -l /proc/$$/fd", nullptr};
  pid_t child = -1;
  ASSERT_EQ(::posix_spawn(&child, argv[0], &actions, nullptr, const_cast<char**>(argv), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string listing;
  char chunk[4096];
  for (ssize_t got; (got = ::read(pipe_fds[0], chunk, sizeof chunk)) > 0;) listing.append(chunk, got);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_THAT(listing, HasSubstr("pipe:"));  // the listing worked: its stdout is our pipe
  EXPECT_THAT(listing, Not(HasSubstr("socket:")));
}

}  // namespace
}  // namespace gleaner::http
