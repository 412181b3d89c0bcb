#include "policy/sharing.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "common/testing.h"

namespace entente::policy {
namespace {

constexpr int kColTo = 0, kColBasis = 1, kColReference = 2, kColShares = 3, kColMode = 4,
              kColMax = 5, kColMinors = 6, kColContent = 7, kColCategories = 8, kColMinor = 9,
              kColState = 10, kColHandling = 11, kColPermission = 12, kColOrigin = 13,
              kColOriginRules = 14, kColAuthorised = 15, kColConsultation = 16,
              kColJustification = 17, kColCase = 18, kColExpected = 19, kColRule = 20,
              kColFlags = 21, kColumns = 23;

constexpr std::string_view kJustification = "alert 2026-118 travel check";

std::string Cell(const std::string& text) { return text == "-" ? "" : text; }

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  if (text == "-") return out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    out.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

RequestContext Context(std::string justification, std::string case_reference = "") {
  RequestContext context;
  context.node_country = "BE";
  context.today = model::PartialDate::Day(2026, 6, 15);
  context.justification = std::move(justification);
  context.case_reference = std::move(case_reference);
  return context;
}

// The recipient's registry entry a row describes.
SharingRules RowRules(const testing::TsvRow& row) {
  SharingRules rules;
  auto basis = ParseLegalBasis(row[kColBasis]);
  EXPECT_TRUE(basis.ok()) << basis.status().ToString();
  if (basis.ok()) rules.legal_basis = *basis;
  rules.legal_basis_reference = Cell(row[kColReference]);
  for (const std::string& code : SplitList(row[kColShares])) {
    const auto category = model::ParseCategory(code);
    EXPECT_TRUE(category.has_value()) << code;
    if (category) rules.categories.push_back(*category);
  }
  auto mode = ParseSharingMode(row[kColMode]);
  EXPECT_TRUE(mode.ok()) << mode.status().ToString();
  if (mode.ok()) rules.mode = *mode;
  const auto max = model::ParseHandlingCode(row[kColMax]);
  EXPECT_TRUE(max.has_value()) << row[kColMax];
  if (max) rules.max_handling_code = *max;
  rules.minors_consultations = row[kColMinors] == "yes";
  return rules;
}

// The subject a row describes, built from an entity as the service would.
SubjectFacts RowSubject(const testing::TsvRow& row) {
  model::Entity entity;
  entity.id = "S0000001";
  entity.Add("ownerAgency", "BE/police");
  const std::string& minor = row[kColMinor];
  entity.Add("birthDate", minor == "age"       ? "2012-03-01"
                          : minor == "partial" ? "2008"
                                               : "1990-05-05");
  for (const std::string& category : SplitList(row[kColCategories])) {
    entity.Add("category", category);
  }
  if (row[kColHandling] != "-") entity.Add("handlingCode", row[kColHandling]);
  if (row[kColHandling] == "H3") {
    entity.Add("handlingRestriction", "not to be shown to the subject");
  }
  auto state = ParseRecordState(row[kColState]);
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  auto facts = SubjectFactsFromEntity(entity, state.ok() ? *state : RecordState::kActive);
  EXPECT_TRUE(facts.ok()) << facts.status().ToString();
  return facts.ok() ? *facts : SubjectFacts{};
}

std::string Flags(const TransferDecision& decision) {
  std::string out;
  auto add = [&out](const char* flag) { out += out.empty() ? flag : std::string(",") + flag; };
  if (decision.not_for_judicial_use) add("not_for_judicial_use");
  if (!decision.restriction_to_show.empty()) add("restriction");
  return out.empty() ? "-" : out;
}

// The rules DecideTransfer can give; sharing.tsv must have a case of each.
constexpr Rule kTransferRules[] = {
    Rule::kAllowed,
    Rule::kJustification,
    Rule::kLegalBasis,
    Rule::kSubjectErased,
    Rule::kSubjectRestricted,
    Rule::kMinorPartnerHitNoHit,
    Rule::kSharingMinors,
    Rule::kSharingCategory,
    Rule::kSharingMode,
    Rule::kOnwardTransfer,
    Rule::kHandlingH2,
    Rule::kHandlingH3,
    Rule::kSharingHandlingCode,
};

TEST(DecideTransferTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("policy/sharing.tsv"));
  ASSERT_GE(rows.size(), 40u);
  std::set<std::string> rules_seen;
  for (const auto& row : rows) {
    SCOPED_TRACE("sharing.tsv:" + std::to_string(row.line) + " (" + row[kColumns - 1] + ")");
    ASSERT_EQ(row.cells.size(), static_cast<size_t>(kColumns));

    const SharingRules rules = RowRules(row);
    const SubjectFacts subject = RowSubject(row);
    SharingRules origin_rules;
    origin_rules.onward_transfer_needs_authorisation = row[kColOriginRules] != "free";

    TransferRequest request;
    request.subject = &subject;
    ASSERT_TRUE(row[kColContent] == "record" || row[kColContent] == "reference")
        << row[kColContent];
    request.content =
        row[kColContent] == "record" ? TransferContent::kRecord : TransferContent::kReference;
    request.provider_permission = row[kColPermission] == "yes";
    request.originating_country = Cell(row[kColOrigin]);
    request.originating_rules = row[kColOriginRules] == "-" ? nullptr : &origin_rules;
    request.originator_authorised = row[kColAuthorised] == "yes";
    request.minors_consultation = row[kColConsultation] == "yes";
    const RequestContext context = Context(Cell(row[kColJustification]), Cell(row[kColCase]));

    const TransferDecision decision = DecideTransfer(rules, row[kColTo], request, context);
    EXPECT_EQ(RuleName(decision.rule), row[kColRule]) << decision.reason;
    EXPECT_EQ(decision.allowed, row[kColExpected] == "OK") << decision.reason;
    EXPECT_EQ(decision.allowed, decision.rule == Rule::kAllowed);
    EXPECT_EQ(Flags(decision), row[kColFlags]) << decision.reason;
    EXPECT_FALSE(decision.reason.empty());
    const Status status = decision.ToStatus();
    EXPECT_EQ(StatusCodeName(status.code()), row[kColExpected]) << status.message();
    if (decision.allowed) {
      // The allowed reason says which legal basis the transfer rests on.
      EXPECT_NE(decision.reason.find(row[kColBasis]), std::string::npos) << decision.reason;
    } else {
      EXPECT_NE(status.message().find(row[kColRule]), std::string::npos) << status.message();
    }
    rules_seen.insert(row[kColRule]);
  }
  for (const Rule rule : kTransferRules) {
    EXPECT_TRUE(rules_seen.count(std::string(RuleName(rule))))
        << "no case in sharing.tsv for rule " << RuleName(rule);
  }
}

TEST(DecideTransferTest, EveryRuleAfterHandlingH3IsATransferRule) {
  // authorize_test.cc leaves these to sharing.tsv; a new Rule must land in one of the two files.
  const std::set<Rule> transfer(std::begin(kTransferRules), std::end(kTransferRules));
  for (const Rule rule : AllRules()) {
    if (static_cast<int>(rule) > static_cast<int>(Rule::kHandlingH3)) {
      EXPECT_TRUE(transfer.count(rule)) << RuleName(rule);
    }
  }
}

TEST(DecideTransferTest, AllowedReasonNamesTheInstrument) {
  SubjectFacts subject;
  subject.id = "S1";
  subject.categories = {model::Category::kReturnee};
  subject.handling_code = model::HandlingCode::kH0;
  SharingRules rules;
  rules.categories = {model::Category::kReturnee};
  rules.mode = SharingMode::kPlaintext;
  rules.legal_basis = LegalBasis::kAppropriateSafeguards;
  rules.legal_basis_reference = "Directive 2016/680 art. 37(1)(a)";
  TransferRequest request;
  request.subject = &subject;
  request.content = TransferContent::kRecord;
  const TransferDecision decision =
      DecideTransfer(rules, "MA", request, Context(std::string(kJustification)));
  ASSERT_TRUE(decision.allowed) << decision.reason;
  EXPECT_TRUE(decision.ToStatus().ok());
  EXPECT_NE(decision.reason.find("appropriate_safeguards"), std::string::npos) << decision.reason;
  EXPECT_NE(decision.reason.find("art. 37(1)(a)"), std::string::npos) << decision.reason;
  EXPECT_NE(decision.reason.find("MA"), std::string::npos) << decision.reason;
}

TEST(DecideTransferTest, RefusalsNameWhatIsMissing) {
  SubjectFacts subject;
  subject.id = "S1";
  subject.categories = {model::Category::kReturnee};
  SharingRules rules;
  rules.categories = {model::Category::kForeignTerroristFighter};
  TransferRequest request;
  request.subject = &subject;
  const RequestContext context = Context(std::string(kJustification));

  const TransferDecision category = DecideTransfer(rules, "NL", request, context);
  EXPECT_EQ(category.rule, Rule::kSharingCategory);
  EXPECT_NE(category.reason.find("foreign_terrorist_fighter"), std::string::npos);
  EXPECT_NE(category.reason.find("returnee"), std::string::npos);
  EXPECT_EQ(category.ToStatus().code(), StatusCode::kPermissionDenied);

  rules.categories = {model::Category::kReturnee};
  request.originating_country = "FR";
  const TransferDecision onward = DecideTransfer(rules, "NL", request, context);
  EXPECT_EQ(onward.rule, Rule::kOnwardTransfer);
  EXPECT_NE(onward.reason.find("FR"), std::string::npos) << onward.reason;
  EXPECT_NE(onward.reason.find("not known"), std::string::npos) << onward.reason;

  rules.legal_basis = LegalBasis::kAdequacyDecision;
  const TransferDecision basis = DecideTransfer(rules, "NL", request, context);
  EXPECT_EQ(basis.rule, Rule::kLegalBasis);
  EXPECT_NE(basis.reason.find("legal_basis_reference"), std::string::npos) << basis.reason;
  EXPECT_EQ(basis.ToStatus().code(), StatusCode::kInvalidArgument);
}

TEST(SharingNamesTest, LegalBasisRoundTrips) {
  for (const LegalBasis basis : {LegalBasis::kEuPartner, LegalBasis::kAdequacyDecision,
                                 LegalBasis::kAppropriateSafeguards, LegalBasis::kDerogation}) {
    auto parsed = ParseLegalBasis(LegalBasisName(basis));
    ASSERT_TRUE(parsed.ok()) << LegalBasisName(basis);
    EXPECT_EQ(*parsed, basis);
  }
  EXPECT_EQ(LegalBasisName(LegalBasis::kAppropriateSafeguards), "appropriate_safeguards");
  const auto bad = ParseLegalBasis("consent");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  for (const char* accepted :
       {"eu_partner", "adequacy_decision", "appropriate_safeguards", "derogation"}) {
    EXPECT_NE(bad.status().message().find(accepted), std::string::npos) << bad.status().message();
  }
  EXPECT_FALSE(ParseLegalBasis("EU_PARTNER").ok());
}

TEST(SharingNamesTest, SharingModeRoundTrips) {
  for (const SharingMode mode : {SharingMode::kPlaintext, SharingMode::kHitNoHitOnly}) {
    auto parsed = ParseSharingMode(SharingModeName(mode));
    ASSERT_TRUE(parsed.ok()) << SharingModeName(mode);
    EXPECT_EQ(*parsed, mode);
  }
  EXPECT_EQ(SharingModeName(SharingMode::kHitNoHitOnly), "hit_no_hit");
  const auto bad = ParseSharingMode("hit_no_hit_only");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("plaintext"), std::string::npos);
}

