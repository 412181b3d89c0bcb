#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/mutex.h"
#include "common/result.h"
#include "federation/check.h"
#include "policy/sharing.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "service/hit_no_hit.h"
#include "store/store.h"

namespace entente::service {

// Hit/no-hit checks answered by the owner (policy::HitNoHitDelivery::kOwnerAnswers,
// docs/hit-no-hit.md), the owner's side. A partner in that mode is sent no index: the
// publication job keeps its bookkeeping (which subjects it may be told of, under which opaque
// references, index_publish.h) and OwnerIndexes holds the same codes in memory; each check
// arrives at the federation endpoint, is limited (CheckLimiter), watched for enumeration
// (EnumerationWatch), answered, audited and, on a hit, recorded for the 48-hour follow-up
// (CheckResponder).

// For each partner whose checks are answered here, the encoded index it would have been sent:
// the subjects its sharing rules allow, under its references. Refresh rebuilds a partner's index
// when its publication moved on, re-encoding only subjects whose code changed. Thread-safe.
class OwnerIndexes {
 public:
  struct Loaded {
    explicit Loaded(pprl::EncodedIndex built) : index(std::move(built)) {}
    std::string partner;
    int64_t generation = 0;
    int64_t sequence = 0;
    int64_t change_seq = 0;
    pprl::EncodedIndex index;
    std::vector<std::string> owners;       // by index position: the agency to ask
    std::vector<std::string> subject_ids;  // by index position
  };

  // `country`: this node's.
  OwnerIndexes(const pprl::EncodingKey& key, const pprl::Encoder& encoder, std::string country)
      : key_(key), encoder_(encoder), country_(std::move(country)) {}
  // Loads what changed since the last call.
  Status Refresh(const store::StoreReader& store);
  // The partner's index; nullptr when none is kept (not in owner_answers, or not yet built).
  std::shared_ptr<const Loaded> Get(std::string_view partner) const;

 private:
  struct Encoded {
    std::string digest;
    std::string owner;
    pprl::BloomCode code;
  };
  const pprl::EncodingKey key_;
  const pprl::Encoder& encoder_;
  const std::string country_;
  Mutex refresh_mutex_;  // one Refresh at a time
  std::unordered_map<std::string, Encoded> encoded_ GUARDED_BY(refresh_mutex_);  // by subject
  mutable Mutex mutex_;
  std::map<std::string, std::shared_ptr<const Loaded>, std::less<>> loaded_ GUARDED_BY(mutex_);
};

// The limits an owner sets on each partner's checks (SharingRules::checks_per_day, per UTC day,
// and checks_per_minute, over the last 60 seconds). Counts live in memory; the day's count is
// read back from the audit log the first time a partner checks after a restart. Thread-safe.
class CheckLimiter {
 public:
  struct Verdict {
    bool allowed = false;
    std::string limit;                // "checks_per_day" or "checks_per_minute" when refused
    int64_t retry_after_seconds = 0;  // when refused
    int64_t left_today = 0;           // after this admission
  };
  // Admits `count` checks from `partner` at `now` (micros) under `rules`, counting them, or
  // refuses them all. `audit` reads the day's count back once per partner and day.
  Verdict Admit(std::string_view partner, int64_t count, const policy::SharingRules& rules,
                int64_t now, const store::AuditReader& audit);
  // Refusals since this process started, by partner (the metric).
  std::map<std::string, int64_t> Refusals() const;

 private:
  struct Counts {
    int64_t day = -1;  // days since the epoch of `today`
    int64_t today = 0;
    std::deque<std::pair<int64_t, int64_t>> minute;  // (at, count), the last 60 s
    int64_t refused = 0;
  };
  mutable Mutex mutex_;
  std::map<std::string, Counts, std::less<>> counts_ GUARDED_BY(mutex_);
};

// Flags checks that look like an enumeration of the register rather than questions about
// persons: many queries on (almost) the same name with different birth dates (a sweep of
// dates), or many different but near-identical names with the same birth date (a sweep of
// spellings). It remembers, in memory only and for one hour, the name and birth ranges of each
// partner's last kWindow queries: never written anywhere, so the query's codes are not stored
// after the answer. Thread-safe.
class EnumerationWatch {
 public:
  static constexpr size_t kWindow = 512;
  static constexpr int64_t kWindowMicros = int64_t{3600} * 1'000'000;
  // Queries within the window that must resemble one another for a flag.
  static constexpr int kSweepThreshold = 25;

