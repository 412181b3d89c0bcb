#include "service/network.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

constexpr int kPageSize = 1000;

// What the caller may see of one id.
struct Visibility {
  enum Kind { kShown, kOutside, kWithheld } kind = kWithheld;
  NetworkNode node;
  std::string rule;  // why it is withheld
};

// Walks the links of the register inside one transaction, deciding each subject once, and
// remembers what to audit.
class Walker {
 public:
  Walker(const store::StoreReader& reader, const Caller& caller)
      : reader_(reader), caller_(caller) {}

  Result<const Visibility*> See(const std::string& id) {
    auto found = seen_.find(id);
    if (found != seen_.end()) return &found->second;
    Visibility visibility;
    visibility.node.id = id;
    auto subject = reader_.subjects().Get(id);
    if (!subject.ok()) {
      if (subject.status().code() != StatusCode::kNotFound) return subject.status();
      visibility.kind = Visibility::kOutside;
      visibility.node.in_register = false;
      visibility.node.country = CountryOfIdPrefix(id);
    } else {
      const policy::Decision decision =
          DecideOnSubject(caller_, policy::Action::kReadNetwork, *subject);
      if (decision.allowed) {
        visibility.kind = Visibility::kShown;
        visibility.node.country = subject->country;
        visibility.node.name = std::string(subject->entity.First("name"));
      } else {
        visibility.rule = std::string(policy::RuleName(decision.rule));
      }
    }
    return &seen_.emplace(id, std::move(visibility)).first->second;
  }

  // The links of `id` in both directions, each with the id at its other end.
  Result<std::vector<std::pair<std::string, store::Link>>> LinksOf(const std::string& id) {
    std::vector<std::pair<std::string, store::Link>> out;
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Link> from, reader_.subjects().LinksFrom(id));
    for (auto& link : from) {
      std::string other = link.dst;
      out.emplace_back(std::move(other), std::move(link));
    }
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Link> to, reader_.subjects().LinksTo(id));
    for (auto& link : to) {
      std::string other = link.src;
      out.emplace_back(std::move(other), std::move(link));
    }
    return out;
  }

  // Breadth-first from `start` to `max_depth` hops (-1: no limit), at most `max_nodes` nodes;
  // stops early once `target` is reached. Fills parents_ for PathTo.
  Result<Network> Explore(const std::string& start, int max_depth, size_t max_nodes,
                          const std::string& target = "") {
    Network network;
    parents_.clear();
    std::map<std::string, int> hops;
    std::set<std::tuple<std::string, std::string, std::string>> link_seen;
    std::set<std::string> withheld;
    std::deque<std::string> queue;
    ENTENTE_ASSIGN_OR_RETURN(const Visibility* first, See(start));
    if (first->kind == Visibility::kWithheld) return network;
    hops[start] = 0;
    queue.push_back(start);
    NetworkNode start_node = first->node;
    network.nodes.push_back(start_node);
    while (!queue.empty()) {
      const std::string id = queue.front();
      queue.pop_front();
      if (id == target) break;
      const int depth = hops[id];
      if (max_depth >= 0 && depth >= max_depth) continue;
      ENTENTE_ASSIGN_OR_RETURN(auto links, LinksOf(id));
      for (auto& [other, link] : links) {
        ENTENTE_ASSIGN_OR_RETURN(const Visibility* seen, See(other));
        if (seen->kind == Visibility::kWithheld) {
          withheld.insert(other);
          continue;
        }
        if (!hops.contains(other)) {
          if (network.nodes.size() >= max_nodes) {
            network.truncated = true;
            continue;
          }
          hops[other] = depth + 1;
          parents_[other] = {id, link};
          NetworkNode node = seen->node;
          node.hops = depth + 1;
          network.nodes.push_back(std::move(node));
          queue.push_back(other);
        }
        if (link_seen.insert({link.src, link.dst, link.type}).second) {
          network.links.push_back({link.src, link.dst, link.type});
        }
      }
    }
    network.withheld = static_cast<int64_t>(withheld.size());
    return network;
  }

  // The path from the start of the last Explore to `target` (both included), with its links.
  Network PathTo(const std::string& target) {
    Network path;
    std::string id = target;
    while (true) {
      NetworkNode node = seen_.at(id).node;
      path.nodes.push_back(std::move(node));
      auto parent = parents_.find(id);
      if (parent == parents_.end()) break;
      const store::Link& link = parent->second.second;
      path.links.push_back({link.src, link.dst, link.type});
      id = parent->second.first;
    }
    std::reverse(path.nodes.begin(), path.nodes.end());
    std::reverse(path.links.begin(), path.links.end());
    for (size_t i = 0; i < path.nodes.size(); ++i) path.nodes[i].hops = static_cast<int>(i);
    return path;
  }

  // How many subjects were withheld so far.
  int64_t WithheldCount() const {
    return std::count_if(seen_.begin(), seen_.end(), [](const auto& entry) {
      return entry.second.kind == Visibility::kWithheld;
    });
  }

  // One audit entry per node returned and per subject withheld, with `details`.
  Status Audit(store::WriteTxn& txn, const std::vector<const Network*>& answers,
               const std::string& details) {
    std::vector<std::string> shown;
    for (const Network* network : answers) {
      for (const auto& node : network->nodes) shown.push_back(node.id);
    }
    ENTENTE_RETURN_IF_ERROR(
        AuditEachSubject(txn, caller_, policy::Action::kReadNetwork, shown, details, "allowed"));
    for (const auto& [id, visibility] : seen_) {
      if (visibility.kind != Visibility::kWithheld) continue;
      ENTENTE_RETURN_IF_ERROR(AuditEachSubject(txn, caller_, policy::Action::kReadNetwork, {id},
                                               details, "refused: " + visibility.rule));
    }
    return Status::Ok();
  }

 private:
  const store::StoreReader& reader_;
  const Caller& caller_;
  std::map<std::string, Visibility> seen_;
  std::map<std::string, std::pair<std::string, store::Link>> parents_;
};

