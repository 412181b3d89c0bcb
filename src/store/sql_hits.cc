// Hit/no-hit's areas on SQL (hits.h): published and partner indexes, hits and follow-ups.

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "store/hits.h"
#include "store/sql_internal.h"

namespace entente::store {
namespace {

using sql::CheckLimit;
using sql::Code;
using sql::Text;

constexpr std::string_view kPublicationColumns =
    "partner, key_version, generation, sequence, change_seq, entries, published_at, "
    "owner_answers";
constexpr std::string_view kPartnerIndexColumns =
    "partner, key_version, generation, sequence, active_generation, active_key_version, "
    "entries, error, updated_at";
constexpr std::string_view kHitColumns =
    "id, direction, partner, reference, subject_id, owner, agency, actor, score_micros, at, "
    "notification_id, followup_id";
constexpr std::string_view kFollowUpColumns =
    "message_id, partner, requester, reference, subject_id, hit_id, received_at, due_at, "
    "decision, decided_by, decided_at, reason, reply_id";

PartnerIndexState PartnerIndexOf(const SqlRow row) {
  PartnerIndexState s;
  s.partner = row.Text("partner");
  s.key_version = row.Int("key_version");
  s.generation = row.Int("generation");
  s.sequence = row.Int("sequence");
  s.active_generation = row.Int("active_generation");
  s.active_key_version = row.Int("active_key_version");
  s.entries = row.Int("entries");
  s.error = row.Text("error");
  s.updated_at = row.Int("updated_at");
  return s;
}

PublishedEntry PublishedOf(const SqlRow row) {
  return {row.Text("partner"), row.Text("subject_id"), row.Text("reference"), row.Text("digest")};
}

Result<std::vector<HitRecord>> HitsFromRows(const SqlRows& rows) {
  std::vector<HitRecord> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const SqlRow row = rows.Row(r);
    HitRecord& h = out[r];
    h.id = row.Text("id");
    ENTENTE_ASSIGN_OR_RETURN(h.direction, sql::Decode<HitDirection>(row.Int("direction")));
    h.partner = row.Text("partner");
    h.reference = row.Text("reference");
    h.subject_id = row.Text("subject_id");
    h.owner = row.Text("owner");
    h.agency = row.Text("agency");
    h.actor = row.Text("actor");
    h.score = static_cast<double>(row.Int("score_micros")) / 1e6;
    h.at = row.Int("at");
    h.notification_id = row.Text("notification_id");
    h.followup_id = row.Text("followup_id");
  }
  return out;
}

std::vector<FollowUp> FollowUpsFromRows(const SqlRows& rows) {
  std::vector<FollowUp> out;
  out.reserve(rows.size());
  for (const SqlRow row : rows) {
    FollowUp f;
    f.message_id = row.Text("message_id");
    f.partner = row.Text("partner");
    f.requester = row.Text("requester");
    f.reference = row.Text("reference");
    f.subject_id = row.Text("subject_id");
    f.hit_id = row.Text("hit_id");
    f.received_at = row.Int("received_at");
    f.due_at = row.Int("due_at");
    f.decision = row.Text("decision");
    f.decided_by = row.Text("decided_by");
    f.decided_at = row.Int("decided_at");
    f.reason = row.Text("reason");
    f.reply_id = row.Text("reply_id");
    out.push_back(std::move(f));
  }
  return out;
}

Result<FollowUp> QueryFollowUp(SqlConnection& c, std::string_view message_id) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query("SELECT " + std::string(kFollowUpColumns) +
                                                     " FROM followups WHERE message_id = $1",
                                                 {Text(message_id)}));
  if (rows.empty()) return NotFound("no follow-up request " + std::string(message_id));
  return std::move(FollowUpsFromRows(rows).front());
}

}  // namespace

// ---- Indexes ---------------------------------------------------------------------------------

