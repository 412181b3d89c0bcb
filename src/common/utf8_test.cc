#include "common/utf8.h"

#include <gtest/gtest.h>

namespace entente {
namespace {

TEST(Utf8Test, AcceptsValidText) {
  EXPECT_FALSE(FindInvalidUtf8("plain").has_value());
  EXPECT_FALSE(FindInvalidUtf8("Ren\xc3\xa9").has_value());                       // é
  EXPECT_FALSE(FindInvalidUtf8("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf").has_value());  // محمد
  EXPECT_FALSE(FindInvalidUtf8("\xf0\x9f\x98\x80").has_value());                  // emoji
}

TEST(Utf8Test, FindsFirstInvalidByte) {
  EXPECT_EQ(FindInvalidUtf8("ab\xff"
                            "cd"),
            2u);
  EXPECT_EQ(FindInvalidUtf8("ab\xc3"), 2u);            // truncated
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);          // overlong
  EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xe0\x80\x80"), 0u);      // overlong 3-byte
}

TEST(Utf8Test, CountsCodePointsForColumns) {
  EXPECT_EQ(CountCodePoints("Ren\xc3\xa9,x", 5), 4u);
  EXPECT_EQ(CountCodePoints("abc", 10), 3u);
}

TEST(Utf8Test, AppendsEncodings) {
  std::string s;
  AppendUtf8(s, U'A');
  AppendUtf8(s, U'\u00e9');
  AppendUtf8(s, U'\u0645');
  AppendUtf8(s, U'\U0001F600');
  EXPECT_EQ(s, "A\xc3\xa9\xd9\x85\xf0\x9f\x98\x80");
}

TEST(Utf8Test, SanitizeReplacesEachInvalidByteAndKeepsValidText) {
  EXPECT_EQ(SanitizeUtf8("Ren\xc3\xa9"), "Ren\xc3\xa9");
  EXPECT_EQ(SanitizeUtf8("a\xff"
                         "b"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(SanitizeUtf8("\xc3"), "\xef\xbf\xbd");                                  // truncated
  EXPECT_EQ(SanitizeUtf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  EXPECT_FALSE(FindInvalidUtf8(SanitizeUtf8("\x80\x80\xfe\xff")));
}

}  // namespace
}  // namespace entente
