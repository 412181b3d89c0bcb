// The federation's areas on SQL (exchange.h): partners, messages, the outbox, release notices.

#include <string>
#include <utility>
#include <vector>

#include "store/exchange.h"
#include "store/sql_internal.h"

namespace entente::store {
namespace {

using sql::CheckLimit;
using sql::Code;
using sql::Text;

// Appends " AND <column> = $n" for a non-empty filter.
void AddFilter(std::string& text, std::vector<SqlValue>& params, std::string_view column,
               SqlValue value) {
  params.push_back(std::move(value));
  text += " AND ";
  text += column;
  text += " = $" + std::to_string(params.size());
}

constexpr std::string_view kPartnerColumns =
    "country, url, sign_public_key, box_public_key, tls_certificate, tls_fingerprint, rules, "
    "key_rotation, created_at, updated_at";

Result<std::vector<Partner>> QueryPartners(SqlConnection& c, std::string_view where,
                                           const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT " + std::string(kPartnerColumns) + " FROM partners" +
                                       std::string(where) + " ORDER BY country",
                                   params));
  std::vector<Partner> out;
  out.reserve(rows.size());
  for (const SqlRow row : rows) {
    Partner p;
    p.country = row.Text("country");
    p.url = row.Text("url");
    p.sign_public_key = row.Text("sign_public_key");
    p.box_public_key = row.Text("box_public_key");
    p.tls_certificate = row.Text("tls_certificate");
    p.tls_fingerprint = row.Text("tls_fingerprint");
    p.rules_json = row.Text("rules");
    p.key_rotation_json = row.Text("key_rotation");
    p.created_at = row.Int("created_at");
    p.updated_at = row.Int("updated_at");
    out.push_back(std::move(p));
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

Result<std::vector<StoredMessage>> MessagesFromRows(const SqlRows& rows) {
  std::vector<StoredMessage> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const SqlRow row = rows.Row(r);
    StoredMessage& m = out[r];
    m.seq = row.Int("seq");
    m.id = row.Text("id");
    ENTENTE_ASSIGN_OR_RETURN(m.direction, sql::Decode<MessageDirection>(row.Int("direction")));
    m.case_id = row.Text("case_id");
    m.type = row.Text("type");
    m.sender = row.Text("sender");
    m.recipients = row.Text("recipients");
    m.in_reply_to = row.Text("in_reply_to");
    m.priority = row.Text("priority");
    m.deadline = row.Text("deadline");
    m.handling_code = row.Text("handling_code");
    m.minors = row.Int("minors") != 0;
    m.created_at = row.Int("created_at");
    m.stored_at = row.Int("stored_at");
    m.document = row.Text("document");
  }
  return out;
}

constexpr std::string_view kOutboxColumns =
    "seq, message_id, recipient, envelope, state, attempts, next_attempt_at, last_error, "
    "created_at, delivered_at, receipt";

Result<std::vector<OutboxEntry>> OutboxFromRows(const SqlRows& rows) {
  std::vector<OutboxEntry> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const SqlRow row = rows.Row(r);
    OutboxEntry& e = out[r];
    e.seq = row.Int("seq");
    e.message_id = row.Text("message_id");
    e.recipient = row.Text("recipient");
    e.envelope = row.Text("envelope");
    ENTENTE_ASSIGN_OR_RETURN(e.state, sql::Decode<OutboxState>(row.Int("state")));
    e.attempts = row.Int("attempts");
    e.next_attempt_at = row.Int("next_attempt_at");
    e.last_error = row.Text("last_error");
    e.created_at = row.Int("created_at");
    e.delivered_at = row.Int("delivered_at");
    e.receipt = row.Text("receipt");
  }
  return out;
}

constexpr std::string_view kNoticeColumns =
    "subject_id, event_kind, event_date, partner, message_id, case_id, sent_at, acknowledged_at, "
    "acknowledged_by";

std::vector<ReleaseNotice> NoticesFromRows(const SqlRows& rows) {
  std::vector<ReleaseNotice> out;
  out.reserve(rows.size());
  for (const SqlRow row : rows) {
    out.push_back({row.Text("subject_id"), row.Text("event_kind"), row.Text("event_date"),
                   row.Text("partner"), row.Text("message_id"), row.Text("case_id"),
                   row.Int("sent_at"), row.Int("acknowledged_at"), row.Text("acknowledged_by")});
  }
  return out;
}

}  // namespace

// ---- Partners --------------------------------------------------------------------------------

Result<Partner> PartnersReader::Get(std::string_view country) const {
  return sql::Run<Partner>(connector_, [&](SqlConnection& c) {
    return OnePartner(c, " WHERE country = $1", country, "country " + std::string(country));
  });
}

