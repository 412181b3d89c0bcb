#include "synth/name_rendering.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "synth/latin_text.h"

namespace entente::synth {
namespace {

constexpr size_t kBE = 0;
constexpr size_t kFR = 1;
constexpr size_t kES = 2;
constexpr size_t kMA = 3;

PersonName ElAmrani() {
  PersonName name;
  name.origin = Origin::kMoroccan;
  name.sex = Sex::kMale;
  name.given = "muHammed";
  name.surname = "al+3amrAnI";
  return name;
}

bool HasArabicLetter(const std::string& s) {
  return s.find('\xd9') != std::string::npos || s.find('\xd8') != std::string::npos;
}

// Levenshtein with adjacent transposition (optimal string alignment), on bytes.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

TEST(NameRenderingTest, EachPartnerWritesTheNameItsOwnWay) {
  Rng rng(3);
  std::set<std::string> be, fr, es;
  for (int i = 0; i < 3000; ++i) {
    be.insert(RenderName(ElAmrani(), kBE, 0, rng).name);
    fr.insert(RenderName(ElAmrani(), kFR, 0, rng).name);
    es.insert(RenderName(ElAmrani(), kES, 0, rng).name);
  }
  EXPECT_TRUE(be.contains("Mohamed El Amrani"));
  EXPECT_TRUE(be.contains("Mohammed Elamrani"));
  EXPECT_TRUE(be.contains("Mohamed EL AMRANI"));
  EXPECT_TRUE(be.contains("El Amrani, Mohamed"));
  EXPECT_TRUE(be.contains("Moehammed El Amrani"));
  EXPECT_TRUE(fr.contains("EL AMRANI Mohammed"));
  EXPECT_TRUE(fr.contains("EL AMRANI Mohamed"));
  EXPECT_TRUE(fr.contains("El-Amrani, Mohamed"));
  EXPECT_TRUE(es.contains("Mohamed Amrani"));
  EXPECT_TRUE(es.contains("Muhammed Amrani"));
}

TEST(NameRenderingTest, MoroccoWritesArabicScriptWithALatinAlias) {
  Rng rng(4);
  std::set<std::string> aliases;
  for (int i = 0; i < 500; ++i) {
    const RenderedName r = RenderName(ElAmrani(), kMA, 0, rng);
    EXPECT_EQ(r.name, "محمد العمراني");
    EXPECT_EQ(r.arabic_first, "محمد");
    EXPECT_EQ(r.arabic_last, "العمراني");
    EXPECT_EQ(r.latin_alias, UppercaseLatin(r.latin_alias));
    EXPECT_EQ(r.latin_alias, r.last_name + " " + r.first_name);
    aliases.insert(r.latin_alias);
  }
  EXPECT_TRUE(aliases.contains("EL AMRANI MOHAMED"));
  EXPECT_TRUE(aliases.contains("EL AMRANI MOHAMMED"));
}

TEST(NameRenderingTest, MoroccoWritesOtherOriginsInLatinCapitals) {
  PersonName name;
  name.origin = Origin::kWalloon;
  name.given = "Sébastien";
  name.surname = "Lambert";
  Rng rng(5);
  const RenderedName r = RenderName(name, kMA, 0, rng);
  EXPECT_EQ(r.name, "LAMBERT SEBASTIEN");
  EXPECT_TRUE(r.latin_alias.empty());
  EXPECT_FALSE(HasArabicLetter(r.name));
}

TEST(NameRenderingTest, FirstAndLastNameAreWrittenAsInTheFullName) {
  Rng rng(6);
  for (Origin origin : {Origin::kMoroccan, Origin::kTurkish, Origin::kChechen, Origin::kSpanish,
                        Origin::kFlemish}) {
    for (int i = 0; i < 300; ++i) {
      PersonName name;
      name.origin = origin;
      name.sex = i % 3 == 0 ? Sex::kFemale : Sex::kMale;
      name.given = GivenNames(
          origin, name.sex)[static_cast<size_t>(i) % GivenNames(origin, name.sex).size()];
      name.surname = Surnames(origin)[static_cast<size_t>(i) % Surnames(origin).size()];
      if (origin == Origin::kSpanish) name.second_surname = "Ortega";
      const size_t partner = static_cast<size_t>(i) % 3;
      const RenderedName r = RenderName(name, partner, 0.5, rng);
      EXPECT_NE(r.name.find(r.first_name), std::string::npos) << r.name;
      EXPECT_NE(r.name.find(r.last_name), std::string::npos) << r.name;
      EXPECT_EQ(r.name.find("  "), std::string::npos) << r.name;
    }
  }
}

TEST(NameRenderingTest, SpanishRecordsUsuallyKeepBothSurnames) {
  PersonName name;
  name.origin = Origin::kSpanish;
  name.given = "Javier";
  name.surname = "Moreno";
  name.second_surname = "Castro";
  Rng rng(7);
  std::set<std::string> shown;
  for (int i = 0; i < 400; ++i) shown.insert(RenderName(name, kES, 0, rng).last_name);
  EXPECT_TRUE(shown.contains("Moreno Castro"));
  EXPECT_TRUE(shown.contains("Moreno"));
}

TEST(NameRenderingTest, KunyaWithNisba) {
  Rng rng(8);
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) {
    seen.insert(RenderKunya("muS3ab", NisbaOf("BE"), Sex::kMale, Convention::kEnglish, rng));
    seen.insert(RenderKunya("Hamza@", NisbaOf("FR"), Sex::kMale, Convention::kEnglish, rng));
  }
  EXPECT_TRUE(seen.contains("Abu Musab al-Baljiki"));
  EXPECT_TRUE(seen.contains("Abu Hamza al-Faransi"));
  const std::string umm =
      RenderKunya("Hamza@", NisbaOf("FR"), Sex::kFemale, Convention::kFrench, rng);
  EXPECT_TRUE(umm.starts_with("Oum") || umm.starts_with("Um")) << umm;
}

TEST(NameRenderingTest, ChechenRoutes) {
  EXPECT_EQ(ChechenVariant("Kadyrov", Convention::kEnglish, nullptr), "Kadirov");
  EXPECT_EQ(ChechenVariant("Zelimkhan", Convention::kDutch, nullptr), "Selimchan");
  EXPECT_EQ(ChechenVariant("Kadyrov", Convention::kDutch, nullptr), "Kadyrow");
  EXPECT_EQ(ChechenVariant("Zelimkhan", Convention::kSpanish, nullptr), "Zelimjan");
  EXPECT_EQ(ChechenVariant("Yusupov", Convention::kFrench, nullptr), "Ioussoupov");
  EXPECT_EQ(ChechenVariant("Dzhabrailov", Convention::kFrench, nullptr), "Djabrailov");
  EXPECT_EQ(ChechenVariant("Turpal-Ali", Convention::kDutch, nullptr), "Turpal-Ali");
  Rng rng(9);
  std::set<std::string> seen;
  for (int i = 0; i < 300; ++i) seen.insert(ChechenVariant("Kadyrov", Convention::kEnglish, &rng));
  EXPECT_TRUE(seen.contains("Kadyrov"));
  EXPECT_TRUE(seen.contains("Kadirov"));
}

TEST(NameRenderingTest, ParticleSurnames) {
  EXPECT_EQ(RenderParticleSurname("van+den+Broeck", ParticleStyle::kDetached), "van den Broeck");
  EXPECT_EQ(RenderParticleSurname("van+den+Broeck", ParticleStyle::kAttached), "Vandenbroeck");
  EXPECT_EQ(RenderParticleSurname("van+den+Broeck", ParticleStyle::kHyphenated), "Van Den Broeck");
  EXPECT_EQ(RenderParticleSurname("De+Smet", ParticleStyle::kDropped), "Smet");
  EXPECT_EQ(RenderParticleSurname("Du~Bois", ParticleStyle::kAttached), "Dubois");
  EXPECT_EQ(RenderParticleSurname("Du~Bois", ParticleStyle::kDetached), "Du Bois");
  EXPECT_EQ(RenderParticleSurname("Peeters", ParticleStyle::kAttached), "Peeters");
}

TEST(NameRenderingTest, TypoIsOneEdit) {
  Rng rng(10);
  for (const std::string word : {"Mohamed", "El Amrani", "Öztürk", "Abdelkader", "Ali"}) {
    for (int i = 0; i < 200; ++i) {
      const std::string typo = ApplyTypo(word, rng);
      EXPECT_LE(EditDistance(word, typo), 1u) << word << " -> " << typo;
      EXPECT_FALSE(typo.empty());
      EXPECT_NE(typo.front(), ' ');
      EXPECT_NE(typo.back(), ' ');
    }
  }
}

TEST(NameRenderingTest, SkeletonIsSharedBySpellingVariants) {
  PersonName a = ElAmrani();
  PersonName b = ElAmrani();
  b.origin = Origin::kSyrian;
  b.given = "muHammad";
  EXPECT_EQ(NameSkeleton(a), NameSkeleton(b));
  EXPECT_EQ(NameSkeleton(a), "mhmd|mrn");
  PersonName dropped = ElAmrani();
  dropped.surname = "3amrAnI";
  EXPECT_EQ(NameSkeleton(a), NameSkeleton(dropped));
  PersonName c = ElAmrani();
  c.surname = "bin+3alI";
  EXPECT_NE(NameSkeleton(a), NameSkeleton(c));
}

}  // namespace
}  // namespace entente::synth