Result<IndexPublication> IndexesReader::GetPublication(std::string_view partner) const {
  return sql::Run<IndexPublication>(connector_, [&](SqlConnection& c) -> Result<IndexPublication> {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                             c.Query("SELECT " + std::string(kPublicationColumns) +
                                         " FROM index_publications WHERE partner = $1",
                                     {Text(partner)}));
    if (rows.empty()) return NotFound("no index was published to " + std::string(partner));
    const SqlRow row = rows.front();
    IndexPublication p;
    p.partner = row.Text("partner");
    p.key_version = row.Int("key_version");
    p.generation = row.Int("generation");
    p.sequence = row.Int("sequence");
    p.change_seq = row.Int("change_seq");
    p.entries = row.Int("entries");
    p.published_at = row.Int("published_at");
    p.owner_answers = row.Int("owner_answers") != 0;
    return p;
  });
}

Result<std::vector<PublishedEntry>> IndexesReader::ListPublished(std::string_view partner) const {
  return sql::Run<std::vector<PublishedEntry>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<PublishedEntry>> {
        ENTENTE_ASSIGN_OR_RETURN(
            SqlRows rows,
            c.Query("SELECT partner, subject_id, reference, digest FROM index_published WHERE "
                    "partner = $1 ORDER BY subject_id",
                    {Text(partner)}));
        std::vector<PublishedEntry> out;
        out.reserve(rows.size());
        for (const SqlRow row : rows) out.push_back(PublishedOf(row));
        return out;
      });
}

Result<PublishedEntry> IndexesReader::FindPublished(std::string_view partner,
                                                    std::string_view reference) const {
  return sql::Run<PublishedEntry>(connector_, [&](SqlConnection& c) -> Result<PublishedEntry> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("SELECT partner, subject_id, reference, digest FROM index_published WHERE "
                "partner = $1 AND reference = $2",
                {Text(partner), Text(reference)}));
    if (rows.empty()) {
      return NotFound("no subject was published to " + std::string(partner) + " as " +
                      std::string(reference));
    }
    return PublishedOf(rows.front());
  });
}

Result<PartnerIndexState> IndexesReader::GetPartnerIndex(std::string_view partner) const {
  return sql::Run<PartnerIndexState>(
      connector_, [&](SqlConnection& c) -> Result<PartnerIndexState> {
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                                 c.Query("SELECT " + std::string(kPartnerIndexColumns) +
                                             " FROM partner_indexes WHERE partner = $1",
                                         {Text(partner)}));
        if (rows.empty()) {
          return NotFound(std::string(partner) + " has sent no index");
        }
        return PartnerIndexOf(rows.front());
      });
}

Result<std::vector<PartnerIndexState>> IndexesReader::ListPartnerIndexes() const {
  return sql::Run<std::vector<PartnerIndexState>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<PartnerIndexState>> {
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                                 c.Query("SELECT " + std::string(kPartnerIndexColumns) +
                                             " FROM partner_indexes ORDER BY partner",
                                         {}));
        std::vector<PartnerIndexState> out;
        out.reserve(rows.size());
        for (const SqlRow row : rows) out.push_back(PartnerIndexOf(row));
        return out;
      });
}

Result<std::vector<PartnerIndexEntry>> IndexesReader::ListPartnerEntries(
    std::string_view partner, int64_t generation, std::string_view after_reference,
    int limit) const {
  return sql::Run<std::vector<PartnerIndexEntry>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<PartnerIndexEntry>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
        ENTENTE_ASSIGN_OR_RETURN(
            SqlRows rows,
            c.Query("SELECT reference, owner, code FROM partner_index_entries WHERE partner = $1 "
                    "AND generation = $2 AND reference > $3 ORDER BY reference LIMIT $4",
                    {Text(partner), generation, Text(after_reference), int64_t{limit}}));
        std::vector<PartnerIndexEntry> out;
        out.reserve(rows.size());
        for (const SqlRow row : rows) {
          out.push_back({row.Text("reference"), row.Text("owner"), row.Text("code")});
        }
        return out;
      });
}

Result<int64_t> IndexesReader::CountPartnerEntries(std::string_view partner,
                                                   int64_t generation) const {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) {
    return sql::QueryInt(c,
                         "SELECT COUNT(*) AS n FROM partner_index_entries WHERE partner = $1 AND "
                         "generation = $2",
                         {Text(partner), generation}, "n");
  });
}

