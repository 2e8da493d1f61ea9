#include "daemon/config/web_config_file.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>

#include "common/config/map_reader.h"
#include "daemon/config/config_loader.h"
#include "daemon/http/response_headers.h"
#include "daemon/http/tls_names.h"
#include "common/config/credential_path.h"
#include "common/files/bounded_file.h"
#include "common/files/trusted_file.h"

namespace gleaner::daemon {
namespace {

using config::ErrorList;
using config::MapReader;

class WebConfigFileReader {
 public:
  WebConfigFileReader(std::string path, ErrorList& errors)
      : path_(std::move(path)), errors_(errors), base_dir_(std::filesystem::path(path_).parent_path().string()) {
    if (base_dir_.empty()) base_dir_ = ".";
  }

  std::shared_ptr<const http::WebSecurity> load() {
    const files::FileRead file = files::read_trusted_file(path_, kMaxConfigFileBytes);
    if (!file.error.empty()) {
      errors_.add(config::Mark{path_, 0, 0}, "web configuration file: " + file.error);
      return nullptr;
    }
    YAML::Node root;
    try {
      root = YAML::Load(file.content);
    } catch (const YAML::Exception& error) {
      errors_.add(config::Mark{path_, error.mark.line + 1, error.mark.column + 1}, "YAML: " + error.msg);
      return nullptr;
    }
    const std::size_t errors_before = errors_.size();
    http::WebSecuritySettings settings;
    // An empty file asks for nothing, as exporter-toolkit reads it.
    if (!root.IsNull()) read_top(root, settings);
    if (errors_.size() != errors_before) return nullptr;

    http::WebSecurityLoad loaded = http::load_web_security(settings);
    if (!loaded.error.empty()) {
      const auto at = fields_.find(loaded.error_field);
      const auto& [node, name] = at != fields_.end() ? at->second : std::pair<YAML::Node, std::string>{root, ""};
      errors_.add(node, (name.empty() ? "" : name + ": ") + loaded.error);
      return nullptr;
    }
    return loaded.security;
  }

 private:
  void read_top(const YAML::Node& root, http::WebSecuritySettings& settings) {
    MapReader top(root, "web configuration", errors_);
    if (!top.valid()) return;
    if (top.has("tls_server_config")) read_tls(top.value("tls_server_config"), settings);
    if (top.has("http_server_config")) read_http(top.value("http_server_config"), settings);
    if (auto users = top.string_map("basic_auth_users")) {
      for (const auto& entry : top.value("basic_auth_users")) {
        remember("basic_auth_users." + entry.first.Scalar(), entry.first, "basic_auth_users." + entry.first.Scalar());
      }
      settings.users = std::move(*users);
    }
    if (top.has("rate_limit")) read_rate_limit(top.value("rate_limit"));
    top.reject_unknown_keys();
  }

  void read_tls(const YAML::Node& node, http::WebSecuritySettings& settings) {
    MapReader reader(node, "tls_server_config", errors_);
    if (!reader.valid()) return;
    http::TlsSettings tls;
    const auto text = [&](std::string_view key) { return reader.string(key).value_or(""); };
    const auto path = [&](std::string_view key, const std::string& field) {
      std::string value = text(key);
      if (value.empty()) return value;
      // gleaner's own addition to exporter-toolkit's file: a key or
      // certificate may come from systemd's LoadCredential= (README
      // "Secrets from systemd credentials").
      auto expanded = config::expand_credential_path(value);
      if (!expanded.error.empty()) {
        errors_.add(reader.value(key), expanded.error);
        return std::string();
      }
      value = resolve(expanded.path);
      remember(field, reader.value(key), "tls_server_config." + std::string(key));
      if (const std::string problem = files::check_trusted_file(value); !problem.empty()) {
        errors_.add(reader.value(key), problem);
      }
      return value;
    };
    tls.cert_file = path("cert_file", "tls.cert_file");
    tls.key_file = path("key_file", "tls.key_file");
    tls.client_ca_file = path("client_ca_file", "tls.client_ca_file");
    tls.cert_text = text("cert");
    tls.key_text = text("key");
    tls.client_ca_text = text("client_ca");
    if (tls.cert_file.empty()) remember("tls.cert_file", reader.value("cert"), "tls_server_config.cert");
    if (tls.key_file.empty()) remember("tls.key_file", reader.value("key"), "tls_server_config.key");
    if (tls.client_ca_file.empty()) remember("tls.client_ca_file", reader.value("client_ca"), "tls_server_config.client_ca");
    remember("tls", node, "tls_server_config");

    const std::string client_auth_name = text("client_auth_type");
    if (auto auth = http::client_auth_by_name(client_auth_name)) {
      tls.client_certificates.auth = *auth;
    } else {
      errors_.add(reader.value("client_auth_type"),
                  "tls_server_config.client_auth_type: invalid ClientAuth \"" + client_auth_name +
                      "\" (one of: NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, "
                      "RequireAndVerifyClientCert)");
    }
    if (auto sans = reader.string_list("client_allowed_sans")) tls.client_certificates.allowed_sans = std::move(*sans);
    if (auto version = read_version(reader, "min_version")) tls.min_version = *version;
    if (auto version = read_version(reader, "max_version")) tls.max_version = *version;
    if (auto names = reader.string_list("cipher_suites")) read_cipher_suites(*names, reader.value("cipher_suites"), tls);
    if (auto names = reader.string_list("curve_preferences")) {
      read_curves(*names, reader.value("curve_preferences"), tls);
    }
    if (auto prefer = reader.boolean("prefer_server_cipher_suites")) tls.prefer_server_cipher_suites = *prefer;
    reader.reject_unknown_keys();

    // exporter-toolkit's rule: any of these asks for TLS, which then needs
    // both a certificate and a key.
    const bool enabled = !tls.cert_file.empty() || !tls.cert_text.empty() || !tls.key_file.empty() ||
                         !tls.key_text.empty() || !tls.client_ca_file.empty() || !tls.client_ca_text.empty() ||
                         !client_auth_name.empty();
    if (!enabled) return;
    if (tls.cert_file.empty() && tls.cert_text.empty()) {
      errors_.add(node, "tls_server_config: missing one of cert or cert_file");
    }
    if (tls.key_file.empty() && tls.key_text.empty()) {
      errors_.add(node, "tls_server_config: missing one of key or key_file");
    }
    if ((!tls.client_ca_file.empty() || !tls.client_ca_text.empty()) &&
        tls.client_certificates.auth == http::ClientAuth::none) {
      errors_.add(node, "tls_server_config: client CA's have been configured without a Client Auth Policy "
                        "(client_auth_type)");
    }
    // exporter-toolkit would check the names only of a certificate it asked
    // for, so with NoClientCert it lets everyone in; gleaner refuses such a
    // file rather than drop a restriction its author meant.
    if (tls.client_certificates.allowed_sans && tls.client_certificates.auth == http::ClientAuth::none) {
      errors_.add(reader.value("client_allowed_sans"),
                  "tls_server_config.client_allowed_sans: no client certificate is asked for (client_auth_type is "
                  "NoClientCert), so there would be no names to check; set client_auth_type, e.g. "
                  "RequireAndVerifyClientCert");
    }
    settings.tls = std::move(tls);
  }