Result<Partner> PartnersReader::FindByFingerprint(std::string_view fingerprint) const {
  return sql::Run<Partner>(connector_, [&](SqlConnection& c) {
    return OnePartner(c, " WHERE tls_fingerprint = $1", fingerprint,
                      "the certificate " + std::string(fingerprint));
  });
}

Result<std::vector<Partner>> PartnersReader::List() const {
  return sql::Run<std::vector<Partner>>(connector_,
                                        [&](SqlConnection& c) { return QueryPartners(c, "", {}); });
}

Status Partners::Put(const Partner& p) {
  if (p.country.empty()) return InvalidArgument("partner: country is empty");
  return connector_.With([&](SqlConnection& c) {
    return c
        .Query(
            "INSERT INTO partners (" + std::string(kPartnerColumns) +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (country) DO UPDATE "
                "SET url = excluded.url, sign_public_key = excluded.sign_public_key, "
                "box_public_key = excluded.box_public_key, tls_certificate = "
                "excluded.tls_certificate, tls_fingerprint = excluded.tls_fingerprint, rules = "
                "excluded.rules, key_rotation = excluded.key_rotation, updated_at = "
                "excluded.updated_at",
            {p.country, p.url, p.sign_public_key, p.box_public_key, p.tls_certificate,
             p.tls_fingerprint, p.rules_json, p.key_rotation_json, log_.clock.NowMicros()})
        .status();
  });
}

Status Partners::Delete(std::string_view country) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("DELETE FROM partners WHERE country = $1 RETURNING country", {Text(country)}));
    if (rows.empty()) return NotFound("country " + std::string(country) + " is not a partner");
    return Status::Ok();
  });
}

// ---- Messages --------------------------------------------------------------------------------

Result<StoredMessage> MessagesReader::Get(std::string_view id, MessageDirection direction) const {
  return sql::Run<StoredMessage>(connector_, [&](SqlConnection& c) -> Result<StoredMessage> {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                             c.Query("SELECT " + std::string(kMessageColumns) +
                                         " FROM messages WHERE id = $1 AND direction = $2",
                                     {Text(id), Code(direction)}));
    if (rows.empty()) return NotFound("message " + std::string(id) + " not found");
    ENTENTE_ASSIGN_OR_RETURN(std::vector<StoredMessage> messages, MessagesFromRows(rows));
    return std::move(messages.front());
  });
}

Result<std::vector<StoredMessage>> MessagesReader::List(const MessageQuery& query) const {
  return sql::Run<std::vector<StoredMessage>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<StoredMessage>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(query.limit));
        std::string text =
            "SELECT " + std::string(kMessageColumns) + " FROM messages WHERE seq > $1";
        std::vector<SqlValue> params = {query.after_seq};
        if (query.direction.has_value()) {
          AddFilter(text, params, "direction", Code(*query.direction));
        }
        if (!query.case_id.empty()) AddFilter(text, params, "case_id", Text(query.case_id));
        if (!query.in_reply_to.empty()) {
          AddFilter(text, params, "in_reply_to", Text(query.in_reply_to));
        }
        if (!query.type.empty()) AddFilter(text, params, "type", Text(query.type));
        params.emplace_back(int64_t{query.limit});
        text += " ORDER BY seq LIMIT $" + std::to_string(params.size());
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(text, params));
        return MessagesFromRows(rows);
      });
}

Result<std::vector<CaseSummary>> MessagesReader::Cases(int limit) const {
  return sql::Run<std::vector<CaseSummary>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<CaseSummary>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
        ENTENTE_ASSIGN_OR_RETURN(
            SqlRows rows,
            c.Query("SELECT m.case_id AS case_id, COUNT(*) AS messages, MIN(m.stored_at) AS "
                    "first_at, MAX(m.stored_at) AS last_at, MAX(m.minors) AS minors, "
                    "(SELECT f.type FROM messages f WHERE f.case_id = m.case_id ORDER BY f.seq "
                    "LIMIT 1) AS first_type "
                    "FROM messages m WHERE m.type NOT IN ('index_update', 'key_rotation') GROUP BY "
                    "m.case_id "
                    "ORDER BY MAX(m.stored_at) DESC, m.case_id LIMIT $1",
                    {int64_t{limit}}));
        std::vector<CaseSummary> out;
        out.reserve(rows.size());
        for (const SqlRow row : rows) {
          out.push_back({row.Text("case_id"), row.Int("messages"), row.Int("first_at"),
                         row.Int("last_at"), row.Int("minors") != 0, row.Text("first_type")});
        }
        return out;
      });
}

