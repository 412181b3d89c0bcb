// entente serve --dir D [--listen HOST:PORT] [--store URL]: the node's HTTP API until SIGINT or
// SIGTERM.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "api/server.h"
#include "cli/commands.h"
#include "service/auth.h"
#include "service/live_index.h"
#include "service/node.h"
#include "service/register.h"

namespace entente::cli {
namespace {

struct ServeOptions {
  std::string dir;
  std::string listen;  // "" for node.json's
  std::string store;   // "" for node.json's
  std::string tls_cert;
  std::string tls_key;
  bool no_tls = false;
  int threads = 64;
};

Status SplitListen(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("--listen " + listen + ": expected HOST:PORT");
  }
  *host = listen.substr(0, colon);
  char* end = nullptr;
  const long value = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || value < 0 || value > 65535 || colon + 1 == listen.size()) {
    return InvalidArgument("--listen " + listen + ": the port must be 0 to 65535");
  }
  *port = static_cast<int>(value);
  return Status::Ok();
}

int RunServe(const ServeOptions& options) {
  const service::NodePaths paths(options.dir);
  auto config = service::LoadNodeConfig(paths);
  if (!config.ok()) return ReportFailure(config.status());
  std::string host;
  int port = 0;
  Status status =
      SplitListen(options.listen.empty() ? config->listen : options.listen, &host, &port);
  if (!status.ok()) return ReportFailure(status);

  // Signals are taken by sigwait below; every thread started from here on inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const Clock& clock = SystemClock();
  auto store = service::OpenNodeStore(paths, *config, clock, options.store);
  if (!store.ok()) return ReportFailure(store.status());
  service::LiveIndexOptions index_options;
  index_options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  index_options.clock = &clock;
  auto index = service::LiveIndex::Open(**store, index_options);
  if (!index.ok()) return ReportFailure(index.status());
  service::Register subjects(**store, **index, clock);
  service::Authenticator authenticator(**store, clock);

  api::ApiDeps deps;
  deps.subjects = &subjects;
  deps.index = index->get();
  deps.store = store->get();
  deps.clock = &clock;
  deps.node_country = config->country;
  deps.authenticate = [&authenticator](std::string_view token) {
    return authenticator.Authenticate(token);
  };
  api::ServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.threads = options.threads;
  if (!options.no_tls) {
    server_options.tls_cert = options.tls_cert.empty() ? paths.tls_cert : options.tls_cert;
    server_options.tls_key = options.tls_key.empty() ? paths.tls_key : options.tls_key;
    if (options.tls_cert.empty() && !std::filesystem::exists(server_options.tls_cert)) {
      server_options.tls_cert.clear();
      server_options.tls_key.clear();
    }
  }
  auto server = api::ApiServer::Create(std::move(deps), server_options);
  if (!server.ok()) return ReportFailure(server.status());
  status = (*server)->Start();
  if (!status.ok()) return ReportFailure(status);
  std::fprintf(stderr, "entente: node %s serving %s://%s:%d (store %s, %zu subjects screened)\n",
               config->country.c_str(), (*server)->tls() ? "https" : "http", host.c_str(),
               (*server)->port(), std::string((*store)->backend()).c_str(), (*index)->size());
  std::fflush(stderr);
  int signal = 0;
  sigwait(&signals, &signal);
  std::fprintf(stderr, "entente: %s received, stopping\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
  (*server)->Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the node's API (HTTPS with the node's certificate; plain HTTP on loopback only)");
  cmd->add_option("--dir", options->dir, "the node's directory")->required();
  cmd->add_option("--listen", options->listen,
                  "HOST:PORT (default: node.json's; port 0 picks one)");
  cmd->add_option("--store", options->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--tls-cert", options->tls_cert,
                  "certificate (default: the node's tls/cert.pem)");
  cmd->add_option("--tls-key", options->tls_key, "its key (default: the node's tls/key.pem)");
  cmd->add_flag("--no-tls", options->no_tls, "plain HTTP (refused off loopback)");
  cmd->add_option("--threads", options->threads, "connections served at once")
      ->check(CLI::Range(2, 1024))
      ->capture_default_str();
  cmd->callback([options, exit_code] { *exit_code = RunServe(*options); });
}

}  // namespace entente::cli
