#include "match/jaro_winkler.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "match/match_testing.h"

namespace entente::match {
namespace {

using testing::DecodeUtf8;
using testing::RandomString;
using testing::ReadJellyfishCsv;
using testing::ToBytes;

// jellyfish's own tests accept |value - expected| < 0.1**3: the files are rounded loosely
// (William/Williams with long tolerance is 0.98056 in jellyfish itself; the file says 0.980).
constexpr double kJellyfishTolerance = 1e-3;

bool FitsInBytes(std::u32string_view s) {
  for (char32_t c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

enum class Metric { kJaro, kJaroWinkler, kLongTolerance };

// Every way of computing `metric`: one-off and pattern, code points and (for ASCII) bytes, and
// the scalar reference. Each is checked against `expected`.
void ExpectAllPathsNear(Metric metric, std::u32string_view a, std::u32string_view b,
                        double expected, double tolerance, const std::string& where) {
  SCOPED_TRACE(where);
  const JaroPattern32 pattern32(a);
  std::vector<std::pair<const char*, double>> results;
  switch (metric) {
    case Metric::kJaro:
      results = {{"u32", Jaro(a, b)},
                 {"pattern32", pattern32.Jaro(b)},
                 {"scalar", internal::JaroScalar(a, b)}};
      break;
    case Metric::kJaroWinkler:
      results = {{"u32", JaroWinkler(a, b)},
                 {"pattern32", pattern32.JaroWinkler(b)},
                 {"scalar", internal::JaroWinklerScalar(a, b, false)}};
      break;
    case Metric::kLongTolerance:
      results = {{"u32", JaroWinklerLongTolerance(a, b)},
                 {"pattern32", pattern32.JaroWinklerLongTolerance(b)},
                 {"scalar", internal::JaroWinklerScalar(a, b, true)}};
      break;
  }
  if (FitsInBytes(a) && FitsInBytes(b)) {
    const std::string a8 = ToBytes(a);
    const std::string b8 = ToBytes(b);
    const JaroPattern pattern(a8);
    switch (metric) {
      case Metric::kJaro:
        results.insert(results.end(), {{"bytes", Jaro(a8, b8)}, {"pattern", pattern.Jaro(b8)}});
        break;
      case Metric::kJaroWinkler:
        results.insert(results.end(),
                       {{"bytes", JaroWinkler(a8, b8)}, {"pattern", pattern.JaroWinkler(b8)}});
        break;
      case Metric::kLongTolerance:
        results.insert(results.end(), {{"bytes", JaroWinklerLongTolerance(a8, b8)},
                                       {"pattern", pattern.JaroWinklerLongTolerance(b8)}});
        break;
    }
  }
  for (const auto& [path, value] : results) {
    EXPECT_NEAR(value, expected, tolerance) << path;
  }
}

int CheckJellyfishFile(const std::string& file_name, Metric metric) {
  const auto rows = ReadJellyfishCsv(file_name);
  for (const auto& row : rows) {
    EXPECT_EQ(row.cells.size(), 3u) << file_name << ":" << row.line;
    if (row.cells.size() != 3) continue;
    const std::u32string a = DecodeUtf8(row.cells[0]);
    const std::u32string b = DecodeUtf8(row.cells[1]);
    const double expected = std::strtod(row.cells[2].c_str(), nullptr);
    const std::string where = file_name + ":" + std::to_string(row.line) + " '" + row.cells[0] +
                              "' '" + row.cells[1] + "'";
    ExpectAllPathsNear(metric, a, b, expected, kJellyfishTolerance, where);
    // The metrics are symmetric, and the files list each pair in one order only.
    ExpectAllPathsNear(metric, b, a, expected, kJellyfishTolerance, where + " (swapped)");
  }
  return static_cast<int>(rows.size());
}

TEST(JaroWinklerTest, MatchesJellyfishJaroDistance) {
  const int rows = CheckJellyfishFile("jaro_distance.csv", Metric::kJaro);
  EXPECT_GE(rows, 5);
  RecordProperty("rows", rows);
}

TEST(JaroWinklerTest, MatchesJellyfishJaroWinkler) {
  const int rows = CheckJellyfishFile("jaro_winkler.csv", Metric::kJaroWinkler);
  EXPECT_GE(rows, 17);
  RecordProperty("rows", rows);
}

TEST(JaroWinklerTest, MatchesJellyfishJaroWinklerLongTolerance) {
  const int rows = CheckJellyfishFile("jaro_winkler_longtol.csv", Metric::kLongTolerance);
  EXPECT_GE(rows, 10);
  RecordProperty("rows", rows);
}

TEST(JaroWinklerTest, EmptyStringsScoreZeroAsInJellyfish) {
  EXPECT_EQ(Jaro(std::string_view(), std::string_view()), 0.0);
  EXPECT_EQ(JaroWinkler(std::u32string_view(), std::u32string_view()), 0.0);
  EXPECT_EQ(JaroPattern("").JaroWinkler("abc"), 0.0);
  EXPECT_EQ(JaroPattern("abc").JaroWinkler(""), 0.0);
}

TEST(JaroWinklerTest, ComparesCodePointsNotBytes) {
  // "é" is two bytes in UTF-8; as code points "josé" and "jose" differ in one symbol of four.
  const std::u32string jose = U"jos\u00e9";
  EXPECT_NEAR(Jaro(jose, std::u32string_view(U"jose")), (0.75 + 0.75 + 1.0) / 3, 1e-12);
  EXPECT_EQ(JaroWinkler(std::u32string_view(U"\u0645\u062d\u0645\u062f"),
                        std::u32string_view(U"\u0645\u062d\u0645\u062f")),
            1.0);
}

// Lengths around the 64-symbol word boundary, where the bit-parallel path hands over to the
// scalar one.
const int kLengths[] = {0, 1, 2, 3, 4, 5, 7, 8, 12, 31, 32, 33, 63, 64, 65, 100, 200};

const std::u32string_view kAlphabets[] = {
    U"ab",                                         // many repeats: many transpositions
    U"abcde",                                      //
    U"abcdefghijklmnopqrstuvwxyz",                 //
    U"a\u00e9\u00df\u00ff\u0080b",                 // Latin-1 bytes >= 0x80 (signed char)
    U"a\u0645\u062d\u062f\u0639\u4e2d\U0001F600",  // Arabic, CJK, an emoji: extended table
};

// The bit-parallel paths must agree with the scalar transcription of jellyfish to the last bit:
// the counts are integers and the arithmetic is the same.
void ExpectSameAsScalar(std::u32string_view a, std::u32string_view b) {
  const double jaro = internal::JaroScalar(a, b);
  const double winkler = internal::JaroWinklerScalar(a, b, false);
  const double long_tolerance = internal::JaroWinklerScalar(a, b, true);
  ASSERT_EQ(Jaro(a, b), jaro);
  ASSERT_EQ(JaroWinkler(a, b), winkler);
  ASSERT_EQ(JaroWinklerLongTolerance(a, b), long_tolerance);
  const JaroPattern32 pattern32(a);
  ASSERT_EQ(pattern32.Jaro(b), jaro);
  ASSERT_EQ(pattern32.JaroWinkler(b), winkler);
  ASSERT_EQ(pattern32.JaroWinklerLongTolerance(b), long_tolerance);
  // Symmetric, so the pattern may be built on either string.
  ASSERT_EQ(internal::JaroScalar(b, a), jaro);
  bool bytes = true;
  for (char32_t c : a) bytes = bytes && c < 0x100;
  for (char32_t c : b) bytes = bytes && c < 0x100;
  if (!bytes) return;
  const std::string a8 = ToBytes(a);
  const std::string b8 = ToBytes(b);
  ASSERT_EQ(Jaro(a8, b8), jaro);
  ASSERT_EQ(JaroWinkler(a8, b8), winkler);
  ASSERT_EQ(JaroWinklerLongTolerance(a8, b8), long_tolerance);
  const JaroPattern pattern(a8);
  ASSERT_EQ(pattern.Jaro(b8), jaro);
  ASSERT_EQ(pattern.JaroWinkler(b8), winkler);
  ASSERT_EQ(pattern.JaroWinklerLongTolerance(b8), long_tolerance);
}

TEST(JaroWinklerTest, BitParallelEqualsScalarOnRandomStrings) {
  Rng rng(20240611);
  for (std::u32string_view alphabet : kAlphabets) {
    for (int len_a : kLengths) {
      for (int len_b : kLengths) {
        for (int trial = 0; trial < 4; ++trial) {
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

TEST(JaroWinklerTest, BitParallelEqualsScalarOnEditedTokens) {
  // Near-duplicates are where the window, flags and transpositions matter most.
  Rng rng(7);
  for (int trial = 0; trial < 20000; ++trial) {
    const std::u32string_view alphabet = kAlphabets[rng.Below(std::size(kAlphabets))];
    const std::u32string a = RandomString(rng, static_cast<int>(rng.Between(1, 70)), alphabet);
    std::u32string b = a;
    const int edits = static_cast<int>(rng.Between(0, 4));
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
    ExpectSameAsScalar(a, b);
  }
}

}  // namespace
}  // namespace entente::match
