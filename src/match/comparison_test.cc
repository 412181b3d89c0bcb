#include "match/comparison.h"

#include <vector>

#include <gtest/gtest.h>

#include "common/testing.h"
#include "match/candidate_index.h"
#include "match/fs_model.h"
#include "match/identity.h"
#include "match/phone.h"

namespace entente::match {
namespace {

TEST(NameSimilarityTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("match/name_pairs.tsv"));
  ASSERT_GE(rows.size(), 15u);
  for (const auto& row : rows) {
    const double s = NameSimilarity(CompileName(row[0]), CompileName(row[1]));
    if (row[2] == "same") {
      EXPECT_GE(s, 0.90) << "name_pairs.tsv:" << row.line << " " << row[0] << " / " << row[1]
                         << " (" << row[3] << ")";
    } else {
      EXPECT_LT(s, 0.84) << "name_pairs.tsv:" << row.line << " " << row[0] << " / " << row[1]
                         << " (" << row[3] << ")";
    }
  }
}

// Organisations: legal forms in any of the partners' languages, dotted initials, joining words,
// word order and initials of the whole name (organization_pairs.tsv).
TEST(NameSimilarityTest, OrganizationCasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("match/organization_pairs.tsv"));
  ASSERT_GE(rows.size(), 10u);
  auto organization = [](const std::string& name) {
    model::Entity e;
    e.id = "O";
    e.schema = model::Schema::kOrganization;
    e.Add("name", name);
    return CompileIdentity(e);
  };
  for (const auto& row : rows) {
    const Comparison c = CompareIdentities(organization(row[0]), organization(row[1]));
    const double s = c.name_similarity;
    if (row[2] == "same") {
      EXPECT_GE(s, 0.90) << "organization_pairs.tsv:" << row.line << " " << row[0] << " / "
                         << row[1] << " (" << row[3] << ")";
    } else {
      EXPECT_LT(s, 0.84) << "organization_pairs.tsv:" << row.line << " " << row[0] << " / "
                         << row[1] << " (" << row[3] << ")";
    }
  }
}

TEST(BirthDateLevelTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("match/date_levels.tsv"));
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    const auto a = model::PartialDate::Parse(row[0]);
    const auto b = model::PartialDate::Parse(row[1]);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(LevelName(Field::kBirthDate, BirthDateLevel(*a, *b)), row[2])
        << "date_levels.tsv:" << row.line;
    EXPECT_EQ(BirthDateLevel(*a, *b), BirthDateLevel(*b, *a)) << "symmetric, line " << row.line;
  }
}

// The packed form the screener's summaries use gives the same level for every pair of dates:
// every precision, placeholders, swapped days and months, years next to each other.
TEST(BirthDateLevelTest, PackedDatesGiveTheSameLevel) {
  std::vector<model::PartialDate> dates;
  for (int year : {1989, 1990, 1991, 1993}) {
    dates.push_back(model::PartialDate::Year(year));
    for (int month : {1, 2, 3, 12}) {
      dates.push_back(model::PartialDate::YearMonth(year, month));
      for (int day : {1, 2, 3, 12, 28}) dates.push_back(model::PartialDate::Day(year, month, day));
    }
  }
  int pairs = 0;
  for (const auto& a : dates) {
    for (const auto& b : dates) {
      ASSERT_EQ(PackedBirthDateLevel(PackBirth(a), PackBirth(b)), BirthDateLevel(a, b))
          << a.ToString() << " / " << b.ToString();
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 10000);
}

TEST(CompareIdentitiesTest, LevelsForEachField) {
  model::Entity a, b;
  a.id = "A";
  a.Set("name", {"Mohamed El Amrani"});
  a.Set("birthDate", {"1987-03-14"});
  a.Set("gender", {"male"});
  a.Set("nationality", {"BE", "MA"});
  a.Set("passportNumber", {"EM 123 456"});
  a.Set("phone", {"+32 470 12 34 56"});
  b.id = "B";
  b.Set("name", {"EL AMRANI Mohammed"});
  b.Set("birthDate", {"1987-03-14"});
  b.Set("gender", {"male"});
  b.Set("nationality", {"MA"});
  b.Set("passportNumber", {"em-123457"});
  b.Set("phone", {"0470/12.34.56"});
  const Comparison c = CompareIdentities(CompileIdentity(a), CompileIdentity(b));
  EXPECT_LE(c.level(Field::kName), 2);
  EXPECT_EQ(c.level(Field::kBirthDate), 1);
  EXPECT_EQ(c.level(Field::kGender), 1);
  EXPECT_EQ(c.level(Field::kNationality), 1);
  EXPECT_EQ(c.level(Field::kPassport), 2);  // one typo
  EXPECT_EQ(c.level(Field::kPhone), 1);     // national and international forms
}

// Names are always compared when both records have one (a pair with nothing in common, in any
// script, is a different name, never a missing one), and noms de guerre among themselves.
TEST(CompareIdentitiesTest, NameEvidenceFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("match/name_evidence.tsv"));
  ASSERT_GE(rows.size(), 10u);
  auto record = [](const std::string& text) {
    model::Entity e;
    e.id = "R";
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find("; ", start);
      if (end == std::string::npos) end = text.size();
      const std::string pair = text.substr(start, end - start);
      const size_t eq = pair.find('=');
      if (eq != std::string::npos) e.Add(pair.substr(0, eq), pair.substr(eq + 1));
      start = end + 2;
    }
    return CompileIdentity(e);
  };
  for (const auto& row : rows) {
    ASSERT_GE(row.cells.size(), 4u) << "line " << row.line;
    const Identity a = record(row[0]), b = record(row[1]);
    const Comparison ab = CompareIdentities(a, b);
    const Comparison ba = CompareIdentities(b, a);
    EXPECT_EQ(LevelName(Field::kName, ab.level(Field::kName)), row[2])
        << "line " << row.line << ": " << row[0] << " / " << row[1] << " (" << ab.name_similarity
        << ")";
    EXPECT_EQ(LevelName(Field::kWeakAlias, ab.level(Field::kWeakAlias)), row[3])
        << "line " << row.line;
    EXPECT_EQ(ab.level(Field::kName), ba.level(Field::kName)) << "symmetric, line " << row.line;
  }
}

