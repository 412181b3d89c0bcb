#include "service/hit_no_hit.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/json.h"
#include "federation/crypto.h"
#include "federation/index_update.h"
#include "federation/outbox.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "service/exchange_audit.h"
#include "service/outgoing.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

using federation::IndexEntryUpdate;
using federation::IndexUpdate;
using federation::Message;
using federation::MessageType;

constexpr int64_t kDayMicros = int64_t{86400} * 1'000'000;
constexpr int kPageSize = 1000;
constexpr size_t kEntriesPage = 10'000;  // partner index entries read at a time

model::PartialDate DayOf(int64_t micros) {
  return model::PartialDate::FromEpochDays(micros / kDayMicros);
}

std::string CodeToText(const pprl::BloomCode& code) {
  std::string bytes(sizeof(code.words), '\0');
  for (size_t w = 0; w < code.words.size(); ++w) {
    for (size_t b = 0; b < 8; ++b) {
      bytes[w * 8 + b] = static_cast<char>((code.words[w] >> (8 * b)) & 0xff);
    }
  }
  return federation::Base64Encode(bytes);
}

Result<pprl::BloomCode> CodeFromText(std::string_view text) {
  ENTENTE_ASSIGN_OR_RETURN(std::string bytes, federation::Base64Decode(text, "code"));
  pprl::BloomCode code;
  if (bytes.size() != sizeof(code.words)) return InvalidArgument("code: wrong size");
  for (size_t w = 0; w < code.words.size(); ++w) {
    uint64_t word = 0;
    for (size_t b = 0; b < 8; ++b) {
      word |= uint64_t{static_cast<unsigned char>(bytes[w * 8 + b])} << (8 * b);
    }
    code.words[w] = word;
  }
  return code;
}

constexpr std::string_view kSystemActor = "system:hit-no-hit";

