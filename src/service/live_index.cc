#include "service/live_index.h"

#include <algorithm>

#include "match/identity.h"
#include "match/training.h"

namespace entente::service {
namespace {

constexpr int kPage = 2048;

// Per-thread working memory of the screeners, reused between calls.
class ScratchPool {
 public:
  std::unique_ptr<match::Screener::Scratch> Take() {
    MutexLock lock(&mutex_);
    if (free_.empty()) return std::make_unique<match::Screener::Scratch>();
    auto scratch = std::move(free_.back());
    free_.pop_back();
    return scratch;
  }
  void Give(std::unique_ptr<match::Screener::Scratch> scratch) {
    MutexLock lock(&mutex_);
    free_.push_back(std::move(scratch));
  }

 private:
  Mutex mutex_;
  std::vector<std::unique_ptr<match::Screener::Scratch>> free_ GUARDED_BY(mutex_);
};

bool Screenable(const store::Subject& subject) {
  return subject.state == store::SubjectState::kActive;
}

}  // namespace

struct LiveIndex::Snapshot {
  // The base: built from the whole store; never changes. Its ids, and the working memory of its
  // screener, are shared by every snapshot over it.
  std::shared_ptr<const match::CandidateIndex> base;
  std::shared_ptr<const match::Screener> base_screener;
  std::shared_ptr<const std::unordered_set<std::string>> base_ids;
  std::shared_ptr<ScratchPool> base_scratch = std::make_shared<ScratchPool>();
  size_t hidden = 0;  // ids of the base in `touched`
  match::FsModel model;
  // Written since the base: the latest identity of each (absent when deleted or not active).
  std::unordered_map<std::string, match::Identity> recent;
  std::unordered_set<std::string> touched;  // every id written since the base
  std::unique_ptr<match::CandidateIndex> overlay;
  std::unique_ptr<match::Screener> overlay_screener;
  size_t active = 0;
  int64_t seq = 0;
  mutable ScratchPool overlay_scratch;
};

Result<std::unique_ptr<LiveIndex>> LiveIndex::Open(const store::StoreReader& store,
                                                   const LiveIndexOptions& options) {
  std::unique_ptr<LiveIndex> index(new LiveIndex(store, options));
  int64_t seq = 0;
  ENTENTE_ASSIGN_OR_RETURN(auto snapshot, index->BuildBase(&seq));
  {
    MutexLock lock(&index->mutex_);
    index->snapshot_ = std::move(snapshot);
  }
  ENTENTE_RETURN_IF_ERROR(index->CatchUp());
  return index;
}

Result<std::shared_ptr<const LiveIndex::Snapshot>> LiveIndex::BuildBase(int64_t* seq) const {
  // The feed position first: a write committed while the subjects are read is then applied
  // again by CatchUp, which is harmless, rather than missed.
  ENTENTE_ASSIGN_OR_RETURN(*seq, store_.subjects().LastChangeSeq());
  std::vector<match::Identity> identities;
  std::string after;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(store::SubjectPage page, store_.subjects().List(after, kPage));
    for (const auto& subject : page.subjects) {
      if (Screenable(subject)) identities.push_back(match::CompileIdentity(subject.entity));
    }
    if (page.next_after.empty()) break;
    after = page.next_after;
  }
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->model = match::AdaptToWatchlist(options_.model, identities);
  snapshot->base = std::make_shared<const match::CandidateIndex>(
      match::CandidateIndex::Build(std::move(identities), options_.threads));
  snapshot->base_screener =
      std::make_shared<const match::Screener>(*snapshot->base, snapshot->model);
  auto ids = std::make_shared<std::unordered_set<std::string>>();
  ids->reserve(snapshot->base->size());
  for (const auto& identity : snapshot->base->identities()) ids->insert(identity.id);
  snapshot->base_ids = std::move(ids);
  snapshot->active = snapshot->base->size();
  snapshot->seq = *seq;
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

std::shared_ptr<const LiveIndex::Snapshot> LiveIndex::Current() const {
  MutexLock lock(&mutex_);
  return snapshot_;
}

Status LiveIndex::CatchUp() {
  MutexLock serial(&catch_up_mutex_);
  return CatchUpLocked(/*may_rebuild=*/true);
}

Status LiveIndex::CatchUpSoon() {
  if (options_.clock != nullptr && options_.min_interval_micros > 0 &&
      options_.clock->MonotonicMicros() - last_catch_up_micros_.load() <
          options_.min_interval_micros) {
    return Status::Ok();
  }
  if (catching_up_.exchange(true)) return Status::Ok();  // another request is at it
  Status status = CatchUp();
  catching_up_ = false;
  return status;
}

Status LiveIndex::CatchUpLocked(bool may_rebuild) {
  if (options_.clock != nullptr) last_catch_up_micros_ = options_.clock->MonotonicMicros();
  std::shared_ptr<const Snapshot> current = Current();
  int64_t seq = current->seq;
  std::vector<store::Change> changes;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(auto page, store_.subjects().ChangesSince(seq, kPage));
    if (page.empty()) break;
    seq = page.back().seq;
    changes.insert(changes.end(), page.begin(), page.end());
  }
  if (changes.empty()) return Status::Ok();

