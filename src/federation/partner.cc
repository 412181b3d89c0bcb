#include "federation/partner.h"

#include <limits>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "federation/crypto.h"
#include "federation/key_rotation.h"

namespace entente::federation {

Result<PartnerInfo> DecodePartner(const store::Partner& record) {
  const std::string where = "partner " + record.country;
  PartnerInfo info;
  info.record = record;
  ENTENTE_ASSIGN_OR_RETURN(info.sign_public,
                           Base64Decode(record.sign_public_key, where + ": sign_public_key"));
  ENTENTE_ASSIGN_OR_RETURN(info.box_public,
                           Base64Decode(record.box_public_key, where + ": box_public_key"));
  if (info.sign_public.size() != crypto_sign_PUBLICKEYBYTES ||
      info.box_public.size() != crypto_box_PUBLICKEYBYTES) {
    return InvalidArgument(where + ": a public key has the wrong size");
  }
  nlohmann::json rules = ParseJsonOrDiscarded(record.rules_json);
  if (rules.is_discarded()) return InvalidArgument(where + ": rules: not valid JSON");
  ENTENTE_ASSIGN_OR_RETURN(info.rules, SharingRulesFromJson(rules, where + ": rules"));
  return info;
}

Result<store::Partner> FindPartnerByCertificate(const store::PartnersReader& partners,
                                                std::string_view fingerprint, int64_t now) {
  Result<store::Partner> current = partners.FindByFingerprint(fingerprint);
  if (current.ok() || current.status().code() != StatusCode::kNotFound) return current;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> all, partners.List());
  for (store::Partner& p : all) {
    if (HasCertificate(p, fingerprint, now)) return std::move(p);
  }
  return current;
}

Result<store::Partner> PartnerRecord(const PublicKeys& keys, std::string_view url,
                                     const policy::SharingRules& rules) {
  Status valid = policy::ValidateSharingRules(rules);
  if (!valid.ok()) return InvalidArgument("partner " + keys.country + ": " + valid.message());
  store::Partner p;
  p.country = keys.country;
  p.url = url.empty() ? keys.url : std::string(url);
  if (!p.url.starts_with("https://")) {
    return InvalidArgument("partner " + keys.country +
                           ": url: expected https://host:port (give --url)");
  }
  p.sign_public_key = keys.sign_public_key;
  p.box_public_key = keys.box_public_key;
  p.tls_certificate = keys.tls_certificate;
  p.tls_fingerprint = keys.tls_fingerprint;
  p.rules_json = SharingRulesToJson(rules).dump();
  return p;
}

nlohmann::json SharingRulesToJson(const policy::SharingRules& rules) {
  nlohmann::json categories = nlohmann::json::array();
  for (model::Category c : rules.categories) categories.push_back(model::CategoryCode(c));
  return {{"categories", std::move(categories)},
          {"mode", policy::SharingModeName(rules.mode)},
          {"max_handling_code", model::HandlingCodeName(rules.max_handling_code)},
          {"legal_basis", policy::LegalBasisName(rules.legal_basis)},
          {"legal_basis_reference", rules.legal_basis_reference},
          {"onward_transfer_needs_authorisation", rules.onward_transfer_needs_authorisation},
          {"release_notice_days", rules.release_notice_days},
          {"minors_consultations", rules.minors_consultations},
          {"hit_no_hit", policy::HitNoHitDeliveryName(rules.hit_no_hit)},
          {"checks_per_day", rules.checks_per_day},
          {"checks_per_minute", rules.checks_per_minute},
          {"check_batch_size", rules.check_batch_size}};
}

Result<policy::SharingRules> SharingRulesFromJson(const nlohmann::json& json,
                                                  std::string_view where) {
  const std::string at(where);
  if (!json.is_object()) return InvalidArgument(at + ": expected a JSON object");
  policy::SharingRules rules;
  auto text = [&](const char* name, std::string* out) -> Status {
    auto it = json.find(name);
    if (it == json.end()) return Status::Ok();
    if (!it->is_string()) return InvalidArgument(at + "." + name + ": expected text");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  auto boolean = [&](const char* name, bool* out) -> Status {
    auto it = json.find(name);
    if (it == json.end()) return Status::Ok();
    if (!it->is_boolean()) return InvalidArgument(at + "." + name + ": expected true or false");
    *out = it->get<bool>();
    return Status::Ok();
  };
  if (auto it = json.find("categories"); it != json.end()) {
    if (!it->is_array()) return InvalidArgument(at + ".categories: expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const nlohmann::json& c = (*it)[i];
      auto category = c.is_string() ? model::ParseCategory(c.get<std::string>()) : std::nullopt;
      if (!category) {
        return InvalidArgument(at + ".categories[" + std::to_string(i) + "]: not a category code");
      }
      rules.categories.push_back(*category);
    }
  }
  std::string mode, max_code, basis;
  ENTENTE_RETURN_IF_ERROR(text("mode", &mode));
  if (!mode.empty()) {
    auto parsed = policy::ParseSharingMode(mode);
    if (!parsed.ok()) return InvalidArgument(at + ".mode: " + parsed.status().message());
    rules.mode = *parsed;
  }
  ENTENTE_RETURN_IF_ERROR(text("max_handling_code", &max_code));
  if (!max_code.empty()) {
    auto parsed = model::ParseHandlingCode(max_code);
    if (!parsed) return InvalidArgument(at + ".max_handling_code: expected H0, H1, H2 or H3");
    rules.max_handling_code = *parsed;
  }
  ENTENTE_RETURN_IF_ERROR(text("legal_basis", &basis));
  if (!basis.empty()) {
    auto parsed = policy::ParseLegalBasis(basis);
    if (!parsed.ok()) return InvalidArgument(at + ".legal_basis: " + parsed.status().message());
    rules.legal_basis = *parsed;
  }
  ENTENTE_RETURN_IF_ERROR(text("legal_basis_reference", &rules.legal_basis_reference));
  ENTENTE_RETURN_IF_ERROR(
      boolean("onward_transfer_needs_authorisation", &rules.onward_transfer_needs_authorisation));
  ENTENTE_RETURN_IF_ERROR(boolean("minors_consultations", &rules.minors_consultations));
  if (auto it = json.find("release_notice_days"); it != json.end()) {
    if (!it->is_number_integer()) {
      return InvalidArgument(at + ".release_notice_days: expected an integer");
    }
    rules.release_notice_days = it->get<int>();
  }
  rules.hit_no_hit = policy::DefaultHitNoHitDelivery(rules.legal_basis);
  std::string delivery;
  ENTENTE_RETURN_IF_ERROR(text("hit_no_hit", &delivery));
  if (!delivery.empty()) {
    auto parsed = policy::ParseHitNoHitDelivery(delivery);
    if (!parsed.ok()) return InvalidArgument(at + ".hit_no_hit: " + parsed.status().message());
    rules.hit_no_hit = *parsed;
  }
  for (auto [name, out] : {std::pair<const char*, int*>{"checks_per_day", &rules.checks_per_day},
                           {"checks_per_minute", &rules.checks_per_minute},
                           {"check_batch_size", &rules.check_batch_size}}) {
    auto it = json.find(name);
    if (it == json.end()) continue;
    if (!it->is_number_integer() || it->get<int64_t>() < 1 ||
        it->get<int64_t>() > std::numeric_limits<int>::max()) {
      return InvalidArgument(at + "." + name + ": expected a positive integer");
    }
    *out = it->get<int>();
  }
  Status valid = policy::ValidateSharingRules(rules);
  if (!valid.ok()) return InvalidArgument(at + ": " + valid.message());
  return rules;
}

}  // namespace entente::federation