TEST(ValidateSharingRulesTest, DefaultsAreValid) {
  EXPECT_TRUE(ValidateSharingRules(SharingRules{}).ok());
  SharingRules rules;
  rules.categories = {model::Category::kReturnee, model::Category::kReturningMinor};
  rules.release_notice_days = 0;
  EXPECT_TRUE(ValidateSharingRules(rules).ok());
  rules.release_notice_days = kMaxReleaseNoticeDays;
  EXPECT_TRUE(ValidateSharingRules(rules).ok());
}

TEST(ValidateSharingRulesTest, ReferenceRequiredUnlessEuPartner) {
  SharingRules rules;
  rules.legal_basis_reference = "";
  EXPECT_TRUE(ValidateSharingRules(rules).ok());
  for (const LegalBasis basis : {LegalBasis::kAdequacyDecision, LegalBasis::kAppropriateSafeguards,
                                 LegalBasis::kDerogation}) {
    rules.legal_basis = basis;
    rules.legal_basis_reference = "  ";
    const Status status = ValidateSharingRules(rules);
    ASSERT_FALSE(status.ok()) << LegalBasisName(basis);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("legal_basis_reference"), std::string::npos)
        << status.message();
    EXPECT_NE(status.message().find(LegalBasisName(basis)), std::string::npos) << status.message();
    rules.legal_basis_reference = "Directive 2016/680 art. 37";
    EXPECT_TRUE(ValidateSharingRules(rules).ok()) << LegalBasisName(basis);
  }
}

