#include "model/subject_filter.h"

#include <gtest/gtest.h>

namespace entente::model {
namespace {

Entity Held(std::string planned_release) {
  Entity e;
  e.schema = Schema::kPerson;
  e.id = "BE-1";
  e.Set("name", {"Testperson Filter"});
  e.Set("category", {"terrorism_convict", "radicalised_prisoner"});
  e.Set("nationality", {"ma"});
  e.Set("citizenship", {"BE"});
  e.Set("establishment", {"Prison de Haren"});
  if (!planned_release.empty()) e.Set("plannedRelease", {planned_release});
  e.Set("handlingCode", {"H2"});
  return e;
}

SubjectFilter Made(SubjectFilter f) {
  Result<SubjectFilter> made = MakeSubjectFilter(std::move(f), "body.filters");
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  return made.ok() ? *made : SubjectFilter{};
}

TEST(SubjectFilterTest, EachFieldKeepsOnlyWhatItNames) {
  const Entity e = Held("2027-03-01");
  const std::string today = "2026-12-07";
  EXPECT_TRUE(PassesFilter(e, "BE/police", SubjectFilter{}, today));
  EXPECT_TRUE(PassesFilter(e, "BE/police", Made({.category = "radicalised_prisoner"}), today));
  EXPECT_FALSE(PassesFilter(e, "BE/police", Made({.category = "returnee"}), today));
  EXPECT_TRUE(PassesFilter(e, "BE/police", Made({.owner_agency = "be"}), today));
  EXPECT_TRUE(PassesFilter(e, "BE/police", Made({.owner_agency = "BE/police"}), today));
  EXPECT_FALSE(PassesFilter(e, "BE/police", Made({.owner_agency = "BE/intelligence"}), today));
  EXPECT_FALSE(PassesFilter(e, "FR/police", Made({.owner_agency = "BE"}), today));
  // Nationality or citizenship, in either case.
  EXPECT_TRUE(PassesFilter(e, "BE/police", Made({.nationality = "MA"}), today));
  EXPECT_TRUE(PassesFilter(e, "BE/police", Made({.nationality = "be"}), today));
  EXPECT_FALSE(PassesFilter(e, "BE/police", Made({.nationality = "fr"}), today));
  EXPECT_TRUE(PassesFilter(e, "BE/police", Made({.handling_code = "H2"}), today));
  EXPECT_FALSE(PassesFilter(e, "BE/police", Made({.handling_code = "H0"}), today));
}

TEST(SubjectFilterTest, CustodyEndsWithTheRelease) {
  const SubjectFilter held = Made({.custody = CustodyFilter::kHeld});
  const SubjectFilter not_held = Made({.custody = CustodyFilter::kNotHeld});
  EXPECT_TRUE(PassesFilter(Held("2027-03-01"), "BE/police", held, "2026-12-07"));
  EXPECT_TRUE(PassesFilter(Held(""), "BE/police", held, "2026-12-07"));
  EXPECT_TRUE(PassesFilter(Held("2026-12-07"), "BE/police", held, "2026-12-07"));
  EXPECT_FALSE(PassesFilter(Held("2026-12-06"), "BE/police", held, "2026-12-07"));
  EXPECT_TRUE(PassesFilter(Held("2026-12-06"), "BE/police", not_held, "2026-12-07"));
  Entity free = Held("");
  free.Set("establishment", {});
  EXPECT_FALSE(PassesFilter(free, "BE/police", held, "2026-12-07"));
  EXPECT_TRUE(PassesFilter(free, "BE/police", not_held, "2026-12-07"));
}

TEST(SubjectFilterTest, ARecordWithoutHandlingCodeIsH0) {
  Entity e = Held("");
  e.Set("handlingCode", {});
  EXPECT_TRUE(PassesFilter(e, "BE/police", Made({.handling_code = "H0"}), "2026-12-07"));
}

TEST(SubjectFilterTest, BadFiltersNameTheirField) {
  const auto message = [](SubjectFilter f) {
    Result<SubjectFilter> made = MakeSubjectFilter(std::move(f), "body.filters");
    return made.ok() ? std::string() : made.status().message();
  };
  EXPECT_EQ(message({.category = "knitting"}).rfind("body.filters.category: ", 0), 0u);
  EXPECT_EQ(message({.owner_agency = "Belgium"}).rfind("body.filters.owner_agency: ", 0), 0u);
  EXPECT_EQ(message({.owner_agency = "BE/bakery"}).rfind("body.filters.owner_agency: ", 0), 0u);
  EXPECT_EQ(message({.nationality = "ZZZ"}).rfind("body.filters.nationality: ", 0), 0u);
  EXPECT_EQ(message({.handling_code = "H9"}).rfind("body.filters.handling_code: ", 0), 0u);
  EXPECT_FALSE(ParseCustodyFilter("sometimes", "body.filters.custody").ok());
  EXPECT_EQ(*ParseCustodyFilter("", "x"), CustodyFilter::kAny);
}

}  // namespace
}  // namespace entente::model

namespace entente::model {
namespace {

TEST(ChangedPropertiesTest, NamesWhatWasAddedRemovedOrChanged) {
  Entity before;
  before.Set("name", {"Testperson Diff"});
  before.Set("alias", {"T. Diff"});
  before.Set("birthDate", {"1990"});
  Entity after = before;
  EXPECT_TRUE(ChangedProperties(before, after).empty());
  after.Set("alias", {});                  // removed
  after.Set("birthDate", {"1990-02-03"});  // changed
  after.Set("nationality", {"be"});        // added
  after.schema = Schema::kOrganization;
  EXPECT_EQ(ChangedProperties(before, after),
            (std::vector<std::string>{"schema", "alias", "birthDate", "nationality"}));
  // The order of values counts: the first name is the caption.
  Entity reordered = before;
  reordered.Set("name", {"Testperson Diff", "Diff Testperson"});
  Entity swapped = before;
  swapped.Set("name", {"Diff Testperson", "Testperson Diff"});
  EXPECT_EQ(ChangedProperties(reordered, swapped), (std::vector<std::string>{"name"}));
}

}  // namespace
}  // namespace entente::model
