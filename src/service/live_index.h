#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/result.h"
#include "match/candidate_index.h"
#include "match/fs_model.h"
#include "match/screener.h"
#include "model/entity.h"
#include "store/store.h"

namespace entente::service {

struct LiveIndexOptions {
  match::FsModel model = match::DefaultModel();
  // Recent writes are screened from a small overlay index; past this many, the whole index is
  // rebuilt from the store.
  size_t rebuild_after = 4096;
  int threads = 2;
  // CatchUpSoon reads the change feed at most this often (monotonic time of `clock`); 0: always.
  const Clock* clock = nullptr;
  int64_t min_interval_micros = 50'000;
};

// One subject found by screening the live register.
struct LiveHit {
  std::string subject_id;
  double probability = 0;
  std::string explanation;  // FsModel::Explain of the pair
  match::Comparison comparison;
};

// The candidate index of a node's register that follows its writes without a restart: a base
// index built from the store, an overlay of the subjects written since (read from the store's
// change feed), and the ids of the base the overlay supersedes or that were deleted, restricted
// or erased. Restricted and erased subjects are never screened. Thread-safe: screening reads an
// immutable snapshot; CatchUp swaps in a new one.
class LiveIndex {
 public:
  // Builds the index of every active subject of `store`. `store` must outlive the index.
  static Result<std::unique_ptr<LiveIndex>> Open(const store::StoreReader& store,
                                                 const LiveIndexOptions& options);

  // Reads the change feed past the last change seen and applies it (rebuilding the base when
  // the overlay has grown past options.rebuild_after). Fails with the store's error and then
  // keeps the previous snapshot.
  Status CatchUp();

  // CatchUp for a screening request: skipped when one ran less than
  // options.min_interval_micros ago or is running now, so that concurrent requests do not queue
  // behind the change feed. Writes of other processes show within that interval; a process
  // calls CatchUp after its own writes.
  Status CatchUpSoon();

  // Screens one record against the register as of the last CatchUp, best first.
  std::vector<LiveHit> Screen(const model::Entity& query,
                              const match::ScreenOptions& options) const;

  // Active subjects screened, and the last change applied.
  size_t size() const;
  int64_t seq() const;

 private:
  struct Snapshot;
  LiveIndex(const store::StoreReader& store, const LiveIndexOptions& options)
      : store_(store), options_(options) {}
  Result<std::shared_ptr<const Snapshot>> BuildBase(int64_t* seq) const;
  std::shared_ptr<const Snapshot> Current() const;
  // CatchUp with catch_up_mutex_ held; rebuilds at most once.
  Status CatchUpLocked(bool may_rebuild);

  const store::StoreReader& store_;
  const LiveIndexOptions options_;
  mutable Mutex mutex_;
  // Shared: a screening call keeps the snapshot it started with while CatchUp swaps in the next.
  std::shared_ptr<const Snapshot> snapshot_ GUARDED_BY(mutex_);
  Mutex catch_up_mutex_;  // one CatchUp at a time
  std::atomic<int64_t> last_catch_up_micros_{INT64_MIN / 2};
  std::atomic<bool> catching_up_{false};
};

}  // namespace entente::service