TEST(ValidateSharingRulesTest, ReleaseNoticeDaysWithinAYear) {
  SharingRules rules;
  for (const int days : {-1, kMaxReleaseNoticeDays + 1}) {
    rules.release_notice_days = days;
    const Status status = ValidateSharingRules(rules);
    ASSERT_FALSE(status.ok()) << days;
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("release_notice_days"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find(std::to_string(days)), std::string::npos) << status.message();
  }
}

TEST(ValidateSharingRulesTest, CategoryListedTwice) {
  SharingRules rules;
  rules.categories = {model::Category::kReturnee, model::Category::kHatePropagandist,
                      model::Category::kReturnee};
  const Status status = ValidateSharingRules(rules);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("categories"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("returnee"), std::string::npos) << status.message();
}

TEST(SharingRulesTest, CompareByValue) {
  SharingRules a;
  SharingRules b;
  EXPECT_EQ(a, b);
  b.categories = {model::Category::kReturnee};
  EXPECT_NE(a, b);
  b = a;
  b.minors_consultations = true;
  EXPECT_NE(a, b);
}

TEST(SubjectFactsCategoriesTest, ReadsEveryCategoryOnce) {
  model::Entity entity;
  entity.id = "S7";
  entity.Set("category", {"returnee", "foreign_terrorist_fighter", "returnee"});
  auto facts = SubjectFactsFromEntity(entity);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->categories,
            (std::vector<model::Category>{model::Category::kReturnee,
                                          model::Category::kForeignTerroristFighter}));
  EXPECT_FALSE(facts->returning_minor);

  entity.Set("category", {"returning_minor"});
  facts = SubjectFactsFromEntity(entity);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->categories, std::vector<model::Category>{model::Category::kReturningMinor});
  EXPECT_TRUE(facts->returning_minor);

  entity.Set("category", {});
  facts = SubjectFactsFromEntity(entity);
  ASSERT_TRUE(facts.ok());
  EXPECT_TRUE(facts->categories.empty());
}

