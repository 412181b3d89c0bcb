#include "store/sql_hits.h"

#include <cmath>
#include <string>
#include <utility>

#include "store/sql_helpers.h"

namespace entente::store::sql {
namespace {

constexpr std::string_view kPublicationColumns =
    "partner, key_version, generation, sequence, change_seq, entries, published_at";
constexpr std::string_view kPartnerIndexColumns =
    "partner, key_version, generation, sequence, active_generation, active_key_version, "
    "entries, error, updated_at";
constexpr std::string_view kHitColumns =
    "id, direction, partner, reference, subject_id, owner, agency, actor, score_micros, at, "
    "notification_id, followup_id";
constexpr std::string_view kFollowUpColumns =
    "message_id, partner, requester, reference, subject_id, hit_id, received_at, due_at, "
    "decision, decided_by, decided_at, reason, reply_id";

PartnerIndexState PartnerIndexFromRow(const SqlRows& rows, size_t r) {
  return {rows.Text(r, 0), rows.Int(r, 1), rows.Int(r, 2),  rows.Int(r, 3), rows.Int(r, 4),
          rows.Int(r, 5),  rows.Int(r, 6), rows.Text(r, 7), rows.Int(r, 8)};
}

std::vector<HitRecord> HitsFromRows(const SqlRows& rows) {
  std::vector<HitRecord> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    HitRecord& h = out[r];
    h.id = rows.Text(r, 0);
    h.direction = static_cast<HitDirection>(rows.Int(r, 1));
    h.partner = rows.Text(r, 2);
    h.reference = rows.Text(r, 3);
    h.subject_id = rows.Text(r, 4);
    h.owner = rows.Text(r, 5);
    h.agency = rows.Text(r, 6);
    h.actor = rows.Text(r, 7);
    h.score = static_cast<double>(rows.Int(r, 8)) / 1e6;
    h.at = rows.Int(r, 9);
    h.notification_id = rows.Text(r, 10);
    h.followup_id = rows.Text(r, 11);
  }
  return out;
}

std::vector<FollowUp> FollowUpsFromRows(const SqlRows& rows) {
  std::vector<FollowUp> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1),  rows.Text(r, 2), rows.Text(r, 3), rows.Text(r, 4),
              rows.Text(r, 5), rows.Int(r, 6),   rows.Int(r, 7),  rows.Text(r, 8), rows.Text(r, 9),
              rows.Int(r, 10), rows.Text(r, 11), rows.Text(r, 12)};
  }
  return out;
}

}  // namespace

Result<IndexPublication> GetIndexPublication(SqlConnection& c, std::string_view partner) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kPublicationColumns) +
                                                     " FROM index_publications WHERE partner = $1",
                                                 {Text(partner)}));
  if (rows.empty()) return NotFound("no index was published to " + std::string(partner));
  return IndexPublication{rows.Text(0, 0), rows.Int(0, 1), rows.Int(0, 2), rows.Int(0, 3),
                          rows.Int(0, 4),  rows.Int(0, 5), rows.Int(0, 6)};
}

Result<std::vector<PublishedEntry>> ListPublished(SqlConnection& c, std::string_view partner) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT partner, subject_id, reference, digest FROM index_published WHERE partner "
              "= $1 ORDER BY subject_id",
              {Text(partner)}));
  std::vector<PublishedEntry> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3)};
  }
  return out;
}

Result<PublishedEntry> FindPublished(SqlConnection& c, std::string_view partner,
                                     std::string_view reference) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT partner, subject_id, reference, digest FROM index_published WHERE partner "
              "= $1 AND reference = $2",
              {Text(partner), Text(reference)}));
  if (rows.empty()) {
    return NotFound("no subject was published to " + std::string(partner) + " as " +
                    std::string(reference));
  }
  return PublishedEntry{rows.Text(0, 0), rows.Text(0, 1), rows.Text(0, 2), rows.Text(0, 3)};
}

Result<PartnerIndexState> GetPartnerIndex(SqlConnection& c, std::string_view partner) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kPartnerIndexColumns) +
                                                     " FROM partner_indexes WHERE partner = $1",
                                                 {Text(partner)}));
  if (rows.empty()) return NotFound(std::string(partner) + " has sent no index");
  return PartnerIndexFromRow(rows, 0);
}

Result<std::vector<PartnerIndexState>> ListPartnerIndexes(SqlConnection& c) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kPartnerIndexColumns) +
                                                     " FROM partner_indexes ORDER BY partner",
                                                 {}));
  std::vector<PartnerIndexState> out;
  out.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) out.push_back(PartnerIndexFromRow(rows, r));
  return out;
}

