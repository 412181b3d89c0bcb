// The exchange with partners from the command line (docs/federation.md):
//   entente node keys --dir D [--out FILE]         this node's public keys, for partners
//   entente node rotate-keys --dir D [--grace-days N | --status | --activate [--force]]
//   entente partner add|list|remove --dir D ...    the partner registry (administrators)
//   entente send --dir D --to AGENCY ... --justification TEXT
//   entente cases --dir D | entente message --dir D --id ID --justification TEXT
//   entente ack MESSAGE --dir D
//   entente outbox --dir D [--requeue SEQ] | entente deliver --dir D
//   entente notices --dir D [--sweep] | entente stats --dir D

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/listing.h"
#include "cli/node_access.h"
#include "cli/session.h"
#include "common/json.h"
#include "common/private_files.h"
#include "common/time_format.h"
#include "federation/crypto.h"
#include "federation/delivery.h"
#include "federation/https_transport.h"
#include "federation/key_rotation.h"
#include "federation/keys.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "service/exchange.h"
#include "service/exchange_stats.h"
#include "service/key_rotation.h"
#include "service/release_notices.h"

namespace entente::cli {
namespace {

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// ---- node keys --------------------------------------------------------------------------------

struct KeysOptions {
  NodeOptions common;
  std::string out;
};

int RunNodeKeys(const KeysOptions& o) {
  const service::NodePaths paths(o.common.dir);
  auto config = service::LoadNodeConfig(paths);
  if (!config.ok()) return ReportFailure(config.status());
  auto keys = service::LoadNodeKeys(paths, *config);
  if (!keys.ok()) return ReportFailure(keys.status());
  federation::PublicKeys pub;
  pub.country = config->country;
  pub.url = config->FederationUrl();
  pub.sign_public_key = federation::Base64Encode(keys->sign_public);
  pub.box_public_key = federation::Base64Encode(keys->box_public);
  pub.tls_certificate = keys->tls_certificate;
  pub.tls_fingerprint = *federation::CertificateFingerprint(keys->tls_certificate);
  const std::string text = federation::PublicKeysToJson(pub);
  if (o.out.empty()) {
    std::cout << text;
    return 0;
  }
  std::ofstream out(o.out, std::ios::trunc);
  out << text;
  if (!out) return ReportFailure(IoError(o.out + ": cannot be written"));
  std::cerr << "entente: public keys of " << config->country << " written to " << o.out << "\n";
  return 0;
}

// ---- node rotate-keys ------------------------------------------------------------------------

struct RotateOptions {
  NodeOptions common;
  int grace_days = federation::kDefaultGraceDays;
  bool activate = false;
  bool force = false;
  bool status = false;
};

void PrintProgress(const service::KeyRotationProgress& progress) {
  std::cout << "key rotation announced " << FormatIsoTime(progress.plan.announced_at)
            << " (grace period " << progress.plan.grace_days << " days)\n"
            << "  next signing key  " << progress.plan.signing_public_key << "\n"
            << "  next certificate  SHA-256 " << progress.plan.tls_fingerprint << "\n";
  for (const std::string& country : progress.acknowledged) {
    std::cout << "  " << country << "  acknowledged\n";
  }
  for (const std::string& pending : progress.pending) std::cout << "  " << pending << "\n";
}

int RunRotateKeys(const RotateOptions& o) {
  auto session = OpenSession(o.common, true);
  if (!session.ok()) return ReportFailure(session.status());
  if (Status s = service::CheckNodeAdministration(session->caller); !s.ok()) {
    return ReportFailure(s);
  }
  const service::NodePaths& paths = session->node->paths;
  store::Store& store = *session->node->store;
  if (o.status) {
    auto progress = service::GetKeyRotationProgress(paths, store);
    if (!progress.ok()) return ReportFailure(progress.status());
    PrintProgress(*progress);
    return 0;
  }
  if (o.activate) {
    auto former = service::ActivateKeyRotation(paths, store, o.force, SystemClock());
    if (!former.ok()) return ReportFailure(former.status());
    std::cout << "the node now holds its new keys; restart `entente serve` (every replica) to "
                 "use them\n"
              << "  former keys accepted by partners and kept to open what they sealed until "
              << FormatIsoTime(former->until) << "\n";
    return 0;
  }
  auto plan =
      service::AnnounceKeyRotation(paths, store, *session->keys, o.grace_days, SystemClock());
  if (!plan.ok()) return ReportFailure(plan.status());
  std::cout << "new keys written to " << paths.next_keys << " and announced to "
            << plan->messages.size() << " partner(s)\n"
            << "  next signing key  " << plan->signing_public_key << "\n"
            << "  next certificate  SHA-256 " << plan->tls_fingerprint << "\n"
            << "once every partner has acknowledged (`entente node rotate-keys --status`), run "
               "`entente node rotate-keys --activate` and restart the node\n";
  return 0;
}

// ---- partner -----------------------------------------------------------------------------------

struct PartnerOptions {
  NodeOptions common;
  std::string keys_file;
  std::string country;
  std::string url;
  std::string rules_file;
  std::string mode;
  std::string categories;
  std::string max_handling;
  std::string legal_basis;
  std::string legal_reference;
  int notice_days = -1;
  bool minors = false;
  bool onward_free = false;
};

int RunPartnerAdd(const PartnerOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  auto text = ReadWholeFile(o.keys_file);
  if (!text.ok()) return ReportFailure(text.status());
  auto keys = federation::ParsePublicKeys(*text, o.keys_file);
  if (!keys.ok()) return ReportFailure(keys.status());
  if (!o.country.empty() && o.country != keys->country) {
    return ReportFailure(InvalidArgument("--country " + o.country + ": " + o.keys_file +
                                         " holds the keys of " + keys->country));
  }
  if (keys->country == session->node->config.country) {
    return ReportFailure(InvalidArgument(o.keys_file + ": these are this node's own keys"));
  }
  nlohmann::json rules_json = nlohmann::json::object();
  if (!o.rules_file.empty()) {
    auto rules_text = ReadWholeFile(o.rules_file);
    if (!rules_text.ok()) return ReportFailure(rules_text.status());
    rules_json = ParseJsonOrDiscarded(*rules_text);
    if (rules_json.is_discarded()) {
      return ReportFailure(InvalidArgument(o.rules_file + ": not valid JSON"));
    }
  }
  if (!o.mode.empty()) rules_json["mode"] = o.mode;
  if (!o.categories.empty()) rules_json["categories"] = SplitComma(o.categories);
  if (!o.max_handling.empty()) rules_json["max_handling_code"] = o.max_handling;
  if (!o.legal_basis.empty()) rules_json["legal_basis"] = o.legal_basis;
  if (!o.legal_reference.empty()) rules_json["legal_basis_reference"] = o.legal_reference;
  if (o.notice_days >= 0) rules_json["release_notice_days"] = o.notice_days;
  if (o.minors) rules_json["minors_consultations"] = true;
  if (o.onward_free) rules_json["onward_transfer_needs_authorisation"] = false;
  auto rules = federation::SharingRulesFromJson(
      rules_json, o.rules_file.empty() ? "sharing rules" : o.rules_file);
  if (!rules.ok()) return ReportFailure(rules.status());
  auto record = federation::PartnerRecord(*keys, o.url, *rules);
  if (!record.ok()) return ReportFailure(record.status());
  Status status = service::RegisterPartner(*session->node->store, session->caller, *record);
  if (!status.ok()) return ReportFailure(status);
  std::cout << "partner " << record->country << " at " << record->url << " ("
            << policy::LegalBasisName(rules->legal_basis) << ", "
            << policy::SharingModeName(rules->mode) << ", certificate " << record->tls_fingerprint
            << ")\n";
  return 0;
}

int RunPartnerList(const NodeOptions& c) {
  auto session = OpenSession(c, false);
  if (!session.ok()) return ReportFailure(session.status());
  if (Status s = service::CheckNodeAdministration(session->caller); !s.ok()) {
    return ReportFailure(s);
  }
  auto partners = session->node->store->partners().List();
  if (!partners.ok()) return ReportFailure(partners.status());
  Listing listing({{"country"},
                   {"url"},
                   {"mode"},
                   {"legal_basis"},
                   {"updated"},
                   {"tls_fingerprint", 20},
                   {"keys", 30},
                   {"rules", 60}});
  for (const store::Partner& p : *partners) {
    const nlohmann::json rules = ParseJsonOrDiscarded(p.rules_json);
    listing.Add({p.country, p.url, rules.value("mode", ""), rules.value("legal_basis", ""),
                 TimeCell(p.updated_at), p.tls_fingerprint, federation::DescribeKeyRotation(p),
                 rules});
  }
  listing.Print(std::cout, session->format);
  return 0;
}

int RunPartnerRemove(const PartnerOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  Status status = service::RemovePartner(*session->node->store, session->caller, o.country);
  if (!status.ok()) return ReportFailure(status);
  std::cout << "partner " << o.country << " removed\n";
  return 0;
}

// ---- send ---------------------------------------------------------------------------------------

struct SendOptions {
  NodeOptions common;
  std::vector<std::string> to;
  std::string type = "spontaneous";
  std::string body;
  std::vector<std::string> subjects;
  bool records = false;
  std::string deadline;
  std::string case_id;
  std::string reply_to;
  std::string priority = "routine";
  std::string handling = "H0";
  std::string restriction;
  bool provider_permission = false;
  bool originator_authorised = false;
  bool minors = false;
};

int RunSend(const SendOptions& o) {
  auto session = OpenSession(o.common, true);
  if (!session.ok()) return ReportFailure(session.status());
  service::MessageDraft d;
  auto type = federation::ParseMessageType(o.type);
  if (!type) return ReportFailure(InvalidArgument("--type " + o.type + ": unknown message type"));
  d.type = *type;
  auto priority = federation::ParsePriority(o.priority);
  if (!priority) return ReportFailure(InvalidArgument("--priority: routine, urgent or immediate"));
  d.priority = *priority;
  auto handling = model::ParseHandlingCode(o.handling);
  if (!handling) return ReportFailure(InvalidArgument("--handling: H0, H1, H2 or H3"));
  d.handling_code = *handling;
  d.handling_restriction = o.restriction;
  d.recipients = o.to;
  d.body = o.body;
  d.subject_ids = o.subjects;
  d.include_records = o.records;
  d.deadline = o.deadline;
  d.case_id = o.case_id;
  d.in_reply_to = o.reply_to;
  d.provider_permission = o.provider_permission;
  d.originator_authorised = o.originator_authorised;
  d.minors = o.minors;
  auto sent = service::SendMessage(*session->node->store, session->exchange, session->caller, d);
  if (!sent.ok()) return ReportFailure(sent.status());
  std::cout << "message " << sent->id << " in case " << sent->case_id << " queued for";
  for (const std::string& c : sent->countries) std::cout << " " << c;
  std::cout << "\n";
  if (sent->not_for_judicial_use) {
    std::cout << "H1: not to be used in judicial proceedings without the provider's permission\n";
  }
  return 0;
}

// ---- cases, message
// ------------------------------------------------------------------------------

int RunCases(const NodeOptions& c) {
  auto session = OpenSession(c, false);
  if (!session.ok()) return ReportFailure(session.status());
  auto cases = service::ListCases(*session->node->store, session->caller, 1000);
  if (!cases.ok()) return ReportFailure(cases.status());
  Listing listing(
      {{"case_id", 0}, {"opened_by"}, {"messages"}, {"first"}, {"last"}, {"minors"}, {"overdue"}});
  for (const service::CaseListing& l : *cases) {
    listing.Add({l.summary.case_id, l.summary.first_type, l.summary.messages,
                 TimeCell(l.summary.first_at), TimeCell(l.summary.last_at), l.summary.minors,
                 static_cast<int64_t>(l.overdue_message_ids.size())});
  }
  listing.Print(std::cout, session->format);
  return 0;
}

struct MessageOptions {
  NodeOptions common;
  std::string id;
  std::string case_id;
};

// A message as fields and values (table and csv), or its JSON document (json).
void PrintMessage(const federation::Message& m, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    std::cout << DumpJson(federation::MessageToJson(m), 2) << "\n";
    return;
  }
  Listing listing({{"field"}, {"value", 0}});
  auto add = [&](const char* field, nlohmann::json value) {
    if (value.is_string() && value.get<std::string>().empty()) return;
    listing.Add({field, std::move(value)});
  };
  std::string recipients, subjects;
  for (const std::string& r : m.recipients) recipients += (recipients.empty() ? "" : ", ") + r;
  for (const federation::SubjectRef& r : m.subjects) {
    subjects +=
        (subjects.empty() ? "" : ", ") + r.ref + (r.owner.empty() ? "" : " (" + r.owner + ")");
  }
  add("id", m.id);
  add("type", std::string(federation::MessageTypeName(m.type)));
  add("case_id", m.case_id);
  add("in_reply_to", m.in_reply_to);
  add("from", m.sender);
  add("to", recipients);
  add("created", TimeCell(m.created_at));
  add("priority", std::string(federation::PriorityName(m.priority)));
  add("deadline", m.deadline);
  add("handling", std::string(model::HandlingCodeName(m.handling_code)));
  add("restriction", m.handling_restriction);
  if (m.not_for_judicial_use) add("judicial_use", "not without the provider's permission (H1)");
  if (m.minors) add("minors", "part of a minors' case");
  add("subjects", subjects);
  if (!m.entities.empty()) add("records", static_cast<int64_t>(m.entities.size()));
  add("event", m.event_kind.empty() ? "" : m.event_kind + " on " + m.event_date);
  add("hit", m.hit_id);
  add("body", m.body);
  listing.Print(std::cout, format);
}

int RunMessage(const MessageOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  if (o.id.empty() == o.case_id.empty()) return UsageError("give one of --id and --case-id");
  if (!o.case_id.empty()) {
    auto thread = service::ReadCase(*session->node->store, session->caller, o.case_id);
    if (!thread.ok()) return ReportFailure(thread.status());
    if (session->format == OutputFormat::kJson) {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& v : *thread) all.push_back(federation::MessageToJson(v.message));
      std::cout << DumpJson(all, 2) << "\n";
      return 0;
    }
    Listing listing({{"id", 0}, {"created"}, {"type"}, {"from"}, {"to"}, {"body", 60}});
    for (const auto& v : *thread) {
      const federation::Message& m = v.message;
      std::string to;
      for (const std::string& r : m.recipients) to += (to.empty() ? "" : ", ") + r;
      listing.Add({m.id, TimeCell(m.created_at), std::string(federation::MessageTypeName(m.type)),
                   m.sender, to, m.body});
    }
    listing.Print(std::cout, session->format);
    return 0;
  }
  auto view = service::ReadMessage(*session->node->store, session->caller, o.id);
  if (!view.ok()) return ReportFailure(view.status());
  PrintMessage(view->message, session->format);
  return 0;
}

