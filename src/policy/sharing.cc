#include "policy/sharing.h"

#include <algorithm>
#include <array>

#include "common/check.h"
#include "policy/handling.h"

namespace entente::policy {
namespace {

constexpr std::array<std::string_view, 4> kLegalBasisNames = {
    "eu_partner", "adequacy_decision", "appropriate_safeguards", "derogation"};
constexpr std::array<std::string_view, 2> kSharingModeNames = {"plaintext", "hit_no_hit"};
constexpr std::array<std::string_view, 2> kHitNoHitDeliveryNames = {"encoded_index",
                                                                    "owner_answers"};

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// ISO codes compare without regard to case ("ma" is MA).
bool SameCountry(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return AsciiUpper(x) == AsciiUpper(y); });
}

template <size_t N>
std::string JoinNames(const std::array<std::string_view, N>& names) {
  std::string out;
  for (const std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string CategoryList(const std::vector<model::Category>& categories) {
  if (categories.empty()) return "none";
  std::string out;
  for (const model::Category category : categories) {
    out += (out.empty() ? "" : ", ") + std::string(model::CategoryCode(category));
  }
  return out;
}

bool HasCategory(const std::vector<model::Category>& categories, model::Category category) {
  return std::find(categories.begin(), categories.end(), category) != categories.end();
}

TransferDecision Refuse(Rule rule, std::string reason) {
  TransferDecision decision;
  decision.rule = rule;
  decision.reason = std::move(reason);
  return decision;
}

// "legal basis adequacy_decision (reference)", as the allowed reason names it.
std::string LegalBasisInWords(const SharingRules& rules) {
  std::string out = "legal basis " + std::string(LegalBasisName(rules.legal_basis));
  if (!IsBlank(rules.legal_basis_reference)) out += " (" + rules.legal_basis_reference + ")";
  return out;
}

}  // namespace

std::string_view LegalBasisName(LegalBasis basis) {
  return kLegalBasisNames[static_cast<size_t>(basis)];
}

Result<LegalBasis> ParseLegalBasis(std::string_view text) {
  for (size_t i = 0; i < kLegalBasisNames.size(); ++i) {
    if (kLegalBasisNames[i] == text) return static_cast<LegalBasis>(i);
  }
  return InvalidArgument("\"" + std::string(text) + "\" is not a legal basis (expected one of " +
                         JoinNames(kLegalBasisNames) + ")");
}

std::string_view SharingModeName(SharingMode mode) {
  return kSharingModeNames[static_cast<size_t>(mode)];
}

Result<SharingMode> ParseSharingMode(std::string_view text) {
  for (size_t i = 0; i < kSharingModeNames.size(); ++i) {
    if (kSharingModeNames[i] == text) return static_cast<SharingMode>(i);
  }
  return InvalidArgument("\"" + std::string(text) + "\" is not a sharing mode (expected one of " +
                         JoinNames(kSharingModeNames) + ")");
}

std::string_view HitNoHitDeliveryName(HitNoHitDelivery delivery) {
  return kHitNoHitDeliveryNames[static_cast<size_t>(delivery)];
}

Result<HitNoHitDelivery> ParseHitNoHitDelivery(std::string_view text) {
  for (size_t i = 0; i < kHitNoHitDeliveryNames.size(); ++i) {
    if (kHitNoHitDeliveryNames[i] == text) return static_cast<HitNoHitDelivery>(i);
  }
  return InvalidArgument("\"" + std::string(text) +
                         "\" is not a hit/no-hit delivery (expected one of " +
                         JoinNames(kHitNoHitDeliveryNames) + ")");
}

HitNoHitDelivery DefaultHitNoHitDelivery(LegalBasis basis) {
  return basis == LegalBasis::kEuPartner ? HitNoHitDelivery::kEncodedIndex
                                         : HitNoHitDelivery::kOwnerAnswers;
}

Status ValidateSharingRules(const SharingRules& rules) {
  // Values cast from stored integers could fall outside the enums; the names would then index
  // past their tables.
  if (static_cast<size_t>(rules.legal_basis) >= kLegalBasisNames.size()) {
    return InvalidArgument("legal_basis: unknown value (expected one of " +
                           JoinNames(kLegalBasisNames) + ")");
  }
  if (static_cast<size_t>(rules.mode) >= kSharingModeNames.size()) {
    return InvalidArgument("mode: unknown value (expected one of " + JoinNames(kSharingModeNames) +
                           ")");
  }
  if (static_cast<size_t>(rules.max_handling_code) >= model::HandlingCodeNames().size()) {
    return InvalidArgument("max_handling_code: unknown value (expected one of H0, H1, H2, H3)");
  }
  if (rules.legal_basis != LegalBasis::kEuPartner && IsBlank(rules.legal_basis_reference)) {
    return InvalidArgument("legal_basis_reference: legal basis " +
                           std::string(LegalBasisName(rules.legal_basis)) +
                           " needs the instrument it rests on (the adequacy decision, agreement "
                           "or article); only eu_partner may leave it empty");
  }
  if (static_cast<size_t>(rules.hit_no_hit) >= kHitNoHitDeliveryNames.size()) {
    return InvalidArgument("hit_no_hit: unknown value (expected one of " +
                           JoinNames(kHitNoHitDeliveryNames) + ")");
  }
  const struct {
    const char* name;
    int value;
    int max;
  } limits[] = {{"checks_per_day", rules.checks_per_day, kMaxChecksPerDay},
                {"checks_per_minute", rules.checks_per_minute, kMaxChecksPerMinute},
                {"check_batch_size", rules.check_batch_size, kMaxCheckBatch}};
  for (const auto& limit : limits) {
    if (limit.value < 1 || limit.value > limit.max) {
      return InvalidArgument(std::string(limit.name) + ": " + std::to_string(limit.value) +
                             " is outside 1.." + std::to_string(limit.max));
    }
  }
  if (rules.release_notice_days < 0 || rules.release_notice_days > kMaxReleaseNoticeDays) {
    return InvalidArgument("release_notice_days: " + std::to_string(rules.release_notice_days) +
                           " is outside 0.." + std::to_string(kMaxReleaseNoticeDays));
  }
  for (size_t i = 0; i < rules.categories.size(); ++i) {
    const model::Category category = rules.categories[i];
    if (static_cast<size_t>(category) >= model::CategoryCodes().size()) {
      return InvalidArgument("categories: unknown category at position " + std::to_string(i + 1));
    }
    if (std::find(rules.categories.begin(), rules.categories.begin() + static_cast<ptrdiff_t>(i),
                  category) != rules.categories.begin() + static_cast<ptrdiff_t>(i)) {
      return InvalidArgument("categories: " + std::string(model::CategoryCode(category)) +
                             " is listed twice");
    }
  }
  return Status::Ok();
}

Status TransferDecision::ToStatus() const {
  if (allowed) return Status::Ok();
  std::string message = std::string(RuleName(rule)) + ": " + reason;
  if (rule == Rule::kJustification || rule == Rule::kLegalBasis) {
    return InvalidArgument(std::move(message));
  }
  return PermissionDenied(std::move(message));
}

TransferDecision DecideTransfer(const SharingRules& recipient_rules,
                                std::string_view recipient_country, const TransferRequest& request,
                                const RequestContext& context) {
  ENTENTE_CHECK(request.subject != nullptr);
  ENTENTE_CHECK(context.today.precision() == model::PartialDate::Precision::kDay);
  const SubjectFacts& subject = *request.subject;
  const std::string to(recipient_country);
  const bool record = request.content == TransferContent::kRecord;
  const std::string what =
      (record ? "the record of subject " : "a reference to subject ") + subject.id;

  if (std::string problem = CheckJustification(context); !problem.empty()) {
    return Refuse(Rule::kJustification, std::move(problem));
  }

  if (const Status valid = ValidateSharingRules(recipient_rules); !valid.ok()) {
    return Refuse(Rule::kLegalBasis,
                  "the sharing rules of " + to + " are not valid: " + valid.message());
  }
  if (recipient_rules.legal_basis == LegalBasis::kDerogation && IsBlank(context.case_reference)) {
    return Refuse(Rule::kLegalBasis,
                  "transfers to " + to +
                      " rest on a derogation, which covers one documented specific case: give "
                      "its case reference");
  }

  if (subject.state == RecordState::kErased) {
    return Refuse(Rule::kSubjectErased,
                  "subject " + subject.id + " was erased; only its id remains, nothing is sent");
  }
  if (subject.state == RecordState::kRestricted) {
    return Refuse(Rule::kSubjectRestricted,
                  "subject " + subject.id + " is restricted: it is never sent to a partner");
  }

  if (IsMinorOn(subject, context.today)) {
    if (record) {
      return Refuse(Rule::kMinorPartnerHitNoHit, "subject " + subject.id +
                                                     " is a minor: partners (" + to +
                                                     ") get references only, never the record");
    }
    if (!request.minors_consultation || !recipient_rules.minors_consultations) {
      return Refuse(Rule::kSharingMinors,
                    "subject " + subject.id + " is a minor: a reference goes to " + to +
                        " only within a consultation on a returning minor's case, " +
                        (recipient_rules.minors_consultations
                             ? "and this request is not part of one"
                             : "and " + to + " does not take part in those consultations"));
    }
  }

  const bool shared_category =
      std::any_of(subject.categories.begin(), subject.categories.end(),
                  [&](model::Category c) { return HasCategory(recipient_rules.categories, c); });
  if (!shared_category) {
    return Refuse(
        Rule::kSharingCategory,
        to + " receives subjects of categories: " + CategoryList(recipient_rules.categories) +
            "; subject " + subject.id + " is in: " + CategoryList(subject.categories));
  }

  if (record && recipient_rules.mode == SharingMode::kHitNoHitOnly) {
    return Refuse(Rule::kSharingMode,
                  to + " receives references (hit/no-hit) only, not records: it asks the owner");
  }

  // Data of this node needs no authorisation, whether the caller says "" or names the node.
  const bool foreign_data = !request.originating_country.empty() &&
                            !SameCountry(request.originating_country, context.node_country);
  if (foreign_data && !SameCountry(request.originating_country, recipient_country)) {
    const bool needs_authorisation = request.originating_rules == nullptr ||
                                     request.originating_rules->onward_transfer_needs_authorisation;
    if (needs_authorisation && !request.originator_authorised) {
      return Refuse(
          Rule::kOnwardTransfer,
          "the data of subject " + subject.id + " came from " + request.originating_country +
              ": it goes on to " + to + " only with the authorisation of " +
              request.originating_country +
              (request.originating_rules == nullptr ? " (its sharing rules are not known)" : ""));
    }
  }

  TransferDecision decision;
  decision.allowed = true;
  decision.rule = Rule::kAllowed;
  decision.reason = what + " may go to " + to + " on " + LegalBasisInWords(recipient_rules);
  if (!IsBlank(context.case_reference)) decision.reason += ", case " + context.case_reference;
  if (!record) return decision;

  ExportDecision forward = CanForward(subject, Destination::kPartner, request.provider_permission);
  if (!forward.allowed) return Refuse(forward.rule, std::move(forward.reason));
  if (subject.handling_code > recipient_rules.max_handling_code && !request.provider_permission) {
    return Refuse(Rule::kSharingHandlingCode,
                  "subject " + subject.id + " has handling code " +
                      std::string(model::HandlingCodeName(subject.handling_code)) + ", above " +
                      std::string(model::HandlingCodeName(recipient_rules.max_handling_code)) +
                      ", the highest " + to + " receives without the provider's permission");
  }
  decision.not_for_judicial_use = forward.not_for_judicial_use;
  decision.restriction_to_show = std::move(forward.restriction_to_show);
  decision.reason += "; " + forward.reason;
  return decision;
}

namespace {

Decision DecideExchange(const Principal& principal, const RequestContext& context, bool minors_case,
                        bool needs_justification) {
  Decision d;
  auto refuse = [&](StatusCode code, Rule rule, std::string reason) {
    d.allowed = false;
    d.code = code;
    d.rule = rule;
    d.reason = std::move(reason);
    return d;
  };
  if (!principal.authenticated()) {
    return refuse(StatusCode::kUnauthenticated, Rule::kAuthentication,
                  "who you are is not established");
  }
  if (!SameCountry(principal.agency.country, context.node_country)) {
    return refuse(StatusCode::kPermissionDenied, Rule::kPartnerHitNoHit,
                  "a partner's user exchanges through its own node");
  }
  if (principal.role != Role::kAnalyst && principal.role != Role::kSupervisor) {
    return refuse(StatusCode::kPermissionDenied, Rule::kRole,
                  "the " + std::string(RoleName(principal.role)) +
                      " role does not exchange messages with partners");
  }
  if (std::string why = CheckJustification(context); needs_justification && !why.empty()) {
    return refuse(StatusCode::kInvalidArgument, Rule::kJustification, why);
  }
  if (principal.tier == AccessTier::kIndirect) {
    return refuse(StatusCode::kPermissionDenied, Rule::kTierIndirect,
                  "the indirect tier has no direct access; go through a service that has it");
  }
  if (principal.tier == AccessTier::kHitNoHit) {
    return refuse(StatusCode::kPermissionDenied, Rule::kTierHitNoHit,
                  "the hit_no_hit tier learns only whether a subject is known");
  }
  if (minors_case && !principal.Has(Designation::kMinors)) {
    return refuse(StatusCode::kPermissionDenied, Rule::kMinorDesignation,
                  "minors' cases are for users designated for them");
  }
  d.allowed = true;
  d.code = StatusCode::kOk;
  d.rule = Rule::kAllowed;
  return d;
}

}  // namespace

Decision AuthorizeExchange(const Principal& principal, const RequestContext& context,
                           bool minors_case) {
  return DecideExchange(principal, context, minors_case, /*needs_justification=*/true);
}

Decision AuthorizeExchangeListing(const Principal& principal, const RequestContext& context) {
  return DecideExchange(principal, context, /*minors_case=*/false,
                        /*needs_justification=*/false);
}

}  // namespace entente::policy
