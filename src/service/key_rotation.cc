#include "service/key_rotation.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/private_files.h"
#include "common/time_format.h"
#include "federation/crypto.h"
#include "federation/key_rotation.h"
#include "federation/message.h"
#include "federation/outbox.h"
#include "federation/partner.h"
#include "service/exchange_audit.h"
#include "service/node_setup.h"

namespace entente::service {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDayMicros = kMicrosPerDay;

std::string PlanPath(const NodePaths& paths) { return paths.next_keys + "/rotation.json"; }

Status SavePlan(const NodePaths& paths, const KeyRotationPlan& plan) {
  const nlohmann::json json = {{"country", plan.country},
                               {"grace_days", plan.grace_days},
                               {"announced_at", plan.announced_at},
                               {"signing_public_key", plan.signing_public_key},
                               {"tls_fingerprint", plan.tls_fingerprint},
                               {"messages", plan.messages},
                               {"activating", plan.activating}};
  return WritePrivateFile(PlanPath(paths), DumpJson(json, 2) + "\n");
}

Status SaveFormerKeys(const NodePaths& paths, const std::vector<FormerKeys>& former) {
  nlohmann::json list = nlohmann::json::array();
  for (const FormerKeys& f : former) {
    nlohmann::json entry = {{"signing_public_key", f.signing_public_key},
                            {"retired_at", f.retired_at},
                            {"until", f.until}};
    if (!f.box_secret.empty()) {
      entry["box_public_key"] = federation::Base64Encode(f.box_public);
      entry["box_secret_key"] = federation::Base64Encode(f.box_secret);
    }
    list.push_back(std::move(entry));
  }
  return WritePrivateFile(paths.former_keys, DumpJson(list, 2) + "\n");
}

// Renames `from` over `to` when `from` is still there (an interrupted activation resumes).
Status MoveIfThere(const std::string& from, const std::string& to) {
  std::error_code error;
  if (!fs::exists(from, error)) return Status::Ok();
  fs::rename(from, to, error);
  if (error) return IoError(from + " -> " + to + ": " + error.message());
  return Status::Ok();
}

}  // namespace

