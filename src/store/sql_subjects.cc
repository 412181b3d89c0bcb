// The register's area on SQL: subjects, their change feed, links and custody events, and the
// release-preparation checklists (subjects.h).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sql_internal.h"
#include "store/subject_codec.h"
#include "store/subjects.h"

namespace entente::store {
namespace {

using sql::CheckLimit;
using sql::Code;
using sql::Text;

constexpr std::string_view kSubjectColumns =
    "id, schema, entity, owner_agency, country, handling_code, review_date, retention_date, "
    "birth_date, state, version, created_at, updated_at, restricted_on";

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

Result<std::vector<Subject>> SubjectsFromRows(const SqlRows& rows) {
  std::vector<const std::string*> json;
  json.reserve(rows.size());
  for (const SqlRow row : rows) json.push_back(&row.Text("entity"));
  ENTENTE_ASSIGN_OR_RETURN(std::vector<model::Entity> entities, DecodeEntityJson(json));
  std::vector<Subject> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const SqlRow row = rows.Row(r);
    Subject& s = out[r];
    s.entity = std::move(entities[r]);
    s.owner_agency = row.Text("owner_agency");
    s.country = row.Text("country");
    s.handling_code = row.Text("handling_code");
    s.review_date = row.Text("review_date");
    s.retention_date = row.Text("retention_date");
    s.birth_date = row.Text("birth_date");
    ENTENTE_ASSIGN_OR_RETURN(s.state, sql::Decode<SubjectState>(row.Int("state")));
    s.version = row.Int("version");
    s.created_at = row.Int("created_at");
    s.updated_at = row.Int("updated_at");
    s.restricted_on = row.Text("restricted_on");
  }
  return out;
}

Result<std::vector<Link>> QueryLinks(SqlConnection& c, std::string_view sql, std::string_view id) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, {Text(id)}));
  std::vector<Link> out;
  out.reserve(rows.size());
  for (const SqlRow row : rows) {
    out.push_back({row.Text("src"), row.Text("dst"), row.Text("type"), row.Text("country")});
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
  std::vector<CustodyEvent> out;
  out.reserve(rows.size());
  for (const SqlRow row : rows) {
    out.push_back({row.Text("subject_id"), row.Text("kind"), row.Text("start_date"),
                   row.Text("end_date"), row.Text("establishment")});
  }
  return out;
}

constexpr std::string_view kTaskColumns =
    "id, subject_id, event_date, task, owner_agency, status, due_date, created_at, updated_at, "
    "assignee";

Result<std::vector<ChecklistTask>> QueryTasks(SqlConnection& c, std::string_view where,
                                              const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("SELECT " + std::string(kTaskColumns) + " FROM checklist_tasks WHERE " +
                                std::string(where) + " ORDER BY event_date, due_date, id",
                            params));
  std::vector<ChecklistTask> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const SqlRow row = rows.Row(r);
    ChecklistTask& t = out[r];
    t.id = row.Int("id");
    t.subject_id = row.Text("subject_id");
    t.event_date = row.Text("event_date");
    t.task = row.Text("task");
    t.owner_agency = row.Text("owner_agency");
    const std::optional<TaskStatus> status = ParseTaskStatus(row.Text("status"));
    if (!status.has_value()) {
      return Internal("task " + std::to_string(t.id) + " has unknown status " + row.Text("status"));
    }
    t.status = *status;
    t.due_date = row.Text("due_date");
    t.created_at = row.Int("created_at");
    t.updated_at = row.Int("updated_at");
    t.assignee = row.Text("assignee");
  }
  return out;
}

// Why a Put or SetState changed no row.
Status ExplainRefusedPut(SqlConnection& c, std::string_view id, int64_t expected_version) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("SELECT version, state FROM subjects WHERE id = $1", {Text(id)}));
  const std::string subject = "subject " + std::string(id);
  if (rows.empty()) return NotFound(subject + " not found");
  if (rows.front().Int("state") == Code(SubjectState::kErased)) {
    return FailedPrecondition(subject + " was erased");
  }
  if (expected_version == kNewSubject) return AlreadyExists(subject + " already exists");
  return FailedPrecondition("version conflict: " + subject + " is at version " +
                            std::to_string(rows.front().Int("version")) + ", expected " +
                            std::to_string(expected_version));
}

Status DeleteDerived(SqlConnection& c, std::string_view id) {
  ENTENTE_RETURN_IF_ERROR(c.Query("DELETE FROM links WHERE src = $1", {Text(id)}).status());
  return c.Query("DELETE FROM custody_events WHERE subject_id = $1", {Text(id)}).status();
}

