#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "federation/keys.h"
#include "pprl/encoding_key.h"
#include "store/store.h"

namespace entente::service {

// The files of a node's directory (`entente node init --dir D`). Secrets are mode 0600.
struct NodePaths {
  explicit NodePaths(std::string dir);
  std::string dir;
  std::string config;         // node.json (NodeConfig)
  std::string database;       // register.db, the SQLite store unless the config names another
  std::string admin_token;    // admin.token: the first administrator's bearer token (0600)
  std::string tls_cert;       // tls/cert.pem: self-signed unless replaced
  std::string tls_key;        // tls/key.pem (0600)
  std::string signing_key;    // keys/sign.key: Ed25519 secret key (0600)
  std::string box_key;        // keys/box.key: X25519 secret key (0600)
  std::string public_keys;    // keys/public.json: both public keys, for partners
  std::string audit_anchors;  // audit/anchors.jsonl: signed heads of the audit log (audit_anchor.h)
  std::string encoding_key;   // keys/encoding.json: the federation's encoding key (0600), for
                              // hit/no-hit between partners (hit_no_hit.h); absent until installed
  std::string former_keys;    // keys/former.json: keys retired by a rotation (key_rotation.h)
  std::string next_keys;      // next-keys/: keys announced, not yet in use (key_rotation.h)
};

// What node.json holds.
struct NodeConfig {
  std::string country;                    // ISO 3166-1 alpha-2, uppercase
  std::string store;                      // a SQLite path or a postgresql:// URL
  std::string listen = "127.0.0.1:8443";  // HOST:PORT of `entente serve`
  // HOST:PORT of the federation endpoint partners deliver to (mutual TLS), and the URL partners
  // reach it at ("" for https://federation_listen).
  std::string federation_listen = "127.0.0.1:9443";
  std::string federation_url;
  // The URL partners reach this node at.
  std::string FederationUrl() const {
    return federation_url.empty() ? "https://" + federation_listen : federation_url;
  }
};

// The federation's encoding key installed in the node; NotFound when none is; InvalidArgument
// naming the file when it is malformed.
Result<pprl::EncodingKey> LoadEncodingKey(const NodePaths& paths);
// Installs `key` as the node's encoding key (written 0600, replacing any earlier one).
Status InstallEncodingKey(const NodePaths& paths, const pprl::EncodingKey& key);

// The node's keys (keys/, tls/) for the federation, with the box keys a rotation retired
// (keys/former.json; the opening of envelopes checks their grace period).
Result<federation::NodeKeys> LoadNodeKeys(const NodePaths& paths, const NodeConfig& config);

// Reads node.json. NotFound when the directory holds no node ("run entente node init");
// InvalidArgument naming the file and the field at fault.
Result<NodeConfig> LoadNodeConfig(const NodePaths& paths);

// Writes node.json (under a temporary name, then renamed).
Status SaveNodeConfig(const NodePaths& paths, const NodeConfig& config);

// Where the node's store is: `store_override` (the --store flag) or the config's, a relative
// SQLite path taken from the node's directory.
std::string NodeStoreLocation(const NodePaths& paths, const NodeConfig& config,
                              std::string_view store_override);

// Opens the node's store: `store_override` when not empty (a postgresql:// URL or a SQLite
// path), else the config's. A relative SQLite path is taken from the node directory.
// `clock` must outlive the store.
Result<std::unique_ptr<store::Store>> OpenNodeStore(const NodePaths& paths,
                                                    const NodeConfig& config, const Clock& clock,
                                                    std::string_view store_override = "");

}  // namespace entente::service