// ---- Publishing -------------------------------------------------------------------------------

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
        now_(hnh.exchange.clock->NowMicros()) {
    context_.node_country = keys_.country;
    context_.today = DayOf(now_);
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
    report_.full = options_.full || !previous_ ||
                   previous_->key_version != static_cast<int64_t>(key_version) ||
                   partner_.record.updated_at > previous_->published_at;
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

  // Posts the update gathered so far, with its bookkeeping, in one transaction.
  Status Flush(bool last_of_generation) {
    if (report_.full) {
      update_.complete = last_of_generation;
      if (last_of_generation) entries_ = static_cast<int64_t>(kept_.size());
    }
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
             std::to_string(update_.generation) + ", update " + std::to_string(update_.sequence);
    m.index_update = federation::SerializeIndexUpdate(update_);
    const bool write_publication = !report_.full || last_of_generation;
    store::IndexPublication publication{country_,
                                        update_.key_version,
                                        static_cast<int64_t>(update_.generation),
                                        static_cast<int64_t>(update_.sequence),
                                        change_seq_,
                                        entries_,
                                        now_};
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
    ++report_.updates;
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
    if (hnh_.exchange.wake) hnh_.exchange.wake();
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

// ---- Receiving --------------------------------------------------------------------------------

// The subject this node published to `partner` under `reference`; "" when it is no longer
// published (withdrawn since).
Result<std::string> PublishedSubject(const store::StoreReader& txn, std::string_view partner,
                                     std::string_view reference) {
  auto published = txn.indexes().FindPublished(partner, reference);
  if (published.ok()) return published->subject_id;
  if (published.status().code() != StatusCode::kNotFound) return published.status();
  return std::string();
}

Status RecordIncomingHit(store::WriteTxn& txn, const Message& m, std::string_view from,
                         int64_t now) {
  const federation::SubjectRef& ref = m.subjects.front();
  store::HitRecord hit;
  hit.id = m.hit_id;
  hit.direction = store::HitDirection::kIn;
  hit.partner = std::string(from);
  hit.reference = ref.ref;
  hit.owner = ref.owner;
  hit.agency = m.sender;
  hit.score = m.hit_score;
  hit.at = now;
  hit.notification_id = m.id;
  ENTENTE_ASSIGN_OR_RETURN(hit.subject_id, PublishedSubject(txn, from, ref.ref));
  Status inserted = txn.hits().Insert(hit);
  if (inserted.code() == StatusCode::kAlreadyExists) return Status::Ok();
  return inserted;
}

Status RecordFollowUps(store::WriteTxn& txn, const Message& m, std::string_view from, int64_t now) {
  for (const federation::SubjectRef& ref : m.subjects) {
    if (!federation::IsIndexReference(ref.ref)) continue;
    store::FollowUp f;
    f.message_id = m.id;
    f.partner = std::string(from);
    f.requester = m.sender;
    f.reference = ref.ref;
    f.hit_id = m.hit_id;
    f.received_at = now;
    f.due_at = now + kFollowUpDueMicros;
    ENTENTE_ASSIGN_OR_RETURN(f.subject_id, PublishedSubject(txn, from, ref.ref));
    Status inserted = txn.hits().InsertFollowUp(f);
    if (!inserted.ok() && inserted.code() != StatusCode::kAlreadyExists) return inserted;
    return Status::Ok();  // one follow-up per request: the first reference it quotes
  }
  return Status::Ok();
}

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

Status ApplyIndexUpdate(store::WriteTxn& txn, const Message& message, std::string_view from_country,
                        int64_t now) {
  const std::string partner(from_country);
  auto parsed = federation::ParseIndexUpdate(message.index_update);
  auto current = txn.indexes().GetPartnerIndex(partner);
  if (!current.ok() && current.status().code() != StatusCode::kNotFound) return current.status();
  store::PartnerIndexState state;
  if (current.ok()) state = *current;
  state.partner = partner;
  state.updated_at = now;
  if (!parsed.ok()) {
    state.error = "update " + message.id + " unreadable: " + parsed.status().message();
    return txn.indexes().PutPartnerIndex(state);
  }
  const IndexUpdate& u = *parsed;
  const auto generation = static_cast<int64_t>(u.generation);
  const auto sequence = static_cast<int64_t>(u.sequence);
  if (u.reset) {
    if (generation <= state.active_generation) {
      // The owner starts over at or below the generation in use (its bookkeeping was restored
      // or lost): nothing of the old index is kept, and none is used until this one is complete.
      ENTENTE_RETURN_IF_ERROR(txn.indexes().DeletePartnerEntriesExcept(partner, 0));
      state.active_generation = 0;
      state.active_key_version = 0;
      state.entries = 0;
    } else {
      // A new generation, or one the owner started again: the one in use stays until it is
      // complete.
      ENTENTE_RETURN_IF_ERROR(
          txn.indexes().DeletePartnerEntriesExcept(partner, state.active_generation));
    }
    state.key_version = u.key_version;
    state.generation = generation;
    state.error.clear();
  } else if (!state.error.empty()) {
    return txn.indexes().PutPartnerIndex(state);  // out of step: waits for the next generation
  } else if (generation != state.generation || sequence != state.sequence + 1) {
    state.error = "expected generation " + std::to_string(state.generation) + " update " +
                  std::to_string(state.sequence + 1) + ", got generation " +
                  std::to_string(generation) + " update " + std::to_string(sequence) +
                  ": the index is not used until the next full generation";
    return txn.indexes().PutPartnerIndex(state);
  }
  state.sequence = sequence;
  for (const IndexEntryUpdate& e : u.upserts) {
    ENTENTE_RETURN_IF_ERROR(txn.indexes().PutPartnerEntry(
        partner, generation, {e.reference, e.owner, CodeToText(e.code)}));
  }
  for (const std::string& reference : u.removals) {
    Status s = txn.indexes().DeletePartnerEntry(partner, generation, reference);
    if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
  }
  if (u.complete) {
    ENTENTE_RETURN_IF_ERROR(txn.indexes().DeletePartnerEntriesExcept(partner, generation));
    state.active_generation = generation;
    state.active_key_version = u.key_version;
  }
  if (state.active_generation == generation) {
    ENTENTE_ASSIGN_OR_RETURN(state.entries, txn.indexes().CountPartnerEntries(partner, generation));
  }
  return txn.indexes().PutPartnerIndex(state);
}

Status OnHitNoHitMessage(store::WriteTxn& txn, const Message& message,
                         std::string_view from_country, int64_t now) {
  switch (message.type) {
    case MessageType::kIndexUpdate:
      return ApplyIndexUpdate(txn, message, from_country, now);
    case MessageType::kHitNotification:
      return RecordIncomingHit(txn, message, from_country, now);
    case MessageType::kRequest:
      return RecordFollowUps(txn, message, from_country, now);
    default:
      return Status::Ok();
  }
}

// ---- PartnerIndexes ---------------------------------------------------------------------------

Status PartnerIndexes::Refresh(const store::StoreReader& store) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::PartnerIndexState> states,
                           store.indexes().ListPartnerIndexes());
  std::map<std::string, std::shared_ptr<const Loaded>> current;
  {
    MutexLock lock(&mutex_);
    current = loaded_;
  }
  std::map<std::string, std::shared_ptr<const Loaded>> next;
  std::vector<Availability> described;
  for (const store::PartnerIndexState& s : states) {
    Availability d{s.partner, false, 0, ""};
    if (s.active_generation == 0) {
      d.problem = "no complete index received yet";
    } else if (s.active_key_version != key_.version) {
      d.problem = "encoded under key version " + std::to_string(s.active_key_version) +
                  ", this node holds version " + std::to_string(key_.version);
    } else if (!s.error.empty()) {
      d.problem = s.error;
    }
    // A gap in the deltas: the last complete state is still usable, but it goes stale; it is
    // reported and still screened.
    if (s.active_generation == 0 || s.active_key_version != key_.version) {
      described.push_back(std::move(d));
      continue;
    }
    auto it = current.find(s.partner);
    if (it != current.end() && it->second->generation == s.active_generation &&
        it->second->sequence == s.sequence && it->second->updated_at == s.updated_at) {
      next.emplace(s.partner, it->second);
    } else {
      std::vector<pprl::EncodedIndex::Entry> entries;
      std::vector<std::string> owners;
      entries.reserve(static_cast<size_t>(s.entries));
      std::string after;
      while (true) {
        ENTENTE_ASSIGN_OR_RETURN(
            std::vector<store::PartnerIndexEntry> page,
            store.indexes().ListPartnerEntries(s.partner, s.active_generation, after,
                                               static_cast<int>(kEntriesPage)));
        for (store::PartnerIndexEntry& e : page) {
          ENTENTE_ASSIGN_OR_RETURN(pprl::BloomCode code, CodeFromText(e.code));
          owners.push_back(std::move(e.owner));
          entries.push_back({std::move(e.reference), code});
        }
        if (page.size() < kEntriesPage) break;
        after = entries.back().id;
      }
      auto loaded = std::make_shared<Loaded>(
          Loaded{s.partner, s.active_generation, s.sequence, s.updated_at,
                 pprl::EncodedIndex::Build(key_, std::move(entries)), std::move(owners)});
      next.emplace(s.partner, std::move(loaded));
    }
    d.usable = true;
    d.entries = next[s.partner]->index.size();
    described.push_back(std::move(d));
  }
  MutexLock lock(&mutex_);
  loaded_ = std::move(next);
  described_ = std::move(described);
  return Status::Ok();
}

