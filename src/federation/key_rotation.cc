#include "federation/key_rotation.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/time_format.h"
#include "federation/crypto.h"

namespace entente::federation {
namespace {

constexpr int64_t kDayMicros = kMicrosPerDay;

std::string ProofInput(const PublicKeys& next, int grace_days) {
  return "entente-key-rotation-v1\n" + next.country + "\n" + next.sign_public_key + "\n" +
         next.box_public_key + "\n" + next.tls_fingerprint + "\n" + std::to_string(grace_days);
}

nlohmann::json KeySetToJson(const PartnerKeySet& keys) {
  return {{"sign_public_key", keys.sign_public_key},
          {"box_public_key", keys.box_public_key},
          {"tls_certificate", keys.tls_certificate},
          {"tls_fingerprint", keys.tls_fingerprint}};
}

Result<PartnerKeySet> KeySetFromJson(const nlohmann::json& json, const std::string& where) {
  if (!json.is_object()) return InvalidArgument(where + ": expected an object");
  PartnerKeySet keys;
  for (auto [name, out] : {std::pair{"sign_public_key", &keys.sign_public_key},
                           std::pair{"box_public_key", &keys.box_public_key},
                           std::pair{"tls_certificate", &keys.tls_certificate},
                           std::pair{"tls_fingerprint", &keys.tls_fingerprint}}) {
    const auto it = json.find(name);
    if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) {
      return InvalidArgument(where + "." + name + ": expected text");
    }
    *out = it->get<std::string>();
  }
  return keys;
}

PartnerKeySet CurrentKeys(const store::Partner& p) {
  return {p.sign_public_key, p.box_public_key, p.tls_certificate, p.tls_fingerprint};
}

Result<PartnerKeyRotation> RotationOf(const store::Partner& partner) {
  return ParsePartnerKeyRotation(partner.key_rotation_json,
                                 "partner " + partner.country + ": key_rotation");
}

}  // namespace

KeyAnnouncement MakeKeyAnnouncement(PublicKeys next, int grace_days,
                                    std::string_view next_sign_secret) {
  KeyAnnouncement a;
  a.next = std::move(next);
  a.next.url.clear();
  a.grace_days = grace_days;
  a.proof = Sign(ProofInput(a.next, grace_days), next_sign_secret);
  return a;
}

std::string KeyAnnouncementToJson(const KeyAnnouncement& a) {
  nlohmann::json keys = ParseJsonOrDiscarded(PublicKeysToJson(a.next));
  keys.erase("url");
  return DumpJson(
      nlohmann::json{{"keys", std::move(keys)}, {"grace_days", a.grace_days}, {"proof", a.proof}});
}

Result<KeyAnnouncement> ParseKeyAnnouncement(std::string_view text, std::string_view where) {
  const std::string at(where);
  const nlohmann::json json = ParseJsonOrDiscarded(text);
  if (json.is_discarded() || !json.is_object()) return InvalidArgument(at + ": not a JSON object");
  const auto keys = json.find("keys");
  if (keys == json.end() || !keys->is_object()) {
    return InvalidArgument(at + ": keys: expected an object");
  }
  KeyAnnouncement a;
  ENTENTE_ASSIGN_OR_RETURN(a.next, ParsePublicKeys(keys->dump(), at + ": keys"));
  const auto grace = json.find("grace_days");
  if (grace == json.end() || !grace->is_number_integer() || grace->get<int64_t>() < 1 ||
      grace->get<int64_t>() > kMaxGraceDays) {
    return InvalidArgument(at + ": grace_days: expected a whole number of days, 1 to " +
                           std::to_string(kMaxGraceDays));
  }
  a.grace_days = grace->get<int>();
  const auto proof = json.find("proof");
  if (proof == json.end() || !proof->is_string()) {
    return InvalidArgument(at + ": proof: expected text");
  }
  a.proof = proof->get<std::string>();
  ENTENTE_ASSIGN_OR_RETURN(std::string sign_public,
                           Base64Decode(a.next.sign_public_key, at + ": keys.signing_public_key"));
  if (!VerifySignature(ProofInput(a.next, a.grace_days), a.proof, sign_public)) {
    return InvalidArgument(at + ": proof: not signed by the announced signing key");
  }
  return a;
}

std::string PartnerKeyRotationToJson(const PartnerKeyRotation& r) {
  nlohmann::json json = nlohmann::json::object();
  if (r.next) {
    nlohmann::json next = KeySetToJson(*r.next);
    next["grace_days"] = r.next_grace_days;
    next["announced_at"] = r.announced_at;
    json["next"] = std::move(next);
  }
  if (r.previous) {
    nlohmann::json previous = KeySetToJson(*r.previous);
    previous["until"] = r.previous_until;
    json["previous"] = std::move(previous);
  }
  return DumpJson(json);
}

