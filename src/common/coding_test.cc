#include "common/coding.h"

#include <gtest/gtest.h>

namespace entente {
namespace {

TEST(CodingTest, WritesLittleEndianAndReadsBack) {
  std::string bytes;
  ByteWriter w(&bytes);
  w.U8(0xab);
  w.U16(0x0102);
  w.U32(0x03040506);
  w.U64(0x0708090a0b0c0d0eULL);
  w.Text16("ref");
  w.Raw("xy");
  EXPECT_EQ(bytes.substr(0, 3), std::string("\xab\x02\x01", 3));
  ByteReader r(bytes, "test");
  uint8_t a = 0;
  uint16_t b = 0;
  uint32_t c = 0;
  uint64_t d = 0;
  std::string text;
  std::string_view raw;
  ASSERT_TRUE(r.U8(&a, "a").ok());
  ASSERT_TRUE(r.U16(&b, "b").ok());
  ASSERT_TRUE(r.U32(&c, "c").ok());
  ASSERT_TRUE(r.U64(&d, "d").ok());
  ASSERT_TRUE(r.Text16(&text, "text", 1, 64).ok());
  ASSERT_TRUE(r.Raw(2, &raw, "raw").ok());
  EXPECT_EQ(a, 0xab);
  EXPECT_EQ(b, 0x0102);
  EXPECT_EQ(c, 0x03040506u);
  EXPECT_EQ(d, 0x0708090a0b0c0d0eULL);
  EXPECT_EQ(text, "ref");
  EXPECT_EQ(raw, "xy");
  EXPECT_TRUE(r.End().ok());
}

TEST(CodingTest, NamesWhatIsCutShortAndNeverReadsPastTheEnd) {
  std::string bytes;
  ByteWriter w(&bytes);
  w.U16(500);  // a length longer than what follows
  w.Raw("abc");
  ByteReader r(bytes, "index update");
  std::string text;
  EXPECT_EQ(r.Text16(&text, "upserts[0].reference", 1, 64).message(),
            "index update: upserts[0].reference at byte 0: length 500 (expected 1 to 64)");
  ByteReader again(bytes, "index update");
  EXPECT_EQ(again.Text16(&text, "removals[2]", 1, 1000).message(),
            "index update: truncated at removals[2] (byte 2 of 5)");
  uint64_t v = 0;
  ByteReader short_read(std::string_view("abc"), "code");
  EXPECT_EQ(short_read.U64(&v, "words").message(), "code: truncated at words (byte 0 of 3)");
  ByteReader trailing(std::string_view("abc"), "code");
  uint8_t one = 0;
  ASSERT_TRUE(trailing.U8(&one, "one").ok());
  EXPECT_EQ(trailing.End().message(), "code: 2 trailing bytes");
}

}  // namespace
}  // namespace entente
