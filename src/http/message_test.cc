#include "http/message.h"

#include <gtest/gtest.h>

namespace entente::http {
namespace {

TEST(PercentDecodeTest, DecodesEscapesAndPlus) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%C3%A9", false), "\xC3\xA9");
  EXPECT_EQ(PercentDecode("%ff%00", false), std::string("\xff\0", 2));  // any byte: callers check
}

TEST(PercentDecodeTest, RefusesBrokenEscapes) {
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("abc%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz", false), std::nullopt);
}

TEST(RequestTest, HeadersAreFoundWhateverTheirCase) {
  Request request;
  request.headers = {{"X-Justification", "why"}, {"content-type", "application/json"}};
  EXPECT_EQ(request.HeaderValue("x-justification"), "why");
  EXPECT_EQ(request.HeaderValue("Content-Type"), "application/json");
  EXPECT_EQ(request.FindHeader("Authorization"), nullptr);
}

TEST(RequestTest, QueryParametersAreDecoded) {
  Request request;
  request.query = "q=El+Amrani%2C+Mohamed&limit=5&flag&bad=%zz";
  EXPECT_EQ(request.QueryParam("q"), "El Amrani, Mohamed");
  EXPECT_EQ(request.QueryParam("limit"), "5");
  EXPECT_EQ(request.QueryParam("flag"), "");
  EXPECT_EQ(request.QueryParam("bad"), std::nullopt);
  EXPECT_EQ(request.QueryParam("absent"), std::nullopt);
}

}  // namespace
}  // namespace entente::http
