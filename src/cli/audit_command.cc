// entente audit verify --dir D: checks the audit log's hash chain; exit 0 and the count when it
// holds, exit 1 (FailedPrecondition) naming the first broken entry otherwise.
// entente audit show --dir D [--subject ID] [--actor ID] [--after SEQ] [--limit N]: entries
// (--format table|csv|json), and on stderr how many more match and the --after to read them.
// All act as the user of $ENTENTE_TOKEN / --token-file / admin.token, and are audited.

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "cli/commands.h"
#include "cli/listing.h"
#include "cli/session.h"
#include "common/json.h"
#include "common/time_format.h"
#include "service/audit_anchor.h"

namespace entente::cli {
namespace {

struct AuditOptions {
  NodeOptions node;
  std::string subject;
  std::string actor;
  int64_t after = 0;
  int limit = 100;
};

int RunAuditVerify(const AuditOptions& options) {
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  const std::unique_ptr<OpenedNode>& node = session->node;
  const service::Caller* caller = &session->caller;
  store::Store& store = *node->store;
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
  const OpenedNode& opened = *node;
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
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  const std::unique_ptr<OpenedNode>& node = session->node;
  const service::Caller* caller = &session->caller;
  const service::Access access{policy::Action::kVerifyAuditLog, "", nullptr, R"({"anchor":true})"};
  Status status =
      service::RunAudited(*node->store, *caller, access,
                          [](store::WriteTxn&, const policy::Decision&) { return Status::Ok(); });
  if (!status.ok()) return ReportFailure(status);
  auto keys = service::LoadNodeKeys(node->paths, node->config);
  if (!keys.ok()) return ReportFailure(keys.status());
  auto anchor = service::AnchorAuditLog(*node->store, *keys, clock, node->paths.audit_anchors);
  if (!anchor.ok()) return ReportFailure(anchor.status());
  if (anchor->has_value()) {
    std::printf("audit log anchored at entry %lld (%s) in %s\n",
                static_cast<long long>((*anchor)->seq), (*anchor)->hash.c_str(),
                node->paths.audit_anchors.c_str());
  }
  return 0;
}

int RunAuditShow(const AuditOptions& options) {
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
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
  int64_t more = 0;
  std::map<std::string, std::string> names;  // user id -> display name
  const Status status = service::RunAudited(
      *session->node->store, session->caller, access,
      [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
        ENTENTE_ASSIGN_OR_RETURN(entries, txn.audit().Read(query));
        if (!entries.empty()) {
          store::AuditQuery rest = query;
          rest.after_seq = entries.back().seq;
          ENTENTE_ASSIGN_OR_RETURN(more, txn.audit().Count(rest));
        }
        ENTENTE_ASSIGN_OR_RETURN(std::vector<store::User> users, txn.users().List());
        for (const auto& u : users) names[u.id] = u.name;
        return Status::Ok();
      });
  if (!status.ok()) return ReportFailure(status);
  Listing listing({{"seq"},
                   {"at"},
                   {"actor", 24},
                   {"actor_name", 20},
                   {"actor_agency"},
                   {"action"},
                   {"subject_id"},
                   {"justification", 40},
                   {"on_behalf_of"},
                   {"details", 60},
                   {"prev_hash", 16},
                   {"hash", 16}});
  for (const store::AuditEntry& e : entries) {
    nlohmann::json details = ParseJsonOrDiscarded(e.record.details_json);
    if (details.is_discarded()) details = e.record.details_json;
    const auto name = names.find(e.record.actor);
    listing.Add({e.seq, FormatIsoTime(e.at, true), e.record.actor,
                 name == names.end() ? std::string() : name->second, e.record.actor_agency,
                 e.record.action, e.record.subject_id, e.record.justification,
                 e.record.on_behalf_of, details, e.prev_hash, e.hash});
  }
  listing.Print(std::cout, session->format);
  std::cout.flush();
  if (more > 0) {
    std::cerr << "entente: " << more << " more entries; --after " << entries.back().seq
              << " reads on\n";
  } else {
    std::cerr << "entente: " << entries.size() << " entries; no more\n";
  }
  return 0;
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
  AddNodeOptions(verify, &verify_options->node, 0);
  verify->callback([verify_options, exit_code] { *exit_code = RunAuditVerify(*verify_options); });

  auto anchor_options = std::make_shared<AuditOptions>();
  CLI::App* anchor = audit->add_subcommand(
      "anchor",
      "Sign the head of the audit log with the node's key and append it to audit/anchors.jsonl "
      "(entente serve does it every 10 minutes and when it stops)");
  AddNodeOptions(anchor, &anchor_options->node, 0);
  anchor->callback([anchor_options, exit_code] { *exit_code = RunAuditAnchor(*anchor_options); });

  auto show_options = std::make_shared<AuditOptions>();
  CLI::App* show = audit->add_subcommand(
      "show", "Audit entries in sequence order, and how many more (auditors only)");
  AddNodeOptions(show, &show_options->node, kListing);
  show->add_option("--subject", show_options->subject, "only entries about this subject id");
  show->add_option("--actor", show_options->actor, "only entries by this user id");
  show->add_option("--after", show_options->after, "only entries with seq > SEQ (paging)");
  show->add_option("--limit", show_options->limit, "at most N entries")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  show->callback([show_options, exit_code] { *exit_code = RunAuditShow(*show_options); });
}

}  // namespace entente::cli
