#include "common/time_format.h"

#include <gtest/gtest.h>

namespace entente {
namespace {

TEST(TimeFormatTest, FormatsUtcWithItsZone) {
  EXPECT_EQ(FormatIsoTime(0), "1970-01-01T00:00:00Z");
  // 2026-12-07T06:25:21.123456Z
  const int64_t t = int64_t{1'796'624'721} * 1'000'000 + 123'456;
  EXPECT_EQ(FormatIsoTime(t), "2026-12-07T06:25:21Z");
  EXPECT_EQ(FormatIsoTime(t, true), "2026-12-07T06:25:21.123Z");
  EXPECT_EQ(FormatIsoTime(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIsoTime(int64_t{951'782'400} * 1'000'000), "2000-02-29T00:00:00Z");
}

TEST(TimeFormatTest, ReadsBackWhatItWritesAndOffsets) {
  for (int64_t t : {int64_t{0}, int64_t{1'796'624'721'000'000}, int64_t{-86'400'000'000},
                    int64_t{4'102'444'800'000'000}}) {
    auto back = ParseIsoTime(FormatIsoTime(t), "t");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, t);
  }
  EXPECT_EQ(*ParseIsoTime("2026-12-07T07:25:21+01:00", "t"),
            *ParseIsoTime("2026-12-07T06:25:21Z", "t"));
  EXPECT_EQ(*ParseIsoTime("2026-12-07T06:25:21.5Z", "t"),
            *ParseIsoTime("2026-12-07T06:25:21Z", "t") + 500'000);
  EXPECT_EQ(*ParseIsoTime("2026-12-07", "t"), *ParseIsoTime("2026-12-07T00:00:00Z", "t"));
}

TEST(TimeFormatTest, RefusesWhatIsNotATimeWithAZone) {
  for (const char* bad :
       {"", "2026-12-07T06:25:21", "2026-13-01", "2026-02-30", "2026-12-07T24:00:00Z",
        "2026-12-07T06:25Z", "07/12/2026", "2026-12-07T06:25:21+1", "2026-12-07Z",
        "2026-12-07T06:25:21.Z", "2026-12-07T06:25:21Zjunk"}) {
    auto parsed = ParseIsoTime(bad, "--from");
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_NE(parsed.status().message().find("--from"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace entente
