#include "node/jobs.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "policy/subject_facts.h"
#include "service/audit_anchor.h"
#include "service/index_publish.h"
#include "service/release_notices.h"
#include "service/review.h"

namespace entente::node {
namespace {

// node_config: the day (YYYY-MM-DD) the retention sweep last ran.
constexpr std::string_view kRetentionSweptOn = "retention_swept_on";

}  // namespace

Jobs::Jobs(store::Store& store, const Clock& clock, std::string country, JobOptions options,
           std::unique_ptr<store::Leadership> leadership)
    : store_(store),
      clock_(clock),
      country_(std::move(country)),
      options_(options),
      leadership_(std::move(leadership)) {
  AddLeaderLoop(
      "retention sweep", options_.retention_check, [this] { SweepRetentionOncePerDay(); },
      options_.retention_first);
  leadership_loop_ = std::make_unique<BackgroundLoop>(
      "leadership", options_.leader_check,
      [this] {
        CheckLeadership();
        return false;
      },
      options_.leader_check);
}

Jobs::~Jobs() { Stop(); }

void Jobs::AddLeaderLoop(std::string name, std::chrono::microseconds period,
                         std::function<void()> pass, std::chrono::microseconds first_delay) {
  loops_.push_back(std::make_unique<BackgroundLoop>(
      std::move(name), period,
      [this, pass = std::move(pass)] {
        if (leading_.load()) pass();
        return false;
      },
      first_delay));
  leader_loops_.push_back(loops_.back().get());
}

void Jobs::AddAuditAnchoring(const federation::NodeKeys& keys, std::string anchors_path) {
  anchor_keys_ = &keys;
  anchors_path_ = std::move(anchors_path);
  AddLeaderLoop(
      "audit anchor", options_.anchor, [this] { Anchor(); }, options_.anchor);
}

void Jobs::AddDelivery(federation::Deliverer& deliverer) { deliverer_ = &deliverer; }

void Jobs::AddReleaseNotices(const service::ExchangeContext& exchange) {
  if (options_.notices.count() <= 0) return;
  AddLeaderLoop("release notices", options_.notices, [this, &exchange] {
    auto sweep =
        service::SendReleaseNotices(store_, exchange, policy::DayOfMicros(clock_.NowMicros()));
    if (!sweep.ok()) {
      spdlog::warn("release notices: {}", sweep.status().ToString());
    } else if (sweep->sent > 0) {
      spdlog::info("release notices: {} sent, {} withheld", sweep->sent, sweep->withheld.size());
    }
  });
}

void Jobs::AddHitNoHit(const service::HitNoHitContext& hit_no_hit, service::PartnerIndexes& indexes,
                       service::OwnerIndexes* owner_indexes) {
  hit_no_hit_ = &hit_no_hit;
  partner_indexes_ = &indexes;
  owner_indexes_ = owner_indexes;
  if (options_.publish.count() > 0) {
    AddLeaderLoop("index publication", options_.publish, [this] { SyncIndexes(); });
  }
  if (options_.refresh.count() > 0) {
    loops_.push_back(std::make_unique<BackgroundLoop>(
        "partner indexes", options_.refresh,
        [this] {
          if (Status s = partner_indexes_->Refresh(store_); !s.ok()) {
            spdlog::warn("partner indexes: {}", s.ToString());
          }
          RefreshOwnerIndexes();
          return false;
        },
        options_.refresh));
  }
  AddLeaderLoop("index update pruning", options_.prune, [this] {
    auto pruned = service::PruneIndexUpdates(store_, clock_.NowMicros());
    if (!pruned.ok()) {
      spdlog::warn("pruning index updates: {}", pruned.status().ToString());
    } else if (*pruned > 0) {
      spdlog::info("pruned {} index updates done with", *pruned);
    }
  });
}

void Jobs::Start() {
  started_ = true;
  CheckLeadership();  // a lone node leads at once
  for (auto& loop : loops_) loop->Start();
  leadership_loop_->Start();
}

void Jobs::Stop() {
  leadership_loop_->Stop();
  for (auto& loop : loops_) loop->Stop();
  if (deliverer_ != nullptr) deliverer_->Stop();
  // The head as it stands at the stop, by the leader (another replica anchors its own stops).
  if (started_ && leading_.load() && anchor_keys_ != nullptr) Anchor();
  if (leadership_ != nullptr) {
    MutexLock lock(&leadership_mutex_);
    leadership_->Release();
  }
  leading_ = false;
  started_ = false;
}

void Jobs::CheckLeadership() {
  MutexLock lock(&leadership_mutex_);
  bool now = true;
  if (leadership_ != nullptr) {
    const Result<bool> held = leadership_->Hold();
    if (!held.ok() && leading_.load()) {
      spdlog::warn("leadership: {}", held.status().ToString());
    }
    now = held.ok() && *held;
  }
  const bool was = leading_.exchange(now);
  if (now == was) return;
  if (now) {
    spdlog::info("this process now leads the node's background jobs");
    if (deliverer_ != nullptr) deliverer_->Start();
    for (BackgroundLoop* loop : leader_loops_) loop->Wake();
  } else {
    spdlog::warn("this process no longer leads the node's background jobs: another replica does");
    if (deliverer_ != nullptr) deliverer_->Stop();
  }
}

void Jobs::Anchor() {
  auto anchored = service::AnchorAuditLog(store_, *anchor_keys_.load(), clock_, anchors_path_);
  if (!anchored.ok()) spdlog::warn("audit anchor: {}", anchored.status().ToString());
}

void Jobs::SyncIndexes() {
  if (hit_no_hit_ == nullptr) return;
  MutexLock lock(&sync_mutex_);
  auto published = service::PublishIndexes(store_, *hit_no_hit_);
  if (!published.ok()) {
    spdlog::warn("index publication: {}", published.status().ToString());
  } else {
    for (const service::PublishReport& r : *published) {
      if (r.updates == 0) continue;
      spdlog::info("index for {}: generation {}{}, {} updates, {} codes, {} removed, {} held",
                   r.partner, r.generation, r.full ? " (full)" : "", r.updates, r.upserts,
                   r.removals, r.entries);
    }
  }
  if (Status s = partner_indexes_->Refresh(store_); !s.ok()) {
    spdlog::warn("partner indexes: {}", s.ToString());
  }
  RefreshOwnerIndexes();
}

void Jobs::RefreshOwnerIndexes() {
  if (owner_indexes_ == nullptr) return;
  if (Status s = owner_indexes_->Refresh(store_); !s.ok()) {
    spdlog::warn("indexes for checks answered here: {}", s.ToString());
  }
}

bool Jobs::SweepRetentionOncePerDay() {
  const model::PartialDate today = policy::DayOfMicros(clock_.NowMicros());
  const Result<std::string> last = store_.config().Get(kRetentionSweptOn);
  if (last.ok() && *last == today.ToString()) return false;
  auto report = service::RunSystemRetentionSweep(store_, country_, today, "",
                                                 {anchor_keys_.load(), clock_.NowMicros()});
  if (!report.ok()) {
    spdlog::warn("retention sweep: {}", report.status().ToString());
    return false;
  }
  if (report->received_erased > 0) {
    spdlog::info("retention sweep: {} records received from partners erased",
                 report->received_erased);
  }
  const Status noted = store_.Write(
      [&](store::WriteTxn& txn) { return txn.config().Set(kRetentionSweptOn, today.ToString()); });
  if (!noted.ok()) spdlog::warn("retention sweep: {}", noted.ToString());
  if (!report->actions.empty()) {
    spdlog::info("retention sweep on {}: {} subjects restricted or erased", today.ToString(),
                 report->actions.size());
  }
  return true;
}

}  // namespace entente::node