std::vector<std::shared_ptr<const PartnerIndexes::Loaded>> PartnerIndexes::Snapshot() const {
  MutexLock lock(&mutex_);
  std::vector<std::shared_ptr<const Loaded>> out;
  out.reserve(loaded_.size());
  for (const auto& [partner, loaded] : loaded_) out.push_back(loaded);
  return out;
}

std::vector<PartnerIndexes::Availability> PartnerIndexes::Describe() const {
  MutexLock lock(&mutex_);
  return described_;
}

Result<std::vector<IndexOverview>> DescribeIndexes(const store::StoreReader& store,
                                                   const PartnerIndexes* indexes) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> partners, store.partners().List());
  std::vector<PartnerIndexes::Availability> availability;
  if (indexes != nullptr) availability = indexes->Describe();
  std::vector<IndexOverview> out;
  for (const store::Partner& p : partners) {
    IndexOverview o;
    o.partner = p.country;
    if (auto published = store.indexes().GetPublication(p.country); published.ok()) {
      o.published = *published;
    } else if (published.status().code() != StatusCode::kNotFound) {
      return published.status();
    }
    if (auto received = store.indexes().GetPartnerIndex(p.country); received.ok()) {
      o.received = *received;
    } else if (received.status().code() != StatusCode::kNotFound) {
      return received.status();
    }
    o.problem = o.received ? "not loaded" : "no index received";
    for (const PartnerIndexes::Availability& a : availability) {
      if (a.partner != p.country) continue;
      o.usable = a.usable;
      o.problem = a.problem;
    }
    out.push_back(std::move(o));
  }
  return out;
}

