// The hit/no-hit check as a node runs it (service::CheckPartnerIndexes): one record against the
// encoded indexes of four partners of N identities each (default 1M), held in memory by
// service::PartnerIndexes after arriving as index updates through the store (ApplyIndexUpdate,
// 4,096 entries a transaction, as the inbox applies them). Each check encodes the record,
// queries the four indexes on two threads, and records, notifies and audits its hits in one
// SQLite transaction. Prints the latency percentiles of the whole check, and of the four queries
// alone.
//
// Usage: hit_no_hit_bench [--persons N] [--checks C]
// The four partners hold the same synthetic population (separate copies in memory, under their
// own references); the queries are that population's noisy queries, so about half are hits.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "federation/index_update.h"
#include "federation/testing.h"
#include "model/entity_io.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "service/hit_no_hit.h"
#include "service/partner_indexes.h"
#include "service/partner_screening.h"
#include "store/test_backends.h"
#include "synth/population.h"

namespace entente {
namespace {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

int Run(uint64_t persons, size_t checks) {
  const pprl::EncodingKey key = federation::NewEncodingKey(1);
  const pprl::Encoder encoder(key);
  auto start = std::chrono::steady_clock::now();
  struct Population {
    std::vector<pprl::EncodedIndex::Entry> watchlist;
    std::vector<model::Entity> query_entities;
  } population;
  {
    std::vector<model::Entity> listed;
    model::VectorEntityWriter listed_writer(&listed);
    model::VectorEntityWriter query_writer(&population.query_entities);
    std::ostringstream truth;
    synth::SynthOptions options;
    options.persons = persons;
    options.queries = std::min<uint64_t>(persons, 5000);
    options.seed = 1;
    synth::SynthSinks sinks;
    sinks.watchlist = &listed_writer;
    sinks.queries = &query_writer;
    sinks.truth = &truth;
    if (Status s = synth::WritePopulation(options, sinks); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    population.watchlist.reserve(listed.size());
    for (const auto& e : listed) population.watchlist.push_back({e.id, encoder.Encode(e)});
  }
  std::printf("encoded %zu listed, %zu queries: %.1f s\n", population.watchlist.size(),
              population.query_entities.size(),
              Ms(std::chrono::steady_clock::now() - start) / 1000);

  const Clock& clock = SystemClock();
  std::string dir;
  auto opened = store::OpenTestStore(store::TestBackend::kSqlite, clock, &dir);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  store::Store& store = **opened;
  const federation::NodeKeys keys = federation::testing::MakeKeys("FR");
  const std::vector<std::string> partners = {"BE", "ES", "MA", "NL"};
  policy::SharingRules rules;
  rules.mode = policy::SharingMode::kHitNoHitOnly;
  rules.categories = {model::Category::kTerrorismConvict};
  for (const std::string& cc : partners) {
    const federation::NodeKeys partner = federation::testing::MakeKeys(cc);
    Status put = store.Write([&](store::WriteTxn& t) {
      return t.partners().Put(federation::testing::PartnerOf(partner, rules));
    });
    if (!put.ok()) {
      std::fprintf(stderr, "%s\n", put.ToString().c_str());
      return 1;
    }
  }

  // Each partner's index arrives as one generation of updates.
  start = std::chrono::steady_clock::now();
  for (const std::string& cc : partners) {
    federation::IndexUpdate update;
    update.key_version = key.version;
    update.generation = 1;
    update.sequence = 1;
    update.reset = true;
    const auto& listed = population.watchlist;
    for (size_t at = 0; at < listed.size(); at += federation::kMaxIndexUpdateEntries) {
      const size_t end = std::min(listed.size(), at + federation::kMaxIndexUpdateEntries);
      update.upserts.clear();
      for (size_t i = at; i < end; ++i) {
        update.upserts.push_back(
            {federation::NewIndexReference(), cc + "/intelligence", listed[i].code});
      }
      update.complete = end == listed.size();
      federation::Message m;
      m.id = federation::NewMessageId();
      m.index_update = federation::SerializeIndexUpdate(update);
      Status applied = store.Write([&](store::WriteTxn& t) {
        return service::ApplyIndexUpdate(t, m, cc, clock.NowMicros());
      });
      if (!applied.ok()) {
        std::fprintf(stderr, "%s\n", applied.ToString().c_str());
        return 1;
      }
      update.reset = false;
      ++update.sequence;
    }
  }
  std::printf("4 partner indexes of %zu applied through the store: %.1f s\n",
              population.watchlist.size(), Ms(std::chrono::steady_clock::now() - start) / 1000);
  start = std::chrono::steady_clock::now();
  service::PartnerIndexes indexes(key);
  if (Status s = indexes.Refresh(store); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("loaded and indexed in memory: %.1f s\n",
              Ms(std::chrono::steady_clock::now() - start) / 1000);

  service::HitNoHitContext hnh{{&keys, &clock, {}}, &encoder};
  service::Caller caller;
  policy::UserFields user{"analyst@FR", "FR/police", "analyst", "consult_and_feed", ""};
  caller.principal = *policy::BuildPrincipal(user);
  caller.context.node_country = "FR";
  caller.context.today = model::PartialDate::Day(2026, 11, 30);
  caller.context.justification = "benchmark of the hit/no-hit check";

  std::vector<double> whole;
  std::vector<double> queries_only;
  size_t hits = 0;
  const auto snapshot = indexes.Snapshot();
  for (size_t c = 0; c < checks; ++c) {
    const model::Entity query = population.query_entities[c % population.query_entities.size()];
    const auto t0 = std::chrono::steady_clock::now();
    auto check = service::CheckPartnerIndexes(store, hnh, indexes, caller, query);
    const auto t1 = std::chrono::steady_clock::now();
    if (!check.ok()) {
      std::fprintf(stderr, "%s\n", check.status().ToString().c_str());
      return 1;
    }
    hits += check->hits.size();
    whole.push_back(Ms(t1 - t0));
    // The four queries alone, as in the check (two threads).
    const pprl::QueryCode code = encoder.EncodeQuery(query);
    const auto q0 = std::chrono::steady_clock::now();
    std::thread other([&] {
      for (size_t p = 1; p < snapshot.size(); p += 2) (void)snapshot[p]->index.Query(code);
    });
    for (size_t p = 0; p < snapshot.size(); p += 2) (void)snapshot[p]->index.Query(code);
    other.join();
    queries_only.push_back(Ms(std::chrono::steady_clock::now() - q0));
  }
  std::printf(
      "check of one record against 4 x %zu (encode, 4 queries on 2 threads, record + notify + "
      "audit): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; %.2f hits a check\n",
      population.watchlist.size(), Percentile(whole, 0.5), Percentile(whole, 0.9),
      Percentile(whole, 0.99), Percentile(whole, 1.0),
      static_cast<double>(hits) / static_cast<double>(checks));
  std::printf("the 4 queries alone: p50 %.2f ms, p99 %.2f ms\n", Percentile(queries_only, 0.5),
              Percentile(queries_only, 0.99));
  opened->reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace entente

int main(int argc, char** argv) {
  uint64_t persons = 1'000'000;
  size_t checks = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--persons") persons = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--checks") checks = std::strtoull(argv[i + 1], nullptr, 10);
  }
  return entente::Run(persons, checks);
}
