#include "common/status.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace entente {
namespace {

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(StatusToExitCode(s), 0);
}

TEST(StatusTest, CarriesCodeMessageAndContext) {
  Status s = InvalidArgument("bad date").WithContext("people.csv:3");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "people.csv:3: bad date");
  EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT: people.csv:3: bad date");
}

TEST(StatusTest, ExitCodesDistinguishKinds) {
  EXPECT_EQ(StatusToExitCode(InvalidArgument("x")), 1);
  EXPECT_EQ(StatusToExitCode(NotFound("x")), 3);
  EXPECT_EQ(StatusToExitCode(PermissionDenied("x")), 4);
  EXPECT_EQ(StatusToExitCode(IoError("x")), 5);
  EXPECT_EQ(StatusToExitCode(Internal("x")), 70);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ENTENTE_ASSIGN_OR_RETURN(int half, Half(x));
  return Half(half);
}

TEST(ResultTest, PropagatesErrorsThroughAssignOrReturn) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).status().message(), "odd");
}

TEST(ResultDeathTest, ValueOfFailedResultAborts) {
  Result<int> r = InvalidArgument("nope");
  EXPECT_DEATH((void)r.value(), "ENTENTE_CHECK failed");
}

}  // namespace
}  // namespace entente
