// The audit log on SQL (audit.h). Entries are chained when their transaction commits
// (SqlWriteTxn::Flush in sql_store.cc).

#include <string>
#include <utility>
#include <vector>

#include "common/utf8.h"
#include "store/audit.h"
#include "store/sql_internal.h"

namespace entente::store {
namespace sql {

std::vector<AuditEntry> AuditFromRows(const SqlRows& rows) {
  std::vector<AuditEntry> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const SqlRow row = rows.Row(r);
    AuditEntry& e = out[r];
    e.seq = row.Int("seq");
    e.at = row.Int("at");
    e.record.actor = row.Text("actor");
    e.record.actor_agency = row.Text("actor_agency");
    e.record.action = row.Text("action");
    e.record.subject_id = row.Text("subject_id");
    e.record.justification = row.Text("justification");
    e.record.on_behalf_of = row.Text("on_behalf_of");
    e.record.details_json = row.Text("details");
    e.prev_hash = row.Text("prev_hash");
    e.hash = row.Text("hash");
  }
  return out;
}

}  // namespace sql

namespace {

// "FROM audit_log WHERE ..." for `query`'s filters (not its limit), and its parameters.
std::string AuditWhere(const AuditQuery& query, std::vector<SqlValue>* out) {
  std::string text = " FROM audit_log WHERE seq > $1";
  std::vector<SqlValue> params = {query.after_seq};
  auto add = [&](std::string_view condition, SqlValue value) {
    params.push_back(std::move(value));
    text += " AND ";
    text += condition;
    text += " $" + std::to_string(params.size());
  };
  if (!query.actor.empty()) add("actor =", sql::Text(query.actor));
  if (!query.subject_id.empty()) {
    params.push_back(sql::Text(query.subject_id));
    const std::string p = "$" + std::to_string(params.size());
    // Two indexed lookups (the entry's own subject, the subjects it disclosed), not an OR
    // that would scan the log.
    text += " AND seq IN (SELECT seq FROM audit_log WHERE subject_id = " + p +
            " UNION SELECT seq FROM audit_subjects WHERE subject_id = " + p + ")";
  }
  if (!query.action.empty()) add("action =", sql::Text(query.action));
  if (!query.outcome.empty()) {
    // The details are compact JSON written by DumpJson: a top-level "outcome" reads
    // "outcome":"<value>" and nothing inside a string can (its quotes are escaped).
    std::string like;
    for (const char c : query.outcome) {
      if (c == '%' || c == '_' || c == '!') like += '!';
      like += c;
    }
    params.push_back(sql::Text("%\"outcome\":\"" + like + "\"%"));
    params.push_back(sql::Text("%\"outcome\":\"" + like + ":%"));
    const size_t n = params.size();
    text += " AND (details LIKE $" + std::to_string(n - 1) + " ESCAPE '!' OR details LIKE $" +
            std::to_string(n) + " ESCAPE '!')";
  }
  if (query.from_micros != 0) add("at >=", query.from_micros);
  if (query.to_micros != 0) add("at <", query.to_micros);
  *out = std::move(params);
  return text;
}

}  // namespace

Result<int64_t> AuditReader::Count(const AuditQuery& query) const {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    std::vector<SqlValue> params;
    const std::string text = "SELECT COUNT(*) AS n" + AuditWhere(query, &params);
    return sql::QueryInt(c, text, params, "n");
  });
}

Result<std::vector<AuditEntry>> AuditReader::Read(const AuditQuery& query) const {
  return sql::Run<std::vector<AuditEntry>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<AuditEntry>> {
        ENTENTE_RETURN_IF_ERROR(sql::CheckLimit(query.limit));
        std::vector<SqlValue> params;
        std::string text = "SELECT " + std::string(sql::kAuditColumns) + AuditWhere(query, &params);
        params.emplace_back(int64_t{query.limit});
        text += " ORDER BY seq LIMIT $" + std::to_string(params.size());
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(text, params));
        return sql::AuditFromRows(rows);
      });
}

Result<AuditEntry> AuditReader::Last() const {
  return sql::Run<AuditEntry>(connector_, [&](SqlConnection& c) -> Result<AuditEntry> {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(sql::kAuditColumns) +
                                                       " FROM audit_log ORDER BY seq DESC LIMIT 1",
                                                   {}));
    if (rows.empty()) return NotFound("the audit log is empty");
    return std::move(sql::AuditFromRows(rows).front());
  });
}

Status Audit::Append(const AuditRecord& record) {
  AuditEntry entry;
  entry.at = log_.clock.NowMicros();
  entry.record = record;
  // The log holds valid UTF-8 only, whatever a caller sent: reading it must never fail.
  for (std::string* text : {&entry.record.actor, &entry.record.actor_agency, &entry.record.action,
                            &entry.record.subject_id, &entry.record.justification,
                            &entry.record.on_behalf_of, &entry.record.details_json}) {
    if (FindInvalidUtf8(*text)) *text = SanitizeUtf8(*text);
  }
  log_.audit.push_back(std::move(entry));
  return Status::Ok();
}

}  // namespace entente::store
