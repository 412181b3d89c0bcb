#include "service/owner_answers.h"

#include <algorithm>
#include <set>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/time_format.h"
#include "federation/crypto.h"
#include "federation/key_rotation.h"
#include "federation/partner.h"
#include "service/exchange_audit.h"

namespace entente::service {
namespace {

constexpr size_t kMaxHitsPerQuery = 10;
constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMinuteMicros = 60 * kMicrosPerSecond;

// The agency a partner is told to ask about a subject (as index_publish.cc publishes it).
std::string AgencyToAsk(const store::Subject& subject, const std::string& country) {
  return subject.owner_agency.starts_with(country + "/") ? subject.owner_agency
                                                         : country + "/intelligence";
}

std::string CodeDigest(const pprl::BloomCode& code, const std::string& owner) {
  std::string material(reinterpret_cast<const char*>(code.words.data()), sizeof(code.words));
  material += owner;
  return federation::Digest(material);
}

float RangeDice(const pprl::BloomCode& a, const pprl::BloomCode& b, pprl::CodeRange range) {
  const auto r = static_cast<size_t>(range);
  uint32_t both = 0, in_a = 0, in_b = 0;
  for (size_t w = pprl::kRangeWordBegin[r]; w < pprl::kRangeWordBegin[r + 1]; ++w) {
    both += static_cast<uint32_t>(std::popcount(a.words[w] & b.words[w]));
    in_a += static_cast<uint32_t>(std::popcount(a.words[w]));
    in_b += static_cast<uint32_t>(std::popcount(b.words[w]));
  }
  return pprl::DiceFromCounts(both, in_a, in_b);
}

bool RangeEmpty(const pprl::BloomCode& code, pprl::CodeRange range) {
  const auto r = static_cast<size_t>(range);
  for (size_t w = pprl::kRangeWordBegin[r]; w < pprl::kRangeWordBegin[r + 1]; ++w) {
    if (code.words[w] != 0) return false;
  }
  return true;
}

CheckResponse Refused(int status, const std::string& message, int64_t retry_after = 0) {
  CheckResponse r;
  r.http_status = status;
  nlohmann::json body = {{"error", message}};
  if (retry_after > 0) body["retry_after_seconds"] = retry_after;
  r.body = DumpJson(body);
  r.retry_after_seconds = retry_after;
  return r;
}

int StatusOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kFailedPrecondition:
      return 409;
    default:
      return 503;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// OwnerIndexes

Status OwnerIndexes::Refresh(const store::StoreReader& store) {
  MutexLock refreshing(&refresh_mutex_);
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> records, store.partners().List());
  std::set<std::string, std::less<>> kept;
  std::set<std::string> subjects_in_use;
  for (const store::Partner& record : records) {
    auto partner = federation::DecodePartner(record);
    if (!partner.ok() || partner->rules.hit_no_hit != policy::HitNoHitDelivery::kOwnerAnswers) {
      continue;
    }
    auto publication = store.indexes().GetPublication(record.country);
    if (!publication.ok()) {
      if (publication.status().code() == StatusCode::kNotFound) continue;
      return publication.status();
    }
    if (!publication->owner_answers ||
        publication->key_version != static_cast<int64_t>(encoder_.key_version())) {
      continue;
    }
    kept.insert(record.country);
    std::shared_ptr<const Loaded> current = Get(record.country);
    if (current && current->generation == publication->generation &&
        current->sequence == publication->sequence &&
        current->change_seq == publication->change_seq) {
      for (const std::string& id : current->subject_ids) subjects_in_use.insert(id);
      continue;
    }
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::PublishedEntry> published,
                             store.indexes().ListPublished(record.country));
    std::vector<std::string> owners;
    std::vector<std::string> subject_ids;
    std::vector<pprl::EncodedIndex::Entry> entries;
    entries.reserve(published.size());
    for (const store::PublishedEntry& e : published) {
      auto cached = encoded_.find(e.subject_id);
      if (cached == encoded_.end() || cached->second.digest != e.digest) {
        auto subject = store.subjects().Get(e.subject_id);
        if (!subject.ok()) {
          if (subject.status().code() == StatusCode::kNotFound) continue;
          return subject.status();
        }
        Encoded fresh;
        fresh.code = encoder_.Encode(subject->entity);
        fresh.owner = AgencyToAsk(*subject, country_);
        fresh.digest = CodeDigest(fresh.code, fresh.owner);
        cached = encoded_.insert_or_assign(e.subject_id, std::move(fresh)).first;
      }
      entries.push_back({e.reference, cached->second.code});
      owners.push_back(cached->second.owner);
      subject_ids.push_back(e.subject_id);
      subjects_in_use.insert(e.subject_id);
    }
    auto loaded = std::make_shared<Loaded>(pprl::EncodedIndex::Build(key_, std::move(entries)));
    loaded->partner = record.country;
    loaded->generation = publication->generation;
    loaded->sequence = publication->sequence;
    loaded->change_seq = publication->change_seq;
    loaded->owners = std::move(owners);
    loaded->subject_ids = std::move(subject_ids);
    MutexLock lock(&mutex_);
    loaded_[record.country] = std::move(loaded);
  }
  // Codes no partner's index holds any more are forgotten.
  for (auto it = encoded_.begin(); it != encoded_.end();) {
    it = subjects_in_use.contains(it->first) ? std::next(it) : encoded_.erase(it);
  }
  MutexLock lock(&mutex_);
  for (auto it = loaded_.begin(); it != loaded_.end();) {
    it = kept.contains(it->first) ? std::next(it) : loaded_.erase(it);
  }
  return Status::Ok();
}

