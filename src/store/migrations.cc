#include "store/migrations.h"

#include <array>
#include <string>

#include "store/store.h"

namespace entente::store {
namespace {

// Text that is compared or ordered (ids, dates) uses the "C" collation on PostgreSQL so that
// ordering is by bytes, as on SQLite, whatever the database's locale.
constexpr std::string_view kSqlite1 = R"sql(
CREATE TABLE subjects (
  id TEXT PRIMARY KEY,
  schema TEXT NOT NULL,
  entity TEXT NOT NULL,
  owner_agency TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  handling_code TEXT NOT NULL DEFAULT '',
  review_date TEXT NOT NULL DEFAULT '',
  retention_date TEXT NOT NULL DEFAULT '',
  birth_date TEXT NOT NULL DEFAULT '',
  state INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX subjects_review ON subjects (review_date) WHERE review_date <> '';
CREATE INDEX subjects_retention ON subjects (retention_date) WHERE retention_date <> '';
CREATE TABLE subject_changes (
  seq INTEGER PRIMARY KEY,
  subject_id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE links (
  src TEXT NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  dst TEXT NOT NULL,
  type TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (src, dst, type)
);
CREATE INDEX links_dst ON links (dst, src);
CREATE TABLE custody_events (
  subject_id TEXT NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  establishment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_start ON custody_events (start_date);
CREATE INDEX custody_subject ON custody_events (subject_id);
CREATE TABLE checklist_tasks (
  id INTEGER PRIMARY KEY,
  subject_id TEXT NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  event_date TEXT NOT NULL,
  task TEXT NOT NULL,
  owner_agency TEXT NOT NULL,
  status TEXT NOT NULL,
  due_date TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX checklist_subject ON checklist_tasks (subject_id);
CREATE INDEX checklist_due ON checklist_tasks (due_date);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  agency TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_agency TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_id TEXT,
  justification TEXT NOT NULL,
  on_behalf_of TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit_log (actor, seq);
CREATE INDEX audit_subject ON audit_log (subject_id, seq);
CREATE INDEX audit_at ON audit_log (at);
CREATE TABLE node_config (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

constexpr std::string_view kPostgres1 = R"sql(
CREATE TABLE subjects (
  id TEXT COLLATE "C" PRIMARY KEY,
  schema TEXT NOT NULL,
  entity TEXT NOT NULL,
  owner_agency TEXT COLLATE "C" NOT NULL DEFAULT '',
  country TEXT COLLATE "C" NOT NULL DEFAULT '',
  handling_code TEXT COLLATE "C" NOT NULL DEFAULT '',
  review_date TEXT COLLATE "C" NOT NULL DEFAULT '',
  retention_date TEXT COLLATE "C" NOT NULL DEFAULT '',
  birth_date TEXT COLLATE "C" NOT NULL DEFAULT '',
  state INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX subjects_review ON subjects (review_date) WHERE review_date <> '';
CREATE INDEX subjects_retention ON subjects (retention_date) WHERE retention_date <> '';
CREATE TABLE subject_changes (
  seq BIGINT PRIMARY KEY,
  subject_id TEXT COLLATE "C" NOT NULL,
  kind INTEGER NOT NULL,
  version BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE TABLE links (
  src TEXT COLLATE "C" NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  dst TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  country TEXT COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY (src, dst, type)
);
CREATE INDEX links_dst ON links (dst, src);
CREATE TABLE custody_events (
  subject_id TEXT COLLATE "C" NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL,
  start_date TEXT COLLATE "C" NOT NULL,
  end_date TEXT COLLATE "C" NOT NULL,
  establishment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_start ON custody_events (start_date);
CREATE INDEX custody_subject ON custody_events (subject_id);
CREATE TABLE checklist_tasks (
  id BIGSERIAL PRIMARY KEY,
  subject_id TEXT COLLATE "C" NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  event_date TEXT COLLATE "C" NOT NULL,
  task TEXT NOT NULL,
  owner_agency TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  due_date TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX checklist_subject ON checklist_tasks (subject_id);
CREATE INDEX checklist_due ON checklist_tasks (due_date);
CREATE TABLE users (
  id TEXT COLLATE "C" PRIMARY KEY,
  agency TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  actor_agency TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_id TEXT COLLATE "C",
  justification TEXT NOT NULL,
  on_behalf_of TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit_log (actor, seq);
CREATE INDEX audit_subject ON audit_log (subject_id, seq);
CREATE INDEX audit_at ON audit_log (at);
CREATE TABLE node_config (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// The audit log refuses UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) whoever asks; the
// hash chain catches what a database superuser does around it.
constexpr std::string_view kSqlite2 = R"sql(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

constexpr std::string_view kPostgres2 = R"sql(
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
)sql";

// Users carry their access tier and designations (policy::UserFields); a restricted subject
// records the day it was restricted (YYYY-MM-DD, "" when active), for the erasure deadline.
constexpr std::string_view kSqlite3 = R"sql(
ALTER TABLE users ADD COLUMN tier TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN designations TEXT NOT NULL DEFAULT '';
ALTER TABLE subjects ADD COLUMN restricted_on TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::string_view kPostgres3 = R"sql(
ALTER TABLE users ADD COLUMN tier TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN designations TEXT NOT NULL DEFAULT '';
ALTER TABLE subjects ADD COLUMN restricted_on TEXT COLLATE "C" NOT NULL DEFAULT '';
)sql";

// Federation: the partner registry, the messages a node sent and accepted, the outbox of
// envelopes with their delivery state, and the release notices sent with their acknowledgement.
constexpr std::string_view kSqlite4 = R"sql(
CREATE TABLE partners (
  country TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  sign_public_key TEXT NOT NULL,
  box_public_key TEXT NOT NULL,
  tls_certificate TEXT NOT NULL,
  tls_fingerprint TEXT NOT NULL UNIQUE,
  rules TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  direction INTEGER NOT NULL,
  case_id TEXT NOT NULL,
  type TEXT NOT NULL,
  sender TEXT NOT NULL,
  recipients TEXT NOT NULL,
  in_reply_to TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL,
  deadline TEXT NOT NULL DEFAULT '',
  handling_code TEXT NOT NULL DEFAULT '',
  minors INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  document TEXT NOT NULL,
  UNIQUE (id, direction)
);
CREATE INDEX messages_case ON messages (case_id, seq);
CREATE INDEX messages_reply ON messages (in_reply_to) WHERE in_reply_to <> '';
CREATE INDEX messages_deadline ON messages (deadline) WHERE deadline <> '';
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  envelope TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER NOT NULL DEFAULT 0,
  receipt TEXT NOT NULL DEFAULT '',
  UNIQUE (message_id, recipient)
);
CREATE INDEX outbox_queue ON outbox (recipient, state, seq);
CREATE TABLE release_notices (
  subject_id TEXT NOT NULL,
  event_kind TEXT NOT NULL,
  event_date TEXT NOT NULL,
  partner TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  case_id TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  acknowledged_at INTEGER NOT NULL DEFAULT 0,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (subject_id, event_kind, event_date, partner)
);
)sql";

constexpr std::string_view kPostgres4 = R"sql(
CREATE TABLE partners (
  country TEXT COLLATE "C" PRIMARY KEY,
  url TEXT NOT NULL,
  sign_public_key TEXT NOT NULL,
  box_public_key TEXT NOT NULL,
  tls_certificate TEXT NOT NULL,
  tls_fingerprint TEXT COLLATE "C" NOT NULL UNIQUE,
  rules TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE messages (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL,
  direction INTEGER NOT NULL,
  case_id TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  sender TEXT COLLATE "C" NOT NULL,
  recipients TEXT NOT NULL,
  in_reply_to TEXT COLLATE "C" NOT NULL DEFAULT '',
  priority TEXT NOT NULL,
  deadline TEXT COLLATE "C" NOT NULL DEFAULT '',
  handling_code TEXT NOT NULL DEFAULT '',
  minors INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  stored_at BIGINT NOT NULL,
  document TEXT NOT NULL,
  UNIQUE (id, direction)
);
CREATE INDEX messages_case ON messages (case_id, seq);
CREATE INDEX messages_reply ON messages (in_reply_to) WHERE in_reply_to <> '';
CREATE INDEX messages_deadline ON messages (deadline) WHERE deadline <> '';
CREATE TABLE outbox (
  seq BIGSERIAL PRIMARY KEY,
  message_id TEXT COLLATE "C" NOT NULL,
  recipient TEXT COLLATE "C" NOT NULL,
  envelope TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  delivered_at BIGINT NOT NULL DEFAULT 0,
  receipt TEXT NOT NULL DEFAULT '',
  UNIQUE (message_id, recipient)
);
CREATE INDEX outbox_queue ON outbox (recipient, state, seq);
CREATE TABLE release_notices (
  subject_id TEXT COLLATE "C" NOT NULL,
  event_kind TEXT COLLATE "C" NOT NULL,
  event_date TEXT COLLATE "C" NOT NULL,
  partner TEXT COLLATE "C" NOT NULL,
  message_id TEXT COLLATE "C" NOT NULL UNIQUE,
  case_id TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  acknowledged_at BIGINT NOT NULL DEFAULT 0,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (subject_id, event_kind, event_date, partner)
);
)sql";

// Hit/no-hit between partners (hit_records.h).
constexpr std::string_view kSqlite5 = R"sql(
CREATE TABLE index_publications (
  partner TEXT PRIMARY KEY,
  key_version INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  change_seq INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  published_at INTEGER NOT NULL
);
CREATE TABLE index_published (
  partner TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  reference TEXT NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (partner, subject_id),
  UNIQUE (partner, reference)
);
CREATE TABLE partner_indexes (
  partner TEXT PRIMARY KEY,
  key_version INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  active_generation INTEGER NOT NULL,
  active_key_version INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);
CREATE TABLE partner_index_entries (
  partner TEXT NOT NULL,
  generation INTEGER NOT NULL,
  reference TEXT NOT NULL,
  owner TEXT NOT NULL,
  code TEXT NOT NULL,
  PRIMARY KEY (partner, generation, reference)
);
CREATE TABLE hits (
  id TEXT NOT NULL,
  direction INTEGER NOT NULL,
  partner TEXT NOT NULL,
  reference TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  agency TEXT NOT NULL,
  actor TEXT NOT NULL,
  score_micros INTEGER NOT NULL,
  at INTEGER NOT NULL,
  notification_id TEXT NOT NULL,
  followup_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (id, direction)
);
CREATE INDEX hits_recent ON hits (direction, at);
CREATE TABLE followups (
  message_id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  requester TEXT NOT NULL,
  reference TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  hit_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  decision TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  reply_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followups_received ON followups (received_at);
)sql";

constexpr std::string_view kPostgres5 = R"sql(
CREATE TABLE index_publications (
  partner TEXT COLLATE "C" PRIMARY KEY,
  key_version BIGINT NOT NULL,
  generation BIGINT NOT NULL,
  sequence BIGINT NOT NULL,
  change_seq BIGINT NOT NULL,
  entries BIGINT NOT NULL,
  published_at BIGINT NOT NULL
);
CREATE TABLE index_published (
  partner TEXT COLLATE "C" NOT NULL,
  subject_id TEXT COLLATE "C" NOT NULL,
  reference TEXT COLLATE "C" NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (partner, subject_id),
  UNIQUE (partner, reference)
);
CREATE TABLE partner_indexes (
  partner TEXT COLLATE "C" PRIMARY KEY,
  key_version BIGINT NOT NULL,
  generation BIGINT NOT NULL,
  sequence BIGINT NOT NULL,
  active_generation BIGINT NOT NULL,
  active_key_version BIGINT NOT NULL,
  entries BIGINT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
CREATE TABLE partner_index_entries (
  partner TEXT COLLATE "C" NOT NULL,
  generation BIGINT NOT NULL,
  reference TEXT COLLATE "C" NOT NULL,
  owner TEXT NOT NULL,
  code TEXT NOT NULL,
  PRIMARY KEY (partner, generation, reference)
);
CREATE TABLE hits (
  id TEXT COLLATE "C" NOT NULL,
  direction INTEGER NOT NULL,
  partner TEXT COLLATE "C" NOT NULL,
  reference TEXT COLLATE "C" NOT NULL,
  subject_id TEXT COLLATE "C" NOT NULL,
  owner TEXT NOT NULL,
  agency TEXT NOT NULL,
  actor TEXT NOT NULL,
  score_micros BIGINT NOT NULL,
  at BIGINT NOT NULL,
  notification_id TEXT NOT NULL,
  followup_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (id, direction)
);
CREATE INDEX hits_recent ON hits (direction, at);
CREATE TABLE followups (
  message_id TEXT COLLATE "C" PRIMARY KEY,
  partner TEXT COLLATE "C" NOT NULL,
  requester TEXT NOT NULL,
  reference TEXT COLLATE "C" NOT NULL,
  subject_id TEXT COLLATE "C" NOT NULL,
  hit_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  decision TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at BIGINT NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  reply_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followups_received ON followups (received_at);
)sql";

// Users have a display name and their tokens an expiry (0: none, as for tokens issued before).
constexpr std::string_view kSqlite6 = R"sql(
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
)sql";

constexpr std::string_view kPostgres6 = R"sql(
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
)sql";

// Every subject an audit entry discloses besides its own subject_id (the subjects of a
// screening's "hits"), so that "every disclosure of S" is one indexed lookup; filled from the
// entries already logged, and append-only as the log is. Erasures wait for a second supervisor
// (four eyes): one pending request per subject. Each record received from a partner in full is
// listed with its state (its owner may restrict or erase it) and its retention date.
constexpr std::string_view kSqlite7 = R"sql(
CREATE TABLE audit_subjects (
  subject_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (subject_id, seq)
);
WITH logged AS MATERIALIZED (
  SELECT seq, details FROM audit_log
  WHERE json_valid(details) AND json_type(details, '$.hits') = 'array'
)
INSERT OR IGNORE INTO audit_subjects (subject_id, seq)
SELECT json_extract(h.value, '$.subject'), logged.seq FROM logged, json_each(logged.details, '$.hits') h
WHERE json_type(h.value, '$.subject') = 'text';
CREATE TRIGGER audit_subjects_no_update BEFORE UPDATE ON audit_subjects
BEGIN SELECT RAISE(ABORT, 'audit_subjects is append-only'); END;
CREATE TRIGGER audit_subjects_no_delete BEFORE DELETE ON audit_subjects
BEGIN SELECT RAISE(ABORT, 'audit_subjects is append-only'); END;
CREATE INDEX audit_action ON audit_log (action, seq);
CREATE TABLE erasure_requests (
  subject_id TEXT PRIMARY KEY,
  requested_by TEXT NOT NULL,
  agency TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_at INTEGER NOT NULL
);
CREATE TABLE received_records (
  sender_country TEXT NOT NULL,
  ref TEXT NOT NULL,
  message_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  retention_date TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (sender_country, ref, message_id)
);
CREATE INDEX received_records_message ON received_records (message_id);
CREATE INDEX received_records_retention ON received_records (retention_date) WHERE state <> 2;
)sql";

// As kSqlite7. Entries whose details hold an escaped NUL (which jsonb refuses) are left out of
// the backfill; they are still found by a scan of the log.
constexpr std::string_view kPostgres7 = R"sql(
CREATE TABLE audit_subjects (
  subject_id TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (subject_id, seq)
);
WITH logged AS MATERIALIZED (
  SELECT seq, details FROM audit_log
  WHERE strpos(details, '"hits":[') > 0 AND strpos(details, '\u0000') = 0
), parsed AS MATERIALIZED (
  SELECT seq, details::jsonb -> 'hits' AS hits FROM logged
)
INSERT INTO audit_subjects (subject_id, seq)
SELECT DISTINCT h.value ->> 'subject', parsed.seq
FROM parsed, jsonb_array_elements(parsed.hits) h
WHERE jsonb_typeof(parsed.hits) = 'array' AND jsonb_typeof(h.value -> 'subject') = 'string';
CREATE TRIGGER audit_subjects_no_change BEFORE UPDATE OR DELETE ON audit_subjects
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_subjects_no_truncate BEFORE TRUNCATE ON audit_subjects
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE INDEX audit_action ON audit_log (action, seq);
CREATE TABLE erasure_requests (
  subject_id TEXT COLLATE "C" PRIMARY KEY,
  requested_by TEXT NOT NULL,
  agency TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_at BIGINT NOT NULL
);
CREATE TABLE received_records (
  sender_country TEXT COLLATE "C" NOT NULL,
  ref TEXT COLLATE "C" NOT NULL,
  message_id TEXT COLLATE "C" NOT NULL,
  received_at BIGINT NOT NULL,
  retention_date TEXT COLLATE "C" NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (sender_country, ref, message_id)
);
CREATE INDEX received_records_message ON received_records (message_id);
CREATE INDEX received_records_retention ON received_records (retention_date) WHERE state <> 2;
)sql";

// The keys a partner announced it will use next, or used before (federation/key_rotation.h).
constexpr std::string_view kSqlite8 = R"sql(
ALTER TABLE partners ADD COLUMN key_rotation TEXT NOT NULL DEFAULT '{}';
)sql";
constexpr std::string_view kPostgres8 = kSqlite8;

// Signed-in browser sessions (the web console).
constexpr std::string_view kSqlite9 = R"sql(
CREATE TABLE user_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);
)sql";
constexpr std::string_view kPostgres9 = R"sql(
CREATE TABLE user_sessions (
  id_hash TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT COLLATE "C" NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);
)sql";

constexpr std::string_view kSqlite10 = R"sql(
ALTER TABLE checklist_tasks ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
CREATE TABLE checklist_comments (
  seq INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES checklist_tasks (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  author TEXT NOT NULL,
  agency TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX checklist_comments_task ON checklist_comments (task_id, seq);
)sql";
constexpr std::string_view kPostgres10 = R"sql(
ALTER TABLE checklist_tasks ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
CREATE TABLE checklist_comments (
  seq BIGSERIAL PRIMARY KEY,
  task_id BIGINT NOT NULL REFERENCES checklist_tasks (id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  author TEXT COLLATE "C" NOT NULL,
  agency TEXT COLLATE "C" NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX checklist_comments_task ON checklist_comments (task_id, seq);
)sql";

constexpr std::string_view kSqlite11 = R"sql(
ALTER TABLE index_publications ADD COLUMN owner_answers INTEGER NOT NULL DEFAULT 0;
)sql";
constexpr std::string_view kPostgres11 = R"sql(
ALTER TABLE index_publications ADD COLUMN owner_answers BIGINT NOT NULL DEFAULT 0;
)sql";

constexpr std::array<Migration, 11> kMigrations = {{
    {1, "register, change feed, links, custody, checklist, users, audit log, node config", kSqlite1,
     kPostgres1},
    {2, "audit log append-only triggers", kSqlite2, kPostgres2},
    {3, "user tier and designations, subject restricted_on", kSqlite3, kPostgres3},
    {4, "federation: partners, messages, outbox, release notices", kSqlite4, kPostgres4},
    {5, "hit/no-hit: published and partner indexes, hits, follow-ups", kSqlite5, kPostgres5},
    {6, "user display names and token expiry", kSqlite6, kPostgres6},
    {7, "audit disclosures by subject, erasure requests, received records", kSqlite7, kPostgres7},
    {8, "partners' announced and previous keys", kSqlite8, kPostgres8},
    {9, "browser sessions", kSqlite9, kPostgres9},
    {10, "checklist task assignees and comments", kSqlite10, kPostgres10},
    {11, "index publications kept for checks answered by the owner", kSqlite11, kPostgres11},
}};

// Held by whoever migrates a PostgreSQL database, for the length of one migration.
constexpr int64_t kMigrationLock = 0x656e74656e746501;

constexpr std::string_view kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, "
    "applied_at BIGINT NOT NULL)";

Status Rollback(SqlConnection& connection, Status status) {
  (void)connection.Execute("ROLLBACK");
  return status;
}

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

int64_t LatestSchemaVersion() { return kMigrations.back().version; }

Result<int64_t> ReadSchemaVersion(SqlConnection& connection) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      connection.Query("SELECT COALESCE(MAX(version), 0) AS version FROM schema_version", {}));
  return rows.front().Int("version");
}

