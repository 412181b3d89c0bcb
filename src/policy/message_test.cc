#include "policy/message.h"

#include <gtest/gtest.h>

namespace entente::policy {
namespace {

RequestContext Context() {
  RequestContext context;
  context.node_country = "BE";
  context.today = model::PartialDate::Day(2026, 6, 15);
  context.justification = "alert 2026-118 travel check";
  return context;
}

Principal User(const char* role, const char* agency = "BE/police") {
  const std::string id = std::string("u-") + role;
  UserFields fields;
  fields.id = id;
  fields.agency = agency;
  fields.role = role;
  fields.tier = "consult_and_feed";
  auto principal = BuildPrincipal(fields);
  EXPECT_TRUE(principal.ok()) << principal.status().ToString();
  return *principal;
}

SubjectFacts Subject(const char* id, const char* handling, const char* category = "returnee") {
  model::Entity entity;
  entity.id = id;
  entity.Add("ownerAgency", "BE/police");
  entity.Add("birthDate", "1990-05-05");
  entity.Add("category", category);
  entity.Add("handlingCode", handling);
  if (std::string(handling) == "H3") entity.Add("handlingRestriction", "no onward use");
  auto facts = SubjectFactsFromEntity(entity);
  EXPECT_TRUE(facts.ok()) << facts.status().ToString();
  return *facts;
}

SharingRules Shares(std::vector<model::Category> categories, model::HandlingCode max) {
  SharingRules rules;
  rules.categories = std::move(categories);
  rules.mode = SharingMode::kPlaintext;
  rules.max_handling_code = max;
  return rules;
}

TEST(DecideMessageTest, RefusesTheCallerBeforeAnySubject) {
  const SubjectFacts s = Subject("S1", "H0");
  const SharingRules fr = Shares({model::Category::kReturnee}, model::HandlingCode::kH3);
  MessageFacts facts;
  facts.recipients = {{"FR", &fr}};
  facts.subjects = {{&s, "", nullptr}};
  const MessagePlan plan = DecideMessage(User("auditor"), Context(), facts);
  EXPECT_FALSE(plan.allowed);
  EXPECT_EQ(plan.rule, Rule::kRole);
  EXPECT_EQ(plan.subject_id, "");
  RequestContext unjustified = Context();
  unjustified.justification = "";
  EXPECT_EQ(DecideMessage(User("analyst"), unjustified, facts).rule, Rule::kJustification);
  facts.minors = true;  // a minors' case needs the designation
  EXPECT_EQ(DecideMessage(User("analyst"), Context(), facts).rule, Rule::kMinorDesignation);
}

TEST(DecideMessageTest, NamesTheSubjectAndCountryThatARuleRefuses) {
  const SubjectFacts shared = Subject("S1", "H0");
  const SubjectFacts other = Subject("S2", "H0", "drugs_trafficking");
  const SharingRules fr = Shares({model::Category::kReturnee}, model::HandlingCode::kH3);
  MessageFacts facts;
  facts.include_records = true;
  facts.recipients = {{"FR", &fr}};
  facts.subjects = {{&shared, "", nullptr}, {&other, "", nullptr}};
  const MessagePlan plan = DecideMessage(User("analyst"), Context(), facts);
  ASSERT_FALSE(plan.allowed);
  EXPECT_EQ(plan.subject_id, "S2");
  EXPECT_EQ(plan.rule, Rule::kSharingCategory);
  EXPECT_EQ(plan.refusal.message().rfind("subject S2 to FR: ", 0), 0u) << plan.refusal.message();
}

TEST(DecideMessageTest, AllowedPlansCarryTheHandlingOfTheRecords) {
  const SubjectFacts plain = Subject("S1", "H0");
  const SubjectFacts judicial = Subject("S2", "H1");
  const SubjectFacts restricted = Subject("S3", "H3");
  const SharingRules fr = Shares({model::Category::kReturnee}, model::HandlingCode::kH3);
  MessageFacts facts;
  facts.include_records = true;
  facts.recipients = {{"FR", &fr}};
  facts.subjects = {{&plain, "", nullptr}, {&judicial, "", nullptr}};
  MessagePlan plan = DecideMessage(User("analyst"), Context(), facts);
  ASSERT_TRUE(plan.allowed) << plan.refusal.ToString();
  EXPECT_TRUE(plan.not_for_judicial_use);  // H1, sent without the provider's leave
  EXPECT_EQ(plan.highest_handling_code, model::HandlingCode::kH1);

  facts.subjects.push_back({&restricted, "", nullptr});
  EXPECT_EQ(DecideMessage(User("analyst"), Context(), facts).rule, Rule::kHandlingH3);
  facts.provider_permission = true;  // H3 goes only with the provider's leave
  plan = DecideMessage(User("analyst"), Context(), facts);
  ASSERT_TRUE(plan.allowed) << plan.refusal.ToString();
  EXPECT_EQ(plan.highest_handling_code, model::HandlingCode::kH3);
  ASSERT_FALSE(plan.restrictions.empty());
  EXPECT_NE(plan.restrictions.back().find("no onward use"), std::string::npos);
}

}  // namespace
}  // namespace entente::policy
