#include "pprl/encoded_index.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <sodium.h>

#include "model/entity_io.h"
#include "pprl/encoder.h"
#include "pprl/length_filter.h"
#include "pprl/pprl_testing.h"
#include "synth/population.h"

namespace entente::pprl {
namespace {

using testing::TestKey;

using Population = testing::EncodedPopulation;

// testing::Person under `id`, encoded, as an index entry.
EncodedIndex::Entry EntryOf(const Encoder& encoder, const std::string& id, std::string_view name,
                            std::string_view birth, std::string_view gender) {
  model::Entity entity = testing::Person(name, birth, gender, "");
  entity.id = id;
  return {id, encoder.Encode(entity)};
}

const Population& SharedPopulation() {
  static const Population kPopulation =
      testing::EncodePopulation(Encoder(TestKey(1)), 4000, 20261129);
  return kPopulation;
}

const EncodedIndex& SharedIndex() {
  static const EncodedIndex kIndex = EncodedIndex::Build(TestKey(1), SharedPopulation().watchlist);
  return kIndex;
}

TEST(LengthFilterTest, NeverDropsACodeThatReachesTheThreshold) {
  for (float t : {0.5F, 0.6F, 0.7F, 0.8F, 0.9F, 0.95F, 1.0F}) {
    for (uint32_t a = 0; a <= 400; a += 7) {
      const PopcountRange range = DicePopcountRange(a, t);
      for (uint32_t b = 0; b <= 1024; ++b) {
        const uint32_t best = std::min(a, b);  // the largest possible intersection
        if (DiceFromCounts(best, a, b) >= t && best > 0) {
          ASSERT_TRUE(range.Contains(b)) << "t " << t << " a " << a << " b " << b;
        }
      }
    }
  }
  EXPECT_FALSE(DicePopcountRange(200, 0.8F).Contains(100));
  EXPECT_FALSE(DicePopcountRange(200, 0.8F).Contains(400));
  EXPECT_TRUE(DicePopcountRange(200, 0.0F).Contains(1024));
}

// Query finds what Scan finds, with the same scores, best first.
TEST(EncodedIndexTest, QueryAgreesWithScan) {
  const Population& population = SharedPopulation();
  const EncodedIndex& index = SharedIndex();
  ASSERT_EQ(index.size(), population.watchlist.size());
  const auto hits = index.Query(QueryCode(population.watchlist[10].code), 0.5F);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(index.id(hits[0].index), population.watchlist[10].id);
  EXPECT_GT(hits[0].score, 0.99F);
  size_t both = 0;
  size_t lsh_only = 0;
  size_t scan_only = 0;
  for (size_t q = 0; q < 200; ++q) {
    const QueryCode& query = population.queries[q].code;
    const auto lsh = index.Query(query, 0.5F);
    const auto scan = index.Scan(query, 0.5F);
    for (size_t i = 0; i < lsh.size(); ++i) {
      EXPECT_GE(lsh[i].score, 0.5F);
      const BloomCode& code = index.code(lsh[i].index);
      const RangeLevels levels = CompareQuery(query, code, RangeIntersections(query.code, code),
                                              RangePopcounts(query.code), RangePopcounts(code));
      // The term-frequency adjustment only ever lowers a pair's weight.
      EXPECT_LE(lsh[i].score, static_cast<float>(index.model().MatchProbability(levels)) + 1e-6F);
      if (i > 0) {
        EXPECT_GE(lsh[i - 1].score, lsh[i].score);
      }
      const bool in_scan = std::any_of(scan.begin(), scan.end(),
                                       [&](const IndexHit& h) { return h.index == lsh[i].index; });
      ++(in_scan ? both : lsh_only);
    }
    for (const IndexHit& h : scan) {
      if (std::none_of(lsh.begin(), lsh.end(),
                       [&](const IndexHit& l) { return l.index == h.index; }))
        ++scan_only;
    }
  }
  // The name counts of the adjustment are over the candidates the bands propose (Query) or over
  // every code (Scan): they differ only at distant name levels, so the hits barely do.
  ASSERT_GT(both, 0u);
  EXPECT_LE(lsh_only + scan_only, both / 100 + 1) << both << " " << lsh_only << " " << scan_only;
}

// A name many listed records share weighs less than a rare one (term frequency): the same pair
// of codes scores lower in an index where the name is common.
TEST(EncodedIndexTest, ACommonNameWeighsLess) {
  const EncodingKey key = TestKey(5);
  const Encoder encoder(key);
  auto person = [&](const std::string& id, const std::string& name, const std::string& birth) {
    return EntryOf(encoder, id, name, birth, "");
  };
  std::vector<EncodedIndex::Entry> rare;
  std::vector<EncodedIndex::Entry> common;
  for (int i = 0; i < 400; ++i) {
    const std::string filler = "Filler Person" + std::to_string(i);
    rare.push_back(person("r" + std::to_string(i), filler, "1950-01-01"));
    // The same name as the query, born in other years.
    common.push_back(person("c" + std::to_string(i), i < 40 ? "Mohamed El Amrani" : filler,
                            std::to_string(1950 + i % 40) + "-06-15"));
  }
  rare.push_back(person("target", "Mohamed El Amrani", "1987-03-14"));
  common.push_back(person("target", "Mohamed El Amrani", "1987-03-14"));
  const EncodedIndex rare_index = EncodedIndex::Build(key, rare);
  const EncodedIndex common_index = EncodedIndex::Build(key, common);
  const BloomCode query = person("q", "Mohamed El Amrani", "1987").code;  // the year only
  auto score_of_target = [&](const EncodedIndex& index) {
    for (const IndexHit& h : index.Scan(QueryCode(query), 0.0F)) {
      if (index.id(h.index) == "target") return h.score;
    }
    return -1.0F;
  };
  const float in_rare = score_of_target(rare_index);
  const float in_common = score_of_target(common_index);
  EXPECT_GT(in_rare, 0);
  EXPECT_GT(in_common, 0);
  EXPECT_LT(in_common, in_rare);
}

// A query is one person (Query's one_person): two namesakes it cannot tell apart share its odds;
// two codes of one listed person (the same record twice) do not compete.
TEST(EncodedIndexTest, HitsOfOnePersonCompete) {
  const EncodingKey key = TestKey(6);
  const Encoder encoder(key);
  auto person = [&](const std::string& id, const std::string& name, const std::string& birth) {
    return EntryOf(encoder, id, name, birth, "male");
  };
  std::vector<EncodedIndex::Entry> entries;
  for (int i = 0; i < 200; ++i) {
    entries.push_back(person("f" + std::to_string(i), "Filler Person" + std::to_string(i),
                             std::to_string(1950 + i % 40) + "-06-15"));
  }
  entries.push_back(person("w1", "Romain Moreau", "1976-04-14"));
  entries.push_back(person("w2", "Romain Moreau", "1990-02-02"));
  entries.push_back(person("w3", "Karim Haddouchi", "1985-06-01"));
  entries.push_back(person("w4", "Karim Haddouchi", "1985-06-01"));
  const EncodedIndex index = EncodedIndex::Build(key, entries);
  auto scores = [&](const BloomCode& query, bool one_person) {
    std::map<std::string, float> out;
    for (const IndexHit& h : index.Scan(QueryCode(query), 0.001F, index.model(), one_person)) {
      out[index.id(h.index)] = h.score;
    }
    return out;
  };
  const BloomCode namesake = person("q1", "Romain Moreau", "").code;
  auto alone = scores(namesake, false);
  auto compete = scores(namesake, true);
  ASSERT_TRUE(alone.contains("w1") && alone.contains("w2"));
  ASSERT_TRUE(compete.contains("w1") && compete.contains("w2"));
  EXPECT_LT(compete["w1"], alone["w1"]);
  EXPECT_LT(compete["w2"], alone["w2"]);
  EXPECT_FLOAT_EQ(compete["w1"], compete["w2"]) << "nothing tells them apart";

  const BloomCode twice = person("q2", "Karim Haddouchi", "1985-06-01").code;
  alone = scores(twice, false);
  compete = scores(twice, true);
  ASSERT_TRUE(compete.contains("w3") && compete.contains("w4"));
  EXPECT_NEAR(compete["w3"], alone["w3"], 1e-4) << "one person listed twice";
  EXPECT_NEAR(compete["w4"], alone["w4"], 1e-4);
}

// A listed date that is the query's with day and month swapped or the year one off is found
// through the query's readings (Encoder::EncodeQuery); the bare code misses it, as does a reading
// that is neither.
TEST(EncodedIndexTest, TheQuerysReadingsFindASwappedOrYearOffDate) {
  const EncodingKey key = TestKey(7);
  const Encoder encoder(key);
  std::vector<EncodedIndex::Entry> entries;
  for (int i = 0; i < 300; ++i) {
    entries.push_back(EntryOf(encoder, "f" + std::to_string(i), "Filler Person" + std::to_string(i),
                              std::to_string(1950 + i % 40) + "-06-15", "male"));
  }
  entries.push_back(EntryOf(encoder, "swapped", "Nadia Bouzid", "1991-11-04", "female"));
  entries.push_back(EntryOf(encoder, "later", "Yassine Ait Ali", "1984-07-21", "male"));
  entries.push_back(EntryOf(encoder, "apart", "Pieter Jacobs", "1979-02-20", "male"));
  const EncodedIndex index = EncodedIndex::Build(key, entries);
  auto score = [&](const QueryCode& query, const std::string& id) {
    for (const IndexHit& h : index.Scan(query, 0.001F)) {
      if (index.id(h.index) == id) return h.score;
    }
    return 0.0F;
  };
  auto check = [&](const std::string& name, const std::string& birth, const std::string& id) {
    const model::Entity query = testing::Person(name, birth, "", "");
    return std::pair(score(encoder.EncodeQuery(query), id),
                     score(QueryCode(encoder.Encode(query)), id));
  };
  const auto [swapped, swapped_bare] = check("Nadia Bouzid", "1991-04-11", "swapped");
  EXPECT_GE(swapped, kDefaultScoreThreshold);
  EXPECT_LT(swapped_bare, swapped);
  const auto [later, later_bare] = check("Yassine Ait Ali", "1983-07-21", "later");
  EXPECT_GE(later, kDefaultScoreThreshold);
  EXPECT_LT(later_bare, later);
  const auto [apart, apart_bare] = check("Pieter Jacobs", "1977-02-20", "apart");
  EXPECT_FLOAT_EQ(apart, apart_bare) << "two years apart: no reading applies";
}

// The LSH bands find at least 99% of the pairs that comparing everything finds at the default
// threshold, on a synthetic population of 4000 listed persons and 4000 queries; the figures
// are printed for docs/pprl.md.
TEST(EncodedIndexTest, LshRecallOnSyntheticPopulation) {
  const Population& population = SharedPopulation();
  const EncodedIndex& index = SharedIndex();
  std::map<std::string, uint32_t> position;
  for (uint32_t i = 0; i < index.size(); ++i) position[index.id(i)] = i;
  size_t brute_pairs = 0;
  size_t found_pairs = 0;
  size_t candidates = 0;
  std::set<std::pair<std::string, uint32_t>> found_above;
  for (const auto& query : population.queries) {
    const auto scan = index.Scan(query.code, kDefaultScoreThreshold);
    const auto lsh = index.Query(query.code, kDefaultScoreThreshold);
    candidates += index.CandidateCount(query.code.code);
    brute_pairs += scan.size();
    found_pairs += lsh.size();
    for (const auto& hit : scan) found_above.insert({query.id, hit.index});
  }
  size_t truth_above = 0;
  for (const auto& [query_id, match_id] : population.truth) {
    if (found_above.count({query_id, position.at(match_id)}) != 0) ++truth_above;
  }
  const double recall = static_cast<double>(found_pairs) / static_cast<double>(brute_pairs);
  std::printf(
      "[ pprl     ] %zu listed, %zu queries, threshold %.2f, scheme %u, %u bands x %u rows: brute "
      "force "
      "%zu pairs, LSH %zu (recall %.4f), %.0f candidates a query (%.2f%% of the index); "
      "true pairs at or above the threshold: %zu of %zu\n",
      index.size(), population.queries.size(), kDefaultScoreThreshold,
      static_cast<uint32_t>(index.lsh_options().scheme), index.lsh_options().bands,
      index.lsh_options().rows, brute_pairs, found_pairs, recall,
      static_cast<double>(candidates) / static_cast<double>(population.queries.size()),
      100.0 * static_cast<double>(candidates) /
          static_cast<double>(population.queries.size() * index.size()),
      truth_above, population.truth.size());
  // Precision and recall of the encoded score against the truth, at a few thresholds.
  std::set<std::pair<std::string, std::string>> truth(population.truth.begin(),
                                                      population.truth.end());
  for (float t : {0.1F, 0.3F, 0.5F, 0.7F, 0.9F}) {
    size_t predicted = 0;
    size_t correct = 0;
    for (const auto& query : population.queries) {
      for (const auto& hit : index.Scan(query.code, t)) {
        ++predicted;
        correct += truth.count({query.id, index.id(hit.index)});
      }
    }
    std::printf("[ pprl     ] threshold %.2f: %zu pairs, precision %.3f, recall %.3f\n", t,
                predicted, static_cast<double>(correct) / static_cast<double>(predicted),
                static_cast<double>(correct) / static_cast<double>(truth.size()));
  }
  ASSERT_GT(brute_pairs, 1000U);
  EXPECT_GE(recall, 0.995);
}

// One index answers two threads at once with what it answers one (run under TSan by the tsan
// preset).
TEST(EncodedIndexTest, ConcurrentQueriesAgree) {
  const Population& population = SharedPopulation();
  const EncodedIndex& index = SharedIndex();
  std::vector<size_t> expected;
  for (size_t q = 0; q < 400; ++q)
    expected.push_back(index.Query(population.queries[q].code).size());
  std::vector<size_t> seen_a(expected.size());
  std::vector<size_t> seen_b(expected.size());
  std::thread other([&] {
    for (size_t q = 0; q < expected.size(); ++q) {
      seen_b[q] = index.Query(population.queries[q].code).size();
    }
  });
  for (size_t q = 0; q < expected.size(); ++q) {
    seen_a[q] = index.Query(population.queries[q].code).size();
  }
  other.join();
  EXPECT_EQ(seen_a, expected);
  EXPECT_EQ(seen_b, expected);
}

TEST(EncodedIndexTest, SerializationRoundTrip) {
  const EncodedIndex& index = SharedIndex();
  const std::string bytes = index.Serialize();
  auto loaded = EncodedIndex::Deserialize(bytes, TestKey(1));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), index.size());
  EXPECT_EQ(loaded->key_version(), 1U);
  for (uint32_t i = 0; i < index.size(); ++i) {
    ASSERT_EQ(loaded->id(i), index.id(i));
    ASSERT_EQ(loaded->code(i), index.code(i));
  }
  const QueryCode& query = SharedPopulation().queries[3].code;
  const auto a = index.Query(query, 0.1F);
  const auto b = loaded->Query(query, 0.1F);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].index, b[i].index);
    EXPECT_EQ(a[i].score, b[i].score);
  }
  EXPECT_EQ(loaded->Serialize(), bytes);
  // An empty index round-trips too.
  const EncodedIndex empty = EncodedIndex::Build(TestKey(1), {});
  auto loaded_empty = EncodedIndex::Deserialize(empty.Serialize(), TestKey(1));
  ASSERT_TRUE(loaded_empty.ok()) << loaded_empty.status().ToString();
  EXPECT_EQ(loaded_empty->size(), 0U);
}

