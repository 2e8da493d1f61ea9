#pragma once
// The judge of OpenMetrics: the strict parser of the Prometheus Python
// client (Debian's python3-prometheus-client, run by /usr/bin/python3),
// which checks what the text grammar alone does not: +Inf buckets, bucket
// order, integer counts, counters never negative, `# EOF`, names that
// clash between families.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/shell_output.h"

namespace gleaner::testing {

struct OpenMetricsVerdict {
  bool valid = false;
  std::string error;        // the parser's complaint when not valid
  nlohmann::json families;  // [{name, type, unit, help, samples: [{name, labels, value}]}]
};

inline bool openmetrics_parser_installed() {
  return std::system("/usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' >/dev/null 2>&1") == 0;
}

inline OpenMetricsVerdict openmetrics_check(const std::string& exposition) {
  static const char* const kScript = R"(
import json, math, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = open(sys.argv[1], encoding='utf-8').read()
try:
    out = []
    for f in text_string_to_metric_families(text):
        out.append({'name': f.name, 'type': f.type, 'unit': f.unit, 'help': f.documentation,
                    'samples': [{'name': s.name, 'labels': s.labels,
                                 'value': s.value if math.isfinite(s.value) else str(s.value)} for s in f.samples]})
    print(json.dumps({'valid': True, 'families': out}))
except Exception as e:
    print(json.dumps({'valid': False, 'error': type(e).__name__ + ': ' + str(e)}))
)";
  char path[] = "/tmp/gleaner-openmetrics-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return {false, "mkstemp failed", {}};
  std::size_t written = 0;
  while (written < exposition.size()) {
    const auto n = ::write(fd, exposition.data() + written, exposition.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  char script_path[] = "/tmp/gleaner-openmetrics-script-XXXXXX";
  const int script_fd = ::mkstemp(script_path);
  if (script_fd < 0) return {false, "mkstemp failed", {}};
  const std::string script = kScript;
  if (::write(script_fd, script.data(), script.size()) != static_cast<ssize_t>(script.size())) {
    return {false, "cannot write the script", {}};
  }
  ::close(script_fd);
  const std::string command = std::string("/usr/bin/python3 ") + script_path + " " + path + " 2>&1";
  const std::string output = shell_output(command);
  ::unlink(path);
  ::unlink(script_path);
  const auto answer = nlohmann::json::parse(output, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) return {false, "the parser did not answer: " + output, {}};
  OpenMetricsVerdict verdict;
  verdict.valid = answer.value("valid", false);
  verdict.error = answer.value("error", std::string());
  if (verdict.valid) verdict.families = answer["families"];
  return verdict;
}

}  // namespace gleaner::testing
