// The `parser:` mapping of an exec collector, read by read_parser from
// fuzzed YAML; the parser it builds then reads fuzzed text. The input is
// the YAML document, a line "..." (YAML's own end of document), and the
// command output; without that line the YAML text is the output too. So
// this target reaches the parsers with option sets nobody wrote by hand,
// as long as they pass check_options.
//
// Asserts: read_parser never throws; it returns a parser exactly when it
// reports no error; every error has its FILE:LINE:COLUMN; the parser keeps
// the promises of parser.h (see fuzz_checks.h).

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "tests/fuzz/config_checks.h"
#include "tests/fuzz/round_trip.h"
#include "plugins/exec/parser_config.h"

namespace {

constexpr const char* kFile = "parser.yaml";
constexpr std::string_view kEndOfDocument = "\n...\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gleaner;
  const std::string_view input = fuzz::as_text(data, size);
  const auto end = input.find(kEndOfDocument);
  const std::string_view yaml = input.substr(0, end == std::string_view::npos ? end : end + 1);
  const std::string_view output = end == std::string_view::npos ? input : input.substr(end + kEndOfDocument.size());

  YAML::Node node;
  try {
    node = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception&) {
    return 0;  // the loader reports bad YAML itself; read_parser gets only nodes
  }
  // An exec collector without `parser:` (or with `parser: ~`) gets the
  // prometheus parser: read_parser is never asked about nothing.
  if (!node.IsDefined() || node.IsNull()) return -1;

  config::ErrorList errors(kFile);
  std::unique_ptr<parsers::Parser> parser;
  try {
    parser = plugins::exec::read_parser(node, errors);
  } catch (const std::exception& error) {
    fuzz::violated("read_parser never throws", error.what());
  }
  if (!parser && errors.empty()) fuzz::violated("no parser without an error saying why", std::string(yaml));
  if (parser && !errors.empty()) fuzz::violated("no parser despite errors", errors.format());
  fuzz::check_config_errors(errors, kFile);
  if (parser) fuzz::check_parse_round_trip(*parser, output, 0);
  return 0;
}