Result<PartnerKeyRotation> ParsePartnerKeyRotation(std::string_view text, std::string_view where) {
  const std::string at(where);
  PartnerKeyRotation r;
  if (text.empty()) return r;
  const nlohmann::json json = ParseJsonOrDiscarded(text);
  if (json.is_discarded() || !json.is_object()) return InvalidArgument(at + ": not a JSON object");
  auto integer = [&](const nlohmann::json& object, const char* name,
                     const std::string& path) -> Result<int64_t> {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number_integer()) {
      return InvalidArgument(path + "." + name + ": expected a whole number");
    }
    return it->get<int64_t>();
  };
  if (const auto next = json.find("next"); next != json.end()) {
    ENTENTE_ASSIGN_OR_RETURN(r.next, KeySetFromJson(*next, at + ".next"));
    ENTENTE_ASSIGN_OR_RETURN(int64_t grace, integer(*next, "grace_days", at + ".next"));
    r.next_grace_days = static_cast<int>(std::clamp<int64_t>(grace, 0, kMaxGraceDays));
    ENTENTE_ASSIGN_OR_RETURN(r.announced_at, integer(*next, "announced_at", at + ".next"));
  }
  if (const auto previous = json.find("previous"); previous != json.end()) {
    ENTENTE_ASSIGN_OR_RETURN(r.previous, KeySetFromJson(*previous, at + ".previous"));
    ENTENTE_ASSIGN_OR_RETURN(r.previous_until, integer(*previous, "until", at + ".previous"));
  }
  return r;
}

Result<std::vector<std::string>> AcceptedSignKeys(const store::Partner& partner, int64_t now) {
  const std::string where = "partner " + partner.country;
  ENTENTE_ASSIGN_OR_RETURN(PartnerKeyRotation rotation, RotationOf(partner));
  std::vector<std::string> keys;
  ENTENTE_ASSIGN_OR_RETURN(std::string current,
                           Base64Decode(partner.sign_public_key, where + ": sign_public_key"));
  keys.push_back(std::move(current));
  if (rotation.next) {
    ENTENTE_ASSIGN_OR_RETURN(std::string next, Base64Decode(rotation.next->sign_public_key,
                                                            where + ": next sign_public_key"));
    keys.push_back(std::move(next));
  }
  if (rotation.previous && rotation.previous_until > now) {
    ENTENTE_ASSIGN_OR_RETURN(
        std::string previous,
        Base64Decode(rotation.previous->sign_public_key, where + ": previous sign_public_key"));
    keys.push_back(std::move(previous));
  }
  return keys;
}

bool HasCertificate(const store::Partner& partner, std::string_view fingerprint, int64_t now) {
  if (fingerprint.empty()) return false;
  if (partner.tls_fingerprint == fingerprint) return true;
  auto rotation = RotationOf(partner);
  if (!rotation.ok()) return false;
  if (rotation->next && rotation->next->tls_fingerprint == fingerprint) return true;
  return rotation->previous && rotation->previous_until > now &&
         rotation->previous->tls_fingerprint == fingerprint;
}

std::string PinnedCertificates(const store::Partner& partner) {
  std::string pem = partner.tls_certificate;
  auto rotation = RotationOf(partner);
  if (rotation.ok() && rotation->next) {
    if (!pem.empty() && pem.back() != '\n') pem += '\n';
    pem += rotation->next->tls_certificate;
  }
  return pem;
}

Result<store::Partner> WithAnnouncedKeys(store::Partner partner,
                                         const KeyAnnouncement& announcement, int64_t now) {
  if (announcement.next.country != partner.country) {
    return InvalidArgument("key rotation: the keys announced are those of " +
                           announcement.next.country + ", not of " + partner.country);
  }
  ENTENTE_ASSIGN_OR_RETURN(PartnerKeyRotation rotation, RotationOf(partner));
  rotation.next =
      PartnerKeySet{announcement.next.sign_public_key, announcement.next.box_public_key,
                    announcement.next.tls_certificate, announcement.next.tls_fingerprint};
  rotation.next_grace_days = announcement.grace_days;
  rotation.announced_at = now;
  partner.key_rotation_json = PartnerKeyRotationToJson(rotation);
  return partner;
}

std::optional<store::Partner> AfterKeyUsed(const store::Partner& partner,
                                           std::string_view sign_public, int64_t now) {
  auto rotation = RotationOf(partner);
  if (!rotation.ok() || !rotation->next) return std::nullopt;
  auto next = Base64Decode(rotation->next->sign_public_key, "next");
  if (!next.ok() || *next != sign_public) return std::nullopt;
  store::Partner out = partner;
  PartnerKeyRotation after;
  after.previous = CurrentKeys(partner);
  after.previous_until = now + rotation->next_grace_days * kDayMicros;
  out.sign_public_key = rotation->next->sign_public_key;
  out.box_public_key = rotation->next->box_public_key;
  out.tls_certificate = rotation->next->tls_certificate;
  out.tls_fingerprint = rotation->next->tls_fingerprint;
  out.key_rotation_json = PartnerKeyRotationToJson(after);
  return out;
}

Status ApplyKeyAnnouncement(store::WriteTxn& txn, const Message& message, std::string_view from,
                            int64_t now) {
  ENTENTE_ASSIGN_OR_RETURN(KeyAnnouncement announcement,
                           ParseKeyAnnouncement(message.body, "key rotation " + message.id));
  ENTENTE_ASSIGN_OR_RETURN(store::Partner partner, txn.partners().Get(from));
  ENTENTE_ASSIGN_OR_RETURN(store::Partner updated,
                           WithAnnouncedKeys(std::move(partner), announcement, now));
  return txn.partners().Put(updated);
}

std::string DescribeKeyRotation(const store::Partner& partner) {
  auto rotation = RotationOf(partner);
  if (!rotation.ok()) return rotation.status().message();
  if (rotation->next) return "next keys announced " + FormatIsoTime(rotation->announced_at);
  if (rotation->previous) {
    return "previous keys accepted until " + FormatIsoTime(rotation->previous_until);
  }
  return "";
}

}  // namespace entente::federation
