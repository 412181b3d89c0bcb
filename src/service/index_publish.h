#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "service/hit_no_hit.h"
#include "store/store.h"

namespace entente::service {

// Publishing this node's encoded index to each partner (hit_no_hit.h, step 1).

struct PublishOptions {
  bool full = false;  // send a new generation even if deltas would do
  // Subjects a partner would receive; past this, an update is split (tests lower it).
  size_t entries_per_update = 4096;
};

struct PublishReport {
  std::string partner;
  // The partner's checks are answered here: the generation is kept as references and codes for
  // them (owner_answers.h), and nothing but a withdrawal of an index it held is sent.
  bool owner_answers = false;
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
// transaction. A partner in policy::HitNoHitDelivery::kOwnerAnswers is sent no index: its
// bookkeeping (which subject it may be told of, under which reference) is kept the same way,
// and a partner that held an index before is sent an empty generation that withdraws it.
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

}  // namespace entente::service
