// entente node init --country CC --dir D [--store URL] [--listen HOST:PORT] [--print-token]:
// creates a node (configuration, keys, TLS certificate, database, first administrator).

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/node_access.h"
#include "service/node_setup.h"

namespace entente::cli {
namespace {

struct NodeInitOptions {
  std::string country;
  std::string dir;
  std::string store;
  std::string listen;
  std::string federation_listen;
  std::string federation_url;
  bool print_token = false;
};

int RunNodeInit(const NodeInitOptions& options) {
  const service::NodePaths paths(options.dir);
  service::InitOptions init;
  init.store = options.store;
  init.listen = options.listen;
  init.federation_listen = options.federation_listen;
  init.federation_url = options.federation_url;
  auto summary = service::InitNode(paths, options.country, init);
  if (!summary.ok()) return ReportFailure(summary.status());
  // With --print-token, stdout carries the token alone (for scripts) and the summary goes to
  // stderr.
  FILE* out = options.print_token ? stderr : stdout;
  const std::string store = summary->store_backend == "sqlite"
                                ? "sqlite " + paths.database
                                : "postgresql " + RedactStoreUrl(summary->config.store);
  std::fprintf(
      out,
      "node %s created in %s\n"
      "  store            %s\n"
      "  listen           %s\n"
      "  federation       %s (give partners `entente node keys --dir %s`)\n"
      "  signing key      Ed25519 %s (keys/public.json, for partners)\n"
      "  encryption key   X25519 %s\n"
      "  TLS certificate  %s (self-signed, SHA-256 %s)\n"
      "  administrator    %s, token in %s (mode 0600)\n",
      summary->config.country.c_str(), paths.dir.c_str(), store.c_str(),
      summary->config.listen.c_str(), summary->config.FederationUrl().c_str(), paths.dir.c_str(),
      summary->signing_public_key.c_str(), summary->box_public_key.c_str(), paths.tls_cert.c_str(),
      summary->tls_fingerprint.c_str(), summary->admin_user_id.c_str(), paths.admin_token.c_str());
  if (options.print_token) std::printf("%s\n", summary->admin_token.c_str());
  return 0;
}

}  // namespace

void AddNodeCommand(CLI::App& app, int* exit_code) {
  CLI::App* node = app.add_subcommand("node", "Create and manage this country's node");
  node->require_subcommand(1);
  auto options = std::make_shared<NodeInitOptions>();
  CLI::App* init = node->add_subcommand(
      "init",
      "Create a node: node.json, signing and encryption keys, a self-signed TLS certificate, "
      "the database and the first administrator (token in DIR/admin.token, mode 0600). "
      "Refuses a directory that already holds a node.");
  init->add_option("--country", options->country, "ISO 3166-1 alpha-2 code of the node (BE)")
      ->required();
  init->add_option("--dir", options->dir, "the node's directory (created, mode 0700)")->required();
  init->add_option("--store", options->store,
                   "a postgresql:// URL (default: register.db, SQLite, in the directory)");
  init->add_option("--listen", options->listen, "HOST:PORT for `entente serve` (127.0.0.1:8443)");
  init->add_option("--federation-listen", options->federation_listen,
                   "HOST:PORT of the endpoint partners deliver to (127.0.0.1:9443)");
  init->add_option("--federation-url", options->federation_url,
                   "the URL partners reach it at (default: https://FEDERATION-LISTEN)");
  init->add_flag("--print-token", options->print_token,
                 "print the administrator's token on stdout (the summary goes to stderr)");
  init->callback([options, exit_code] { *exit_code = RunNodeInit(*options); });
}

}  // namespace entente::cli