Status Indexes::PutPublication(const IndexPublication& p) {
  if (p.partner.empty()) return InvalidArgument("index publication: partner is empty");
  return connector_.With([&](SqlConnection& c) {
    return c
        .Query("INSERT INTO index_publications (" + std::string(kPublicationColumns) +
                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (partner) DO UPDATE SET "
                   "key_version = excluded.key_version, generation = excluded.generation, "
                   "sequence = excluded.sequence, change_seq = excluded.change_seq, entries = "
                   "excluded.entries, published_at = excluded.published_at, owner_answers = "
                   "excluded.owner_answers",
               {p.partner, p.key_version, p.generation, p.sequence, p.change_seq, p.entries,
                p.published_at, int64_t{p.owner_answers ? 1 : 0}})
        .status();
  });
}

Status Indexes::PutPublished(const PublishedEntry& e) {
  return connector_.With([&](SqlConnection& c) {
    return c
        .Query(
            "INSERT INTO index_published (partner, subject_id, reference, digest) VALUES ($1, "
            "$2, $3, $4) ON CONFLICT (partner, subject_id) DO UPDATE SET reference = "
            "excluded.reference, digest = excluded.digest",
            {e.partner, e.subject_id, e.reference, e.digest})
        .status();
  });
}

Status Indexes::DeletePublished(std::string_view partner, std::string_view subject_id) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("DELETE FROM index_published WHERE partner = $1 AND subject_id = $2 RETURNING "
                "subject_id",
                {Text(partner), Text(subject_id)}));
    if (rows.empty()) {
      return NotFound(std::string(subject_id) + " is not published to " + std::string(partner));
    }
    return Status::Ok();
  });
}

Status Indexes::DeleteAllPublished(std::string_view partner) {
  return connector_.With([&](SqlConnection& c) {
    return c.Query("DELETE FROM index_published WHERE partner = $1", {Text(partner)}).status();
  });
}

Status Indexes::PutPartnerIndex(const PartnerIndexState& s) {
  if (s.partner.empty()) return InvalidArgument("partner index: partner is empty");
  return connector_.With([&](SqlConnection& c) {
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
  });
}

Status Indexes::PutPartnerEntry(std::string_view partner, int64_t generation,
                                const PartnerIndexEntry& e) {
  return connector_.With([&](SqlConnection& c) {
    return c
        .Query(
            "INSERT INTO partner_index_entries (partner, generation, reference, owner, code) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partner, generation, reference) DO UPDATE "
            "SET owner = excluded.owner, code = excluded.code",
            {Text(partner), generation, e.reference, e.owner, e.code})
        .status();
  });
}

Status Indexes::DeletePartnerEntry(std::string_view partner, int64_t generation,
                                   std::string_view reference) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("DELETE FROM partner_index_entries WHERE partner = $1 AND generation = $2 AND "
                "reference = $3 RETURNING reference",
                {Text(partner), generation, Text(reference)}));
    if (rows.empty()) {
      return NotFound(std::string(partner) + " index has no reference " + std::string(reference));
    }
    return Status::Ok();
  });
}

Status Indexes::DeletePartnerEntriesExcept(std::string_view partner, int64_t keep) {
  return connector_.With([&](SqlConnection& c) {
    return c
        .Query("DELETE FROM partner_index_entries WHERE partner = $1 AND generation <> $2",
               {Text(partner), keep})
        .status();
  });
}

// ---- Hits and follow-ups ---------------------------------------------------------------------

Result<HitRecord> HitsReader::Get(std::string_view id, HitDirection direction) const {
  return sql::Run<HitRecord>(connector_, [&](SqlConnection& c) -> Result<HitRecord> {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                             c.Query("SELECT " + std::string(kHitColumns) +
                                         " FROM hits WHERE id = $1 AND direction = $2",
                                     {Text(id), Code(direction)}));
    if (rows.empty()) return NotFound("hit " + std::string(id) + " not found");
    ENTENTE_ASSIGN_OR_RETURN(std::vector<HitRecord> hits, HitsFromRows(rows));
    return std::move(hits.front());
  });
}

