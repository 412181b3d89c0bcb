#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "model/vocabulary.h"
#include "policy/authorize.h"
#include "policy/rule.h"
#include "policy/subject_facts.h"

namespace entente::policy {

// What a transfer of personal data to a partner country rests on (Directive (EU) 2016/680,
// chapter V): a partner of the EU, an adequacy decision (art. 36), appropriate safeguards
// (art. 37), or a derogation for a specific case (art. 38).
enum class LegalBasis { kEuPartner, kAdequacyDecision, kAppropriateSafeguards, kDerogation };

// "eu_partner", "adequacy_decision", "appropriate_safeguards", "derogation".
std::string_view LegalBasisName(LegalBasis basis);
// InvalidArgument naming the accepted legal bases for anything else.
Result<LegalBasis> ParseLegalBasis(std::string_view text);

// What a partner receives about a subject: the record itself, or only an opaque reference that
// says the subject is known and whom to ask.
enum class SharingMode { kPlaintext, kHitNoHitOnly };

// "plaintext", "hit_no_hit".
std::string_view SharingModeName(SharingMode mode);
// InvalidArgument naming the accepted modes for anything else.
Result<SharingMode> ParseSharingMode(std::string_view text);

// Highest number of days ahead of a release or leave that a partner may ask to be notified.
inline constexpr int kMaxReleaseNoticeDays = 365;

// How hit/no-hit works with a partner (docs/hit-no-hit.md). kEncodedIndex: each side sends the
// other its encoded index, screened on the partner's machine. kOwnerAnswers: no index is sent;
// each check travels to the owner, which answers hit or no hit, logs it and may refuse a partner
// past its limits. Agreed between the two nodes and set on both sides: a node sends checks only
// to partners it has in kOwnerAnswers, and answers checks only from those.
enum class HitNoHitDelivery { kEncodedIndex, kOwnerAnswers };

// "encoded_index", "owner_answers".
std::string_view HitNoHitDeliveryName(HitNoHitDelivery delivery);
// InvalidArgument naming the accepted values for anything else.
Result<HitNoHitDelivery> ParseHitNoHitDelivery(std::string_view text);
// The default for a partner whose transfers rest on `basis`: an EU partner receives the encoded
// index; any other answers, and is answered, check by check.
HitNoHitDelivery DefaultHitNoHitDelivery(LegalBasis basis);

// Bounds of the limits an owner sets on a partner's checks.
inline constexpr int kMaxChecksPerDay = 10'000'000;
inline constexpr int kMaxChecksPerMinute = 100'000;
inline constexpr int kMaxCheckBatch = 1000;

// What a node may send to one partner country (kept in the partner registry). A plain value
// type; the defaults share nothing but references and rest on EU membership.
struct SharingRules {
  std::vector<model::Category>
      categories;  // categories of subjects that may be shared; empty: none
  SharingMode mode = SharingMode::kHitNoHitOnly;
  // Highest code sent without the provider's permission.
  model::HandlingCode max_handling_code = model::HandlingCode::kH0;
  LegalBasis legal_basis = LegalBasis::kEuPartner;
  // The instrument (adequacy decision, agreement, article); required unless kEuPartner.
  std::string legal_basis_reference;
  // Data received FROM this partner may go to a third state only with its authorisation.
  bool onward_transfer_needs_authorisation = true;
  // How far ahead of a release or leave this partner is notified (0..kMaxReleaseNoticeDays).
  int release_notice_days = 30;
  bool minors_consultations = false;  // takes part in consultations on returning minors
  // Hit/no-hit with this partner; when read from JSON without it, DefaultHitNoHitDelivery.
  HitNoHitDelivery hit_no_hit = HitNoHitDelivery::kEncodedIndex;
  // kOwnerAnswers: the checks this node answers for the partner, per day (UTC) and per minute,
  // and the most queries one request may carry. Past a limit the partner is answered 429.
  int checks_per_day = 1000;
  int checks_per_minute = 120;
  int check_batch_size = 100;
  friend bool operator==(const SharingRules&, const SharingRules&) = default;
};

// Ok, or InvalidArgument naming the field and what was expected: legal_basis_reference (blank
// for a basis other than eu_partner), release_notice_days (outside 0..kMaxReleaseNoticeDays),
// checks_per_day, checks_per_minute, check_batch_size (outside 1..their kMax),
// categories (a category listed twice). Pure.
Status ValidateSharingRules(const SharingRules& rules);

// What is sent: an opaque reference to a subject, or the record itself.
enum class TransferContent { kReference, kRecord };

// One transfer of one subject to a partner. Pointers do not own; they must outlive the call.
struct TransferRequest {
  const SubjectFacts* subject = nullptr;  // required (ENTENTE_CHECK)
  TransferContent content = TransferContent::kReference;
  bool provider_permission = false;  // the provider allowed this transfer (H2/H3, or above
                                     // max_handling_code)
  // "" for data of this node; else the partner the data came from (an onward transfer).
  std::string originating_country;
  // That partner's rules; nullptr: unknown, treated as needing authorisation.
  const SharingRules* originating_rules = nullptr;
  bool originator_authorised = false;  // the originating state authorised this onward transfer
  bool minors_consultation = false;    // part of a consultation on a returning minor's case
};

// The answer to a TransferRequest. A plain value type.
struct TransferDecision {
  bool allowed = false;
  Rule rule = Rule::kAllowed;  // the rule that refused, or kAllowed
  std::string reason;          // a sentence for the user; when allowed, names the legal basis
  bool not_for_judicial_use = false;  // H1 marking (from CanForward)
  std::string restriction_to_show;    // H3 words (from CanForward)

  // Ok when allowed; else InvalidArgument (kJustification, kLegalBasis: the request or the
  // partner registry must be completed) or PermissionDenied, naming the rule and the reason.
  Status ToStatus() const;
};

// Decides whether `request` may go to `recipient_country` (ISO alpha-2), whose registry entry is
// `recipient_rules`. `context` gives the justification, case reference, today (a full date) and
// node_country. The rules run in this order and the first refusal wins: justification, legal
// basis (valid rules; a derogation needs a case reference), erased/restricted state, minors,
// categories, mode, onward transfer, handling code (records only). docs/policy.md states them in
// plain words. Pure and thread-safe.
TransferDecision DecideTransfer(const SharingRules& recipient_rules,
                                std::string_view recipient_country, const TransferRequest& request,
                                const RequestContext& context);

// Decides whether `principal` may take part in the exchange with partners: send a message, or
// read the messages and cases of its agency. Only a user of this node (context.node_country)
// with the analyst or supervisor role and a tier with direct access (consult or
// consult_and_feed) may, always with a justification; a minors' case moreover needs the minors
// designation. Refusals name their rule (kAuthentication, kPartnerHitNoHit, kRole,
// kJustification, kTierIndirect, kTierHitNoHit, kMinorDesignation). Pure and thread-safe.
Decision AuthorizeExchange(const Principal& principal, const RequestContext& context,
                           bool minors_case);

// The same rules for listings of the exchange that show no personal data (counts, the cases'
// ids and dates, release notices' bookkeeping): no justification is asked for them, and no
// minors' designation (listings leave minors' cases out for users without it).
Decision AuthorizeExchangeListing(const Principal& principal, const RequestContext& context);

}  // namespace entente::policy
