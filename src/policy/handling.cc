#include "policy/handling.h"

#include <array>

namespace entente::policy {
namespace {

constexpr std::array<std::string_view, 3> kDestinationNames = {"within_node", "file", "partner"};

constexpr std::string_view kNoStatedRestriction =
    "H3 restriction not stated in the record: ask the provider before any use";

ExportDecision Allow(std::string reason) {
  ExportDecision decision;
  decision.allowed = true;
  decision.reason = std::move(reason);
  return decision;
}

ExportDecision Refuse(Rule rule, std::string reason) {
  ExportDecision decision;
  decision.rule = rule;
  decision.reason = std::move(reason);
  return decision;
}

}  // namespace

std::string_view DestinationName(Destination destination) {
  return kDestinationNames[static_cast<size_t>(destination)];
}

Result<Destination> ParseDestination(std::string_view text) {
  for (size_t i = 0; i < kDestinationNames.size(); ++i) {
    if (kDestinationNames[i] == text) return static_cast<Destination>(i);
  }
  return InvalidArgument("\"" + std::string(text) +
                         "\" is not a destination (expected one of within_node, file, partner)");
}

Status ExportDecision::ToStatus() const {
  if (allowed) return Status::Ok();
  return PermissionDenied(std::string(RuleName(rule)) + ": " + reason);
}

ExportDecision CanForward(const SubjectFacts& subject, Destination destination,
                          bool provider_permission) {
  const std::string to(DestinationName(destination));
  switch (subject.handling_code) {
    case model::HandlingCode::kH0:
      return Allow("H0: may be used and forwarded to prevent and combat crime");
    case model::HandlingCode::kH1: {
      if (provider_permission) {
        return Allow("H1: the provider allowed its use in judicial proceedings");
      }
      ExportDecision decision = Allow(
          "H1: may be forwarded, but not used in judicial proceedings without the "
          "provider's permission");
      decision.not_for_judicial_use = true;
      return decision;
    }
    case model::HandlingCode::kH2:
      if (destination == Destination::kWithinNode || provider_permission) {
        return Allow(destination == Destination::kWithinNode
                         ? "H2: may be shared within the node"
                         : "H2: the provider allowed forwarding to " + to);
      }
      return Refuse(Rule::kHandlingH2, "H2: not to be forwarded outside the node (destination " +
                                           to + ") without the provider's permission");
    case model::HandlingCode::kH3: {
      if (!provider_permission) {
        return Refuse(Rule::kHandlingH3,
                      "H3: never forwarded (destination " + to +
                          ") without the provider's permission; restriction: " +
                          (subject.handling_restriction.empty() ? std::string(kNoStatedRestriction)
                                                                : subject.handling_restriction));
      }
      ExportDecision decision =
          Allow("H3: the provider allowed forwarding to " + to + "; its restriction must be shown");
      decision.restriction_to_show = subject.handling_restriction.empty()
                                         ? std::string(kNoStatedRestriction)
                                         : subject.handling_restriction;
      return decision;
    }
  }
  return Refuse(Rule::kHandlingH3, "unknown handling code");
}

}  // namespace entente::policy
