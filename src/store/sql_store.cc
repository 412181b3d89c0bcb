#include "store/sql_store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/mutex.h"
#include "common/utf8.h"
#include "store/audit_chain.h"
#include "store/migrations.h"
#include "store/sql_exchange.h"
#include "store/sql_helpers.h"
#include "store/sql_hits.h"
#include "store/subject_codec.h"

namespace entente::store {
namespace {

using sql::CheckLimit;
using sql::Text;

// Serialises, on PostgreSQL, the transactions that number change-feed and audit entries, so
// that numbers follow commit order and the audit chain never forks. Taken just before COMMIT.
constexpr int64_t kOrderedLogLock = 0x656e74656e746502;
// Rows per multi-row INSERT.
constexpr size_t kInsertChunk = 200;

// The UTC day of `micros` (since the epoch), YYYY-MM-DD.
std::string UtcDate(int64_t micros) {
  const auto days = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(micros)));
  const std::chrono::year_month_day ymd(days);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// "INSERT INTO table (columns) VALUES ($1,..),(..)" for `rows` rows of `width` parameters.
std::string MultiRowInsert(std::string_view head, size_t width, size_t rows,
                           std::string_view tail = "") {
  std::string sql(head);
  sql += " VALUES ";
  size_t n = 0;
  for (size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ",(";
    for (size_t c = 0; c < width; ++c) {
      if (c > 0) sql += ',';
      sql += '$';
      sql += std::to_string(++n);
    }
    sql += ')';
  }
  sql += tail;
  return sql;
}

// ---- Reads, on one connection ---------------------------------------------------------------

constexpr std::string_view kSubjectColumns =
    "id, schema, entity, owner_agency, country, handling_code, review_date, retention_date, "
    "birth_date, state, version, created_at, updated_at, restricted_on";

Result<std::vector<Subject>> SubjectsFromRows(const SqlRows& rows) {
  std::vector<const std::string*> json;
  json.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) json.push_back(&rows.Text(r, 2));
  ENTENTE_ASSIGN_OR_RETURN(std::vector<model::Entity> entities, DecodeEntityJson(json));
  std::vector<Subject> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    Subject& s = out[r];
    s.entity = std::move(entities[r]);
    s.owner_agency = rows.Text(r, 3);
    s.country = rows.Text(r, 4);
    s.handling_code = rows.Text(r, 5);
    s.review_date = rows.Text(r, 6);
    s.retention_date = rows.Text(r, 7);
    s.birth_date = rows.Text(r, 8);
    s.state = static_cast<SubjectState>(rows.Int(r, 9));
    s.version = rows.Int(r, 10);
    s.created_at = rows.Int(r, 11);
    s.updated_at = rows.Int(r, 12);
    s.restricted_on = rows.Text(r, 13);
  }
  return out;
}

Result<Subject> QueryGetSubject(SqlConnection& c, std::string_view id) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kSubjectColumns) +
                                                     " FROM subjects WHERE id = $1",
                                                 {Text(id)}));
  if (rows.empty()) return NotFound("subject " + std::string(id) + " not found");
  ENTENTE_ASSIGN_OR_RETURN(std::vector<Subject> subjects, SubjectsFromRows(rows));
  return std::move(subjects.front());
}

Result<SubjectPage> QueryListSubjects(SqlConnection& c, std::string_view after_id, int limit) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT " + std::string(kSubjectColumns) +
                                       " FROM subjects WHERE id > $1 ORDER BY id LIMIT $2",
                                   {Text(after_id), int64_t{limit}}));
  SubjectPage page;
  ENTENTE_ASSIGN_OR_RETURN(page.subjects, SubjectsFromRows(rows));
  if (static_cast<int>(page.subjects.size()) == limit) {
    page.next_after = page.subjects.back().entity.id;
  }
  return page;
}

Result<int64_t> QueryCount(SqlConnection& c, std::string_view sql) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, {}));
  return rows.Int(0, 0);
}

Result<std::vector<std::string>> QueryIds(SqlConnection& c, std::string_view sql,
                                          const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) out.push_back(rows.Text(r, 0));
  return out;
}

Result<std::vector<Change>> QueryChangesSince(SqlConnection& c, int64_t after_seq, int limit) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT seq, subject_id, kind, version, at FROM subject_changes "
                                   "WHERE seq > $1 ORDER BY seq LIMIT $2",
                                   {after_seq, int64_t{limit}}));
  std::vector<Change> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Int(r, 0), rows.Text(r, 1), static_cast<ChangeKind>(rows.Int(r, 2)),
              rows.Int(r, 3), rows.Int(r, 4)};
  }
  return out;
}

Result<std::vector<Link>> QueryLinks(SqlConnection& c, std::string_view sql, std::string_view id) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, {Text(id)}));
  std::vector<Link> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3)};
  }
  return out;
}

Result<std::vector<CustodyEvent>> QueryCustody(SqlConnection& c, std::string_view where,
                                               const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT subject_id, kind, start_date, end_date, establishment FROM custody_events "
              "WHERE " +
                  std::string(where) + " ORDER BY start_date, subject_id, kind, end_date",
              params));
  std::vector<CustodyEvent> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3), rows.Text(r, 4)};
  }
  return out;
}

constexpr std::string_view kTaskColumns =
    "id, subject_id, event_date, task, owner_agency, status, due_date, created_at, updated_at";

