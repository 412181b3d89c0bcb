#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "federation/keys.h"
#include "pprl/bloom_code.h"
#include "store/exchange_records.h"

namespace entente::federation {

// Hit/no-hit checks answered by the owner (policy::HitNoHitDelivery::kOwnerAnswers,
// docs/hit-no-hit.md). The querying node POSTs a signed CheckRequest to the owner's federation
// endpoint (mutual TLS) and gets a signed CheckAnswer in the same round trip: the owner matches
// the queries' codes against its own encoded register and answers, per query, the references
// hit and whom to ask, never a record. The request carries the queries' encodings (the same as
// for an encoded index), never their plaintext.

// The path of the owner's check endpoint (served by api::FederationServer).
inline constexpr const char* kCheckPath = "/federation/v1/check";

// The largest request body an owner reads: kMaxCheckQueries queries of about 1.2 KB in base64.
inline constexpr size_t kMaxCheckQueries = 1000;
inline constexpr size_t kMaxCheckBodyBytes = size_t{2} << 20;
// A request older or newer than this at the owner is refused (a replay); a request id is
// remembered for twice as long.
inline constexpr int64_t kMaxCheckSkewMicros = 5LL * 60 * 1'000'000;

struct CheckRequest {
  std::string id;    // "chk-" + 32 hex digits
  std::string from;  // the querying country
  std::string to;    // the owner's country
  int64_t sent_at = 0;
  std::string agency;  // CC/kind of the agency that checks
  std::string justification;
  std::string case_reference;
  uint32_t key_version = 0;  // the federation key the queries are encoded under
  std::vector<pprl::QueryCode> queries;
};

struct CheckHit {
  std::string hit_id;     // "hit-" + 32 hex, the id both sides record the hit under
  std::string reference;  // the owner's opaque reference for the querying partner
  std::string owner;      // CC/kind of the agency to ask
  double score = 0;
  friend bool operator==(const CheckHit&, const CheckHit&) = default;
};

struct CheckAnswer {
  std::string id;    // the request's
  std::string from;  // the owner
  std::string to;    // the querying country
  int64_t answered_at = 0;
  std::vector<std::vector<CheckHit>> results;  // one per query, in order; empty: no hit
  int batch_size = 0;                          // the most queries the owner takes in one request
  int64_t checks_left_today = 0;               // before its daily limit
};

// "chk-" + 32 random hex digits.
std::string NewCheckId();

// The request body: {"request": <the request's JSON as text>, "signature": Ed25519 by
// `sender` over "entente-check-v1\n" + that text}.
std::string SignCheckRequest(const CheckRequest& request, const NodeKeys& sender);
// Reads and verifies a request body from `from_country` (known by its certificate) for
// `own_country`, signed with any of `sender_sign_publics` (raw), sent within
// kMaxCheckSkewMicros of `now`. InvalidArgument naming what is wrong (the body, a field, the
// signature, the countries, the time, a query's code).
Result<CheckRequest> OpenCheckRequest(std::string_view body, std::string_view from_country,
                                      std::string_view own_country,
                                      std::span<const std::string> sender_sign_publics,
                                      int64_t now);

// The answer body, the same way ("entente-check-answer-v1\n").
std::string SignCheckAnswer(const CheckAnswer& answer, const NodeKeys& owner);
// Reads and verifies the owner's answer to `request`: its id and countries, one result per
// query, each hit well formed, signed with any of `owner_sign_publics`. InvalidArgument.
Result<CheckAnswer> OpenCheckAnswer(std::string_view body, const CheckRequest& request,
                                    std::span<const std::string> owner_sign_publics);

// What the owner's endpoint answered: its HTTP status and body, and for 429 how long to wait.
struct CheckReply {
  int status = 0;
  std::string body;
  int64_t retry_after_seconds = 0;
};

// Carries a check to its owner and brings the answer back in the same round trip
// (HttpsTransport, over mutual TLS). Thread-safe.
class CheckChannel {
 public:
  virtual ~CheckChannel() = default;
  // IoError when the partner could not be reached or the exchange broke off.
  virtual Result<CheckReply> SendCheck(const store::Partner& partner, std::string_view body) = 0;
};

// A query's code and birth readings as bytes (the code's 16 words, then each reading's 3 words
// and popcount), and back; InvalidArgument naming `field` if the bytes are not one.
std::string QueryCodeBytes(const pprl::QueryCode& query);
Result<pprl::QueryCode> QueryCodeFromBytes(std::string_view bytes, std::string_view field);

}  // namespace entente::federation