Status InsertLinks(SqlConnection& c, const std::vector<Link>& links) {
  for (size_t begin = 0; begin < links.size(); begin += sql::kInsertChunk) {
    const size_t end = std::min(links.size(), begin + sql::kInsertChunk);
    std::vector<SqlValue> params;
    for (size_t i = begin; i < end; ++i) {
      params.insert(params.end(), {links[i].src, links[i].dst, links[i].type, links[i].country});
    }
    ENTENTE_RETURN_IF_ERROR(
        c.Query(sql::MultiRowInsert("INSERT INTO links (src, dst, type, country)", 4, end - begin,
                                    " ON CONFLICT DO NOTHING"),
                params)
            .status());
  }
  return Status::Ok();
}

Status InsertCustody(SqlConnection& c, const std::vector<CustodyEvent>& events) {
  for (size_t begin = 0; begin < events.size(); begin += sql::kInsertChunk) {
    const size_t end = std::min(events.size(), begin + sql::kInsertChunk);
    std::vector<SqlValue> params;
    for (size_t i = begin; i < end; ++i) {
      const CustodyEvent& e = events[i];
      params.insert(params.end(),
                    {e.subject_id, e.kind, e.start_date, e.end_date, e.establishment});
    }
    ENTENTE_RETURN_IF_ERROR(
        c.Query(sql::MultiRowInsert("INSERT INTO custody_events (subject_id, "
                                    "kind, start_date, end_date, establishment)",
                                    5, end - begin),
                params)
            .status());
  }
  return Status::Ok();
}

}  // namespace

// ---- Subjects -------------------------------------------------------------------------------

Result<Subject> SubjectsReader::Get(std::string_view id) const {
  return sql::Run<Subject>(connector_, [&](SqlConnection& c) -> Result<Subject> {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kSubjectColumns) +
                                                       " FROM subjects WHERE id = $1",
                                                   {Text(id)}));
    if (rows.empty()) return NotFound("subject " + std::string(id) + " not found");
    ENTENTE_ASSIGN_OR_RETURN(std::vector<Subject> subjects, SubjectsFromRows(rows));
    return std::move(subjects.front());
  });
}

Result<SubjectPage> SubjectsReader::List(std::string_view after_id, int limit) const {
  return sql::Run<SubjectPage>(connector_, [&](SqlConnection& c) -> Result<SubjectPage> {
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
  });
}

Result<int64_t> SubjectsReader::Count() const {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) {
    return sql::QueryInt(c, "SELECT COUNT(*) AS n FROM subjects", {}, "n");
  });
}

Result<std::vector<std::string>> SubjectsReader::DueIds(std::string_view column,
                                                        std::string_view date,
                                                        std::string_view after_id,
                                                        int limit) const {
  return sql::Run<std::vector<std::string>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<std::string>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
        const std::string name(column);
        ENTENTE_ASSIGN_OR_RETURN(
            SqlRows rows,
            c.Query("SELECT id FROM subjects WHERE " + name + " <> '' AND " + name +
                        " <= $1 AND state <> $2 AND id > $3 ORDER BY id LIMIT $4",
                    {Text(date), Code(SubjectState::kErased), Text(after_id), int64_t{limit}}));
        std::vector<std::string> out;
        out.reserve(rows.size());
        for (const SqlRow row : rows) out.push_back(row.Text("id"));
        return out;
      });
}

Result<std::vector<std::string>> SubjectsReader::DueForReview(std::string_view date,
                                                              std::string_view after_id,
                                                              int limit) const {
  return DueIds("review_date", date, after_id, limit);
}

Result<std::vector<std::string>> SubjectsReader::PastRetention(std::string_view date,
                                                               std::string_view after_id,
                                                               int limit) const {
  return DueIds("retention_date", date, after_id, limit);
}

Result<std::vector<Change>> SubjectsReader::ChangesSince(int64_t after_seq, int limit) const {
  return sql::Run<
      std::vector<Change>>(connector_, [&](SqlConnection& c) -> Result<std::vector<Change>> {
    ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("SELECT seq, subject_id, kind, version, at FROM subject_changes "
                              "WHERE seq > $1 ORDER BY seq LIMIT $2",
                              {after_seq, int64_t{limit}}));
    std::vector<Change> out(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      const SqlRow row = rows.Row(r);
      ENTENTE_ASSIGN_OR_RETURN(const ChangeKind kind, sql::Decode<ChangeKind>(row.Int("kind")));
      out[r] = {row.Int("seq"), row.Text("subject_id"), kind, row.Int("version"), row.Int("at")};
    }
    return out;
  });
}