Result<std::vector<ChecklistTask>> QueryTasks(SqlConnection& c, std::string_view where,
                                              const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("SELECT " + std::string(kTaskColumns) + " FROM checklist_tasks WHERE " +
                                std::string(where) + " ORDER BY event_date, due_date, id",
                            params));
  std::vector<ChecklistTask> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    ChecklistTask& t = out[r];
    t.id = rows.Int(r, 0);
    t.subject_id = rows.Text(r, 1);
    t.event_date = rows.Text(r, 2);
    t.task = rows.Text(r, 3);
    t.owner_agency = rows.Text(r, 4);
    auto status = ParseTaskStatus(rows.Text(r, 5));
    if (!status.has_value()) {
      return Internal("task " + std::to_string(t.id) + " has unknown status " + rows.Text(r, 5));
    }
    t.status = *status;
    t.due_date = rows.Text(r, 6);
    t.created_at = rows.Int(r, 7);
    t.updated_at = rows.Int(r, 8);
  }
  return out;
}

Result<std::vector<User>> QueryUsers(SqlConnection& c, std::string_view where,
                                     const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT id, agency, role, token_hash, created_at, disabled, tier, designations, "
              "name, expires_at FROM users" +
                  std::string(where) + " ORDER BY id",
              params));
  std::vector<User> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1),     rows.Text(r, 2), rows.Text(r, 3),
              rows.Int(r, 4),  rows.Int(r, 5) != 0, rows.Text(r, 6), rows.Text(r, 7),
              rows.Text(r, 8), rows.Int(r, 9)};
  }
  return out;
}

Result<User> QueryOneUser(SqlConnection& c, std::string_view where, SqlValue param,
                          std::string_view what) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<User> users, QueryUsers(c, where, {std::move(param)}));
  if (users.empty()) return NotFound(std::string(what) + " not found");
  return std::move(users.front());
}

constexpr std::string_view kAuditColumns =
    "seq, at, actor, actor_agency, action, subject_id, justification, on_behalf_of, details, "
    "prev_hash, hash";

std::vector<AuditEntry> AuditFromRows(const SqlRows& rows) {
  std::vector<AuditEntry> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    AuditEntry& e = out[r];
    e.seq = rows.Int(r, 0);
    e.at = rows.Int(r, 1);
    e.record.actor = rows.Text(r, 2);
    e.record.actor_agency = rows.Text(r, 3);
    e.record.action = rows.Text(r, 4);
    e.record.subject_id = rows.Text(r, 5);
    e.record.justification = rows.Text(r, 6);
    e.record.on_behalf_of = rows.Text(r, 7);
    e.record.details_json = rows.Text(r, 8);
    e.prev_hash = rows.Text(r, 9);
    e.hash = rows.Text(r, 10);
  }
  return out;
}

Result<std::vector<AuditEntry>> QueryAudit(SqlConnection& c, const AuditQuery& query) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(query.limit));
  std::string sql = "SELECT " + std::string(kAuditColumns) + " FROM audit_log WHERE seq > $1";
  std::vector<SqlValue> params = {query.after_seq};
  auto add = [&](std::string_view condition, SqlValue value) {
    params.push_back(std::move(value));
    sql += " AND ";
    sql += condition;
    sql += " $" + std::to_string(params.size());
  };
  if (!query.actor.empty()) add("actor =", Text(query.actor));
  if (!query.subject_id.empty()) add("subject_id =", Text(query.subject_id));
  if (query.from_micros != 0) add("at >=", query.from_micros);
  if (query.to_micros != 0) add("at <", query.to_micros);
  params.emplace_back(int64_t{query.limit});
  sql += " ORDER BY seq LIMIT $" + std::to_string(params.size());
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
  return AuditFromRows(rows);
}

Result<std::string> QueryConfig(SqlConnection& c, std::string_view key) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT value FROM node_config WHERE key = $1", {Text(key)}));
  if (rows.empty()) return NotFound("node_config key " + std::string(key) + " not set");
  return rows.Text(0, 0);
}

// ---- StoreReader over a connection hook -----------------------------------------------------

