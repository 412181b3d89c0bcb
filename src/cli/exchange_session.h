#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/node_access.h"
#include "common/result.h"
#include "federation/keys.h"
#include "service/access.h"
#include "service/exchange.h"

namespace entente::cli {

// What every command of the exchange with partners takes (exchange_commands.cc,
// hit_commands.cc).
struct Common {
  std::string dir;
  std::string store;
  std::string token_file;
  std::string justification;
  std::string case_reference;
  bool json = false;
};

// --dir, --store, --token-file, and with `justified` --justification and --case-reference.
void AddCommon(CLI::App* cmd, Common* c, bool justified);

// The node, the user acting, and the node's keys.
struct Session {
  std::unique_ptr<OpenedNode> node;
  service::Caller caller;
  std::unique_ptr<federation::NodeKeys> keys;
  service::ExchangeContext exchange;
};

// Opens the node and authenticates the user; with `need_keys`, loads the node's federation keys
// (NotFound naming the file when it has none).
Result<Session> OpenSession(const Common& c, bool need_keys);

}  // namespace entente::cli
