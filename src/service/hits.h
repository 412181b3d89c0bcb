#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "federation/message.h"
#include "service/access.h"
#include "service/exchange.h"
#include "service/hit_no_hit.h"
#include "store/store.h"

namespace entente::service {

// Hits and their follow-ups (hit_no_hit.h, steps 3 and 4).

// Records a partner's hit on this register from its hit notification (in the inbox's
// transaction), naming the subject it published under the reference, if still published. A
// notification already recorded is ignored.
Status RecordIncomingHit(store::WriteTxn& txn, const federation::Message& message,
                         std::string_view from_country, int64_t now);

// Opens a follow-up for a partner's request quoting one of this node's index references (the
// first it quotes), due kFollowUpDueMicros after `now`. A request without one is ignored.
Status RecordFollowUps(store::WriteTxn& txn, const federation::Message& message,
                       std::string_view from_country, int64_t now);

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