Result<std::vector<FormerKeys>> LoadFormerKeys(const NodePaths& paths) {
  std::vector<FormerKeys> out;
  if (!fs::exists(paths.former_keys)) return out;
  ENTENTE_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(paths.former_keys));
  const nlohmann::json json = ParseJsonOrDiscarded(text);
  if (json.is_discarded() || !json.is_array()) {
    return InvalidArgument(paths.former_keys + ": expected a JSON array");
  }
  for (size_t i = 0; i < json.size(); ++i) {
    const std::string where = paths.former_keys + ": [" + std::to_string(i) + "]";
    const nlohmann::json& e = json[i];
    if (!e.is_object() || !e.contains("signing_public_key") ||
        !e["signing_public_key"].is_string() || !e.contains("retired_at") ||
        !e["retired_at"].is_number_integer() || !e.contains("until") ||
        !e["until"].is_number_integer()) {
      return InvalidArgument(where + ": expected signing_public_key, retired_at and until");
    }
    FormerKeys f;
    f.signing_public_key = e["signing_public_key"].get<std::string>();
    f.retired_at = e["retired_at"].get<int64_t>();
    f.until = e["until"].get<int64_t>();
    if (e.contains("box_secret_key")) {
      if (!e["box_secret_key"].is_string() || !e.contains("box_public_key") ||
          !e["box_public_key"].is_string()) {
        return InvalidArgument(where + ": box_public_key and box_secret_key: expected text");
      }
      ENTENTE_ASSIGN_OR_RETURN(f.box_public,
                               federation::Base64Decode(e["box_public_key"].get<std::string>(),
                                                        where + ": box_public_key"));
      ENTENTE_ASSIGN_OR_RETURN(f.box_secret,
                               federation::Base64Decode(e["box_secret_key"].get<std::string>(),
                                                        where + ": box_secret_key"));
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<KeyRotationPlan> LoadKeyRotationPlan(const NodePaths& paths) {
  const std::string path = PlanPath(paths);
  if (!fs::exists(path)) {
    return NotFound(paths.dir + ": no key rotation in progress (start one with `entente node " +
                    "rotate-keys --dir " + paths.dir + "`)");
  }
  ENTENTE_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  const nlohmann::json json = ParseJsonOrDiscarded(text);
  if (json.is_discarded() || !json.is_object()) return InvalidArgument(path + ": not JSON");
  KeyRotationPlan plan;
  try {
    plan.country = json.at("country").get<std::string>();
    plan.grace_days = json.at("grace_days").get<int>();
    plan.announced_at = json.at("announced_at").get<int64_t>();
    plan.signing_public_key = json.at("signing_public_key").get<std::string>();
    plan.tls_fingerprint = json.at("tls_fingerprint").get<std::string>();
    plan.messages = json.at("messages").get<std::map<std::string, std::string>>();
    plan.activating = json.at("activating").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(path + ": " + e.what());
  }
  return plan;
}

Result<KeyRotationPlan> AnnounceKeyRotation(const NodePaths& paths, store::Store& store,
                                            const federation::NodeKeys& current, int grace_days,
                                            const Clock& clock) {
  if (grace_days < 1 || grace_days > federation::kMaxGraceDays) {
    return InvalidArgument("--grace-days: expected 1 to " +
                           std::to_string(federation::kMaxGraceDays) + " days");
  }
  if (fs::exists(paths.next_keys)) {
    return FailedPrecondition(paths.next_keys +
                              ": a key rotation is already in progress; activate it first "
                              "(`entente node rotate-keys --activate`)");
  }
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> partners, store.partners().List());
  if (partners.empty()) {
    return FailedPrecondition(
        "no partners to announce new keys to; renew the keys by "
        "creating the node anew");
  }
  const NodePaths next(paths.next_keys);
  ENTENTE_ASSIGN_OR_RETURN(GeneratedKeys generated, WriteNewNodeKeys(next, current.country, clock));
  KeyRotationPlan plan;
  Status status = [&]() -> Status {
    ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys next_keys,
                             federation::LoadNodeKeys(current.country, next.signing_key,
                                                      next.box_key, next.tls_cert, next.tls_key));
    federation::PublicKeys pub;
    pub.country = current.country;
    pub.sign_public_key = generated.signing_public_key;
    pub.box_public_key = generated.box_public_key;
    pub.tls_certificate = next_keys.tls_certificate;
    pub.tls_fingerprint = generated.tls_fingerprint;
    const std::string body = federation::KeyAnnouncementToJson(
        federation::MakeKeyAnnouncement(pub, grace_days, next_keys.sign_secret));
    const int64_t now = clock.NowMicros();
    plan.country = current.country;
    plan.grace_days = grace_days;
    plan.announced_at = now;
    plan.signing_public_key = generated.signing_public_key;
    plan.tls_fingerprint = generated.tls_fingerprint;
    ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
      plan.messages.clear();
      for (const store::Partner& partner : partners) {
        federation::Message m;
        m.id = federation::NewMessageId();
        m.type = federation::MessageType::kKeyRotation;
        m.case_id = federation::NewCaseId();
        m.sender = federation::NodeAgency(current.country);
        m.recipients = {federation::NodeAgency(partner.country)};
        m.priority = federation::Priority::kUrgent;
        m.created_at = now;
        ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo info, federation::DecodePartner(partner));
        m.legal_basis = {std::string(policy::LegalBasisName(info.rules.legal_basis)),
                         info.rules.legal_basis_reference};
        m.body = body;
        ENTENTE_RETURN_IF_ERROR(federation::PostMessage(txn, m, current, now).status());
        plan.messages[partner.country] = m.id;
      }
      return txn.audit().Append(
          SystemRecord("system:key-rotation", federation::NodeAgency(current.country),
                       "announce_key_rotation", "", "renewal of the node's federation keys",
                       nlohmann::json{{"partners", plan.messages},
                                      {"signing_public_key", plan.signing_public_key},
                                      {"tls_fingerprint", plan.tls_fingerprint},
                                      {"grace_days", grace_days}}));
    }));
    return SavePlan(paths, plan);
  }();
  if (!status.ok()) {
    // Nothing was sent unless the transaction committed; the keys go in any case if the plan
    // could not be written (a second announcement then starts afresh).
    std::error_code ignored;
    fs::remove_all(paths.next_keys, ignored);
    return status;
  }
  return plan;
}

