#include "service/node.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/private_files.h"
#include "federation/index_update.h"
#include "model/country.h"
#include "service/key_rotation.h"

namespace entente::service {

NodePaths::NodePaths(std::string directory)
    : dir(std::move(directory)),
      config(dir + "/node.json"),
      database(dir + "/register.db"),
      admin_token(dir + "/admin.token"),
      tls_cert(dir + "/tls/cert.pem"),
      tls_key(dir + "/tls/key.pem"),
      signing_key(dir + "/keys/sign.key"),
      box_key(dir + "/keys/box.key"),
      public_keys(dir + "/keys/public.json"),
      audit_anchors(dir + "/audit/anchors.jsonl"),
      encoding_key(dir + "/keys/encoding.json"),
      former_keys(dir + "/keys/former.json"),
      next_keys(dir + "/next-keys") {}

Result<NodeConfig> LoadNodeConfig(const NodePaths& paths) {
  std::ifstream in(paths.config, std::ios::binary);
  if (!in) {
    return NotFound(paths.dir + ": no node here (" + paths.config +
                    " is missing); create one with `entente node init --country CC --dir " +
                    paths.dir + "`");
  }
  std::stringstream text;
  text << in.rdbuf();
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text.str(), paths.config));
  if (!j.is_object()) return InvalidArgument(paths.config + ": expected a JSON object");
  NodeConfig config;
  auto text_field = [&](const char* name, std::string* out, bool required) -> Status {
    if (!j.contains(name)) {
      return required ? InvalidArgument(paths.config + ": " + name + ": missing") : Status::Ok();
    }
    if (!j[name].is_string())
      return InvalidArgument(paths.config + ": " + name + ": expected text");
    *out = j[name].get<std::string>();
    return Status::Ok();
  };
  ENTENTE_RETURN_IF_ERROR(text_field("country", &config.country, true));
  ENTENTE_RETURN_IF_ERROR(text_field("store", &config.store, false));
  ENTENTE_RETURN_IF_ERROR(text_field("listen", &config.listen, false));
  ENTENTE_RETURN_IF_ERROR(text_field("federation_listen", &config.federation_listen, false));
  ENTENTE_RETURN_IF_ERROR(text_field("federation_url", &config.federation_url, false));
  if (!model::IsCountryCode(config.country)) {
    return InvalidArgument(paths.config + ": country: \"" + config.country +
                           "\" is not an ISO 3166-1 alpha-2 code");
  }
  if (config.store.empty()) config.store = "register.db";
  return config;
}

Status SaveNodeConfig(const NodePaths& paths, const NodeConfig& config) {
  nlohmann::json j = {{"country", config.country},
                      {"store", config.store},
                      {"listen", config.listen},
                      {"federation_listen", config.federation_listen},
                      {"federation_url", config.federation_url}};
  const std::string temp = paths.config + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << DumpJson(j, 2) << '\n';
    if (!out.flush()) return IoError(temp + ": cannot write");
  }
  std::error_code error;
  std::filesystem::rename(temp, paths.config, error);
  if (error) return IoError(paths.config + ": " + error.message());
  return Status::Ok();
}

std::string NodeStoreLocation(const NodePaths& paths, const NodeConfig& config,
                              std::string_view store_override) {
  std::string location(store_override.empty() ? std::string_view(config.store) : store_override);
  const bool url = location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
  if (!url && !location.empty() && location[0] != '/') location = paths.dir + "/" + location;
  return location;
}

Result<std::unique_ptr<store::Store>> OpenNodeStore(const NodePaths& paths,
                                                    const NodeConfig& config, const Clock& clock,
                                                    std::string_view store_override) {
  return store::OpenStore(NodeStoreLocation(paths, config, store_override), clock);
}

Result<federation::NodeKeys> LoadNodeKeys(const NodePaths& paths, const NodeConfig& config) {
  ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                           federation::LoadNodeKeys(config.country, paths.signing_key,
                                                    paths.box_key, paths.tls_cert, paths.tls_key));
  ENTENTE_ASSIGN_OR_RETURN(std::vector<FormerKeys> former, LoadFormerKeys(paths));
  for (FormerKeys& f : former) {
    if (f.box_secret.empty()) continue;
    keys.former_boxes.push_back({std::move(f.box_public), std::move(f.box_secret), f.until});
  }
  return keys;
}

}  // namespace entente::service

namespace entente::service {

Result<pprl::EncodingKey> LoadEncodingKey(const NodePaths& paths) {
  std::ifstream in(paths.encoding_key, std::ios::binary);
  if (!in) {
    return NotFound(paths.encoding_key +
                    ": no encoding key installed (entente node encoding-key --dir D --key F)");
  }
  std::stringstream text;
  text << in.rdbuf();
  return federation::ParseEncodingKey(text.str(), paths.encoding_key);
}

Status InstallEncodingKey(const NodePaths& paths, const pprl::EncodingKey& key) {
  ENTENTE_RETURN_IF_ERROR(
      MakePrivateDirectory(std::filesystem::path(paths.encoding_key).parent_path().string()));
  return WritePrivateFile(paths.encoding_key, federation::EncodingKeyToJson(key));
}

}  // namespace entente::service