// ---- Screening --------------------------------------------------------------------------------

Result<PartnerCheck> CheckPartnerIndexes(store::Store& store, const HitNoHitContext& hnh,
                                         const PartnerIndexes& indexes, const Caller& caller,
                                         const model::Entity& query, double threshold,
                                         size_t limit) {
  if (hnh.encoder == nullptr) {
    return FailedPrecondition(
        "no federation encoding key is installed (entente node encoding-key --dir D --key F)");
  }
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
  const pprl::QueryCode code = hnh.encoder->EncodeQuery(query);
  PartnerCheck check;
  for (const PartnerIndexes::Availability& d : indexes.Describe()) {
    if (!d.usable) check.unavailable.push_back(d.partner + ": " + d.problem);
  }
  // Each partner's index on its own: half of them on a second thread when there are several
  // (the check then takes about the time of the slower half on two cores).
  const std::vector<std::shared_ptr<const PartnerIndexes::Loaded>> loaded = indexes.Snapshot();
  std::vector<std::vector<pprl::IndexHit>> found(loaded.size());
  auto search = [&](size_t p) {
    // The encoded default threshold unless the caller sets one.
    found[p] = threshold > 0 ? loaded[p]->index.Query(code, static_cast<float>(threshold))
                             : loaded[p]->index.Query(code);
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
    if (found[p].size() > limit) found[p].resize(limit);
    for (const auto& [index, score] : found[p]) {
      PartnerHit hit;
      hit.hit_id = federation::NewHitId();
      hit.country = loaded[p]->partner;
      hit.reference = loaded[p]->index.id(index);
      hit.owner = loaded[p]->owners[index];
      hit.score = score;
      check.hits.push_back(std::move(hit));
    }
  }
  std::sort(check.hits.begin(), check.hits.end(),
            [](const PartnerHit& a, const PartnerHit& b) { return a.score > b.score; });

  const federation::NodeKeys& keys = *hnh.exchange.keys;
  const int64_t now = hnh.exchange.clock->NowMicros();
  std::map<std::string, federation::PartnerInfo> partners;
  for (const PartnerHit& hit : check.hits) {
    if (partners.contains(hit.country)) continue;
    ENTENTE_ASSIGN_OR_RETURN(store::Partner record, store.partners().Get(hit.country));
    ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo info, federation::DecodePartner(record));
    partners.emplace(hit.country, std::move(info));
  }
  nlohmann::json audited = nlohmann::json::array();
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    for (const PartnerHit& hit : check.hits) {
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
      store::HitRecord record;
      record.id = hit.hit_id;
      record.direction = store::HitDirection::kOut;
      record.partner = hit.country;
      record.reference = hit.reference;
      record.owner = hit.owner;
      record.agency = m.sender;
      record.actor = caller.principal.user_id;
      record.score = hit.score;
      record.at = now;
      record.notification_id = m.id;
      ENTENTE_RETURN_IF_ERROR(txn.hits().Insert(record));
      audited.push_back({{"hit", hit.hit_id},
                         {"partner", hit.country},
                         {"reference", hit.reference},
                         {"score", hit.score},
                         {"notification", m.id},
                         {"data_digest", federation::Digest(document)}});
    }
    nlohmann::json details = {{"outcome", "allowed"},
                              {"key_version", hnh.encoder->key_version()},
                              {"threshold", threshold},
                              {"hits", audited},
                              {"unavailable", check.unavailable}};
    return txn.audit().Append(ExchangeRecord(caller, "screen_partners", "", details));
  }));
  if (!check.hits.empty() && hnh.exchange.wake) hnh.exchange.wake();
  return check;
}

