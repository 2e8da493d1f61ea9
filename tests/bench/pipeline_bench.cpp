// The in-process work of a run and a scrape, without processes: parsing
// command output, publishing it to the store (serialisation), and rendering
// the exposition, and gzip of the collectors' part of it. Google
// Benchmark; figures per item.

#include <benchmark/benchmark.h>

#include <string>

#include "daemon/http/stable_part.h"
#include "common/metrics/metric_store.h"
#include "common/parsers/prometheus_parser.h"
#include "common/parsers/table_parser.h"

namespace {

using namespace gleaner;

std::string prometheus_text(int series) {
  std::string text = "# HELP bench_value A value.\n# TYPE bench_value gauge\n";
  for (int i = 0; i < series; ++i) {
    text += "bench_value{device=\"/dev/sd" + std::to_string(i) + "\",fstype=\"ext4\",mountpoint=\"/srv/" +
            std::to_string(i) + "\"} " + std::to_string(i * 1048576.0) + "\n";
  }
  return text;
}

std::string df_text(int rows) {
  std::string text = "Filesystem 1B-blocks Used Available Use% Mounted on\n";
  for (int i = 0; i < rows; ++i) {
    text += "/dev/sd" + std::to_string(i) + " 270552530944 17690525696 252861714432 7% /srv/data " +
            std::to_string(i) + "\n";
  }
  return text;
}

void PrometheusParse(benchmark::State& state) {
  const auto text = prometheus_text(static_cast<int>(state.range(0)));
  parsers::PrometheusParser parser{parsers::PrometheusOptions{}};
  for (auto _ : state) benchmark::DoNotOptimize(parser.parse({text, 0}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(PrometheusParse)->Arg(10)->Arg(1000)->Arg(10000);

void TableParse(benchmark::State& state) {
  const auto text = df_text(static_cast<int>(state.range(0)));
  parsers::TableOptions options;
  options.columns = {"filesystem", "size", "used", "avail", "use", "mountpoint"};
  options.labels = {"filesystem", "mountpoint"};
  options.values = {{"size", "size_bytes"}, {"used", "used_bytes"}, {"avail", "avail_bytes"}};
  parsers::TableParser parser(options);
  for (auto _ : state) benchmark::DoNotOptimize(parser.parse({text, 0}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(TableParse)->Arg(10)->Arg(10000);

void StorePublish(benchmark::State& state) {
  const auto families = parsers::PrometheusParser{parsers::PrometheusOptions{}}
                            .parse({prometheus_text(static_cast<int>(state.range(0))), 0})
                            .families;
  metrics::MetricStore store;
  for (auto _ : state) store.publish("bench", families, {{"team", "infra"}});
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(StorePublish)->Arg(10)->Arg(1000)->Arg(10000);

// Histograms of 10 buckets, 13 samples a series: the family type whose
// OpenMetrics form is checked and written apart at each publish.
std::string histogram_text(int series) {
  std::string text = "# HELP bench_latency_seconds Latency.\n# TYPE bench_latency_seconds histogram\n";
  for (int i = 0; i < series; ++i) {
    const std::string labels = "device=\"/dev/sd" + std::to_string(i) + "\"";
    long count = 0;
    for (const char* le : {"0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "10", "+Inf"}) {
      count += i % 7 + 1;
      text += "bench_latency_seconds_bucket{" + labels + ",le=\"" + le + "\"} " + std::to_string(count) + "\n";
    }
    text += "bench_latency_seconds_sum{" + labels + "} " + std::to_string(count * 0.25) + "\n";
    text += "bench_latency_seconds_count{" + labels + "} " + std::to_string(count) + "\n";
  }
  return text;
}

void StorePublishHistograms(benchmark::State& state) {
  const auto families = parsers::PrometheusParser{parsers::PrometheusOptions{}}
                            .parse({histogram_text(static_cast<int>(state.range(0)) / 12), 0})
                            .families;
  metrics::MetricStore store;
  for (auto _ : state) store.publish("bench", families, {{"team", "infra"}});
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(StorePublishHistograms)->Arg(1000)->Arg(10000);

// Arg 1: 0 the text format, 1 OpenMetrics.
void StoreRender(benchmark::State& state) {
  const auto format = state.range(1) == 0 ? metrics::TextFormat::prometheus : metrics::TextFormat::openmetrics;
  metrics::MetricStore store;
  const int collectors = 10;
  const auto families = parsers::PrometheusParser{parsers::PrometheusOptions{}}
                            .parse({prometheus_text(static_cast<int>(state.range(0)) / collectors), 0})
                            .families;
  for (int c = 0; c < collectors; ++c) store.publish("c" + std::to_string(c), families, {});
  for (auto _ : state) {
    std::string out;
    store.render({}, out, format);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(StoreRender)->ArgsProduct({{1000, 10000, 100000}, {0, 1}});

}  // namespace

// The collectors' part of a scrape of 10k series from ten collectors, as
// the store renders it, and the same after collector `changed` ran again
// with new values.
std::string ten_collectors(int changed, int run) {
  metrics::MetricStore store;
  for (int c = 0; c < 10; ++c) {
    metrics::MetricFamily family{"bench_value", metrics::MetricType::gauge, "A value.", {}};
    for (int i = 0; i < 1000; ++i) {
      family.samples.push_back({"bench_value",
                                {{"device", "/dev/sd" + std::to_string(i)}, {"mountpoint", "/srv/" + std::to_string(i)}},
                                i * 1048576.0 + (c == changed ? run : 0)});
    }
    store.publish("c" + std::to_string(c), {family}, {});
  }
  std::string text;
  store.render({}, text);
  return text;
}

// gzip of the whole part, as every first scrape after a change did before
// parts were compressed in chunks.
void StableGzipWhole(benchmark::State& state) {
  const auto text = ten_collectors(-1, 0);
  http::GzipCompressor compressor(1);
  for (auto _ : state) benchmark::DoNotOptimize(compressor.compress_prefix(text));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(StableGzipWhole);

// gzip of the part after one collector of ten published new values: only
// its chunks are compressed again.
void StableGzipOneOfTenChanged(benchmark::State& state) {
  auto before = std::make_shared<const std::string>(ten_collectors(-1, 0));
  auto after = std::make_shared<const std::string>(ten_collectors(4, 1));
  http::GzipCompressor compressor(1);
  auto previous = std::make_shared<const http::StablePart>(before);
  previous->gzip(compressor);
  for (auto _ : state) {
    http::StablePart part(after, previous);
    benchmark::DoNotOptimize(part.gzip(compressor));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(after->size()));
}
BENCHMARK(StableGzipOneOfTenChanged);

BENCHMARK_MAIN();