Result<KeyRotationProgress> GetKeyRotationProgress(const NodePaths& paths,
                                                   const store::StoreReader& store) {
  KeyRotationProgress progress;
  ENTENTE_ASSIGN_OR_RETURN(progress.plan, LoadKeyRotationPlan(paths));
  for (const auto& [country, message_id] : progress.plan.messages) {
    store::OutboxQuery query;
    query.recipient = country;
    query.message_id = message_id;
    query.limit = 1;
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::OutboxEntry> entries, store.outbox().List(query));
    if (!entries.empty() && entries.front().state == store::OutboxState::kDelivered) {
      progress.acknowledged.push_back(country);
      continue;
    }
    std::string state = entries.empty()
                            ? "not in the outbox"
                            : std::string(store::OutboxStateName(entries.front().state));
    if (!entries.empty() && !entries.front().last_error.empty()) {
      state += ": " + entries.front().last_error;
    }
    std::string line = country;
    line.append(" (").append(state).append(")");
    progress.pending.push_back(std::move(line));
  }
  return progress;
}

Result<FormerKeys> ActivateKeyRotation(const NodePaths& paths, const store::StoreReader& store,
                                       bool force, const Clock& clock) {
  ENTENTE_ASSIGN_OR_RETURN(KeyRotationProgress progress, GetKeyRotationProgress(paths, store));
  KeyRotationPlan& plan = progress.plan;
  if (!progress.pending.empty() && !force && !plan.activating) {
    std::string list;
    for (const std::string& p : progress.pending) list += (list.empty() ? "" : ", ") + p;
    return FailedPrecondition("not every partner has acknowledged the new keys yet: " + list +
                              "; wait for delivery (`entente outbox`), or --force and give "
                              "them the new keys by hand");
  }
  ENTENTE_ASSIGN_OR_RETURN(std::vector<FormerKeys> former, LoadFormerKeys(paths));
  const int64_t now = clock.NowMicros();
  if (!plan.activating) {
    ENTENTE_ASSIGN_OR_RETURN(
        federation::NodeKeys current,
        federation::LoadNodeKeys(plan.country, paths.signing_key, paths.box_key, paths.tls_cert,
                                 paths.tls_key));
    for (FormerKeys& f : former) {
      if (f.until <= now) {  // past its grace period
        f.box_public.clear();
        f.box_secret.clear();
      }
    }
    FormerKeys retired;
    retired.signing_public_key = federation::Base64Encode(current.sign_public);
    retired.box_public = current.box_public;
    retired.box_secret = current.box_secret;
    retired.retired_at = now;
    retired.until = now + plan.grace_days * kDayMicros;
    former.push_back(std::move(retired));
    ENTENTE_RETURN_IF_ERROR(SaveFormerKeys(paths, former));
    plan.activating = true;
    ENTENTE_RETURN_IF_ERROR(SavePlan(paths, plan));
  }
  const NodePaths next(paths.next_keys);
  for (auto [from, to] :
       {std::pair{&next.signing_key, &paths.signing_key}, std::pair{&next.box_key, &paths.box_key},
        std::pair{&next.public_keys, &paths.public_keys}, std::pair{&next.tls_key, &paths.tls_key},
        std::pair{&next.tls_cert, &paths.tls_cert}}) {
    ENTENTE_RETURN_IF_ERROR(MoveIfThere(*from, *to));
  }
  std::error_code error;
  fs::remove_all(paths.next_keys, error);
  if (error) return IoError(paths.next_keys + ": " + error.message());
  return former.back();
}

}  // namespace entente::service