// ---- Hits, follow-ups, decisions --------------------------------------------------------------

Result<std::vector<store::HitRecord>> ListHits(store::Store& store, const Caller& caller,
                                               store::HitDirection direction, int limit) {
  const bool incoming = direction == store::HitDirection::kIn;
  // Incoming hits name subjects of this register: reading them is reading personal data.
  const policy::Action action =
      incoming ? policy::Action::kReadSubjectHitNoHit : policy::Action::kScreen;
  const policy::Decision may = policy::Authorize(caller.principal, action, nullptr, caller.context);
  if (!may.allowed) return may.ToStatus();
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::HitRecord> hits, store.hits().List(direction, limit));
  if (!incoming) {
    // An agency sees the hits of its own screenings.
    const std::string agency = caller.principal.agency.ToString();
    std::erase_if(hits, [&](const store::HitRecord& h) { return h.agency != agency; });
    return hits;
  }
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) {
    return txn.audit().Append(
        ExchangeRecord(caller, "list_hits", "",
                       {{"outcome", "allowed"}, {"direction", "in"}, {"hits", hits.size()}}));
  }));
  return hits;
}

Result<SentMessage> RequestFollowUp(store::Store& store, const ExchangeContext& exchange,
                                    const Caller& caller, std::string_view hit_id,
                                    std::string_view body) {
  auto hit = store.hits().Get(hit_id, store::HitDirection::kOut);
  if (!hit.ok()) {
    if (hit.status().code() != StatusCode::kNotFound) return hit.status();
    return NotFound("no hit " + std::string(hit_id) + " was found by this node");
  }
  if (hit->agency != caller.principal.agency.ToString()) {
    return NotFound("no hit " + std::string(hit_id) + " was found by your agency");
  }
  if (!hit->followup_id.empty()) {
    return FailedPrecondition("hit " + std::string(hit_id) + " was already followed up (" +
                              hit->followup_id + ")");
  }
  const int64_t now = exchange.clock->NowMicros();
  MessageDraft draft;
  draft.type = MessageType::kRequest;
  draft.recipients = {hit->owner};
  draft.priority = federation::Priority::kUrgent;
  draft.deadline = DayOf(now + kFollowUpDueMicros).ToString();
  draft.quoted = {{hit->reference, hit->owner}};
  draft.hit_id = hit->id;
  draft.body = body.empty() ? "Follow-up of hit " + hit->id + " on reference " + hit->reference +
                                  ": please send the core data you may release."
                            : std::string(body);
  const std::string id = hit->id;
  return SendMessage(store, exchange, caller, draft, [&](store::WriteTxn& txn, const Message& m) {
    return txn.hits().SetFollowUp(id, m.id);
  });
}

std::string_view FollowUpStateName(FollowUpState state) {
  switch (state) {
    case FollowUpState::kPending:
      return "pending";
    case FollowUpState::kOverdue:
      return "overdue";
    case FollowUpState::kAnswered:
      return "answered";
    case FollowUpState::kAnsweredLate:
      return "answered_late";
  }
  return "pending";
}

