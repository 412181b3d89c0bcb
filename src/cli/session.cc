#include "cli/session.h"

#include <filesystem>
#include <utility>

namespace entente::cli {

void AddNodeOptions(CLI::App* cmd, NodeOptions* o, unsigned groups) {
  cmd->add_option("--dir", o->dir, "the node's directory")->required();
  cmd->add_option("--store", o->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--token-file", o->token_file,
                  "file holding the bearer token to act as (default: $ENTENTE_TOKEN, then the "
                  "node's admin.token)");
  // Every command takes them (one convention): those that touch personal data need them.
  (void)groups;
  cmd->add_option("--justification", o->justification,
                  "why (audited; at least 10 characters to read or change personal data)");
  cmd->add_option("--case", o->case_reference, "the case reference this serves (audited)");
  if ((groups & kListing) != 0) AddFormatOption(cmd, &o->format);
}

Result<Session> OpenSession(const NodeOptions& o, bool need_keys) {
  const Clock& clock = SystemClock();
  Session s;
  ENTENTE_ASSIGN_OR_RETURN(s.node, OpenNode(o.dir, o.store, clock));
  ENTENTE_ASSIGN_OR_RETURN(s.caller, CommandCaller(*s.node, o.token_file, clock));
  s.caller.context.justification = o.justification;
  s.caller.context.case_reference = o.case_reference;
  s.format = ResolveFormat(o.format);
  if (need_keys) {
    ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                             service::LoadNodeKeys(s.node->paths, s.node->config));
    s.keys = std::make_unique<federation::NodeKeys>(std::move(keys));
    s.exchange = {s.keys.get(), &clock, {}};
  }
  return s;
}

Status LoadKeysIfAny(Session& session) {
  if (session.keys != nullptr || !std::filesystem::exists(session.node->paths.signing_key)) {
    return Status::Ok();
  }
  ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                           service::LoadNodeKeys(session.node->paths, session.node->config));
  session.keys = std::make_unique<federation::NodeKeys>(std::move(keys));
  session.exchange = {session.keys.get(), &SystemClock(), {}};
  return Status::Ok();
}

}  // namespace entente::cli
