#pragma once
// A real Prometheus server (the `prometheus` binary that .ci/install-deps
// takes out of Debian's package) scraping one target every second, or on a
// configuration of the test's own, on loopback, with its storage in a
// scratch folder; stopped and removed when the object goes. Its HTTP API is
// read with curl, under a deadline.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/child_command.h"
#include "tests/support/io_wait.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/server_process.h"

namespace gleaner::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice).
inline int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

inline bool prometheus_installed() { return run_child({"prometheus", "--version"}).exit_code == 0; }

class PrometheusServer {
 public:
  // Scrapes 127.0.0.1:target_port/metrics_path every second. job_settings:
  // more of the job's settings, each line indented by four spaces
  // ("    scheme: https\n").
  explicit PrometheusServer(int target_port, const std::string& metrics_path = "/metrics",
                            const std::string& job_settings = "") {
    std::ofstream(dir_.file("prometheus.yml")) << "global:\n"
                                                 "  scrape_interval: 1s\n"
                                                 "  scrape_timeout: 1s\n"
                                                 "scrape_configs:\n"
                                                 "  - job_name: gleaner\n"
                                                 "    metrics_path: "
                                              << metrics_path << "\n"
                                              << job_settings
                                              << "    static_configs:\n"
                                                 "      - targets: [\"127.0.0.1:"
                                              << target_port << "\"]\n";
    start();
  }
  // A configuration of the test's own: `configuration` writes what it names
  // (rules, target files) into the server's scratch folder and returns the
  // text of prometheus.yml.
  explicit PrometheusServer(const std::function<std::string(const ScratchDir&)>& configuration) {
    std::ofstream(dir_.file("prometheus.yml")) << configuration(dir_);
    start();
  }
  ~PrometheusServer() { stop(); }
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string log() const { return ScratchDir::read(dir_.file("prometheus.log")); }

  // The body of a GET on Prometheus's own address ("" when it does not answer).
  std::string get(const std::string& path_and_query) const {
    const auto result = run_child({"curl", "-sS", "--max-time", "5", "-g",
                                   "http://127.0.0.1:" + std::to_string(port_) + path_and_query},
                                  "", std::chrono::seconds(10));
    return result.exit_code == 0 ? result.out : "";
  }

  // The reply of the HTTP API to an instant query, parsed (discarded when
  // there was no JSON answer).
  nlohmann::json query(const std::string& promql) const {
    const auto result = run_child({"curl", "-sS", "--max-time", "5", "-G", "--data-urlencode", "query=" + promql,
                                   "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/query"},
                                  "", std::chrono::seconds(10));
    return nlohmann::json::parse(result.exit_code == 0 ? result.out : "", nullptr, false);
  }

  // The first target its API lists as active (the only one of a test's
  // scrape configuration), or nullopt while it lists none.
  std::optional<nlohmann::json> first_active_target() const {
    const auto reply = nlohmann::json::parse(get("/api/v1/targets?state=active"), nullptr, false);
    if (reply.is_discarded() || !reply.contains("data")) return std::nullopt;
    const auto& active = reply["data"]["activeTargets"];
    if (!active.is_array() || active.empty()) return std::nullopt;
    return active[0];
  }

 private:
  // The port is free when chosen; another process may take it before
  // Prometheus binds it, so a start that fails is tried again.
  void start() {
    for (int attempt = 0; attempt < 3 && !ready_; ++attempt) {
      stop();
      port_ = free_loopback_port();
      spawn();
      ready_ = eventually([&] { return exited() || get("/-/ready").find("Ready") != std::string::npos; },
                          std::chrono::seconds(30)) &&
               !exited();
    }
  }

  void spawn() {
    const std::vector<std::string> argv = {
        "prometheus",
        "--config.file=" + dir_.file("prometheus.yml"),
        "--storage.tsdb.path=" + dir_.file("data"),
        "--web.listen-address=127.0.0.1:" + std::to_string(port_),
        "--log.level=warn",
    };
    process_.start(argv, dir_.file("prometheus.log"));
  }

  bool exited() { return process_.exited(); }
  void stop() { process_.stop(); }

  ScratchDir dir_;
  ServerProcess process_;
  int port_ = 0;
  bool ready_ = false;
};

}  // namespace gleaner::testing
