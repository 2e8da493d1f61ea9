#pragma once
// Joining the families of several textfiles into one result, as
// node_exporter's textfile collector joins them: a family that several
// files print is one family, its samples in file order. Where node_exporter
// drops the later file's samples one by one when files disagree (and says
// so only in its HTTP error log), a file here is taken whole or not at all:
// a file that disagrees with one before it (in name order) is left out
// entirely, with the reason, and its error flag says so. Disagreeing means:
//
//   - a family with another TYPE than the same family in an earlier file;
//   - a family with another HELP (a file without HELP agrees with any);
//   - a family taking a name another family already takes (a histogram `x`
//     and an earlier gauge `x_sum`: a reader would file both under x), or a
//     name the plugin's own series use;
//   - a series (name and labels, `le` and `quantile` compared as numbers)
//     that an earlier file already gave.
//
// A family that no file gave a HELP gets node_exporter's, "Metric read
// from PATH[, PATH…]". Pure: families in, families out.

#include <cstddef>
#include <string>
#include <vector>

#include "common/metrics/sample.h"

namespace gleaner::plugins::textfile {

struct ParsedTextfile {
  std::string name;  // within the directory, for messages
  std::string path;  // for the default HELP
  metrics::Families families;
};

struct MergedTextfiles {
  metrics::Families families;
  struct Rejected {
    std::size_t file = 0;  // index into the input
    std::string why;
  };
  std::vector<Rejected> rejected;
};

// `own_names`: names the plugin's own families take; a file using one is
// rejected.
MergedTextfiles merge_textfiles(std::vector<ParsedTextfile> files, const std::vector<std::string>& own_names);

}  // namespace gleaner::plugins::textfile
