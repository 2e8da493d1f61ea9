#pragma once
// Reading Nagios plugin performance data, as the Nagios plugin development
// guidelines define it:
//
//   'label'=value[UOM];[warn];[crit];[min];[max]
//
// Items are separated by blanks or line ends. A label may be quoted with
// single quotes, and then hold spaces and '='; '' inside quotes is a quote.
// Empty fields (";;;") and trailing ';' are fine. A value of U means the
// plugin could not measure it. A decimal comma ("0,5") is read as a point.
//
// Units are converted to base units: s, ms, us → seconds; B, KB, MB, GB, TB
// → bytes (1024 multiples, as Nagios means them; KiB…TiB too, and the
// two-letter forms in any case, since check_nt prints "Gb");
// % → ratio (0–1); c → counter (unchanged). Another unit (°C, rpm, dBm)
// leaves the value as it is and is kept as printed.
//
// warn and crit are exported only when they are a plain number (the upper
// end of the range 0..N); ranges such as 10:20, ~:5 or @1:2 cannot become
// one sample and are skipped. min and max must be numbers when present.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner::parsers {

struct PerfdataItem {
  std::string label;            // unquoted, as printed (not yet valid UTF-8)
  std::optional<double> value;  // nullopt for U
  std::string unit;             // "seconds", "bytes", "ratio", "counter", "", or another UOM as printed
  std::optional<double> warning, critical, min, max;  // in the value's base unit
};

// Called with what is wrong with an item that cannot be read; true to go on
// with the next item (items are separated by blanks), false to stop there.
using BadItem = std::function<bool(const std::string& message)>;

// Appends every item of `text` that can be read to `items`.
void read_perfdata(std::string_view text, std::vector<PerfdataItem>& items, const BadItem& on_bad);

// The same, stopping at the first bad item: "" or what could not be read.
std::string read_perfdata(std::string_view text, std::vector<PerfdataItem>& items);

}  // namespace gleaner::parsers
