#include "service/audit_report.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "policy/action.h"

namespace entente::service {
namespace {

// The entries a report reads at a time.
constexpr int kReportPage = 1000;

std::string TextOf(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

}  // namespace

void AuditReportBuilder::Add(const store::AuditEntry& entry) {
  ++entries_;
  const store::AuditRecord& r = entry.record;
  const nlohmann::json details = ParseJsonOrDiscarded(r.details_json);
  const std::string outcome = TextOf(details, "outcome");
  const bool refused = outcome.starts_with("refused");
  const std::optional<policy::Action> action = policy::ParseAction(r.action);

  UserActivity& user = users_[{r.actor_agency, r.actor}];
  user.actor = r.actor;
  user.agency = r.actor_agency;
  if (refused) {
    ++user.refused;
    const size_t colon = outcome.find(':');
    std::string rule = colon == std::string::npos ? "" : outcome.substr(colon + 1);
    rule.erase(0, rule.find_first_not_of(' '));
    ++refusals_[{r.actor, r.actor_agency, r.action, rule}];
  } else if (action && outcome == "allowed" && policy::TouchesPersonalData(*action)) {
    if (policy::ChangesRegister(*action)) {
      ++user.changes;
    } else {
      ++user.consultations[r.action];
    }
  }

  if (r.action == "send_message" && outcome == "sent") {
    const std::string message_id = TextOf(details, "message_id");
    const std::string type = TextOf(details, "type");
    const nlohmann::json basis =
        details.is_object() ? details.value("legal_basis", nlohmann::json()) : nlohmann::json();
    const std::string legal_basis = TextOf(basis, "kind") + ": " + TextOf(basis, "reference");
    const bool records = TextOf(details, "content") == "records";
    const nlohmann::json recipients = details.is_object()
                                          ? details.value("recipients", nlohmann::json::array())
                                          : nlohmann::json::array();
    for (const nlohmann::json& recipient : recipients) {
      if (!recipient.is_string()) continue;
      Transfer& t = transfers_[{recipient.get<std::string>(), legal_basis}];
      t.messages[message_id] = type;
      if (records) t.with_records.insert(message_id);
      if (!r.subject_id.empty()) ++t.subjects;
    }
  }

  if (r.action == "erase_subject" && outcome == "allowed") {
    ErasureStep step;
    step.seq = entry.seq;
    step.at = entry.at;
    step.subject_id = r.subject_id;
    step.actor = r.actor;
    step.operation = TextOf(details, "operation");
    if (step.operation.empty() && TextOf(details, "rule") == "retention") {
      step.operation = "retention";
    }
    step.reason = TextOf(details, "reason");
    step.requested_by = TextOf(details, "requested_by");
    if (!step.subject_id.empty()) erasures_.push_back(std::move(step));
  }
}

AuditReport AuditReportBuilder::Build(int64_t from_micros, int64_t to_micros,
                                      const std::map<std::string, std::string>& names) const {
  AuditReport report;
  report.from_micros = from_micros;
  report.to_micros = to_micros;
  report.entries = entries_;
  for (const auto& [key, activity] : users_) {
    UserActivity user = activity;
    const auto name = names.find(user.actor);
    if (name != names.end()) user.name = name->second;
    int64_t consulted = 0;
    for (const auto& [action, n] : user.consultations) consulted += n;
    auto& totals = report.agencies[user.agency];
    totals.first += consulted;
    totals.second += user.refused;
    report.users.push_back(std::move(user));
  }
  for (const auto& [key, count] : refusals_) {
    const auto& [actor, agency, action, rule] = key;
    report.refusals.push_back({actor, agency, action, rule, count});
  }
  std::stable_sort(report.refusals.begin(), report.refusals.end(),
                   [](const RefusalCount& a, const RefusalCount& b) { return a.count > b.count; });
  for (const auto& [key, transfer] : transfers_) {
    TransferCount t;
    t.recipient = key.recipient;
    t.legal_basis = key.legal_basis;
    for (const auto& [id, type] : transfer.messages) ++t.messages[type];
    t.with_records = static_cast<int64_t>(transfer.with_records.size());
    t.subjects = transfer.subjects;
    report.transfers.push_back(std::move(t));
  }
  report.erasures = erasures_;
  return report;
}

Result<AuditReport> BuildAuditReport(store::Store& store, const Caller& caller, int64_t from_micros,
                                     int64_t to_micros) {
  if (to_micros <= from_micros) {
    return InvalidArgument("to: the end of the period must come after its start");
  }
  const Access access{
      policy::Action::kReadAuditLog, "", nullptr,
      DumpJson({{"report", {{"from_micros", from_micros}, {"to_micros", to_micros}}}})};
  // The read is audited first; the report then reads committed pages outside the transaction
  // (a long period must not hold the writer).
  ENTENTE_RETURN_IF_ERROR(
      RunAudited(store, caller, access,
                 [](store::WriteTxn&, const policy::Decision&) { return Status::Ok(); }));
  AuditReportBuilder builder;
  store::AuditQuery query;
  query.from_micros = from_micros;
  query.to_micros = to_micros;
  query.limit = kReportPage;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> page, store.audit().Read(query));
    for (const store::AuditEntry& entry : page) builder.Add(entry);
    if (static_cast<int>(page.size()) < query.limit) break;
    query.after_seq = page.back().seq;
  }
  std::map<std::string, std::string> names;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::User> users, store.users().List());
  for (const store::User& u : users) names[u.id] = u.name;
  return builder.Build(from_micros, to_micros, names);
}

}  // namespace entente::service
