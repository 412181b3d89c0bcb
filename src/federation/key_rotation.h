#pragma once

// Key rotation between partners (docs/federation.md, "Key rotation"):
//  1. a node renewing its keys announces the next ones to every partner in a key_rotation
//     message, signed and sealed with its current keys; the announcement carries a proof,
//     signed with the next signing key, that the node holds it;
//  2. a partner that accepts it keeps the next keys beside the current ones and accepts either
//     (signatures, the TLS certificate it pins and the one it admits);
//  3. once every partner has acknowledged, the node switches to its next keys; the first
//     envelope or receipt a partner sees signed with them makes them current there, and the
//     former keys stay accepted for the grace period the announcement states;
//  4. the node keeps its former box secret for that grace period, to open what partners sealed
//     for it before they learnt of the switch.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "federation/keys.h"
#include "federation/message.h"
#include "store/exchange_records.h"
#include "store/store.h"

namespace entente::federation {

inline constexpr int kDefaultGraceDays = 30;
inline constexpr int kMaxGraceDays = 365;

// What a key_rotation message says: the sender's next keys (its country, url unused), how long
// partners keep accepting the current ones once it switches, and the proof.
struct KeyAnnouncement {
  PublicKeys next;
  int grace_days = kDefaultGraceDays;
  std::string proof;  // Ed25519 signature (base64) by the next signing key of ProofInput
};

// The announcement of `next` (its tls_fingerprint filled in by the caller), proven with
// `next_sign_secret` (raw, 64 bytes).
KeyAnnouncement MakeKeyAnnouncement(PublicKeys next, int grace_days,
                                    std::string_view next_sign_secret);
std::string KeyAnnouncementToJson(const KeyAnnouncement& announcement);
// Reads and checks an announcement: the keys (ParsePublicKeys), the grace period (1..365 days)
// and the proof. InvalidArgument naming `where` and the field.
Result<KeyAnnouncement> ParseKeyAnnouncement(std::string_view text, std::string_view where);

// One set of a partner's public keys.
struct PartnerKeySet {
  std::string sign_public_key;  // base64
  std::string box_public_key;   // base64
  std::string tls_certificate;  // PEM
  std::string tls_fingerprint;
  friend bool operator==(const PartnerKeySet&, const PartnerKeySet&) = default;
};

// What a node holds of a partner's keys besides its current ones (Partner::key_rotation_json).
struct PartnerKeyRotation {
  std::optional<PartnerKeySet> next;  // announced, not yet seen in use
  int next_grace_days = 0;
  int64_t announced_at = 0;
  std::optional<PartnerKeySet> previous;  // the keys before the last switch
  int64_t previous_until = 0;             // accepted until then (microseconds)
  friend bool operator==(const PartnerKeyRotation&, const PartnerKeyRotation&) = default;
};
std::string PartnerKeyRotationToJson(const PartnerKeyRotation& rotation);
// "{}" or "" is no rotation. InvalidArgument naming `where` and the field.
Result<PartnerKeyRotation> ParsePartnerKeyRotation(std::string_view text, std::string_view where);

// The signing keys (raw) a partner's signatures are checked with at `now`: the current one,
// the announced one, and the previous one during its grace period.
Result<std::vector<std::string>> AcceptedSignKeys(const store::Partner& partner, int64_t now);
// Whether `fingerprint` is that of a certificate of the partner at `now` (current, announced,
// previous during its grace period).
bool HasCertificate(const store::Partner& partner, std::string_view fingerprint, int64_t now);
// The certificates (PEM, concatenated) a connection to the partner trusts: the current one and
// the announced one.
std::string PinnedCertificates(const store::Partner& partner);

// Decisions (pure): the partner record after it announced `announcement` at `now` (replacing an
// earlier announcement); InvalidArgument if the announced keys are those of another country.
Result<store::Partner> WithAnnouncedKeys(store::Partner partner,
                                         const KeyAnnouncement& announcement, int64_t now);
// The partner record once a signature by `sign_public` (raw) was seen at `now`: when it is the
// announced key, the announced keys become current and the former ones previous, accepted for
// the announced grace period. nullopt when nothing changes.
std::optional<store::Partner> AfterKeyUsed(const store::Partner& partner,
                                           std::string_view sign_public, int64_t now);

// Keeps, in `txn`, the keys a key_rotation `message` from the partner `from` announces (its
// body, checked again). InvalidArgument if they are not that partner's.
Status ApplyKeyAnnouncement(store::WriteTxn& txn, const Message& message, std::string_view from,
                            int64_t now);

// The state of a partner's rotation for listings: "" when none, else "next keys announced
// 2026-12-07T10:00:00Z" or "previous keys accepted until 2027-01-06T10:00:00Z".
std::string DescribeKeyRotation(const store::Partner& partner);

}  // namespace entente::federation
