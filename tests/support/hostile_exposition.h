#pragma once
// Random Prometheus text that collectors print to hurt each other and the
// daemon: gleaner's reserved names, label names that clash with `collector`
// and configured labels, families of one name with different TYPEs across
// collectors, a histogram against a gauge of its _sum, float counts, odd
// bounds, escapes and UTF-8 in label values and HELP, empty families, a
// malformed line, and what OpenMetrics alone refuses (negative or NaN
// counters, quantiles outside [0, 1], names that clash with a counter's
// NAME_total or a histogram's NAME_created). Each output also holds one valid series of its own.
// Reproducible from the seed.

#include <algorithm>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace gleaner::testing {

struct HostileCollector {
  std::string name;
  std::string output;  // what its command prints
  std::string labels;  // its configured labels, a YAML flow map ("{team: t1}"), or empty
  std::string own;     // the name of its own valid series
};

class HostileExpositionGenerator {
 public:
  explicit HostileExpositionGenerator(std::uint64_t seed) : random_(seed) {}

  std::vector<HostileCollector> collectors(int count) {
    // Names whose alphabetical order is not the configuration's.
    std::vector<std::string> letters;
    for (char c = 'a'; c <= 'z'; ++c) letters.emplace_back(1, c);
    std::shuffle(letters.begin(), letters.end(), random_);
    std::vector<HostileCollector> out;
    for (int i = 0; i < count; ++i) {
      HostileCollector collector;
      collector.name = "hostile_" + letters[static_cast<std::size_t>(i)] + std::to_string(i);
      if (chance(0.5)) collector.labels = "{team: t" + std::to_string(i) + "}";
      collector.own = "own_" + collector.name;
      collector.output = output_for(collector);
      out.push_back(std::move(collector));
    }
    return out;
  }

 private:
  using Piece = void (HostileExpositionGenerator::*)(std::ostringstream&);

  std::string output_for(const HostileCollector& collector) {
    claimed_.clear();
    std::ostringstream text;
    static const Piece kPieces[] = {
        &HostileExpositionGenerator::reserved_names,   &HostileExpositionGenerator::clashing_label_names,
        &HostileExpositionGenerator::contested_family, &HostileExpositionGenerator::suffix_clash,
        &HostileExpositionGenerator::odd_histogram,    &HostileExpositionGenerator::float_summary,
        &HostileExpositionGenerator::escaped_values,   &HostileExpositionGenerator::empty_family,
        &HostileExpositionGenerator::escaped_help,     &HostileExpositionGenerator::interleaved,
        &HostileExpositionGenerator::malformed_line,   &HostileExpositionGenerator::openmetrics_traps,
    };
    const int pieces = between(3, 9);
    std::vector<std::string> parts;
    for (int i = 0; i < pieces; ++i) {
      std::ostringstream part;
      (this->*kPieces[static_cast<std::size_t>(between(0, std::size(kPieces) - 1))])(part);
      parts.push_back(part.str());
    }
    std::ostringstream own;
    own << "# HELP " << collector.own << " The collector's own series.\n"
        << "# TYPE " << collector.own << " gauge\n"
        << collector.own << "{k=\"v\"} " << between(0, 1000) << "\n";
    parts.insert(parts.begin() + between(0, static_cast<int>(parts.size())), own.str());
    for (const auto& part : parts) text << part;
    return text.str();
  }

