#include "service/subject_history.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/json.h"

namespace entente::service {
namespace {

std::string Text(const nlohmann::json& details, const char* key) {
  const auto it = details.find(key);
  return it != details.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Texts(const nlohmann::json& details, const char* key) {
  std::vector<std::string> out;
  const auto it = details.find(key);
  if (it == details.end() || !it->is_array()) return out;
  for (const nlohmann::json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// The allowed entries of `action` about `id` (oldest first, at most kHistoryLimit); `truncated`
// is set when there are more.
Result<std::vector<store::AuditEntry>> Entries(store::WriteTxn& txn, std::string_view id,
                                               std::string_view action, bool* truncated) {
  store::AuditQuery query;
  query.subject_id = std::string(id);
  query.action = std::string(action);
  query.limit = kHistoryLimit + 1;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> entries, txn.audit().Read(query));
  if (entries.size() > static_cast<size_t>(kHistoryLimit)) {
    entries.resize(kHistoryLimit);
    *truncated = true;
  }
  // A disclosure names the subject among others; a change is the subject's own entry.
  std::erase_if(entries, [&](const store::AuditEntry& e) { return e.record.subject_id != id; });
  return entries;
}

}  // namespace

Result<SubjectHistory> ReadSubjectHistory(store::Store& store, const Caller& caller,
                                          std::string_view id) {
  SubjectHistory history;
  Access access{policy::Action::kReadSubject, std::string(id), nullptr,
                DumpJson({{"operation", "history"}})};
  ENTENTE_RETURN_IF_ERROR(RunAudited(
      store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
        for (const char* action : {"write_subject", "restrict_subject", "erase_subject"}) {
          ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> entries,
                                   Entries(txn, id, action, &history.truncated));
          for (const store::AuditEntry& e : entries) {
            const nlohmann::json details = ParseJsonOrDiscarded(e.record.details_json);
            if (!details.is_object() || Text(details, "outcome") != "allowed") continue;
            SubjectChange change;
            change.at = e.at;
            change.actor = e.record.actor;
            change.agency = e.record.actor_agency;
            change.operation = Text(details, "operation");
            if (change.operation.empty()) continue;
            change.from_version = details.value("from_version", int64_t{0});
            change.changed = Texts(details, "changed");
            change.reason = Text(details, "reason");
            history.changes.push_back(std::move(change));
          }
        }
        ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> sent,
                                 Entries(txn, id, "send_message", &history.truncated));
        for (const store::AuditEntry& e : sent) {
          const nlohmann::json details = ParseJsonOrDiscarded(e.record.details_json);
          if (!details.is_object() || Text(details, "outcome") != "sent") continue;
          history.disclosures.push_back({e.at, e.record.actor, e.record.actor_agency, "message",
                                         Text(details, "type"), Text(details, "content"),
                                         Texts(details, "recipients"), Text(details, "message_id"),
                                         Text(details, "case_id")});
        }
        ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> decided,
                                 Entries(txn, id, "decide_followup", &history.truncated));
        for (const store::AuditEntry& e : decided) {
          const nlohmann::json details = ParseJsonOrDiscarded(e.record.details_json);
          if (!details.is_object()) continue;
          std::vector<std::string> partner;
          if (!Text(details, "partner").empty()) partner.push_back(Text(details, "partner"));
          history.disclosures.push_back({e.at, e.record.actor, e.record.actor_agency, "followup",
                                         "", Text(details, "outcome"), std::move(partner),
                                         Text(details, "reply"), ""});
        }
        return Status::Ok();
      }));
  const auto by_time = [](const auto& a, const auto& b) { return a.at < b.at; };
  std::stable_sort(history.changes.begin(), history.changes.end(), by_time);
  std::stable_sort(history.disclosures.begin(), history.disclosures.end(), by_time);
  return history;
}

}  // namespace entente::service
