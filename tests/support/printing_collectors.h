#pragma once
// Configurations of exec collectors whose commands print fixed text: each
// command is `printf '%s' '<text>'` run by the shell, so any bytes but NUL
// reach the parser exactly as written in the test.

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace gleaner::testing {

struct PrintingCollector {
  PrintingCollector(std::string name_, std::string output_, std::string extra_ = {}, int exit_code_ = 0)
      : name(std::move(name_)), output(std::move(output_)), extra(std::move(extra_)), exit_code(exit_code_) {}

  std::string name;
  std::string output;  // what the command prints
  std::string extra;   // more keys of the collector, YAML lines ("labels: {team: infra}\nparser: {...}")
  int exit_code = 0;   // the command's exit status after printing
};

// A YAML double-quoted scalar holding text exactly.
inline std::string yaml_quoted(const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;  // UTF-8 passes as it is
    }
  }
  return out + "\"";
}

// A shell script that prints text exactly.
inline std::string printf_script(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return "printf '%s' " + quoted + "'";
}

// The `collectors:` document: each one an exec collector with a long
// interval (it runs once, at start-up, in the time of a test).
inline std::string printing_collectors_config(const std::vector<PrintingCollector>& collectors,
                                              const std::string& interval = "1h") {
  std::ostringstream yaml;
  yaml << "collectors:\n";
  for (const auto& collector : collectors) {
    yaml << "  - name: " << collector.name << "\n"
         << "    plugin: exec\n"
         << "    interval: " << interval << "\n"
         << "    shell: "
         << yaml_quoted(printf_script(collector.output) +
                        (collector.exit_code ? "; exit " + std::to_string(collector.exit_code) : ""))
         << "\n";
    std::istringstream extra(collector.extra);
    for (std::string line; std::getline(extra, line);) {
      if (!line.empty()) yaml << "    " << line << "\n";
    }
  }
  return yaml.str();
}

}  // namespace gleaner::testing
