#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// Bounds that keep every answer small enough to read and to audit.
inline constexpr int kMaxNetworkDepth = 6;            // Neighbours: deeper asks are refused
inline constexpr size_t kMaxNetworkNodes = 500;       // one network (neighbours, group, path)
inline constexpr size_t kMaxGroupsNodes = 5000;       // all groups of Groups() together
inline constexpr size_t kMaxCrossBorderLinks = 5000;  // CrossBorderLinks()

// A subject in a network answer. A subject of another register (a link target not stored here)
// has in_register false and only its id and the country its id names.
struct NetworkNode {
  std::string id;
  int hops = 0;         // distance from the start (position on a path); 0 in Groups()
  std::string country;  // the subject's country, or the country prefix of an outside id
  bool in_register = true;
  std::string name;  // first name value; "" outside the register
};

// A link between two nodes of the answer, as stored (src holds the `link` value).
struct NetworkLink {
  std::string src;
  std::string dst;
  std::string type;
  friend bool operator==(const NetworkLink&, const NetworkLink&) = default;
};

// Nodes in breadth-first order (path order for ShortestPath) and the links among them.
// Subjects the caller may not read (kReadNetwork: minors, restricted, erased) are left out and
// not walked through; `withheld` counts them. `truncated` when a bound cut the answer.
struct Network {
  std::vector<NetworkNode> nodes;
  std::vector<NetworkLink> links;
  int64_t withheld = 0;
  bool truncated = false;
};

// The subjects within `depth` links of `id` (both directions), with their hop distance.
// InvalidArgument for a depth outside 1..kMaxNetworkDepth; NotFound for an unknown id; the
// caller's refusal (kReadNetwork on `id`, audited). Every subject returned, and every one
// withheld, gets an audit entry in the transaction that read it.
Result<Network> Neighbours(store::Store& store, const Caller& caller, std::string_view id,
                           int depth);

// A shortest chain of links from `a` to `b` (either direction), nodes in path order. NotFound
// when no path the caller may see joins them within kMaxNetworkNodes subjects. Audited as
// Neighbours.
Result<Network> ShortestPath(store::Store& store, const Caller& caller, std::string_view a,
                             std::string_view b);

// Every subject connected to `id` by any chain of links (at most kMaxNetworkNodes). Audited as
// Neighbours.
Result<Network> ConnectedGroup(store::Store& store, const Caller& caller, std::string_view id);

// The connected groups of at least `min_size` subjects of the whole register, largest first,
// at most kMaxGroupsNodes subjects in all. Audited as Neighbours.
struct NetworkGroups {
  std::vector<Network> groups;
  int64_t withheld = 0;
  bool truncated = false;
};
Result<NetworkGroups> Groups(store::Store& store, const Caller& caller, size_t min_size = 2);

// A link whose two ends belong to different countries.
struct CrossBorderLink {
  store::Link link;           // link.country: the country of its source subject
  std::string other_country;  // the country of link.dst
  bool other_in_register = true;
};

// Links of the register whose ends belong to different countries, in source id order (at most
// kMaxCrossBorderLinks). The rule: the source's country is the store's Link::country (the CC of
// its ownerAgency, else sourceCountry); the target's is its own country when it is a subject of
// this register, else the prefix of its id when the id starts with two capital letters and '-'
// ("FR-0000123", as the registers of partners write them); a link whose target country cannot
// be told is not counted. Links to or from subjects the caller may not read are left out.
// Audited: one entry per subject of this register returned.
struct CrossBorderReport {
  std::vector<CrossBorderLink> links;
  int64_t withheld = 0;
  bool truncated = false;
};
Result<CrossBorderReport> CrossBorderLinks(store::Store& store, const Caller& caller);

// The country an id names by its prefix ("FR-0000123" -> "FR"), "" when it names none.
std::string CountryOfIdPrefix(std::string_view id);

}  // namespace entente::service
