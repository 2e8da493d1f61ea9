#include "daemon/config/config_loader.h"

#include <glob.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "common/config/credential_path.h"
#include "common/config/map_reader.h"
#include "daemon/config/web_config_file.h"
#include "daemon/config/yaml_apart.h"
#include "common/files/bounded_file.h"
#include "common/files/trusted_file.h"
#include "daemon/http/listen_address.h"
#include "common/metrics/names.h"
#include "common/units/units.h"

namespace gleaner::daemon {

const std::string_view kBuiltinConfig = R"(# gleaner's built-in default: used when no configuration file is given
# and /etc/gleaner/gleaner.yaml does not exist.
listen: "127.0.0.1:9947"
collectors:
  - name: disk
    plugin: df
    interval: 30s
    options:
      exclude_fs_types: [tmpfs, devtmpfs, overlay, squashfs]
)";

namespace {

using config::ErrorList;
using config::MapReader;
using std::chrono::milliseconds;

constexpr milliseconds kMinInterval{100};
// Beyond these a value is a slip (a unit mistyped, a digit too many), not a
// schedule: a collector run weekly is the rarest a monitor needs, and a
// command allowed a day is no longer being watched.
constexpr milliseconds kMaxInterval{7 * 24 * 3'600'000LL};
constexpr milliseconds kMaxTimeout{24 * 3'600'000LL};

std::string mark_text(const config::Mark& mark) {
  return mark.file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

class Loader {
 public:
  Loader(const plugins::ValidationOptions& options, std::optional<std::string> web_config_flag)
      : options_(options), web_config_flag_(std::move(web_config_flag)) {}

  LoadResult load(std::string_view text, const std::string& file, const std::string& base_dir) {
    DaemonConfig config;
    config.source = file;
    errors_.set_file(file);
    const auto root = parse(text, file);
    if (root && root->IsNull()) {
      errors_.add(config::Mark{file, 1, 1}, "the configuration is empty");
    } else if (root) {
      read_main(*root, base_dir, config);
    }
    LoadResult result;
    if (errors_.empty()) result.config = std::move(config);
    result.errors = std::move(errors_);
    return result;
  }

 private:
  std::optional<YAML::Node> parse(std::string_view text, const std::string& file) {
    try {
      return parse_yaml_apart(text);
    } catch (const YAML::Exception& error) {
      errors_.add(config::Mark{file, error.mark.line + 1, error.mark.column + 1}, "YAML: " + error.msg);
      return std::nullopt;
    }
  }

  void read_main(const YAML::Node& root, const std::string& base_dir, DaemonConfig& config) {
    MapReader top(root, "configuration", errors_);
    if (!top.valid()) return;
    if (auto listen = top.string("listen")) {
      std::string problem;
      if (http::parse_listen_address(*listen, &problem)) {
        config.listen = *listen;
      } else {
        errors_.add(top.value("listen"), "listen: \"" + *listen + "\": " + problem);
      }
    }
    if (auto path = top.string("metrics_path")) {
      if (path->empty() || path->front() != '/' || *path == "/" || *path == "/-/healthy" ||
          path->find_first_of(" ?#") != std::string::npos) {
        errors_.add(top.value("metrics_path"), "metrics_path: \"" + *path + "\" must be a path like /metrics");
      } else {
        config.metrics_path = *path;
      }
    }
    if (auto level = top.choice("log_level", {"trace", "debug", "info", "warn", "warning", "error"})) {
      config.log_level = *level;
    }
    if (auto format = top.choice("log_format", {"text", "json", "logfmt"})) config.log_format = *format;
    if (auto dirs = top.string_list("plugin_dirs"); dirs && !dirs->empty()) {
      errors_.add(top.value("plugin_dirs"), "plugin_dirs: shared-object plugins are not supported by this version");
    }
    if (top.has("defaults")) read_defaults(top.value("defaults"), config.defaults);
    if (top.has("limits")) read_limits(top.value("limits"), config.limits);
    if (web_config_flag_) {
      // --web.config.file wins over whatever the file says under web:.
      if (top.has("web")) {
        errors_.warn(top.value("web"), "web: is not used: --web.config.file=" + *web_config_flag_ + " is given");
      }
      config.web.security = load_web_config_file(*web_config_flag_, errors_);
    } else if (top.has("web")) {
      read_web(top.value("web"), base_dir, config.web);
    }
    if (top.has("collectors")) read_collectors(top.value("collectors"), config);
    if (auto patterns = top.string_list("include")) read_includes(*patterns, top.value("include"), base_dir, config);
    top.reject_unknown_keys();
  }

  void read_defaults(const YAML::Node& node, Defaults& defaults) {
    MapReader reader(node, "defaults", errors_);
    if (auto interval = reader.duration("interval")) check_interval(*interval, reader.value("interval"), defaults.interval);
    if (auto timeout = reader.duration("timeout")) check_timeout(*timeout, reader.value("timeout"), defaults.timeout);
    if (auto size = reader.size("max_output")) check_max_output(*size, reader.value("max_output"), defaults.max_output);
    reader.reject_unknown_keys();
  }

  void read_limits(const YAML::Node& node, Limits& limits) {
    MapReader reader(node, "limits", errors_);
    if (auto n = reader.integer("max_concurrent", 1, 4096)) limits.max_concurrent = static_cast<std::size_t>(*n);
    if (auto n = reader.integer("max_series", 1, 10'000'000)) limits.max_series = static_cast<std::size_t>(*n);
    reader.reject_unknown_keys();
  }

  void read_web(const YAML::Node& node, const std::string& base_dir, WebConfig& web) {
    MapReader reader(node, "web", errors_);
    if (reader.has("config_file")) return read_web_config_file(reader, base_dir, web);
    // Where each setting is written, for errors found when loading the files.
    std::map<std::string, YAML::Node> nodes = {{"", node}};
    // Only keys that are written: for an absent one yaml-cpp gives an invalid
    // node, which throws when assigned or asked for its mark (found by
    // tests/fuzz with `basic_auth: {usern}`). emplace copies, never assigns.
    const auto remember = [&nodes](const std::string& field, const YAML::Node& value) {
      if (value.IsDefined()) nodes.emplace(field, value);
    };
    if (reader.has("basic_auth")) {
      MapReader auth(reader.value("basic_auth"), "web.basic_auth", errors_);
      auto username = auth.required_string("username");
      auto password_file = auth.required_string("password_file");
      expand_credential(password_file, auth.value("password_file"));
      remember("basic_auth.username", auth.value("username"));
      remember("basic_auth.password_file", auth.value("password_file"));
      if (username && password_file) {
        const auto path = resolve(*password_file, base_dir);
        check_trusted(path, auth.value("password_file"));
        web.basic_auth = WebConfig::BasicAuth{*username, path};
      }
      auth.reject_unknown_keys();
    }
    if (reader.has("tls")) {
      MapReader tls(reader.value("tls"), "web.tls", errors_);
      auto cert = tls.required_string("cert_file");
      auto key = tls.required_string("key_file");
      expand_credential(cert, tls.value("cert_file"));
      expand_credential(key, tls.value("key_file"));
      remember("tls", reader.value("tls"));
      remember("tls.cert_file", tls.value("cert_file"));
      remember("tls.key_file", tls.value("key_file"));
      if (cert) check_trusted(resolve(*cert, base_dir), tls.value("cert_file"));
      if (key) check_trusted(resolve(*key, base_dir), tls.value("key_file"));
      if (cert && key) web.tls = WebConfig::Tls{resolve(*cert, base_dir), resolve(*key, base_dir)};
      tls.reject_unknown_keys();
    }
    reader.reject_unknown_keys();
    if (!errors_.empty()) return;
    // Read the files now, so that --check-config and a reload catch a bad
    // password file or certificate before anything is applied.
    http::WebSecuritySettings settings;
    if (web.basic_auth) settings.basic_auth = http::BasicAuthSettings{web.basic_auth->username, web.basic_auth->password_file};
    if (web.tls) {
      settings.tls.emplace();
      settings.tls->cert_file = web.tls->cert_file;
      settings.tls->key_file = web.tls->key_file;
    }
    auto loaded = http::load_web_security(settings);
    if (!loaded.error.empty()) {
      const auto at = nodes.find(loaded.error_field);
      errors_.add(at != nodes.end() ? at->second : node, "web." + loaded.error_field + ": " + loaded.error);
      return;
    }
    web.security = std::move(loaded.security);
  }

  // A path written at node that may name a systemd credential
  // ("${CREDENTIALS_DIRECTORY}/NAME"): expanded in place, or reset after an
  // error at node.
  void expand_credential(std::optional<std::string>& path, const YAML::Node& node) {
    if (!path) return;
    auto expanded = config::expand_credential_path(*path);
    if (expanded.error.empty()) {
      *path = std::move(expanded.path);
    } else {
      errors_.add(node, expanded.error);
      path.reset();
    }
  }

  // `web: {config_file: PATH}`: the web configuration file says it all, so
  // basic_auth and tls beside it would be a second answer to one question.
  void read_web_config_file(MapReader& reader, const std::string& base_dir, WebConfig& web) {
    auto file = reader.string("config_file");
    expand_credential(file, reader.value("config_file"));
    for (const char* inline_key : {"basic_auth", "tls"}) {
      if (reader.has(inline_key)) {
        errors_.add(reader.value(inline_key), std::string("web.") + inline_key +
                                                  " cannot be combined with web.config_file: the web configuration "
                                                  "file says who may scrape and over what; put it there");
      }
    }
    reader.reject_unknown_keys();
    if (!file || !errors_.empty()) return;
    if (file->empty()) {
      errors_.add(reader.value("config_file"), "web.config_file must not be empty");
      return;
    }
    const std::string path = resolve(*file, base_dir);
    check_trusted(path, reader.value("config_file"));
    if (!errors_.empty()) return;
    web.security = load_web_config_file(path, errors_);
  }

  // A file whose name is written at node, checked before anything reads it.
  void check_trusted(const std::string& path, const YAML::Node& node) {
    if (auto problem = files::check_trusted_file(path); !problem.empty()) errors_.add(node, problem);
  }

  static std::string resolve(const std::string& path, const std::string& base_dir) {
    return path.starts_with('/') ? path : base_dir + "/" + path;
  }

  void check_interval(milliseconds value, const YAML::Node& node, milliseconds& out) {
    if (value < kMinInterval) {
      errors_.add(node, "interval must be at least " + units::format_duration(kMinInterval));
    } else if (value > kMaxInterval) {
      errors_.add(node, "interval must be at most " + units::format_duration(kMaxInterval));
    } else {
      out = value;
    }
  }
  void check_timeout(milliseconds value, const YAML::Node& node, milliseconds& out) {
    if (value.count() <= 0) {
      errors_.add(node, "timeout must be more than 0");
    } else if (value > kMaxTimeout) {
      errors_.add(node, "timeout must be at most " + units::format_duration(kMaxTimeout));
    } else {
      out = value;
    }
  }
  void check_max_output(std::uint64_t value, const YAML::Node& node, std::size_t& out) {
    if (value == 0 || value > (1ull << 30)) {
      errors_.add(node, "max_output must be from 1 byte to 1GiB");
    } else {
      out = static_cast<std::size_t>(value);
    }
  }

  void read_collectors(const YAML::Node& list, DaemonConfig& config) {
    if (!list.IsSequence()) {
      errors_.add(list, "collectors must be a list of collectors");
      return;
    }
    for (const auto& entry : list) read_collector(entry, config);
  }

  void read_collector(const YAML::Node& entry, DaemonConfig& config) {
    MapReader reader(entry, "collector", errors_);
    if (!reader.valid()) return;
    CollectorConfig collector;
    collector.mark = errors_.mark_of(entry);
    auto& settings = collector.settings;
    settings.interval = config.defaults.interval;
    settings.timeout = config.defaults.timeout;
    settings.max_output = config.defaults.max_output;

    const auto name = reader.required_string("name");
    if (name && !metrics::is_valid_label_name(*name)) {
      errors_.add(reader.value("name"), "collector name \"" + *name + "\" must match [a-zA-Z_][a-zA-Z0-9_]*");
    } else if (name) {
      const auto [it, inserted] = names_.try_emplace(*name, errors_.mark_of(reader.value("name")));
      if (!inserted) {
        errors_.add(reader.value("name"), "duplicate collector name \"" + *name + "\" (first defined at " +
                                              mark_text(it->second) + ")");
      }
      settings.name = *name;
    }
    if (auto interval = reader.duration("interval")) check_interval(*interval, reader.value("interval"), settings.interval);
    if (auto timeout = reader.duration("timeout")) check_timeout(*timeout, reader.value("timeout"), settings.timeout);
    if (auto size = reader.size("max_output")) check_max_output(*size, reader.value("max_output"), settings.max_output);
    if (auto labels = reader.string_map("labels")) read_labels(*labels, reader.value("labels"), settings.labels);

    const auto plugin_name = reader.required_string("plugin");
    const plugins::PluginFactory* factory = nullptr;
    if (plugin_name) {
      factory = plugins::PluginRegistry::instance().find(*plugin_name);
      if (!factory) {
        std::string known;
        for (const auto& known_name : plugins::PluginRegistry::instance().names()) {
          known += (known.empty() ? "" : ", ") + known_name;
        }
        errors_.add(reader.value("plugin"), "unknown plugin \"" + *plugin_name + "\" (known: " + known + ")");
      }
      settings.plugin = *plugin_name;
    }
    if (!factory) return;  // its keys cannot be told from unknown ones
    const std::size_t errors_before = errors_.size();
    std::unique_ptr<plugins::Collector> created;
    try {
      created = factory->create(settings, reader, options_);
    } catch (const std::exception& error) {
      // A plugin that trips over a YAML shape it did not expect (yaml-cpp
      // throws on a lookup in a missing key, say) must not stop the daemon:
      // a reload runs here on its only thread. Found by tests/fuzz with the
      // exec plugin and `parser: {metric: m}`, a parser without a type.
      errors_.add(entry, "plugin \"" + settings.plugin + "\" could not read this collector: " + error.what());
      return;  // its keys cannot be told from unknown ones
    }
    reader.reject_unknown_keys();
    if (!created || errors_.size() != errors_before || !name) return;
    collector.collector = std::move(created);
    collector.fingerprint = fingerprint(entry, settings);
    config.collectors.push_back(std::move(collector));
  }

  void read_labels(const std::vector<std::pair<std::string, std::string>>& labels, const YAML::Node& node,
                   metrics::Labels& out) {
    // Point at the key at fault, not at the whole mapping.
    const auto key_node = [&](const std::string& name) {
      for (const auto& entry : node) {
        if (entry.first.IsScalar() && entry.first.Scalar() == name) return entry.first;
      }
      return node;
    };
    for (const auto& [name, value] : labels) {
      if (!metrics::is_valid_label_name(name) || name.rfind("__", 0) == 0) {
        errors_.add(key_node(name), "labels: \"" + name + "\" is not a valid label name");
      } else if (name == "collector") {
        errors_.add(key_node(name), "labels: \"collector\" is set by gleaner itself");
      } else {
        out.push_back(metrics::Label{name, value});
      }
    }
  }

  // The entry as written plus the defaults it took: equal exactly when a
  // reload would build the same collector.
  static std::string fingerprint(const YAML::Node& entry, const plugins::CollectorSettings& settings) {
    YAML::Emitter out;
    out << entry;
    return std::string(out.c_str()) + "\n#" + std::to_string(settings.interval.count()) + "/" +
           std::to_string(settings.timeout.count()) + "/" + std::to_string(settings.max_output);
  }

  void read_includes(const std::vector<std::string>& patterns, const YAML::Node& node, const std::string& base_dir,
                     DaemonConfig& config) {
    const std::string main_file = errors_.file();
    // Each file once, however many patterns match it (and never the main
    // file again): read twice, its collectors would duplicate themselves.
    std::set<std::filesystem::path> seen = {same_file_key(main_file)};
    for (const auto& pattern : patterns) {
      const std::string full = pattern.starts_with('/') ? pattern : base_dir + "/" + pattern;
      glob_t matches{};
      const int status = ::glob(full.c_str(), GLOB_ERR, nullptr, &matches);
      if (status != 0 && status != GLOB_NOMATCH) {
        errors_.set_file(main_file);
        errors_.add(node, "include: cannot read \"" + full + "\"");
      }
      for (std::size_t i = 0; status == 0 && i < matches.gl_pathc; ++i) {
        if (seen.insert(same_file_key(matches.gl_pathv[i])).second) read_include(matches.gl_pathv[i], config);
      }
      ::globfree(&matches);
    }
    errors_.set_file(main_file);
  }

  // One key for every way of naming a file ("conf.d/a.yaml",
  // "./conf.d/a.yaml", a symbolic link to it).
  static std::filesystem::path same_file_key(const std::string& path) {
    std::error_code error;
    auto key = std::filesystem::weakly_canonical(path, error);
    return error ? std::filesystem::path(path).lexically_normal() : key;
  }

  void read_include(const std::string& path, DaemonConfig& config) {
    errors_.set_file(path);
    const auto file = files::read_trusted_file(path, kMaxConfigFileBytes);
    if (!file.error.empty()) {
      errors_.add(config::Mark{path, 0, 0}, file.error);
      return;
    }
    const auto root = parse(file.content, path);
    if (!root || root->IsNull()) return;  // an empty file adds nothing
    MapReader reader(*root, "included file", errors_);
    if (reader.has("collectors")) read_collectors(reader.value("collectors"), config);
    reader.reject_unknown_keys();
  }

  plugins::ValidationOptions options_;
  std::optional<std::string> web_config_flag_;
  ErrorList errors_;
  std::map<std::string, config::Mark> names_;
};

}  // namespace

LoadResult load_config_text(std::string_view text, const std::string& file, const std::string& base_dir,
                            const plugins::ValidationOptions& options, const std::optional<std::string>& web_config_file) {
  auto result = Loader(options, web_config_file).load(text, file, base_dir);
  release_freed_memory();  // the YAML trees, now freed (yaml_apart.h)
  return result;
}

LoadResult load_config_file(const std::string& path, const plugins::ValidationOptions& options,
                            const std::optional<std::string>& web_config_file) {
  // A directory would otherwise be reported as an unreadable or empty
  // configuration, which sends the user looking in the wrong place.
  if (std::error_code error; std::filesystem::is_directory(path, error)) {
    LoadResult result;
    result.errors.add(config::Mark{path, 0, 0}, path + " is a directory, not a configuration file");
    return result;
  }
  // Read only once trusted, never blocking, never without end: --check-config
  // and a reload end whatever the path leads to.
  const auto file = files::read_trusted_file(path, kMaxConfigFileBytes);
  if (!file.error.empty()) {
    LoadResult result;
    result.errors.add(config::Mark{path, 0, 0}, file.system_error != 0 ? "cannot read the configuration file: " +
                                                                           std::system_category().message(file.system_error)
                                                                     : file.error);
    return result;
  }
  const auto base_dir = std::filesystem::path(path).parent_path().string();
  return load_config_text(file.content, path, base_dir.empty() ? "." : base_dir, options, web_config_file);
}

}  // namespace gleaner::daemon
