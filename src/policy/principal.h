#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/vocabulary.h"

namespace entente::policy {

// The kinds of agency in a node (police, intelligence, judicial, penitentiary, administration,
// youth_protection). The same enum as the register's ownerAgency kinds, so they compare directly.
using Agency = model::AgencyKind;

// "police", "intelligence", ..., "youth_protection".
std::string_view AgencyName(Agency agency);
// Parses an agency kind; InvalidArgument naming the accepted kinds otherwise.
Result<Agency> ParseAgency(std::string_view text);

// One agency of one country, written "CC/kind" (BE/intelligence) as in ownerAgency. A value type.
struct AgencyId {
  std::string country;  // ISO 3166-1 alpha-2, uppercase
  Agency kind = Agency::kPolice;

  // "BE/intelligence".
  std::string ToString() const;
  // Parses "CC/kind" (the country in either case); InvalidArgument with the reason otherwise.
  static Result<AgencyId> Parse(std::string_view text);

  friend bool operator==(const AgencyId&, const AgencyId&) = default;
};

// What a user does in the node. Reading personal data needs kAnalyst or kSupervisor.
enum class Role {
  kAnalyst,        // reads, screens, feeds the register of its agency
  kSupervisor,     // an analyst who may also erase, restrict and approve exports
  kAuditor,        // reads and verifies the audit log; never reads subjects
  kAdministrator,  // manages users and node settings; never reads subjects
};

// "analyst", "supervisor", "auditor", "administrator".
std::string_view RoleName(Role role);
// InvalidArgument naming the accepted roles for anything else.
Result<Role> ParseRole(std::string_view text);

// The access tiers of the Belgian joint database: what a service may see of the register.
enum class AccessTier {
  kConsult,         // reads records, cannot write them
  kConsultAndFeed,  // reads and writes records
  kHitNoHit,        // only learns whether a subject is known, and whom to ask
  kIndirect,        // no direct access: must go through a service that has it
};

// "consult", "consult_and_feed", "hit_no_hit", "indirect".
std::string_view AccessTierName(AccessTier tier);
// InvalidArgument naming the accepted tiers for anything else.
Result<AccessTier> ParseAccessTier(std::string_view text);

// Special mandates a user may hold on top of the role.
enum class Designation {
  kMinors,  // designated for minors' cases: may read and handle records of minors in full
};

// "minors".
std::string_view DesignationName(Designation designation);
// InvalidArgument naming the accepted designations for anything else.
Result<Designation> ParseDesignation(std::string_view text);

// Who is asking: an authenticated user of a node, or of a partner's node (agency.country differs
// from the node's). A Principal with an empty user_id is anonymous: Authorize refuses it as
// unauthenticated. Defaults give the least access. A plain value type.
struct Principal {
  std::string user_id;
  AgencyId agency;
  Role role = Role::kAnalyst;
  AccessTier tier = AccessTier::kIndirect;
  std::vector<Designation> designations;

  // Whether the principal is a known user (a non-empty user_id).
  bool authenticated() const { return !user_id.empty(); }
  // Whether the user holds `designation`.
  bool Has(Designation designation) const;
};

// The tier a user gets when the stored user has none: read but not write.
inline constexpr AccessTier kDefaultTier = AccessTier::kConsult;

// The fields of a stored user, as text (the store keeps strings). Views into the caller's data.
struct UserFields {
  std::string_view id = {};
  std::string_view agency = {};  // "CC/kind"
  std::string_view role = {};    // RoleName
  std::string_view tier = {};    // AccessTierName; "" gives kDefaultTier
  std::string_view designations =
      {};  // DesignationName values separated by ',' or '|'; "" for none
  bool disabled = false;
};

// Builds the Principal of a stored user. Unauthenticated if the user is disabled; InvalidArgument
// naming the field, the value and what was expected if a field is empty or unknown.
Result<Principal> BuildPrincipal(const UserFields& user);

}  // namespace entente::policy
