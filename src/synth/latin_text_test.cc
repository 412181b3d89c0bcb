#include "synth/latin_text.h"

#include <gtest/gtest.h>

namespace entente::synth {
namespace {

TEST(LatinTextTest, UppercasesLatinAndTurkishLetters) {
  EXPECT_EQ(UppercaseLatin("El Amrani"), "EL AMRANI");
  EXPECT_EQ(UppercaseLatin("Öztürk Çelik"), "ÖZTÜRK ÇELIK");
  EXPECT_EQ(UppercaseLatin("Yıldız Şahin"), "YILDIZ ŞAHIN");
  EXPECT_EQ(UppercaseLatin("Élodie Lefèvre"), "ÉLODIE LEFÈVRE");
  EXPECT_EQ(UppercaseLatin("محمد"), "محمد");
}

TEST(LatinTextTest, LowercasesAndTitleCases) {
  EXPECT_EQ(LowercaseLatin("ÉLODIE"), "élodie");
  EXPECT_EQ(TitleCaseLatin("van DEN broeck"), "Van Den Broeck");
  EXPECT_EQ(TitleCaseLatin("turpal-ali"), "Turpal-Ali");
  EXPECT_EQ(CapitalizeFirst("el amrani"), "El amrani");
  EXPECT_EQ(CapitalizeFirst(""), "");
}

TEST(LatinTextTest, StripsDiacritics) {
  EXPECT_EQ(StripDiacritics("Çağrı Öztürk"), "Cagri Ozturk");
  EXPECT_EQ(StripDiacritics("İbrahim Şimşek"), "Ibrahim Simsek");
  EXPECT_EQ(StripDiacritics("Jérôme Lefèvre"), "Jerome Lefevre");
  EXPECT_EQ(StripDiacritics("Muñoz Álvarez"), "Munoz Alvarez");
  EXPECT_EQ(StripDiacritics("Saïd"), "Said");
}

}  // namespace
}  // namespace entente::synth
