// entente audit verify --dir D: checks the audit log's hash chain; exit 0 and the count when it
// holds, exit 1 (FailedPrecondition) naming the first broken entry otherwise.
// entente audit show --dir D [--subject ID] [--actor ID] [--action A] [--outcome O] [--from T]
// [--to T] [--after SEQ] [--limit N]: entries (--format table|csv|json), and on stderr how many
// more match and the --after to read them. --subject finds every entry that disclosed the
// subject (a screening's hits too).
// All act as the user of $ENTENTE_TOKEN / --token-file / admin.token, and are audited.

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/listing.h"
#include "cli/session.h"
#include "common/json.h"
#include "common/time_format.h"
#include "service/audit_anchor.h"
#include "service/audit_report.h"
#include "service/key_rotation.h"

namespace entente::cli {
namespace {

struct AuditOptions {
  NodeOptions node;
  std::string subject;
  std::string actor;
  std::string action;
  std::string outcome;
  std::string from;  // ISO 8601 date or time
  std::string to;
  int64_t after = 0;
  int limit = 100;
};

// The query `options` ask for; InvalidArgument naming --from or --to when a time is unreadable.
Result<store::AuditQuery> QueryOf(const AuditOptions& options) {
  store::AuditQuery query;
  query.actor = options.actor;
  query.subject_id = options.subject;
  query.action = options.action;
  query.outcome = options.outcome;
  query.after_seq = options.after;
  query.limit = options.limit;
  if (!options.from.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(query.from_micros, ParseIsoTime(options.from, "--from"));
  }
  if (!options.to.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(query.to_micros, ParseIsoTime(options.to, "--to"));
  }
  return query;
}

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
    auto former = service::LoadFormerKeys(opened.paths);
    if (!former.ok()) return ReportFailure(former.status());
    std::vector<service::RetiredSigningKey> retired;
    for (const service::FormerKeys& f : *former) {
      retired.push_back({f.signing_public_key, f.retired_at});
    }
    auto checked = service::VerifyAuditAnchors(store, opened.config.country, keys->sign_public,
                                               retired, opened.paths.audit_anchors);
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
  const Result<store::AuditQuery> parsed = QueryOf(options);
  if (!parsed.ok()) return UsageError(parsed.status().message());
  const store::AuditQuery& query = *parsed;
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  const nlohmann::json asked = {{"actor", options.actor},     {"subject_id", options.subject},
                                {"action", options.action},   {"outcome", options.outcome},
                                {"from", options.from},       {"to", options.to},
                                {"after_seq", options.after}, {"limit", options.limit}};
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

struct ReportOptions {
  NodeOptions node;
  std::string from;
  std::string to;
  std::string csv_dir;
  std::string format = "text";
};

// The report's four tables.
struct ReportTables {
  Listing consultations{{{"agency"},
                         {"actor", 24},
                         {"name", 24},
                         {"consultations"},
                         {"by_action", 0},
                         {"changes"},
                         {"refused"}}};
  Listing refusals{{{"agency"}, {"actor", 24}, {"action"}, {"rule", 0}, {"count"}}};
  Listing transfers{{{"recipient"},
                     {"legal_basis", 0},
                     {"messages"},
                     {"by_type", 0},
                     {"with_records"},
                     {"subjects"}}};
  Listing erasures{{{"seq"},
                    {"at"},
                    {"subject_id"},
                    {"operation"},
                    {"actor", 24},
                    {"requested_by", 24},
                    {"reason", 0}}};
};

ReportTables TablesOf(const service::AuditReport& report) {
  ReportTables t;
  for (const service::UserActivity& u : report.users) {
    int64_t consulted = 0;
    nlohmann::json by_action = nlohmann::json::object();
    for (const auto& [action, n] : u.consultations) {
      consulted += n;
      by_action[action] = n;
    }
    t.consultations.Add({u.agency, u.actor, u.name, consulted, by_action, u.changes, u.refused});
  }
  for (const service::RefusalCount& r : report.refusals) {
    t.refusals.Add({r.agency, r.actor, r.action, r.rule, r.count});
  }
  for (const service::TransferCount& x : report.transfers) {
    int64_t messages = 0;
    nlohmann::json by_type = nlohmann::json::object();
    for (const auto& [type, n] : x.messages) {
      messages += n;
      by_type[type] = n;
    }
    t.transfers.Add({x.recipient, x.legal_basis, messages, by_type, x.with_records, x.subjects});
  }
  for (const service::ErasureStep& e : report.erasures) {
    t.erasures.Add(
        {e.seq, TimeCell(e.at), e.subject_id, e.operation, e.actor, e.requested_by, e.reason});
  }
  return t;
}

int RunAuditReport(const ReportOptions& options) {
  if (options.format != "text" && options.format != "json") {
    return UsageError("--format " + options.format + ": text or json");
  }
  const Result<int64_t> from = ParseIsoTime(options.from, "--from");
  if (!from.ok()) return UsageError(from.status().message());
  const Result<int64_t> to = ParseIsoTime(options.to, "--to");
  if (!to.ok()) return UsageError(to.status().message());
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  const Result<service::AuditReport> report =
      service::BuildAuditReport(*session->node->store, session->caller, *from, *to);
  if (!report.ok()) return ReportFailure(report.status());
  const ReportTables tables = TablesOf(*report);
  if (!options.csv_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.csv_dir, error);
    if (error) {
      return ReportFailure(IoError("--csv-dir " + options.csv_dir + ": " + error.message()));
    }
    for (const auto& [file, listing] : {std::pair{"consultations.csv", &tables.consultations},
                                        std::pair{"refusals.csv", &tables.refusals},
                                        std::pair{"transfers.csv", &tables.transfers},
                                        std::pair{"erasures.csv", &tables.erasures}}) {
      auto out = AtomicFile::Create(options.csv_dir + "/" + file, /*overwrite=*/true);
      if (!out.ok()) return ReportFailure(out.status());
      listing->Print((*out)->stream(), OutputFormat::kCsv);
      const Status written = (*out)->Commit();
      if (!written.ok()) return ReportFailure(written);
    }
  }
  if (options.format == "json") {
    auto rows = [](const Listing& listing) {
      std::ostringstream out;
      listing.Print(out, OutputFormat::kJson);
      return ParseJsonOrDiscarded(out.str());
    };
    nlohmann::json agencies = nlohmann::json::object();
    for (const auto& [agency, totals] : report->agencies) {
      agencies[agency] = {{"consultations", totals.first}, {"refused", totals.second}};
    }
    const nlohmann::json out = {{"from", FormatIsoTime(report->from_micros)},
                                {"to", FormatIsoTime(report->to_micros)},
                                {"entries", report->entries},
                                {"agencies", agencies},
                                {"consultations", rows(tables.consultations)},
                                {"refusals", rows(tables.refusals)},
                                {"transfers", rows(tables.transfers)},
                                {"erasures", rows(tables.erasures)}};
    std::cout << DumpJson(out, 2) << "\n";
    return 0;
  }
  int64_t consulted = 0;
  int64_t refused = 0;
  for (const auto& [agency, totals] : report->agencies) {
    consulted += totals.first;
    refused += totals.second;
  }
  int64_t messages = 0;
  for (const service::TransferCount& t : report->transfers) {
    for (const auto& [type, n] : t.messages) messages += n;
  }
  std::cout << "Audit report of the node, " << FormatIsoTime(report->from_micros) << " to "
            << FormatIsoTime(report->to_micros) << "\n"
            << report->entries << " audit entries; " << consulted
            << " consultations of personal data by " << report->users.size() << " users of "
            << report->agencies.size() << " agencies; " << refused << " refusals; " << messages
            << " messages sent to partners (counted per recipient); " << report->erasures.size()
            << " erasure steps.\n\nConsultations by user and agency\n";
  tables.consultations.Print(std::cout, OutputFormat::kTable);
  std::cout << "\nRefusals, most frequent first\n";
  tables.refusals.Print(std::cout, OutputFormat::kTable);
  std::cout << "\nTransfers to partners, by legal basis\n";
  tables.transfers.Print(std::cout, OutputFormat::kTable);
  std::cout << "\nErasures (requested, confirmed, withdrawn, by the retention sweep)\n";
  tables.erasures.Print(std::cout, OutputFormat::kTable);
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
  show->add_option("--action", show_options->action,
                   "only entries of this action (screen, read_subject, send_message...)");
  show->add_option("--outcome", show_options->outcome,
                   "only entries with this outcome (allowed, refused, sent...)");
  show->add_option("--from", show_options->from,
                   "only entries at or after this time (ISO 8601: 2026-12-01 or "
                   "2026-12-01T08:00:00Z)");
  show->add_option("--to", show_options->to, "only entries before this time (ISO 8601)");
  show->add_option("--after", show_options->after, "only entries with seq > SEQ (paging)");
  show->add_option("--limit", show_options->limit, "at most N entries")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  show->callback([show_options, exit_code] { *exit_code = RunAuditShow(*show_options); });

  auto report_options = std::make_shared<ReportOptions>();
  CLI::App* report = audit->add_subcommand(
      "report",
      "An inspection's report over a period: consultations per user and agency, refusals, "
      "transfers per partner with their legal basis, erasures (auditors only)");
  AddNodeOptions(report, &report_options->node, 0);
  report->add_option("--from", report_options->from, "start of the period (ISO 8601)")->required();
  report->add_option("--to", report_options->to, "end of the period, excluded (ISO 8601)")
      ->required();
  report->add_option("--csv-dir", report_options->csv_dir,
                     "also write consultations.csv, refusals.csv, transfers.csv and erasures.csv "
                     "there");
  report->add_option("--format", report_options->format, "text (a readable summary) or json")
      ->capture_default_str();
  report->callback([report_options, exit_code] { *exit_code = RunAuditReport(*report_options); });
}

}  // namespace entente::cli
