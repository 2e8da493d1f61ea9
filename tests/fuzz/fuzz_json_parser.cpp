// The JSON parser under option sets picked by the first byte:
//   '0'  service_status.json: nested paths, quoted keys with spaces, labels
//   '1'  the same document, `each` over its databases array
//   '2'  ip -j -s link: `each: "."` (the document is the array), counters
//   '3'  lsblk -J: keys with ':', null in a list

#include <memory>

#include "tests/fuzz/round_trip.h"
#include "common/parsers/json_parser.h"

namespace {

using gleaner::metrics::MetricType;
using gleaner::parsers::JsonOptions;
using gleaner::parsers::JsonParser;

gleaner::fuzz::ParserSet make_parsers() {
  gleaner::fuzz::ParserSet all;
  JsonOptions status;
  status.values = {{"uptime_seconds", "uptime_seconds"},
                   {"healthy", "healthy"},
                   {"queue_depth", "queue.depth"},
                   {"cache_size_bytes", "cache.size"},
                   {"orders_get_requests", "endpoints.GET /orders.requests"}};
  status.labels = {{"service", "service"}, {"version", "version"}, {"go_version", "build-info.go-version"}};
  all.push_back(std::make_unique<JsonParser>(status));

  JsonOptions databases;
  databases.each = "databases";
  databases.values = {{"db_connections_active", "connections.active"},
                      {"db_replication_lag_seconds", "lag_seconds"},
                      {"db_reachable", "reachable"}};
  databases.labels = {{"name", "name"}, {"role", "role"}};
  all.push_back(std::make_unique<JsonParser>(databases));

  JsonOptions links;
  links.each = ".";
  links.type = MetricType::counter;
  links.values = {{"network_receive_bytes_total", "stats64.rx.bytes"},
                  {"network_transmit_packets_total", "stats64.tx.packets"}};
  links.labels = {{"device", "ifname"}, {"mtu", "mtu"}, {"first_flag", "flags[0]"}};
  all.push_back(std::make_unique<JsonParser>(links));

  JsonOptions blocks;
  blocks.each = "blockdevices";
  blocks.values = {{"block_device_size_bytes", "size"}, {"block_device_read_only", "ro"}};
  blocks.labels = {{"name", "name"}, {"major_minor", "maj:min"}};
  all.push_back(std::make_unique<JsonParser>(blocks));
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gleaner::fuzz::ParserSet parsers = make_parsers();
  const auto picked = gleaner::fuzz::pick_option_set(data, size, parsers.size());
  gleaner::fuzz::check_parse_round_trip(*parsers[picked.index], picked.text);
  return 0;
}