// Implements every read of StoreReader once; Base is Store or WriteTxn, which differ in where
// the connection comes from (WithConnection).
template <typename Base>
class SqlReads : public Base {
 public:
  Result<Subject> GetSubject(std::string_view id) const override {
    return Run<Subject>([&](SqlConnection& c) { return QueryGetSubject(c, id); });
  }
  Result<SubjectPage> ListSubjects(std::string_view after_id, int limit) const override {
    return Run<SubjectPage>(
        [&](SqlConnection& c) { return QueryListSubjects(c, after_id, limit); });
  }
  Result<int64_t> CountSubjects() const override {
    return Run<int64_t>(
        [&](SqlConnection& c) { return QueryCount(c, "SELECT COUNT(*) FROM subjects"); });
  }
  Result<std::vector<std::string>> SubjectsDueForReview(std::string_view date,
                                                        std::string_view after_id,
                                                        int limit) const override {
    return DueIds("review_date", date, after_id, limit);
  }
  Result<std::vector<std::string>> SubjectsPastRetention(std::string_view date,
                                                         std::string_view after_id,
                                                         int limit) const override {
    return DueIds("retention_date", date, after_id, limit);
  }
  Result<std::vector<Change>> ChangesSince(int64_t after_seq, int limit) const override {
    return Run<std::vector<Change>>(
        [&](SqlConnection& c) { return QueryChangesSince(c, after_seq, limit); });
  }
  Result<int64_t> LastChangeSeq() const override {
    return Run<int64_t>([&](SqlConnection& c) {
      return QueryCount(c, "SELECT COALESCE(MAX(seq), 0) FROM subject_changes");
    });
  }
  Result<std::vector<Link>> LinksFrom(std::string_view id) const override {
    return Run<std::vector<Link>>([&](SqlConnection& c) {
      return QueryLinks(
          c, "SELECT src, dst, type, country FROM links WHERE src = $1 ORDER BY dst, type", id);
    });
  }
  Result<std::vector<Link>> LinksTo(std::string_view id) const override {
    return Run<std::vector<Link>>([&](SqlConnection& c) {
      return QueryLinks(
          c, "SELECT src, dst, type, country FROM links WHERE dst = $1 ORDER BY src, type", id);
    });
  }
  Result<std::vector<CustodyEvent>> CustodyEventsBetween(std::string_view from,
                                                         std::string_view to) const override {
    return Run<std::vector<CustodyEvent>>([&](SqlConnection& c) {
      return QueryCustody(c, "start_date <= $2 AND end_date >= $1", {Text(from), Text(to)});
    });
  }
  Result<std::vector<CustodyEvent>> CustodyEventsOf(std::string_view subject_id) const override {
    return Run<std::vector<CustodyEvent>>(
        [&](SqlConnection& c) { return QueryCustody(c, "subject_id = $1", {Text(subject_id)}); });
  }
  Result<ChecklistTask> GetTask(int64_t id) const override {
    return Run<ChecklistTask>([&](SqlConnection& c) -> Result<ChecklistTask> {
      ENTENTE_ASSIGN_OR_RETURN(std::vector<ChecklistTask> tasks, QueryTasks(c, "id = $1", {id}));
      if (tasks.empty()) return NotFound("task " + std::to_string(id) + " not found");
      return std::move(tasks.front());
    });
  }
  Result<std::vector<ChecklistTask>> TasksOf(std::string_view subject_id) const override {
    return Run<std::vector<ChecklistTask>>(
        [&](SqlConnection& c) { return QueryTasks(c, "subject_id = $1", {Text(subject_id)}); });
  }
  Result<std::vector<ChecklistTask>> OverdueTasks(std::string_view date) const override {
    return Run<std::vector<ChecklistTask>>([&](SqlConnection& c) {
      return QueryTasks(c, "due_date < $1 AND status IN ('open', 'in_progress')", {Text(date)});
    });
  }
  Result<User> GetUser(std::string_view id) const override {
    return Run<User>([&](SqlConnection& c) {
      return QueryOneUser(c, " WHERE id = $1", Text(id), "user " + std::string(id));
    });
  }
  Result<User> FindUserByTokenHash(std::string_view token_hash) const override {
    return Run<User>([&](SqlConnection& c) {
      return QueryOneUser(c, " WHERE token_hash = $1", Text(token_hash), "user with this token");
    });
  }
  Result<std::vector<User>> ListUsers() const override {
    return Run<std::vector<User>>([&](SqlConnection& c) { return QueryUsers(c, "", {}); });
  }
  Result<std::vector<AuditEntry>> ReadAudit(const AuditQuery& query) const override {
    return Run<std::vector<AuditEntry>>([&](SqlConnection& c) { return QueryAudit(c, query); });
  }
  Result<AuditEntry> LastAuditEntry() const override {
    return Run<AuditEntry>([&](SqlConnection& c) -> Result<AuditEntry> {
      ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                               c.Query("SELECT " + std::string(kAuditColumns) +
                                           " FROM audit_log ORDER BY seq DESC LIMIT 1",
                                       {}));
      if (rows.empty()) return NotFound("the audit log is empty");
      return std::move(AuditFromRows(rows).front());
    });
  }
  Result<std::string> GetConfig(std::string_view key) const override {
    return Run<std::string>([&](SqlConnection& c) { return QueryConfig(c, key); });
  }

  Result<Partner> GetPartner(std::string_view country) const override {
    return Run<Partner>([&](SqlConnection& c) { return sql::GetPartner(c, country); });
  }
  Result<Partner> FindPartnerByFingerprint(std::string_view fingerprint) const override {
    return Run<Partner>(
        [&](SqlConnection& c) { return sql::FindPartnerByFingerprint(c, fingerprint); });
  }
  Result<std::vector<Partner>> ListPartners() const override {
    return Run<std::vector<Partner>>([&](SqlConnection& c) { return sql::ListPartners(c); });
  }
  Result<StoredMessage> GetMessage(std::string_view id, MessageDirection direction) const override {
    return Run<StoredMessage>([&](SqlConnection& c) { return sql::GetMessage(c, id, direction); });
  }
  Result<std::vector<StoredMessage>> ListMessages(const MessageQuery& query) const override {
    return Run<std::vector<StoredMessage>>(
        [&](SqlConnection& c) { return sql::ListMessages(c, query); });
  }
  Result<std::vector<CaseSummary>> ListCases(int limit) const override {
    return Run<std::vector<CaseSummary>>(
        [&](SqlConnection& c) { return sql::ListCases(c, limit); });
  }
  Result<std::vector<StoredMessage>> UnansweredBefore(
      std::string_view date, const std::vector<std::string>& types) const override {
    return Run<std::vector<StoredMessage>>(
        [&](SqlConnection& c) { return sql::UnansweredBefore(c, date, types); });
  }
  Result<std::vector<OutboxEntry>> ListOutbox(const OutboxQuery& query) const override {
    return Run<std::vector<OutboxEntry>>(
        [&](SqlConnection& c) { return sql::ListOutbox(c, query); });
  }
  Result<std::vector<OutboxCount>> CountOutbox() const override {
    return Run<std::vector<OutboxCount>>([&](SqlConnection& c) { return sql::CountOutbox(c); });
  }
  Result<ReleaseNotice> GetReleaseNotice(std::string_view subject_id, std::string_view event_kind,
                                         std::string_view event_date,
                                         std::string_view partner) const override {
    return Run<ReleaseNotice>([&](SqlConnection& c) {
      return sql::GetReleaseNotice(c, subject_id, event_kind, event_date, partner);
    });
  }
  Result<std::vector<ReleaseNotice>> ListReleaseNotices(bool unacknowledged_only,
                                                        int limit) const override {
    return Run<std::vector<ReleaseNotice>>(
        [&](SqlConnection& c) { return sql::ListReleaseNotices(c, unacknowledged_only, limit); });
  }
  Result<IndexPublication> GetIndexPublication(std::string_view partner) const override {
    return Run<IndexPublication>(
        [&](SqlConnection& c) { return sql::GetIndexPublication(c, partner); });
  }
  Result<std::vector<PublishedEntry>> ListPublished(std::string_view partner) const override {
    return Run<std::vector<PublishedEntry>>(
        [&](SqlConnection& c) { return sql::ListPublished(c, partner); });
  }
  Result<PublishedEntry> FindPublished(std::string_view partner,
                                       std::string_view reference) const override {
    return Run<PublishedEntry>(
        [&](SqlConnection& c) { return sql::FindPublished(c, partner, reference); });
  }
  Result<PartnerIndexState> GetPartnerIndex(std::string_view partner) const override {
    return Run<PartnerIndexState>(
        [&](SqlConnection& c) { return sql::GetPartnerIndex(c, partner); });
  }
  Result<std::vector<PartnerIndexState>> ListPartnerIndexes() const override {
    return Run<std::vector<PartnerIndexState>>(
        [&](SqlConnection& c) { return sql::ListPartnerIndexes(c); });
  }
  Result<std::vector<PartnerIndexEntry>> ListPartnerIndexEntries(std::string_view partner,
                                                                 int64_t generation,
                                                                 std::string_view after_reference,
                                                                 int limit) const override {
    return Run<std::vector<PartnerIndexEntry>>([&](SqlConnection& c) {
      return sql::ListPartnerIndexEntries(c, partner, generation, after_reference, limit);
    });
  }
  Result<HitRecord> GetHit(std::string_view id, HitDirection direction) const override {
    return Run<HitRecord>([&](SqlConnection& c) { return sql::GetHit(c, id, direction); });
  }
  Result<std::vector<HitRecord>> ListHits(HitDirection direction, int limit) const override {
    return Run<std::vector<HitRecord>>(
        [&](SqlConnection& c) { return sql::ListHits(c, direction, limit); });
  }
  Result<FollowUp> GetFollowUp(std::string_view message_id) const override {
    return Run<FollowUp>([&](SqlConnection& c) { return sql::GetFollowUp(c, message_id); });
  }
  Result<std::vector<FollowUp>> ListFollowUps(bool pending_only, int limit) const override {
    return Run<std::vector<FollowUp>>(
        [&](SqlConnection& c) { return sql::ListFollowUps(c, pending_only, limit); });
  }

 protected:
  // Runs `fn` on the connection reads of this object use.
  virtual Status WithConnection(const std::function<Status(SqlConnection&)>& fn) const = 0;

  template <typename T, typename F>
  Result<T> Run(F&& f) const {
    std::optional<Result<T>> out;
    Status status = WithConnection([&](SqlConnection& c) {
      out.emplace(f(c));
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return std::move(*out);
  }

 private:
  Result<std::vector<std::string>> DueIds(std::string_view column, std::string_view date,
                                          std::string_view after_id, int limit) const {
    return Run<std::vector<std::string>>([&](SqlConnection& c) -> Result<std::vector<std::string>> {
      ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
      const std::string c_name(column);
      return QueryIds(c,
                      "SELECT id FROM subjects WHERE " + c_name + " <> '' AND " + c_name +
                          " <= $1 AND state <> 2 AND id > $2 ORDER BY id LIMIT $3",
                      {Text(date), Text(after_id), int64_t{limit}});
    });
  }
};

// ---- Writes ---------------------------------------------------------------------------------

class SqlWriteTxn final : public SqlReads<WriteTxn> {
 public:
  SqlWriteTxn(SqlConnection& connection, const Clock& clock)
      : connection_(connection), clock_(clock) {}

  Result<int64_t> PutSubject(const model::Entity& entity, int64_t expected_version) override {
    if (entity.id.empty()) return InvalidArgument("subject: id is empty");
    const int64_t now = clock_.NowMicros();
    const DerivedSubject d = DeriveSubject(entity);
    std::vector<SqlValue> params = {Text(entity.id),
                                    Text(model::SchemaName(entity.schema)),
                                    EncodeEntityJson(entity),
                                    d.owner_agency,
                                    d.country,
                                    d.handling_code,
                                    d.review_date,
                                    d.retention_date,
                                    d.birth_date,
                                    now};
    constexpr std::string_view kInsert =
        "INSERT INTO subjects (id, schema, entity, owner_agency, country, handling_code, "
        "review_date, retention_date, birth_date, created_at, updated_at, state, version) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 0, 1) ";
    constexpr std::string_view kSet =
        "schema = $2, entity = $3, owner_agency = $4, country = $5, handling_code = $6, "
        "review_date = $7, retention_date = $8, birth_date = $9, updated_at = $10, ";
    std::optional<SqlRows> rows;
    if (expected_version == kNewSubject) {
      ENTENTE_ASSIGN_OR_RETURN(
          rows,
          connection_.Query(std::string(kInsert) + "ON CONFLICT (id) DO NOTHING RETURNING version",
                            params));
    } else if (expected_version == kAnyVersion) {
      ENTENTE_ASSIGN_OR_RETURN(
          rows, connection_.Query(std::string(kInsert) + "ON CONFLICT (id) DO UPDATE SET " +
                                      std::string(kSet) +
                                      "version = subjects.version + 1 WHERE subjects.state <> 2 "
                                      "RETURNING version",
                                  params));
    } else if (expected_version > 0) {
      params.emplace_back(expected_version);
      ENTENTE_ASSIGN_OR_RETURN(
          rows, connection_.Query("UPDATE subjects SET " + std::string(kSet) +
                                      "version = version + 1 WHERE id = $1 AND version = $11 "
                                      "AND state <> 2 RETURNING version",
                                  params));
    } else {
      return InvalidArgument("subject " + entity.id + ": expected version " +
                             std::to_string(expected_version) + " is not valid");
    }
    if (rows->empty()) return ExplainRefusedPut(entity.id, expected_version);
    const int64_t version = rows->Int(0, 0);
    if (version > 1) {
      ENTENTE_RETURN_IF_ERROR(DeleteDerived(entity.id));
    }
    ENTENTE_RETURN_IF_ERROR(InsertLinks(d.links));
    ENTENTE_RETURN_IF_ERROR(InsertCustody(d.custody));
    pending_changes_.push_back({0, entity.id, ChangeKind::kPut, version, now});
    return version;
  }

  Status DeleteSubject(std::string_view id) override {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query("DELETE FROM subjects WHERE id = $1 RETURNING version", {Text(id)}));
    if (rows.empty()) return NotFound("subject " + std::string(id) + " not found");
    pending_changes_.push_back({0, std::string(id), ChangeKind::kDelete, 0, clock_.NowMicros()});
    return Status::Ok();
  }

  Status SetSubjectState(std::string_view id, SubjectState state) override {
    if (state == SubjectState::kErased) {
      return InvalidArgument("subject " + std::string(id) + ": erase with EraseSubject");
    }
    const int64_t now = clock_.NowMicros();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query("UPDATE subjects SET state = $2, version = version + 1, "
                          "updated_at = $3, restricted_on = $4 WHERE id = $1 AND state <> 2 "
                          "RETURNING version",
                          {Text(id), int64_t{static_cast<int>(state)}, now,
                           state == SubjectState::kRestricted ? UtcDate(now) : std::string()}));
    if (rows.empty()) return ExplainRefusedPut(id, kAnyVersion);
    pending_changes_.push_back({0, std::string(id), ChangeKind::kState, rows.Int(0, 0), now});
    return Status::Ok();
  }

  Status EraseSubject(std::string_view id) override {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows found, connection_.Query("SELECT schema FROM subjects WHERE id = $1", {Text(id)}));
    if (found.empty()) return NotFound("subject " + std::string(id) + " not found");
    model::Entity tombstone;
    tombstone.id = std::string(id);
    model::ParseSchema(found.Text(0, 0), &tombstone.schema);
    const int64_t now = clock_.NowMicros();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query(
            "UPDATE subjects SET entity = $2, owner_agency = '', country = '', "
            "handling_code = '', review_date = '', retention_date = '', birth_date = '', "
            "state = 2, version = version + 1, updated_at = $3 WHERE id = $1 RETURNING version",
            {Text(id), EncodeEntityJson(tombstone), now}));
    if (rows.empty()) return NotFound("subject " + std::string(id) + " not found");
    ENTENTE_RETURN_IF_ERROR(DeleteDerived(id));
    ENTENTE_RETURN_IF_ERROR(
        connection_.Query("DELETE FROM checklist_tasks WHERE subject_id = $1", {Text(id)})
            .status());
    pending_changes_.push_back({0, std::string(id), ChangeKind::kState, rows.Int(0, 0), now});
    return Status::Ok();
  }

  Result<int64_t> AddTask(const ChecklistTask& task) override {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows found,
        connection_.Query("SELECT state FROM subjects WHERE id = $1", {task.subject_id}));
    if (found.empty()) {
      return FailedPrecondition("task: subject " + task.subject_id + " does not exist");
    }
    const int64_t now = clock_.NowMicros();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query("INSERT INTO checklist_tasks (subject_id, event_date, task, "
                          "owner_agency, status, due_date, created_at, updated_at) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                          {task.subject_id, task.event_date, task.task, task.owner_agency,
                           Text(TaskStatusCode(task.status)), task.due_date, now}));
    return rows.Int(0, 0);
  }

  Status UpdateTask(const ChecklistTask& task) override {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query("UPDATE checklist_tasks SET subject_id = $2, event_date = $3, "
                          "task = $4, owner_agency = $5, status = $6, due_date = $7, "
                          "updated_at = $8 WHERE id = $1 RETURNING id",
                          {task.id, task.subject_id, task.event_date, task.task, task.owner_agency,
                           Text(TaskStatusCode(task.status)), task.due_date, clock_.NowMicros()}));
    if (rows.empty()) return NotFound("task " + std::to_string(task.id) + " not found");
    return Status::Ok();
  }

  Status DeleteTask(int64_t id) override {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query("DELETE FROM checklist_tasks WHERE id = $1 RETURNING id", {id}));
    if (rows.empty()) return NotFound("task " + std::to_string(id) + " not found");
    return Status::Ok();
  }

  Status PutUser(const User& user) override {
    if (user.id.empty() || user.token_hash.empty()) {
      return InvalidArgument("user: id and token hash are required");
    }
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows taken, connection_.Query("SELECT id FROM users WHERE id = $1 OR token_hash = $2",
                                         {user.id, user.token_hash}));
    if (!taken.empty()) {
      return AlreadyExists(taken.Text(0, 0) == user.id
                               ? "user " + user.id + " already exists"
                               : "user " + user.id + ": token hash already in use");
    }
    return connection_
        .Query(
            "INSERT INTO users (id, agency, role, token_hash, created_at, disabled, tier, "
            "designations, name, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {user.id, user.agency, user.role, user.token_hash, clock_.NowMicros(),
             int64_t{user.disabled ? 1 : 0}, user.tier, user.designations, user.name,
             user.expires_at})
        .status();
  }

  Status SetUserToken(std::string_view id, std::string_view token_hash,
                      int64_t expires_at) override {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows taken, connection_.Query("SELECT id FROM users WHERE token_hash = $1 AND id <> $2",
                                         {Text(token_hash), Text(id)}));
    if (!taken.empty()) return AlreadyExists("user " + std::string(id) + ": token hash in use");
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query(
            "UPDATE users SET token_hash = $2, expires_at = $3 WHERE id = $1 RETURNING id",
            {Text(id), Text(token_hash), expires_at}));
    if (rows.empty()) return NotFound("user " + std::string(id) + " not found");
    return Status::Ok();
  }

  Status SetUserDisabled(std::string_view id, bool disabled) override {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, connection_.Query("UPDATE users SET disabled = $2 WHERE id = $1 RETURNING id",
                                        {Text(id), int64_t{disabled ? 1 : 0}}));
    if (rows.empty()) return NotFound("user " + std::string(id) + " not found");
    return Status::Ok();
  }

  Status AppendAudit(const AuditRecord& record) override {
    AuditEntry entry;
    entry.at = clock_.NowMicros();
    entry.record = record;
    // The log holds valid UTF-8 only, whatever a caller sent: reading it must never fail.
    for (std::string* text : {&entry.record.actor, &entry.record.actor_agency, &entry.record.action,
                              &entry.record.subject_id, &entry.record.justification,
                              &entry.record.on_behalf_of, &entry.record.details_json}) {
      if (FindInvalidUtf8(*text)) *text = SanitizeUtf8(*text);
    }
    pending_audit_.push_back(std::move(entry));
    return Status::Ok();
  }

  Status SetConfig(std::string_view key, std::string_view value) override {
    return connection_
        .Query(
            "INSERT INTO node_config (key, value) VALUES ($1, $2) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {Text(key), Text(value)})
        .status();
  }

  Status PutPartner(const Partner& partner) override {
    return sql::PutPartner(connection_, partner, clock_.NowMicros());
  }
  Status DeletePartner(std::string_view country) override {
    return sql::DeletePartner(connection_, country);
  }
  Result<int64_t> InsertMessage(const StoredMessage& message) override {
    return sql::InsertMessage(connection_, message, clock_.NowMicros());
  }
  Result<int64_t> Enqueue(const OutboxEntry& entry) override {
    return sql::Enqueue(connection_, entry, clock_.NowMicros());
  }
  Status MarkDelivered(int64_t seq, std::string_view receipt, int64_t at) override {
    return sql::MarkDelivered(connection_, seq, receipt, at);
  }
  Status MarkAttemptFailed(int64_t seq, std::string_view error, int64_t next_attempt_at,
                           bool give_up) override {
    return sql::MarkAttemptFailed(connection_, seq, error, next_attempt_at, give_up);
  }
  Status Requeue(int64_t seq, int64_t at) override { return sql::Requeue(connection_, seq, at); }
  Status PutReleaseNotice(const ReleaseNotice& notice) override {
    return sql::PutReleaseNotice(connection_, notice);
  }
  Status AcknowledgeReleaseNotice(std::string_view message_id, int64_t at,
                                  std::string_view by) override {
    return sql::AcknowledgeReleaseNotice(connection_, message_id, at, by);
  }
  Status PutIndexPublication(const IndexPublication& publication) override {
    return sql::PutIndexPublication(connection_, publication);
  }
  Status PutPublished(const PublishedEntry& entry) override {
    return sql::PutPublished(connection_, entry);
  }
  Status DeletePublished(std::string_view partner, std::string_view subject_id) override {
    return sql::DeletePublished(connection_, partner, subject_id);
  }
  Status DeleteAllPublished(std::string_view partner) override {
    return sql::DeleteAllPublished(connection_, partner);
  }
  Status PutPartnerIndex(const PartnerIndexState& state) override {
    return sql::PutPartnerIndex(connection_, state);
  }
  Status PutPartnerIndexEntry(std::string_view partner, int64_t generation,
                              const PartnerIndexEntry& entry) override {
    return sql::PutPartnerIndexEntry(connection_, partner, generation, entry);
  }
  Status DeletePartnerIndexEntry(std::string_view partner, int64_t generation,
                                 std::string_view reference) override {
    return sql::DeletePartnerIndexEntry(connection_, partner, generation, reference);
  }
  Status DeletePartnerIndexEntriesExcept(std::string_view partner, int64_t keep) override {
    return sql::DeletePartnerIndexEntriesExcept(connection_, partner, keep);
  }
  Result<int64_t> CountPartnerIndexEntries(std::string_view partner, int64_t generation) override {
    return sql::CountPartnerIndexEntries(connection_, partner, generation);
  }
  Status InsertHit(const HitRecord& hit) override { return sql::InsertHit(connection_, hit); }
  Status SetHitFollowUp(std::string_view id, std::string_view followup_id) override {
    return sql::SetHitFollowUp(connection_, id, followup_id);
  }
  Status InsertFollowUp(const FollowUp& followup) override {
    return sql::InsertFollowUp(connection_, followup);
  }
  Status DecideFollowUp(const FollowUp& decided) override {
    return sql::DecideFollowUp(connection_, decided);
  }
  Result<int64_t> PruneIndexUpdates(int64_t before) override {
    return sql::PruneIndexUpdates(connection_, before);
  }

  // Numbers and writes the change-feed and audit entries of the transaction; the last step
  // before COMMIT.
  Status Flush() {
    if (pending_changes_.empty() && pending_audit_.empty()) return Status::Ok();
    if (connection_.dialect() == Dialect::kPostgres) {
      ENTENTE_RETURN_IF_ERROR(
          connection_.Query("SELECT pg_advisory_xact_lock($1)", {kOrderedLogLock}).status());
    }
    ENTENTE_RETURN_IF_ERROR(FlushChanges());
    return FlushAudit();
  }

 protected:
  Status WithConnection(const std::function<Status(SqlConnection&)>& fn) const override {
    return fn(connection_);
  }

 private:
  // Why a PutSubject or SetSubjectState changed no row.
  Status ExplainRefusedPut(std::string_view id, int64_t expected_version) {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        connection_.Query("SELECT version, state FROM subjects WHERE id = $1", {Text(id)}));
    const std::string subject = "subject " + std::string(id);
    if (rows.empty()) return NotFound(subject + " not found");
    if (rows.Int(0, 1) == static_cast<int>(SubjectState::kErased)) {
      return FailedPrecondition(subject + " was erased");
    }
    if (expected_version == kNewSubject) return AlreadyExists(subject + " already exists");
    return FailedPrecondition("version conflict: " + subject + " is at version " +
                              std::to_string(rows.Int(0, 0)) + ", expected " +
                              std::to_string(expected_version));
  }

  Status DeleteDerived(std::string_view id) {
    ENTENTE_RETURN_IF_ERROR(
        connection_.Query("DELETE FROM links WHERE src = $1", {Text(id)}).status());
    return connection_.Query("DELETE FROM custody_events WHERE subject_id = $1", {Text(id)})
        .status();
  }

  Status InsertLinks(const std::vector<Link>& links) {
    for (size_t begin = 0; begin < links.size(); begin += kInsertChunk) {
      const size_t end = std::min(links.size(), begin + kInsertChunk);
      std::vector<SqlValue> params;
      for (size_t i = begin; i < end; ++i) {
        params.insert(params.end(), {links[i].src, links[i].dst, links[i].type, links[i].country});
      }
      ENTENTE_RETURN_IF_ERROR(
          connection_
              .Query(MultiRowInsert("INSERT INTO links (src, dst, type, country)", 4, end - begin,
                                    " ON CONFLICT DO NOTHING"),
                     params)
              .status());
    }
    return Status::Ok();
  }

  Status InsertCustody(const std::vector<CustodyEvent>& events) {
    for (size_t begin = 0; begin < events.size(); begin += kInsertChunk) {
      const size_t end = std::min(events.size(), begin + kInsertChunk);
      std::vector<SqlValue> params;
      for (size_t i = begin; i < end; ++i) {
        const CustodyEvent& e = events[i];
        params.insert(params.end(),
                      {e.subject_id, e.kind, e.start_date, e.end_date, e.establishment});
      }
      ENTENTE_RETURN_IF_ERROR(
          connection_
              .Query(MultiRowInsert("INSERT INTO custody_events (subject_id, kind, start_date, "
                                    "end_date, establishment)",
                                    5, end - begin),
                     params)
              .status());
    }
    return Status::Ok();
  }

  Status FlushChanges() {
    if (pending_changes_.empty()) return Status::Ok();
    ENTENTE_ASSIGN_OR_RETURN(
        int64_t seq, QueryCount(connection_, "SELECT COALESCE(MAX(seq), 0) FROM subject_changes"));
    for (size_t begin = 0; begin < pending_changes_.size(); begin += kInsertChunk) {
      const size_t end = std::min(pending_changes_.size(), begin + kInsertChunk);
      std::vector<SqlValue> params;
      for (size_t i = begin; i < end; ++i) {
        const Change& c = pending_changes_[i];
        params.insert(params.end(),
                      {++seq, c.subject_id, int64_t{static_cast<int>(c.kind)}, c.version, c.at});
      }
      ENTENTE_RETURN_IF_ERROR(
          connection_
              .Query(MultiRowInsert("INSERT INTO subject_changes (seq, subject_id, kind, "
                                    "version, at)",
                                    5, end - begin),
                     params)
              .status());
    }
    return Status::Ok();
  }

  Status FlushAudit() {
    if (pending_audit_.empty()) return Status::Ok();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows last,
        connection_.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {}));
    int64_t seq = last.empty() ? 0 : last.Int(0, 0);
    std::string prev_hash = last.empty() ? std::string(kAuditGenesisHash) : last.Text(0, 1);
    for (AuditEntry& entry : pending_audit_) {
      entry.seq = ++seq;
      entry.prev_hash = prev_hash;
      entry.hash = ComputeAuditHash(entry);
      prev_hash = entry.hash;
    }
    for (size_t begin = 0; begin < pending_audit_.size(); begin += kInsertChunk) {
      const size_t end = std::min(pending_audit_.size(), begin + kInsertChunk);
      std::vector<SqlValue> params;
      for (size_t i = begin; i < end; ++i) {
        const AuditEntry& e = pending_audit_[i];
        const AuditRecord& r = e.record;
        params.insert(params.end(),
                      {e.seq, e.at, r.actor, r.actor_agency, r.action,
                       r.subject_id.empty() ? SqlValue{} : SqlValue{r.subject_id}, r.justification,
                       r.on_behalf_of, r.details_json, e.prev_hash, e.hash});
      }
      ENTENTE_RETURN_IF_ERROR(
          connection_
              .Query(MultiRowInsert("INSERT INTO audit_log (" + std::string(kAuditColumns) + ")",
                                    11, end - begin),
                     params)
              .status());
    }
    return Status::Ok();
  }

  SqlConnection& connection_;
  const Clock& clock_;
  std::vector<Change> pending_changes_;
  std::vector<AuditEntry> pending_audit_;
};

