#include "store/sql_exchange.h"

#include <string>
#include <utility>

#include "store/sql_helpers.h"

namespace entente::store::sql {
namespace {

// Appends " AND <column> = $n" for a non-empty filter.
void AddFilter(std::string& sql, std::vector<SqlValue>& params, std::string_view column,
               SqlValue value) {
  params.push_back(std::move(value));
  sql += " AND ";
  sql += column;
  sql += " = $" + std::to_string(params.size());
}

constexpr std::string_view kPartnerColumns =
    "country, url, sign_public_key, box_public_key, tls_certificate, tls_fingerprint, rules, "
    "created_at, updated_at";

Result<std::vector<Partner>> QueryPartners(SqlConnection& c, std::string_view where,
                                           const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT " + std::string(kPartnerColumns) + " FROM partners" +
                                       std::string(where) + " ORDER BY country",
                                   params));
  std::vector<Partner> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3), rows.Text(r, 4),
              rows.Text(r, 5), rows.Text(r, 6), rows.Int(r, 7),  rows.Int(r, 8)};
  }
  return out;
}

Result<Partner> OnePartner(SqlConnection& c, std::string_view where, std::string_view value,
                           std::string_view what) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<Partner> partners, QueryPartners(c, where, {Text(value)}));
  if (partners.empty()) return NotFound(std::string(what) + " is not a registered partner");
  return std::move(partners.front());
}

constexpr std::string_view kMessageColumns =
    "seq, id, direction, case_id, type, sender, recipients, in_reply_to, priority, deadline, "
    "handling_code, minors, created_at, stored_at, document";

std::vector<StoredMessage> MessagesFromRows(const SqlRows& rows) {
  std::vector<StoredMessage> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    StoredMessage& m = out[r];
    m.seq = rows.Int(r, 0);
    m.id = rows.Text(r, 1);
    m.direction = static_cast<MessageDirection>(rows.Int(r, 2));
    m.case_id = rows.Text(r, 3);
    m.type = rows.Text(r, 4);
    m.sender = rows.Text(r, 5);
    m.recipients = rows.Text(r, 6);
    m.in_reply_to = rows.Text(r, 7);
    m.priority = rows.Text(r, 8);
    m.deadline = rows.Text(r, 9);
    m.handling_code = rows.Text(r, 10);
    m.minors = rows.Int(r, 11) != 0;
    m.created_at = rows.Int(r, 12);
    m.stored_at = rows.Int(r, 13);
    m.document = rows.Text(r, 14);
  }
  return out;
}

constexpr std::string_view kOutboxColumns =
    "seq, message_id, recipient, envelope, state, attempts, next_attempt_at, last_error, "
    "created_at, delivered_at, receipt";

std::vector<OutboxEntry> OutboxFromRows(const SqlRows& rows) {
  std::vector<OutboxEntry> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    OutboxEntry& e = out[r];
    e.seq = rows.Int(r, 0);
    e.message_id = rows.Text(r, 1);
    e.recipient = rows.Text(r, 2);
    e.envelope = rows.Text(r, 3);
    e.state = static_cast<OutboxState>(rows.Int(r, 4));
    e.attempts = rows.Int(r, 5);
    e.next_attempt_at = rows.Int(r, 6);
    e.last_error = rows.Text(r, 7);
    e.created_at = rows.Int(r, 8);
    e.delivered_at = rows.Int(r, 9);
    e.receipt = rows.Text(r, 10);
  }
  return out;
}

constexpr std::string_view kNoticeColumns =
    "subject_id, event_kind, event_date, partner, message_id, case_id, sent_at, acknowledged_at, "
    "acknowledged_by";

std::vector<ReleaseNotice> NoticesFromRows(const SqlRows& rows) {
  std::vector<ReleaseNotice> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3), rows.Text(r, 4),
              rows.Text(r, 5), rows.Int(r, 6),  rows.Int(r, 7),  rows.Text(r, 8)};
  }
  return out;
}

}  // namespace

Result<Partner> GetPartner(SqlConnection& c, std::string_view country) {
  return OnePartner(c, " WHERE country = $1", country, "country " + std::string(country));
}

Result<Partner> FindPartnerByFingerprint(SqlConnection& c, std::string_view fingerprint) {
  return OnePartner(c, " WHERE tls_fingerprint = $1", fingerprint,
                    "the certificate " + std::string(fingerprint));
}

Result<std::vector<Partner>> ListPartners(SqlConnection& c) { return QueryPartners(c, "", {}); }

Result<StoredMessage> GetMessage(SqlConnection& c, std::string_view id,
                                 MessageDirection direction) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT " + std::string(kMessageColumns) +
                                       " FROM messages WHERE id = $1 AND direction = $2",
                                   {Text(id), int64_t{static_cast<int>(direction)}}));
  if (rows.empty()) return NotFound("message " + std::string(id) + " not found");
  return std::move(MessagesFromRows(rows).front());
}

