#pragma once

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <string>

#include "federation/crypto.h"
#include "federation/keys.h"
#include "federation/message.h"
#include "federation/partner.h"
#include "store/exchange_records.h"

namespace entente::federation::testing {

// Keys made in memory (no TLS), for tests of the layers that do not open connections.
inline NodeKeys MakeKeys(const std::string& country) {
  NodeKeys k;
  k.country = country;
  unsigned char sp[crypto_sign_PUBLICKEYBYTES], ss[crypto_sign_SECRETKEYBYTES];
  unsigned char bp[crypto_box_PUBLICKEYBYTES], bs[crypto_box_SECRETKEYBYTES];
  crypto_sign_keypair(sp, ss);
  crypto_box_keypair(bp, bs);
  k.sign_public.assign(reinterpret_cast<char*>(sp), sizeof sp);
  k.sign_secret.assign(reinterpret_cast<char*>(ss), sizeof ss);
  k.box_public.assign(reinterpret_cast<char*>(bp), sizeof bp);
  k.box_secret.assign(reinterpret_cast<char*>(bs), sizeof bs);
  return k;
}

// The partner record of `keys` with `rules` (plaintext, every category, by default).
inline store::Partner PartnerOf(const NodeKeys& keys, policy::SharingRules rules = {}) {
  store::Partner p;
  p.country = keys.country;
  p.url = "https://127.0.0.1:1";
  p.sign_public_key = Base64Encode(keys.sign_public);
  p.box_public_key = Base64Encode(keys.box_public);
  p.tls_certificate = "test";
  p.tls_fingerprint = "fp-" + keys.country;
  p.rules_json = SharingRulesToJson(rules).dump();
  return p;
}

// A valid spontaneous message from `from` to `to` (agencies CC/kind).
inline Message MakeMessage(const std::string& from, const std::string& to, int64_t now,
                           const std::string& case_id = NewCaseId()) {
  Message m;
  m.id = NewMessageId();
  m.type = MessageType::kSpontaneous;
  m.case_id = case_id;
  m.sender = from;
  m.recipients = {to};
  m.created_at = now;
  m.body = "Information on a travel movement.";
  m.legal_basis = {"eu_partner", "Directive (EU) 2016/680"};
  return m;
}

}  // namespace entente::federation::testing