Result<std::vector<PartnerIndexEntry>> ListPartnerIndexEntries(SqlConnection& c,
                                                               std::string_view partner,
                                                               int64_t generation,
                                                               std::string_view after_reference,
                                                               int limit) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT reference, owner, code FROM partner_index_entries WHERE partner = $1 AND "
              "generation = $2 AND reference > $3 ORDER BY reference LIMIT $4",
              {Text(partner), generation, Text(after_reference), int64_t{limit}}));
  std::vector<PartnerIndexEntry> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    out[r] = {rows.Text(r, 0), rows.Text(r, 1), rows.Text(r, 2)};
  }
  return out;
}

Result<int64_t> CountPartnerIndexEntries(SqlConnection& c, std::string_view partner,
                                         int64_t generation) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT COUNT(*) FROM partner_index_entries WHERE partner = $1 AND generation = $2",
              {Text(partner), generation}));
  return rows.Int(0, 0);
}

Result<HitRecord> GetHit(SqlConnection& c, std::string_view id, HitDirection direction) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kHitColumns) +
                                                     " FROM hits WHERE id = $1 AND direction = $2",
                                                 {Text(id), int64_t{static_cast<int>(direction)}}));
  if (rows.empty()) return NotFound("hit " + std::string(id) + " not found");
  return std::move(HitsFromRows(rows).front());
}

Result<std::vector<HitRecord>> ListHits(SqlConnection& c, HitDirection direction, int limit) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT " + std::string(kHitColumns) +
                                       " FROM hits WHERE direction = $1 ORDER BY "
                                       "at DESC, id LIMIT $2",
                                   {int64_t{static_cast<int>(direction)}, int64_t{limit}}));
  return HitsFromRows(rows);
}

Result<FollowUp> GetFollowUp(SqlConnection& c, std::string_view message_id) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kFollowUpColumns) +
                                                     " FROM followups WHERE message_id = $1",
                                                 {Text(message_id)}));
  if (rows.empty()) return NotFound("no follow-up request " + std::string(message_id));
  return std::move(FollowUpsFromRows(rows).front());
}

Result<std::vector<FollowUp>> ListFollowUps(SqlConnection& c, bool pending_only, int limit) {
  ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                           c.Query("SELECT " + std::string(kFollowUpColumns) + " FROM followups" +
                                       (pending_only ? " WHERE decision = ''" : "") +
                                       " ORDER BY received_at, message_id LIMIT $1",
                                   {int64_t{limit}}));
  return FollowUpsFromRows(rows);
}

Status PutIndexPublication(SqlConnection& c, const IndexPublication& p) {
  if (p.partner.empty()) return InvalidArgument("index publication: partner is empty");
  return c
      .Query("INSERT INTO index_publications (" + std::string(kPublicationColumns) +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (partner) DO UPDATE SET "
                 "key_version = excluded.key_version, generation = excluded.generation, "
                 "sequence = excluded.sequence, change_seq = excluded.change_seq, entries = "
                 "excluded.entries, published_at = excluded.published_at",
             {p.partner, p.key_version, p.generation, p.sequence, p.change_seq, p.entries,
              p.published_at})
      .status();
}

Status PutPublished(SqlConnection& c, const PublishedEntry& e) {
  return c
      .Query(
          "INSERT INTO index_published (partner, subject_id, reference, digest) VALUES ($1, "
          "$2, $3, $4) ON CONFLICT (partner, subject_id) DO UPDATE SET reference = "
          "excluded.reference, digest = excluded.digest",
          {e.partner, e.subject_id, e.reference, e.digest})
      .status();
}

Status DeletePublished(SqlConnection& c, std::string_view partner, std::string_view subject_id) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("DELETE FROM index_published WHERE partner = $1 AND subject_id = $2 RETURNING "
              "subject_id",
              {Text(partner), Text(subject_id)}));
  if (rows.empty()) {
    return NotFound(std::string(subject_id) + " is not published to " + std::string(partner));
  }
  return Status::Ok();
}

Status DeleteAllPublished(SqlConnection& c, std::string_view partner) {
  return c.Query("DELETE FROM index_published WHERE partner = $1", {Text(partner)}).status();
}

Status PutPartnerIndex(SqlConnection& c, const PartnerIndexState& s) {
  if (s.partner.empty()) return InvalidArgument("partner index: partner is empty");
  return c
      .Query("INSERT INTO partner_indexes (" + std::string(kPartnerIndexColumns) +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (partner) DO UPDATE "
                 "SET key_version = excluded.key_version, generation = excluded.generation, "
                 "sequence = excluded.sequence, active_generation = excluded.active_generation, "
                 "active_key_version = excluded.active_key_version, entries = excluded.entries, "
                 "error = excluded.error, updated_at = excluded.updated_at",
             {s.partner, s.key_version, s.generation, s.sequence, s.active_generation,
              s.active_key_version, s.entries, s.error, s.updated_at})
      .status();
}