  std::unordered_set<std::string> ids;
  for (const auto& change : changes) ids.insert(change.subject_id);
  if (may_rebuild && current->touched.size() + ids.size() > options_.rebuild_after) {
    int64_t base_seq = 0;
    ENTENTE_ASSIGN_OR_RETURN(auto rebuilt, BuildBase(&base_seq));
    {
      MutexLock lock(&mutex_);
      snapshot_ = std::move(rebuilt);
    }
    return CatchUpLocked(/*may_rebuild=*/false);
  }

  auto next = std::make_shared<Snapshot>();
  next->base = current->base;
  next->base_screener = current->base_screener;
  next->base_ids = current->base_ids;
  next->base_scratch = current->base_scratch;
  next->hidden = current->hidden;
  next->model = current->model;
  next->recent = current->recent;
  next->touched = current->touched;
  next->seq = seq;
  for (const std::string& id : ids) {
    if (next->touched.insert(id).second && next->base_ids->count(id) != 0) ++next->hidden;
    next->recent.erase(id);
    Result<store::Subject> subject = store_.subjects().Get(id);
    if (!subject.ok() && subject.status().code() != StatusCode::kNotFound) {
      return subject.status();
    }
    if (subject.ok() && Screenable(*subject)) {
      next->recent.emplace(id, match::CompileIdentity(subject->entity));
    }
  }
  std::vector<match::Identity> overlay;
  overlay.reserve(next->recent.size());
  for (const auto& [id, identity] : next->recent) overlay.push_back(identity);
  next->overlay =
      std::make_unique<match::CandidateIndex>(match::CandidateIndex::Build(std::move(overlay), 1));
  next->active = next->base->size() - next->hidden + next->overlay->size();
  const double collision = next->base->size() >= match::Screener::kMinListedForNameFrequency
                               ? next->base->NameCollisionProbability()
                               : 0;
  next->overlay_screener = std::make_unique<match::Screener>(
      *next->overlay, next->model, static_cast<double>(std::max<size_t>(1, next->active)),
      collision);
  MutexLock lock(&mutex_);
  snapshot_ = std::move(next);
  return Status::Ok();
}

std::vector<LiveHit> LiveIndex::Screen(const model::Entity& query,
                                       const match::ScreenOptions& options) const {
  const std::shared_ptr<const Snapshot> snapshot = Current();
  const match::Identity identity = match::CompileIdentity(query);
  std::vector<LiveHit> hits;
  auto collect = [&](const match::Screener& screener, const match::CandidateIndex& index,
                     ScratchPool& pool, bool skip_touched) {
    auto scratch = pool.Take();
    for (const auto& m : screener.Screen(identity, options, *scratch)) {
      const std::string& id = index.identity(m.index).id;
      if (skip_touched && snapshot->touched.count(id) != 0) continue;
      hits.push_back({id, m.probability, screener.model().Explain(m.comparison), m.comparison});
    }
    pool.Give(std::move(scratch));
  };
  collect(*snapshot->base_screener, *snapshot->base, *snapshot->base_scratch, true);
  if (snapshot->overlay_screener) {
    collect(*snapshot->overlay_screener, *snapshot->overlay, snapshot->overlay_scratch, false);
  }
  std::sort(hits.begin(), hits.end(), [](const LiveHit& a, const LiveHit& b) {
    return a.probability > b.probability ||
           (a.probability == b.probability && a.subject_id < b.subject_id);
  });
  return hits;
}

size_t LiveIndex::size() const { return Current()->active; }
int64_t LiveIndex::seq() const { return Current()->seq; }

}  // namespace entente::service