TEST(SubjectFactsCategoriesTest, UnknownCategoryNamesSubjectPropertyAndValue) {
  model::Entity entity;
  entity.id = "S8";
  entity.Set("category", {"returnee", "jihadist"});
  auto facts = SubjectFactsFromEntity(entity);
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = facts.status().message();
  EXPECT_NE(message.find("S8"), std::string::npos) << message;
  EXPECT_NE(message.find("category"), std::string::npos) << message;
  EXPECT_NE(message.find("jihadist"), std::string::npos) << message;
  EXPECT_NE(message.find("foreign_terrorist_fighter"), std::string::npos) << message;
}

}  // namespace
}  // namespace entente::policy

namespace entente::policy {
namespace {

TEST(AuthorizeExchangeTest, OnlyJustifiedAnalystsOfTheNodeExchange) {
  RequestContext context;
  context.node_country = "BE";
  context.today = model::PartialDate::Day(2026, 11, 29);
  context.justification = "Joint investigation into a travel network.";
  Principal analyst;
  analyst.user_id = "alice";
  analyst.agency = {"BE", Agency::kPolice};
  analyst.role = Role::kAnalyst;
  analyst.tier = AccessTier::kConsult;
  EXPECT_TRUE(AuthorizeExchange(analyst, context, false).allowed);
  EXPECT_EQ(AuthorizeExchange(analyst, context, true).rule, Rule::kMinorDesignation);
  Principal designated = analyst;
  designated.designations = {Designation::kMinors};
  EXPECT_TRUE(AuthorizeExchange(designated, context, true).allowed);
  Principal anonymous;
  EXPECT_EQ(AuthorizeExchange(anonymous, context, false).code, StatusCode::kUnauthenticated);
  Principal partner = analyst;
  partner.agency.country = "FR";
  EXPECT_EQ(AuthorizeExchange(partner, context, false).rule, Rule::kPartnerHitNoHit);
  Principal auditor = analyst;
  auditor.role = Role::kAuditor;
  EXPECT_EQ(AuthorizeExchange(auditor, context, false).rule, Rule::kRole);
  Principal hit_no_hit = analyst;
  hit_no_hit.tier = AccessTier::kHitNoHit;
  EXPECT_EQ(AuthorizeExchange(hit_no_hit, context, false).rule, Rule::kTierHitNoHit);
  RequestContext unjustified = context;
  unjustified.justification = "because";
  const Decision d = AuthorizeExchange(analyst, unjustified, false);
  EXPECT_EQ(d.rule, Rule::kJustification);
  EXPECT_EQ(d.code, StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace entente::policy