std::shared_ptr<const OwnerIndexes::Loaded> OwnerIndexes::Get(std::string_view partner) const {
  MutexLock lock(&mutex_);
  auto it = loaded_.find(partner);
  return it == loaded_.end() ? nullptr : it->second;
}

// ---------------------------------------------------------------------------------------------
// CheckLimiter

namespace {

// The checks the audit says `partner` was answered since `from` (one entry per request).
int64_t ChecksAnsweredSince(const store::AuditReader& audit, std::string_view partner,
                            int64_t from) {
  auto activity = ChecksSince(audit, from);
  if (!activity.ok()) return 0;
  auto it = activity->find(std::string(partner));
  return it == activity->end() ? 0 : it->second.answered;
}

}  // namespace

Result<std::map<std::string, CheckActivity>> ChecksSince(const store::AuditReader& audit,
                                                         int64_t from) {
  store::AuditQuery query;
  query.action = "answer_check";
  query.from_micros = from;
  query.limit = 1000;
  std::map<std::string, CheckActivity> out;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> entries, audit.Read(query));
    for (const store::AuditEntry& e : entries) {
      const nlohmann::json details = ParseJsonOrDiscarded(e.record.details_json);
      if (!details.is_object()) continue;
      CheckActivity& a = out[details.value("partner", "")];
      const std::string outcome = details.value("outcome", "");
      if (outcome == "answered") a.answered += details.value("queries", int64_t{0});
      if (outcome.starts_with("refused")) ++a.refused;
      const auto flags = details.find("flags");
      if (flags != details.end() && flags->is_array() && !flags->empty()) ++a.flagged;
    }
    if (static_cast<int>(entries.size()) < query.limit) break;
    query.after_seq = entries.back().seq;
  }
  return out;
}

CheckLimiter::Verdict CheckLimiter::Admit(std::string_view partner, int64_t count,
                                          const policy::SharingRules& rules, int64_t now,
                                          const store::AuditReader& audit) {
  const int64_t day = now / kMicrosPerDay;
  MutexLock lock(&mutex_);
  auto it = counts_.find(partner);
  if (it == counts_.end()) it = counts_.emplace(std::string(partner), Counts()).first;
  Counts& c = it->second;
  if (c.day != day) {
    c.day = day;
    c.today = ChecksAnsweredSince(audit, partner, day * kMicrosPerDay);
  }
  while (!c.minute.empty() && c.minute.front().first <= now - kMinuteMicros) c.minute.pop_front();
  int64_t in_minute = 0;
  for (const auto& [at, n] : c.minute) in_minute += n;
  Verdict v;
  if (c.today + count > rules.checks_per_day) {
    v.limit = "checks_per_day";
    v.retry_after_seconds =
        ((day + 1) * kMicrosPerDay - now + kMicrosPerSecond - 1) / kMicrosPerSecond;
  } else if (in_minute + count > rules.checks_per_minute) {
    v.limit = "checks_per_minute";
    // Until enough of the last minute's checks are a minute old.
    int64_t freed = 0;
    int64_t until = now + kMinuteMicros;
    for (const auto& [at, n] : c.minute) {
      freed += n;
      if (in_minute - freed + count <= rules.checks_per_minute) {
        until = at + kMinuteMicros;
        break;
      }
    }
    v.retry_after_seconds =
        std::max<int64_t>(1, (until - now + kMicrosPerSecond - 1) / kMicrosPerSecond);
  }
  if (!v.limit.empty()) {
    ++c.refused;
    v.left_today = std::max<int64_t>(0, rules.checks_per_day - c.today);
    return v;
  }
  v.allowed = true;
  c.today += count;
  c.minute.emplace_back(now, count);
  v.left_today = rules.checks_per_day - c.today;
  return v;
}

