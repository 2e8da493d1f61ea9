#pragma once
// The server's HTTP rules, apart from any I/O: what a request that was read
// gets as an answer, and what a request that could not be read gets.
// Connections of any stream type (plain TCP now, TLS later) share them.

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string_view>

#include "daemon/http/server_state.h"
#include "daemon/http/shared_body.h"

namespace gleaner::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
// A response's body is pieces written as they are (shared_body.h): a
// scrape's shared part goes out without being copied.
using WireResponse = boost::beast::http::response<SharedBuffersBody>;

// Request bodies are not for this server; a small one (a client's habit) is
// read and ignored, a larger one is refused.
inline constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024;

// The answer to a complete request: the handler's for GET and HEAD, the
// server's own for anything else. Its keep_alive() says whether the
// connection stays open afterwards.
WireResponse respond(const WireRequest& request, std::string_view remote, ServerState& state);

// An answer that ends the connection: for a request that could not be read,
// or that the server will not serve.
WireResponse refuse(boost::beast::http::status status, std::string_view reason, ServerState& state,
                    unsigned version = 11);

// 401 for a request without valid basic auth credentials, with the
// challenge that makes browsers ask for them. The connection stays open
// when the request allows it: a browser answers the challenge on it.
WireResponse challenge(const WireRequest& request, ServerState& state);

// 503 for a request whose credentials cannot be checked now because too
// many checks are pending. The connection closes, which sheds the load.
WireResponse too_busy_to_check(const WireRequest& request, ServerState& state);

// What a failed read deserves: a status to refuse with, or nothing when
// there is no one to answer (the client left, timed out, or was closed).
std::optional<boost::beast::http::status> refusal_for(const boost::beast::error_code& read_error);

}  // namespace gleaner::http
