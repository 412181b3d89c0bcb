#include "match/levenshtein.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "common/random.h"
#include "match/match_testing.h"

namespace entente::match {
namespace {

using testing::DecodeUtf8;
using testing::RandomString;
using testing::ReadJellyfishCsv;
using testing::ToBytes;

bool FitsInBytes(std::u32string_view s) {
  return std::all_of(s.begin(), s.end(), [](char32_t c) { return c < 0x100; });
}

bool IsAscii(std::u32string_view s) {
  return std::all_of(s.begin(), s.end(), [](char32_t c) { return c < 0x80; });
}

// Runs `check(a, b, expected, where)` on every row of a jellyfish file whose third cell is an
// integer distance (a fourth cell, as in wagner_fischer.csv, is ignored). Returns the row count.
template <typename Check>
int ForEachJellyfishRow(const std::string& file_name, Check check) {
  const auto rows = ReadJellyfishCsv(file_name);
  for (const auto& row : rows) {
    EXPECT_GE(row.cells.size(), 3u) << file_name << ":" << row.line;
    if (row.cells.size() < 3) continue;
    const std::u32string a = DecodeUtf8(row.cells[0]);
    const std::u32string b = DecodeUtf8(row.cells[1]);
    const int expected = std::atoi(row.cells[2].c_str());
    const std::string where = file_name + ":" + std::to_string(row.line) + " '" + row.cells[0] +
                              "' '" + row.cells[1] + "'";
    SCOPED_TRACE(where);
    check(a, b, expected);
    check(b, a, expected);  // Symmetric; the files list each pair in one order.
  }
  return static_cast<int>(rows.size());
}

void CheckLevenshtein(std::u32string_view a, std::u32string_view b, int expected) {
  EXPECT_EQ(Levenshtein(a, b), expected);
  EXPECT_EQ(LevenshteinPattern32(a).Distance(b), expected);
  EXPECT_EQ(internal::LevenshteinScalar(a, b), expected);
  EXPECT_EQ(LevenshteinAtMost(a, b, expected), expected);
  if (expected > 0) {
    EXPECT_EQ(LevenshteinAtMost(a, b, expected - 1), expected);
  }
  if (IsAscii(a) && IsAscii(b)) {
    const std::string a8 = ToBytes(a);
    const std::string b8 = ToBytes(b);
    EXPECT_EQ(Levenshtein(a8, b8), expected);
    EXPECT_EQ(LevenshteinPattern(a8).Distance(b8), expected);
  }
}

TEST(LevenshteinTest, MatchesJellyfishLevenshtein) {
  const int rows = ForEachJellyfishRow("levenshtein.csv", CheckLevenshtein);
  EXPECT_GE(rows, 6);
  RecordProperty("rows", rows);
}

TEST(LevenshteinTest, MatchesJellyfishWagnerFischerDistances) {
  const int rows = ForEachJellyfishRow("wagner_fischer.csv", CheckLevenshtein);
  EXPECT_GE(rows, 6);
  RecordProperty("rows", rows);
}

TEST(LevenshteinTest, MatchesJellyfishDamerauLevenshtein) {
  const int rows = ForEachJellyfishRow(
      "damerau_levenshtein.csv", [](std::u32string_view a, std::u32string_view b, int expected) {
        EXPECT_EQ(DamerauLevenshtein(a, b), expected);
        if (IsAscii(a) && IsAscii(b)) {
          EXPECT_EQ(DamerauLevenshtein(ToBytes(a), ToBytes(b)), expected);
        }
      });
  EXPECT_GE(rows, 9);
  RecordProperty("rows", rows);
}

TEST(LevenshteinTest, MatchesJellyfishHamming) {
  const int rows = ForEachJellyfishRow(
      "hamming.csv", [](std::u32string_view a, std::u32string_view b, int expected) {
        EXPECT_EQ(Hamming(a, b), expected);
        if (IsAscii(a) && IsAscii(b)) {
          EXPECT_EQ(Hamming(ToBytes(a), ToBytes(b)), expected);
        }
      });
  EXPECT_GE(rows, 8);
  RecordProperty("rows", rows);
}

TEST(LevenshteinTest, OsaDiffersFromUnrestrictedDamerau) {
  struct Case {
    std::string_view a, b;
    int levenshtein, osa, damerau;
  };
  const Case cases[] = {
      {"ca", "abc", 3, 3, 2},
      {"abcd", "acbd", 2, 1, 1},
      {"el amrani", "el amarni", 2, 1, 1},
      {"mohammed", "mohamed", 1, 1, 1},
      {"", "", 0, 0, 0},
      {"a", "", 1, 1, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " / " + std::string(c.b));
    EXPECT_EQ(Levenshtein(c.a, c.b), c.levenshtein);
    EXPECT_EQ(OsaDistance(c.a, c.b), c.osa);
    EXPECT_EQ(DamerauLevenshtein(c.a, c.b), c.damerau);
  }
}

TEST(LevenshteinTest, SimilarityIsOneMinusDistanceOverLongest) {
  EXPECT_EQ(LevenshteinSimilarity(std::string_view(), std::string_view()), 1.0);
  EXPECT_DOUBLE_EQ(LevenshteinSimilarity(std::string_view("kitten"), "sitting"), 1.0 - 3.0 / 7);
  EXPECT_DOUBLE_EQ(LevenshteinPattern("kitten").Similarity("sitting"), 1.0 - 3.0 / 7);
  EXPECT_EQ(LevenshteinSimilarity(std::u32string_view(U"abc"), U"xyz"), 0.0);
}

const int kLengths[] = {0, 1, 2, 3, 5, 8, 12, 31, 63, 64, 65, 100, 127, 128, 129, 200};

const std::u32string_view kAlphabets[] = {
    U"ab",
    U"abcdefghijklmnopqrstuvwxyz",
    U"a\u00e9\u00df\u00ff\u0080b",
    U"a\u0645\u062d\u062f\u0639\u4e2d\U0001F600",
};

void ExpectSameAsScalar(std::u32string_view a, std::u32string_view b) {
  const int distance = internal::LevenshteinScalar(a, b);
  const int osa = internal::OsaScalar(a, b);
  ASSERT_EQ(Levenshtein(a, b), distance);
  const LevenshteinPattern32 pattern32(a);
  ASSERT_EQ(pattern32.Distance(b), distance);
  for (int k : {0, 1, 2, distance - 1, distance, distance + 1, distance + 5}) {
    if (k < 0) continue;
    ASSERT_EQ(LevenshteinAtMost(a, b, k), std::min(distance, k + 1)) << "k=" << k;
    ASSERT_EQ(pattern32.DistanceAtMost(b, k), std::min(distance, k + 1)) << "k=" << k;
  }
  ASSERT_EQ(OsaDistance(a, b), osa);
  const int damerau = DamerauLevenshtein(a, b);
  ASSERT_LE(damerau, osa);
  ASSERT_LE(osa, distance);
  ASSERT_EQ(DamerauLevenshtein(b, a), damerau);
  if (a.size() == b.size()) {
    ASSERT_LE(distance, Hamming(a, b));
  }
  if (!FitsInBytes(a) || !FitsInBytes(b)) return;
  const std::string a8 = ToBytes(a);
  const std::string b8 = ToBytes(b);
  ASSERT_EQ(Levenshtein(a8, b8), distance);
  const LevenshteinPattern pattern(a8);
  ASSERT_EQ(pattern.Distance(b8), distance);
  for (int k : {0, 1, 2, distance - 1, distance, distance + 1}) {
    if (k < 0) continue;
    ASSERT_EQ(LevenshteinAtMost(a8, b8, k), std::min(distance, k + 1)) << "k=" << k;
    ASSERT_EQ(pattern.DistanceAtMost(b8, k), std::min(distance, k + 1)) << "k=" << k;
  }
  ASSERT_EQ(OsaDistance(a8, b8), osa);
  ASSERT_EQ(DamerauLevenshtein(a8, b8), damerau);
}

TEST(LevenshteinTest, BitParallelEqualsScalarOnRandomStrings) {
  Rng rng(42);
  for (std::u32string_view alphabet : kAlphabets) {
    for (int len_a : kLengths) {
      for (int len_b : kLengths) {
        for (int trial = 0; trial < 2; ++trial) {
          const std::u32string a = RandomString(rng, len_a, alphabet);
          const std::u32string b = RandomString(rng, len_b, alphabet);
          SCOPED_TRACE("alphabet of " + std::to_string(alphabet.size()) + ", lengths " +
                       std::to_string(len_a) + "," + std::to_string(len_b));
          ExpectSameAsScalar(a, b);
        }
      }
    }
  }
}

TEST(LevenshteinTest, BitParallelEqualsScalarOnEditedStrings) {
  Rng rng(43);
  for (int trial = 0; trial < 5000; ++trial) {
    const std::u32string_view alphabet = kAlphabets[rng.Below(std::size(kAlphabets))];
    const std::u32string a = RandomString(rng, static_cast<int>(rng.Between(0, 150)), alphabet);
    std::u32string b = a;
    const int edits = static_cast<int>(rng.Between(0, 6));
    for (int e = 0; e < edits && !b.empty(); ++e) {
      const size_t at = rng.Below(b.size());
      switch (rng.Below(4)) {
        case 0:
          b[at] = alphabet[rng.Below(alphabet.size())];
          break;
        case 1:
          b.erase(at, 1);
          break;
        case 2:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at),
                   alphabet[rng.Below(alphabet.size())]);
          break;
        default:
          if (at + 1 < b.size()) std::swap(b[at], b[at + 1]);
          break;
      }
    }
    SCOPED_TRACE("trial " + std::to_string(trial));
    ExpectSameAsScalar(a, b);
  }
}

}  // namespace
}  // namespace entente::match