Status PutPartnerIndexEntry(SqlConnection& c, std::string_view partner, int64_t generation,
                            const PartnerIndexEntry& e) {
  return c
      .Query(
          "INSERT INTO partner_index_entries (partner, generation, reference, owner, code) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partner, generation, reference) DO UPDATE "
          "SET owner = excluded.owner, code = excluded.code",
          {Text(partner), generation, e.reference, e.owner, e.code})
      .status();
}

Status DeletePartnerIndexEntry(SqlConnection& c, std::string_view partner, int64_t generation,
                               std::string_view reference) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("DELETE FROM partner_index_entries WHERE partner = $1 AND generation "
                            "= $2 AND reference = $3 RETURNING reference",
                            {Text(partner), generation, Text(reference)}));
  if (rows.empty()) {
    return NotFound(std::string(partner) + " index has no reference " + std::string(reference));
  }
  return Status::Ok();
}

Status DeletePartnerIndexEntriesExcept(SqlConnection& c, std::string_view partner, int64_t keep) {
  return c
      .Query("DELETE FROM partner_index_entries WHERE partner = $1 AND generation <> $2",
             {Text(partner), keep})
      .status();
}

Status InsertHit(SqlConnection& c, const HitRecord& h) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("INSERT INTO hits (" + std::string(kHitColumns) +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO "
                  "NOTHING RETURNING id",
              {h.id, int64_t{static_cast<int>(h.direction)}, h.partner, h.reference, h.subject_id,
               h.owner, h.agency, h.actor, static_cast<int64_t>(std::llround(h.score * 1e6)), h.at,
               h.notification_id, h.followup_id}));
  if (rows.empty()) return AlreadyExists("hit " + h.id + " is already stored");
  return Status::Ok();
}

Status SetHitFollowUp(SqlConnection& c, std::string_view id, std::string_view followup_id) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows, c.Query("UPDATE hits SET followup_id = $2 WHERE id = $1 AND direction = 0 "
                            "RETURNING id",
                            {Text(id), Text(followup_id)}));
  if (rows.empty()) return NotFound("hit " + std::string(id) + " not found");
  return Status::Ok();
}

Status InsertFollowUp(SqlConnection& c, const FollowUp& f) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query(
          "INSERT INTO followups (" + std::string(kFollowUpColumns) +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT "
              "DO NOTHING RETURNING message_id",
          {f.message_id, f.partner, f.requester, f.reference, f.subject_id, f.hit_id, f.received_at,
           f.due_at, f.decision, f.decided_by, f.decided_at, f.reason, f.reply_id}));
  if (rows.empty()) return AlreadyExists("follow-up " + f.message_id + " is already stored");
  return Status::Ok();
}

Status DecideFollowUp(SqlConnection& c, const FollowUp& f) {
  if (f.decision.empty()) return InvalidArgument("follow-up: the decision is empty");
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("UPDATE followups SET decision = $2, decided_by = $3, decided_at = $4, reason = $5, "
              "reply_id = $6 WHERE message_id = $1 AND decision = '' RETURNING message_id",
              {f.message_id, f.decision, f.decided_by, f.decided_at, f.reason, f.reply_id}));
  if (!rows.empty()) return Status::Ok();
  ENTENTE_ASSIGN_OR_RETURN(FollowUp existing, GetFollowUp(c, f.message_id));
  return FailedPrecondition("follow-up " + f.message_id + " was already decided (" +
                            existing.decision + ")");
}

Result<int64_t> PruneIndexUpdates(SqlConnection& c, int64_t before) {
  ENTENTE_RETURN_IF_ERROR(
      c.Query("UPDATE outbox SET envelope = '' WHERE state = 1 AND envelope <> '' AND message_id "
              "IN (SELECT id FROM messages WHERE type = 'index_update' AND direction = 0 AND "
              "stored_at < $1)",
              {before})
          .status());
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("UPDATE messages SET document = '' WHERE type = 'index_update' AND document <> '' "
              "AND stored_at < $1 AND (direction = 1 OR NOT EXISTS (SELECT 1 FROM outbox o WHERE "
              "o.message_id = messages.id AND o.state <> 1)) RETURNING seq",
              {before}));
  return static_cast<int64_t>(rows.size());
}

}  // namespace entente::store::sql