// ---- The store ------------------------------------------------------------------------------

class SqlStore final : public SqlReads<Store> {
 public:
  SqlStore(std::unique_ptr<ConnectionProvider> connections, const Clock& clock)
      : connections_(std::move(connections)), clock_(clock) {}

  // SQLite commits one write transaction at a time, each with its own sync to disk
  // (synchronous = FULL): writes that arrive while one commits are gathered and committed
  // together, one savepoint each, with one sync (group commit). Each write still succeeds or
  // fails alone, in the order it arrived, and sees the ones before it. PostgreSQL gathers
  // concurrent commits itself.
  Status Write(const std::function<Status(WriteTxn&)>& fn) override {
    if (connections_->dialect() == Dialect::kPostgres) return WriteAlone(fn);
    PendingWrite mine;
    mine.fn = &fn;
    bool queued = false;
    for (;;) {
      std::vector<PendingWrite*> group;
      {
        MutexLock lock(&group_mutex_);
        if (!queued) {
          queue_.push_back(&mine);
          queued = true;
        }
        while (!mine.done && committing_) group_committed_.Wait(&group_mutex_);
        if (mine.done) break;
        committing_ = true;
        group.swap(queue_);
      }
      CommitGroup(group);
      {
        MutexLock lock(&group_mutex_);
        for (PendingWrite* write : group) write->done = true;
        committing_ = false;
      }
      group_committed_.SignalAll();
    }
    if (mine.error) std::rethrow_exception(mine.error);
    return mine.status;
  }