Result<int64_t> SubjectsReader::LastChangeSeq() const {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) {
    return sql::QueryInt(c, "SELECT COALESCE(MAX(seq), 0) AS n FROM subject_changes", {}, "n");
  });
}

Result<std::vector<Link>> SubjectsReader::LinksFrom(std::string_view id) const {
  return sql::Run<std::vector<Link>>(connector_, [&](SqlConnection& c) {
    return QueryLinks(
        c, "SELECT src, dst, type, country FROM links WHERE src = $1 ORDER BY dst, type", id);
  });
}

Result<std::vector<Link>> SubjectsReader::LinksTo(std::string_view id) const {
  return sql::Run<std::vector<Link>>(connector_, [&](SqlConnection& c) {
    return QueryLinks(
        c, "SELECT src, dst, type, country FROM links WHERE dst = $1 ORDER BY src, type", id);
  });
}

Result<std::vector<CustodyEvent>> SubjectsReader::CustodyBetween(std::string_view from,
                                                                 std::string_view to) const {
  return sql::Run<std::vector<CustodyEvent>>(connector_, [&](SqlConnection& c) {
    return QueryCustody(c, "start_date <= $2 AND end_date >= $1", {Text(from), Text(to)});
  });
}

Result<std::vector<CustodyEvent>> SubjectsReader::CustodyOf(std::string_view subject_id) const {
  return sql::Run<std::vector<CustodyEvent>>(connector_, [&](SqlConnection& c) {
    return QueryCustody(c, "subject_id = $1", {Text(subject_id)});
  });
}

namespace {

Result<std::vector<ErasureRequest>> QueryErasures(SqlConnection& c, std::string_view where,
                                                  const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("SELECT subject_id, requested_by, agency, reason, requested_at FROM "
                            "erasure_requests " +
                                std::string(where) + " ORDER BY requested_at, subject_id",
                            params));
  std::vector<ErasureRequest> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const SqlRow row = rows.Row(r);
    out[r] = {row.Text("subject_id"), row.Text("requested_by"), row.Text("agency"),
              row.Text("reason"), row.Int("requested_at")};
  }
  return out;
}

}  // namespace

Result<ErasureRequest> SubjectsReader::PendingErasure(std::string_view subject_id) const {
  return sql::Run<ErasureRequest>(connector_, [&](SqlConnection& c) -> Result<ErasureRequest> {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<ErasureRequest> found,
                             QueryErasures(c, "WHERE subject_id = $1", {Text(subject_id)}));
    if (found.empty()) {
      return NotFound("no erasure of subject " + std::string(subject_id) + " is pending");
    }
    return std::move(found.front());
  });
}

Result<std::vector<ErasureRequest>> SubjectsReader::PendingErasures() const {
  return sql::Run<std::vector<ErasureRequest>>(
      connector_, [&](SqlConnection& c) { return QueryErasures(c, "", {}); });
}

Status Subjects::RequestErasure(const ErasureRequest& request) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows found, c.Query("SELECT id FROM subjects WHERE id = $1",
                                                    {Text(request.subject_id)}));
    if (found.empty()) return NotFound("subject " + request.subject_id + " not found");
    ENTENTE_RETURN_IF_ERROR(
        c.Query("DELETE FROM erasure_requests WHERE subject_id = $1", {Text(request.subject_id)})
            .status());
    return c
        .Query(
            "INSERT INTO erasure_requests (subject_id, requested_by, agency, reason, "
            "requested_at) VALUES ($1, $2, $3, $4, $5)",
            {Text(request.subject_id), Text(request.requested_by), Text(request.agency),
             Text(request.reason), log_.clock.NowMicros()})
        .status();
  });
}

Status Subjects::WithdrawErasure(std::string_view subject_id) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("DELETE FROM erasure_requests WHERE subject_id = $1 RETURNING subject_id",
                {Text(subject_id)}));
    if (rows.empty()) {
      return NotFound("no erasure of subject " + std::string(subject_id) + " is pending");
    }
    return Status::Ok();
  });
}

