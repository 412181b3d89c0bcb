#include "text/country_names.h"

#include <gtest/gtest.h>

namespace entente::text {
namespace {

TEST(CountryNamesTest, CodesAndNamesInTheLanguagesOfThePartners) {
  EXPECT_EQ(CountryCodeOf("MA"), "MA");
  EXPECT_EQ(CountryCodeOf("ma"), "MA");
  EXPECT_EQ(CountryCodeOf("MAR"), "MA");
  EXPECT_EQ(CountryCodeOf("Morocco"), "MA");
  EXPECT_EQ(CountryCodeOf("MAROC"), "MA");
  EXPECT_EQ(CountryCodeOf("Marruecos"), "MA");
  EXPECT_EQ(CountryCodeOf("المغرب"), "MA");
  EXPECT_EQ(CountryCodeOf("Belgique"), "BE");
  EXPECT_EQ(CountryCodeOf("België"), "BE");
  EXPECT_EQ(CountryCodeOf("España"), "ES");
  EXPECT_EQ(CountryCodeOf("Russia"), "RU");
  EXPECT_EQ(CountryCodeOf("Côte d’Ivoire"), "CI");
  EXPECT_EQ(CountryCodeOf("Ivory Coast"), "CI");
  EXPECT_EQ(CountryCodeOf("  united   kingdom "), "GB");
  EXPECT_EQ(CountryCodeOf("Kosovo"), "XK");
}

TEST(CountryNamesTest, WhatNamesNoCountryIsRefused) {
  EXPECT_EQ(CountryCodeOf("Atlantis"), std::nullopt);
  EXPECT_EQ(CountryCodeOf(""), std::nullopt);
  EXPECT_EQ(CountryCodeOf("zz"), std::nullopt);
  EXPECT_EQ(CountryCodeOf("1980-01-01"), std::nullopt);
}

}  // namespace
}  // namespace entente::text
