#include "daemon/http/http_exchange.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <string>
#include <vector>

#include "daemon/http/accept_encoding.h"
#include "daemon/http/ascii_case.h"
#include "daemon/http/beast_request_headers.h"

namespace gleaner::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return iequals_ascii(text.substr(0, prefix.size()), prefix);
}

// Framing is the server's: a handler's own would contradict what it sends.
bool is_framing_field(std::string_view name) {
  return iequals_ascii(name, "Content-Length") || iequals_ascii(name, "Transfer-Encoding") ||
         iequals_ascii(name, "Connection");
}

// The path of an origin-form target ("/metrics?x") or of an absolute-form
// one ("http://host:9947/metrics?x"), which HTTP/1.1 servers must accept.
std::optional<std::string_view> path_of(std::string_view target) {
  if (!target.starts_with('/')) {
    std::string_view rest;
    if (starts_with_ignoring_case(target, "http://")) rest = target.substr(7);
    else if (starts_with_ignoring_case(target, "https://")) rest = target.substr(8);
    else return std::nullopt;
    const auto slash = rest.find_first_of("/?");
    if (slash == std::string_view::npos || rest[slash] == '?') return "/";
    target = rest.substr(slash);
  }
  return target.substr(0, target.find('?'));
}

// Puts body into response and frames it: Content-Length always (for HEAD,
// the length a GET would have got), the body itself only when not HEAD.
void frame(WireResponse& response, SharedBuffers body, bool head) {
  const auto status = response.result_int();
  if (status == 204 || status == 304) return;  // these never carry a body, nor (204) a length
  response.content_length(body.size());
  if (!head) response.body() = std::move(body);
}

void frame(WireResponse& response, std::string body, bool head) {
  SharedBuffers pieces;
  pieces.append(std::move(body));
  frame(response, std::move(pieces), head);
}

// Auth is checked before the version is: answer in one the client can read.
unsigned answerable_version(const WireRequest& request) { return request.version() == 10 ? 10 : 11; }

WireResponse plain(bhttp::status status, unsigned version, ServerState& state) {
  WireResponse response{status, version};
  response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  response.set(bhttp::field::date, state.date.now());
  return response;
}

HttpResponse call_handler(const HttpRequest& request, ServerState& state) {
  const std::shared_ptr<const RequestHandler> handler = state.handler();
  if (!handler || !*handler) return HttpResponse{.status = 404, .body = "not found\n"};
  try {
    return (*handler)(request);
  } catch (const std::exception& error) {
    spdlog::error("HTTP {} {} from {}: the handler failed: {}", request.method, request.target,
                  request.remote, error.what());
  } catch (...) {
    spdlog::error("HTTP {} {} from {}: the handler failed with an unknown exception", request.method,
                  request.target, request.remote);
  }
  return HttpResponse{.status = 500, .body = "internal server error\n"};
}

// The answer as one gzip member: the shared part's compressed form as it is
// (kept alive by the response), then the handler's own text compressed
// now. Nothing if zlib failed, and the body then goes out as it is.
std::optional<SharedBuffers> compress(const HttpResponse& answer, GzipCompressor& compressor) {
  static const GzipPrefix kNoPrefix;
  const GzipPrefix* prefix = answer.stable_prefix ? answer.stable_prefix->gzip(compressor) : &kNoPrefix;
  if (!prefix) return std::nullopt;
  auto member_end = compressor.compress_after(*prefix, answer.body);
  if (!member_end) return std::nullopt;
  SharedBuffers body;
  body.append(nullptr, gzip_header());
  // The prefix lives inside the part, unchanged once made.
  body.append(answer.stable_prefix, prefix->deflated);
  body.append(std::move(*member_end));
  return body;
}

// The answer uncompressed: the shared part as it is (kept alive by the
// response), then the handler's own text, moved.
SharedBuffers as_it_is(HttpResponse answer) {
  SharedBuffers body;
  if (answer.stable_prefix) {
    const std::string_view text = answer.stable_prefix->text();
    body.append(std::move(answer.stable_prefix), text);
  }
  body.append(std::move(answer.body));
  return body;
}

