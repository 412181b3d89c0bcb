#pragma once

#include <cstdint>
#include <string>

namespace entente::store {

// Hit/no-hit between partners (docs/hit-no-hit.md): the records of the encoded indexes a node
// publishes to its partners and receives from them, the hits its screening finds in them and
// that partners find in its register, and the follow-up requests partners send about them.

// Owner side: how far the index published to one partner has gone.
struct IndexPublication {
  std::string partner;      // country
  int64_t key_version = 0;  // the federation key of the generation
  int64_t generation = 0;   // the generation being sent or last sent (index_update.h)
  int64_t sequence = 0;     // the last update sent in that generation
  int64_t change_seq = 0;   // the register's change feed is reflected up to this seq
  int64_t entries = 0;      // subjects the partner holds (once the generation is complete)
  int64_t published_at = 0;
  // The partner's checks are answered here (policy::HitNoHitDelivery::kOwnerAnswers): this
  // bookkeeping gives references, and nothing of it was sent.
  bool owner_answers = false;
  friend bool operator==(const IndexPublication&, const IndexPublication&) = default;
};

// Owner side: one subject as a partner holds it, under the reference issued for that partner.
struct PublishedEntry {
  std::string partner;
  std::string subject_id;
  std::string reference;  // "ref-" + 32 hex, unique per partner
  std::string digest;     // of the code and owner sent: a changed record is sent again
  friend bool operator==(const PublishedEntry&, const PublishedEntry&) = default;
};

// Receiving side: the state of the index a partner sends.
struct PartnerIndexState {
  std::string partner;
  int64_t key_version = 0;         // of the generation being received
  int64_t generation = 0;          // being received, or the active one once complete
  int64_t sequence = 0;            // the last update applied
  int64_t active_generation = 0;   // the last complete generation: what screening reads
  int64_t active_key_version = 0;  // its key version
  int64_t entries = 0;             // in the active generation
  std::string error;               // why updates are no longer applied (a gap), "" when in order
  int64_t updated_at = 0;
  friend bool operator==(const PartnerIndexState&, const PartnerIndexState&) = default;
};

// Receiving side: one entry of a partner's index.
struct PartnerIndexEntry {
  std::string reference;
  std::string owner;  // CC/kind to ask
  std::string code;   // the code's bytes, base64
  friend bool operator==(const PartnerIndexEntry&, const PartnerIndexEntry&) = default;
};

enum class HitDirection {
  kOut = 0,  // this node's screening hit a partner's index
  kIn = 1,   // a partner's screening hit this node's register (its hit notification)
};

struct HitRecord {
  std::string id;  // "hit-" + 32 hex, issued by the screening node (the same on both sides)
  HitDirection direction = HitDirection::kOut;
  std::string partner;     // the other country
  std::string reference;   // the owner's opaque reference
  std::string subject_id;  // kIn: the subject of this register; kOut: ""
  std::string owner;       // CC/kind of the owning agency
  std::string agency;      // CC/kind of the screening agency
  std::string actor;       // kOut: the screening user; kIn: ""
  double score = 0;        // stored to 6 decimals
  int64_t at = 0;
  std::string notification_id;  // the hit notification message
  std::string followup_id;      // kOut: the follow-up request sent, "" until then
  friend bool operator==(const HitRecord&, const HitRecord&) = default;
};

// Owner side: a partner's follow-up request quoting a reference, and the owner's decision.
// The 48-hour deadline for core data runs from reception.
struct FollowUp {
  std::string message_id;  // the request received
  std::string partner;
  std::string requester;  // CC/kind
  std::string reference;
  std::string subject_id;
  std::string hit_id;  // the hit it follows, when named
  int64_t received_at = 0;
  int64_t due_at = 0;
  std::string decision;  // "" pending, "released", "refused"
  std::string decided_by;
  int64_t decided_at = 0;
  std::string reason;
  std::string reply_id;  // the reply that carried the decision
  friend bool operator==(const FollowUp&, const FollowUp&) = default;
};

}  // namespace entente::store
