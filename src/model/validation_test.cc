#include "model/validation.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::model {
namespace {

TEST(PropertyValueTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("model/property_values.tsv"));
  ASSERT_GT(rows.size(), 50u);
  for (const auto& row : rows) {
    SCOPED_TRACE("property_values.tsv:" + std::to_string(row.line) + " " + row[0] + "='" + row[1] +
                 "'");
    const std::string problem = CheckPropertyValue(row[0], row[1]);
    if (row[2] == "ok") {
      EXPECT_EQ(problem, "");
    } else {
      ASSERT_NE(problem, "");
      EXPECT_NE(problem.find(row[3]), std::string::npos) << problem;
    }
  }
}

Entity ValidPerson() {
  Entity e;
  e.id = "W0000001";
  e.schema = Schema::kPerson;
  e.Set("name", {"Mohamed El Amrani"});
  e.Set("birthDate", {"1987-03-14"});
  e.Set("nationality", {"BE", "MA"});
  e.Set("handlingCode", {"H1"});
  e.Set("reviewDate", {"2027-06-01"});
  e.Set("retentionDate", {"2036-06-01"});
  return e;
}

bool HasProblem(const std::vector<FieldProblem>& problems, const std::string& field,
                const std::string& fragment) {
  for (const auto& p : problems) {
    if (p.field == field && p.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(ValidateEntityTest, AcceptsAValidPerson) {
  EXPECT_TRUE(ValidateEntity(ValidPerson()).empty());
}

TEST(ValidateEntityTest, ReportsEveryProblemByField) {
  Entity e = ValidPerson();
  e.id = "bad id";
  e.Set("birthDate", {"2019-02-30"});
  e.Set("nationality", {"BE", "UK"});
  e.Set("gender", {"male", "female"});
  e.Set("incorporationDate", {"2001"});
  const auto problems = ValidateEntity(e);
  EXPECT_TRUE(HasProblem(problems, "id", "not a valid id"));
  EXPECT_TRUE(HasProblem(problems, "birthDate", "February 2019"));
  EXPECT_TRUE(HasProblem(problems, "nationality", "ISO 3166"));
  EXPECT_TRUE(HasProblem(problems, "gender", "takes one value"));
  EXPECT_TRUE(HasProblem(problems, "incorporationDate", "not a property of Person"));
  EXPECT_EQ(problems.size(), 5u);
  for (const auto& p : problems) {
    if (p.field == "nationality") {
      EXPECT_EQ(p.value_index, 1);
    }
  }
}

TEST(ValidateEntityTest, H3NeedsItsRestrictionInWords) {
  Entity e = ValidPerson();
  e.Set("handlingCode", {"H3"});
  EXPECT_TRUE(HasProblem(ValidateEntity(e), "handlingRestriction", "needs the restriction"));
  e.Set("handlingRestriction", {"not to be shared with administrative services"});
  EXPECT_TRUE(ValidateEntity(e).empty());
  e.Set("handlingCode", {"H2"});
  EXPECT_TRUE(HasProblem(ValidateEntity(e), "handlingRestriction", "only given with"));
}

TEST(ValidateEntityTest, ReviewCannotComeAfterRetention) {
  Entity e = ValidPerson();
  e.Set("reviewDate", {"2040-01-01"});
  EXPECT_TRUE(HasProblem(ValidateEntity(e), "reviewDate", "after the retention limit"));
}

TEST(ValidateEntityTest, ReleaseCannotComeAfterSentenceEnd) {
  Entity e = ValidPerson();
  e.Set("establishment", {"Prison de Haren"});
  e.Set("sentenceEnd", {"2027-03-01"});
  e.Set("plannedRelease", {"2027-04-01"});
  EXPECT_TRUE(HasProblem(ValidateEntity(e), "plannedRelease", "after the end of the sentence"));
  e.Set("plannedRelease", {"2027-02-01"});
  EXPECT_TRUE(ValidateEntity(e).empty());
}

TEST(ValidateEntityTest, LinkToSelfIsRefused) {
  Entity e = ValidPerson();
  e.Set("link", {"associate:W0000002", "family:W0000001"});
  const auto problems = ValidateEntity(e);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "link");
  EXPECT_EQ(problems[0].value_index, 1);
}

TEST(ValidateEntityTest, PersonNeedsAName) {
  Entity e;
  e.id = "X1";
  e.Set("birthDate", {"1990"});
  EXPECT_TRUE(HasProblem(ValidateEntity(e), "name", "needs a name"));
  e.Set("lastName", {"Benali"});
  EXPECT_TRUE(ValidateEntity(e).empty());
}

TEST(ValidateEntityTest, OrganizationRulesDiffer) {
  Entity e;
  e.id = "O1";
  e.schema = Schema::kOrganization;
  e.Set("name", {"Synthetic Cell Alpha"});
  e.Set("incorporationDate", {"2014"});
  EXPECT_TRUE(ValidateEntity(e).empty());
  e.Set("birthDate", {"2014"});
  EXPECT_TRUE(HasProblem(ValidateEntity(e), "birthDate", "not a property of Organization"));
}

TEST(ValidateEntityTest, UnknownPropertyIsNamed) {
  Entity e = ValidPerson();
  e.Set("shoeSize", {"44"});
  EXPECT_TRUE(HasProblem(ValidateEntity(e), "shoeSize", "unknown property"));
}

}  // namespace
}  // namespace entente::model
