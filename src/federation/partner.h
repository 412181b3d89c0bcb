#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "federation/keys.h"
#include "policy/sharing.h"
#include "store/exchange.h"
#include "store/exchange_records.h"

namespace entente::federation {

// A registered partner as the federation uses it: the stored record, its keys decoded, and the
// sharing rules of transfers to it.
struct PartnerInfo {
  store::Partner record;
  std::string sign_public;  // raw Ed25519 public key
  std::string box_public;   // raw X25519 public key
  policy::SharingRules rules;
};

// Decodes a stored partner; InvalidArgument naming the partner and the field if it is damaged.
Result<PartnerInfo> DecodePartner(const store::Partner& record);

// The partner record for `keys` (a file a partner gave) with `rules` and `url` (when empty,
// the one in the keys file). InvalidArgument if the rules do not hold (ValidateSharingRules)
// or there is no url.
Result<store::Partner> PartnerRecord(const PublicKeys& keys, std::string_view url,
                                     const policy::SharingRules& rules);

// The partner whose certificate has `fingerprint` at `now`: its current one, the one it
// announced, or its previous one during the grace period (key_rotation.h). NotFound otherwise.
Result<store::Partner> FindPartnerByCertificate(const store::PartnersReader& partners,
                                                std::string_view fingerprint, int64_t now);

// SharingRules as JSON: {"categories": [...], "mode", "max_handling_code", "legal_basis",
// "legal_basis_reference", "onward_transfer_needs_authorisation", "release_notice_days",
// "minors_consultations"}.
nlohmann::json SharingRulesToJson(const policy::SharingRules& rules);
// Reads rules; absent fields keep SharingRules' defaults. InvalidArgument naming `where` and
// the field.
Result<policy::SharingRules> SharingRulesFromJson(const nlohmann::json& json,
                                                  std::string_view where);

}  // namespace entente::federation
