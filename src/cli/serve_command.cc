// entente serve --dir D [--listen HOST:PORT] [--store URL]: the node's HTTP API until SIGINT or
// SIGTERM.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/commands.h"
#include "cli/node_runtime.h"

namespace entente::cli {
namespace {

int RunServe(const RuntimeOptions& options) {
  // Signals are taken by sigwait below; every thread started from here on inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto node = NodeRuntime::Start(options);
  if (!node.ok()) return ReportFailure(node.status());
  const service::NodeConfig& config = (*node)->config();
  std::string host;
  int port = 0;
  (void)SplitHostPort(options.listen.empty() ? config.listen : options.listen, "--listen", &host,
                      &port);
  std::fprintf(stderr, "entente: node %s serving %s://%s:%d (store %s, %zu subjects screened)\n",
               config.country.c_str(), (*node)->api_tls() ? "https" : "http", host.c_str(),
               (*node)->api_port(), std::string((*node)->store().backend()).c_str(),
               (*node)->subjects_screened());
  std::fprintf(stderr, "entente: %s\n",
               (*node)->leading() ? "this process runs the node's background jobs"
                                  : "another process runs the node's background jobs (standby)");
  if ((*node)->federation_port() != 0) {
    std::fprintf(stderr, "entente: federation endpoint (mutual TLS) on port %d\n",
                 (*node)->federation_port());
  }
  std::fflush(stderr);
  int signal = 0;
  sigwait(&signals, &signal);
  std::fprintf(stderr, "entente: %s received, stopping\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
  (*node)->Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RuntimeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve the node's API over HTTPS, its federation endpoint and its jobs");
  cmd->add_option("--dir", options->dir, "the node's directory")->required();
  cmd->add_option("--listen", options->listen,
                  "HOST:PORT (default: node.json's; port 0 picks one)");
  cmd->add_option("--federation-listen", options->federation_listen,
                  "HOST:PORT of the federation endpoint (default: node.json's)");
  cmd->add_option("--store", options->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--tls-cert", options->tls_cert,
                  "certificate (default: the node's tls/cert.pem)");
  cmd->add_option("--tls-key", options->tls_key, "its key (default: the node's tls/key.pem)");
  cmd->add_flag("--no-tls", options->no_tls, "plain HTTP (refused off loopback)");
  auto* retry = cmd->add_option("--retry-max-seconds", options->delivery.max_backoff_micros,
                                "longest wait between delivery attempts to a partner (60)");
  retry->transform(
      [](const std::string& text) { return std::to_string(std::stoll(text) * 1'000'000); });
  cmd->add_option("--threads", options->threads,
                  "requests run at once (connections are held by the event loop)")
      ->check(CLI::Range(2, 1024))
      ->capture_default_str();
  auto* leader = cmd->add_option("--leader-check-seconds", options->leader_check_micros,
                                 "replicas over one PostgreSQL: how often one that does not run "
                                 "the jobs tries to take them over (2)");
  leader->transform(
      [](const std::string& text) { return std::to_string(std::stoll(text) * 1'000'000); });
  cmd->add_option("--metrics-listen", options->metrics_listen,
                  "HOST:PORT on loopback serving GET /metrics without a token (for Prometheus); "
                  "on the API's port /metrics needs an administrator's or auditor's token");
  options->console_dir = ENTENTE_CONSOLE_DIR;
  cmd->add_option("--console-dir", options->console_dir,
                  "the web console's built files, served at / (default: this build's)");
  cmd->callback([options, exit_code] { *exit_code = RunServe(*options); });
}

}  // namespace entente::cli