struct AckOptions {
  NodeOptions common;
  std::string message_id;
};

int RunAck(const AckOptions& o) {
  auto session = OpenSession(o.common, true);
  if (!session.ok()) return ReportFailure(session.status());
  auto sent =
      service::Acknowledge(*session->node->store, session->exchange, session->caller, o.message_id);
  if (!sent.ok()) return ReportFailure(sent.status());
  std::cout << "acknowledgement " << sent->id << " of " << o.message_id << " queued for";
  for (const std::string& c : sent->countries) std::cout << " " << c;
  std::cout << "\n";
  return 0;
}

// ---- outbox, deliver
// ------------------------------------------------------------------------------

struct OutboxOptions {
  NodeOptions common;
  int64_t requeue = 0;
};

int RunOutbox(const OutboxOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  const policy::Role role = session->caller.principal.role;
  if (role != policy::Role::kAdministrator && role != policy::Role::kSupervisor) {
    return ReportFailure(PermissionDenied("the outbox is for administrators and supervisors"));
  }
  store::Store& store = *session->node->store;
  if (o.requeue > 0) {
    const service::ExchangeContext exchange{nullptr, &SystemClock(), {}};
    const Status status = service::RequeueOutboxEntry(store, exchange, session->caller, o.requeue);
    if (!status.ok()) return ReportFailure(status);
    std::cout << "outbox entry " << o.requeue << " requeued\n";
    return 0;
  }
  auto counts = store.outbox().Count();
  if (!counts.ok()) return ReportFailure(counts.status());
  const int64_t now = SystemClock().NowMicros();
  store::OutboxQuery failed;
  failed.state = store::OutboxState::kFailed;
  failed.limit = 1000;
  auto entries = store.outbox().List(failed);
  if (!entries.ok()) return ReportFailure(entries.status());
  // One row per queue and state, then one per message refused for good (to requeue by seq).
  Listing listing({{"recipient"},
                   {"state"},
                   {"count"},
                   {"oldest"},
                   {"seq"},
                   {"message_id", 0},
                   {"problem", 60}});
  for (const store::OutboxCount& c : *counts) {
    const bool stalled = c.state == store::OutboxState::kPending &&
                         now - c.oldest_created_at > federation::kUndeliveredAfterMicros;
    listing.Add(
        {c.recipient, std::string(store::OutboxStateName(c.state)), c.count,
         TimeCell(c.oldest_created_at), nullptr, nullptr,
         stalled ? nlohmann::json("stalled: the oldest has waited " +
                                  std::to_string((now - c.oldest_created_at) / 60'000'000) + " min")
                 : nlohmann::json(nullptr)});
  }
  for (const store::OutboxEntry& e : *entries) {
    listing.Add({e.recipient, "failed", nullptr, TimeCell(e.created_at), e.seq, e.message_id,
                 e.last_error});
  }
  listing.Print(std::cout, session->format);
  return 0;
}

