#include "policy/rule.h"

#include <array>

namespace entente::policy {
namespace {

constexpr std::array<std::string_view, 22> kRuleNames = {"allowed",
                                                         "authentication",
                                                         "role",
                                                         "subject_required",
                                                         "justification",
                                                         "partner_hit_no_hit",
                                                         "minor_partner_hit_no_hit",
                                                         "tier_indirect",
                                                         "tier_hit_no_hit",
                                                         "tier_consult",
                                                         "subject_erased",
                                                         "subject_restricted",
                                                         "minor_designation",
                                                         "owner_agency",
                                                         "handling_h2",
                                                         "handling_h3",
                                                         "legal_basis",
                                                         "sharing_minors",
                                                         "sharing_category",
                                                         "sharing_mode",
                                                         "onward_transfer",
                                                         "sharing_handling_code"};

constexpr std::array<Rule, kRuleNames.size()> MakeRuleList() {
  std::array<Rule, kRuleNames.size()> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<Rule>(i);
  return out;
}
constexpr std::array<Rule, kRuleNames.size()> kRules = MakeRuleList();
static_assert(static_cast<size_t>(Rule::kSharingHandlingCode) + 1 == kRuleNames.size(),
              "one name per rule");

}  // namespace

std::string_view RuleName(Rule rule) { return kRuleNames[static_cast<size_t>(rule)]; }

std::span<const Rule> AllRules() { return kRules; }

}  // namespace entente::policy
