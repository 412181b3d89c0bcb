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

Jobs::Jobs(store::Store& store, const Clock& clock, std::string country, JobOptions options)
    : store_(store), clock_(clock), country_(std::move(country)), options_(options) {
  loops_.push_back(std::make_unique<BackgroundLoop>(
      "retention sweep", options_.retention_check,
      [this] {
        SweepRetentionOncePerDay();
        return false;
      },
      options_.retention_first));
}

Jobs::~Jobs() { Stop(); }

void Jobs::AddAuditAnchoring(const federation::NodeKeys& keys, std::string anchors_path) {
  anchor_keys_ = &keys;
  anchors_path_ = std::move(anchors_path);
  loops_.push_back(std::make_unique<BackgroundLoop>(
      "audit anchor", options_.anchor,
      [this] {
        Anchor();
        return false;
      },
      options_.anchor));
}

void Jobs::AddReleaseNotices(const service::ExchangeContext& exchange) {
  if (options_.notices.count() <= 0) return;
  loops_.push_back(
      std::make_unique<BackgroundLoop>("release notices", options_.notices, [this, &exchange] {
        auto sweep =
            service::SendReleaseNotices(store_, exchange, policy::DayOfMicros(clock_.NowMicros()));
        if (!sweep.ok()) {
          spdlog::warn("release notices: {}", sweep.status().ToString());
        } else if (sweep->sent > 0) {
          spdlog::info("release notices: {} sent, {} withheld", sweep->sent,
                       sweep->withheld.size());
        }
        return false;
      }));
}

void Jobs::AddHitNoHit(const service::HitNoHitContext& hit_no_hit,
                       service::PartnerIndexes& indexes) {
  hit_no_hit_ = &hit_no_hit;
  partner_indexes_ = &indexes;
  if (options_.publish.count() > 0) {
    loops_.push_back(
        std::make_unique<BackgroundLoop>("index publication", options_.publish, [this] {
          SyncIndexes();
          return false;
        }));
  }
  if (options_.refresh.count() > 0) {
    loops_.push_back(std::make_unique<BackgroundLoop>(
        "partner indexes", options_.refresh,
        [this] {
          if (Status s = partner_indexes_->Refresh(store_); !s.ok()) {
            spdlog::warn("partner indexes: {}", s.ToString());
          }
          return false;
        },
        options_.refresh));
  }
  loops_.push_back(std::make_unique<BackgroundLoop>("index update pruning", options_.prune, [this] {
    auto pruned = service::PruneIndexUpdates(store_, clock_.NowMicros());
    if (!pruned.ok()) {
      spdlog::warn("pruning index updates: {}", pruned.status().ToString());
    } else if (*pruned > 0) {
      spdlog::info("pruned {} index updates done with", *pruned);
    }
    return false;
  }));
}

void Jobs::Start() {
  started_ = true;
  for (auto& loop : loops_) loop->Start();
}

void Jobs::Stop() {
  for (auto& loop : loops_) loop->Stop();
  if (started_ && anchor_keys_ != nullptr) Anchor();  // the head as it stands at the stop
  started_ = false;
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
