#pragma once
// curl as the test's HTTP(S) client: a real client, with its own TLS stack
// and its own idea of basic auth, run as a child process.

#include <map>
#include <string>
#include <vector>

#include "tests/support/child_command.h"
#include "tests/support/http_client.h"

namespace gleaner::testing {

struct CurlReply {
  int exit_code = -1;  // curl's: 0 when a response (of any status) arrived
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;  // curl's own message, if any
};

// One request: curl [options] URL. `--max-time` keeps it within the test's patience.
inline CurlReply curl(const std::vector<std::string>& options, const std::string& url) {
  static constexpr std::string_view kStatusMarker = "\n@@status=";
  std::vector<std::string> argv = {"curl", "--silent",  "--show-error", "--max-time",
                                   "20",   "--include", "--write-out",  std::string(kStatusMarker) + "%{http_code}"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back(url);
  const ChildResult run = run_child(argv);
  CurlReply reply;
  reply.exit_code = run.exit_code;
  reply.error = run.err;
  const auto marker = run.out.rfind(kStatusMarker);
  if (marker == std::string::npos) return reply;
  reply.status = static_cast<unsigned>(std::stoul(run.out.substr(marker + kStatusMarker.size())));
  const std::string response = run.out.substr(0, marker);
  const auto header_end = response.find("\r\n\r\n");
  if (header_end == std::string::npos) return reply;
  std::size_t line_start = response.find("\r\n") + 2;
  while (line_start < header_end) {
    const auto line_end = response.find("\r\n", line_start);
    const std::string line = response.substr(line_start, line_end - line_start);
    if (const auto colon = line.find(':'); colon != std::string::npos) {
      const auto value = line.find_first_not_of(' ', colon + 1);
      reply.headers[lower(line.substr(0, colon))] = value == std::string::npos ? "" : line.substr(value);
    }
    line_start = line_end + 2;
  }
  reply.body = response.substr(header_end + 4);
  return reply;
}

}  // namespace gleaner::testing