std::string Details(std::string_view query, std::string_view from, std::string_view to = "") {
  nlohmann::json details = {{"network", query}};
  if (!from.empty()) details["from"] = from;
  if (!to.empty()) details["to"] = to;
  return DumpJson(details);
}

}  // namespace

std::string CountryOfIdPrefix(std::string_view id) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (id.size() > 3 && upper(id[0]) && upper(id[1]) && id[2] == '-') {
    return std::string(id.substr(0, 2));
  }
  return "";
}

Result<Network> Neighbours(store::Store& store, const Caller& caller, std::string_view id,
                           int depth) {
  if (depth < 1 || depth > kMaxNetworkDepth) {
    return InvalidArgument("depth: expected 1 to " + std::to_string(kMaxNetworkDepth) + ", got " +
                           std::to_string(depth));
  }
  Network network;
  const std::string details = Details("neighbours", id);
  Access access{.action = policy::Action::kReadNetwork,
                .subject_id = std::string(id),
                .details_json = details};
  Status status =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        Walker walker(txn, caller);
        ENTENTE_ASSIGN_OR_RETURN(network, walker.Explore(std::string(id), depth, kMaxNetworkNodes));
        return walker.Audit(txn, {&network}, details);
      });
  if (!status.ok()) return status;
  return network;
}

Result<Network> ShortestPath(store::Store& store, const Caller& caller, std::string_view a,
                             std::string_view b) {
  Network path;
  const std::string details = Details("path", a, b);
  Access access{.action = policy::Action::kReadNetwork,
                .subject_id = std::string(a),
                .details_json = details};
  bool found = false;
  Status status =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        Walker walker(txn, caller);
        ENTENTE_ASSIGN_OR_RETURN(
            Network reached, walker.Explore(std::string(a), -1, kMaxNetworkNodes, std::string(b)));
        found = std::any_of(reached.nodes.begin(), reached.nodes.end(),
                            [&](const NetworkNode& node) { return node.id == b; });
        if (found) {
          path = walker.PathTo(std::string(b));
          path.withheld = reached.withheld;
        }
        return walker.Audit(txn, {&path}, details);
      });
  if (!status.ok()) return status;
  if (!found) {
    return NotFound("no chain of links that you may see joins " + std::string(a) + " and " +
                    std::string(b));
  }
  return path;
}

Result<Network> ConnectedGroup(store::Store& store, const Caller& caller, std::string_view id) {
  Network network;
  const std::string details = Details("group", id);
  Access access{.action = policy::Action::kReadNetwork,
                .subject_id = std::string(id),
                .details_json = details};
  Status status =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        Walker walker(txn, caller);
        ENTENTE_ASSIGN_OR_RETURN(network, walker.Explore(std::string(id), -1, kMaxNetworkNodes));
        return walker.Audit(txn, {&network}, details);
      });
  if (!status.ok()) return status;
  return network;
}

