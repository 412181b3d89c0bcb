#include "policy/principal.h"

#include <gtest/gtest.h>

#include <set>

#include "policy/action.h"
#include "policy/rule.h"

namespace entente::policy {
namespace {

TEST(PrincipalTest, BuildsFromStoredUserFields) {
  auto principal = BuildPrincipal({.id = "u7",
                                   .agency = "be/youth_protection",
                                   .role = "supervisor",
                                   .tier = "consult_and_feed",
                                   .designations = "minors"});
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->user_id, "u7");
  EXPECT_EQ(principal->agency.ToString(), "BE/youth_protection");
  EXPECT_EQ(principal->role, Role::kSupervisor);
  EXPECT_EQ(principal->tier, AccessTier::kConsultAndFeed);
  EXPECT_TRUE(principal->Has(Designation::kMinors));
  EXPECT_TRUE(principal->authenticated());
}

TEST(PrincipalTest, EmptyTierGivesTheDefaultAndNoDesignation) {
  auto principal = BuildPrincipal({.id = "u1", .agency = "FR/police", .role = "analyst"});
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->tier, kDefaultTier);
  EXPECT_FALSE(principal->Has(Designation::kMinors));
}

TEST(PrincipalTest, DisabledUserIsUnauthenticated) {
  auto principal =
      BuildPrincipal({.id = "u1", .agency = "BE/police", .role = "analyst", .disabled = true});
  ASSERT_FALSE(principal.ok());
  EXPECT_EQ(principal.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(principal.status().message().find("u1"), std::string::npos);
}

TEST(PrincipalTest, BadFieldsNameTheFieldAndTheAcceptedValues) {
  struct Case {
    UserFields user;
    std::string field;
    std::string expected;
  };
  const Case cases[] = {
      {{.id = "u1", .agency = "BE/army", .role = "analyst"}, "'agency'", "youth_protection"},
      {{.id = "u1", .agency = "Belgium/police", .role = "analyst"}, "'agency'", "CC/kind"},
      {{.id = "u1", .agency = "ZZ/police", .role = "analyst"}, "'agency'", "CC/kind"},
      {{.id = "u1", .agency = "BE/police", .role = "boss"}, "'role'", "administrator"},
      {{.id = "u1", .agency = "BE/police", .role = ""}, "'role'", "analyst"},
      {{.id = "u1", .agency = "BE/police", .role = "analyst", .tier = "full"},
       "'tier'",
       "hit_no_hit"},
      {{.id = "u1", .agency = "BE/police", .role = "analyst", .designations = "minors,adults"},
       "'designations'",
       "\"adults\""},
  };
  for (const auto& c : cases) {
    auto principal = BuildPrincipal(c.user);
    ASSERT_FALSE(principal.ok()) << c.field;
    EXPECT_EQ(principal.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(principal.status().message().find(c.field), std::string::npos)
        << principal.status().message();
    EXPECT_NE(principal.status().message().find(c.expected), std::string::npos)
        << principal.status().message();
  }
  EXPECT_FALSE(BuildPrincipal({.id = "", .agency = "BE/police", .role = "analyst"}).ok());
}

TEST(PrincipalTest, NamesRoundTrip) {
  for (const Role role :
       {Role::kAnalyst, Role::kSupervisor, Role::kAuditor, Role::kAdministrator}) {
    EXPECT_EQ(*ParseRole(RoleName(role)), role);
  }
  for (const AccessTier tier : {AccessTier::kConsult, AccessTier::kConsultAndFeed,
                                AccessTier::kHitNoHit, AccessTier::kIndirect}) {
    EXPECT_EQ(*ParseAccessTier(AccessTierName(tier)), tier);
  }
  for (const auto code : model::AgencyKindCodes()) {
    auto agency = ParseAgency(code);
    ASSERT_TRUE(agency.ok());
    EXPECT_EQ(AgencyName(*agency), code);
  }
  EXPECT_EQ(*ParseDesignation(DesignationName(Designation::kMinors)), Designation::kMinors);
  for (const Action action : AllActions()) EXPECT_EQ(ParseAction(ActionName(action)), action);
  EXPECT_FALSE(ParseAction("read").has_value());
  std::set<std::string_view> rule_names;
  for (const Rule rule : AllRules()) rule_names.insert(RuleName(rule));
  EXPECT_EQ(rule_names.size(), AllRules().size());
}

}  // namespace
}  // namespace entente::policy
