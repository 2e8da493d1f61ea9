#include "daemon/plugin_list.h"

#include "plugins/plugin_api.h"

namespace gleaner::daemon {

std::string list_plugins_text() {
  const auto& registry = plugins::PluginRegistry::instance();
  std::string text;
  for (const auto& name : registry.names()) {
    const auto* factory = registry.find(name);
    const auto description = factory->description();
    text += name + ": " + (description.empty() ? std::string("(no description)") : std::string(description)) + "\n";
    for (const auto& option : factory->options()) text += "  " + option.name + ": " + option.summary + "\n";
  }
  return text;
}

}  // namespace gleaner::daemon