Result<std::vector<StoredMessage>> MessagesReader::UnansweredBefore(
    std::string_view date, const std::vector<std::string>& types) const {
  if (types.empty()) return std::vector<StoredMessage>{};
  return sql::Run<std::vector<StoredMessage>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<StoredMessage>> {
        std::string text = "SELECT " + std::string(kMessageColumns) +
                           " FROM messages m WHERE m.deadline <> '' AND m.deadline < $1 AND "
                           "m.type IN (";
        std::vector<SqlValue> params = {Text(date)};
        for (size_t i = 0; i < types.size(); ++i) {
          params.push_back(types[i]);
          text += (i == 0 ? "$" : ", $") + std::to_string(params.size());
        }
        text +=
            ") AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.in_reply_to = m.id) "
            "ORDER BY m.seq";
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(text, params));
        return MessagesFromRows(rows);
      });
}

Result<int64_t> Messages::Insert(const StoredMessage& m) {
  if (m.id.empty()) return InvalidArgument("message: id is empty");
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("INSERT INTO messages (id, direction, case_id, type, sender, recipients, "
                "in_reply_to, priority, deadline, handling_code, minors, created_at, stored_at, "
                "document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                "ON CONFLICT (id, direction) DO NOTHING RETURNING seq",
                {m.id, Code(m.direction), m.case_id, m.type, m.sender, m.recipients, m.in_reply_to,
                 m.priority, m.deadline, m.handling_code, int64_t{m.minors ? 1 : 0}, m.created_at,
                 log_.clock.NowMicros(), m.document}));
    if (rows.empty()) return AlreadyExists("message " + m.id + " is already stored");
    return rows.front().Int("seq");
  });
}

Result<int64_t> Messages::PruneIndexUpdates(int64_t before) {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_RETURN_IF_ERROR(
        c.Query("UPDATE outbox SET envelope = '' WHERE state = $2 AND envelope <> '' AND "
                "message_id IN (SELECT id FROM messages WHERE type = 'index_update' AND "
                "direction = $3 AND stored_at < $1)",
                {before, Code(OutboxState::kDelivered), Code(MessageDirection::kOut)})
            .status());
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE messages SET document = '' WHERE type = 'index_update' AND document <> "
                "'' AND stored_at < $1 AND (direction = $2 OR NOT EXISTS (SELECT 1 FROM outbox o "
                "WHERE o.message_id = messages.id AND o.state <> $3)) RETURNING seq",
                {before, Code(MessageDirection::kIn), Code(OutboxState::kDelivered)}));
    return static_cast<int64_t>(rows.size());
  });
}

// ---- Received records ------------------------------------------------------------------------

namespace {

constexpr std::string_view kReceivedColumns =
    "sender_country, ref, message_id, received_at, retention_date, state, updated_at";

Result<std::vector<ReceivedRecord>> QueryReceived(SqlConnection& c, std::string_view where,
                                                  const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT " + std::string(kReceivedColumns) +
                                       " FROM received_records WHERE " + std::string(where),
                                   params));
  std::vector<ReceivedRecord> out;
  out.reserve(rows.size());
  for (const SqlRow row : rows) {
    ReceivedRecord r;
    r.sender_country = row.Text("sender_country");
    r.ref = row.Text("ref");
    r.message_id = row.Text("message_id");
    r.received_at = row.Int("received_at");
    r.retention_date = row.Text("retention_date");
    ENTENTE_ASSIGN_OR_RETURN(r.state, sql::Decode<ReceivedState>(row.Int("state")));
    r.updated_at = row.Int("updated_at");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<std::vector<ReceivedRecord>> MessagesReader::ReceivedCopies(std::string_view sender_country,
                                                                   std::string_view ref) const {
  return sql::Run<std::vector<ReceivedRecord>>(connector_, [&](SqlConnection& c) {
    return QueryReceived(c, "sender_country = $1 AND ref = $2 ORDER BY received_at, message_id",
                         {Text(sender_country), Text(ref)});
  });
}

Result<std::vector<ReceivedRecord>> MessagesReader::ReceivedIn(std::string_view message_id) const {
  return sql::Run<std::vector<ReceivedRecord>>(connector_, [&](SqlConnection& c) {
    return QueryReceived(c, "message_id = $1 ORDER BY ref", {Text(message_id)});
  });
}

Result<std::vector<ReceivedRecord>> MessagesReader::ReceivedPastRetention(std::string_view date,
                                                                          int limit) const {
  return sql::Run<std::vector<ReceivedRecord>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<ReceivedRecord>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
        return QueryReceived(c,
                             "state <> $2 AND retention_date <> '' AND retention_date < $1 "
                             "ORDER BY retention_date, message_id, ref LIMIT $3",
                             {Text(date), Code(ReceivedState::kErased), int64_t{limit}});
      });
}

