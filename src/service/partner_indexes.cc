#include "service/partner_indexes.h"

#include <utility>

#include "common/time_format.h"
#include "federation/crypto.h"
#include "federation/index_update.h"
#include "federation/partner.h"
#include "service/owner_answers.h"

namespace entente::service {
namespace {

using federation::IndexEntryUpdate;
using federation::IndexUpdate;
using federation::Message;

constexpr size_t kEntriesPage = 10'000;  // partner index entries read at a time

// A code as the store keeps it: its bytes (pprl::WriteCode) in base64.
std::string CodeToText(const pprl::BloomCode& code) {
  std::string bytes;
  ByteWriter writer(&bytes);
  pprl::WriteCode(writer, code);
  return federation::Base64Encode(bytes);
}

Result<pprl::BloomCode> CodeFromText(std::string_view text) {
  ENTENTE_ASSIGN_OR_RETURN(std::string bytes, federation::Base64Decode(text, "code"));
  ByteReader reader(bytes, "stored code");
  pprl::BloomCode code;
  ENTENTE_RETURN_IF_ERROR(pprl::ReadCode(reader, &code, "code"));
  ENTENTE_RETURN_IF_ERROR(reader.End());
  return code;
}

}  // namespace

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
                                                   const PartnerIndexes* indexes, int64_t now) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> partners, store.partners().List());
  ENTENTE_ASSIGN_OR_RETURN(auto checks,
                           ChecksSince(store.audit(), now / kMicrosPerDay * kMicrosPerDay));
  std::vector<PartnerIndexes::Availability> availability;
  if (indexes != nullptr) availability = indexes->Describe();
  std::vector<IndexOverview> out;
  for (const store::Partner& p : partners) {
    IndexOverview o;
    o.partner = p.country;
    if (auto decoded = federation::DecodePartner(p); decoded.ok()) {
      o.hit_no_hit = std::string(policy::HitNoHitDeliveryName(decoded->rules.hit_no_hit));
    }
    if (auto c = checks.find(p.country); c != checks.end()) {
      o.checks_answered_today = c->second.answered;
      o.checks_refused_today = c->second.refused;
      o.checks_flagged_today = c->second.flagged;
    }
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
    if (o.hit_no_hit == "owner_answers") o.problem = "checks answered by the owner";
    for (const PartnerIndexes::Availability& a : availability) {
      if (a.partner != p.country) continue;
      o.usable = a.usable;
      o.problem = a.problem;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace entente::service
