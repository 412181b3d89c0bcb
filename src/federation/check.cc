#include "federation/check.h"

#include <bit>
#include <limits>

#include <nlohmann/json.hpp>

#include "common/coding.h"
#include "common/json.h"
#include "federation/crypto.h"
#include "federation/index_update.h"
#include "model/country.h"
#include "policy/authorize.h"
#include "policy/principal.h"

namespace entente::federation {
namespace {

constexpr std::string_view kRequestDomain = "entente-check-v1\n";
constexpr std::string_view kAnswerDomain = "entente-check-answer-v1\n";
constexpr size_t kMaxHitsPerQuery = 50;

bool IsHexId(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix) || text.size() != prefix.size() + 32) return false;
  for (char c : text.substr(prefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string Signed(std::string_view domain, const nlohmann::json& document, const char* name,
                   const NodeKeys& keys) {
  const std::string text = DumpJson(document);
  return DumpJson(nlohmann::json{
      {name, text}, {"signature", Sign(std::string(domain) + text, keys.sign_secret)}});
}

// The signed document of a body, verified with one of `publics`.
Result<nlohmann::json> Verified(std::string_view body, std::string_view domain, const char* name,
                                std::span<const std::string> publics) {
  const nlohmann::json outer = ParseJsonOrDiscarded(body);
  if (outer.is_discarded() || !outer.is_object()) {
    return InvalidArgument(std::string(name) + ": the body is not a JSON object");
  }
  auto text = outer.find(name);
  auto signature = outer.find("signature");
  if (text == outer.end() || !text->is_string() || signature == outer.end() ||
      !signature->is_string()) {
    return InvalidArgument(std::string(name) + ": expected {\"" + name +
                           "\": text, \"signature\": text}");
  }
  const std::string input = std::string(domain) + text->get<std::string>();
  bool verified = false;
  for (const std::string& key : publics) {
    if (VerifySignature(input, signature->get<std::string>(), key)) {
      verified = true;
      break;
    }
  }
  if (!verified) return InvalidArgument(std::string(name) + ": the signature does not verify");
  nlohmann::json document = ParseJsonOrDiscarded(text->get<std::string>());
  if (document.is_discarded() || !document.is_object()) {
    return InvalidArgument(std::string(name) + ": the signed document is not a JSON object");
  }
  return document;
}

Status Text(const nlohmann::json& json, const char* name, std::string* out, std::string_view at) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_string()) {
    return InvalidArgument(std::string(at) + "." + name + ": expected text");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

Status Int(const nlohmann::json& json, const char* name, int64_t* out, std::string_view at) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_number_integer()) {
    return InvalidArgument(std::string(at) + "." + name + ": expected an integer");
  }
  *out = it->get<int64_t>();
  return Status::Ok();
}

}  // namespace

std::string NewCheckId() { return "chk-" + RandomHex(16); }

std::string QueryCodeBytes(const pprl::QueryCode& query) {
  std::string bytes;
  ByteWriter writer(&bytes);
  pprl::WriteCode(writer, query.code);
  for (size_t v = 0; v < pprl::kBirthVariantCount; ++v) {
    for (uint64_t word : query.birth.words[v]) writer.U64(word);
    writer.U16(query.birth.popcounts[v]);
  }
  return bytes;
}

Result<pprl::QueryCode> QueryCodeFromBytes(std::string_view bytes, std::string_view field) {
  ByteReader reader(bytes, field);
  pprl::QueryCode query;
  ENTENTE_RETURN_IF_ERROR(pprl::ReadCode(reader, &query.code, "code"));
  for (size_t v = 0; v < pprl::kBirthVariantCount; ++v) {
    uint32_t bits = 0;
    for (uint64_t& word : query.birth.words[v]) {
      ENTENTE_RETURN_IF_ERROR(reader.U64(&word, "birth reading"));
      bits += static_cast<uint32_t>(std::popcount(word));
    }
    ENTENTE_RETURN_IF_ERROR(reader.U16(&query.birth.popcounts[v], "birth reading popcount"));
    if (bits != query.birth.popcounts[v]) {
      return InvalidArgument(std::string(field) + ": a birth reading's popcount is not its bits'");
    }
  }
  ENTENTE_RETURN_IF_ERROR(reader.End());
  return query;
}