Result<NetworkGroups> Groups(store::Store& store, const Caller& caller, size_t min_size) {
  NetworkGroups answer;
  const std::string details = Details("groups", "");
  Access access{.action = policy::Action::kReadNetwork, .subject_id = {}, .details_json = details};
  Status status =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        answer = NetworkGroups{};
        Walker walker(txn, caller);
        std::set<std::string> grouped;
        size_t total = 0;
        std::string after;
        do {
          ENTENTE_ASSIGN_OR_RETURN(store::SubjectPage page, txn.subjects().List(after, kPageSize));
          for (const store::Subject& subject : page.subjects) {
            const std::string& id = subject.entity.id;
            if (grouped.contains(id)) continue;
            ENTENTE_ASSIGN_OR_RETURN(const Visibility* seen, walker.See(id));
            if (seen->kind != Visibility::kShown) continue;
            ENTENTE_ASSIGN_OR_RETURN(Network group, walker.Explore(id, -1, kMaxNetworkNodes));
            for (const auto& node : group.nodes) grouped.insert(node.id);
            if (group.nodes.size() < min_size) continue;
            if (total + group.nodes.size() > kMaxGroupsNodes) {
              answer.truncated = true;
              continue;
            }
            total += group.nodes.size();
            for (auto& node : group.nodes) node.hops = 0;
            answer.groups.push_back(std::move(group));
          }
          after = page.next_after;
        } while (!after.empty());
        std::stable_sort(
            answer.groups.begin(), answer.groups.end(),
            [](const Network& x, const Network& y) { return x.nodes.size() > y.nodes.size(); });
        answer.withheld = walker.WithheldCount();
        std::vector<const Network*> answers;
        for (const auto& group : answer.groups) {
          answers.push_back(&group);
          answer.truncated |= group.truncated;
        }
        ENTENTE_RETURN_IF_ERROR(walker.Audit(txn, answers, details));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return answer;
}

Result<CrossBorderReport> CrossBorderLinks(store::Store& store, const Caller& caller) {
  CrossBorderReport answer;
  const std::string details = Details("cross_border", "");
  Access access{.action = policy::Action::kReadNetwork, .subject_id = {}, .details_json = details};
  Status status =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        answer = CrossBorderReport{};
        Walker walker(txn, caller);
        std::set<std::string> shown;
        std::set<std::string> withheld;
        std::string after;
        do {
          ENTENTE_ASSIGN_OR_RETURN(store::SubjectPage page, txn.subjects().List(after, kPageSize));
          for (const store::Subject& subject : page.subjects) {
            const std::string& id = subject.entity.id;
            ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Link> links, txn.subjects().LinksFrom(id));
            if (links.empty()) continue;
            ENTENTE_ASSIGN_OR_RETURN(const Visibility* source, walker.See(id));
            for (store::Link& link : links) {
              ENTENTE_ASSIGN_OR_RETURN(const Visibility* target, walker.See(link.dst));
              const std::string& other_country = target->node.country;
              if (link.country.empty() || other_country.empty() || other_country == link.country) {
                continue;
              }
              if (source->kind == Visibility::kWithheld || target->kind == Visibility::kWithheld) {
                if (source->kind == Visibility::kWithheld) withheld.insert(id);
                if (target->kind == Visibility::kWithheld) withheld.insert(link.dst);
                continue;
              }
              if (answer.links.size() >= kMaxCrossBorderLinks) {
                answer.truncated = true;
                break;
              }
              shown.insert(id);
              if (target->kind == Visibility::kShown) shown.insert(link.dst);
              answer.links.push_back(
                  {std::move(link), other_country, target->kind == Visibility::kShown});
            }
          }
          after = page.next_after;
        } while (!after.empty() && !answer.truncated);
        answer.withheld = static_cast<int64_t>(withheld.size());
        ENTENTE_RETURN_IF_ERROR(AuditEachSubject(txn, caller, policy::Action::kReadNetwork,
                                                 {shown.begin(), shown.end()}, details, "allowed"));
        return AuditEachSubject(txn, caller, policy::Action::kReadNetwork,
                                {withheld.begin(), withheld.end()}, details, "refused: left out");
      });
  if (!status.ok()) return status;
  return answer;
}

}  // namespace entente::service
