#include "policy/principal.h"

#include <algorithm>
#include <array>

#include "model/country.h"

namespace entente::policy {
namespace {

constexpr std::array<std::string_view, 4> kRoleNames = {"analyst", "supervisor", "auditor",
                                                        "administrator"};
constexpr std::array<std::string_view, 4> kTierNames = {"consult", "consult_and_feed", "hit_no_hit",
                                                        "indirect"};
constexpr std::array<std::string_view, 1> kDesignationNames = {"minors"};

std::string OneOf(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// Parses `text` as one of `names` (enum order); InvalidArgument saying what `what` may be.
template <typename E>
Result<E> ParseName(std::span<const std::string_view> names, std::string_view text,
                    std::string_view what) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return InvalidArgument("\"" + std::string(text) + "\" is not " + std::string(what) +
                         " (expected one of " + OneOf(names) + ")");
}

}  // namespace

std::string_view AgencyName(Agency agency) { return model::AgencyKindCode(agency); }

Result<Agency> ParseAgency(std::string_view text) {
  return ParseName<Agency>(model::AgencyKindCodes(), text, "an agency");
}

std::string AgencyId::ToString() const { return country + "/" + std::string(AgencyName(kind)); }

Result<AgencyId> AgencyId::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || !model::IsCountryCode(text.substr(0, slash))) {
    return InvalidArgument("\"" + std::string(text) +
                           "\" is not an agency (expected CC/kind, e.g. BE/intelligence)");
  }
  auto kind = ParseAgency(text.substr(slash + 1));
  if (!kind.ok()) return kind.status();
  return AgencyId{model::CanonicalCountry(text.substr(0, slash)), *kind};
}

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }
Result<Role> ParseRole(std::string_view text) {
  return ParseName<Role>(kRoleNames, text, "a role");
}

std::string_view AccessTierName(AccessTier tier) { return kTierNames[static_cast<size_t>(tier)]; }
Result<AccessTier> ParseAccessTier(std::string_view text) {
  return ParseName<AccessTier>(kTierNames, text, "an access tier");
}

std::string_view DesignationName(Designation designation) {
  return kDesignationNames[static_cast<size_t>(designation)];
}
Result<Designation> ParseDesignation(std::string_view text) {
  return ParseName<Designation>(kDesignationNames, text, "a designation");
}

bool Principal::Has(Designation designation) const {
  return std::find(designations.begin(), designations.end(), designation) != designations.end();
}

Result<Principal> BuildPrincipal(const UserFields& user) {
  if (user.id.empty()) return InvalidArgument("user: field 'id' is empty");
  const std::string where = "user " + std::string(user.id) + ": field ";
  if (user.disabled) {
    return Status(StatusCode::kUnauthenticated, "user " + std::string(user.id) + " is disabled");
  }
  Principal principal;
  principal.user_id = std::string(user.id);

  auto agency = AgencyId::Parse(user.agency);
  if (!agency.ok()) return agency.status().WithContext(where + "'agency'");
  principal.agency = std::move(agency).value();

  auto role = ParseRole(user.role);
  if (!role.ok()) return role.status().WithContext(where + "'role'");
  principal.role = *role;

  if (user.tier.empty()) {
    principal.tier = kDefaultTier;
  } else {
    auto tier = ParseAccessTier(user.tier);
    if (!tier.ok()) return tier.status().WithContext(where + "'tier'");
    principal.tier = *tier;
  }

  std::string_view rest = user.designations;
  while (!rest.empty()) {
    const size_t end = rest.find_first_of(",|");
    const std::string_view name = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (name.empty()) continue;
    auto designation = ParseDesignation(name);
    if (!designation.ok()) return designation.status().WithContext(where + "'designations'");
    if (!principal.Has(*designation)) principal.designations.push_back(*designation);
  }
  return principal;
}

}  // namespace entente::policy
