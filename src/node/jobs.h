#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/background_loop.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "federation/delivery.h"
#include "federation/keys.h"
#include "service/exchange.h"
#include "service/hit_no_hit.h"
#include "service/owner_answers.h"
#include "service/partner_indexes.h"
#include "store/leadership.h"
#include "store/store.h"

namespace entente::node {

// How often each background job of a running node runs.
struct JobOptions {
  // The retention sweep runs once a day: checked this often, the first check this long after
  // start (the day it last ran is kept in the store, so restarts neither skip nor repeat a day).
  std::chrono::microseconds retention_check = std::chrono::hours(1);
  std::chrono::microseconds retention_first = std::chrono::minutes(5);
  // Signed anchors of the audit log's head (and one more when the node stops).
  std::chrono::microseconds anchor = std::chrono::minutes(10);
  // Release notices to partners (0: never).
  std::chrono::microseconds notices = std::chrono::hours(1);
  // Hit/no-hit: our index published to partners, theirs reloaded when changed, index updates
  // done with pruned (0: never, for the first two).
  std::chrono::microseconds publish = std::chrono::seconds(60);
  std::chrono::microseconds refresh = std::chrono::seconds(2);
  std::chrono::microseconds prune = std::chrono::hours(1);
  // Replicas: how often a replica that does not lead tries to take the lead, and the leader
  // checks it still holds it.
  std::chrono::microseconds leader_check = std::chrono::seconds(2);
};

// The background work of a running node, each job on a BackgroundLoop of its own: the daily
// retention sweep always; delivery, audit anchoring, release notices and hit/no-hit's
// publication when the node has what they need (added by the Add* calls before Start). Errors
// are logged and retried at the next turn: a job never stops the node.
//
// Several processes may serve one store (replicas over one PostgreSQL database): every replica
// answers the API and reloads partners' indexes, but the jobs that write for the node as a
// whole (delivery, sweeps, notices, index publication, anchoring) run only on the replica that
// holds `leadership`, checked every options.leader_check; when the leader dies its lock goes and
// another replica takes the jobs over at its next check.
class Jobs {
 public:
  // `leadership` null: this process always leads (one process, or tests).
  Jobs(store::Store& store, const Clock& clock, std::string country, JobOptions options = {},
       std::unique_ptr<store::Leadership> leadership = nullptr);
  ~Jobs();
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Signed anchors of the audit log in `anchors_path` (service::AnchorAuditLog).
  void AddAuditAnchoring(const federation::NodeKeys& keys, std::string anchors_path);
  // Release notices to partners (service::SendReleaseNotices).
  void AddReleaseNotices(const service::ExchangeContext& exchange);
  // Index publication, partners' indexes, pruning of index updates.
  // `owner_indexes` (may be null): the indexes kept for partners whose checks are answered here,
  // reloaded with the partners' own.
  void AddHitNoHit(const service::HitNoHitContext& hit_no_hit, service::PartnerIndexes& indexes,
                   service::OwnerIndexes* owner_indexes = nullptr);

  // The outbox's delivery, started and stopped with the lead.
  void AddDelivery(federation::Deliverer& deliverer);

  // Takes the lead if it is free (or checks it is still held), then starts every job.
  void Start();
  // Stops every job (the turn in progress finishes), then anchors the log once more.
  void Stop();

  // Publishes our index to partners and reloads theirs, now.
  void SyncIndexes();
  // Runs the retention sweep if it has not run today; true when it ran.
  bool SweepRetentionOncePerDay();

  // Whether this process leads the node's jobs (as of the last check).
  bool leading() const { return leading_.load(); }
  // Takes the lead if free, or checks it is still held; starts or stops the leader's work on a
  // change. Called every options.leader_check once started.
  void CheckLeadership();

 private:
  void Anchor();
  // A loop that runs `pass` only while this process leads.
  void AddLeaderLoop(std::string name, std::chrono::microseconds period, std::function<void()> pass,
                     std::chrono::microseconds first_delay = std::chrono::microseconds(0));

  store::Store& store_;
  const Clock& clock_;
  const std::string country_;
  const JobOptions options_;
  // Set once, when the federation starts; read by the loops (the daily sweep too).
  std::atomic<const federation::NodeKeys*> anchor_keys_{nullptr};
  std::string anchors_path_;
  void RefreshOwnerIndexes();

  const service::HitNoHitContext* hit_no_hit_ = nullptr;
  service::PartnerIndexes* partner_indexes_ = nullptr;
  service::OwnerIndexes* owner_indexes_ = nullptr;
  Mutex sync_mutex_;  // one SyncIndexes at a time
  std::vector<std::unique_ptr<BackgroundLoop>> loops_;
  std::vector<BackgroundLoop*> leader_loops_;      // of loops_
  std::unique_ptr<store::Leadership> leadership_;  // used by CheckLeadership only
  Mutex leadership_mutex_;                         // one CheckLeadership at a time
  federation::Deliverer* deliverer_ = nullptr;
  std::atomic<bool> leading_{false};
  std::unique_ptr<BackgroundLoop> leadership_loop_;
  bool started_ = false;
};

}  // namespace entente::node
