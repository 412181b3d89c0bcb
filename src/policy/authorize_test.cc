#include "policy/authorize.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/testing.h"

namespace entente::policy {
namespace {

constexpr int kColRole = 0, kColTier = 1, kColAgency = 2, kColDesignations = 3, kColAction = 4,
              kColOwner = 5, kColMinor = 6, kColState = 7, kColHandling = 8, kColJustification = 9,
              kColDestination = 10, kColPermission = 11, kColExpected = 12, kColRule = 13,
              kColFlags = 14, kColumns = 16;

std::string Cell(const std::string& text) { return text == "-" ? "" : text; }

RequestContext Context(const std::string& justification) {
  RequestContext context;
  context.node_country = "BE";
  context.today = model::PartialDate::Day(2026, 6, 15);
  context.justification = justification;
  return context;
}

// The subject a row describes, built from an entity as the service would.
SubjectFacts RowSubject(const testing::TsvRow& row) {
  model::Entity entity;
  entity.id = "S0000001";
  if (row[kColOwner] != "none") entity.Add("ownerAgency", row[kColOwner]);
  const std::string& minor = row[kColMinor];
  entity.Add("birthDate", minor == "age"       ? "2012-03-01"
                          : minor == "partial" ? "2008"
                                               : "1990-05-05");
  if (minor == "category") entity.Add("category", "returning_minor");
  entity.Add("handlingCode", row[kColHandling]);
  if (row[kColHandling] == "H3")
    entity.Add("handlingRestriction", "not to be shown to the subject");
  auto state = ParseRecordState(row[kColState]);
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  auto facts = SubjectFactsFromEntity(entity, state.ok() ? *state : RecordState::kActive);
  EXPECT_TRUE(facts.ok()) << facts.status().ToString();
  return facts.ok() ? *facts : SubjectFacts{};
}

std::string Flags(const Decision& decision) {
  std::string out;
  auto add = [&out](const char* flag) { out += out.empty() ? flag : std::string(",") + flag; };
  if (decision.hit_no_hit_only) add("hit_no_hit_only");
  if (decision.not_for_judicial_use) add("not_for_judicial_use");
  if (!decision.restriction_to_show.empty()) add("restriction");
  return out.empty() ? "-" : out;
}

TEST(AuthorizeTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("policy/access.tsv"));
  ASSERT_GT(rows.size(), 100u);
  std::set<std::string> rules_seen;
  std::set<std::string> actions_seen;
  for (const auto& row : rows) {
    SCOPED_TRACE("access.tsv:" + std::to_string(row.line) + " (" + row[kColumns - 1] + ")");
    ASSERT_EQ(row.cells.size(), static_cast<size_t>(kColumns));

    Principal principal;
    if (row[kColAgency] != "anonymous") {
      UserFields user;
      user.id = "u1";
      user.agency = row[kColAgency];
      user.role = row[kColRole];
      user.tier = row[kColTier];
      const std::string designations = Cell(row[kColDesignations]);
      user.designations = designations;
      auto built = BuildPrincipal(user);
      ASSERT_TRUE(built.ok()) << built.status().ToString();
      principal = *built;
    }
    const auto action = ParseAction(row[kColAction]);
    ASSERT_TRUE(action.has_value()) << row[kColAction];
    actions_seen.insert(row[kColAction]);

    RequestContext context = Context(Cell(row[kColJustification]));
    if (row[kColDestination] != "-") {
      auto destination = ParseDestination(row[kColDestination]);
      ASSERT_TRUE(destination.ok()) << destination.status().ToString();
      context.destination = *destination;
    }
    context.provider_permission = row[kColPermission] == "yes";

    std::optional<SubjectFacts> subject;
    if (row[kColOwner] != "-") subject = RowSubject(row);

    const Decision decision = Authorize(principal, *action, subject ? &*subject : nullptr, context);
    EXPECT_EQ(StatusCodeName(decision.code), row[kColExpected]) << decision.reason;
    EXPECT_EQ(RuleName(decision.rule), row[kColRule]) << decision.reason;
    EXPECT_EQ(decision.allowed, row[kColExpected] == "OK");
    EXPECT_EQ(Flags(decision), row[kColFlags]);
    EXPECT_FALSE(decision.reason.empty());
    const Status status = decision.ToStatus();
    EXPECT_EQ(status.ok(), decision.allowed);
    if (!decision.allowed) {
      EXPECT_EQ(status.code(), decision.code);
      EXPECT_NE(status.message().find(row[kColRule]), std::string::npos) << status.message();
    }
    rules_seen.insert(row[kColRule]);
  }
  for (const Rule rule : AllRules()) {
    // The rules after kHandlingH3 are given by DecideTransfer only (sharing.tsv covers them).
    if (static_cast<int>(rule) > static_cast<int>(Rule::kHandlingH3)) continue;
    EXPECT_TRUE(rules_seen.count(std::string(RuleName(rule))))
        << "no case in access.tsv for rule " << RuleName(rule);
  }
  for (const Action action : AllActions()) {
    EXPECT_TRUE(actions_seen.count(std::string(ActionName(action))))
        << "no case in access.tsv for action " << ActionName(action);
  }
}

TEST(AuthorizeTest, UnauthenticatedAndForbiddenMapToDifferentStatusCodes) {
  const RequestContext context = Context("follow-up of alert 2026-118");
  const Decision anonymous = Authorize(Principal{}, Action::kScreen, nullptr, context);
  EXPECT_EQ(anonymous.ToStatus().code(), StatusCode::kUnauthenticated);

  auto auditor = BuildPrincipal({.id = "a1", .agency = "BE/judicial", .role = "auditor"});
  ASSERT_TRUE(auditor.ok());
  const Decision forbidden = Authorize(*auditor, Action::kScreen, nullptr, context);
  EXPECT_EQ(forbidden.ToStatus().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(forbidden.reason.find("auditor"), std::string::npos) << forbidden.reason;
}

TEST(AuthorizeTest, MinorTurnsAdultOnEighteenthBirthday) {
  auto analyst = BuildPrincipal(
      {.id = "u1", .agency = "BE/police", .role = "analyst", .tier = "consult_and_feed"});
  ASSERT_TRUE(analyst.ok());
  SubjectFacts subject;
  subject.id = "S1";
  subject.owner = AgencyId{"BE", Agency::kPolice};
  subject.birth_dates = {model::PartialDate::Day(2008, 6, 15)};
  RequestContext context = Context("follow-up of alert 2026-118");

  context.today = model::PartialDate::Day(2026, 6, 14);
  EXPECT_EQ(Authorize(*analyst, Action::kReadSubject, &subject, context).rule,
            Rule::kMinorDesignation);
  context.today = model::PartialDate::Day(2026, 6, 15);
  EXPECT_TRUE(Authorize(*analyst, Action::kReadSubject, &subject, context).allowed);
}

TEST(AuthorizeTest, JustificationLimits) {
  RequestContext context = Context(std::string(kMinJustificationChars, 'x'));
  EXPECT_EQ(CheckJustification(context), "");
  context.justification = std::string(kMinJustificationChars - 1, 'x');
  EXPECT_NE(CheckJustification(context).find("too short"), std::string::npos);
  context.justification = std::string(kMaxJustificationChars, 'x');
  EXPECT_EQ(CheckJustification(context), "");
  context.justification += "x";
  EXPECT_NE(CheckJustification(context), "");
  context.justification = "valid reason for the check";
  context.case_reference = std::string(kMaxCaseReferenceChars + 1, '7');
  EXPECT_NE(CheckJustification(context).find("case reference"), std::string::npos);
  context.case_reference = "BE-2026-0042";
  EXPECT_EQ(CheckJustification(context), "");
  context.justification = "\xff\xfe invalid bytes here";
  EXPECT_NE(CheckJustification(context).find("UTF-8"), std::string::npos);
}

TEST(AuthorizeTest, ImportRecordsMustBelongToTheNodeAndToASupervisorsAgency) {
  const RequestContext context = Context("loading the legacy register of 2026");
  auto admin = BuildPrincipal({.id = "a1", .agency = "BE/administration", .role = "administrator"});
  auto supervisor = BuildPrincipal(
      {.id = "s1", .agency = "BE/police", .role = "supervisor", .tier = "consult_and_feed"});
  ASSERT_TRUE(admin.ok() && supervisor.ok());
  auto facts = [](const char* owner) {
    model::Entity entity;
    entity.id = "S1";
    if (*owner != '\0') entity.Add("ownerAgency", owner);
    auto built = SubjectFactsFromEntity(entity);
    EXPECT_TRUE(built.ok()) << built.status().ToString();
    return built.ok() ? *built : SubjectFacts{};
  };
  EXPECT_TRUE(ImportRecordDecision(*admin, facts("BE/intelligence"), context).allowed);
  const Decision foreign = ImportRecordDecision(*admin, facts("FR/police"), context);
  EXPECT_FALSE(foreign.allowed);
  EXPECT_EQ(foreign.rule, Rule::kOwnerAgency);
  EXPECT_NE(foreign.reason.find("FR/police"), std::string::npos) << foreign.reason;
  EXPECT_FALSE(ImportRecordDecision(*admin, facts(""), context).allowed);
  EXPECT_TRUE(ImportRecordDecision(*supervisor, facts("BE/police"), context).allowed);
  const Decision other = ImportRecordDecision(*supervisor, facts("BE/intelligence"), context);
  EXPECT_FALSE(other.allowed);
  EXPECT_EQ(other.rule, Rule::kOwnerAgency);
}

}  // namespace
}  // namespace entente::policy
