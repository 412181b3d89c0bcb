#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "service/node.h"

namespace entente::service {

// How to create a node; defaults give a SQLite node listening on loopback.
struct InitOptions {
  std::string store;   // "" for register.db in the node directory, else a postgresql:// URL
  std::string listen;  // "" for NodeConfig's default
  std::string federation_listen;  // "" for NodeConfig's default
  std::string federation_url;     // "" for https://federation_listen
};

// What `entente node init` created, for the summary it prints. Public keys are base64.
struct NodeSummary {
  NodeConfig config;
  std::string store_backend;  // "sqlite" or "postgresql"
  std::string admin_user_id;
  std::string admin_token;  // the bearer token also written to paths.admin_token (0600)
  std::string signing_public_key;
  std::string box_public_key;
  std::string tls_fingerprint;  // SHA-256 of the certificate (DER), hex pairs joined by ':'
};

// Creates a node in `paths.dir` for `country` (ISO alpha-2, either case): node.json, an Ed25519
// signing key and an X25519 box key (keys/, secret files 0600) with keys/public.json for
// partners, a self-signed TLS certificate (EC P-256, CN entente-<cc>, SAN DNS:localhost and
// IP:127.0.0.1, 825 days from `clock`'s now), the migrated database with the country in its
// node_config, and the first administrator (agency CC/administration) whose token goes to
// admin.token (0600). Directories are 0700.
// AlreadyExists if the directory already holds a node, a key, a token or a register.db: nothing
// is ever overwritten; FailedPrecondition if a PostgreSQL store already has users;
// InvalidArgument for a bad country. On failure everything this call created is removed (a
// PostgreSQL database keeps its migrated schema).
Result<NodeSummary> InitNode(const NodePaths& paths, std::string_view country,
                             const InitOptions& options, const Clock& clock = SystemClock());

// What WriteNewNodeKeys wrote: the public halves (base64) and the certificate's fingerprint.
struct GeneratedKeys {
  std::string signing_public_key;
  std::string box_public_key;
  std::string tls_fingerprint;
};

// Writes a new set of node keys under `paths` as InitNode does (keys/sign.key, keys/box.key,
// keys/public.json, tls/cert.pem, tls/key.pem; secrets 0600, directories 0700), for a key
// rotation (key_rotation.h). AlreadyExists if one of the files is there; on failure what this
// call wrote is removed.
Result<GeneratedKeys> WriteNewNodeKeys(const NodePaths& paths, std::string_view country,
                                       const Clock& clock = SystemClock());

}  // namespace entente::service