Result<std::vector<StoredMessage>> ListMessages(SqlConnection& c, const MessageQuery& query) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(query.limit));
  std::string sql = "SELECT " + std::string(kMessageColumns) + " FROM messages WHERE seq > $1";
  std::vector<SqlValue> params = {query.after_seq};
  if (query.direction.has_value()) {
    AddFilter(sql, params, "direction", int64_t{static_cast<int>(*query.direction)});
  }
  if (!query.case_id.empty()) AddFilter(sql, params, "case_id", Text(query.case_id));
  if (!query.in_reply_to.empty()) AddFilter(sql, params, "in_reply_to", Text(query.in_reply_to));
  if (!query.type.empty()) AddFilter(sql, params, "type", Text(query.type));
  params.emplace_back(int64_t{query.limit});
  sql += " ORDER BY seq LIMIT $" + std::to_string(params.size());
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
  return MessagesFromRows(rows);
}

Result<std::vector<CaseSummary>> ListCases(SqlConnection& c, int limit) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT m.case_id, COUNT(*), MIN(m.stored_at), MAX(m.stored_at), MAX(m.minors), "
              "(SELECT f.type FROM messages f WHERE f.case_id = m.case_id ORDER BY f.seq LIMIT 1) "
              "FROM messages m WHERE m.type <> 'index_update' GROUP BY m.case_id "
              "ORDER BY MAX(m.stored_at) DESC, m.case_id "
              "LIMIT $1",
              {int64_t{limit}}));
  std::vector<CaseSummary> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Int(r, 1),      rows.Int(r, 2),
              rows.Int(r, 3),  rows.Int(r, 4) != 0, rows.Text(r, 5)};
  }
  return out;
}

Result<std::vector<StoredMessage>> UnansweredBefore(SqlConnection& c, std::string_view date,
                                                    const std::vector<std::string>& types) {
  if (types.empty()) return std::vector<StoredMessage>{};
  std::string sql = "SELECT " + std::string(kMessageColumns) +
                    " FROM messages m WHERE m.deadline <> '' AND m.deadline < $1 AND m.type IN (";
  std::vector<SqlValue> params = {Text(date)};
  for (size_t i = 0; i < types.size(); ++i) {
    params.push_back(types[i]);
    sql += (i == 0 ? "$" : ", $") + std::to_string(params.size());
  }
  sql += ") AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.in_reply_to = m.id) ORDER BY m.seq";
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
  return MessagesFromRows(rows);
}

Result<std::vector<OutboxEntry>> ListOutbox(SqlConnection& c, const OutboxQuery& query) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(query.limit));
  std::string sql = "SELECT " + std::string(kOutboxColumns) + " FROM outbox WHERE seq > $1";
  std::vector<SqlValue> params = {query.after_seq};
  if (!query.recipient.empty()) AddFilter(sql, params, "recipient", Text(query.recipient));
  if (query.state.has_value()) {
    AddFilter(sql, params, "state", int64_t{static_cast<int>(*query.state)});
  }
  params.emplace_back(int64_t{query.limit});
  sql += " ORDER BY seq LIMIT $" + std::to_string(params.size());
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
  return OutboxFromRows(rows);
}

Result<std::vector<OutboxCount>> CountOutbox(SqlConnection& c) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT recipient, state, COUNT(*), MIN(created_at) FROM outbox "
                                   "GROUP BY recipient, state ORDER BY recipient, state",
                                   {}));
  std::vector<OutboxCount> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), static_cast<OutboxState>(rows.Int(r, 1)), rows.Int(r, 2),
              rows.Int(r, 3)};
  }
  return out;
}

Result<ReleaseNotice> GetReleaseNotice(SqlConnection& c, std::string_view subject_id,
                                       std::string_view event_kind, std::string_view event_date,
                                       std::string_view partner) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("SELECT " + std::string(kNoticeColumns) +
                                " FROM release_notices WHERE subject_id = $1 AND event_kind = $2 "
                                "AND event_date = $3 AND partner = $4",
                            {Text(subject_id), Text(event_kind), Text(event_date), Text(partner)}));
  if (rows.empty()) return NotFound("no release notice was sent for this event");
  return std::move(NoticesFromRows(rows).front());
}

Result<std::vector<ReleaseNotice>> ListReleaseNotices(SqlConnection& c, bool unacknowledged_only,
                                                      int limit) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("SELECT " + std::string(kNoticeColumns) + " FROM release_notices" +
                                (unacknowledged_only ? " WHERE acknowledged_at = 0" : "") +
                                " ORDER BY sent_at, subject_id, partner LIMIT $1",
                            {int64_t{limit}}));
  return NoticesFromRows(rows);
}

Status PutPartner(SqlConnection& c, const Partner& p, int64_t now) {
  if (p.country.empty()) return InvalidArgument("partner: country is empty");
  return c
      .Query("INSERT INTO partners (" + std::string(kPartnerColumns) +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (country) DO UPDATE "
                 "SET url = excluded.url, sign_public_key = excluded.sign_public_key, "
                 "box_public_key = excluded.box_public_key, tls_certificate = "
                 "excluded.tls_certificate, tls_fingerprint = excluded.tls_fingerprint, rules = "
                 "excluded.rules, updated_at = excluded.updated_at",
             {p.country, p.url, p.sign_public_key, p.box_public_key, p.tls_certificate,
              p.tls_fingerprint, p.rules_json, now})
      .status();
}