  std::optional<int> read_version(MapReader& reader, std::string_view key) {
    auto name = reader.string(key);
    if (!name) return std::nullopt;
    if (auto version = http::tls_version_by_name(*name)) return version;
    errors_.add(reader.value(key), "tls_server_config." + std::string(key) + ": unknown TLS version \"" + *name +
                                       "\" (one of: TLS10, TLS11, TLS12, TLS13)");
    return std::nullopt;
  }

  void read_cipher_suites(const std::vector<std::string>& names, const YAML::Node& node, http::TlsSettings& tls) {
    std::size_t index = 0;
    for (const std::string& name : names) {
      const auto suite = http::cipher_suite_by_name(name);
      if (!suite) {
        errors_.add(node[index], "tls_server_config.cipher_suites: unknown cipher: " + name);
      } else if (!suite->openssl.empty()) {
        tls.cipher_suites.push_back(suite->openssl);
      }
      ++index;
    }
    // Only TLS 1.3 suites listed: as in Go, they configure nothing, and
    // TLS 1.2 keeps gleaner's defaults.
  }

  void read_curves(const std::vector<std::string>& names, const YAML::Node& node, http::TlsSettings& tls) {
    std::size_t index = 0;
    for (const std::string& name : names) {
      if (auto group = http::curve_by_name(name)) {
        tls.curves.push_back(*group);
      } else {
        errors_.add(node[index], "tls_server_config.curve_preferences: unknown curve: " + name +
                                     " (one of: CurveP256, CurveP384, CurveP521, X25519)");
      }
      ++index;
    }
  }

  void read_http(const YAML::Node& node, http::WebSecuritySettings& settings) {
    MapReader reader(node, "http_server_config", errors_);
    if (!reader.valid()) return;
    // gleaner speaks HTTP/1.1 only; `http2: true` (the default) changes
    // nothing a client can tell: without ALPN it speaks HTTP/1.1.
    reader.boolean("http2");
    if (auto headers = reader.string_map("headers")) {
      const YAML::Node headers_node = reader.value("headers");
      for (const auto& entry : headers_node) {
        const std::string name = entry.first.Scalar();
        const std::string value = entry.second.Scalar();
        if (const std::string problem = http::check_response_header(name, value); !problem.empty()) {
          errors_.add(entry.first, "http_server_config.headers: " + problem);
        }
      }
      settings.headers = std::move(*headers);
    }
    reader.reject_unknown_keys();
  }

  // exporter-toolkit's rate limiter is not in gleaner: accepted only when it
  // limits nothing (no interval, or 0), refused clearly otherwise.
  void read_rate_limit(const YAML::Node& node) {
    MapReader reader(node, "rate_limit", errors_);
    if (!reader.valid()) return;
    reader.integer("burst", 0, 1'000'000'000);
    const auto interval = reader.duration("interval");
    if (interval && interval->count() != 0) {
      errors_.add(reader.value("interval"),
                  "rate_limit: gleaner has no rate limiter; remove rate_limit or set its interval to 0 (its "
                  "connection limit and the bounded password checks protect it; see README \"The web "
                  "configuration\")");
    }
    reader.reject_unknown_keys();
  }

  void remember(const std::string& field, const YAML::Node& node, std::string name) {
    if (node.IsDefined()) fields_.emplace(field, std::pair<YAML::Node, std::string>{node, std::move(name)});
  }

  std::string resolve(const std::string& path) const {
    return path.starts_with('/') ? path : base_dir_ + "/" + path;
  }

  std::string path_;
  ErrorList& errors_;
  std::string base_dir_;
  // Where each setting is written, and its name there, for errors found
  // when loading the files.
  std::map<std::string, std::pair<YAML::Node, std::string>> fields_;
};

}  // namespace

std::shared_ptr<const http::WebSecurity> load_web_config_file(const std::string& path, ErrorList& errors) {
  const std::string previous = errors.file();
  errors.set_file(path);
  auto security = WebConfigFileReader(path, errors).load();
  errors.set_file(previous);
  return security;
}

}  // namespace gleaner::daemon
