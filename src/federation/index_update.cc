#include "federation/index_update.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "common/coding.h"
#include "common/json.h"
#include "federation/crypto.h"
#include "policy/principal.h"

namespace entente::federation {
namespace {

constexpr std::string_view kMagic{"ENTIDXU\0", 8};
// 2: codes whose traits range holds the country of residence in a span of its own (pprl
// bloom_code.h); a node reading 2 refuses 1, whose codes it would misread.
constexpr uint32_t kFormatVersion = 2;
constexpr uint32_t kFlagReset = 1;
constexpr uint32_t kFlagComplete = 2;
constexpr size_t kMaxTextBytes = 64;

bool IsHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string NewIndexReference() { return "ref-" + RandomHex(16); }

bool IsIndexReference(std::string_view text) {
  return text.size() == 36 && text.starts_with("ref-") && IsHex(text.substr(4));
}

std::string SerializeIndexUpdate(const IndexUpdate& u) {
  std::string out;
  out.reserve(64 + u.upserts.size() * (sizeof(pprl::BloomCode) + 64) + u.removals.size() * 40);
  ByteWriter w(&out);
  w.Raw(kMagic);
  w.U32(kFormatVersion);
  w.U32(u.key_version);
  w.U64(u.generation);
  w.U64(u.sequence);
  w.U32((u.reset ? kFlagReset : 0) | (u.complete ? kFlagComplete : 0));
  w.U32(static_cast<uint32_t>(u.upserts.size()));
  w.U32(static_cast<uint32_t>(u.removals.size()));
  for (const IndexEntryUpdate& e : u.upserts) {
    w.Text16(e.reference);
    w.Text16(e.owner);
    pprl::WriteCode(w, e.code);
  }
  for (const std::string& r : u.removals) w.Text16(r);
  return out;
}

Result<IndexUpdate> ParseIndexUpdate(std::string_view bytes) {
  if (bytes.size() > kMaxIndexUpdateBytes) {
    return InvalidArgument("index update: larger than " + std::to_string(kMaxIndexUpdateBytes) +
                           " bytes");
  }
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return InvalidArgument("index update: not an index update (magic)");
  }
  ByteReader r(bytes.substr(kMagic.size()), "index update");
  IndexUpdate u;
  uint32_t format = 0, flags = 0, upserts = 0, removals = 0;
  ENTENTE_RETURN_IF_ERROR(r.U32(&format, "format version"));
  if (format != kFormatVersion) {
    return InvalidArgument("index update: format version " + std::to_string(format) +
                           " (this node reads " + std::to_string(kFormatVersion) + ")");
  }
  ENTENTE_RETURN_IF_ERROR(r.U32(&u.key_version, "key version"));
  ENTENTE_RETURN_IF_ERROR(r.U64(&u.generation, "generation"));
  ENTENTE_RETURN_IF_ERROR(r.U64(&u.sequence, "sequence"));
  ENTENTE_RETURN_IF_ERROR(r.U32(&flags, "flags"));
  ENTENTE_RETURN_IF_ERROR(r.U32(&upserts, "upsert count"));
  ENTENTE_RETURN_IF_ERROR(r.U32(&removals, "removal count"));
  if ((flags & ~(kFlagReset | kFlagComplete)) != 0) {
    return InvalidArgument("index update: unknown flags " + std::to_string(flags));
  }
  u.reset = (flags & kFlagReset) != 0;
  u.complete = (flags & kFlagComplete) != 0;
  if (u.generation == 0) return InvalidArgument("index update: generation: must be at least 1");
  if (u.sequence == 0) return InvalidArgument("index update: sequence: must be at least 1");
  if (u.reset != (u.sequence == 1)) {
    return InvalidArgument("index update: sequence: a generation starts (reset) at sequence 1");
  }
  if (size_t{upserts} + removals > kMaxIndexUpdateEntries) {
    return InvalidArgument("index update: more than " + std::to_string(kMaxIndexUpdateEntries) +
                           " entries");
  }
  if (u.reset && removals > 0) {
    return InvalidArgument("index update: removals in the first update of a generation");
  }
  std::unordered_set<std::string> seen;
  u.upserts.resize(upserts);
  for (uint32_t i = 0; i < upserts; ++i) {
    const std::string what = "upserts[" + std::to_string(i) + "]";
    IndexEntryUpdate& e = u.upserts[i];
    ENTENTE_RETURN_IF_ERROR(r.Text16(&e.reference, what + ".reference", 1, kMaxTextBytes));
    if (!IsIndexReference(e.reference)) {
      return InvalidArgument("index update: " + what + ".reference: expected ref- and 32 hex");
    }
    ENTENTE_RETURN_IF_ERROR(r.Text16(&e.owner, what + ".owner", 1, kMaxTextBytes));
    auto owner = policy::AgencyId::Parse(e.owner);
    if (!owner.ok() || owner->ToString() != e.owner) {
      return InvalidArgument("index update: " + what + ".owner: expected an agency CC/kind");
    }
    ENTENTE_RETURN_IF_ERROR(pprl::ReadCode(r, &e.code, what + ".code"));
    if (!seen.insert(e.reference).second) {
      return InvalidArgument("index update: " + what + ".reference: named twice");
    }
  }
  u.removals.resize(removals);
  for (uint32_t i = 0; i < removals; ++i) {
    const std::string what = "removals[" + std::to_string(i) + "]";
    ENTENTE_RETURN_IF_ERROR(r.Text16(&u.removals[i], what, 1, kMaxTextBytes));
    if (!IsIndexReference(u.removals[i])) {
      return InvalidArgument("index update: " + what + ": expected ref- and 32 hex");
    }
    if (!seen.insert(u.removals[i]).second) {
      return InvalidArgument("index update: " + what + ": named twice");
    }
  }
  ENTENTE_RETURN_IF_ERROR(r.End());
  return u;
}

Result<pprl::EncodingKey> ParseEncodingKey(std::string_view text, std::string_view file) {
  const std::string where(file);
  nlohmann::json j = ParseJsonOrDiscarded(text);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidArgument(where + ": expected a JSON object {\"version\": N, \"secret\": base64}");
  }
  if (!j.contains("version") || !j["version"].is_number_unsigned() ||
      j["version"].get<uint64_t>() == 0 || j["version"].get<uint64_t>() > UINT32_MAX) {
    return InvalidArgument(where + ": version: expected a whole number from 1");
  }
  if (!j.contains("secret") || !j["secret"].is_string()) {
    return InvalidArgument(where + ": secret: expected base64 text");
  }
  ENTENTE_ASSIGN_OR_RETURN(std::string secret,
                           Base64Decode(j["secret"].get<std::string>(), where + ": secret"));
  pprl::EncodingKey key;
  if (secret.size() != key.secret.size()) {
    return InvalidArgument(where + ": secret: expected 32 bytes, got " +
                           std::to_string(secret.size()));
  }
  key.version = j["version"].get<uint32_t>();
  std::memcpy(key.secret.data(), secret.data(), secret.size());
  return key;
}

std::string EncodingKeyToJson(const pprl::EncodingKey& key) {
  const std::string secret(reinterpret_cast<const char*>(key.secret.data()), key.secret.size());
  return nlohmann::json{{"version", key.version}, {"secret", Base64Encode(secret)}}.dump(2) + "\n";
}

pprl::EncodingKey NewEncodingKey(uint32_t version) {
  pprl::EncodingKey key;
  key.version = version;
  randombytes_buf(key.secret.data(), key.secret.size());
  return key;
}

}  // namespace entente::federation
