#include "pprl/encoder.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/testing.h"
#include "pprl/pprl_testing.h"

namespace entente::pprl {
namespace {

using testing::Person;
using testing::TestKey;

// Dice thresholds the name pairs of testdata/name_pairs.tsv must respect.
constexpr float kSameAtLeast = 0.65F;
constexpr float kDifferentBelow = 0.55F;

TEST(EncoderTest, IsDeterministic) {
  const Encoder a(TestKey(1));
  const Encoder b(TestKey(1));
  const model::Entity person = Person("Mohamed El Amrani", "1987-03-14", "male", "MA");
  EXPECT_EQ(a.Encode(person), b.Encode(person));
  EXPECT_EQ(a.key_version(), 1U);
}

TEST(EncoderTest, SetsAFewHundredBitsNamesFirst) {
  const Encoder encoder(TestKey(1));
  const BloomCode full = encoder.Encode(Person("Mohamed El Amrani", "1987-03-14", "male", "MA"));
  const BloomCode name_only = encoder.Encode(Person("Mohamed El Amrani", "", "", ""));
  EXPECT_GT(Popcount(full), 80U);
  EXPECT_LT(Popcount(full), 400U);
  // The name alone sets most of the bits of a full record.
  EXPECT_GT(Popcount(name_only) * 5, Popcount(full) * 3);
}

// A new key version or a new secret moves every bit: the same record under two keys compares
// like two unrelated records.
TEST(EncoderTest, KeyRotationChangesTheCode) {
  const model::Entity person = Person("Mohamed El Amrani", "1987-03-14", "male", "MA");
  const BloomCode v1 = Encoder(TestKey(1)).Encode(person);
  EncodingKey same_secret = TestKey(1);
  same_secret.version = 2;
  const BloomCode v2 = Encoder(same_secret).Encode(person);
  const BloomCode other = Encoder(TestKey(2)).Encode(person);
  EXPECT_NE(v1, v2);
  EXPECT_NE(v1, other);
  EXPECT_LT(Dice(v1, v2), 0.4F);
  EXPECT_LT(Dice(v1, other), 0.4F);
}

// The field name separates domains: one value sets different bits in two fields.
TEST(EncoderTest, FieldsAreSalted) {
  const Encoder encoder(TestKey(1));
  BloomCode year;
  BloomCode token;
  encoder.AddValue(EncodedField::kBirthYear, "1987", year);
  encoder.AddValue(EncodedField::kNameToken, "1987", token);
  // k positions, a few of which may coincide.
  const uint32_t k = encoder.weights().of(EncodedField::kBirthYear);
  EXPECT_LE(Popcount(year), k);
  EXPECT_GE(Popcount(year) + 6, k);
  EXPECT_LT(IntersectionCount(year, token), 8U);
}

// The birth range of `code` as the words of a BirthVariants reading.
std::array<uint64_t, BirthVariants::kWords> BirthWords(const BloomCode& code) {
  std::array<uint64_t, BirthVariants::kWords> words{};
  for (size_t w = 0; w < words.size(); ++w) {
    words[w] = code.words[kRangeWordBegin[static_cast<size_t>(CodeRange::kBirth)] + w];
  }
  return words;
}

TEST(EncoderTest, AQueryCarriesTheOtherReadingsOfItsFullDates) {
  const Encoder encoder(TestKey(1));
  auto birth_of = [&](std::string_view date) {
    return BirthWords(encoder.Encode(Person("Mohamed El Amrani", date, "male", "MA")));
  };
  auto union_of = [](const auto& a, const auto& b) {
    auto both = a;
    for (size_t w = 0; w < both.size(); ++w) both[w] |= b[w];
    return both;
  };
  const QueryCode query =
      encoder.EncodeQuery(Person("Mohamed El Amrani", "1987-03-11", "male", "MA"));
  EXPECT_EQ(query.code, encoder.Encode(Person("Mohamed El Amrani", "1987-03-11", "male", "MA")))
      << "the code itself is the record's";
  const auto swapped = static_cast<size_t>(BirthVariant::kSwapped);
  const auto off = static_cast<size_t>(BirthVariant::kYearOff);
  EXPECT_EQ(query.birth.words[swapped], birth_of("1987-11-03"));
  EXPECT_EQ(query.birth.words[off], union_of(birth_of("1986-03-11"), birth_of("1988-03-11")));
  EXPECT_GT(query.birth.popcounts[swapped], 0);
  EXPECT_GT(query.birth.popcounts[off], query.birth.popcounts[swapped]);

  // A 14th has no month to swap with, nor has a day equal to its month; the year still moves.
  const QueryCode late = encoder.EncodeQuery(Person("Mohamed El Amrani", "1987-03-14", "", ""));
  EXPECT_EQ(late.birth.popcounts[swapped], 0);
  EXPECT_EQ(late.birth.words[off], union_of(birth_of("1986-03-14"), birth_of("1988-03-14")));
  EXPECT_EQ(encoder.EncodeQuery(Person("A B", "1987-03-03", "", "")).birth.popcounts[swapped], 0);
  // A year, a year-month, a 1 January placeholder and no date have no other reading.
  for (const char* date : {"1987", "1987-03", "1987-01-01", ""}) {
    EXPECT_TRUE(encoder.EncodeQuery(Person("Mohamed El Amrani", date, "", "")).birth.empty())
        << date;
  }
  // A bare code converts to a query without readings.
  const QueryCode bare(encoder.Encode(Person("Mohamed El Amrani", "1987-03-11", "", "")));
  EXPECT_TRUE(bare.birth.empty());
}

TEST(EncoderTest, ConsonantSkeletonDropsVowels) {
  EXPECT_EQ(ConsonantSkeleton("mohamed"), "mhmd");
  EXPECT_EQ(ConsonantSkeleton("mhmd"), "mhmd");
  EXPECT_EQ(ConsonantSkeleton("aoui"), "");
}

TEST(EncoderTest, NamePairsFromFile) {
  const auto rows =
      entente::testing::ReadTsv(std::string(ENTENTE_PPRL_TESTDATA_DIR) + "/name_pairs.tsv");
  ASSERT_GE(rows.size(), 10U);
  const Encoder encoder(TestKey(1));
  float lowest_same = 1;
  float highest_different = 0;
  for (const auto& row : rows) {
    const float dice = Dice(encoder.Encode(Person(row[0], row[1], "", "")),
                            encoder.Encode(Person(row[2], row[3], "", "")));
    SCOPED_TRACE("line " + std::to_string(row.line) + ": " + row[0] + " / " + row[2] + " (" +
                 row[5] + "): " + std::to_string(dice));
    if (row[4] == "same") {
      EXPECT_GE(dice, kSameAtLeast);
      lowest_same = std::min(lowest_same, dice);
    } else {
      ASSERT_EQ(row[4], "different");
      EXPECT_LT(dice, kDifferentBelow);
      highest_different = std::max(highest_different, dice);
    }
  }
  EXPECT_GT(lowest_same, highest_different);
}

// The three spellings of the issue score well above unrelated names.
TEST(EncoderTest, SpellingVariantsScoreAboveUnrelatedNames) {
  const Encoder encoder(TestKey(3));
  const BloomCode a = encoder.Encode(Person("Mohamed El Amrani", "", "", ""));
  const BloomCode b = encoder.Encode(Person("EL AMRANI Mohammed", "", "", ""));
  const BloomCode c = encoder.Encode(Person("Mohamed Amrani", "", "", ""));
  const BloomCode unrelated = encoder.Encode(Person("Karim Haddouchi", "", "", ""));
  EXPECT_GT(Dice(a, b), 0.8F);
  EXPECT_GT(Dice(a, c), 0.8F);
  EXPECT_GT(Dice(b, c), 0.7F);
  EXPECT_LT(Dice(a, unrelated), 0.3F);
}

// Arabic script reaches the Latin form through transliteration and the consonant skeleton.
TEST(EncoderTest, ArabicScriptMeetsItsLatinForm) {
  const Encoder encoder(TestKey(1));
  const BloomCode latin = encoder.Encode(Person("Mohamed Khattabi", "1980", "", ""));
  const BloomCode arabic = encoder.Encode(Person("محمد الخطابي", "1980", "", ""));
  const BloomCode unrelated = encoder.Encode(Person("Karim Haddouchi", "1980", "", ""));
  EXPECT_GT(Dice(latin, arabic), Dice(latin, unrelated) + 0.2F);
}

}  // namespace
}  // namespace entente::pprl
