#include "text/fold.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::text {
namespace {

TEST(FoldNameTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("text/fold.tsv"));
  ASSERT_GE(rows.size(), 15u);
  for (const auto& row : rows) {
    EXPECT_EQ(FoldName(row[0]), row[1]) << "fold.tsv:" << row.line;
  }
}

TEST(FoldNameTest, DropsInvalidUtf8) { EXPECT_EQ(FoldName("Ali\xff Ben"), "ali ben"); }

TEST(DetectScriptTest, FindsTheDominantScript) {
  EXPECT_EQ(DetectScript("Mohamed El Amrani"), Script::kLatin);
  EXPECT_EQ(DetectScript("محمد العمراني"), Script::kArabic);
  EXPECT_EQ(DetectScript("Кадыров"), Script::kCyrillic);
  EXPECT_EQ(DetectScript("123 --"), Script::kNone);
}

}  // namespace
}  // namespace entente::text
