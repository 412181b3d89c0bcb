#include <cstdlib>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "common/time_format.h"

namespace entente::api {
namespace {

nlohmann::json EntryJson(const store::AuditEntry& e,
                         const std::map<std::string, std::string>& names) {
  const auto name = names.find(e.record.actor);
  nlohmann::json details = ParseJsonOrDiscarded(e.record.details_json);
  return {{"seq", e.seq},
          {"at", TimeJson(e.at)},
          {"actor", e.record.actor},
          {"actor_name", name == names.end() ? std::string() : name->second},
          {"actor_agency", e.record.actor_agency},
          {"action", e.record.action},
          {"subject_id", e.record.subject_id},
          {"justification", e.record.justification},
          {"on_behalf_of", e.record.on_behalf_of},
          {"details", details.is_discarded() ? nlohmann::json(e.record.details_json) : details},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

Result<int64_t> Whole(const std::string& text, const char* name, int64_t fallback, int64_t max) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || value < 0 || value > max) {
    return InvalidArgument(std::string(name) + ": expected a whole number from 0 to " +
                           std::to_string(max));
  }
  return value;
}

}  // namespace

void AddAuditRoutes(ApiServer& server) {
  // Reading the log is itself logged.
  server.AddRoute("GET", "/api/v1/audit", RouteSpec(), [&server](Call& call) {
    store::AuditQuery query;
    query.actor = call.Query("actor");
    query.subject_id = call.Query("subject");
    query.action = call.Query("action");
    query.outcome = call.Query("outcome");
    for (const auto& [name, micros] :
         {std::pair{"from", &query.from_micros}, std::pair{"to", &query.to_micros}}) {
      const std::string text = call.Query(name);
      if (text.empty()) continue;
      Result<int64_t> time = ParseIsoTime(text, name);
      if (!time.ok()) return ErrorReply(time.status());
      *micros = *time;
    }
    Result<int64_t> after = Whole(call.Query("after"), "after", 0, INT64_MAX);
    if (!after.ok()) return ErrorReply(after.status());
    Result<int64_t> limit = Whole(call.Query("limit"), "limit", 100, 1000);
    if (!limit.ok()) return ErrorReply(limit.status());
    query.after_seq = *after;
    query.limit = static_cast<int>(*limit);
    std::vector<store::AuditEntry> entries;
    int64_t remaining = 0;
    std::map<std::string, std::string> names;  // user id -> display name
    const nlohmann::json asked = {{"actor", query.actor},         {"subject_id", query.subject_id},
                                  {"action", query.action},       {"outcome", query.outcome},
                                  {"from", call.Query("from")},   {"to", call.Query("to")},
                                  {"after_seq", query.after_seq}, {"limit", query.limit}};
    const service::Access access{policy::Action::kReadAuditLog, "", nullptr,
                                 DumpJson(nlohmann::json{{"query", asked}})};
    const Status status = service::RunAudited(
        *server.deps().store, call.caller, access,
        [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
          ENTENTE_ASSIGN_OR_RETURN(entries, txn.audit().Read(query));
          if (!entries.empty()) {
            store::AuditQuery rest = query;
            rest.after_seq = entries.back().seq;
            ENTENTE_ASSIGN_OR_RETURN(remaining, txn.audit().Count(rest));
          }
          ENTENTE_ASSIGN_OR_RETURN(std::vector<store::User> users, txn.users().List());
          for (const auto& u : users) names[u.id] = u.name;
          return Status::Ok();
        });
    if (!status.ok()) return ErrorReply(status);
    Reply reply;
    reply.body = {{"entries", nlohmann::json::array()}};
    for (const auto& e : entries) reply.body["entries"].push_back(EntryJson(e, names));
    // How many more match after this page, and where the next page starts.
    reply.body["remaining"] = remaining;
    if (remaining > 0) reply.body["next_after"] = entries.back().seq;
    return reply;
  });
  server.AddRoute("GET", "/api/v1/audit/verify", RouteSpec(), [&server](Call& call) {
    store::AuditVerification verification;
    Status status = service::RunAudited(
        *server.deps().store, call.caller, {policy::Action::kVerifyAuditLog, ""},
        [](store::WriteTxn&, const policy::Decision&) { return Status::Ok(); });
    if (!status.ok()) return ErrorReply(status);
    Result<store::AuditVerification> verified = server.deps().store->VerifyAuditChain();
    if (!verified.ok()) return ErrorReply(verified.status());
    Reply reply;
    reply.body = {{"entries", verified->entries}, {"intact", !verified->first_broken_seq}};
    if (verified->first_broken_seq) {
      reply.body["first_broken_seq"] = *verified->first_broken_seq;
      reply.body["reason"] = verified->reason;
    }
    return reply;
  });
}

}  // namespace entente::api
