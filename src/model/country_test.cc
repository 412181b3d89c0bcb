#include "model/country.h"

#include <gtest/gtest.h>

namespace entente::model {
namespace {

TEST(CountryTest, KnowsThePartnersAndTheirNeighbours) {
  for (const char* code :
       {"BE", "FR", "ES", "MA", "NL", "DZ", "TN", "SY", "IQ", "TR", "RU", "XK"}) {
    EXPECT_TRUE(IsCountryCode(code)) << code;
  }
  EXPECT_TRUE(IsCountryCode("be"));
}

TEST(CountryTest, RejectsNonCodes) {
  for (const char* code : {"", "B", "BEL", "UK", "EU", "ZZ", "b3", "12"}) {
    EXPECT_FALSE(IsCountryCode(code)) << code;
  }
}

TEST(CountryTest, Canonicalises) {
  EXPECT_EQ(CanonicalCountry("ma"), "MA");
  EXPECT_EQ(CanonicalCountry("Fr"), "FR");
}

}  // namespace
}  // namespace entente::model