Result<std::vector<FollowUpView>> ListFollowUps(store::Store& store, const Caller& caller,
                                                int64_t now, bool pending_only, int limit) {
  const policy::Decision may = policy::Authorize(
      caller.principal, policy::Action::kReadSubjectHitNoHit, nullptr, caller.context);
  if (!may.allowed) return may.ToStatus();
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::FollowUp> followups,
                           store.hits().ListFollowUps(pending_only, limit));
  const std::string agency = caller.principal.agency.ToString();
  std::vector<FollowUpView> out;
  for (store::FollowUp& f : followups) {
    // The agency asked sees its requests; supervisors see all of the node's.
    if (f.requester.empty()) continue;
    auto stored = store.messages().Get(f.message_id, store::MessageDirection::kIn);
    if (!stored.ok()) continue;
    const bool party = stored->recipients.find(agency) != std::string::npos;
    if (!party && caller.principal.role != policy::Role::kSupervisor) continue;
    FollowUpView view{std::move(f), FollowUpState::kPending};
    const store::FollowUp& v = view.followup;
    if (v.decision.empty()) {
      view.state = now > v.due_at ? FollowUpState::kOverdue : FollowUpState::kPending;
    } else {
      view.state =
          v.decided_at > v.due_at ? FollowUpState::kAnsweredLate : FollowUpState::kAnswered;
    }
    out.push_back(std::move(view));
  }
  return out;
}

Result<SentMessage> DecideFollowUp(store::Store& store, const ExchangeContext& exchange,
                                   const Caller& caller, std::string_view message_id,
                                   FollowUpDecision decision, std::string_view reason) {
  auto followup = store.hits().GetFollowUp(message_id);
  if (!followup.ok()) {
    if (followup.status().code() != StatusCode::kNotFound) return followup.status();
    return NotFound("no follow-up request " + std::string(message_id) + " was received");
  }
  if (!followup->decision.empty()) {
    return FailedPrecondition("follow-up " + std::string(message_id) + " was already decided (" +
                              followup->decision + ")");
  }
  if (decision == FollowUpDecision::kRelease && followup->subject_id.empty()) {
    return FailedPrecondition("follow-up " + std::string(message_id) + ": reference " +
                              followup->reference +
                              " is no longer published to its partner; nothing can be released");
  }
  if (reason.empty()) return InvalidArgument("reason: state the grounds of the decision");
  const int64_t now = exchange.clock->NowMicros();
  MessageDraft draft;
  draft.type = MessageType::kReply;
  draft.in_reply_to = std::string(message_id);
  draft.recipients = {followup->requester};
  const bool release = decision == FollowUpDecision::kRelease;
  if (release) {
    draft.subject_ids = {followup->subject_id};
    draft.include_records = true;
    draft.body = "Released: " + std::string(reason);
  } else {
    draft.body = "Not released: " + std::string(reason);
  }
  store::FollowUp decided = *followup;
  decided.decision = release ? "released" : "refused";
  decided.decided_by = caller.principal.user_id;
  decided.decided_at = now;
  decided.reason = std::string(reason);
  return SendMessage(
      store, exchange, caller, draft, [&](store::WriteTxn& txn, const Message& m) -> Status {
        decided.reply_id = m.id;
        ENTENTE_RETURN_IF_ERROR(txn.hits().DecideFollowUp(decided));
        return txn.audit().Append(ExchangeRecord(caller, "decide_followup", decided.subject_id,
                                                 {{"outcome", decided.decision},
                                                  {"request", decided.message_id},
                                                  {"partner", decided.partner},
                                                  {"reference", decided.reference},
                                                  {"reply", m.id},
                                                  {"on_time", now <= decided.due_at},
                                                  {"reason", decided.reason}}));
      });
}

}  // namespace entente::service
