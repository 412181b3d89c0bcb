#pragma once

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
#include "model/entity.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "service/access.h"
#include "service/exchange.h"
#include "store/store.h"

namespace entente::service {

// Hit/no-hit between partners (docs/hit-no-hit.md). A partner learns that a person is known
// here, and whom to ask, never the record:
//   1. PublishIndexes sends each partner the encoded index of the subjects its sharing rules
//      allow (references only), as index updates through the outbox: a full generation first,
//      then deltas as the register changes (the change feed).
//   2. The partner applies them as they arrive (ApplyIndexUpdate, in the inbox's transaction)
//      and screens against them (PartnerIndexes, CheckPartnerIndexes): a hit gives the country,
//      the opaque reference, the agency to ask and a score.
//   3. Each hit is notified to the owner (a hit notification message), who sees which of its
//      subjects were hit, by whom.
//   4. The screening agency follows up (RequestFollowUp): a request quoting the reference, due
//      within 48 hours; the owner decides what to release (DecideFollowUp), the decision is
//      recorded and audited, and the deadline is tracked (ListFollowUps).

// The time an owner has to answer a follow-up request for core data.
inline constexpr int64_t kFollowUpDueMicros = int64_t{48} * 3600 * 1'000'000;

// What hit/no-hit needs of the node besides the exchange: the federation's encoder (its key).
struct HitNoHitContext {
  ExchangeContext exchange;
  const pprl::Encoder* encoder = nullptr;  // null: no encoding key installed
};

// ---- 1. Publishing ----------------------------------------------------------------------------

struct PublishOptions {
  bool full = false;  // send a new generation even if deltas would do
  // Subjects a partner would receive; past this, an update is split (tests lower it).
  size_t entries_per_update = 4096;
};

struct PublishReport {
  std::string partner;
  bool full = false;  // a new generation was sent
  int64_t generation = 0;
  int64_t updates = 0;   // index update messages queued
  int64_t upserts = 0;   // codes sent
  int64_t removals = 0;  // references withdrawn
  int64_t entries = 0;   // subjects the partner holds now
  int64_t withheld = 0;  // subjects its rules keep out of its index
};

// Brings every partner's index up to date: a full generation for a partner that has none, when
// the key version changed, when its sharing rules changed since, or when options.full; else the
// subjects changed since the last publication. Each subject is checked with
// policy::DecideTransfer (a reference to that partner); erased, restricted, minors' (unless the
// partner takes part in minors' consultations) and out-of-category subjects stay out. Each update
// is posted and audited (action "send_message", type index_update, with its digest) in one
// transaction.
// FailedPrecondition without an encoder.
Result<std::vector<PublishReport>> PublishIndexes(store::Store& store, const HitNoHitContext& hnh,
                                                  const PublishOptions& options = {});

// How long an index update keeps its document and envelope once done with (applied on
// reception, delivered on sending): long enough to look into a problem, then only the row and
// the audit's digest remain.
inline constexpr int64_t kIndexUpdateKeptMicros = int64_t{7} * 24 * 3600 * 1'000'000;

// Drops the documents and envelopes of index updates done with for kIndexUpdateKeptMicros
// (store::WriteTxn::PruneIndexUpdates). Returns how many messages were pruned.
Result<int64_t> PruneIndexUpdates(store::Store& store, int64_t now);

// ---- 2. Receiving and screening ---------------------------------------------------------------

// Applies a received index update (run by the inbox hook in the transaction that stores the
// message). Updates out of order mark the partner's index in error (it is then not used until
// the next full generation) instead of refusing the message, which would stall the partner's
// queue.
Status ApplyIndexUpdate(store::WriteTxn& txn, const federation::Message& message,
                        std::string_view from_country, int64_t now);

// What the inbox hook does with the hit/no-hit messages it stores: applies index updates,
// records partners' hits on this register, and opens a follow-up for a request quoting one of
// this node's references (due kFollowUpDueMicros after `now`).
Status OnHitNoHitMessage(store::WriteTxn& txn, const federation::Message& message,
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
  std::optional<store::IndexPublication> published;
  std::optional<store::PartnerIndexState> received;
  bool usable = false;
  std::string problem;
};
Result<std::vector<IndexOverview>> DescribeIndexes(const store::StoreReader& store,
                                                   const PartnerIndexes* indexes);

// One hit in a partner's index: no personal data.
struct PartnerHit {
  std::string hit_id;
  std::string country;
  std::string reference;
  std::string owner;  // the agency to ask
  double score = 0;
};

struct PartnerCheck {
  std::vector<PartnerHit> hits;
  std::vector<std::string> unavailable;  // "FR: why", partners whose index could not be read
};

// Screens one record against every partner's index in encoded form (the caller must be allowed
// to screen). Each hit is recorded, notified to its owner (a hit notification from the caller's
// agency, sealed for that partner) and audited (action "screen_partners", with the
// justification and the hits), in one transaction. `threshold` <= 0 takes the encoded default.
Result<PartnerCheck> CheckPartnerIndexes(store::Store& store, const HitNoHitContext& hnh,
                                         const PartnerIndexes& indexes, const Caller& caller,
                                         const model::Entity& query, double threshold = 0,
                                         size_t limit = 10);

// ---- 3-4. Hits, follow-ups, decisions ---------------------------------------------------------

// The hits of `direction` (out: found by this node's screening; in: partners' hits on this
// register), most recent first. Outgoing hits carry no personal data; incoming ones name the
// subject of this register, so reading them needs the right to read subjects (audited).
Result<std::vector<store::HitRecord>> ListHits(store::Store& store, const Caller& caller,
                                               store::HitDirection direction, int limit);

// Sends the owner of an outgoing hit a request quoting its reference, due within 48 hours;
// the hit records it. FailedPrecondition if the hit was already followed up.
Result<SentMessage> RequestFollowUp(store::Store& store, const ExchangeContext& exchange,
                                    const Caller& caller, std::string_view hit_id,
                                    std::string_view body);

enum class FollowUpState { kPending, kOverdue, kAnswered, kAnsweredLate };
std::string_view FollowUpStateName(FollowUpState state);  // "pending", "overdue", ...

struct FollowUpView {
  store::FollowUp followup;
  FollowUpState state = FollowUpState::kPending;
};

// The follow-up requests partners sent this node, by reception, with where each stands against
// its 48-hour deadline at `now`.
Result<std::vector<FollowUpView>> ListFollowUps(store::Store& store, const Caller& caller,
                                                int64_t now, bool pending_only, int limit);

enum class FollowUpDecision { kRelease, kRefuse };

// The owner's answer to a follow-up request: kRelease sends the subject's record in a reply
// (under policy::DecideTransfer, whose refusal is returned and records nothing), kRefuse a reply
// without it, giving `reason`. The decision is recorded with the reply and audited in the reply's
// transaction. NotFound for an unknown request; FailedPrecondition if already decided.
Result<SentMessage> DecideFollowUp(store::Store& store, const ExchangeContext& exchange,
                                   const Caller& caller, std::string_view message_id,
                                   FollowUpDecision decision, std::string_view reason);

}  // namespace entente::service