Result<int64_t> Subjects::Put(const model::Entity& entity, int64_t expected_version) {
  if (entity.id.empty()) return InvalidArgument("subject: id is empty");
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    const int64_t now = log_.clock.NowMicros();
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
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, 1) ";
    constexpr std::string_view kSet =
        "schema = $2, entity = $3, owner_agency = $4, country = $5, handling_code = $6, "
        "review_date = $7, retention_date = $8, birth_date = $9, updated_at = $10, ";
    std::optional<SqlRows> rows;
    if (expected_version == kNewSubject) {
      params.push_back(Code(SubjectState::kActive));
      ENTENTE_ASSIGN_OR_RETURN(
          rows,
          c.Query(std::string(kInsert) + "ON CONFLICT (id) DO NOTHING RETURNING version", params));
    } else if (expected_version == kAnyVersion) {
      params.push_back(Code(SubjectState::kActive));
      params.push_back(Code(SubjectState::kErased));
      ENTENTE_ASSIGN_OR_RETURN(
          rows,
          c.Query(std::string(kInsert) + "ON CONFLICT (id) DO UPDATE SET " + std::string(kSet) +
                      "version = subjects.version + 1 WHERE subjects.state <> $12 "
                      "RETURNING version",
                  params));
    } else if (expected_version > 0) {
      params.push_back(expected_version);
      params.push_back(Code(SubjectState::kErased));
      ENTENTE_ASSIGN_OR_RETURN(
          rows, c.Query("UPDATE subjects SET " + std::string(kSet) +
                            "version = version + 1 WHERE id = $1 AND version = $11 AND "
                            "state <> $12 RETURNING version",
                        params));
    } else {
      return InvalidArgument("subject " + entity.id + ": expected version " +
                             std::to_string(expected_version) + " is not valid");
    }
    if (rows->empty()) return ExplainRefusedPut(c, entity.id, expected_version);
    const int64_t version = rows->front().Int("version");
    if (version > 1) ENTENTE_RETURN_IF_ERROR(DeleteDerived(c, entity.id));
    ENTENTE_RETURN_IF_ERROR(InsertLinks(c, d.links));
    ENTENTE_RETURN_IF_ERROR(InsertCustody(c, d.custody));
    log_.changes.push_back({0, entity.id, ChangeKind::kPut, version, now});
    return version;
  });
}

Status Subjects::Delete(std::string_view id) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("DELETE FROM subjects WHERE id = $1 RETURNING version", {Text(id)}));
    if (rows.empty()) return NotFound("subject " + std::string(id) + " not found");
    ENTENTE_RETURN_IF_ERROR(
        c.Query("DELETE FROM erasure_requests WHERE subject_id = $1", {Text(id)}).status());
    log_.changes.push_back({0, std::string(id), ChangeKind::kDelete, 0, log_.clock.NowMicros()});
    return Status::Ok();
  });
}

Status Subjects::SetState(std::string_view id, SubjectState state) {
  if (state == SubjectState::kErased) {
    return InvalidArgument("subject " + std::string(id) + ": erase with Erase");
  }
  return connector_.With([&](SqlConnection& c) -> Status {
    const int64_t now = log_.clock.NowMicros();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE subjects SET state = $2, version = version + 1, updated_at = $3, "
                "restricted_on = $4 WHERE id = $1 AND state <> $5 RETURNING version",
                {Text(id), Code(state), now,
                 state == SubjectState::kRestricted ? UtcDate(now) : std::string(),
                 Code(SubjectState::kErased)}));
    if (rows.empty()) return ExplainRefusedPut(c, id, kAnyVersion);
    log_.changes.push_back(
        {0, std::string(id), ChangeKind::kState, rows.front().Int("version"), now});
    return Status::Ok();
  });
}

Status Subjects::Erase(std::string_view id) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows found,
                             c.Query("SELECT schema FROM subjects WHERE id = $1", {Text(id)}));
    if (found.empty()) return NotFound("subject " + std::string(id) + " not found");
    model::Entity tombstone;
    tombstone.id = std::string(id);
    model::ParseSchema(found.front().Text("schema"), &tombstone.schema);
    const int64_t now = log_.clock.NowMicros();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE subjects SET entity = $2, owner_agency = '', country = '', "
                "handling_code = '', review_date = '', retention_date = '', birth_date = '', "
                "state = $4, version = version + 1, updated_at = $3 WHERE id = $1 "
                "RETURNING version",
                {Text(id), EncodeEntityJson(tombstone), now, Code(SubjectState::kErased)}));
    if (rows.empty()) return NotFound("subject " + std::string(id) + " not found");
    ENTENTE_RETURN_IF_ERROR(DeleteDerived(c, id));
    ENTENTE_RETURN_IF_ERROR(c.Query("DELETE FROM checklist_comments WHERE task_id IN (SELECT id "
                                    "FROM checklist_tasks WHERE subject_id = $1)",
                                    {Text(id)})
                                .status());
    ENTENTE_RETURN_IF_ERROR(
        c.Query("DELETE FROM checklist_tasks WHERE subject_id = $1", {Text(id)}).status());
    ENTENTE_RETURN_IF_ERROR(
        c.Query("DELETE FROM erasure_requests WHERE subject_id = $1", {Text(id)}).status());
    log_.changes.push_back(
        {0, std::string(id), ChangeKind::kState, rows.front().Int("version"), now});
    return Status::Ok();
  });
}

