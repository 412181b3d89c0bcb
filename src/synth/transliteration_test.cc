#include "synth/transliteration.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "synth/name_pools.h"

namespace entente::synth {
namespace {

std::vector<std::vector<std::string>> ReadTsv(const std::string& name) {
  const std::string path = std::string(ENTENTE_TEST_DATA_DIR) + "/synth/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream fields(line);
    std::string cell;
    while (std::getline(fields, cell, '\t')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

Convention ParseConvention(const std::string& s) {
  if (s == "dutch") return Convention::kDutch;
  if (s == "spanish") return Convention::kSpanish;
  if (s == "english") return Convention::kEnglish;
  EXPECT_EQ(s, "french");
  return Convention::kFrench;
}

ParticleStyle ParseParticle(const std::string& s) {
  if (s == "attached") return ParticleStyle::kAttached;
  if (s == "hyphenated") return ParticleStyle::kHyphenated;
  if (s == "dropped") return ParticleStyle::kDropped;
  EXPECT_EQ(s, "detached");
  return ParticleStyle::kDetached;
}

CompoundStyle ParseCompound(const std::string& s) {
  if (s == "split") return CompoundStyle::kSplit;
  if (s == "hyphenated") return CompoundStyle::kHyphenated;
  if (s == "article") return CompoundStyle::kArticle;
  EXPECT_EQ(s, "packed");
  return CompoundStyle::kPacked;
}

TEST(TransliterationTest, CanonicalSpellingsFromTable) {
  const auto rows = ReadTsv("transliteration.tsv");
  ASSERT_GT(rows.size(), 40u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 5u) << row[0];
    ASSERT_TRUE(IsValidPhonemic(row[0])) << row[0];
    const Spelling spelling{ParseParticle(row[2]), ParseCompound(row[3])};
    EXPECT_EQ(Romanize(row[0], ParseConvention(row[1]), spelling, nullptr), row[4])
        << row[0] << " in " << row[1] << " (" << row[2] << ", " << row[3] << ")";
  }
}

TEST(TransliterationTest, ArabicScriptFromTable) {
  const auto rows = ReadTsv("arabic.tsv");
  ASSERT_GT(rows.size(), 15u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 2u) << row[0];
    EXPECT_EQ(ToArabicScript(row[0]), row[1]) << row[0];
  }
}

TEST(TransliterationTest, ArabicScriptUsesOnlyArabicLettersAndSpaces) {
  for (Origin origin : {Origin::kMoroccan, Origin::kAlgerian, Origin::kSyrian, Origin::kIraqi}) {
    for (Sex sex : {Sex::kMale, Sex::kFemale}) {
      for (std::string_view name : GivenNames(origin, sex)) {
        const std::string arabic = ToArabicScript(name);
        for (unsigned char c : arabic) {
          // ASCII only as the space between words; everything else is in U+0600-U+06FF,
          // whose UTF-8 lead bytes are 0xD8-0xDB.
          if (c < 0x80) {
            EXPECT_EQ(c, ' ') << name;
          } else if ((c & 0xC0) == 0xC0) {
            EXPECT_TRUE(c >= 0xD8 && c <= 0xDB) << name;
          }
        }
      }
    }
  }
}

TEST(TransliterationTest, EveryPhonemicPoolEntryIsValid) {
  for (Origin origin : {Origin::kMoroccan, Origin::kAlgerian, Origin::kSyrian, Origin::kIraqi}) {
    for (Sex sex : {Sex::kMale, Sex::kFemale}) {
      for (std::string_view name : GivenNames(origin, sex)) {
        EXPECT_TRUE(IsValidPhonemic(name)) << name;
      }
    }
    for (std::string_view name : Surnames(origin)) EXPECT_TRUE(IsValidPhonemic(name)) << name;
  }
  for (std::string_view name : KunyaNames()) EXPECT_TRUE(IsValidPhonemic(name)) << name;
  for (const Nisba& n : Nisbas()) {
    EXPECT_TRUE(IsValidPhonemic(n.masculine)) << n.masculine;
    EXPECT_TRUE(IsValidPhonemic(n.feminine)) << n.feminine;
  }
}

TEST(TransliterationTest, RejectsMalformedPhonemicForms) {
  EXPECT_FALSE(IsValidPhonemic(""));
  EXPECT_FALSE(IsValidPhonemic("al+"));
  EXPECT_FALSE(IsValidPhonemic("+3alI"));
  EXPECT_FALSE(IsValidPhonemic("bin"));
  EXPECT_FALSE(IsValidPhonemic("muHammed9"));
  EXPECT_FALSE(IsValidPhonemic("Mo hamed"));
}

TEST(TransliterationTest, VariationProducesTheKnownVariants) {
  Rng rng(5);
  std::set<std::string> mohamed, jamal, abdelkader, amrani;
  for (int i = 0; i < 2000; ++i) {
    mohamed.insert(Romanize("muHammed", Convention::kFrench, {}, &rng));
    jamal.insert(Romanize("jamAl", Convention::kFrench, {}, &rng));
    abdelkader.insert(Romanize("3abd+al+qAder", Convention::kFrench, {}, &rng));
    amrani.insert(Romanize("al+tAzI", Convention::kFrench, {ParticleStyle::kAttached}, &rng));
  }
  EXPECT_TRUE(mohamed.contains("Mohammed"));
  EXPECT_TRUE(mohamed.contains("Mohamed"));
  EXPECT_TRUE(mohamed.contains("Mouhammed"));
  EXPECT_TRUE(jamal.contains("Djamal"));
  EXPECT_TRUE(jamal.contains("Jamal"));
  EXPECT_TRUE(abdelkader.contains("Abdelqader"));
  EXPECT_TRUE(amrani.contains("Eltazi"));
  EXPECT_TRUE(amrani.contains("Ettazi"));
}

TEST(TransliterationTest, FrenchTremaAfterDroppedAyn) {
  Rng rng(11);
  std::set<std::string> said;
  for (int i = 0; i < 500; ++i) said.insert(Romanize("sa3Id", Convention::kFrench, {}, &rng));
  EXPECT_TRUE(said.contains("Said"));
  EXPECT_TRUE(said.contains("Sa\u00efd"));
}

}  // namespace
}  // namespace entente::synth