Status Messages::AddReceived(const ReceivedRecord& record) {
  return connector_.With([&](SqlConnection& c) -> Status {
    const int64_t now = log_.clock.NowMicros();
    return c
        .Query("INSERT INTO received_records (" + std::string(kReceivedColumns) +
                   ") VALUES ($1, $2, $3, $4, $5, $6, $4) ON CONFLICT (sender_country, ref, "
                   "message_id) DO NOTHING",
               {Text(record.sender_country), Text(record.ref), Text(record.message_id), now,
                Text(record.retention_date), Code(record.state)})
        .status();
  });
}

Result<int64_t> Messages::SetReceivedState(std::string_view sender_country, std::string_view ref,
                                           ReceivedState state) {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE received_records SET state = $3, updated_at = $4 WHERE sender_country = "
                "$1 AND ref = $2 AND state <> $3 RETURNING message_id",
                {Text(sender_country), Text(ref), Code(state), log_.clock.NowMicros()}));
    return static_cast<int64_t>(rows.size());
  });
}

Status Messages::SetCopyState(const ReceivedRecord& copy, ReceivedState state) {
  return connector_.With([&](SqlConnection& c) -> Status {
    return c
        .Query(
            "UPDATE received_records SET state = $4, updated_at = $5 WHERE sender_country = $1 "
            "AND ref = $2 AND message_id = $3",
            {Text(copy.sender_country), Text(copy.ref), Text(copy.message_id), Code(state),
             log_.clock.NowMicros()})
        .status();
  });
}

Status Messages::ReplaceDocument(std::string_view id, MessageDirection direction,
                                 std::string_view document) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("UPDATE messages SET document = $3 WHERE id = $1 AND direction = $2 "
                              "RETURNING seq",
                              {Text(id), Code(direction), Text(document)}));
    if (rows.empty()) return NotFound("message " + std::string(id) + " not found");
    return Status::Ok();
  });
}

// ---- Outbox ----------------------------------------------------------------------------------

Result<std::vector<OutboxEntry>> OutboxReader::List(const OutboxQuery& query) const {
  return sql::Run<std::vector<OutboxEntry>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<OutboxEntry>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(query.limit));
        std::string text = "SELECT " + std::string(kOutboxColumns) + " FROM outbox WHERE seq > $1";
        std::vector<SqlValue> params = {query.after_seq};
        if (!query.recipient.empty()) AddFilter(text, params, "recipient", Text(query.recipient));
        if (query.state.has_value()) AddFilter(text, params, "state", Code(*query.state));
        if (!query.message_id.empty()) {
          AddFilter(text, params, "message_id", Text(query.message_id));
        }
        params.emplace_back(int64_t{query.limit});
        text += " ORDER BY seq LIMIT $" + std::to_string(params.size());
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(text, params));
        return OutboxFromRows(rows);
      });
}

Result<std::vector<OutboxCount>> OutboxReader::Count() const {
  return sql::Run<std::vector<OutboxCount>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<OutboxCount>> {
        ENTENTE_ASSIGN_OR_RETURN(
            SqlRows rows,
            c.Query("SELECT recipient, state, COUNT(*) AS entries, MIN(created_at) AS oldest "
                    "FROM outbox GROUP BY recipient, state ORDER BY recipient, state",
                    {}));
        std::vector<OutboxCount> out;
        out.reserve(rows.size());
        for (const SqlRow row : rows) {
          ENTENTE_ASSIGN_OR_RETURN(const OutboxState state,
                                   sql::Decode<OutboxState>(row.Int("state")));
          out.push_back({row.Text("recipient"), state, row.Int("entries"), row.Int("oldest")});
        }
        return out;
      });
}

Result<int64_t> Outbox::Enqueue(const OutboxEntry& e) {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("INSERT INTO outbox (message_id, recipient, envelope, state, attempts, "
                "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 0, $5, $6) "
                "ON CONFLICT (message_id, recipient) DO NOTHING RETURNING seq",
                {e.message_id, e.recipient, e.envelope, Code(OutboxState::kPending),
                 e.next_attempt_at, log_.clock.NowMicros()}));
    if (rows.empty()) {
      return AlreadyExists("message " + e.message_id + " is already queued for " + e.recipient);
    }
    return rows.front().Int("seq");
  });
}