std::map<std::string, int64_t> CheckLimiter::Refusals() const {
  MutexLock lock(&mutex_);
  std::map<std::string, int64_t> out;
  for (const auto& [partner, c] : counts_) out[partner] = c.refused;
  return out;
}

// ---------------------------------------------------------------------------------------------
// EnumerationWatch

std::vector<std::string> EnumerationWatch::Observe(std::string_view partner,
                                                   const pprl::QueryCode& query, int64_t now) {
  using pprl::CodeRange;
  Seen seen;
  seen.at = now;
  for (size_t w = pprl::kRangeWordBegin[0]; w < pprl::kRangeWordBegin[2]; ++w) {
    seen.code.words[w] = query.code.words[w];
  }
  const bool has_birth = !RangeEmpty(seen.code, CodeRange::kBirth);
  MutexLock lock(&mutex_);
  auto it = seen_.find(partner);
  if (it == seen_.end()) it = seen_.emplace(std::string(partner), std::deque<Seen>()).first;
  std::deque<Seen>& window = it->second;
  while (!window.empty() &&
         (window.front().at <= now - kWindowMicros || window.size() >= kWindow)) {
    window.pop_front();
  }
  int same_name_other_birth = 0;
  int same_birth_near_name = 0;
  for (const Seen& s : window) {
    const float name = RangeDice(seen.code, s.code, CodeRange::kName);
    if (!has_birth || RangeEmpty(s.code, CodeRange::kBirth)) continue;
    const float birth = RangeDice(seen.code, s.code, CodeRange::kBirth);
    if (name >= 0.8F && birth < 0.7F) ++same_name_other_birth;
    if (birth >= 0.95F && name >= 0.5F && name < 0.95F) ++same_birth_near_name;
  }
  window.push_back(seen);
  std::vector<std::string> flags;
  if (same_name_other_birth >= kSweepThreshold) flags.emplace_back("birth_date_sweep");
  if (same_birth_near_name >= kSweepThreshold) flags.emplace_back("name_sweep");
  return flags;
}

// ---------------------------------------------------------------------------------------------
// CheckResponder

bool CheckResponder::Replayed(const std::string& id, int64_t now) {
  MutexLock lock(&replay_mutex_);
  // Ids are forgotten in the order they were seen, once past twice the accepted skew.
  while (!recent_order_.empty() && recent_order_.front().first <= now) {
    recent_ids_.erase(recent_order_.front().second);
    recent_order_.pop_front();
  }
  if (!recent_ids_.insert(id).second) return true;
  recent_order_.emplace_back(now + 2 * federation::kMaxCheckSkewMicros, id);
  return false;
}