// Identity numbers and passports (DocumentKind): passports against passports, identity numbers
// against identity numbers and any number in common; a passport and an identity number that
// differ say nothing.
TEST(CompareIdentitiesTest, DocumentLevelsFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("match/document_levels.tsv"));
  ASSERT_GE(rows.size(), 8u);
  auto person = [](const std::string& passports, const std::string& ids) {
    model::Entity e;
    e.id = "P";
    e.Set("name", {"Karim Benali"});
    for (const auto& [property, values] :
         {std::pair{"passportNumber", passports}, std::pair{"idNumber", ids}}) {
      if (values == "-") continue;
      size_t start = 0;
      while (start <= values.size()) {
        const size_t bar = std::min(values.find('|', start), values.size());
        e.Add(property, values.substr(start, bar - start));
        start = bar + 1;
      }
    }
    return CompileIdentity(e);
  };
  for (const auto& row : rows) {
    const Identity a = person(row[0], row[1]);
    const Identity b = person(row[2], row[3]);
    const Comparison ab = CompareIdentities(a, b);
    const Comparison ba = CompareIdentities(b, a);
    EXPECT_EQ(LevelName(Field::kDocument, ab.level(Field::kDocument)), row[4])
        << "document_levels.tsv:" << row.line << " (" << row[6] << ")";
    EXPECT_EQ(LevelName(Field::kPassport, ab.level(Field::kPassport)), row[5])
        << "document_levels.tsv:" << row.line << " (" << row[6] << ")";
    EXPECT_EQ(ab.level(Field::kDocument), ba.level(Field::kDocument))
        << "symmetric, line " << row.line;
    EXPECT_EQ(ab.level(Field::kPassport), ba.level(Field::kPassport))
        << "symmetric, line " << row.line;
  }
}

// The country of residence (FtM "country"): one in common agrees, none disagrees, and a record
// without one says nothing; nationality is another field.
TEST(CompareIdentitiesTest, CountryOfResidence) {
  auto person = [](std::vector<std::string> countries) {
    model::Entity e;
    e.id = "P";
    e.Set("name", {"Karim Benali"});
    e.Set("nationality", {"MA"});
    if (!countries.empty()) e.Set("country", countries);
    return CompileIdentity(e);
  };
  auto level = [&](std::vector<std::string> a, std::vector<std::string> b) {
    return CompareIdentities(person(std::move(a)), person(std::move(b))).level(Field::kCountry);
  };
  EXPECT_EQ(level({"BE"}, {"BE"}), 1);
  EXPECT_EQ(level({"BE", "FR"}, {"FR"}), 1);
  EXPECT_EQ(level({"BE"}, {"ES"}), 2);
  EXPECT_EQ(level({"BE"}, {}), 0);
  EXPECT_EQ(level({"XX-invalid"}, {"BE"}), 0) << "a value that is no country is left out";
  EXPECT_EQ(person({"be", "BE", "FR"}).countries[0], person({"BE"}).countries[0]);
  EXPECT_NE(person({"be", "BE", "FR"}).countries[1], 0) << "duplicates dropped";
  EXPECT_EQ(person({"be", "BE", "FR"}).countries[2], 0);
  EXPECT_EQ(FieldName(Field::kCountry), "country");
  // The default model weighs a country in common up and another down, less than a document.
  const FsModel model = DefaultModel();
  EXPECT_GT(model.LevelWeight(Field::kCountry, 1), 0);
  EXPECT_LT(model.LevelWeight(Field::kCountry, 2), -2);
}

TEST(CompareIdentitiesTest, MissingValuesAreNoEvidence) {
  model::Entity a, b;
  a.id = "A";
  a.Set("name", {"Karim Benali"});
  b.id = "B";
  b.Set("name", {"Karim Benali"});
  b.Set("birthDate", {"1990"});
  const Comparison c = CompareIdentities(CompileIdentity(a), CompileIdentity(b));
  EXPECT_EQ(c.level(Field::kBirthDate), 0);
  EXPECT_EQ(c.level(Field::kGender), 0);
  EXPECT_EQ(c.level(Field::kDocument), 0);
}

TEST(IdentityTest, NormalizesDocumentsAndPhones) {
  EXPECT_EQ(NormalizeDocument("em-123 456"), "EM123456");
  EXPECT_EQ(NormalizePhone("+32 470 12 34 56", ""), NormalizePhone("0470/12.34.56", "BE"));
  EXPECT_EQ(NormalizePhone("0032470123456", ""), "470123456@32");
  EXPECT_EQ(NormalizePhone("12345", "BE"), "");
}

}  // namespace
}  // namespace entente::match
