#include "service/index_publish.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "federation/crypto.h"
#include "federation/index_update.h"
#include "federation/outbox.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "policy/subject_facts.h"
#include "service/exchange_audit.h"
#include "service/outgoing.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

using federation::IndexEntryUpdate;
using federation::IndexUpdate;
using federation::Message;
using federation::MessageType;

constexpr int kPageSize = 1000;
constexpr std::string_view kSystemActor = "system:hit-no-hit";

// What one partner may hold of one subject: its code under the owner agency, or nothing.
struct Eligible {
  std::string owner;
  pprl::BloomCode code;
  std::string digest;
};

class Publisher {
 public:
  Publisher(store::Store& store, const HitNoHitContext& hnh, const federation::PartnerInfo& partner,
            const PublishOptions& options, int64_t change_seq)
      : store_(store),
        hnh_(hnh),
        keys_(*hnh.exchange.keys),
        partner_(partner),
        country_(partner.record.country),
        options_(options),
        change_seq_(change_seq),
        now_(hnh.exchange.clock->NowMicros()),
        owner_answers_(partner.rules.hit_no_hit == policy::HitNoHitDelivery::kOwnerAnswers) {
    context_.node_country = keys_.country;
    context_.today = policy::DayOfMicros(now_);
    context_.destination = policy::Destination::kPartner;
    context_.justification = "hit/no-hit: the encoded index of " + keys_.country + " for " +
                             country_ + ", under its sharing rules";
  }