CheckResponse CheckResponder::Respond(std::string_view from_country, std::string_view body) {
  const federation::NodeKeys& keys = *hnh_.exchange.keys;
  const int64_t now = hnh_.exchange.clock->NowMicros();
  auto record = store_.partners().Get(from_country);
  if (!record.ok()) return Refused(403, std::string(from_country) + " is not a partner");
  auto partner = federation::DecodePartner(*record);
  if (!partner.ok()) return Refused(503, partner.status().message());
  auto sign_keys = federation::AcceptedSignKeys(*record, now);
  if (!sign_keys.ok()) return Refused(503, sign_keys.status().message());
  auto request = federation::OpenCheckRequest(body, from_country, keys.country, *sign_keys, now);
  if (!request.ok()) return Refused(400, request.status().message());
  if (Replayed(request->id, now)) return Refused(400, "request.id: " + request->id + " was seen");
  const policy::SharingRules& rules = partner->rules;
  if (rules.hit_no_hit != policy::HitNoHitDelivery::kOwnerAnswers) {
    return Refused(409, keys.country + " sends " + request->from +
                            " its encoded index (encoded_index): screen that, checks are not "
                            "answered here");
  }
  if (hnh_.encoder == nullptr || request->key_version != hnh_.encoder->key_version()) {
    return Refused(409, "the queries are encoded under key version " +
                            std::to_string(request->key_version) + ", this node's is " +
                            (hnh_.encoder ? std::to_string(hnh_.encoder->key_version())
                                          : std::string("none")));
  }
  if (request->queries.size() > static_cast<size_t>(rules.check_batch_size)) {
    CheckResponse r = Refused(413, "request.queries: " + std::to_string(request->queries.size()) +
                                       " queries; " + keys.country + " takes at most " +
                                       std::to_string(rules.check_batch_size) + " a request");
    r.body = DumpJson(nlohmann::json{{"error", ParseJsonOrDiscarded(r.body)["error"]},
                                     {"batch_size", rules.check_batch_size}});
    return r;
  }
  std::shared_ptr<const OwnerIndexes::Loaded> index = indexes_.Get(request->from);
  if (index == nullptr) {
    return Refused(409, "the index of what " + request->from +
                            " may be told of is not ready yet; ask again in a minute");
  }

  const auto count = static_cast<int64_t>(request->queries.size());
  const CheckLimiter::Verdict verdict =
      limiter_.Admit(request->from, count, rules, now, store_.audit());
  nlohmann::json details = {{"partner", request->from}, {"check", request->id}, {"queries", count}};
  auto audit = [&](const nlohmann::json& d) {
    store::AuditRecord r = SystemRecord("partner:" + request->agency, request->agency,
                                        "answer_check", "", request->justification, d);
    r.on_behalf_of = request->case_reference;
    return r;
  };
  if (!verdict.allowed) {
    details["outcome"] = "refused: " + verdict.limit;
    details["retry_after_seconds"] = verdict.retry_after_seconds;
    Status audited =
        store_.Write([&](store::WriteTxn& txn) { return txn.audit().Append(audit(details)); });
    if (!audited.ok()) return Refused(503, audited.message());
    return Refused(429,
                   request->from + " is past its " + verdict.limit + " (" +
                       std::to_string(verdict.limit == "checks_per_day" ? rules.checks_per_day
                                                                        : rules.checks_per_minute) +
                       "); retry after " + std::to_string(verdict.retry_after_seconds) + " s",
                   verdict.retry_after_seconds);
  }

  federation::CheckAnswer answer;
  answer.id = request->id;
  answer.from = keys.country;
  answer.to = request->from;
  answer.answered_at = now;
  answer.batch_size = rules.check_batch_size;
  answer.checks_left_today = verdict.left_today;
  std::set<std::string> flags;
  nlohmann::json hits_audited = nlohmann::json::array();
  nlohmann::json outcomes = nlohmann::json::array();
  std::vector<store::HitRecord> hit_records;
  // The matching, on a second thread too for a batch (the index is immutable and shared).
  const size_t n = request->queries.size();
  std::vector<std::vector<pprl::IndexHit>> found(n);
  auto match = [&](size_t first) {
    for (size_t q = first; q < n; q += 2) found[q] = index->index.Query(request->queries[q]);
  };
  if (n > 1) {
    std::thread other(match, 1);
    match(0);
    other.join();
  } else {
    match(0);
  }
  for (size_t q = 0; q < n; ++q) {
    const pprl::QueryCode& query = request->queries[q];
    for (std::string& flag : watch_.Observe(request->from, query, now)) flags.insert(flag);
    std::vector<federation::CheckHit> hits;
    for (const pprl::IndexHit& h : found[q]) {
      if (hits.size() >= kMaxHitsPerQuery) break;
      const std::string& subject_id = index->subject_ids[h.index];
      // A subject restricted or erased since the index was kept is not told of.
      auto subject = store_.subjects().Get(subject_id);
      if (!subject.ok() || subject->state != store::SubjectState::kActive) continue;
      federation::CheckHit hit;
      hit.hit_id = federation::NewHitId();
      hit.reference = index->index.id(h.index);
      hit.owner = index->owners[h.index];
      hit.score = h.score;
      store::HitRecord record_of_hit;
      record_of_hit.id = hit.hit_id;
      record_of_hit.direction = store::HitDirection::kIn;
      record_of_hit.partner = request->from;
      record_of_hit.reference = hit.reference;
      record_of_hit.subject_id = subject_id;
      record_of_hit.owner = hit.owner;
      record_of_hit.agency = request->agency;
      record_of_hit.score = hit.score;
      record_of_hit.at = now;
      record_of_hit.notification_id = request->id;
      hit_records.push_back(std::move(record_of_hit));
      hits_audited.push_back({{"query", q},
                              {"hit", hit.hit_id},
                              {"reference", hit.reference},
                              {"subject", subject_id},
                              {"score", hit.score}});
      hits.push_back(std::move(hit));
    }
    outcomes.push_back(hits.empty() ? "no_hit" : "hit");
    answer.results.push_back(std::move(hits));
  }
  details["outcome"] = "answered";
  details["results"] = std::move(outcomes);
  details["hits"] = std::move(hits_audited);
  details["flags"] = std::vector<std::string>(flags.begin(), flags.end());
  details["checks_left_today"] = verdict.left_today;
  Status written = store_.Write([&](store::WriteTxn& txn) -> Status {
    for (const store::HitRecord& h : hit_records) ENTENTE_RETURN_IF_ERROR(txn.hits().Insert(h));
    return txn.audit().Append(audit(details));
  });
  if (!written.ok()) return Refused(StatusOf(written), written.message());
  CheckResponse response;
  response.body = federation::SignCheckAnswer(answer, keys);
  return response;
}