  // The flags the query raises at `now` ("birth_date_sweep", "name_sweep"); then remembers it.
  std::vector<std::string> Observe(std::string_view partner, const pprl::QueryCode& query,
                                   int64_t now);

 private:
  struct Seen {
    int64_t at = 0;
    pprl::BloomCode code;  // only the name and birth ranges are kept
  };
  Mutex mutex_;
  std::map<std::string, std::deque<Seen>, std::less<>> seen_ GUARDED_BY(mutex_);
};

// The owner's answer to one check request, for the federation endpoint.
struct CheckResponse {
  int http_status = 200;
  std::string body;                 // the signed answer, or {"error": ...}
  int64_t retry_after_seconds = 0;  // 429
};

// Answers the checks partners send (federation::kCheckPath). Thread-safe.
class CheckResponder {
 public:
  CheckResponder(store::Store& store, const HitNoHitContext& hnh, OwnerIndexes& indexes)
      : store_(store), hnh_(hnh), indexes_(indexes) {}

  // Reads the request `body` from `from_country` (known by its client certificate), checks it
  // (signature, time, replay, the partner's mode and batch size, its limits), matches each
  // query against what the partner may be told of and answers. Every check, answered or refused
  // past a limit, is audited (action "answer_check": partner, agency, justification, case
  // reference, outcome, the references hit, the enumeration flags; never the codes); each hit is
  // recorded as a partner's hit on this register (hits.h) for the follow-up. Statuses: 400 (a bad
  // request), 403 (unknown sender), 409 (the partner is not in owner_answers, or its index is not
  // ready), 413 (a batch over the partner's size), 429 (past a limit, with Retry-After), 503.
  CheckResponse Respond(std::string_view from_country, std::string_view body);

  const CheckLimiter& limiter() const { return limiter_; }

 private:
  bool Replayed(const std::string& id, int64_t now);

  store::Store& store_;
  const HitNoHitContext& hnh_;
  OwnerIndexes& indexes_;
  CheckLimiter limiter_;
  EnumerationWatch watch_;
  Mutex replay_mutex_;
  // The request ids seen lately, and when each is forgotten (in the order seen).
  std::unordered_set<std::string> recent_ids_ GUARDED_BY(replay_mutex_);
  std::deque<std::pair<int64_t, std::string>> recent_order_ GUARDED_BY(replay_mutex_);
};

// What partners' checks came to since a time, per partner, from the audit log (what
// CheckResponder audits): checks answered (queries), refused past a limit (requests), flagged
// as a possible enumeration (requests). For administrators' alerts (`entente index status`,
// GET /api/v1/federation/indexes, the metrics).
struct CheckActivity {
  int64_t answered = 0;
  int64_t refused = 0;
  int64_t flagged = 0;
};
Result<std::map<std::string, CheckActivity>> ChecksSince(const store::AuditReader& audit,
                                                         int64_t from);

// The querying side: asks each partner in owner_answers (in this node's registry) about
// `queries` through `channel`, in batches of the owner's size, and returns per partner its
// answer or why there is none ("MA: ..."). Used by CheckPartnerIndexes (partner_screening.h).
struct OwnerAnswered {
  std::string partner;
  std::vector<std::vector<federation::CheckHit>> results;  // one per query when answered
  std::string problem;                                     // "" when answered
  int64_t retry_after_seconds = 0;                         // the owner refused: past its limit
};
Result<std::vector<OwnerAnswered>> AskOwners(const store::StoreReader& store,
                                             const HitNoHitContext& hnh, const std::string& agency,
                                             const policy::RequestContext& context,
                                             const std::vector<pprl::QueryCode>& queries);

}  // namespace entente::service