// The handler's answer as it goes on the wire.
WireResponse encode(HttpResponse answer, const WireRequest& request, const HttpRequest& seen,
                    ServerState& state) {
  if (answer.status < 200 || answer.status > 599) {
    spdlog::error("HTTP {} {}: the handler answered with status {}, which is not a final status",
                  seen.method, seen.target, answer.status);
    answer = HttpResponse{.status = 500, .body = "internal server error\n"};
  }
  WireResponse response;
  response.version(request.version());
  response.result(answer.status);
  for (const auto& [name, value] : answer.headers) {
    if (!is_framing_field(name)) response.insert(name, value);
  }
  response.set(bhttp::field::content_type, answer.content_type);
  response.set(bhttp::field::date, state.date.now());
  std::optional<SharedBuffers> body;
  if (answer.compressible) {
    // Caches must know the body depends on Accept-Encoding, compressed or
    // not, besides whatever the handler said it depends on.
    const std::string vary(response[bhttp::field::vary]);
    response.set(bhttp::field::vary, vary.empty() ? "Accept-Encoding" : vary + ", Accept-Encoding");
    const bool has_body = !answer.body.empty() || (answer.stable_prefix && !answer.stable_prefix->text().empty());
    if (state.options.gzip_level > 0 && has_body && accepts_gzip(request)) {
      body = compress(answer, state.gzip);
      if (body) response.set(bhttp::field::content_encoding, "gzip");
    }
  }
  if (!body) body = as_it_is(std::move(answer));
  frame(response, std::move(*body), request.method() == bhttp::verb::head);
  response.keep_alive(request.keep_alive());
  return response;
}

}  // namespace

WireResponse refuse(bhttp::status status, std::string_view reason, ServerState& state, unsigned version) {
  WireResponse response = plain(status, version, state);
  std::string body(reason);
  body += '\n';
  frame(response, std::move(body), false);
  response.keep_alive(false);
  return response;
}

WireResponse respond(const WireRequest& request, std::string_view remote, ServerState& state) {
  const unsigned version = request.version();
  if (version != 10 && version != 11) {
    return refuse(bhttp::status::http_version_not_supported, "only HTTP/1.0 and HTTP/1.1 are served", state);
  }
  if (version == 11 && request.find(bhttp::field::host) == request.end()) {
    return refuse(bhttp::status::bad_request, "an HTTP/1.1 request needs a Host header", state, version);
  }
  const bhttp::verb method = request.method();
  if (method != bhttp::verb::get && method != bhttp::verb::head) {
    WireResponse response = plain(bhttp::status::method_not_allowed, version, state);
    response.set(bhttp::field::allow, "GET, HEAD");
    frame(response, "only GET and HEAD are served\n", false);
    response.keep_alive(request.keep_alive());
    return response;
  }
  const std::string_view target = request.target();
  const auto path = path_of(target);
  if (!path) return refuse(bhttp::status::bad_request, "the request target is not a path", state, version);

  const BeastRequestHeaders headers(request);
  const HttpRequest seen{
      .method = std::string(request.method_string()),
      .target = std::string(target),
      .path = std::string(*path),
      .headers = &headers,
      .remote = std::string(remote),
  };
  return encode(call_handler(seen, state), request, seen, state);
}

WireResponse challenge(const WireRequest& request, ServerState& state) {
  WireResponse response = plain(bhttp::status::unauthorized, answerable_version(request), state);
  response.set(bhttp::field::www_authenticate, R"(Basic realm="gleaner")");
  frame(response, "unauthorized\n", request.method() == bhttp::verb::head);
  response.keep_alive(request.keep_alive());
  return response;
}

WireResponse too_busy_to_check(const WireRequest& request, ServerState& state) {
  WireResponse response = plain(bhttp::status::service_unavailable, answerable_version(request), state);
  response.set(bhttp::field::retry_after, "1");
  frame(response, "too many password checks in progress\n", request.method() == bhttp::verb::head);
  response.keep_alive(false);
  return response;
}

std::optional<bhttp::status> refusal_for(const beast::error_code& read_error) {
  if (read_error.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
    return std::nullopt;  // the network's word: timeout, reset, or closed by stop()
  }
  switch (static_cast<bhttp::error>(read_error.value())) {
    case bhttp::error::end_of_stream:    // closed between requests
    case bhttp::error::partial_message:  // closed within one
      return std::nullopt;
    case bhttp::error::header_limit:
    case bhttp::error::buffer_overflow:
      return bhttp::status::request_header_fields_too_large;
    case bhttp::error::body_limit:
      return bhttp::status::payload_too_large;
    default:
      return bhttp::status::bad_request;
  }
}

}  // namespace gleaner::http