  // A family name not yet used in this output, with its histogram and
  // summary parts' names.
  bool claim(const std::string& name) {
    for (const auto& taken : {name, name + "_sum", name + "_count", name + "_bucket"}) {
      if (claimed_.count(taken)) return false;
    }
    for (const char* suffix : {"_sum", "_count", "_bucket"}) {
      const std::string s = suffix;
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0 &&
          claimed_.count(name.substr(0, name.size() - s.size())))
        return false;
    }
    claimed_.insert(name);
    return true;
  }

  void reserved_names(std::ostringstream& out) {
    static const char* const kForgeries[] = {
        "gleaner_collector_up 1\n",
        "# TYPE gleaner_collector_up gauge\ngleaner_collector_up 0\n",
        "gleaner_collector_up{collector=\"hostile_a0\"} 0\n",
        "# TYPE process_open_fds counter\nprocess_open_fds 5\n",
        "process_cpu_seconds_total 1e9\n",
        "gleaner_build_info{version=\"forged\"} 1\n",
        "# HELP gleaner_collector_series Forged.\n# TYPE gleaner_collector_series histogram\n"
        "gleaner_collector_series_bucket{le=\"+Inf\"} 1\ngleaner_collector_series_sum 1\n"
        "gleaner_collector_series_count 1\n",
        "# TYPE process_start_time_seconds summary\nprocess_start_time_seconds{quantile=\"0.5\"} 1\n",
    };
    const std::string forgery = kForgeries[between(0, std::size(kForgeries) - 1)];
    const auto name = forgery.substr(forgery[0] == '#' ? std::string("# TYPE ").size() : 0);
    if (claim(name.substr(0, name.find_first_of(" {")))) out << forgery;
  }

  void clashing_label_names(std::ostringstream& out) {
    static const char* const kLabelSets[] = {
        "collector=\"a\",exported_collector=\"b\"",
        "exported_collector=\"b\",collector=\"a\"",
        "collector=\"a\",exported_collector=\"b\",exported_exported_collector=\"c\"",
        "team=\"x\",exported_team=\"y\"",
        "team=\"x\",collector=\"y\",exported_team=\"z\"",
        "collector=\"\"",
        "exported_collector=\"e\"",
    };
    const auto name = "clash_labels_" + std::to_string(between(0, 3));
    if (!claim(name)) return;
    out << name << "{" << kLabelSets[between(0, std::size(kLabelSets) - 1)] << "} " << between(0, 9) << "\n";
    if (chance(0.5)) out << name << "{" << kLabelSets[between(0, std::size(kLabelSets) - 1)] << "} 1.5\n";
  }

  // The same few names, a random TYPE in each collector.
  void contested_family(std::ostringstream& out) {
    const auto name = "contested_" + std::to_string(between(0, 2));
    if (!claim(name)) return;
    switch (between(0, 4)) {
      case 0: out << "# TYPE " << name << " gauge\n" << name << "{k=\"g\"} 1\n"; break;
      case 1: out << "# TYPE " << name << " counter\n" << name << "{k=\"c\"} 2\n"; break;
      case 2: out << name << "{k=\"u\"} 3\n"; break;
      case 3: histogram(out, name); break;
      default: summary(out, name); break;
    }
  }

  // A histogram or summary x here, a gauge x_sum / x_count / x_bucket in
  // another collector.
  void suffix_clash(std::ostringstream& out) {
    static const char* const kSuffixes[] = {"_sum", "_count", "_bucket"};
    const std::string base = "suffixed";
    if (chance(0.5)) {
      if (!claim(base)) return;
      chance(0.5) ? histogram(out, base) : summary(out, base);
    } else {
      const auto name = base + kSuffixes[between(0, 2)];
      if (!claim(name)) return;
      out << "# TYPE " << name << " gauge\n" << name << " " << between(0, 9) << "\n";
    }
  }

  void odd_histogram(std::ostringstream& out) {
    const auto name = "odd_hist_" + std::to_string(between(0, 1));
    if (claim(name)) histogram(out, name);
  }

  void float_summary(std::ostringstream& out) {
    const auto name = "float_summary_" + std::to_string(between(0, 1));
    if (claim(name)) summary(out, name);
  }

  void histogram(std::ostringstream& out, const std::string& name) {
    static const char* const kBounds[] = {"0.5", "1", "1.0", "1e3", "+Inf", "0.25", "10", "1e-3", "1E2"};
    out << "# TYPE " << name << " histogram\n";
    const int buckets = between(0, 5);
    const std::string labels = chance(0.3) ? "path=\"/a\"," : "";
    for (int i = 0; i < buckets; ++i) {
      out << name << "_bucket{" << labels << "le=\"" << kBounds[between(0, std::size(kBounds) - 1)] << "\"} "
          << count() << "\n";
    }
    if (chance(0.8)) out << name << "_sum" << (labels.empty() ? "" : "{path=\"/a\"}") << " " << count() << "\n";
    if (chance(0.8)) out << name << "_count" << (labels.empty() ? "" : "{path=\"/a\"}") << " " << count() << "\n";
  }

  void summary(std::ostringstream& out, const std::string& name) {
    static const char* const kQuantiles[] = {"0.5", "0.50", "0.9", "0.99", "0.990", "1", "0"};
    out << "# TYPE " << name << " summary\n";
    const int quantiles = between(0, 4);
    for (int i = 0; i < quantiles; ++i) {
      out << name << "{quantile=\"" << kQuantiles[between(0, std::size(kQuantiles) - 1)] << "\"} " << count()
          << "\n";
    }
    if (chance(0.8)) out << name << "_sum " << count() << "\n";
    if (chance(0.8)) out << name << "_count " << count() << "\n";
  }

  // A count as commands print them: integers, floats, huge, exponents.
  std::string count() {
    static const char* const kCounts[] = {"0",   "1",      "2693.9", "123.5",           "9007199254740993",
                                          "1e3", "1e-300", "7",      "0.30000000000000004", "42"};
    return kCounts[between(0, std::size(kCounts) - 1)];
  }

  void escaped_values(std::ostringstream& out) {
    static const char* const kValues[] = {
        R"(back\\slash)", R"(a \"quoted\" word)", R"(line\nbreak)", "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
        "\xf0\x9f\x90\x9d", R"(all\\ \" \n )" "\xc3\xa9", "",
    };
    const auto name = "escaped_" + std::to_string(between(0, 1));
    if (!claim(name)) return;
    const int series = between(1, 3);
    for (int i = 0; i < series; ++i) {
      out << name << "{v=\"" << kValues[between(0, std::size(kValues) - 1)] << "\",i=\"" << i << "\"} " << i
          << "\n";
    }
  }

  void empty_family(std::ostringstream& out) {
    const auto name = "empty_" + std::to_string(between(0, 2));
    if (!claim(name)) return;
    if (chance(0.5)) out << "# HELP " << name << " Nothing printed.\n";
    out << "# TYPE " << name << (chance(0.5) ? " gauge\n" : " histogram\n");
  }

  void escaped_help(std::ostringstream& out) {
    static const char* const kHelps[] = {
        R"(A backslash \\ and a newline \n in help.)", "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\x9d.",
        R"(Quotes " stay as they are.)", "", R"(Trailing backslash \\)",
    };
    const auto name = "helped_" + std::to_string(between(0, 2));
    if (!claim(name)) return;
    out << "# HELP " << name << " " << kHelps[between(0, std::size(kHelps) - 1)] << "\n"
        << "# TYPE " << name << " gauge\n"
        << name << " " << between(0, 9) << "\n";
  }

  void interleaved(std::ostringstream& out) {
    const auto a = "woven_a" + std::to_string(between(0, 1));
    const auto b = "woven_b" + std::to_string(between(0, 1));
    if (!claim(a) || !claim(b)) return;
    out << a << " 1\n" << b << " 1\n" << a << "{x=\"1\"} 2\n";
  }

  // What only OpenMetrics refuses (a counter negative or NaN, a quantile
  // outside [0, 1], a negative quantile value or _sum, _sum beside negative
  // buckets), and the names a counter or histogram takes there only
  // (NAME_total, NAME_created), printed by another collector.
  void openmetrics_traps(std::ostringstream& out) {
    const auto pick = [&](std::initializer_list<const char*> choices) {
      return *(choices.begin() + between(0, static_cast<int>(choices.size()) - 1));
    };
    switch (between(0, 3)) {
      case 0: {
        const auto name = "om_counter_" + std::to_string(between(0, 1));
        if (!claim(name)) return;
        out << "# TYPE " << name << " counter\n"
            << name << "{k=\"a\"} " << pick({"-3", "NaN", "5", "+Inf", "0", "2693.9"}) << "\n";
        break;
      }
      case 1: {
        const auto name = "om_summary_" + std::to_string(between(0, 1));
        if (!claim(name)) return;
        out << "# TYPE " << name << " summary\n"
            << name << "{quantile=\"" << pick({"1.5", "-0.5", "0.5", "+Inf", "1"}) << "\"} "
            << pick({"-1", "2", "NaN"}) << "\n"
            << name << "_sum " << pick({"-2", "3", "NaN"}) << "\n"
            << name << "_count " << pick({"1", "1.5", "-1"}) << "\n";
        break;
      }
      case 2: {
        const auto name = "om_negative_hist_" + std::to_string(between(0, 1));
        if (!claim(name)) return;
        out << "# TYPE " << name << " histogram\n"
            << name << "_bucket{le=\"" << pick({"-1", "-Inf", "0"}) << "\"} 0\n"
            << name << "_bucket{le=\"" << pick({"+Inf", "Inf", "+inf"}) << "\"} 1\n"
            << name << "_sum " << pick({"-0.5", "0.5"}) << "\n"
            << name << "_count 1\n";
        break;
      }
      default: {
        if (!claim("om_clash (one of a set)")) return;
        static const char* const kClashes[] = {
            "# TYPE om_clash counter\nom_clash 1\n",
            "# TYPE om_clash_total counter\nom_clash_total 2\n",
            "# TYPE om_clash_total gauge\nom_clash_total 3\n",
            "# TYPE om_clash gauge\nom_clash 4\n",
            "# TYPE om_clash_created gauge\nom_clash_created 5\n",
            "# TYPE om_clash_h histogram\nom_clash_h_bucket{le=\"+Inf\"} 1\nom_clash_h_sum 1\nom_clash_h_count 1\n",
            "om_clash_h_created 6\n",
        };
        out << kClashes[between(0, std::size(kClashes) - 1)];
        break;
      }
    }
  }

  void malformed_line(std::ostringstream& out) {
    static const char* const kLines[] = {
        "broken{ 1\n", "no_value\n", "bad_label{x=unquoted} 1\n", "not_a_number abc\n", "{} 3\n",
    };
    out << kLines[between(0, std::size(kLines) - 1)];
  }

  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  int between(int low, std::size_t high) { return between(low, static_cast<int>(high)); }
  bool chance(double p) { return std::bernoulli_distribution(p)(random_); }

  std::mt19937_64 random_;
  std::set<std::string> claimed_;
};

}  // namespace gleaner::testing
