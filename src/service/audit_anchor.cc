#include "service/audit_anchor.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/private_files.h"
#include "federation/crypto.h"

namespace entente::service {
namespace {

std::string SigningInput(const AuditAnchor& a) {
  return "entente-audit-anchor-v1\n" + a.country + "\n" + std::to_string(a.seq) + "\n" + a.hash +
         "\n" + std::to_string(a.at);
}

// The last anchor of the file, if any.
std::optional<AuditAnchor> LastAnchor(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  if (last.empty()) return std::nullopt;
  nlohmann::json j = ParseJsonOrDiscarded(last);
  if (j.is_discarded() || !j.is_object() || !j["seq"].is_number_integer() ||
      !j["hash"].is_string()) {
    return std::nullopt;
  }
  AuditAnchor a;
  a.seq = j["seq"].get<int64_t>();
  a.hash = j["hash"].get<std::string>();
  return a;
}

}  // namespace

Result<std::optional<AuditAnchor>> AnchorAuditLog(const store::StoreReader& store,
                                                  const federation::NodeKeys& keys,
                                                  const Clock& clock, const std::string& path) {
  Result<store::AuditEntry> head = store.audit().Last();
  if (head.status().code() == StatusCode::kNotFound) return std::optional<AuditAnchor>();
  if (!head.ok()) return head.status();
  if (auto last = LastAnchor(path); last && last->seq == head->seq && last->hash == head->hash) {
    return std::optional<AuditAnchor>();
  }
  AuditAnchor a;
  a.country = keys.country;
  a.seq = head->seq;
  a.hash = head->hash;
  a.at = clock.NowMicros();
  a.signature = federation::Sign(SigningInput(a), keys.sign_secret);
  const std::string line = nlohmann::json{{"country", a.country},
                                          {"seq", a.seq},
                                          {"hash", a.hash},
                                          {"at", a.at},
                                          {"signature", a.signature}}
                               .dump() +
                           "\n";
  ENTENTE_RETURN_IF_ERROR(MakePrivateDirectory(std::filesystem::path(path).parent_path().string()));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(path + ": cannot be opened for appending");
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return IoError(path + ": the anchor could not be written");
  return std::optional<AuditAnchor>(std::move(a));
}

Result<AnchorVerification> VerifyAuditAnchors(const store::StoreReader& store,
                                              std::string_view country,
                                              std::string_view sign_public,
                                              const std::string& path) {
  return VerifyAuditAnchors(store, country, sign_public, {}, path);
}

Result<AnchorVerification> VerifyAuditAnchors(const store::StoreReader& store,
                                              std::string_view country,
                                              std::string_view sign_public,
                                              const std::vector<RetiredSigningKey>& retired,
                                              const std::string& path) {
  std::vector<std::pair<std::string, int64_t>> former;  // raw key, retired at
  for (const RetiredSigningKey& r : retired) {
    auto raw = federation::Base64Decode(r.sign_public_key, "retired signing key");
    if (raw.ok()) former.emplace_back(std::move(raw).value(), r.retired_at);
  }
  auto signed_by_node = [&](const AuditAnchor& a) {
    if (federation::VerifySignature(SigningInput(a), a.signature, sign_public)) return true;
    return std::any_of(former.begin(), former.end(), [&](const auto& key) {
      return a.at <= key.second &&
             federation::VerifySignature(SigningInput(a), a.signature, key.first);
    });
  };
  AnchorVerification out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(line_number);
    nlohmann::json j = ParseJsonOrDiscarded(line);
    if (j.is_discarded() || !j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() ||
        !j.contains("hash") || !j["hash"].is_string() || !j.contains("at") ||
        !j["at"].is_number_integer() || !j.contains("signature") || !j["signature"].is_string() ||
        !j.contains("country") || !j["country"].is_string()) {
      return InvalidArgument(where + ": not an audit anchor");
    }
    AuditAnchor a{j["country"], j["seq"], j["hash"], j["at"], j["signature"]};
    ++out.anchors;
    if (!out.problem.empty()) continue;
    if (a.country != country || !signed_by_node(a)) {
      out.problem = where + ": the anchor of entry " + std::to_string(a.seq) +
                    " is not signed by this node's key";
      continue;
    }
    out.latest_seq = std::max(out.latest_seq, a.seq);
    store::AuditQuery query;
    query.after_seq = a.seq - 1;
    query.limit = 1;
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> entries, store.audit().Read(query));
    if (entries.empty() || entries.front().seq != a.seq) {
      out.problem = "entry " + std::to_string(a.seq) +
                    " was anchored but is no longer in the log (its tail was cut)";
    } else if (entries.front().hash != a.hash) {
      out.problem = "entry " + std::to_string(a.seq) +
                    " differs from its signed anchor (the log was rewritten up to it)";
    }
  }
  return out;
}

}  // namespace entente::service
