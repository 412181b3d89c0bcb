#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "policy/rule.h"
#include "policy/subject_facts.h"

namespace entente::policy {

// Where a record goes when it is exported or forwarded.
enum class Destination {
  kWithinNode,  // another service of this node
  kFile,        // a file written out of the node (entente export, a download)
  kPartner,     // a partner country's node
};

// "within_node", "file", "partner".
std::string_view DestinationName(Destination destination);
// InvalidArgument naming the accepted destinations for anything else.
Result<Destination> ParseDestination(std::string_view text);

// Whether a record may be forwarded, and how the output must be marked. A plain value type.
struct ExportDecision {
  bool allowed = false;
  Rule rule = Rule::kAllowed;  // kHandlingH2 / kHandlingH3 when refused
  std::string reason;          // a sentence for the user, in both cases
  // H1: the output must say it may not be used in judicial proceedings without the provider's
  // permission (false once that permission is given).
  bool not_for_judicial_use = false;
  // H3: the restriction in words, to be shown with the output ("" for other codes).
  std::string restriction_to_show;

  // Ok when allowed, else PermissionDenied with the reason.
  Status ToStatus() const;
};

// Applies the handling code of `subject` to forwarding it to `destination`. H0 goes anywhere
// within purpose; H1 goes but is marked not for judicial use unless `provider_permission`; H2
// leaves the node (file, partner) only with `provider_permission`; H3 goes nowhere without it
// and always carries its restriction. Pure and thread-safe.
ExportDecision CanForward(const SubjectFacts& subject, Destination destination,
                          bool provider_permission);

}  // namespace entente::policy
