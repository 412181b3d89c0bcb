#include "match/screener.h"

#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#include "common/random.h"
#include "common/testing.h"
#include "match/identity.h"
#include "model/csv_row_reader.h"

namespace entente::match {
namespace {

// Splink's fake_1000 as identities: names with typos, dates of birth, e-mails; some listed twice
// or more (its clusters). A small real-shaped watchlist for checking the screener's invariants.
std::vector<Identity> Fake1000() {
  const std::string path = entente::testing::PublicDataPath("splink/fake_1000.csv");
  std::ifstream in(path, std::ios::binary);
  model::CsvRowReader reader(in, path);
  model::Problems problems;
  std::vector<Identity> out;
  Rng rng(7);
  bool header = true;
  while (reader.Next({}, &problems) == model::CsvRowReader::Outcome::kRow) {
    if (reader.blank()) continue;
    if (header) {
      header = false;
      continue;
    }
    auto cell = [&](size_t i) { return reader.fields()[i].text; };
    model::Entity e;
    e.id = cell(0);
    e.schema = model::Schema::kPerson;
    const std::string name = cell(1) + " " + cell(2);
    if (name.size() > 1) e.Add("name", name);
    if (!cell(3).empty()) e.Add("birthDate", cell(3));
    if (!cell(5).empty()) e.Add("email", cell(5));
    // Fields fake_1000 lacks, drawn at random so that every bound of the screener is exercised.
    if (rng.Below(3) != 0) e.Add("gender", rng.Below(2) == 0 ? "male" : "female");
    for (uint64_t k = rng.Below(4); k > 0; --k) {
      e.Add("nationality", std::string(rng.Below(2) == 0 ? "be" : rng.Below(2) == 0 ? "fr" : "ma"));
    }
    if (rng.Below(4) == 0) e.Add("birthDate", "19" + std::to_string(50 + rng.Below(50)));
    // Documents and phones of the cluster (the same person), some with a typo, some unrelated.
    const uint64_t cluster = std::stoull(cell(6));
    if (rng.Below(2) == 0) {
      std::string document = "EM" + std::to_string(1000000 + cluster * 7919 % 9000000);
      if (rng.Below(4) == 0) document[rng.Below(document.size())] = 'X';
      if (rng.Below(6) == 0) document = "ZZ" + std::to_string(1000000 + rng.Below(9000000));
      e.Add("passportNumber", document);
    }
    if (rng.Below(3) == 0) {
      e.Add("phone", "0470" + std::to_string(100000 + (rng.Below(4) == 0 ? rng.Below(900000)
                                                                         : cluster * 31 % 900000)));
    }
    out.push_back(CompileIdentity(e));
  }
  return out;
}

// "El Azzaui, Ayub" and "Ayyoub El Azzawi" share no key of two sound classes (Ayub and Ayyoub
// are B, Azzaui S and Azzawi SW): the full date they share, with a one-class token, finds them.
TEST(ScreenerTest, AShortTokenWithTheFullDateFindsACandidate) {
  Rng rng(5);
  std::vector<Identity> listed;
  auto person = [](const std::string& id, const std::string& name, const std::string& birth) {
    model::Entity e;
    e.id = id;
    e.Add("name", name);
    e.Add("birthDate", birth);
    return CompileIdentity(e);
  };
  for (int i = 0; i < 1000; ++i) {
    listed.push_back(person("w" + std::to_string(i), entente::testing::RandomSyllableName(rng),
                            entente::testing::RandomBirthDate(rng)));
  }
  listed.push_back(person("ayyoub", "Ayyoub El Azzawi", "1989-12-27"));
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  Screener::Scratch scratch;
  auto found = [&](const std::string& birth) {
    for (uint32_t c : screener.Candidates(person("q", "El Azzaui, Ayub", birth), {}, scratch)) {
      if (index.identity(c).id == "ayyoub") return true;
    }
    return false;
  };
  EXPECT_TRUE(found("1989-12-27"));
  EXPECT_FALSE(found("1989-12-28")) << "the date makes the key: a one-class token alone does not";
}

// Names whose every token is of one sound class (Korean, Chinese, Vietnamese names) and noms de
// guerre are gathered as candidates among a thousand other people, and only the right ones.
TEST(ScreenerTest, ShortTokenNamesAndNomsDeGuerreAreCandidates) {
  Rng rng(11);
  std::vector<Identity> listed;
  auto person = [](const std::string& id, std::vector<std::pair<std::string, std::string>> values) {
    model::Entity e;
    e.id = id;
    for (const auto& [property, value] : values) e.Add(property, value);
    return CompileIdentity(e);
  };
  for (int i = 0; i < 1000; ++i) {
    listed.push_back(
        person("w" + std::to_string(i), {{"name", entente::testing::RandomSyllableName(rng)},
                                         {"birthDate", entente::testing::RandomBirthDate(rng)}}));
  }
  listed.push_back(person("ri", {{"name", "RI JAE IL"}, {"birthDate", "1979"}}));
  listed.push_back(person("choe", {{"name", "CHOE HWI"}, {"birthDate", "1954"}}));
  listed.push_back(person(
      "karim",
      {{"name", "Karim Benali"}, {"alias", "Abu Hamza al-Belgiki"}, {"birthDate", "1990-02-03"}}));
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  Screener::Scratch scratch;
  auto found = [&](const Identity& query, const std::string& id) {
    for (uint32_t c : screener.Candidates(query, {}, scratch)) {
      if (index.identity(c).id == id) return true;
    }
    return false;
  };
  EXPECT_TRUE(found(person("q", {{"name", "Ri Jae Il"}, {"birthDate", "1979"}}), "ri"));
  EXPECT_TRUE(found(person("q", {{"name", "Choe Hwi"}}), "choe"));
  EXPECT_FALSE(found(person("q", {{"name", "Choe Il"}, {"birthDate", "1954"}}), "choe"));
  EXPECT_TRUE(found(person("q", {{"name", "Abu Hamza al-Belgiki"}}), "karim"));
  EXPECT_TRUE(found(person("q", {{"weakAlias", "Abou Hamza el-Belgiki"}}), "karim"));
  EXPECT_FALSE(found(person("q", {{"name", "Abu Talha al-Almani"}}), "karim"));
}

TEST(ScreenerTest, WeightBoundIsAtLeastTheMatchWeight) {
  const CandidateIndex index = CandidateIndex::Build(Fake1000(), 1);
  ASSERT_GE(index.size(), Screener::kMinListedForNameFrequency);
  const Screener screener(index, DefaultModel());
  int checked = 0;
  for (uint32_t q = 0; q < index.size(); q += 7) {
    for (uint32_t c = 0; c < index.size(); ++c) {
      const ScreenMatch match = screener.Score(index.identity(q), c);
      const double weight = screener.model().MatchWeight(match.comparison);
      ASSERT_GE(screener.WeightBound(index.identity(q), c), weight - 1e-9)
          << index.identity(q).id << " vs " << index.identity(c).id;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100000);
}

// The summaries hold one country of residence: the bound reads it, agreeing or not, and takes
// the best level for a listed person with several.
TEST(ScreenerTest, WeightBoundHoldsForCountriesOfResidence) {
  const std::vector<std::vector<std::string>> combinations = {
      {}, {"BE"}, {"FR"}, {"BE", "MA"}, {"MA", "FR"}, {"ES", "MA", "FR"}};
  auto person = [](const std::string& id, const std::vector<std::string>& countries) {
    model::Entity e;
    e.id = id;
    e.schema = model::Schema::kPerson;
    e.Add("name", "Karim Benali");
    for (const auto& c : countries) e.Add("country", c);
    return CompileIdentity(e);
  };
  std::vector<Identity> listed;
  for (size_t i = 0; i < combinations.size(); ++i) {
    listed.push_back(person("l" + std::to_string(i), combinations[i]));
  }
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  int disagreeing = 0;
  for (size_t q = 0; q < combinations.size(); ++q) {
    const Identity query = person("q", combinations[q]);
    for (uint32_t c = 0; c < index.size(); ++c) {
      const ScreenMatch match = screener.Score(query, c);
      const double weight = screener.model().MatchWeight(match.comparison);
      const double bound = screener.WeightBound(query, c);
      EXPECT_GE(bound, weight - 1e-9) << q << " vs " << index.identity(c).id;
      if (match.comparison.level(Field::kCountry) == 2) {
        ++disagreeing;
        // A single listed country that disagrees is read, not assumed to agree.
        if (index.identity(c).countries[1] == 0) {
          EXPECT_NEAR(bound, weight, 1e-9);
        }
      }
    }
  }
  EXPECT_GT(disagreeing, 5);
}

// u of the close name levels comes from a few random pairs (half a count when none is seen),
// that of the exact level from name frequencies: the screener keeps a closer name the stronger
// evidence whatever the estimates say.
TEST(ScreenerTest, ACloserNameIsNeverWeakerEvidence) {
  const CandidateIndex index = CandidateIndex::Build(Fake1000(), 1);
  FsModel model = DefaultModel();
  const auto name = static_cast<size_t>(Field::kName);
  model.u[name][2] = 1e-9;  // very close: never seen
  model.u[name][4] = 1e-9;  // similar: never seen
  const Screener screener(index, model);
  for (int l = 2; l < LevelCount(Field::kName); ++l) {
    EXPECT_LE(screener.model().LevelWeight(Field::kName, l),
              screener.model().LevelWeight(Field::kName, l - 1) + 1e-9)
        << LevelName(Field::kName, l);
  }
  // Left alone where the estimates are in order.
  EXPECT_EQ(screener.model().u[name][5], model.u[name][5]);
  EXPECT_EQ(screener.model().u[name][6], model.u[name][6]);
}

TEST(ScreenerTest, ScreenReportsEveryCandidateAboveTheThreshold) {
  const CandidateIndex index = CandidateIndex::Build(Fake1000(), 1);
  const Screener screener(index, DefaultModel());
  Screener::Scratch scratch;
  size_t reported = 0;
  for (double threshold : {0.01, 0.5, 0.9}) {
    ScreenOptions options;
    options.threshold = threshold;
    options.one_person = false;  // each pair alone, as Score scores it (competition: below)
    for (uint32_t q = 0; q < index.size(); ++q) {
      // Each pair as Score finds it: probability, name similarity and forms, levels.
      using Found =
          std::tuple<uint32_t, double, double, int, int, std::array<uint8_t, kFieldCount>>;
      auto found = [](const ScreenMatch& m) {
        return Found(m.index, m.probability, m.comparison.name_similarity, m.comparison.name_form_a,
                     m.comparison.name_form_b, m.comparison.levels);
      };
      std::set<Found> expected;
      for (uint32_t c : screener.Candidates(index.identity(q), options, scratch)) {
        const ScreenMatch match = screener.Score(index.identity(q), c);
        if (match.probability >= threshold) expected.insert(found(match));
      }
      std::set<Found> got;
      for (const auto& m : screener.Screen(index.identity(q), options, scratch)) {
        got.insert(found(m));
      }
      ASSERT_EQ(got, expected) << index.identity(q).id << " at " << threshold;
      reported += got.size();
    }
  }
  EXPECT_GT(reported, 1000U);
}

Identity Listed(const std::string& id, const std::string& name, const std::string& birth,
                const std::string& passport = "") {
  model::Entity e;
  e.id = id;
  e.schema = model::Schema::kPerson;
  e.Add("name", name);
  if (!birth.empty()) e.Add("birthDate", birth);
  e.Add("gender", "male");
  e.Add("nationality", "fr");
  if (!passport.empty()) e.Add("passportNumber", passport);
  return CompileIdentity(e);
}

// A ranked search lists the candidates whatever the threshold (a name alone may not reach it:
// in a large register an exact name weighs less than the prior of one query), its bearer first,
// with the same calibrated probability as screening, and nobody whose evidence weighs against.
TEST(ScreenerTest, ANameAloneIsRanked) {
  Rng rng(23);
  std::vector<Identity> listed;
  for (int i = 0; i < 3000; ++i) {
    listed.push_back(Listed("w" + std::to_string(i), entente::testing::RandomSyllableName(rng),
                            entente::testing::RandomBirthDate(rng)));
  }
  listed.push_back(Listed("target", "Youssef El Khattabi", "1992-01-20"));
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  Screener::Scratch scratch;
  model::Entity q;
  q.id = "q";
  q.Add("name", "EL KHATTABI Youcef");
  const Identity query = CompileIdentity(q);
  ScreenOptions search;
  search.ranked = true;
  const auto ranked = screener.Screen(query, search, scratch);
  ASSERT_FALSE(ranked.empty());
  EXPECT_EQ(index.identity(ranked[0].index).id, "target");
  EXPECT_NEAR(ranked[0].probability, screener.Score(query, ranked[0].index).probability, 1e-9);
  // A threshold above its probability: screening drops it, a ranked search keeps it.
  ScreenOptions screening;
  screening.threshold = ranked[0].probability + (1 - ranked[0].probability) / 2;
  EXPECT_TRUE(screener.Screen(query, screening, scratch).empty());
  search.threshold = screening.threshold;
  EXPECT_EQ(screener.Screen(query, search, scratch).size(), ranked.size());
  for (const auto& m : ranked) {
    EXPECT_GT(screener.model().MatchWeight(m.comparison), screener.model().PriorBits());
  }
}

// A nom de guerre in common weighs by how many listed people bear it: one that a hundred share
// weighs less than one only its bearer has, and the explanation says so.
TEST(ScreenerTest, ANomDeGuerreWeighsByHowManyBearIt) {
  Rng rng(31);
  std::vector<Identity> listed;
  auto person = [](const std::string& id, const std::string& name, const std::string& kunya) {
    model::Entity e;
    e.id = id;
    e.Add("name", name);
    e.Add("birthDate", "1990");
    if (!kunya.empty()) e.Add("alias", kunya);
    return CompileIdentity(e);
  };
  for (int i = 0; i < 2000; ++i) {
    listed.push_back(person("w" + std::to_string(i), entente::testing::RandomSyllableName(rng),
                            i % 20 == 0 ? "Abu Hamza" : ""));
  }
  listed.push_back(person("rare", "Karim Benali", "Abu Hamza al-Belgiki"));
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  auto score = [&](const std::string& kunya, const std::string& id) {
    model::Entity q;
    q.id = "q";
    q.Add("alias", kunya);
    q.Add("birthDate", "1990");
    for (uint32_t i = 0; i < index.size(); ++i) {
      if (index.identity(i).id == id) return screener.Score(CompileIdentity(q), i);
    }
    return ScreenMatch{};
  };
  const ScreenMatch rare = score("Abou Hamza el-Belgiki", "rare");
  const ScreenMatch common = score("Abu Hamza", "w0");
  ASSERT_EQ(rare.comparison.level(Field::kWeakAlias), 1);
  ASSERT_EQ(common.comparison.level(Field::kWeakAlias), 1);
  EXPECT_GT(rare.comparison.weak_frequency_bits, common.comparison.weak_frequency_bits + 3);
  EXPECT_GT(rare.probability, common.probability);
  EXPECT_NE(screener.model().Explain(rare.comparison).find("nomDeGuerre=same"), std::string::npos);
}

// A query is one person. Two listed namesakes it cannot tell apart share its odds, and the one
// its birth date agrees with keeps nearly all of them; two records of one listed person (the
// same passport) do not compete.
TEST(ScreenerTest, HitsOfOnePersonCompete) {
  std::vector<Identity> listed = {Listed("W1", "Romain Moreau", "1976-04-14"),
                                  Listed("W2", "Romain Moreau", "1990-02-02"),
                                  Listed("W3", "Karim Haddouchi", "1985-06-01", "EM1234567"),
                                  Listed("W4", "HADDOUCHI Karim", "1985-06-01", "EM1234567")};
  for (int i = 0; i < 40; ++i) {
    listed.push_back(Listed(
        "X" + std::to_string(i),
        "Person" + std::string(1, static_cast<char>('a' + i % 26)) + std::to_string(i) + " Other",
        "1960-01-0" + std::to_string(1 + i % 9)));
  }
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  Screener::Scratch scratch;
  ScreenOptions alone;
  alone.threshold = 0.001;
  alone.one_person = false;
  ScreenOptions compete = alone;
  compete.one_person = true;
  auto scores = [&](const Identity& query, const ScreenOptions& options) {
    std::map<std::string, ScreenMatch> out;
    for (const auto& m : screener.Screen(query, options, scratch)) {
      out[index.identity(m.index).id] = m;
    }
    return out;
  };

  const Identity namesake = Listed("Q1", "Romain Moreau", "");
  auto a = scores(namesake, alone);
  auto c = scores(namesake, compete);
  ASSERT_TRUE(a.contains("W1") && a.contains("W2"));
  ASSERT_TRUE(c.contains("W1") && c.contains("W2"));
  for (const char* id : {"W1", "W2"}) {
    EXPECT_GT(c[id].comparison.competition_bits, 0.5) << id;
    EXPECT_LT(c[id].probability, a[id].probability) << id;
    EXPECT_NE(screener.model().Explain(c[id].comparison).find(" others-"), std::string::npos);
  }
  EXPECT_NEAR(c["W1"].probability, c["W2"].probability, 1e-9) << "nothing tells them apart";

  const Identity born = Listed("Q2", "Romain Moreau", "1976-04-14");
  a = scores(born, alone);
  c = scores(born, compete);
  ASSERT_TRUE(c.contains("W1") && a.contains("W2"));
  EXPECT_GT(c["W1"].probability, 0.99) << "the other is far less likely";
  EXPECT_TRUE(!c.contains("W2") || c["W2"].probability < a["W2"].probability / 100)
      << "the namesake born another year gives way to the one born that day";

  const Identity twice = Listed("Q3", "Karim Haddouchi", "1985-06-01");
  a = scores(twice, alone);
  c = scores(twice, compete);
  ASSERT_TRUE(c.contains("W3") && c.contains("W4"));
  for (const char* id : {"W3", "W4"}) {
    EXPECT_LT(c[id].comparison.competition_bits, 0.01) << id << ": one person listed twice";
    EXPECT_NEAR(c[id].probability, a[id].probability, 1e-3) << id;
  }
}

// NameSimilarity with a floor is NameSimilarity at or above the floor, and below it otherwise.
TEST(ScreenerTest, NameSimilarityWithAFloorIsExactAtOrAboveIt) {
  const std::vector<Identity> identities = Fake1000();
  std::vector<const NameForm*> forms;
  for (const auto& identity : identities) {
    for (const auto& form : identity.names) forms.push_back(&form);
  }
  int above = 0, stopped = 0;
  for (size_t i = 0; i < forms.size(); i += 3) {
    for (size_t j = 0; j < forms.size(); j += 5) {
      const double exact = NameSimilarity(*forms[i], *forms[j]);
      for (double floor : {0.5, 0.76, 0.84, 0.9, 0.92, 0.95, 0.995}) {
        const double got = NameSimilarity(*forms[i], *forms[j], floor);
        if (exact >= floor) {
          ASSERT_EQ(got, exact) << i << " " << j << " at " << floor;
          ++above;
        } else {
          ASSERT_LT(got, floor) << i << " " << j << " at " << floor;
          stopped += got != exact;
        }
      }
    }
  }
  EXPECT_GT(above, 1000);
  EXPECT_GT(stopped, 10000);
}

// Names just at a level's threshold, with one token far from its partner: the floor stops
// the comparison only when the name cannot reach it.
TEST(ScreenerTest, NameSimilarityFloorKeepsNamesAtTheThreshold) {
  const NameForm a = CompileName("Mohamed Abdelkader Benali Amrani");
  for (const char* other : {"Mohamed Abdelkader Benali Amrani", "Mohamed Abdelkader Benali Amrane",
                            "Mohamed Abdelkader Benali Zouhri", "Mohammed Abdelkader Benali",
                            "Mohamed Abdelkader Benali Amrani Youssef"}) {
    const NameForm b = CompileName(other);
    const double exact = NameSimilarity(a, b);
    EXPECT_EQ(NameSimilarity(a, b, exact), exact) << other;
    EXPECT_EQ(NameSimilarity(b, a, exact), exact) << other;
    EXPECT_LT(NameSimilarity(a, b, exact + 1e-6), exact + 1e-6) << other;
  }
}

model::Entity Person(const std::string& id, const std::vector<std::string>& documents,
                     const std::vector<std::string>& phones) {
  model::Entity e;
  e.id = id;
  e.schema = model::Schema::kPerson;
  e.Add("name", "Youssef El Khattabi");
  e.Add("birthDate", "1990-03-14");
  // "id:" marks an identity number; the others are passports.
  for (const auto& d : documents) {
    if (d.starts_with("id:")) {
      e.Add("idNumber", d.substr(3));
    } else {
      e.Add("passportNumber", d);
    }
  }
  for (const auto& p : phones) e.Add("phone", p);
  return e;
}

// Every document one typo away from a listed one (a symbol changed, dropped or added at each
// position), and exact, transposed and unrelated ones; listed people with one, two or three
// documents, and phones equal or not.
std::vector<model::Entity> DocumentVariants() {
  const std::string listed = "EM1234567";
  std::vector<std::string> documents = {listed, "ZZ9988776", "ME1234567", "EM1234576", "EM12"};
  for (size_t i = 0; i < listed.size(); ++i) {
    std::string changed = listed;
    changed[i] = changed[i] == 'X' ? 'Y' : 'X';
    documents.push_back(changed);
    documents.push_back(listed.substr(0, i) + listed.substr(i + 1));
    documents.push_back(listed.substr(0, i) + "Q" + listed.substr(i));
  }
  documents.push_back(listed + "Q");
  std::vector<model::Entity> out;
  for (size_t i = 0; i < documents.size(); ++i) {
    const std::string phone = i % 2 == 0 ? "+32 470 12 34 56" : "0470 65 43 21";
    // Passports, identity numbers, and both kinds.
    std::vector<std::string> held = {documents[i]};
    if (i % 3 == 1) held = {"id:" + documents[i]};
    if (i % 3 == 2) held.push_back("id:ZZ5550001");
    out.push_back(Person("d" + std::to_string(i), held, {phone}));
  }
  return out;
}

TEST(ScreenerTest, WeightBoundHoldsForDocumentsAndPhonesOneTypoApart) {
  std::vector<Identity> listed;
  listed.push_back(CompileIdentity(Person("one", {"EM1234567"}, {"+32 470 12 34 56"})));
  listed.push_back(
      CompileIdentity(Person("two", {"AB0000001", "EM1234567"}, {"0611111111", "0470123456"})));
  listed.push_back(CompileIdentity(Person("three", {"AB0000001", "CD0000002", "EM1234567"},
                                          {"0611111111", "0622222222", "0470123456"})));
  listed.push_back(CompileIdentity(Person("none", {}, {})));
  listed.push_back(CompileIdentity(Person("identity", {"id:EM1234567"}, {})));
  listed.push_back(CompileIdentity(Person("both", {"id:YY4440001", "XX1112223"}, {})));
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  for (const auto& entity : DocumentVariants()) {
    const Identity query = CompileIdentity(entity);
    for (uint32_t c = 0; c < index.size(); ++c) {
      const double weight = screener.model().MatchWeight(screener.Score(query, c).comparison);
      EXPECT_GE(screener.WeightBound(query, c), weight - 1e-9)
          << query.documents.front().number << " vs " << index.identity(c).id;
    }
  }
}

TEST(ScreenerTest, WeightBoundCountsUnrelatedDocumentsAndPhonesAsDifferent) {
  std::vector<Identity> listed;
  listed.push_back(CompileIdentity(Person("one", {"EM1234567"}, {"+32 470 12 34 56"})));
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  const Screener screener(index, DefaultModel());
  auto bound = [&](const std::string& document, const std::string& phone) {
    return screener.WeightBound(CompileIdentity(Person("q", {document}, {phone})), 0);
  };
  auto weight = [&](const std::string& document, const std::string& phone) {
    const Identity query = CompileIdentity(Person("q", {document}, {phone}));
    return screener.model().MatchWeight(screener.Score(query, 0).comparison);
  };
  // Same name and birth date: the bound is the weight itself when documents and phones are
  // equal or unrelated (one typo apart, the summary cannot tell a typo from equality).
  for (const std::string document : {"EM1234567", "ZZ9988776"}) {
    for (const std::string phone : {"+32 470 12 34 56", "0470 65 43 21"}) {
      EXPECT_NEAR(bound(document, phone), weight(document, phone), 1e-9) << document << phone;
    }
  }
  EXPECT_LT(bound("ZZ9988776", "0470 65 43 21"), bound("EM1234567", "0470 65 43 21"));
  EXPECT_LT(bound("ZZ9988776", "0470 65 43 21"), bound("ZZ9988776", "+32 470 12 34 56"));
}

TEST(ScreenerTest, DocumentEndsAreSharedByNumbersOneTypoApart) {
  const std::string listed = "EM1234567";
  const uint32_t ends = DocumentEnds(listed);
  for (size_t i = 0; i < listed.size(); ++i) {
    std::string changed = listed;
    changed[i] = 'X';
    EXPECT_TRUE(ShareDocumentEnd(ends, DocumentEnds(changed))) << changed;
    const std::string dropped = listed.substr(0, i) + listed.substr(i + 1);
    EXPECT_TRUE(ShareDocumentEnd(ends, DocumentEnds(dropped))) << dropped;
    const std::string added = listed.substr(0, i) + "Q" + listed.substr(i);
    EXPECT_TRUE(ShareDocumentEnd(ends, DocumentEnds(added))) << added;
  }
  EXPECT_FALSE(ShareDocumentEnd(ends, DocumentEnds("ZZ9988776")));
  EXPECT_NE(PhoneDigest("470123456"), PhoneDigest("470654321"));
}

}  // namespace
}  // namespace entente::match
