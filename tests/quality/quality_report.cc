// Prints the quality figures of the matching engine on every data set: precision, recall, F1
// (overall and per slice), candidate recall, and timing.
// Usage: quality_report [PUBLIC_DATA_DIR [synth|hard|scale|febrl4|febrl3|fake1000]];
// ENTENTE_QUALITY_DEBUG=N prints N misses and N false hits with their explanations;
// ENTENTE_QUALITY_ENCODED=1 adds the figures of screening on encodings only (screen --encoded)
// under a fixed test key; ENTENTE_QUALITY_RELIABILITY=1 a reliability diagram (ScoreDeciles).

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "datasets.h"

namespace {

void Print(const entente::quality::LinkageTask& task, const entente::quality::TaskResult& r) {
  std::printf(
      "%s: %zu listed, %zu queries, %zu true pairs; candidate recall %.4f (%.1f candidates/query); "
      "index %.2f s, screening %.2f s\n",
      task.name.c_str(), task.watchlist.size(), task.queries.size(), task.truth.size(),
      r.candidate_recall, r.mean_candidates, r.index_seconds, r.screen_seconds);
  for (int i = 0; i < entente::match::kSliceCount; ++i) {
    const auto& s = r.scores[static_cast<size_t>(i)];
    if (s.truth == 0 && s.predicted == 0) continue;
    std::printf(
        "  %-14s precision=%.4f recall=%.4f f1=%.4f (tp=%lld predicted=%lld true=%lld)\n",
        std::string(entente::match::SliceName(static_cast<entente::match::Slice>(i))).c_str(),
        s.precision(), s.recall(), s.f1(), static_cast<long long>(s.true_positives),
        static_cast<long long>(s.predicted), static_cast<long long>(s.truth));
  }
  if (task.deduplicate) {
    const auto& c = r.clusters;
    std::printf(
        "  clusters       %lld of %lld true clusters recovered exactly (%lld predicted); pairs "
        "after closure precision=%.4f recall=%.4f f1=%.4f\n",
        static_cast<long long>(c.exact), static_cast<long long>(c.true_clusters),
        static_cast<long long>(c.predicted_clusters), c.pairs.precision(), c.pairs.recall(),
        c.pairs.f1());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string data = argc > 1 ? argv[1] : ENTENTE_PUBLIC_DATA_DIR;
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto model = entente::match::DefaultModel();
  const entente::match::ScreenOptions options;
  // ENTENTE_QUALITY_ENCODED=1 also screens each data set on encodings (screen --encoded).
  const bool encoded = std::getenv("ENTENTE_QUALITY_ENCODED") != nullptr;
  entente::pprl::EncodingKey key;
  key.version = 1;
  for (size_t i = 0; i < key.secret.size(); ++i) key.secret[i] = static_cast<uint8_t>(i * 37 + 11);
  int failures = 0;
  auto run = [&](entente::Result<entente::quality::LinkageTask> task) {
    if (!task.ok()) {
      std::fprintf(stderr, "%s\n", task.status().ToString().c_str());
      ++failures;
      return;
    }
    Print(*task, entente::quality::RunTask(*task, model, options, threads));
    if (std::getenv("ENTENTE_QUALITY_RELIABILITY") != nullptr) {
      std::printf("  reliability (ranked candidates by score, share of true pairs):\n");
      const auto deciles = entente::quality::ScoreDeciles(*task, model, threads);
      for (size_t b = 0; b < deciles.size(); ++b) {
        const auto& d = deciles[b];
        std::printf(
            "    %.1f-%.1f  %8lld pairs  %6.3f true\n", static_cast<double>(b) / 10,
            static_cast<double>(b + 1) / 10, static_cast<long long>(d.pairs),
            d.pairs > 0 ? static_cast<double>(d.true_pairs) / static_cast<double>(d.pairs) : 0.0);
      }
    }
    if (encoded) {
      task->name += " (encoded)";
      Print(*task, entente::quality::RunEncodedTask(*task, key, threads));
    }
  };
  const std::string only = argc > 2 ? argv[2] : "";
  auto want = [&](const char* name) { return only.empty() || only == name; };
  if (only == "train") run(entente::quality::Synthetic(20000, 99));
  if (want("synth")) run(entente::quality::Synthetic(20000, 1));
  if (want("synth")) run(entente::quality::Synthetic(20000, 2));
  if (only == "synth7") run(entente::quality::Synthetic(20000, 7));
  if (only == "scale") run(entente::quality::Synthetic(200000, 1));
  for (uint64_t seed : {3, 4}) {
    if (only == "hard") run(entente::quality::Synthetic(20000, seed, true));
  }
  if (want("febrl4")) run(entente::quality::FebrlLinkage(data + "/febrl"));
  if (want("febrl3")) run(entente::quality::FebrlDeduplication(data + "/febrl"));
  if (want("fake1000")) run(entente::quality::Fake1000(data + "/splink/fake_1000.csv"));
  return failures == 0 ? 0 : 1;
}
