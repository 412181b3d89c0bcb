#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/entity.h"
#include "service/access.h"
#include "service/hit_no_hit.h"
#include "service/partner_indexes.h"
#include "store/store.h"

namespace entente::service {

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

// Screens one record against every partner (the caller must be allowed to screen): partners
// that send their encoded index through it, partners in owner_answers by asking them
// (owner_answers.h). Each hit is recorded; a hit in an index is notified to its owner (a hit
// notification from the caller's agency, sealed for that partner), one the owner answered is
// recorded there already. All of it is audited (action "screen_partners", with the
// justification and the hits) in one transaction. `threshold` <= 0 takes the encoded default.
Result<PartnerCheck> CheckPartnerIndexes(store::Store& store, const HitNoHitContext& hnh,
                                         const PartnerIndexes& indexes, const Caller& caller,
                                         const model::Entity& query, double threshold = 0,
                                         size_t limit = 10);

// The same for many records at once (a batch): owners are asked in batches of their size, one
// round trip each; one transaction and one audit entry for all. One PartnerCheck per query.
Result<std::vector<PartnerCheck>> CheckPartnersMany(store::Store& store, const HitNoHitContext& hnh,
                                                    const PartnerIndexes& indexes,
                                                    const Caller& caller,
                                                    std::span<const model::Entity> queries,
                                                    double threshold = 0, size_t limit = 10);

}  // namespace entente::service