  Result<PublishReport> Run() {
    auto publication = store_.indexes().GetPublication(country_);
    if (!publication.ok() && publication.status().code() != StatusCode::kNotFound) {
      return publication.status();
    }
    if (publication.ok()) previous_ = *publication;
    const uint32_t key_version = hnh_.encoder->key_version();
    report_.partner = country_;
    report_.owner_answers = owner_answers_;
    report_.full = options_.full || !previous_ ||
                   previous_->key_version != static_cast<int64_t>(key_version) ||
                   partner_.record.updated_at > previous_->published_at ||
                   previous_->owner_answers != owner_answers_;
    if (!report_.full && previous_->change_seq == change_seq_) {
      // Nothing written since: the partner holds the register as it stands.
      report_.generation = previous_->generation;
      report_.entries = previous_->entries;
      return report_;
    }
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::PublishedEntry> published,
                             store_.indexes().ListPublished(country_));
    for (store::PublishedEntry& e : published) {
      std::string id = e.subject_id;
      published_.emplace(std::move(id), std::move(e));
    }
    update_.key_version = key_version;
    if (report_.full) {
      update_.generation = previous_ ? static_cast<uint64_t>(previous_->generation) + 1 : 1;
      update_.sequence = 1;
      update_.reset = true;
      entries_ = 0;
      // A partner that held this node's index and now has its checks answered here is sent an
      // empty generation, which withdraws the index it holds.
      if (owner_answers_ && previous_ && !previous_->owner_answers) {
        ENTENTE_RETURN_IF_ERROR(Withdraw());
      }
      ENTENTE_RETURN_IF_ERROR(FullGeneration());
    } else {
      update_.generation = static_cast<uint64_t>(previous_->generation);
      update_.sequence = static_cast<uint64_t>(previous_->sequence) + 1;
      entries_ = previous_->entries;
      ENTENTE_RETURN_IF_ERROR(Deltas());
    }
    report_.generation = static_cast<int64_t>(update_.generation);
    report_.entries = entries_;
    return report_;
  }

 private:
  // Every subject of the register, checked and encoded; entries the partner held and may no
  // longer hold are dropped from the bookkeeping with the generation's last update.
  Status FullGeneration() {
    std::string after;
    while (true) {
      ENTENTE_ASSIGN_OR_RETURN(store::SubjectPage page, store_.subjects().List(after, kPageSize));
      for (const store::Subject& subject : page.subjects) {
        std::optional<Eligible> eligible = Check(subject);
        if (!eligible) continue;
        kept_.insert(subject.entity.id);
        Upsert(subject.entity.id, std::move(*eligible));
        if (Pending() >= options_.entries_per_update) ENTENTE_RETURN_IF_ERROR(Flush(false));
      }
      if (page.next_after.empty()) break;
      after = page.next_after;
    }
    return Flush(true);
  }

  // The subjects changed since the last publication.
  Status Deltas() {
    std::vector<std::string> ids;
    std::unordered_set<std::string> seen;
    int64_t after = previous_->change_seq;
    while (after < change_seq_) {
      ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Change> changes,
                               store_.subjects().ChangesSince(after, 10 * kPageSize));
      if (changes.empty()) break;
      for (const store::Change& c : changes) {
        if (c.seq > change_seq_) break;
        if (seen.insert(c.subject_id).second) ids.push_back(c.subject_id);
        after = c.seq;
      }
      if (changes.back().seq > change_seq_) break;
    }
    for (const std::string& id : ids) {
      auto subject = store_.subjects().Get(id);
      if (!subject.ok() && subject.status().code() != StatusCode::kNotFound) {
        return subject.status();
      }
      std::optional<Eligible> eligible;
      if (subject.ok()) eligible = Check(*subject);
      auto held = published_.find(id);
      if (eligible) {
        if (held != published_.end() && held->second.digest == eligible->digest) continue;
        if (held == published_.end()) ++entries_;
        Upsert(id, std::move(*eligible));
      } else if (held != published_.end()) {
        update_.removals.push_back(held->second.reference);
        deleted_.push_back(id);
        --entries_;
      }
      if (Pending() >= options_.entries_per_update) ENTENTE_RETURN_IF_ERROR(Flush(false));
    }
    if (Pending() > 0) return Flush(false);
    // Nothing to send (the changes left the partner's entries as they were): the change feed
    // still moves on.
    store::IndexPublication p = *previous_;
    p.change_seq = change_seq_;
    return store_.Write([&](store::WriteTxn& txn) { return txn.indexes().PutPublication(p); });
  }

  std::optional<Eligible> Check(const store::Subject& subject) {
    if (subject.state != store::SubjectState::kActive) return Withheld();
    // The partner's own data is not indexed back to it.
    if (subject.country == country_) return Withheld();
    auto facts = FactsOfSubject(subject);
    if (!facts.ok()) return Withheld();
    policy::TransferRequest request;
    request.subject = &*facts;
    request.content = policy::TransferContent::kReference;
    std::optional<policy::SharingRules> originating_rules;
    if (!subject.country.empty() && subject.country != keys_.country) {
      request.originating_country = subject.country;
      if (auto origin = store_.partners().Get(subject.country); origin.ok()) {
        if (auto decoded = federation::DecodePartner(*origin); decoded.ok()) {
          originating_rules = decoded->rules;
          request.originating_rules = &*originating_rules;
        }
      }
    }
    const policy::TransferDecision decision =
        policy::DecideTransfer(partner_.rules, country_, request, context_);
    if (!decision.allowed) return Withheld();
    Eligible e;
    e.owner = subject.owner_agency.starts_with(keys_.country + "/")
                  ? subject.owner_agency
                  : keys_.country + "/intelligence";
    e.code = hnh_.encoder->Encode(subject.entity);
    std::string material(reinterpret_cast<const char*>(e.code.words.data()), sizeof(e.code.words));
    material += e.owner;
    e.digest = federation::Digest(material);
    return e;
  }

  std::optional<Eligible> Withheld() {
    ++report_.withheld;
    return std::nullopt;
  }

  void Upsert(const std::string& subject_id, Eligible eligible) {
    auto held = published_.find(subject_id);
    std::string reference =
        held != published_.end() ? held->second.reference : federation::NewIndexReference();
    pending_published_.push_back({country_, subject_id, reference, eligible.digest});
    update_.upserts.push_back({std::move(reference), std::move(eligible.owner), eligible.code});
  }

  size_t Pending() const { return update_.upserts.size() + update_.removals.size(); }

  // Posts an empty, complete generation: the partner's copy of the index is emptied.
  Status Withdraw() {
    IndexUpdate empty;
    empty.key_version = update_.key_version;
    empty.generation = update_.generation;
    empty.sequence = 1;
    empty.reset = true;
    empty.complete = true;
    Message m = UpdateMessage(empty);
    m.body = "The encoded index of " + keys_.country + " is withdrawn: from now on " +
             keys_.country + " answers each check itself (owner_answers).";
    ENTENTE_RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) -> Status {
      const nlohmann::json details = {{"partner", country_},
                                      {"key_version", empty.key_version},
                                      {"generation", empty.generation},
                                      {"withdrawn", true}};
      return PostAndAudit(txn, keys_, now_, m,
                          Sender::System(kSystemActor, m.sender, context_.justification),
                          DumpJson(details))
          .status();
    }));
    ++report_.updates;
    ++update_.sequence;
    if (hnh_.exchange.wake) hnh_.exchange.wake();
    return Status::Ok();
  }

  Message UpdateMessage(const IndexUpdate& update) const {
    Message m;
    m.id = federation::NewMessageId();
    m.type = MessageType::kIndexUpdate;
    m.case_id = federation::NewCaseId();
    m.sender = federation::NodeAgency(keys_.country);
    m.recipients = {federation::NodeAgency(country_)};
    m.created_at = now_;
    m.legal_basis = {std::string(policy::LegalBasisName(partner_.rules.legal_basis)),
                     partner_.rules.legal_basis_reference};
    m.body = "Encoded index of " + keys_.country + ", generation " +
             std::to_string(update.generation) + ", update " + std::to_string(update.sequence);
    m.index_update = federation::SerializeIndexUpdate(update);
    return m;
  }

  // Posts the update gathered so far, with its bookkeeping, in one transaction. For a partner
  // whose checks are answered here, only the bookkeeping is written: nothing is sent.
  Status Flush(bool last_of_generation) {
    if (report_.full) {
      update_.complete = last_of_generation;
      if (last_of_generation) entries_ = static_cast<int64_t>(kept_.size());
    }
    const bool write_publication = !report_.full || last_of_generation;
    store::IndexPublication publication{country_,
                                        update_.key_version,
                                        static_cast<int64_t>(update_.generation),
                                        static_cast<int64_t>(update_.sequence),
                                        change_seq_,
                                        entries_,
                                        now_,
                                        owner_answers_};
    ENTENTE_RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) -> Status {
      for (const store::PublishedEntry& e : pending_published_) {
        ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPublished(e));
      }
      for (const std::string& id : deleted_) {
        Status s = txn.indexes().DeletePublished(country_, id);
        if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
      }
      if (report_.full && last_of_generation) {
        for (const auto& [id, entry] : published_) {
          if (kept_.contains(id)) continue;
          Status s = txn.indexes().DeletePublished(country_, id);
          if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
        }
      }
      if (write_publication) ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPublication(publication));
      if (owner_answers_) return Status::Ok();
      const Message m = UpdateMessage(update_);
      const nlohmann::json details = {{"partner", country_},
                                      {"key_version", update_.key_version},
                                      {"generation", update_.generation},
                                      {"sequence", update_.sequence},
                                      {"reset", update_.reset},
                                      {"complete", update_.complete},
                                      {"upserts", update_.upserts.size()},
                                      {"removals", update_.removals.size()}};
      return PostAndAudit(txn, keys_, now_, m,
                          Sender::System(kSystemActor, m.sender, context_.justification),
                          DumpJson(details))
          .status();
    }));
    if (!owner_answers_) ++report_.updates;
    report_.upserts += static_cast<int64_t>(update_.upserts.size());
    report_.removals += static_cast<int64_t>(update_.removals.size());
    for (store::PublishedEntry& e : pending_published_) {
      std::string id = e.subject_id;
      published_[id] = std::move(e);
    }
    for (const std::string& id : deleted_) published_.erase(id);
    pending_published_.clear();
    deleted_.clear();
    update_.upserts.clear();
    update_.removals.clear();
    update_.reset = false;
    ++update_.sequence;
    if (!owner_answers_ && hnh_.exchange.wake) hnh_.exchange.wake();
    return Status::Ok();
  }

  store::Store& store_;
  const HitNoHitContext& hnh_;
  const federation::NodeKeys& keys_;
  const federation::PartnerInfo& partner_;
  const std::string country_;
  const PublishOptions& options_;
  const int64_t change_seq_;
  const int64_t now_;
  const bool owner_answers_;
  policy::RequestContext context_;
  std::optional<store::IndexPublication> previous_;
  std::unordered_map<std::string, store::PublishedEntry> published_;  // by subject id
  std::unordered_set<std::string> kept_;  // full generation: the subjects sent
  std::vector<store::PublishedEntry> pending_published_;
  std::vector<std::string> deleted_;
  IndexUpdate update_;
  int64_t entries_ = 0;
  PublishReport report_;
};

}  // namespace

Result<std::vector<PublishReport>> PublishIndexes(store::Store& store, const HitNoHitContext& hnh,
                                                  const PublishOptions& options) {
  if (hnh.encoder == nullptr) {
    return FailedPrecondition(
        "no federation encoding key is installed (entente node encoding-key --dir D --key F)");
  }
  ENTENTE_CHECK(options.entries_per_update >= 1 &&
                options.entries_per_update <= federation::kMaxIndexUpdateEntries);
  ENTENTE_ASSIGN_OR_RETURN(int64_t change_seq, store.subjects().LastChangeSeq());
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> records, store.partners().List());
  std::vector<PublishReport> reports;
  for (const store::Partner& record : records) {
    ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo partner, federation::DecodePartner(record));
    Publisher publisher(store, hnh, partner, options, change_seq);
    ENTENTE_ASSIGN_OR_RETURN(PublishReport report, publisher.Run());
    reports.push_back(std::move(report));
  }
  return reports;
}

Result<int64_t> PruneIndexUpdates(store::Store& store, int64_t now) {
  int64_t pruned = 0;
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(pruned,
                             txn.messages().PruneIndexUpdates(now - kIndexUpdateKeptMicros));
    return Status::Ok();
  }));
  return pruned;
}

}  // namespace entente::service
