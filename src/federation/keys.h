#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace entente::federation {

// A node's own keys, read from the files `entente node init` wrote. Secrets stay in memory
// only as long as the object lives.
struct NodeKeys {
  std::string country;        // ISO alpha-2 of the node
  std::string sign_secret;    // Ed25519 secret key (64 bytes)
  std::string sign_public;    // 32 bytes
  std::string box_secret;     // X25519 secret key (32 bytes)
  std::string box_public;     // 32 bytes
  std::string tls_cert_path;  // the node's certificate (PEM), presented to partners
  std::string tls_key_path;
  std::string tls_certificate;  // its PEM text
  // Box keys the node used before its last key rotation, kept until `until` (microseconds) to
  // open what partners sealed for them before they learnt of the switch (key_rotation.h).
  struct FormerBox {
    std::string box_public;
    std::string box_secret;
    int64_t until = 0;
  };
  std::vector<FormerBox> former_boxes;
};

// Reads the keys: base64 secret keys (one line each) and the certificate. The public keys are
// derived from the secrets. InvalidArgument naming the file when one is malformed; NotFound
// when one is missing.
Result<NodeKeys> LoadNodeKeys(std::string_view country, const std::string& sign_key_path,
                              const std::string& box_key_path, const std::string& tls_cert_path,
                              const std::string& tls_key_path);

// SHA-256 of a PEM certificate's DER form, hex pairs joined by ':' (as `node init` prints it).
// InvalidArgument if `pem` holds no certificate.
Result<std::string> CertificateFingerprint(std::string_view pem);
// The same for a certificate in DER form (what a TLS peer presented).
std::string DerFingerprint(std::string_view der);

// What a node gives its partners: its country, where its federation endpoint listens, its
// public keys (base64) and its certificate. The JSON of `entente node keys`.
struct PublicKeys {
  std::string country;
  std::string url;
  std::string sign_public_key;
  std::string box_public_key;
  std::string tls_certificate;
  std::string tls_fingerprint;
};

std::string PublicKeysToJson(const PublicKeys& keys);
// Reads and checks a public keys file (the fingerprint must match the certificate, the keys
// must decode to the right sizes); InvalidArgument naming `file` and the field.
Result<PublicKeys> ParsePublicKeys(std::string_view text, std::string_view file);

}  // namespace entente::federation