int RunDeliver(const NodeOptions& c) {
  auto session = OpenSession(c, true);
  if (!session.ok()) return ReportFailure(session.status());
  federation::HttpsTransport transport(*session->keys);
  federation::Deliverer deliverer(*session->node->store, *session->keys, transport, SystemClock());
  int delivered = 0, failed = 0, given_up = 0;
  while (true) {
    auto pass = deliverer.RunOnce();
    if (!pass.ok()) return ReportFailure(pass.status());
    delivered += pass->delivered;
    failed += pass->failed_attempts;
    given_up += pass->given_up;
    if (pass->delivered == 0) break;
  }
  std::cout << delivered << " delivered, " << failed << " failed attempts, " << given_up
            << " refused for good\n";
  return 0;
}

// ---- notices, stats
// ---------------------------------------------------------------------------------

struct NoticesOptions {
  NodeOptions common;
  bool sweep = false;
};

int RunNotices(const NoticesOptions& o) {
  auto session = OpenSession(o.common, o.sweep);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  if (o.sweep) {
    auto sweep =
        service::SendReleaseNotices(store, session->exchange, session->caller.context.today);
    if (!sweep.ok()) return ReportFailure(sweep.status());
    std::cout << sweep->sent << " notices queued, " << sweep->already_sent << " already sent, "
              << sweep->withheld.size() << " withheld\n";
    for (const std::string& w : sweep->withheld) std::cout << "withheld\t" << w << "\n";
  }
  auto notices = store.notices().List(false, 10000);
  if (!notices.ok()) return ReportFailure(notices.status());
  Listing listing({{"event_date"},
                   {"event"},
                   {"subject_id"},
                   {"partner"},
                   {"message_id", 0},
                   {"acknowledged"},
                   {"acknowledged_by"}});
  for (const store::ReleaseNotice& n : *notices) {
    listing.Add(
        {n.event_date, n.event_kind, n.subject_id, n.partner, n.message_id,
         TimeCell(n.acknowledged_at),
         n.acknowledged_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.acknowledged_by)});
  }
  listing.Print(std::cout, session->format);
  return 0;
}

