#include "text/name_tokens.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::text {
namespace {

std::string Join(const std::vector<std::string>& parts, bool dash_for_empty) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ' ';
    out += p.empty() && dash_for_empty ? "-" : p;
  }
  return out;
}

TEST(TokenizeNameTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("text/tokens.tsv"));
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    SCOPED_TRACE("tokens.tsv:" + std::to_string(row.line) + " " + row[0]);
    const NameTokens name = TokenizeName(row[0]);
    EXPECT_EQ(Join(name.tokens, false), row[1]);
    EXPECT_EQ(Join(name.stripped, true), row[2]);
    EXPECT_EQ(name.surname_first ? "yes" : "no", row[3]);
  }
}

TEST(StripParticleTest, LeavesShortRemaindersAlone) {
  EXPECT_EQ(StripParticle("elie"), "");
  EXPECT_EQ(StripParticle("benali"), "ali");
  EXPECT_EQ(StripParticle("amrani"), "");
}

}  // namespace
}  // namespace entente::text
