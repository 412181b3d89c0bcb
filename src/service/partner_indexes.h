#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "common/result.h"
#include "federation/message.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "store/store.h"

namespace entente::service {

// The partners' encoded indexes, as received and as held for screening (hit_no_hit.h,
// step 2).

// Applies a received index update (run by the inbox hook in the transaction that stores the
// message). Updates out of order mark the partner's index in error (it is then not used until
// the next full generation) instead of refusing the message, which would stall the partner's
// queue.
Status ApplyIndexUpdate(store::WriteTxn& txn, const federation::Message& message,
                        std::string_view from_country, int64_t now);

// The partners' indexes in memory, as last loaded from the store: one immutable EncodedIndex
// per partner, shared by screening threads. Refresh reloads the partners whose active generation
// changed. Thread-safe.
class PartnerIndexes {
 public:
  struct Loaded {
    std::string partner;
    int64_t generation = 0;
    int64_t sequence = 0;
    int64_t updated_at = 0;
    pprl::EncodedIndex index;
    std::vector<std::string> owners;  // by index position
  };
  // What a partner's index is, for listing.
  struct Availability {
    std::string partner;
    bool usable = false;
    size_t entries = 0;
    std::string problem;  // why not usable: none received, another key version, a gap
  };

  // `key_version`: the node's encoding key; indexes under another version are not loaded.
  explicit PartnerIndexes(const pprl::EncodingKey& key) : key_(key) {}
  // Loads what changed since the last call.
  Status Refresh(const store::StoreReader& store);
  std::vector<std::shared_ptr<const Loaded>> Snapshot() const;
  std::vector<Availability> Describe() const;

 private:
  const pprl::EncodingKey key_;
  mutable Mutex mutex_;
  std::map<std::string, std::shared_ptr<const Loaded>> loaded_ GUARDED_BY(mutex_);
  std::vector<Availability> described_ GUARDED_BY(mutex_);
};

// Each partner's index both ways: what this node published to it, and what it sent and whether
// screening can use it (from `indexes`, when given).
struct IndexOverview {
  std::string partner;
  std::string hit_no_hit;  // policy::HitNoHitDeliveryName of the partner's rules
  // owner_answers: the partner's checks since the start of the day (UTC).
  int64_t checks_answered_today = 0;
  int64_t checks_refused_today = 0;
  int64_t checks_flagged_today = 0;
  std::optional<store::IndexPublication> published;
  std::optional<store::PartnerIndexState> received;
  bool usable = false;
  std::string problem;
};
// `now`: the day the checks are counted for.
Result<std::vector<IndexOverview>> DescribeIndexes(const store::StoreReader& store,
                                                   const PartnerIndexes* indexes, int64_t now);

}  // namespace entente::service
