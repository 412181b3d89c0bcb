#include "match/screener.h"

#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "common/random.h"
#include "common/testing.h"
#include "match/identity.h"
#include "model/csv_row_reader.h"

namespace entente::match {
namespace {

// Splink's fake_1000 as identities: names with typos, dates of birth, e-mails; some listed twice
// or more (its clusters). A small real-shaped watchlist for checking the screener's invariants.
std::vector<Identity> Fake1000() {
  const std::string path = entente::testing::SharedDataPath("splink/fake_1000.csv");
  std::ifstream in(path, std::ios::binary);
  model::CsvRowReader reader(in, path);
  model::Problems problems;
  std::vector<Identity> out;
  Rng rng(7);
  bool header = true;
  while (reader.Next({}, &problems) == model::CsvRowReader::Outcome::kRow) {
    if (reader.blank()) continue;
    if (header) {
      header = false;
      continue;
    }
    auto cell = [&](size_t i) { return reader.fields()[i].text; };
    model::Entity e;
    e.id = cell(0);
    e.schema = model::Schema::kPerson;
    const std::string name = cell(1) + " " + cell(2);
    if (name.size() > 1) e.Add("name", name);
    if (!cell(3).empty()) e.Add("birthDate", cell(3));
    if (!cell(5).empty()) e.Add("email", cell(5));
    // Fields fake_1000 lacks, drawn at random so that every bound of the screener is exercised.
    if (rng.Below(3) != 0) e.Add("gender", rng.Below(2) == 0 ? "male" : "female");
    for (uint64_t k = rng.Below(4); k > 0; --k) {
      e.Add("nationality", std::string(rng.Below(2) == 0 ? "be" : rng.Below(2) == 0 ? "fr" : "ma"));
    }
    if (rng.Below(4) == 0) e.Add("birthDate", "19" + std::to_string(50 + rng.Below(50)));
    out.push_back(CompileIdentity(e));
  }
  return out;
}

TEST(ScreenerTest, WeightBoundIsAtLeastTheMatchWeight) {
  const CandidateIndex index = CandidateIndex::Build(Fake1000(), 1);
  ASSERT_GE(index.size(), Screener::kMinListedForNameFrequency);
  const Screener screener(index, DefaultModel());
  int checked = 0;
  for (uint32_t q = 0; q < index.size(); q += 7) {
    for (uint32_t c = 0; c < index.size(); ++c) {
      const ScreenMatch match = screener.Score(index.identity(q), c);
      const double weight = screener.model().MatchWeight(match.comparison);
      ASSERT_GE(screener.WeightBound(index.identity(q), c), weight - 1e-9)
          << index.identity(q).id << " vs " << index.identity(c).id;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100000);
}

TEST(ScreenerTest, ScreenReportsEveryCandidateAboveTheThreshold) {
  const CandidateIndex index = CandidateIndex::Build(Fake1000(), 1);
  const Screener screener(index, DefaultModel());
  Screener::Scratch scratch;
  size_t reported = 0;
  for (double threshold : {0.01, 0.5, 0.9}) {
    ScreenOptions options;
    options.threshold = threshold;
    for (uint32_t q = 0; q < index.size(); ++q) {
      std::set<uint32_t> expected;
      for (uint32_t c : screener.Candidates(index.identity(q), options, scratch)) {
        if (screener.Score(index.identity(q), c).probability >= threshold) expected.insert(c);
      }
      std::set<uint32_t> got;
      for (const auto& m : screener.Screen(index.identity(q), options, scratch)) {
        got.insert(m.index);
      }
      ASSERT_EQ(got, expected) << index.identity(q).id << " at " << threshold;
      reported += got.size();
    }
  }
  EXPECT_GT(reported, 1000U);
}

}  // namespace
}  // namespace entente::match
