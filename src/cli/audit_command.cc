// entente audit verify --dir D: checks the audit log's hash chain; exit 0 and the count when it
// holds, exit 1 (FailedPrecondition) naming the first broken entry otherwise.
// entente audit show --dir D [--subject ID] [--actor ID] [--after SEQ] [--limit N]: entries as
// NDJSON. Both act as the user of $ENTENTE_TOKEN / --token-file / admin.token, and are audited.

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "cli/commands.h"
#include "cli/node_access.h"
#include "common/json.h"
#include "service/audit_anchor.h"

namespace entente::cli {
namespace {

struct AuditOptions {
  std::string dir;
  std::string store;
  std::string token_file;
  std::string subject;
  std::string actor;
  int64_t after = 0;
  int limit = 100;
};

int RunAuditVerify(const AuditOptions& options) {
  const Clock& clock = SystemClock();
  auto node = OpenNode(options.dir, options.store, clock);
  if (!node.ok()) return ReportFailure(node.status());
  auto caller = CommandCaller(**node, options.token_file, clock);
  if (!caller.ok()) return ReportFailure(caller.status());
  store::Store& store = *(*node)->store;
  // The verification is itself an access to the log: recorded first, then checked with the rest.
  const service::Access access{policy::Action::kVerifyAuditLog, "", nullptr, "{}"};
  Status status =
      service::RunAudited(store, *caller, access,
                          [](store::WriteTxn&, const policy::Decision&) { return Status::Ok(); });
  if (!status.ok()) return ReportFailure(status);
  auto verified = store.VerifyAuditChain();
  if (!verified.ok()) return ReportFailure(verified.status());
  if (verified->first_broken_seq.has_value()) {
    return ReportFailure(FailedPrecondition(
        "audit log broken at entry seq " + std::to_string(*verified->first_broken_seq) + ": " +
        verified->reason + " (" + std::to_string(verified->entries) + " entries checked)"));
  }
  // The signed anchors (audit/anchors.jsonl): a rewritten or cut tail no longer matches them.
  const OpenedNode& opened = **node;
  int64_t anchors = 0;
  if (std::filesystem::exists(opened.paths.signing_key)) {
    auto keys = service::LoadNodeKeys(opened.paths, opened.config);
    if (!keys.ok()) return ReportFailure(keys.status());
    auto checked = service::VerifyAuditAnchors(store, opened.config.country, keys->sign_public,
                                               opened.paths.audit_anchors);
    if (!checked.ok()) return ReportFailure(checked.status());
    if (!checked->problem.empty()) {
      return ReportFailure(
          FailedPrecondition("audit log does not match its signed anchors: " + checked->problem));
    }
    anchors = checked->anchors;
  }
  std::printf("audit log intact: %lld entries, hash chain verified, %lld signed anchors hold\n",
              static_cast<long long>(verified->entries), static_cast<long long>(anchors));
  return 0;
}

int RunAuditAnchor(const AuditOptions& options) {
  const Clock& clock = SystemClock();
  auto node = OpenNode(options.dir, options.store, clock);
  if (!node.ok()) return ReportFailure(node.status());
  auto caller = CommandCaller(**node, options.token_file, clock);
  if (!caller.ok()) return ReportFailure(caller.status());
  const service::Access access{policy::Action::kVerifyAuditLog, "", nullptr, R"({"anchor":true})"};
  Status status =
      service::RunAudited(*(*node)->store, *caller, access,
                          [](store::WriteTxn&, const policy::Decision&) { return Status::Ok(); });
  if (!status.ok()) return ReportFailure(status);
  auto keys = service::LoadNodeKeys((*node)->paths, (*node)->config);
  if (!keys.ok()) return ReportFailure(keys.status());
  auto anchor =
      service::AnchorAuditLog(*(*node)->store, *keys, clock, (*node)->paths.audit_anchors);
  if (!anchor.ok()) return ReportFailure(anchor.status());
  if (anchor->has_value()) {
    std::printf("audit log anchored at entry %lld (%s) in %s\n",
                static_cast<long long>((*anchor)->seq), (*anchor)->hash.c_str(),
                (*node)->paths.audit_anchors.c_str());
  }
  return 0;
}

nlohmann::json EntryJson(const store::AuditEntry& entry,
                         const std::map<std::string, std::string>& names) {
  nlohmann::json details = ParseJsonOrDiscarded(entry.record.details_json);
  if (details.is_discarded()) details = entry.record.details_json;
  const auto name = names.find(entry.record.actor);
  return {{"seq", entry.seq},
          {"at", entry.at},
          {"actor", entry.record.actor},
          {"actor_name", name == names.end() ? std::string() : name->second},
          {"actor_agency", entry.record.actor_agency},
          {"action", entry.record.action},
          {"subject_id", entry.record.subject_id},
          {"justification", entry.record.justification},
          {"on_behalf_of", entry.record.on_behalf_of},
          {"details", details},
          {"prev_hash", entry.prev_hash},
          {"hash", entry.hash}};
}

int RunAuditShow(const AuditOptions& options) {
  const Clock& clock = SystemClock();
  auto node = OpenNode(options.dir, options.store, clock);
  if (!node.ok()) return ReportFailure(node.status());
  auto caller = CommandCaller(**node, options.token_file, clock);
  if (!caller.ok()) return ReportFailure(caller.status());
  store::AuditQuery query;
  query.actor = options.actor;
  query.subject_id = options.subject;
  query.after_seq = options.after;
  query.limit = options.limit;
  const nlohmann::json asked = {{"actor", options.actor},
                                {"subject_id", options.subject},
                                {"after_seq", options.after},
                                {"limit", options.limit}};
  const service::Access access{policy::Action::kReadAuditLog, "", nullptr,
                               DumpJson(nlohmann::json{{"query", asked}})};
  std::vector<store::AuditEntry> entries;
  std::map<std::string, std::string> names;  // user id -> display name
  const Status status = service::RunAudited(
      *(*node)->store, *caller, access,
      [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
        ENTENTE_ASSIGN_OR_RETURN(entries, txn.audit().Read(query));
        ENTENTE_ASSIGN_OR_RETURN(std::vector<store::User> users, txn.users().List());
        for (const auto& u : users) names[u.id] = u.name;
        return Status::Ok();
      });
  if (!status.ok()) return ReportFailure(status);
  for (const store::AuditEntry& entry : entries) {
    std::cout << DumpJson(EntryJson(entry, names)) << '\n';
  }
  std::cout.flush();
  return 0;
}

void AddNodeFlags(CLI::App* cmd, AuditOptions* options) {
  cmd->add_option("--dir", options->dir, "the node's directory")->required();
  cmd->add_option("--store", options->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--token-file", options->token_file,
                  "the acting user's token (default: $ENTENTE_TOKEN, else DIR/admin.token)");
}

}  // namespace

void AddAuditCommand(CLI::App& app, int* exit_code) {
  CLI::App* audit = app.add_subcommand("audit", "Read and verify the node's audit log");
  audit->require_subcommand(1);

  auto verify_options = std::make_shared<AuditOptions>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check every entry's hash and its link to the previous one; exit 1 naming the first "
      "broken entry (administrators and auditors)");
  AddNodeFlags(verify, verify_options.get());
  verify->callback([verify_options, exit_code] { *exit_code = RunAuditVerify(*verify_options); });

  auto anchor_options = std::make_shared<AuditOptions>();
  CLI::App* anchor = audit->add_subcommand(
      "anchor",
      "Sign the head of the audit log with the node's key and append it to audit/anchors.jsonl "
      "(entente serve does it every 10 minutes and when it stops)");
  AddNodeFlags(anchor, anchor_options.get());
  anchor->callback([anchor_options, exit_code] { *exit_code = RunAuditAnchor(*anchor_options); });

  auto show_options = std::make_shared<AuditOptions>();
  CLI::App* show = audit->add_subcommand(
      "show", "Print audit entries as NDJSON, in sequence order (auditors only)");
  AddNodeFlags(show, show_options.get());
  show->add_option("--subject", show_options->subject, "only entries about this subject id");
  show->add_option("--actor", show_options->actor, "only entries by this user id");
  show->add_option("--after", show_options->after, "only entries with seq > SEQ (paging)");
  show->add_option("--limit", show_options->limit, "at most N entries")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  show->callback([show_options, exit_code] { *exit_code = RunAuditShow(*show_options); });
}

}  // namespace entente::cli
