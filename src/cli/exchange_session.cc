#include "cli/exchange_session.h"

#include <utility>

namespace entente::cli {

void AddCommon(CLI::App* cmd, Common* c, bool justified) {
  cmd->add_option("--dir", c->dir, "the node's directory")->required();
  cmd->add_option("--store", c->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--token-file", c->token_file,
                  "file holding the bearer token to act as (default: $ENTENTE_TOKEN, then the "
                  "node's admin.token)");
  if (justified) {
    cmd->add_option("--justification", c->justification,
                    "why (recorded in the audit log; required for personal data)");
    cmd->add_option("--case-reference", c->case_reference, "the file or case this serves");
  }
}

Result<Session> OpenSession(const Common& c, bool need_keys) {
  const Clock& clock = SystemClock();
  Session s;
  ENTENTE_ASSIGN_OR_RETURN(s.node, OpenNode(c.dir, c.store, clock));
  ENTENTE_ASSIGN_OR_RETURN(s.caller, CommandCaller(*s.node, c.token_file, clock));
  s.caller.context.justification = c.justification;
  s.caller.context.case_reference = c.case_reference;
  if (need_keys) {
    ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                             service::LoadNodeKeys(s.node->paths, s.node->config));
    s.keys = std::make_unique<federation::NodeKeys>(std::move(keys));
    s.exchange = {s.keys.get(), &clock, {}};
  }
  return s;
}

}  // namespace entente::cli
