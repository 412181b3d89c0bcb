#include "text/phonetic.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::text {
namespace {

bool ShareKey(const std::string& a, const std::string& b) {
  const auto ka = PhoneticKeys(a);
  const auto kb = PhoneticKeys(b);
  return std::any_of(ka.begin(), ka.end(), [&](const std::string& k) {
    return std::find(kb.begin(), kb.end(), k) != kb.end();
  });
}

TEST(PhoneticKeyTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("text/same_key.tsv"));
  ASSERT_GE(rows.size(), 20u);
  for (const auto& row : rows) {
    EXPECT_EQ(ShareKey(row[0], row[1]), row[2] == "yes")
        << "same_key.tsv:" << row.line << " " << row[0] << " " << PhoneticKey(row[0]) << " / "
        << row[1] << " " << PhoneticKey(row[1]) << " (" << row[3] << ")";
  }
}

TEST(PhoneticKeyTest, KeepsConsonantsApartAcrossVowels) {
  EXPECT_EQ(PhoneticKey("mohamed"), "MMT");
  EXPECT_EQ(PhoneticKey("mohammed"), "MMT");
  EXPECT_EQ(PhoneticKey("khattabi"), "XTB");
  EXPECT_EQ(PhoneticKey("mhmd"), "MMT");
  EXPECT_EQ(PhoneticKey("youssef"), "YSF");
  EXPECT_NE(PhoneticKey("younes"), PhoneticKey("anas"));
  EXPECT_NE(PhoneticKey("hamdaoui"), PhoneticKey("hamdi"));
  EXPECT_EQ(PhoneticKey("sextus"), "SKSTS");
}

TEST(SpellingKeyTest, MapsConventionsToOne) {
  EXPECT_EQ(SpellingKey("youssef"), SpellingKey("yusef"));
  EXPECT_EQ(SpellingKey("chakib"), SpellingKey("shakib"));
  EXPECT_EQ(SpellingKey("djamel"), "jamel");
  EXPECT_EQ(SpellingKey("qadiri"), "kadiri");
  EXPECT_EQ(SpellingKey("philippe"), "filipe");
}

std::string Glide(std::string_view s) {
  std::array<char, 64> out{};
  return {out.data(), GlideReading(s, out)};
}

TEST(GlideReadingTest, ReadsJYAndKhAsOneSound) {
  EXPECT_EQ(Glide("jahja"), Glide("yahya"));
  EXPECT_EQ(Glide("jalid"), Glide("khalid"));
  EXPECT_EQ(Glide("hayy"), Glide("haj"));
  EXPECT_EQ(Glide("mohamed"), "mohamed");
  EXPECT_NE(Glide("jamal"), Glide("kamal"));
  std::array<char, 3> short_out{};
  EXPECT_EQ(GlideReading("yasmina", short_out), 3u);
  EXPECT_EQ(std::string_view(short_out.data(), 3), "jas");
}

TEST(GlideReadingTest, HoldsGlide) {
  EXPECT_TRUE(HoldsGlide("jamal"));
  EXPECT_TRUE(HoldsGlide("yahya"));
  EXPECT_TRUE(HoldsGlide("khalid"));
  EXPECT_FALSE(HoldsGlide("karim"));
  EXPECT_FALSE(HoldsGlide("kamal"));
}

}  // namespace
}  // namespace entente::text
