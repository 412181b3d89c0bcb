#include "text/display_width.h"

#include <gtest/gtest.h>

#include "common/testing.h"
#include "common/utf8.h"

namespace entente::text {
namespace {

TEST(DisplayWidthTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("text/display_width.tsv"));
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    EXPECT_EQ(DisplayWidth(row[0]), std::stoul(row[1])) << "display_width.tsv:" << row.line;
    EXPECT_EQ(FitToWidth(row[0], 6), row[2]) << "display_width.tsv:" << row.line;
    EXPECT_LE(DisplayWidth(FitToWidth(row[0], 6)), 6u) << "display_width.tsv:" << row.line;
  }
}

TEST(DisplayWidthTest, NeverCutsInsideACharacter) {
  // Each cut of an accented name stays valid UTF-8 and within its width.
  const std::string name = "Hélène Bénédicte Ø";
  for (size_t width = 0; width <= DisplayWidth(name) + 1; ++width) {
    const std::string fitted = FitToWidth(name, width);
    EXPECT_LE(DisplayWidth(fitted), width) << width;
    EXPECT_FALSE(FindInvalidUtf8(fitted).has_value()) << width;
  }
}

TEST(DisplayWidthTest, InvalidBytesAndControlsAreShownSafely) {
  EXPECT_EQ(DisplayWidth("a\xff"), 2u);
  EXPECT_EQ(FitToWidth("a\xff", 5), "a\uFFFD");
  EXPECT_EQ(ForDisplay("two\nlines\tand\x1b[31m"), "two lines and [31m");
  EXPECT_EQ(ForDisplay("bad\xc3"), "bad\uFFFD");
  EXPECT_EQ(FitToWidth("anything", 0), "");
}

}  // namespace
}  // namespace entente::text
