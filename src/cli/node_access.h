#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "service/access.h"
#include "service/node.h"
#include "store/store.h"

namespace entente::cli {

// A node opened by a subcommand: its files, its configuration and its store.
struct OpenedNode {
  explicit OpenedNode(const std::string& dir) : paths(dir) {}
  service::NodePaths paths;
  service::NodeConfig config;
  std::unique_ptr<store::Store> store;
};

// Opens the node in `dir`, with `store_override` (a postgresql:// URL) instead of node.json's
// store when not empty. NotFound when `dir` holds no node; the store's error otherwise.
Result<std::unique_ptr<OpenedNode>> OpenNode(const std::string& dir,
                                             const std::string& store_override, const Clock& clock);

// The user a command acts as: the bearer token in $ENTENTE_TOKEN, else in `token_file`, else in
// the node's admin.token, authenticated against the node's store, with today's date and the
// node's country as context. NotFound naming the file when there is no token; Unauthenticated
// when it is not valid.
Result<service::Caller> CommandCaller(const OpenedNode& node, const std::string& token_file,
                                      const Clock& clock);

// `url` with any password replaced by "***", for printing.
std::string RedactStoreUrl(const std::string& url);

}  // namespace entente::cli
