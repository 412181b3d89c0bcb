#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/hit_records.h"
#include "store/sql_connection.h"

namespace entente::store::sql {

// The hit/no-hit queries (hit_records.h), on one connection; SqlStore's reads and writes call
// them.

Result<IndexPublication> GetIndexPublication(SqlConnection& c, std::string_view partner);
Result<std::vector<PublishedEntry>> ListPublished(SqlConnection& c, std::string_view partner);
Result<PublishedEntry> FindPublished(SqlConnection& c, std::string_view partner,
                                     std::string_view reference);
Result<PartnerIndexState> GetPartnerIndex(SqlConnection& c, std::string_view partner);
Result<std::vector<PartnerIndexState>> ListPartnerIndexes(SqlConnection& c);
Result<std::vector<PartnerIndexEntry>> ListPartnerIndexEntries(SqlConnection& c,
                                                               std::string_view partner,
                                                               int64_t generation,
                                                               std::string_view after_reference,
                                                               int limit);
Result<int64_t> CountPartnerIndexEntries(SqlConnection& c, std::string_view partner,
                                         int64_t generation);
Result<HitRecord> GetHit(SqlConnection& c, std::string_view id, HitDirection direction);
Result<std::vector<HitRecord>> ListHits(SqlConnection& c, HitDirection direction, int limit);
Result<FollowUp> GetFollowUp(SqlConnection& c, std::string_view message_id);
Result<std::vector<FollowUp>> ListFollowUps(SqlConnection& c, bool pending_only, int limit);

Status PutIndexPublication(SqlConnection& c, const IndexPublication& p);
Status PutPublished(SqlConnection& c, const PublishedEntry& e);
Status DeletePublished(SqlConnection& c, std::string_view partner, std::string_view subject_id);
Status DeleteAllPublished(SqlConnection& c, std::string_view partner);
Status PutPartnerIndex(SqlConnection& c, const PartnerIndexState& s);
Status PutPartnerIndexEntry(SqlConnection& c, std::string_view partner, int64_t generation,
                            const PartnerIndexEntry& e);
Status DeletePartnerIndexEntry(SqlConnection& c, std::string_view partner, int64_t generation,
                               std::string_view reference);
Status DeletePartnerIndexEntriesExcept(SqlConnection& c, std::string_view partner, int64_t keep);
Status InsertHit(SqlConnection& c, const HitRecord& h);
Status SetHitFollowUp(SqlConnection& c, std::string_view id, std::string_view followup_id);
Status InsertFollowUp(SqlConnection& c, const FollowUp& f);
Status DecideFollowUp(SqlConnection& c, const FollowUp& f);
Result<int64_t> PruneIndexUpdates(SqlConnection& c, int64_t before);

}  // namespace entente::store::sql