std::string SignCheckRequest(const CheckRequest& request, const NodeKeys& sender) {
  nlohmann::json queries = nlohmann::json::array();
  for (const pprl::QueryCode& q : request.queries)
    queries.push_back(Base64Encode(QueryCodeBytes(q)));
  const nlohmann::json document = {{"id", request.id},
                                   {"from", request.from},
                                   {"to", request.to},
                                   {"sent_at", request.sent_at},
                                   {"agency", request.agency},
                                   {"justification", request.justification},
                                   {"case_reference", request.case_reference},
                                   {"key_version", request.key_version},
                                   {"queries", std::move(queries)}};
  return Signed(kRequestDomain, document, "request", sender);
}

Result<CheckRequest> OpenCheckRequest(std::string_view body, std::string_view from_country,
                                      std::string_view own_country,
                                      std::span<const std::string> sender_sign_publics,
                                      int64_t now) {
  if (body.size() > kMaxCheckBodyBytes) {
    return InvalidArgument("request: larger than " + std::to_string(kMaxCheckBodyBytes) + " bytes");
  }
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json d,
                           Verified(body, kRequestDomain, "request", sender_sign_publics));
  CheckRequest r;
  int64_t key_version = 0;
  ENTENTE_RETURN_IF_ERROR(Text(d, "id", &r.id, "request"));
  ENTENTE_RETURN_IF_ERROR(Text(d, "from", &r.from, "request"));
  ENTENTE_RETURN_IF_ERROR(Text(d, "to", &r.to, "request"));
  ENTENTE_RETURN_IF_ERROR(Int(d, "sent_at", &r.sent_at, "request"));
  ENTENTE_RETURN_IF_ERROR(Text(d, "agency", &r.agency, "request"));
  ENTENTE_RETURN_IF_ERROR(Text(d, "justification", &r.justification, "request"));
  ENTENTE_RETURN_IF_ERROR(Text(d, "case_reference", &r.case_reference, "request"));
  ENTENTE_RETURN_IF_ERROR(Int(d, "key_version", &key_version, "request"));
  if (!IsHexId(r.id, "chk-")) return InvalidArgument("request.id: expected chk- and 32 hex digits");
  if (r.from != from_country) {
    return InvalidArgument("request.from: " + r.from + ", but the certificate is " +
                           std::string(from_country) + "'s");
  }
  if (r.to != own_country) {
    return InvalidArgument("request.to: " + r.to + ", not this node (" + std::string(own_country) +
                           ")");
  }
  if (r.sent_at < now - kMaxCheckSkewMicros || r.sent_at > now + kMaxCheckSkewMicros) {
    return InvalidArgument("request.sent_at: more than 5 minutes from this node's time");
  }
  auto agency = policy::AgencyId::Parse(r.agency);
  if (!agency.ok() || agency->country != r.from) {
    return InvalidArgument("request.agency: expected an agency of " + r.from + " (CC/kind)");
  }
  policy::RequestContext context;
  context.justification = r.justification;
  context.case_reference = r.case_reference;
  context.justification_field = "request.justification";
  if (std::string problem = policy::CheckJustification(context); !problem.empty()) {
    return InvalidArgument("request.justification: " + problem);
  }
  if (key_version <= 0 || key_version > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgument("request.key_version: expected a key version");
  }
  r.key_version = static_cast<uint32_t>(key_version);
  auto queries = d.find("queries");
  if (queries == d.end() || !queries->is_array() || queries->empty() ||
      queries->size() > kMaxCheckQueries) {
    return InvalidArgument("request.queries: expected 1 to " + std::to_string(kMaxCheckQueries) +
                           " encoded queries");
  }
  r.queries.reserve(queries->size());
  for (size_t i = 0; i < queries->size(); ++i) {
    const std::string at = "request.queries[" + std::to_string(i) + "]";
    if (!(*queries)[i].is_string()) return InvalidArgument(at + ": expected base64 text");
    ENTENTE_ASSIGN_OR_RETURN(std::string bytes, Base64Decode((*queries)[i].get<std::string>(), at));
    ENTENTE_ASSIGN_OR_RETURN(pprl::QueryCode q, QueryCodeFromBytes(bytes, at));
    r.queries.push_back(q);
  }
  return r;
}