  Result<AuditVerification> VerifyAuditChain() const override {
    AuditVerification out;
    int64_t expected_seq = 1;
    std::string prev_hash(kAuditGenesisHash);
    AuditQuery query;
    query.limit = 1000;
    while (true) {
      ENTENTE_ASSIGN_OR_RETURN(std::vector<AuditEntry> page, ReadAudit(query));
      for (const AuditEntry& entry : page) {
        ++out.entries;
        std::string reason;
        if (entry.seq != expected_seq) {
          reason = "entry " + std::to_string(expected_seq) + " is missing (the log jumps to " +
                   std::to_string(entry.seq) + ")";
        } else if (entry.prev_hash != prev_hash) {
          reason = "entry " + std::to_string(entry.seq) +
                   " does not chain to the entry before it (prev_hash differs)";
        } else if (ComputeAuditHash(entry) != entry.hash) {
          reason = "entry " + std::to_string(entry.seq) + " was altered (its hash does not match)";
        }
        if (!reason.empty()) {
          out.first_broken_seq = std::min(expected_seq, entry.seq);
          out.reason = std::move(reason);
          return out;
        }
        prev_hash = entry.hash;
        ++expected_seq;
      }
      if (static_cast<int>(page.size()) < query.limit) return out;
      query.after_seq = page.back().seq;
    }
  }

