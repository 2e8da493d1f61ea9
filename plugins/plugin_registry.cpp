#include "plugins/plugin_api.h"

namespace gleaner::plugins {

std::string_view to_string(FailureReason reason) {
  switch (reason) {
    case FailureReason::spawn: return "spawn";
    case FailureReason::timeout: return "timeout";
    case FailureReason::exit_code: return "exit_code";
    case FailureReason::output_limit: return "output_limit";
    case FailureReason::parse: return "parse";
    case FailureReason::series_limit: return "series_limit";
    case FailureReason::internal: return "internal";
  }
  return "unknown";
}

boost::asio::awaitable<CollectOutcome> Collector::stream(CollectContext& context, Publish publish) {
  // A periodic collector asked to stream publishes one run and ends.
  publish(co_await collect(context));
  co_return CollectOutcome::success({});
}

PluginRegistry& PluginRegistry::instance() {
  static PluginRegistry registry;  // built on first use: safe from static initialisers
  return registry;
}

void PluginRegistry::add(std::unique_ptr<PluginFactory> factory) {
  const std::string name(factory->name());
  factories_[name] = std::move(factory);
}

const PluginFactory* PluginRegistry::find(std::string_view name) const {
  const auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : it->second.get();
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

}  // namespace gleaner::plugins
