#pragma once
// What parser tests ask of an output: that it is valid, and where a sample is.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/metrics/sample.h"
#include "common/metrics/validate.h"
#include "common/parsers/parser.h"

namespace gleaner::testing {

// Names the cases of a parameterised test by their place in the list. The
// default prints a struct's bytes, addresses included: names that change
// from run to run, which ctest could then not find.
struct ByIndex {
  template <typename Param>
  std::string operator()(const ::testing::TestParamInfo<Param>& info) const {
    return "case" + std::to_string(info.index);
  }
};

// Succeeded, and what it made passes check_families.
inline ::testing::AssertionResult parsed_valid(const parsers::ParseOutput& output) {
  if (!output.ok()) return ::testing::AssertionFailure() << "parse failed: " << output.error;
  if (auto problem = metrics::check_families(output.families); !problem.empty()) {
    return ::testing::AssertionFailure() << "invalid families: " << problem;
  }
  return ::testing::AssertionSuccess();
}

// Either an error, or valid families: never invalid output.
inline ::testing::AssertionResult error_or_valid(const parsers::ParseOutput& output) {
  if (!output.ok()) {
    if (!output.families.empty()) return ::testing::AssertionFailure() << "families beside an error";
    return ::testing::AssertionSuccess();
  }
  return parsed_valid(output);
}

inline const metrics::MetricFamily* find_family(const metrics::Families& families, std::string_view name) {
  for (const auto& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

// The sample with this name whose labels include all of `labels`.
inline const metrics::Sample* find_sample(const metrics::Families& families, std::string_view name,
                                          const metrics::Labels& labels = {}) {
  for (const auto& family : families) {
    for (const auto& sample : family.samples) {
      if (sample.name != name) continue;
      bool all = true;
      for (const auto& wanted : labels) {
        bool found = false;
        for (const auto& label : sample.labels) found |= label == wanted;
        all &= found;
      }
      if (all) return &sample;
    }
  }
  return nullptr;
}

// The value of that sample, or -12345 (a value no fixture has) when there is
// none, so that a failing EXPECT_DOUBLE_EQ shows both numbers.
inline double value_of(const metrics::Families& families, std::string_view name, const metrics::Labels& labels = {}) {
  const auto* sample = find_sample(families, name, labels);
  return sample ? sample->value : -12345.0;
}

inline std::size_t sample_count(const metrics::Families& families) {
  std::size_t count = 0;
  for (const auto& family : families) count += family.samples.size();
  return count;
}

}  // namespace gleaner::testing