std::string SignCheckAnswer(const CheckAnswer& answer, const NodeKeys& owner) {
  nlohmann::json results = nlohmann::json::array();
  for (const std::vector<CheckHit>& hits : answer.results) {
    nlohmann::json list = nlohmann::json::array();
    for (const CheckHit& h : hits) {
      list.push_back(
          {{"hit", h.hit_id}, {"reference", h.reference}, {"owner", h.owner}, {"score", h.score}});
    }
    results.push_back({{"hits", std::move(list)}});
  }
  const nlohmann::json document = {{"id", answer.id},
                                   {"from", answer.from},
                                   {"to", answer.to},
                                   {"answered_at", answer.answered_at},
                                   {"batch_size", answer.batch_size},
                                   {"checks_left_today", answer.checks_left_today},
                                   {"results", std::move(results)}};
  return Signed(kAnswerDomain, document, "answer", owner);
}

Result<CheckAnswer> OpenCheckAnswer(std::string_view body, const CheckRequest& request,
                                    std::span<const std::string> owner_sign_publics) {
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json d,
                           Verified(body, kAnswerDomain, "answer", owner_sign_publics));
  CheckAnswer a;
  int64_t batch = 0;
  ENTENTE_RETURN_IF_ERROR(Text(d, "id", &a.id, "answer"));
  ENTENTE_RETURN_IF_ERROR(Text(d, "from", &a.from, "answer"));
  ENTENTE_RETURN_IF_ERROR(Text(d, "to", &a.to, "answer"));
  ENTENTE_RETURN_IF_ERROR(Int(d, "answered_at", &a.answered_at, "answer"));
  ENTENTE_RETURN_IF_ERROR(Int(d, "batch_size", &batch, "answer"));
  ENTENTE_RETURN_IF_ERROR(Int(d, "checks_left_today", &a.checks_left_today, "answer"));
  if (a.id != request.id || a.from != request.to || a.to != request.from) {
    return InvalidArgument("answer: not the answer to check " + request.id + " from " + request.to);
  }
  if (batch < 1 || batch > static_cast<int64_t>(kMaxCheckQueries)) {
    return InvalidArgument("answer.batch_size: expected 1 to " + std::to_string(kMaxCheckQueries));
  }
  a.batch_size = static_cast<int>(batch);
  auto results = d.find("results");
  if (results == d.end() || !results->is_array() || results->size() != request.queries.size()) {
    return InvalidArgument("answer.results: expected one result per query (" +
                           std::to_string(request.queries.size()) + ")");
  }
  for (size_t i = 0; i < results->size(); ++i) {
    const std::string at = "answer.results[" + std::to_string(i) + "]";
    const nlohmann::json& r = (*results)[i];
    auto hits = r.is_object() ? r.find("hits") : r.end();
    if (!r.is_object() || hits == r.end() || !hits->is_array() || hits->size() > kMaxHitsPerQuery) {
      return InvalidArgument(at + ".hits: expected at most " + std::to_string(kMaxHitsPerQuery) +
                             " hits");
    }
    std::vector<CheckHit> list;
    for (size_t j = 0; j < hits->size(); ++j) {
      const std::string hat = at + ".hits[" + std::to_string(j) + "]";
      const nlohmann::json& h = (*hits)[j];
      if (!h.is_object()) return InvalidArgument(hat + ": expected an object");
      CheckHit hit;
      ENTENTE_RETURN_IF_ERROR(Text(h, "hit", &hit.hit_id, hat));
      ENTENTE_RETURN_IF_ERROR(Text(h, "reference", &hit.reference, hat));
      ENTENTE_RETURN_IF_ERROR(Text(h, "owner", &hit.owner, hat));
      auto score = h.find("score");
      if (score == h.end() || !score->is_number() || score->get<double>() < 0 ||
          score->get<double>() > 1) {
        return InvalidArgument(hat + ".score: expected a number in 0..1");
      }
      hit.score = score->get<double>();
      if (!IsHexId(hit.hit_id, "hit-")) return InvalidArgument(hat + ".hit: not a hit id");
      if (!IsIndexReference(hit.reference)) {
        return InvalidArgument(hat + ".reference: not an index reference");
      }
      auto agency = policy::AgencyId::Parse(hit.owner);
      if (!agency.ok() || agency->country != request.to) {
        return InvalidArgument(hat + ".owner: expected an agency of " + request.to);
      }
      list.push_back(std::move(hit));
    }
    a.results.push_back(std::move(list));
  }
  return a;
}

}  // namespace entente::federation
