#include "policy/authorize.h"

#include <string_view>

#include "common/check.h"
#include "common/utf8.h"

namespace entente::policy {
namespace {

std::string_view TrimSpaces(std::string_view text) {
  constexpr std::string_view kSpaces = " \t\r\n\f\v";
  const size_t first = text.find_first_not_of(kSpaces);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(kSpaces);
  return text.substr(first, last - first + 1);
}

Decision Refuse(StatusCode code, Rule rule, std::string reason) {
  Decision decision;
  decision.allowed = false;
  decision.code = code;
  decision.rule = rule;
  decision.reason = std::move(reason);
  return decision;
}

Decision Forbid(Rule rule, std::string reason) {
  return Refuse(StatusCode::kPermissionDenied, rule, std::move(reason));
}

// Whether `role` includes `action` at all, before any other rule.
bool RoleAllows(Role role, Action action) {
  switch (role) {
    case Role::kAnalyst:
    case Role::kSupervisor:
      switch (action) {
        case Action::kReadSubject:
        case Action::kReadSubjectHitNoHit:
        case Action::kWriteSubject:
        case Action::kScreen:
        case Action::kReadRadar:
        case Action::kManageChecklistTask:
        case Action::kReadNetwork:
        case Action::kExport:
          return true;
        case Action::kEraseSubject:
        case Action::kRestrictSubject:
        case Action::kApproveExport:
        case Action::kImport:
          return role == Role::kSupervisor;
        default:
          return false;
      }
    case Role::kAuditor:
      return action == Action::kReadAuditLog || action == Action::kVerifyAuditLog;
    case Role::kAdministrator:
      return action == Action::kManageUsers || action == Action::kManageNodeSettings ||
             action == Action::kVerifyAuditLog || action == Action::kImport;
  }
  return false;
}

std::string RoleRefusal(Role role, Action action) {
  std::string reason =
      "role " + std::string(RoleName(role)) + " may not " + std::string(ActionName(action)) + ": ";
  switch (role) {
    case Role::kAnalyst:
      return reason + "erasing, restricting, approving exports and importing are for supervisors";
    case Role::kSupervisor:
      return reason + "the audit log, users and node settings are for auditors and administrators";
    case Role::kAuditor:
      return reason + "auditors read and verify the audit log but do not read or change subjects";
    case Role::kAdministrator:
      return reason +
             "administrators manage users and node settings; personal data needs an analyst or "
             "supervisor";
  }
  return reason;
}

// The rules that look at the subject: state, minors, owner agency. nullopt when they all pass.
std::optional<Decision> CheckSubject(const Principal& principal, Action action,
                                     const SubjectFacts& subject, const RequestContext& context) {
  const bool own = subject.owner.has_value() && *subject.owner == principal.agency;
  const std::string owner_name = subject.owner ? subject.owner->ToString() : "no owner agency";

  if (subject.state == RecordState::kErased) {
    return Refuse(StatusCode::kNotFound, Rule::kSubjectErased,
                  "subject " + subject.id + " was erased; only its id remains");
  }
  if (subject.state == RecordState::kRestricted) {
    const bool review = action == Action::kReadSubject || action == Action::kEraseSubject ||
                        action == Action::kRestrictSubject;
    if (!review || principal.role != Role::kSupervisor || (subject.owner && !own)) {
      return Forbid(Rule::kSubjectRestricted,
                    "subject " + subject.id +
                        " is restricted: only a supervisor of its owner agency (" + owner_name +
                        ") may read it, erase it or lift the restriction");
    }
  }
  if (!AnswerableHitNoHit(action) && !principal.Has(Designation::kMinors) &&
      IsMinorOn(subject, context.today)) {
    return Forbid(Rule::kMinorDesignation,
                  "subject " + subject.id +
                      " is a minor: only users designated for minors' cases may " +
                      std::string(ActionName(action)) + "; others get hit/no-hit answers");
  }
  const bool owner_only = action == Action::kWriteSubject || action == Action::kEraseSubject ||
                          action == Action::kRestrictSubject || action == Action::kApproveExport;
  if (owner_only) {
    if (subject.owner && !own) {
      return Forbid(Rule::kOwnerAgency, "subject " + subject.id + " belongs to " + owner_name +
                                            "; " + principal.agency.ToString() + " may not " +
                                            std::string(ActionName(action)) + " it");
    }
    if (!subject.owner && principal.role != Role::kSupervisor) {
      return Forbid(Rule::kOwnerAgency, "subject " + subject.id +
                                            " has no owner agency: only a supervisor may " +
                                            std::string(ActionName(action)) + " it");
    }
  }
  return std::nullopt;
}

}  // namespace

Status Decision::ToStatus() const {
  if (allowed) return Status::Ok();
  return {code, std::string(RuleName(rule)) + ": " + reason};
}

std::string CheckJustification(const RequestContext& context) {
  const std::string_view text = TrimSpaces(context.justification);
  if (text.empty()) {
    return "a justification is required to read or change personal data: say why, in at least " +
           std::to_string(kMinJustificationChars) + " characters (" + context.justification_field +
           ")";
  }
  if (FindInvalidUtf8(text)) return "the justification is not valid UTF-8";
  const size_t chars = CountCodePoints(text, text.size());
  if (chars < kMinJustificationChars) {
    return "the justification \"" + std::string(text) + "\" is too short: at least " +
           std::to_string(kMinJustificationChars) + " characters saying why the data is needed";
  }
  if (chars > kMaxJustificationChars) {
    return "the justification has " + std::to_string(chars) + " characters; at most " +
           std::to_string(kMaxJustificationChars);
  }
  const std::string_view reference = TrimSpaces(context.case_reference);
  if (FindInvalidUtf8(reference)) return "the case reference is not valid UTF-8";
  if (CountCodePoints(reference, reference.size()) > kMaxCaseReferenceChars) {
    return "the case reference has more than " + std::to_string(kMaxCaseReferenceChars) +
           " characters";
  }
  return "";
}

namespace {

// Authorize, and AuthorizeCaller when `caller_only` (no subject yet, and none required).
Decision Decide(const Principal& principal, Action action, const SubjectFacts* subject,
                const RequestContext& context, bool caller_only) {
  ENTENTE_CHECK(context.today.precision() == model::PartialDate::Precision::kDay);
  const std::string verb(ActionName(action));

  if (!principal.authenticated()) {
    return Refuse(StatusCode::kUnauthenticated, Rule::kAuthentication,
                  "who you are is not established: present a valid token");
  }
  if (!RoleAllows(principal.role, action)) {
    return Forbid(Rule::kRole, RoleRefusal(principal.role, action));
  }
  if (subject == nullptr && NeedsSubject(action) && !caller_only) {
    return Refuse(StatusCode::kInvalidArgument, Rule::kSubjectRequired,
                  verb + " concerns one subject: name it");
  }
  if (TouchesPersonalData(action)) {
    std::string problem = CheckJustification(context);
    if (!problem.empty()) return Forbid(Rule::kJustification, std::move(problem));
  }

  Decision decision;
  decision.allowed = true;
  decision.code = StatusCode::kOk;
  decision.rule = Rule::kAllowed;
  decision.reason = verb + " allowed";

  if (principal.agency.country != context.node_country) {
    if (!AnswerableHitNoHit(action)) {
      if (subject != nullptr && IsMinorOn(*subject, context.today)) {
        return Forbid(Rule::kMinorPartnerHitNoHit,
                      "subject " + subject->id + " is a minor: partners (" +
                          principal.agency.country + ") get hit/no-hit answers only");
      }
      return Forbid(Rule::kPartnerHitNoHit,
                    "a partner's user (" + principal.agency.ToString() +
                        ") gets hit/no-hit answers only; the owner decides what to release");
    }
    decision.hit_no_hit_only = true;
  }

  // An administrator's import loads the node's register without consulting it: the tier of its
  // service does not apply (ImportRecordDecision still checks each record's country).
  const bool tier_applies = !(action == Action::kImport && principal.role == Role::kAdministrator);
  if (TouchesPersonalData(action) && tier_applies) {
    switch (principal.tier) {
      case AccessTier::kIndirect:
        return Forbid(Rule::kTierIndirect,
                      "tier indirect has no direct access to the register: ask a service with "
                      "direct access");
      case AccessTier::kHitNoHit:
        if (!AnswerableHitNoHit(action)) {
          return Forbid(Rule::kTierHitNoHit,
                        "tier hit_no_hit may only learn whether a subject is known and whom to "
                        "ask, not " +
                            verb);
        }
        decision.hit_no_hit_only = true;
        break;
      case AccessTier::kConsult:
        if (ChangesRegister(action)) {
          return Forbid(Rule::kTierConsult, "tier consult may read the register but not " + verb +
                                                ": that needs consult_and_feed");
        }
        break;
      case AccessTier::kConsultAndFeed:
        break;
    }
  }

  if (subject == nullptr) return decision;
  if (auto refusal = CheckSubject(principal, action, *subject, context)) return *refusal;

  if (action == Action::kExport) {
    const bool permission =
        context.provider_permission || (subject->owner && *subject->owner == principal.agency);
    ExportDecision forward = CanForward(*subject, context.destination, permission);
    if (!forward.allowed) return Forbid(forward.rule, std::move(forward.reason));
    decision.not_for_judicial_use = forward.not_for_judicial_use;
    decision.restriction_to_show = std::move(forward.restriction_to_show);
    decision.reason = std::move(forward.reason);
    return decision;
  }
  if (!decision.hit_no_hit_only) {
    decision.not_for_judicial_use = subject->handling_code == model::HandlingCode::kH1;
    if (subject->handling_code == model::HandlingCode::kH3) {
      decision.restriction_to_show = subject->handling_restriction.empty()
                                         ? "H3: restriction not stated; ask the provider"
                                         : subject->handling_restriction;
    }
  }
  return decision;
}

}  // namespace

Decision Authorize(const Principal& principal, Action action, const SubjectFacts* subject,
                   const RequestContext& context) {
  return Decide(principal, action, subject, context, false);
}

Decision AuthorizeCaller(const Principal& principal, Action action, const RequestContext& context) {
  return Decide(principal, action, nullptr, context, true);
}

Decision ImportRecordDecision(const Principal& principal, const SubjectFacts& subject,
                              const RequestContext& context) {
  if (!subject.owner) {
    return Forbid(Rule::kOwnerAgency, "subject " + subject.id +
                                          " has no ownerAgency: an imported record names the "
                                          "agency of " +
                                          context.node_country + " that owns it");
  }
  if (subject.owner->country != context.node_country) {
    return Forbid(Rule::kOwnerAgency, "ownerAgency " + subject.owner->ToString() +
                                          " is not an agency of this node (" +
                                          context.node_country + ")");
  }
  if (principal.role == Role::kAdministrator) {
    Decision decision;
    decision.allowed = true;
    decision.code = StatusCode::kOk;
    decision.reason = "import allowed";
    return decision;
  }
  return Authorize(principal, Action::kWriteSubject, &subject, context);
}

}  // namespace entente::policy