  Result<int64_t> SchemaVersion() const override {
    return Run<int64_t>([](SqlConnection& c) { return ReadSchemaVersion(c); });
  }

  std::string_view backend() const override {
    return connections_->dialect() == Dialect::kPostgres ? "postgresql" : "sqlite";
  }

 protected:
  Status WithConnection(const std::function<Status(SqlConnection&)>& fn) const override {
    return connections_->WithReader(fn);
  }

 private:
  struct PendingWrite {
    const std::function<Status(WriteTxn&)>* fn = nullptr;
    Status status;
    std::exception_ptr error;  // thrown by fn: rethrown in its caller's thread
    bool done = false;
  };

  // One write in a transaction of its own.
  Status WriteAlone(const std::function<Status(WriteTxn&)>& fn) {
    const bool postgres = connections_->dialect() == Dialect::kPostgres;
    return connections_->WithWriter([&](SqlConnection& c) -> Status {
      // IMMEDIATE takes SQLite's write lock now, so that a transaction never fails midway
      // because another process started writing.
      ENTENTE_RETURN_IF_ERROR(c.Execute(postgres ? "BEGIN" : "BEGIN IMMEDIATE"));
      // Rolls back on every way out but a successful COMMIT, exceptions from fn included.
      struct Rollback {
        SqlConnection* connection;
        ~Rollback() {
          if (connection != nullptr) (void)connection->Execute("ROLLBACK");
        }
      } rollback{&c};
      SqlWriteTxn txn(c, clock_);
      ENTENTE_RETURN_IF_ERROR(fn(txn));
      ENTENTE_RETURN_IF_ERROR(txn.Flush());
      ENTENTE_RETURN_IF_ERROR(c.Execute("COMMIT"));
      rollback.connection = nullptr;
      return Status::Ok();
    });
  }

