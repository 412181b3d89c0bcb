#include "common/json.h"

#include <gtest/gtest.h>

namespace entente {
namespace {

TEST(JsonTest, DepthCountsArraysAndObjectsOutsideStrings) {
  EXPECT_EQ(JsonDepth("1"), 0u);
  EXPECT_EQ(JsonDepth("{\"a\": [1, {\"b\": 2}]}"), 3u);
  EXPECT_EQ(JsonDepth("[\"[[[[\", \"\\\"[[[\"]"), 1u);      // brackets in strings, escaped quotes
  EXPECT_EQ(JsonDepth(std::string(100000, '['), 64), 65u);  // stops counting past the limit
}

TEST(JsonTest, ParseRefusesDeepNestingBeforeBuildingAnything) {
  const std::string deep = "{\"q\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  Result<nlohmann::json> parsed = ParseJson(deep, "body");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), "body: JSON nested deeper than 64 levels");
  EXPECT_TRUE(ParseJsonOrDiscarded(deep).is_discarded());

  const std::string fine = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(ParseJson(fine, "body").ok());
}

TEST(JsonTest, ParseNamesWhatIsNotJson) {
  Result<nlohmann::json> parsed = ParseJson("{\"a\": }", "body");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message().rfind("body: not valid JSON (line 1, column 7", 0), 0u)
      << parsed.status().message();
  EXPECT_TRUE(ParseJsonOrDiscarded("nope").is_discarded());
}

TEST(JsonTest, DumpReplacesInvalidUtf8InsteadOfThrowing) {
  nlohmann::json value = {{"justification", std::string("bad \xff byte")}};
  EXPECT_THROW((void)value.dump(), nlohmann::json::type_error);
  EXPECT_EQ(DumpJson(value), "{\"justification\":\"bad \xef\xbf\xbd byte\"}");
}

}  // namespace
}  // namespace entente