// ---------------------------------------------------------------------------------------------
// The querying side

Result<std::vector<OwnerAnswered>> AskOwners(const store::StoreReader& store,
                                             const HitNoHitContext& hnh, const std::string& agency,
                                             const policy::RequestContext& context,
                                             const std::vector<pprl::QueryCode>& queries) {
  std::vector<OwnerAnswered> out;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> records, store.partners().List());
  const federation::NodeKeys& keys = *hnh.exchange.keys;
  for (const store::Partner& record : records) {
    ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo partner, federation::DecodePartner(record));
    if (partner.rules.hit_no_hit != policy::HitNoHitDelivery::kOwnerAnswers) continue;
    OwnerAnswered answered;
    answered.partner = record.country;
    if (hnh.checks == nullptr) {
      answered.problem = "checks answered by the owner cannot be sent from here";
      out.push_back(std::move(answered));
      continue;
    }
    auto sign_keys = federation::AcceptedSignKeys(record, hnh.exchange.clock->NowMicros());
    if (!sign_keys.ok()) {
      answered.problem = sign_keys.status().message();
      out.push_back(std::move(answered));
      continue;
    }
    // Batches of the owner's size: it says its size in each answer (and in a 413 refusal's
    // wording); start with this node's own setting for the partner.
    size_t batch = static_cast<size_t>(partner.rules.check_batch_size);
    size_t next = 0;
    while (next < queries.size() && answered.problem.empty()) {
      federation::CheckRequest request;
      request.id = federation::NewCheckId();
      request.from = keys.country;
      request.to = record.country;
      request.sent_at = hnh.exchange.clock->NowMicros();
      request.agency = agency;
      request.justification = context.justification;
      request.case_reference = context.case_reference;
      request.key_version = hnh.encoder->key_version();
      const size_t end = std::min(queries.size(), next + batch);
      request.queries.assign(queries.begin() + static_cast<ptrdiff_t>(next),
                             queries.begin() + static_cast<ptrdiff_t>(end));
      auto reply = hnh.checks->SendCheck(record, federation::SignCheckRequest(request, keys));
      if (!reply.ok()) {
        answered.problem = reply.status().message();
        break;
      }
      if (reply->status == 413 && batch > 1) {
        // The owner takes fewer a request: it says how many.
        const nlohmann::json refusal = ParseJsonOrDiscarded(reply->body);
        const int64_t owners = refusal.is_object() ? refusal.value("batch_size", int64_t{0}) : 0;
        batch = owners >= 1 && static_cast<size_t>(owners) < batch ? static_cast<size_t>(owners)
                                                                   : std::max<size_t>(1, batch / 4);
        continue;
      }
      if (reply->status != 200) {
        const nlohmann::json error = ParseJsonOrDiscarded(reply->body);
        answered.problem = "HTTP " + std::to_string(reply->status) + ": " +
                           (error.is_object() ? error.value("error", reply->body.substr(0, 200))
                                              : reply->body.substr(0, 200));
        answered.retry_after_seconds = reply->retry_after_seconds;
        break;
      }
      auto answer = federation::OpenCheckAnswer(reply->body, request, *sign_keys);
      if (!answer.ok()) {
        answered.problem = answer.status().message();
        break;
      }
      for (std::vector<federation::CheckHit>& hits : answer->results) {
        answered.results.push_back(std::move(hits));
      }
      batch = static_cast<size_t>(answer->batch_size);
      next = end;
    }
    if (!answered.problem.empty()) answered.results.clear();
    out.push_back(std::move(answered));
  }
  return out;
}

}  // namespace entente::service