  // Runs each write of `group` under a savepoint of one transaction, and commits it once.
  void CommitGroup(const std::vector<PendingWrite*>& group) {
    if (group.size() == 1) {
      PendingWrite& write = *group.front();
      try {
        write.status = WriteAlone(*write.fn);
      } catch (...) {
        write.error = std::current_exception();
      }
      return;
    }
    const Status outcome = connections_->WithWriter([&](SqlConnection& c) -> Status {
      ENTENTE_RETURN_IF_ERROR(c.Execute("BEGIN IMMEDIATE"));
      for (PendingWrite* write : group) {
        Status status = c.Execute("SAVEPOINT entente_write");
        if (status.ok()) {
          SqlWriteTxn txn(c, clock_);
          try {
            status = (*write->fn)(txn);
            if (status.ok()) status = txn.Flush();
          } catch (...) {
            write->error = std::current_exception();
            status = Internal("the write threw");
          }
          if (status.ok()) {
            status = c.Execute("RELEASE entente_write");
          } else {
            (void)c.Execute("ROLLBACK TO entente_write");
            (void)c.Execute("RELEASE entente_write");
          }
        }
        write->status = status;
      }
      const Status committed = c.Execute("COMMIT");
      if (!committed.ok()) (void)c.Execute("ROLLBACK");
      return committed;
    });
    if (!outcome.ok()) {
      // Nothing of the group was kept: those that had succeeded fail with the commit.
      for (PendingWrite* write : group) {
        if (write->status.ok() && !write->error) write->status = outcome;
      }
    }
  }

  std::unique_ptr<ConnectionProvider> connections_;
  const Clock& clock_;
  Mutex group_mutex_;
  CondVar group_committed_;
  std::vector<PendingWrite*> queue_ GUARDED_BY(group_mutex_);
  bool committing_ GUARDED_BY(group_mutex_) = false;
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<ConnectionProvider> connections,
                                    const Clock& clock) {
  return std::make_unique<SqlStore>(std::move(connections), clock);
}

}  // namespace entente::store
