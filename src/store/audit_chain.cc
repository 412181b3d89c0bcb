#include "store/audit_chain.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/json.h"

namespace entente::store {
namespace {

void AppendField(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

}  // namespace

std::string CanonicalAuditBytes(const AuditEntry& entry) {
  std::string out = "entente-audit-v1\n";
  AppendField(out, std::to_string(entry.seq));
  AppendField(out, std::to_string(entry.at));
  AppendField(out, entry.record.actor);
  AppendField(out, entry.record.actor_agency);
  AppendField(out, entry.record.action);
  AppendField(out, entry.record.subject_id);
  AppendField(out, entry.record.justification);
  AppendField(out, entry.record.on_behalf_of);
  AppendField(out, entry.record.details_json);
  AppendField(out, entry.prev_hash);
  return out;
}

std::string ComputeAuditHash(const AuditEntry& entry) {
  static const int kSodiumReady = sodium_init();
  ENTENTE_CHECK(kSodiumReady >= 0);
  const std::string bytes = CanonicalAuditBytes(entry);
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), 64);
}

std::vector<std::string> DisclosedSubjects(std::string_view details_json) {
  std::vector<std::string> out;
  if (details_json.find("\"hits\"") == std::string_view::npos) return out;
  const nlohmann::json details = ParseJsonOrDiscarded(details_json);
  if (!details.is_object()) return out;
  const auto hits = details.find("hits");
  if (hits == details.end() || !hits->is_array()) return out;
  for (const nlohmann::json& hit : *hits) {
    if (!hit.is_object()) continue;
    const auto subject = hit.find("subject");
    if (subject == hit.end() || !subject->is_string()) continue;
    const std::string& id = subject->get_ref<const std::string&>();
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

}  // namespace entente::store
