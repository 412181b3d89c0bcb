#include "common/ids.h"

#include <gtest/gtest.h>

namespace entente {
namespace {

TEST(IdsTest, AcceptsFollowTheMoneyStyleIds) {
  EXPECT_TRUE(IsValidId("W0000001"));
  EXPECT_TRUE(IsValidId("ofac-123"));
  EXPECT_TRUE(IsValidId("Q42"));
  EXPECT_TRUE(IsValidId("be.fed:123_x"));
}

TEST(IdsTest, RejectsEmptyLongAndOddCharacters) {
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("-leading"));
  EXPECT_FALSE(IsValidId("has space"));
  EXPECT_FALSE(IsValidId("caf\xc3\xa9"));
  EXPECT_FALSE(IsValidId(std::string(129, 'a')));
  EXPECT_TRUE(IsValidId(std::string(128, 'a')));
}

TEST(IdsTest, FormatsSequentialIds) {
  EXPECT_EQ(FormatSequentialId("W", 42, 7), "W0000042");
  EXPECT_EQ(FormatSequentialId("Q", 12345678, 3), "Q12345678");
}

}  // namespace
}  // namespace entente
