#pragma once

#include <span>
#include <string_view>

namespace entente::policy {

// The rule that decided a request: kAllowed when every rule let it through, else the first rule
// that refused it. docs/policy.md states each in plain words.
enum class Rule {
  kAllowed,
  kAuthentication,        // who you are is not established
  kRole,                  // the role does not include the action
  kSubjectRequired,       // the action concerns a subject the caller did not describe
  kJustification,         // personal data without a justification of kMinJustificationChars
  kPartnerHitNoHit,       // a partner's user gets hit/no-hit answers only
  kMinorPartnerHitNoHit,  // partners get hit/no-hit answers only about minors, always
  kTierIndirect,          // the indirect tier has no direct access
  kTierHitNoHit,          // the hit_no_hit tier gets hit/no-hit answers only
  kTierConsult,           // the consult tier reads but does not write
  kSubjectErased,         // only the id of an erased subject remains
  kSubjectRestricted,     // a restricted subject is for its owner's supervisors only
  kMinorDesignation,      // minors' records need a user designated for minors' cases
  kOwnerAgency,           // writes belong to the subject's owner agency
  kHandlingH2,            // H2: not forwarded outside the node without the provider's permission
  kHandlingH3,            // H3: never forwarded without the provider's permission
  // Transfers to a partner country (DecideTransfer, sharing.h).
  kLegalBasis,           // no valid legal basis for the transfer (or a derogation without a case)
  kSharingMinors,        // a minor is referred to a partner only in a minors' consultation
  kSharingCategory,      // the partner receives none of the subject's categories
  kSharingMode,          // the partner receives hit/no-hit references, not records
  kOnwardTransfer,       // a partner's data goes to a third state only with its authorisation
  kSharingHandlingCode,  // above the partner's highest handling code without the provider's leave
};

// "allowed", "authentication", "role", ..., "sharing_handling_code" (snake_case of the enum).
std::string_view RuleName(Rule rule);
// Every rule, in enum order.
std::span<const Rule> AllRules();

}  // namespace entente::policy