Result<std::vector<HitRecord>> HitsReader::List(HitDirection direction, int limit) const {
  return sql::Run<std::vector<HitRecord>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<HitRecord>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
        ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                                 c.Query("SELECT " + std::string(kHitColumns) +
                                             " FROM hits WHERE direction = $1 ORDER BY at DESC, "
                                             "id LIMIT $2",
                                         {Code(direction), int64_t{limit}}));
        return HitsFromRows(rows);
      });
}

Result<FollowUp> HitsReader::GetFollowUp(std::string_view message_id) const {
  return sql::Run<FollowUp>(connector_,
                            [&](SqlConnection& c) { return QueryFollowUp(c, message_id); });
}

Result<std::vector<FollowUp>> HitsReader::ListFollowUps(bool pending_only, int limit) const {
  return sql::Run<std::vector<FollowUp>>(
      connector_, [&](SqlConnection& c) -> Result<std::vector<FollowUp>> {
        ENTENTE_RETURN_IF_ERROR(CheckLimit(limit));
        ENTENTE_ASSIGN_OR_RETURN(
            SqlRows rows, c.Query("SELECT " + std::string(kFollowUpColumns) + " FROM followups" +
                                      (pending_only ? " WHERE decision = ''" : "") +
                                      " ORDER BY received_at, message_id LIMIT $1",
                                  {int64_t{limit}}));
        return FollowUpsFromRows(rows);
      });
}

Result<int64_t> HitsReader::CountOverdueFollowUps(int64_t now) const {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("SELECT COUNT(*) AS n FROM followups WHERE decision = '' AND due_at < $1", {now}));
    return rows.front().Int("n");
  });
}

Status Hits::Insert(const HitRecord& h) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("INSERT INTO hits (" + std::string(kHitColumns) +
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO "
                    "NOTHING RETURNING id",
                {h.id, Code(h.direction), h.partner, h.reference, h.subject_id, h.owner, h.agency,
                 h.actor, static_cast<int64_t>(std::llround(h.score * 1e6)), h.at,
                 h.notification_id, h.followup_id}));
    if (rows.empty()) return AlreadyExists("hit " + h.id + " is already stored");
    return Status::Ok();
  });
}

Status Hits::SetFollowUp(std::string_view id, std::string_view followup_id) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("UPDATE hits SET followup_id = $2 WHERE id = $1 AND direction = $3 "
                              "RETURNING id",
                              {Text(id), Text(followup_id), Code(HitDirection::kOut)}));
    if (rows.empty()) return NotFound("hit " + std::string(id) + " not found");
    return Status::Ok();
  });
}

Status Hits::InsertFollowUp(const FollowUp& f) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("INSERT INTO followups (" + std::string(kFollowUpColumns) +
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON "
                    "CONFLICT DO NOTHING RETURNING message_id",
                {f.message_id, f.partner, f.requester, f.reference, f.subject_id, f.hit_id,
                 f.received_at, f.due_at, f.decision, f.decided_by, f.decided_at, f.reason,
                 f.reply_id}));
    if (rows.empty()) return AlreadyExists("follow-up " + f.message_id + " is already stored");
    return Status::Ok();
  });
}

Status Hits::DecideFollowUp(const FollowUp& f) {
  if (f.decision.empty()) return InvalidArgument("follow-up: the decision is empty");
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE followups SET decision = $2, decided_by = $3, decided_at = $4, "
                "reason = $5, reply_id = $6 WHERE message_id = $1 AND decision = '' "
                "RETURNING message_id",
                {f.message_id, f.decision, f.decided_by, f.decided_at, f.reason, f.reply_id}));
    if (!rows.empty()) return Status::Ok();
    ENTENTE_ASSIGN_OR_RETURN(FollowUp existing, QueryFollowUp(c, f.message_id));
    return FailedPrecondition("follow-up " + f.message_id + " was already decided (" +
                              existing.decision + ")");
  });
}

}  // namespace entente::store