// Rewrites the checksum so that a structural fault is reported as itself.
std::string Reseal(std::string bytes) {
  bytes.resize(bytes.size() - 32);
  std::array<uint8_t, 32> checksum{};
  crypto_generichash_blake2b(checksum.data(), checksum.size(),
                             reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                             nullptr, 0);
  bytes.append(reinterpret_cast<const char*>(checksum.data()), checksum.size());
  return bytes;
}

void PutU32At(std::string& bytes, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Each corruption is refused with a message that names it.
TEST(EncodedIndexTest, CorruptedInputIsRejected) {
  std::vector<EncodedIndex::Entry> entries = {{"ref-1", SharedPopulation().watchlist[0].code},
                                              {"ref-2", SharedPopulation().watchlist[1].code}};
  const std::string good = EncodedIndex::Build(TestKey(1), entries).Serialize();
  // Header: magic 0..8, format 8, key version 12, scheme 16, bands 20, rows 24, count 28..36,
  // then ids.
  struct Case {
    std::string name;
    std::string bytes;
    StatusCode code;
    std::string fragment;
  };
  std::vector<Case> cases;
  cases.push_back({"empty", "", StatusCode::kInvalidArgument, "truncated"});
  cases.push_back(
      {"truncated", good.substr(0, good.size() - 100), StatusCode::kInvalidArgument, "checksum"});
  std::string magic = good;
  magic[0] = 'X';
  cases.push_back({"magic", magic, StatusCode::kInvalidArgument, "bad magic"});
  std::string flipped = good;
  flipped[good.size() - 40] ^= 1;
  cases.push_back({"flipped code bit", flipped, StatusCode::kInvalidArgument, "checksum"});
  std::string format = good;
  PutU32At(format, 8, 9);
  cases.push_back({"format", Reseal(format), StatusCode::kInvalidArgument, "format version 9"});
  std::string key_version = good;
  PutU32At(key_version, 12, 7);
  cases.push_back(
      {"key version", Reseal(key_version), StatusCode::kFailedPrecondition, "key version 7"});
  std::string bands = good;
  PutU32At(bands, 20, 0);
  cases.push_back({"bands", Reseal(bands), StatusCode::kInvalidArgument, "LSH options"});
  std::string count = good;
  PutU32At(count, 28, 1000000);
  cases.push_back({"count", Reseal(count), StatusCode::kInvalidArgument, "count 1000000"});
  std::string fewer = good;
  PutU32At(fewer, 28, 1);
  cases.push_back({"count too small", Reseal(fewer), StatusCode::kInvalidArgument, "codes take"});
  std::string empty_id = good;
  empty_id[36] = 0;
  cases.push_back(
      {"empty id", Reseal(empty_id), StatusCode::kInvalidArgument, "length 0 (expected 1"});
  std::string duplicate = good;
  duplicate[36 + 2 + 4] = '2';  // ref-1 -> ref-2
  cases.push_back({"duplicate id", Reseal(duplicate), StatusCode::kInvalidArgument, "duplicate"});
  std::string trailing = good.substr(0, good.size() - 32) + "x";
  cases.push_back({"trailing", Reseal(trailing + std::string(32, '\0')),
                   StatusCode::kInvalidArgument, "codes take"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto loaded = EncodedIndex::Deserialize(c.bytes, TestKey(1));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), c.code);
    EXPECT_NE(loaded.status().message().find(c.fragment), std::string::npos)
        << loaded.status().message();
  }
  EXPECT_TRUE(EncodedIndex::Deserialize(good, TestKey(1)).ok());
}

}  // namespace
}  // namespace entente::pprl