struct StatsOptions {
  NodeOptions common;
  bool response_times = false;
};

int RunStats(const StatsOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  auto stats = service::ComputeExchangeStats(*session->node->store, 0, 0);
  if (!stats.ok()) return ReportFailure(stats.status());
  if (!o.response_times) {
    Listing listing({{"from"}, {"to"}, {"month"}, {"type"}, {"count"}});
    for (const auto& e : stats->counts) listing.Add({e.from, e.to, e.month, e.type, e.count});
    listing.Print(std::cout, session->format);
  } else {
    Listing listing({{"asker"}, {"answerer"}, {"answered"}, {"median_hours"}, {"p90_hours"}});
    for (const auto& r : stats->response_times) {
      listing.Add({r.asker, r.answerer, r.answered, std::round(r.median_hours * 10) / 10,
                   std::round(r.p90_hours * 10) / 10});
    }
    listing.Print(std::cout, session->format);
  }
  std::cerr << "entente: " << stats->messages
            << " messages; hit notifications: " << stats->hit_notifications_sent << " sent, "
            << stats->hit_notifications_received << " received\n";
  return 0;
}

}  // namespace

void AddExchangeCommands(CLI::App& app, int* exit_code) {
  if (CLI::App* node = app.get_subcommand("node"); node != nullptr) {
    auto o = std::make_shared<KeysOptions>();
    CLI::App* keys =
        node->add_subcommand("keys", "Print this node's public keys and certificate for partners");
    keys->add_option("--dir", o->common.dir, "the node's directory")->required();
    keys->add_option("--out", o->out, "write them to this file");
    keys->callback([o, exit_code] { *exit_code = RunNodeKeys(*o); });

    auto r = std::make_shared<RotateOptions>();
    CLI::App* rotate = node->add_subcommand(
        "rotate-keys",
        "Renew the node's signing, sealing and TLS keys: announce new keys to every partner, then "
        "--activate them once all have acknowledged (administrators)");
    AddNodeOptions(rotate, &r->common, 0);
    rotate
        ->add_option("--grace-days", r->grace_days,
                     "days partners keep accepting the current keys after the switch (30)")
        ->check(CLI::Range(1, federation::kMaxGraceDays));
    CLI::Option* activate =
        rotate->add_flag("--activate", r->activate, "switch to the announced keys");
    rotate
        ->add_flag("--force", r->force,
                   "with --activate: switch even if some partners have not acknowledged")
        ->needs(activate);
    rotate->add_flag("--status", r->status, "which partners have acknowledged the new keys")
        ->excludes(activate);
    rotate->callback([r, exit_code] { *exit_code = RunRotateKeys(*r); });
  }
  {
    CLI::App* partner = app.add_subcommand("partner", "The partner registry (administrators)");
    partner->require_subcommand(1);
    auto add_o = std::make_shared<PartnerOptions>();
    CLI::App* add = partner->add_subcommand("add", "Register (or update) a partner country");
    AddNodeOptions(add, &add_o->common, kJustified);
    add->add_option("--keys", add_o->keys_file, "the partner's `entente node keys` file")
        ->required();
    add->add_option("--country", add_o->country, "its country (checked against the keys)");
    add->add_option("--url", add_o->url, "https://HOST:PORT of its federation endpoint");
    add->add_option("--rules", add_o->rules_file, "sharing rules as JSON (docs/federation.md)");
    add->add_option("--mode", add_o->mode, "plaintext or hit_no_hit");
    add->add_option("--categories", add_o->categories, "categories shared, comma-separated");
    add->add_option("--max-handling", add_o->max_handling, "highest code sent freely (H0..H3)");
    add->add_option("--legal-basis", add_o->legal_basis,
                    "eu_partner, adequacy_decision, appropriate_safeguards or derogation");
    add->add_option("--legal-reference", add_o->legal_reference, "the instrument relied on");
    add->add_option("--notice-days", add_o->notice_days, "release notice period in days");
    add->add_flag("--minors-consultations", add_o->minors, "takes part in minors' consultations");
    add->add_flag("--no-onward-authorisation", add_o->onward_free,
                  "data it provides may go on to third states without asking it");
    add->callback([add_o, exit_code] { *exit_code = RunPartnerAdd(*add_o); });
    auto list_o = std::make_shared<NodeOptions>();
    CLI::App* list = partner->add_subcommand("list", "List the partners");
    AddNodeOptions(list, list_o.get(), kListing);
    list->callback([list_o, exit_code] { *exit_code = RunPartnerList(*list_o); });
    auto rm_o = std::make_shared<PartnerOptions>();
    CLI::App* rm = partner->add_subcommand("remove", "Remove a partner");
    AddNodeOptions(rm, &rm_o->common, kJustified);
    rm->add_option("--country", rm_o->country, "its country")->required();
    rm->callback([rm_o, exit_code] { *exit_code = RunPartnerRemove(*rm_o); });
  }
  {
    auto o = std::make_shared<SendOptions>();
    CLI::App* send = app.add_subcommand("send", "Send a message to partner agencies");
    AddNodeOptions(send, &o->common, kJustified);
    send->add_option("--to", o->to, "recipient agency CC/kind (repeat for several)")->required();
    send->add_option("--type", o->type, "request, reply, spontaneous, alert, consultation, ...")
        ->capture_default_str();
    send->add_option("--body", o->body, "the text");
    send->add_option("--subject", o->subjects, "a subject of this register (repeat)");
    send->add_flag("--records", o->records, "send the subjects' records, not only references");
    send->add_option("--deadline", o->deadline, "YYYY-MM-DD for the answer");
    send->add_option("--case-id", o->case_id, "an open case of the exchange to add to (case-...)");
    send->add_option("--reply-to", o->reply_to, "the received message answered");
    send->add_option("--priority", o->priority, "routine, urgent or immediate")
        ->capture_default_str();
    send->add_option("--handling", o->handling, "H0..H3 of the message")->capture_default_str();
    send->add_option("--restriction", o->restriction, "the H3 restriction in words");
    send->add_flag("--provider-permission", o->provider_permission,
                   "the provider allowed sending these records (H2, H3)");
    send->add_flag("--originator-authorised", o->originator_authorised,
                   "the originating state authorised this onward transfer");
    send->add_flag("--minors", o->minors, "part of a minors' case");
    send->callback([o, exit_code] { *exit_code = RunSend(*o); });
  }
  {
    auto o = std::make_shared<NodeOptions>();
    CLI::App* cases = app.add_subcommand("cases", "The node's cases and overdue answers");
    AddNodeOptions(cases, o.get(), kListing);
    cases->callback([o, exit_code] { *exit_code = RunCases(*o); });
  }
  {
    auto o = std::make_shared<MessageOptions>();
    CLI::App* message = app.add_subcommand("message", "Read a message, or a case's messages");
    AddNodeOptions(message, &o->common, kJustified | kListing);
    message->add_option("--id", o->id, "the message (msg-...)");
    message->add_option("--case-id", o->case_id, "every message of this case (case-...)");
    message->callback([o, exit_code] { *exit_code = RunMessage(*o); });
  }
  {
    auto o = std::make_shared<AckOptions>();
    CLI::App* ack = app.add_subcommand("ack", "Acknowledge a received release notice or alert");
    AddNodeOptions(ack, &o->common, kJustified);
    ack->add_option("message", o->message_id, "the message acknowledged (msg-...)")->required();
    ack->callback([o, exit_code] { *exit_code = RunAck(*o); });
  }
  {
    auto o = std::make_shared<OutboxOptions>();
    CLI::App* outbox = app.add_subcommand("outbox", "Delivery queues; requeue a failed message");
    AddNodeOptions(outbox, &o->common, kListing);
    outbox->add_option("--requeue", o->requeue, "the outbox entry to send again");
    outbox->callback([o, exit_code] { *exit_code = RunOutbox(*o); });
    auto d = std::make_shared<NodeOptions>();
    CLI::App* deliver = app.add_subcommand(
        "deliver", "Deliver the outbox now (entente serve does it continuously)");
    AddNodeOptions(deliver, d.get(), 0);
    deliver->callback([d, exit_code] { *exit_code = RunDeliver(*d); });
  }
  {
    auto o = std::make_shared<NoticesOptions>();
    CLI::App* notices = app.add_subcommand("notices", "Release notices sent to partners");
    AddNodeOptions(notices, &o->common, kListing);
    notices->add_flag("--sweep", o->sweep, "notify partners of coming releases and leaves now");
    notices->callback([o, exit_code] { *exit_code = RunNotices(*o); });
    auto s = std::make_shared<StatsOptions>();
    CLI::App* stats = app.add_subcommand("stats", "Exchanges per country pair, month and type");
    AddNodeOptions(stats, &s->common, kListing);
    stats->add_flag(
        "--response-times", s->response_times,
        "answers' delays per pair of agencies instead (hours: median, 90th percentile)");
    stats->callback([s, exit_code] { *exit_code = RunStats(*s); });
  }
}

}  // namespace entente::cli