Status ApplyMigrations(SqlConnection& connection, const Clock& clock) {
  const bool postgres = connection.dialect() == Dialect::kPostgres;
  while (true) {
    ENTENTE_RETURN_IF_ERROR(connection.Execute(postgres ? "BEGIN" : "BEGIN IMMEDIATE"));
    if (postgres) {
      auto locked = connection.Query("SELECT pg_advisory_xact_lock($1)", {kMigrationLock});
      if (!locked.ok()) return Rollback(connection, locked.status());
    }
    Status created = connection.Execute(kCreateSchemaVersion);
    if (!created.ok()) return Rollback(connection, created);
    auto current = ReadSchemaVersion(connection);
    if (!current.ok()) return Rollback(connection, current.status());
    if (*current > LatestSchemaVersion()) {
      return Rollback(
          connection,
          FailedPrecondition("the database is at schema version " + std::to_string(*current) +
                             ", newer than this program, which knows up to version " +
                             std::to_string(LatestSchemaVersion()) + "; use a newer entente"));
    }
    if (*current == LatestSchemaVersion()) return connection.Execute("COMMIT");
    const Migration& migration = kMigrations[*current];
    Status status = connection.Execute(postgres ? migration.postgres : migration.sqlite);
    if (status.ok()) {
      status = connection
                   .Query("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
                          {migration.version, clock.NowMicros()})
                   .status();
    }
    if (!status.ok()) {
      return Rollback(connection,
                      status.WithContext("migration " + std::to_string(migration.version) + " (" +
                                         std::string(migration.description) + ")"));
    }
    ENTENTE_RETURN_IF_ERROR(connection.Execute("COMMIT"));
  }
}

}  // namespace entente::store