// ---- Tasks ----------------------------------------------------------------------------------

Result<ChecklistTask> TasksReader::Get(int64_t id) const {
  return sql::Run<ChecklistTask>(connector_, [&](SqlConnection& c) -> Result<ChecklistTask> {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<ChecklistTask> tasks, QueryTasks(c, "id = $1", {id}));
    if (tasks.empty()) return NotFound("task " + std::to_string(id) + " not found");
    return std::move(tasks.front());
  });
}

Result<std::vector<ChecklistTask>> TasksReader::Of(std::string_view subject_id) const {
  return sql::Run<std::vector<ChecklistTask>>(connector_, [&](SqlConnection& c) {
    return QueryTasks(c, "subject_id = $1", {Text(subject_id)});
  });
}

Result<std::vector<ChecklistTask>> TasksReader::Overdue(std::string_view date) const {
  return sql::Run<std::vector<ChecklistTask>>(connector_, [&](SqlConnection& c) {
    return QueryTasks(c, "due_date < $1 AND status IN ($2, $3)",
                      {Text(date), Text(TaskStatusCode(TaskStatus::kOpen)),
                       Text(TaskStatusCode(TaskStatus::kInProgress))});
  });
}

Result<int64_t> Tasks::Add(const ChecklistTask& task) {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows found, c.Query("SELECT state FROM subjects WHERE id = $1", {task.subject_id}));
    if (found.empty()) {
      return FailedPrecondition("task: subject " + task.subject_id + " does not exist");
    }
    const int64_t now = log_.clock.NowMicros();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("INSERT INTO checklist_tasks (subject_id, event_date, task, owner_agency, status, "
                "due_date, created_at, updated_at, assignee) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                "$7, $8) RETURNING id",
                {task.subject_id, task.event_date, task.task, task.owner_agency,
                 Text(TaskStatusCode(task.status)), task.due_date, now, task.assignee}));
    return rows.front().Int("id");
  });
}

Status Tasks::Update(const ChecklistTask& task) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE checklist_tasks SET subject_id = $2, event_date = $3, task = $4, "
                "owner_agency = $5, status = $6, due_date = $7, updated_at = $8, assignee = $9 "
                "WHERE id = $1 RETURNING id",
                {task.id, task.subject_id, task.event_date, task.task, task.owner_agency,
                 Text(TaskStatusCode(task.status)), task.due_date, log_.clock.NowMicros(),
                 task.assignee}));
    if (rows.empty()) return NotFound("task " + std::to_string(task.id) + " not found");
    return Status::Ok();
  });
}

Status Tasks::Delete(int64_t id) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_RETURN_IF_ERROR(
        c.Query("DELETE FROM checklist_comments WHERE task_id = $1", {id}).status());
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("DELETE FROM checklist_tasks WHERE id = $1 RETURNING id", {id}));
    if (rows.empty()) return NotFound("task " + std::to_string(id) + " not found");
    return Status::Ok();
  });
}

Result<std::vector<TaskComment>> TasksReader::Comments(int64_t task_id) const {
  return sql::Run<std::vector<TaskComment>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<TaskComment>> {
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                                 c.Query("SELECT task_id, at, author, agency, text FROM "
                                         "checklist_comments WHERE task_id = $1 ORDER BY seq",
                                         {task_id}));
        std::vector<TaskComment> out(rows.size());
        for (size_t r = 0; r < rows.size(); ++r) {
          const SqlRow row = rows.Row(r);
          out[r] = {row.Int("task_id"), row.Int("at"), row.Text("author"), row.Text("agency"),
                    row.Text("text")};
        }
        return out;
      });
}

Status Tasks::AddComment(const TaskComment& comment) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows found, c.Query("SELECT id FROM checklist_tasks WHERE id = $1", {comment.task_id}));
    if (found.empty()) return NotFound("task " + std::to_string(comment.task_id) + " not found");
    return c
        .Query(
            "INSERT INTO checklist_comments (task_id, at, author, agency, text) VALUES ($1, $2, "
            "$3, $4, $5)",
            {comment.task_id, log_.clock.NowMicros(), comment.author, comment.agency, comment.text})
        .status();
  });
}

}  // namespace entente::store
