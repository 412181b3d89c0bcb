#include "service/partner_screening.h"

#include "common/check.h"

#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "federation/crypto.h"
#include "federation/outbox.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "service/exchange_audit.h"
#include "service/outgoing.h"
#include "service/owner_answers.h"

namespace entente::service {

using federation::Message;
using federation::MessageType;

Result<PartnerCheck> CheckPartnerIndexes(store::Store& store, const HitNoHitContext& hnh,
                                         const PartnerIndexes& indexes, const Caller& caller,
                                         const model::Entity& query, double threshold,
                                         size_t limit) {
  ENTENTE_ASSIGN_OR_RETURN(
      std::vector<PartnerCheck> checks,
      CheckPartnersMany(store, hnh, indexes, caller, std::span(&query, 1), threshold, limit));
  return std::move(checks.front());
}

Result<std::vector<PartnerCheck>> CheckPartnersMany(store::Store& store, const HitNoHitContext& hnh,
                                                    const PartnerIndexes& indexes,
                                                    const Caller& caller,
                                                    std::span<const model::Entity> queries,
                                                    double threshold, size_t limit) {
  if (hnh.encoder == nullptr) {
    return FailedPrecondition(
        "no federation encoding key is installed (entente node encoding-key --dir D --key F)");
  }
  ENTENTE_CHECK(!queries.empty());
  const policy::Decision screening =
      policy::Authorize(caller.principal, policy::Action::kScreen, nullptr, caller.context);
  if (!screening.allowed) {
    Status audited = store.Write([&](store::WriteTxn& txn) {
      return txn.audit().Append(
          ExchangeRecord(caller, "screen_partners", "",
                         {{"outcome", "refused"}, {"rule", policy::RuleName(screening.rule)}}));
    });
    if (!audited.ok()) return audited;
    return screening.ToStatus();
  }
  std::vector<pprl::QueryCode> codes;
  codes.reserve(queries.size());
  for (const model::Entity& q : queries) codes.push_back(hnh.encoder->EncodeQuery(q));
  std::vector<PartnerCheck> checks(queries.size());
  std::vector<std::string> unavailable;
  // Partners that answer checks themselves are asked (owner_answers.h), in batches of their
  // size; an index one of them sent before is not screened.
  ENTENTE_ASSIGN_OR_RETURN(
      std::vector<OwnerAnswered> owners,
      AskOwners(store, hnh, caller.principal.agency.ToString(), caller.context, codes));
  std::set<std::string> asked;
  for (const OwnerAnswered& o : owners) asked.insert(o.partner);
  for (const PartnerIndexes::Availability& d : indexes.Describe()) {
    if (!d.usable && !asked.contains(d.partner))
      unavailable.push_back(d.partner + ": " + d.problem);
  }
  // Each partner's index on its own: half of them on a second thread when there are several
  // (the check then takes about the time of the slower half on two cores).
  std::vector<std::shared_ptr<const PartnerIndexes::Loaded>> loaded = indexes.Snapshot();
  std::erase_if(loaded, [&](const auto& l) { return asked.contains(l->partner); });
  // found[p][q]: partner p's codes that query q reached.
  std::vector<std::vector<std::vector<pprl::IndexHit>>> found(
      loaded.size(), std::vector<std::vector<pprl::IndexHit>>(queries.size()));
  auto search = [&](size_t p) {
    for (size_t q = 0; q < codes.size(); ++q) {
      // The encoded default threshold unless the caller sets one.
      found[p][q] = threshold > 0 ? loaded[p]->index.Query(codes[q], static_cast<float>(threshold))
                                  : loaded[p]->index.Query(codes[q]);
    }
  };
  if (loaded.size() > 1) {
    std::thread other([&] {
      for (size_t p = 1; p < loaded.size(); p += 2) search(p);
    });
    for (size_t p = 0; p < loaded.size(); p += 2) search(p);
    other.join();
  } else if (loaded.size() == 1) {
    search(0);
  }
  for (size_t p = 0; p < loaded.size(); ++p) {
    for (size_t q = 0; q < queries.size(); ++q) {
      std::vector<pprl::IndexHit>& hits = found[p][q];
      if (hits.size() > limit) hits.resize(limit);
      for (const auto& [index, score] : hits) {
        PartnerHit hit;
        hit.hit_id = federation::NewHitId();
        hit.country = loaded[p]->partner;
        hit.reference = loaded[p]->index.id(index);
        hit.owner = loaded[p]->owners[index];
        hit.score = score;
        checks[q].hits.push_back(std::move(hit));
      }
    }
  }
  std::set<std::string> answered_by_owner;  // hit ids the owner recorded itself
  nlohmann::json owners_audited = nlohmann::json::array();
  for (OwnerAnswered& o : owners) {
    if (!o.problem.empty()) {
      unavailable.push_back(o.partner + ": " + o.problem);
      owners_audited.push_back(
          {{"partner", o.partner}, {"outcome", "unanswered"}, {"problem", o.problem}});
      continue;
    }
    owners_audited.push_back({{"partner", o.partner}, {"outcome", "answered"}});
    for (size_t q = 0; q < o.results.size() && q < queries.size(); ++q) {
      std::vector<federation::CheckHit>& hits = o.results[q];
      if (hits.size() > limit) hits.resize(limit);
      for (federation::CheckHit& h : hits) {
        PartnerHit hit;
        hit.hit_id = std::move(h.hit_id);
        hit.country = o.partner;
        hit.reference = std::move(h.reference);
        hit.owner = std::move(h.owner);
        hit.score = h.score;
        answered_by_owner.insert(hit.hit_id);
        checks[q].hits.push_back(std::move(hit));
      }
    }
  }
  bool any_hit = false;
  for (PartnerCheck& check : checks) {
    std::sort(check.hits.begin(), check.hits.end(),
              [](const PartnerHit& a, const PartnerHit& b) { return a.score > b.score; });
    check.unavailable = unavailable;
    any_hit = any_hit || !check.hits.empty();
  }

  const federation::NodeKeys& keys = *hnh.exchange.keys;
  const int64_t now = hnh.exchange.clock->NowMicros();
  std::map<std::string, federation::PartnerInfo> partners;
  for (const PartnerCheck& check : checks) {
    for (const PartnerHit& hit : check.hits) {
      if (partners.contains(hit.country) || answered_by_owner.contains(hit.hit_id)) continue;
      ENTENTE_ASSIGN_OR_RETURN(store::Partner record, store.partners().Get(hit.country));
      ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo info, federation::DecodePartner(record));
      partners.emplace(hit.country, std::move(info));
    }
  }
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    nlohmann::json audited = nlohmann::json::array();
    for (size_t q = 0; q < checks.size(); ++q) {
      for (const PartnerHit& hit : checks[q].hits) {
        store::HitRecord record;
        record.id = hit.hit_id;
        record.direction = store::HitDirection::kOut;
        record.partner = hit.country;
        record.reference = hit.reference;
        record.owner = hit.owner;
        record.agency = caller.principal.agency.ToString();
        record.actor = caller.principal.user_id;
        record.score = hit.score;
        record.at = now;
        nlohmann::json entry = {{"hit", hit.hit_id},
                                {"partner", hit.country},
                                {"reference", hit.reference},
                                {"score", hit.score}};
        if (queries.size() > 1) entry["query"] = q;
        if (answered_by_owner.contains(hit.hit_id)) {
          // The owner answered the check and recorded the hit: nothing to notify.
          ENTENTE_RETURN_IF_ERROR(txn.hits().Insert(record));
          entry["answered_by_owner"] = true;
          audited.push_back(std::move(entry));
          continue;
        }
        const federation::PartnerInfo& partner = partners.at(hit.country);
        Message m;
        m.id = federation::NewMessageId();
        m.type = MessageType::kHitNotification;
        m.case_id = federation::NewCaseId();
        m.sender = caller.principal.agency.ToString();
        m.recipients = {hit.owner};
        m.created_at = now;
        m.subjects = {{hit.reference, hit.owner}};
        m.hit_id = hit.hit_id;
        m.hit_score = hit.score;
        m.body = "A screening by " + m.sender + " hit your reference " + hit.reference +
                 " (encoded score " + std::to_string(hit.score).substr(0, 5) + ").";
        m.legal_basis = {std::string(policy::LegalBasisName(partner.rules.legal_basis)),
                         partner.rules.legal_basis_reference};
        ENTENTE_ASSIGN_OR_RETURN(std::string document,
                                 PostAndAudit(txn, keys, now, m, Sender::Of(caller)));
        record.notification_id = m.id;
        ENTENTE_RETURN_IF_ERROR(txn.hits().Insert(record));
        entry["notification"] = m.id;
        entry["data_digest"] = federation::Digest(document);
        audited.push_back(std::move(entry));
      }
    }
    nlohmann::json details = {
        {"outcome", "allowed"},           {"key_version", hnh.encoder->key_version()},
        {"threshold", threshold},         {"hits", audited},
        {"owners_asked", owners_audited}, {"unavailable", unavailable}};
    if (queries.size() > 1) details["queries"] = queries.size();
    return txn.audit().Append(ExchangeRecord(caller, "screen_partners", "", details));
  }));
  if (any_hit && hnh.exchange.wake) hnh.exchange.wake();
  return checks;
}

}  // namespace entente::service