Status DeletePartner(SqlConnection& c, std::string_view country) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("DELETE FROM partners WHERE country = $1 RETURNING country", {Text(country)}));
  if (rows.empty()) return NotFound("country " + std::string(country) + " is not a partner");
  return Status::Ok();
}

Result<int64_t> InsertMessage(SqlConnection& c, const StoredMessage& m, int64_t now) {
  if (m.id.empty()) return InvalidArgument("message: id is empty");
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("INSERT INTO messages (id, direction, case_id, type, sender, recipients, "
              "in_reply_to, priority, deadline, handling_code, minors, created_at, stored_at, "
              "document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
              "ON CONFLICT (id, direction) DO NOTHING RETURNING seq",
              {m.id, int64_t{static_cast<int>(m.direction)}, m.case_id, m.type, m.sender,
               m.recipients, m.in_reply_to, m.priority, m.deadline, m.handling_code,
               int64_t{m.minors ? 1 : 0}, m.created_at, now, m.document}));
  if (rows.empty()) return AlreadyExists("message " + m.id + " is already stored");
  return rows.Int(0, 0);
}

Result<int64_t> Enqueue(SqlConnection& c, const OutboxEntry& e, int64_t now) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("INSERT INTO outbox (message_id, recipient, envelope, state, attempts, "
                            "next_attempt_at, created_at) VALUES ($1, $2, $3, 0, 0, $4, $5) "
                            "ON CONFLICT (message_id, recipient) DO NOTHING RETURNING seq",
                            {e.message_id, e.recipient, e.envelope, e.next_attempt_at, now}));
  if (rows.empty()) {
    return AlreadyExists("message " + e.message_id + " is already queued for " + e.recipient);
  }
  return rows.Int(0, 0);
}

Status MarkDelivered(SqlConnection& c, int64_t seq, std::string_view receipt, int64_t at) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("UPDATE outbox SET state = 1, delivered_at = $2, receipt = $3, "
                            "attempts = attempts + 1, last_error = '' WHERE seq = $1 AND state = 0 "
                            "RETURNING seq",
                            {seq, at, Text(receipt)}));
  if (!rows.empty()) return Status::Ok();
  ENTENTE_ASSIGN_OR_RETURN(SqlRows any, c.Query("SELECT state FROM outbox WHERE seq = $1", {seq}));
  if (any.empty()) return NotFound("outbox entry " + std::to_string(seq) + " not found");
  return FailedPrecondition("outbox entry " + std::to_string(seq) + " is not pending");
}

Status MarkAttemptFailed(SqlConnection& c, int64_t seq, std::string_view error,
                         int64_t next_attempt_at, bool give_up) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, "
              "state = $4 WHERE seq = $1 AND state = 0 RETURNING seq",
              {seq, Text(error), next_attempt_at, int64_t{give_up ? 2 : 0}}));
  if (rows.empty()) return NotFound("pending outbox entry " + std::to_string(seq) + " not found");
  return Status::Ok();
}

Status Requeue(SqlConnection& c, int64_t seq, int64_t at) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("UPDATE outbox SET state = 0, next_attempt_at = $2 WHERE seq = "
                                   "$1 AND state = 2 RETURNING seq",
                                   {seq, at}));
  if (!rows.empty()) return Status::Ok();
  ENTENTE_ASSIGN_OR_RETURN(SqlRows any, c.Query("SELECT state FROM outbox WHERE seq = $1", {seq}));
  if (any.empty()) return NotFound("outbox entry " + std::to_string(seq) + " not found");
  return FailedPrecondition("outbox entry " + std::to_string(seq) + " has not failed");
}

Status PutReleaseNotice(SqlConnection& c, const ReleaseNotice& n) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("INSERT INTO release_notices (" + std::string(kNoticeColumns) +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING "
                  "RETURNING subject_id",
              {n.subject_id, n.event_kind, n.event_date, n.partner, n.message_id, n.case_id,
               n.sent_at, n.acknowledged_at, n.acknowledged_by}));
  if (rows.empty()) {
    return AlreadyExists("a release notice of " + n.subject_id + " " + n.event_kind + " " +
                         n.event_date + " already went to " + n.partner);
  }
  return Status::Ok();
}

Status AcknowledgeReleaseNotice(SqlConnection& c, std::string_view message_id, int64_t at,
                                std::string_view by) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT acknowledged_at FROM release_notices WHERE "
                                   "message_id = $1",
                                   {Text(message_id)}));
  if (rows.empty()) {
    return NotFound("no release notice was sent as message " + std::string(message_id));
  }
  if (rows.Int(0, 0) != 0) return Status::Ok();
  return c
      .Query(
          "UPDATE release_notices SET acknowledged_at = $2, acknowledged_by = $3 WHERE "
          "message_id = $1",
          {Text(message_id), at, Text(by)})
      .status();
}

}  // namespace entente::store::sql
