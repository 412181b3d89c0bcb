#pragma once

#include <cstdint>

#include "federation/check.h"
#include "pprl/encoder.h"
#include "service/exchange.h"

namespace entente::service {

// Hit/no-hit between partners (docs/hit-no-hit.md). A partner learns that a person is known
// here, and whom to ask, never the record. One job a file:
//   1. index_publish.h: PublishIndexes sends each partner the encoded index of the subjects its
//      sharing rules allow (references only), as index updates through the outbox: a full
//      generation first, then deltas as the register changes (the change feed).
//   2. partner_indexes.h: the partner applies them as they arrive (ApplyIndexUpdate, in the
//      inbox's transaction) and holds them in memory (PartnerIndexes);
//      partner_screening.h: it screens against them (CheckPartnerIndexes): a hit gives the
//      country, the opaque reference, the agency to ask and a score.
//   3. hits.h: each hit is notified to the owner (a hit notification message), who sees which
//      of its subjects were hit, by whom.
//   4. hits.h: the screening agency follows up (RequestFollowUp): a request quoting the
//      reference, due within 48 hours; the owner decides what to release (DecideFollowUp), the
//      decision is recorded and audited, and the deadline is tracked (ListFollowUps).
// reception.h dispatches what partners deliver to these jobs.
// With a partner in policy::HitNoHitDelivery::kOwnerAnswers, steps 1-3 go otherwise
// (owner_answers.h): no index is sent; each check travels to the owner, which answers it and
// records the hit itself; step 4 is the same.

// The time an owner has to answer a follow-up request for core data.
inline constexpr int64_t kFollowUpDueMicros = int64_t{48} * 3600 * 1'000'000;

// What hit/no-hit needs of the node besides the exchange: the federation's encoder (its key).
struct HitNoHitContext {
  ExchangeContext exchange;
  const pprl::Encoder* encoder = nullptr;  // null: no encoding key installed
  // Carries checks to partners that answer them (owner_answers.h); null: none are sent.
  federation::CheckChannel* checks = nullptr;
};

}  // namespace entente::service