Status Outbox::MarkDelivered(int64_t seq, std::string_view receipt, int64_t at) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query(
            "UPDATE outbox SET state = $4, delivered_at = $2, receipt = $3, "
            "attempts = attempts + 1, last_error = '' WHERE seq = $1 AND state = $5 "
            "RETURNING seq",
            {seq, at, Text(receipt), Code(OutboxState::kDelivered), Code(OutboxState::kPending)}));
    if (!rows.empty()) return Status::Ok();
    ENTENTE_ASSIGN_OR_RETURN(SqlRows any,
                             c.Query("SELECT state FROM outbox WHERE seq = $1", {seq}));
    if (any.empty()) return NotFound("outbox entry " + std::to_string(seq) + " not found");
    return FailedPrecondition("outbox entry " + std::to_string(seq) + " is not pending");
  });
}

Status Outbox::MarkAttemptFailed(int64_t seq, std::string_view error, int64_t next_attempt_at,
                                 bool give_up) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE outbox SET attempts = attempts + 1, last_error = $2, "
                "next_attempt_at = $3, state = $4 WHERE seq = $1 AND state = $5 RETURNING seq",
                {seq, Text(error), next_attempt_at,
                 Code(give_up ? OutboxState::kFailed : OutboxState::kPending),
                 Code(OutboxState::kPending)}));
    if (rows.empty()) {
      return NotFound("pending outbox entry " + std::to_string(seq) + " not found");
    }
    return Status::Ok();
  });
}

Status Outbox::Requeue(int64_t seq, int64_t at) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("UPDATE outbox SET state = $3, next_attempt_at = $2 WHERE seq = $1 "
                              "AND state = $4 RETURNING seq",
                              {seq, at, Code(OutboxState::kPending), Code(OutboxState::kFailed)}));
    if (!rows.empty()) return Status::Ok();
    ENTENTE_ASSIGN_OR_RETURN(SqlRows any,
                             c.Query("SELECT state FROM outbox WHERE seq = $1", {seq}));
    if (any.empty()) return NotFound("outbox entry " + std::to_string(seq) + " not found");
    return FailedPrecondition("outbox entry " + std::to_string(seq) + " has not failed");
  });
}

// ---- Release notices -------------------------------------------------------------------------

Result<ReleaseNotice> NoticesReader::Get(std::string_view subject_id, std::string_view event_kind,
                                         std::string_view event_date,
                                         std::string_view partner) const {
  return sql::Run<ReleaseNotice>(connector_, [&](SqlConnection& c) -> Result<ReleaseNotice> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("SELECT " + std::string(kNoticeColumns) +
                    " FROM release_notices WHERE subject_id = $1 AND event_kind = $2 "
                    "AND event_date = $3 AND partner = $4",
                {Text(subject_id), Text(event_kind), Text(event_date), Text(partner)}));
    if (rows.empty()) return NotFound("no release notice was sent for this event");
    return std::move(NoticesFromRows(rows).front());
  });
}

Result<std::vector<ReleaseNotice>> NoticesReader::List(bool unacknowledged_only, int limit) const {
  return sql::Run<std::vector<ReleaseNotice>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<ReleaseNotice>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
        ENTENTE_ASSIGN_OR_RETURN(
            SqlRows rows,
            c.Query("SELECT " + std::string(kNoticeColumns) + " FROM release_notices" +
                        (unacknowledged_only ? " WHERE acknowledged_at = 0" : "") +
                        " ORDER BY sent_at, subject_id, partner LIMIT $1",
                    {int64_t{limit}}));
        return NoticesFromRows(rows);
      });
}

Result<int64_t> NoticesReader::CountUnacknowledged() const {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("SELECT COUNT(*) AS n FROM release_notices WHERE acknowledged_at = 0", {}));
    return rows.front().Int("n");
  });
}

Status Notices::Put(const ReleaseNotice& n) {
  return connector_.With([&](SqlConnection& c) -> Status {
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
  });
}

Status Notices::Acknowledge(std::string_view message_id, int64_t at, std::string_view by) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("SELECT acknowledged_at FROM release_notices WHERE message_id = $1",
                              {Text(message_id)}));
    if (rows.empty()) {
      return NotFound("no release notice was sent as message " + std::string(message_id));
    }
    if (rows.front().Int("acknowledged_at") != 0) return Status::Ok();
    return c
        .Query(
            "UPDATE release_notices SET acknowledged_at = $2, acknowledged_by = $3 WHERE "
            "message_id = $1",
            {Text(message_id), at, Text(by)})
        .status();
  });
}

}  // namespace entente::store
