#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/listing.h"
#include "cli/node_access.h"
#include "common/result.h"
#include "federation/keys.h"
#include "service/access.h"
#include "service/exchange.h"

namespace entente::cli {

// What every command acting on a node takes, under one name each:
//   --dir DIR            the node's directory (required)
//   --store URL          a postgresql:// URL instead of node.json's store
//   --token-file FILE    the bearer token to act as (else $ENTENTE_TOKEN, else the node's
//                        admin.token, which is said on stderr)
//   --justification TEXT why (audited; required to read or change personal data)
//   --case REFERENCE     the case reference this serves (audited)
//   --format table|csv|json   for the commands that list
// A case of the exchange with partners (a case id, "case-...") is --case-id.
struct NodeOptions {
  std::string dir;
  std::string store;
  std::string token_file;
  std::string justification;
  std::string case_reference;
  std::string format;  // "" until given: ResolveFormat
};

// Which of the optional groups a command takes. Every command takes --justification and --case;
// kJustified says that the command reads or changes personal data (it needs them).
inline constexpr unsigned kJustified = 1;
inline constexpr unsigned kListing = 2;  // --format

void AddNodeOptions(CLI::App* cmd, NodeOptions* o, unsigned groups);

// The node, the user acting, and (when asked for) the node's federation keys.
struct Session {
  std::unique_ptr<OpenedNode> node;
  service::Caller caller;
  std::unique_ptr<federation::NodeKeys> keys;
  service::ExchangeContext exchange;
  OutputFormat format = OutputFormat::kTable;
};

// Opens the node and authenticates the user; with `need_keys`, loads the node's federation keys
// (NotFound naming the file when it has none).
Result<Session> OpenSession(const NodeOptions& o, bool need_keys);

// Loads the node's federation keys into `session` when the node has them (a change to a record
// sent to partners then notifies them: service::Register::EnableRecordNotices); nothing for a
// node without them. The keys' errors otherwise.
Status LoadKeysIfAny(Session& session);

}  // namespace entente::cli
