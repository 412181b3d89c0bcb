#include "synth/documents.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "model/validation.h"

namespace entente::synth {
namespace {

std::string DigitsAndLetters(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

TEST(DocumentsTest, PassportFormatsKeepTheSameNumber) {
  Rng rng(1);
  std::set<std::string> forms;
  for (int i = 0; i < 300; ++i) {
    const std::string f = FormatDocumentNumber("EM123456", &rng);
    EXPECT_EQ(DigitsAndLetters(f), "EM123456") << f;
    EXPECT_EQ(model::CheckPropertyValue("passportNumber", f), "") << f;
    forms.insert(f);
  }
  EXPECT_TRUE(forms.contains("EM123456"));
  EXPECT_TRUE(forms.contains("EM 123 456"));
  EXPECT_TRUE(forms.contains("em-123456"));
  EXPECT_EQ(FormatDocumentNumber("EM123456", nullptr), "EM123456");
}

TEST(DocumentsTest, PassportNumbersFollowTheIssuingCountry) {
  Rng rng(2);
  EXPECT_EQ(MakePassportNumber("BE", rng).size(), 8u);
  const std::string fr = MakePassportNumber("FR", rng);
  ASSERT_EQ(fr.size(), 9u);
  EXPECT_TRUE(fr[0] >= '0' && fr[0] <= '9');
  EXPECT_TRUE(fr[2] >= 'A' && fr[2] <= 'Z');
  EXPECT_EQ(MakePassportNumber("ES", rng).size(), 9u);
  EXPECT_EQ(MakePassportNumber("TR", rng)[0], 'U');
}

TEST(DocumentsTest, BelgianNationalNumberHasValidCheckDigits) {
  Rng rng(3);
  for (int i = 0; i < 200; ++i) {
    const auto birth = model::PartialDate::Day(1960 + i % 60, 1 + i % 12, 1 + i % 28);
    const bool male = i % 2 == 0;
    const std::string n = BelgianNationalNumber(birth, male, rng);
    ASSERT_EQ(n.size(), 11u);
    EXPECT_TRUE(IsValidBelgianNationalNumber(n)) << n;
    EXPECT_EQ((n[8] - '0') % 2 == 1, male) << n;  // sequence parity
  }
  // 97 - 850314123 % 97 = 2.
  EXPECT_TRUE(IsValidBelgianNationalNumber("85031412302"));
  EXPECT_FALSE(IsValidBelgianNationalNumber("85031412345"));
}

TEST(DocumentsTest, BelgianNationalNumberForms) {
  Rng rng(4);
  std::set<std::string> forms;
  for (int i = 0; i < 200; ++i) forms.insert(FormatNationalNumber("BE", "85031412302", &rng));
  EXPECT_TRUE(forms.contains("85.03.14-123.02"));
  EXPECT_TRUE(forms.contains("85031412302"));
  for (const auto& f : forms) EXPECT_EQ(model::CheckPropertyValue("idNumber", f), "") << f;
}

TEST(DocumentsTest, SpanishCheckLetter) {
  Rng rng(5);
  for (int i = 0; i < 100; ++i) {
    const std::string dni = SpanishDocumentNumber(true, rng);
    ASSERT_EQ(dni.size(), 9u);
    const uint64_t n = std::stoull(dni.substr(0, 8));
    EXPECT_EQ(dni[8], "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]) << dni;
    const std::string nie = SpanishDocumentNumber(false, rng);
    EXPECT_TRUE(nie[0] == 'X' || nie[0] == 'Y') << nie;
  }
  Rng f(6);
  std::set<std::string> forms;
  for (int i = 0; i < 200; ++i) forms.insert(FormatNationalNumber("ES", "12345678Z", &f));
  EXPECT_TRUE(forms.contains("12.345.678-Z"));
  EXPECT_TRUE(forms.contains("12345678-Z"));
}

TEST(DocumentsTest, FrenchNirHasValidKey) {
  Rng rng(7);
  const std::string nir = FrenchNir(model::PartialDate::Day(1985, 3, 14), true, true, rng);
  ASSERT_EQ(nir.size(), 15u);
  EXPECT_EQ(nir.substr(0, 5), "18503");
  EXPECT_EQ(nir.substr(5, 2), "99");
  const uint64_t base = std::stoull(nir.substr(0, 13));
  EXPECT_EQ(std::stoull(nir.substr(13)), 97 - base % 97);
}

TEST(DocumentsTest, PhoneFormats) {
  Rng rng(8);
  std::set<std::string> be, fr, ma;
  for (int i = 0; i < 300; ++i) {
    be.insert(FormatPhone("BE", "470123456", &rng));
    fr.insert(FormatPhone("FR", "612345678", &rng));
    ma.insert(FormatPhone("MA", "612345678", &rng));
  }
  EXPECT_TRUE(be.contains("+32 470 12 34 56"));
  EXPECT_TRUE(be.contains("0470/12.34.56"));
  EXPECT_TRUE(be.contains("0032470123456"));
  EXPECT_TRUE(fr.contains("+33 6 12 34 56 78"));
  EXPECT_TRUE(fr.contains("06 12 34 56 78"));
  EXPECT_TRUE(ma.contains("+212 6 12 34 56 78"));
  EXPECT_TRUE(ma.contains("0612-345678"));
  for (const auto* set : {&be, &fr, &ma}) {
    for (const auto& p : *set) EXPECT_EQ(model::CheckPropertyValue("phone", p), "") << p;
  }
  EXPECT_EQ(FormatPhone("ES", "612345678", nullptr), "+34612345678");
}

}  // namespace
}  // namespace entente::synth
