#pragma once

// Hit/no-hit's areas of the store (hit_records.h): the encoded indexes this node publishes and
// those partners send (indexes), and the hits and their follow-ups (hits). Readers from
// StoreReader::indexes() and hits(); writers inside Store::Write from WriteTxn's.

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/hit_records.h"

namespace entente::store {
namespace sql {
class Connector;
struct TxnLog;
}  // namespace sql

class IndexesReader {
 public:
  explicit IndexesReader(const sql::Connector& connector) : connector_(connector) {}
  IndexesReader(const IndexesReader&) = delete;
  IndexesReader& operator=(const IndexesReader&) = delete;

  // Owner side: the publication to `partner`; NotFound before the first.
  Result<IndexPublication> GetPublication(std::string_view partner) const;
  // Owner side: what `partner` holds, by subject id.
  Result<std::vector<PublishedEntry>> ListPublished(std::string_view partner) const;
  // Owner side: the subject published to `partner` under `reference`; NotFound.
  Result<PublishedEntry> FindPublished(std::string_view partner, std::string_view reference) const;
  // Receiving side: the index `partner` sends; NotFound before its first update.
  Result<PartnerIndexState> GetPartnerIndex(std::string_view partner) const;
  Result<std::vector<PartnerIndexState>> ListPartnerIndexes() const;
  // Up to `limit` entries of a generation with reference > after_reference, by reference.
  Result<std::vector<PartnerIndexEntry>> ListPartnerEntries(std::string_view partner,
                                                            int64_t generation,
                                                            std::string_view after_reference,
                                                            int limit) const;
  // The number of entries of a generation.
  Result<int64_t> CountPartnerEntries(std::string_view partner, int64_t generation) const;

 protected:
  const sql::Connector& connector_;
};

class Indexes final : public IndexesReader {
 public:
  explicit Indexes(const sql::Connector& connector) : IndexesReader(connector) {}
  // Creates or replaces the publication of publication.partner.
  Status PutPublication(const IndexPublication& publication);
  // Creates or replaces the entry of (partner, subject_id); AlreadyExists if the reference is
  // taken by another subject of that partner.
  Status PutPublished(const PublishedEntry& entry);
  // NotFound if absent.
  Status DeletePublished(std::string_view partner, std::string_view subject_id);
  // Every entry of `partner` (a new generation, or the partner removed).
  Status DeleteAllPublished(std::string_view partner);
  Status PutPartnerIndex(const PartnerIndexState& state);
  // Creates or replaces the entry `entry.reference` of a generation.
  Status PutPartnerEntry(std::string_view partner, int64_t generation,
                         const PartnerIndexEntry& entry);
  // NotFound if absent.
  Status DeletePartnerEntry(std::string_view partner, int64_t generation,
                            std::string_view reference);
  // Every entry of `partner` in a generation other than `keep` (0: all).
  Status DeletePartnerEntriesExcept(std::string_view partner, int64_t keep);
};

class HitsReader {
 public:
  explicit HitsReader(const sql::Connector& connector) : connector_(connector) {}
  HitsReader(const HitsReader&) = delete;
  HitsReader& operator=(const HitsReader&) = delete;

  // NotFound if absent.
  Result<HitRecord> Get(std::string_view id, HitDirection direction) const;
  // The most recent hits of `direction` first.
  Result<std::vector<HitRecord>> List(HitDirection direction, int limit) const;
  // Owner side: the follow-up request `message_id`; NotFound.
  Result<FollowUp> GetFollowUp(std::string_view message_id) const;
  // By reception; undecided ones only when `pending_only`.
  Result<std::vector<FollowUp>> ListFollowUps(bool pending_only, int limit) const;
  // How many follow-ups are still undecided past their due time at `now` (microseconds).
  Result<int64_t> CountOverdueFollowUps(int64_t now) const;

 protected:
  const sql::Connector& connector_;
};

class Hits final : public HitsReader {
 public:
  explicit Hits(const sql::Connector& connector) : HitsReader(connector) {}
  // AlreadyExists if (id, direction) is stored.
  Status Insert(const HitRecord& hit);
  // Records the follow-up request of an outgoing hit; NotFound if absent.
  Status SetFollowUp(std::string_view id, std::string_view followup_id);
  // AlreadyExists if the request is stored.
  Status InsertFollowUp(const FollowUp& followup);
  // Records the decision (decision, decided_by, decided_at, reason, reply_id) on the follow-up
  // `decided.message_id`; NotFound if absent; FailedPrecondition if it was already decided.
  Status DecideFollowUp(const FollowUp& decided);
};

}  // namespace entente::store
