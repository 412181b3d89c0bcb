// entente demo [--dir D] [--persons N] [--check]: four nodes (BE, FR, ES, MA) on localhost with
// synthetic registers and partner registries between them; plays a scenario (a request and its
// reply, a spontaneous exchange, a release notice and its acknowledgement, a minors'
// consultation), prints each node's API address and tokens, and serves until interrupted.
// --check plays the scenario and exits 0 only if every step succeeded.

#include <cctype>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/node_runtime.h"
#include "federation/crypto.h"
#include "federation/index_update.h"
#include "federation/partner.h"
#include "model/csv_writer.h"
#include "policy/sharing.h"
#include "policy/subject_facts.h"
#include "service/access.h"
#include "service/auth.h"
#include "service/exchange.h"
#include "service/exchange_stats.h"
#include "service/hit_no_hit.h"
#include "service/hits.h"
#include "service/import_export.h"
#include "service/node_setup.h"
#include "service/partner_screening.h"
#include "service/release_notices.h"
#include "synth/population.h"

namespace entente::cli {
namespace {

constexpr const char* kCountries[4] = {"BE", "FR", "ES", "MA"};

struct DemoOptions {
  std::string dir;
  uint64_t persons = 2000;
  uint64_t seed = 7;
  bool check = false;
};

// One country's node in the demo, and its users' tokens.
struct DemoNode {
  std::string country;
  std::string dir;
  std::string admin_token;
  service::IssuedUser analyst;     // CC/intelligence, designated for minors
  service::IssuedUser youth;       // CC/youth_protection, designated for minors
  service::IssuedUser supervisor;  // CC/intelligence
  std::unique_ptr<NodeRuntime> runtime;
};

service::Caller CallerOf(const DemoNode& node, const service::IssuedUser& user,
                         const std::string& why) {
  service::Caller c;
  c.principal = user.principal;
  c.context.node_country = node.country;
  c.context.today = policy::DayOfMicros(SystemClock().NowMicros());
  c.context.justification = why;
  c.context.case_reference = "DEMO-2026-001";
  return c;
}

policy::SharingRules RulesFor(const std::string& from, const std::string& to) {
  policy::SharingRules r;
  const bool third = from == "MA" || to == "MA";
  r.categories = {
      model::Category::kForeignTerroristFighter, model::Category::kReturnee,
      model::Category::kReturningMinor,          model::Category::kHomegrownTerroristFighter,
      model::Category::kHatePropagandist,        model::Category::kPotentiallyViolentExtremist,
      model::Category::kTerrorismConvict,        model::Category::kRadicalisedPrisoner};
  if (third) {
    r.mode = policy::SharingMode::kHitNoHitOnly;
    r.max_handling_code = model::HandlingCode::kH0;
    r.legal_basis = policy::LegalBasis::kAppropriateSafeguards;
    r.legal_basis_reference = "bilateral police cooperation agreement (synthetic demo text)";
    r.release_notice_days = 60;
    r.minors_consultations = false;
  } else {
    r.categories.push_back(model::Category::kWeaponsTrafficking);
    r.categories.push_back(model::Category::kDrugsTrafficking);
    r.mode = policy::SharingMode::kPlaintext;
    r.max_handling_code = model::HandlingCode::kH1;
    r.legal_basis = policy::LegalBasis::kEuPartner;
    r.legal_basis_reference = "Directive (EU) 2016/680; Council Decision 2005/671/JHA";
    r.release_notice_days = 90;
    r.minors_consultations = true;
  }
  return r;
}

// Creates, fills and starts one node.
Status SetUpNode(DemoNode& node, const std::string& register_csv,
                 const pprl::EncodingKey& encoding_key) {
  const service::NodePaths paths(node.dir);
  service::InitOptions init;
  init.listen = "127.0.0.1:0";
  ENTENTE_ASSIGN_OR_RETURN(service::NodeSummary summary,
                           service::InitNode(paths, node.country, init));
  node.admin_token = summary.admin_token;
  service::NodeConfig config = summary.config;
  config.federation_listen = "127.0.0.1:0";
  ENTENTE_RETURN_IF_ERROR(service::SaveNodeConfig(paths, config));
  const Clock& clock = SystemClock();
  {
    ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                             service::OpenNodeStore(paths, config, clock));
    service::Authenticator authenticator(*store, clock);
    ENTENTE_ASSIGN_OR_RETURN(policy::Principal admin, authenticator.Authenticate(node.admin_token));
    service::Caller caller;
    caller.principal = admin;
    caller.context.node_country = node.country;
    caller.context.today = policy::DayOfMicros(clock.NowMicros());
    caller.context.justification = "setting up the demonstration node";
    ENTENTE_ASSIGN_OR_RETURN(node.analyst,
                             service::AddUser(*store, caller,
                                              {node.country + "/intelligence", "analyst",
                                               "consult_and_feed", "minors"}));
    ENTENTE_ASSIGN_OR_RETURN(node.youth,
                             service::AddUser(*store, caller,
                                              {node.country + "/youth_protection", "analyst",
                                               "consult_and_feed", "minors"}));
    ENTENTE_ASSIGN_OR_RETURN(
        node.supervisor,
        service::AddUser(*store, caller,
                         {node.country + "/intelligence", "supervisor", "consult_and_feed", ""}));
    std::istringstream in(register_csv);
    service::ImportReport report;
    ENTENTE_RETURN_IF_ERROR(
        service::ImportSubjects(*store, caller, in, node.country + ".csv", {}, &report));
  }
  // The federation's encoding key, the same in every node (hit/no-hit).
  ENTENTE_RETURN_IF_ERROR(service::InstallEncodingKey(paths, encoding_key));
  RuntimeOptions runtime;
  runtime.dir = node.dir;
  runtime.publish_interval_micros = 0;  // the scenario publishes itself
  runtime.listen = "127.0.0.1:0";
  runtime.federation_listen = "127.0.0.1:0";
  runtime.threads = 8;
  runtime.notice_interval_micros = 0;  // the scenario sweeps itself
  runtime.delivery.poll_micros = 100'000;
  ENTENTE_ASSIGN_OR_RETURN(node.runtime, NodeRuntime::Start(runtime));
  return Status::Ok();
}

// Registers every node as a partner of every other, with its real address.
Status ConnectNodes(std::map<std::string, DemoNode>& nodes) {
  for (auto& [cc, node] : nodes) {
    const service::NodePaths paths(node.dir);
    ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                             service::LoadNodeKeys(paths, node.runtime->config()));
    federation::PublicKeys pub;
    pub.country = cc;
    pub.url = "https://127.0.0.1:" + std::to_string(node.runtime->federation_port());
    pub.sign_public_key = federation::Base64Encode(keys.sign_public);
    pub.box_public_key = federation::Base64Encode(keys.box_public);
    pub.tls_certificate = keys.tls_certificate;
    ENTENTE_ASSIGN_OR_RETURN(pub.tls_fingerprint,
                             federation::CertificateFingerprint(keys.tls_certificate));
    for (auto& [other, peer] : nodes) {
      if (other == cc) continue;
      ENTENTE_ASSIGN_OR_RETURN(store::Partner record,
                               federation::PartnerRecord(pub, "", RulesFor(other, cc)));
      ENTENTE_RETURN_IF_ERROR(peer.runtime->store().Write(
          [&](store::WriteTxn& t) { return t.partners().Put(record); }));
    }
  }
  return Status::Ok();
}

// Waits up to 20 s for `node` to hold the received message `id`.
bool Arrived(DemoNode& node, const std::string& id) {
  for (int i = 0; i < 400; ++i) {
    if (node.runtime->store().messages().Get(id, store::MessageDirection::kIn).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A subject of `node`'s register owned by `owner` that is an adult in a shared category, H0/H1.
Result<store::Subject> PickSubject(DemoNode& node, const std::string& owner) {
  const model::PartialDate today = policy::DayOfMicros(SystemClock().NowMicros());
  std::string after;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(store::SubjectPage page,
                             node.runtime->store().subjects().List(after, 500));
    for (store::Subject& s : page.subjects) {
      if (s.owner_agency != owner || s.state != store::SubjectState::kActive) continue;
      auto facts = policy::SubjectFactsFromEntity(s.entity);
      if (!facts.ok() || policy::IsMinorOn(*facts, today)) continue;
      if (facts->handling_code > model::HandlingCode::kH1) continue;
      const auto& categories = facts->categories;
      if (std::find(categories.begin(), categories.end(), model::Category::kTerrorismConvict) !=
          categories.end()) {
        return std::move(s);
      }
    }
    if (page.next_after.empty()) return NotFound("no suitable subject owned by " + owner);
    after = page.next_after;
  }
}

// Writes a subject as `caller` (audited like any write).
Status PutSubject(DemoNode& node, const service::Caller& caller, const model::Entity& entity) {
  ENTENTE_ASSIGN_OR_RETURN(policy::SubjectFacts facts, policy::SubjectFactsFromEntity(entity));
  service::Access access{policy::Action::kWriteSubject, entity.id, &facts};
  return service::RunAudited(node.runtime->store(), caller, access,
                             [&](store::WriteTxn& txn, const policy::Decision&) {
                               return txn.subjects().Put(entity).status();
                             });
}

class Scenario {
 public:
  explicit Scenario(std::map<std::string, DemoNode>& nodes) : nodes_(nodes) {}

  bool Step(const std::string& what, const std::function<Status()>& step) {
    const Status status = step();
    std::cout << (status.ok() ? "  ok    " : "  FAIL  ") << what;
    if (!status.ok()) std::cout << ": " << status.message();
    std::cout << std::endl;
    ok_ = ok_ && status.ok();
    return status.ok();
  }
  bool ok() const { return ok_; }

  void Play() {
    DemoNode& be = nodes_.at("BE");
    DemoNode& fr = nodes_.at("FR");
    DemoNode& es = nodes_.at("ES");
    DemoNode& ma = nodes_.at("MA");
    const model::PartialDate today = policy::DayOfMicros(SystemClock().NowMicros());
    std::string request_id, case_id;
    std::cout << "Scenario:" << std::endl;
    Step("BE asks FR about a convicted returnee (request with the record, EU partner)", [&] {
      ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, PickSubject(be, "BE/intelligence"));
      service::MessageDraft d;
      d.type = federation::MessageType::kRequest;
      d.recipients = {"FR/intelligence"};
      d.deadline = model::PartialDate::FromEpochDays(today.ToEpochDays() + 5).ToString();
      d.subject_ids = {subject.entity.id};
      d.include_records = true;
      d.priority = federation::Priority::kUrgent;
      d.body = "Travel to Syria in 2014-2015 suspected. Any record of entries or contacts?";
      ENTENTE_ASSIGN_OR_RETURN(
          service::SentMessage sent,
          service::SendMessage(be.runtime->store(), *be.runtime->exchange(),
                               CallerOf(be, be.analyst, "joint assessment of a returnee's travel"),
                               d));
      request_id = sent.id;
      case_id = sent.case_id;
      return Arrived(fr, request_id) ? Status::Ok() : IoError("FR did not receive it");
    });
    Step("FR reads the request and replies; BE's case holds both", [&] {
      const service::Caller fr_caller =
          CallerOf(fr, fr.analyst, "answering Belgium's request on a returnee");
      ENTENTE_ASSIGN_OR_RETURN(service::MessageView view,
                               service::ReadMessage(fr.runtime->store(), fr_caller, request_id));
      service::MessageDraft d;
      d.type = federation::MessageType::kReply;
      d.in_reply_to = request_id;
      d.recipients = {view.message.sender};
      d.body = "Entry at Istanbul airport recorded; no further record in France.";
      ENTENTE_ASSIGN_OR_RETURN(
          service::SentMessage reply,
          service::SendMessage(fr.runtime->store(), *fr.runtime->exchange(), fr_caller, d));
      if (!Arrived(be, reply.id)) return IoError("BE did not receive the reply");
      ENTENTE_ASSIGN_OR_RETURN(
          std::vector<service::MessageView> thread,
          service::ReadCase(be.runtime->store(),
                            CallerOf(be, be.analyst, "joint assessment of a returnee's travel"),
                            case_id));
      if (thread.size() != 2) return Internal("the case holds " + std::to_string(thread.size()));
      return Status::Ok();
    });
    Step("ES tells MA spontaneously of a subject (a reference only: third country, hit/no-hit)",
         [&] {
           ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, PickSubject(es, "ES/intelligence"));
           service::MessageDraft d;
           d.type = federation::MessageType::kSpontaneous;
           d.recipients = {"MA/intelligence"};
           d.subject_ids = {subject.entity.id};
           d.body = "Subject may transit through Tangier; ask us for details.";
           ENTENTE_ASSIGN_OR_RETURN(
               service::SentMessage sent,
               service::SendMessage(es.runtime->store(), *es.runtime->exchange(),
                                    CallerOf(es, es.analyst, "prevention of a transit"), d));
           if (!Arrived(ma, sent.id)) return IoError("MA did not receive it");
           ENTENTE_ASSIGN_OR_RETURN(
               service::MessageView view,
               service::ReadMessage(ma.runtime->store(),
                                    CallerOf(ma, ma.analyst, "transit warning from Spain"),
                                    sent.id));
           if (!view.message.entities.empty()) return Internal("a record reached Morocco");
           return Status::Ok();
         });
    Step("BE notifies FR of a convict's coming release; FR acknowledges", [&] {
      ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, PickSubject(be, "BE/intelligence"));
      model::Entity prisoner = subject.entity;
      prisoner.id = "BE-DEMO-RELEASE";
      prisoner.Set("nationality", {"BE", "FR"});
      prisoner.Set("category", {"terrorism_convict", "radicalised_prisoner"});
      prisoner.Set("establishment", {"Prison de Haren"});
      prisoner.Set("plannedRelease",
                   {model::PartialDate::FromEpochDays(today.ToEpochDays() + 30).ToString()});
      prisoner.Set("sentenceEnd",
                   {model::PartialDate::FromEpochDays(today.ToEpochDays() + 400).ToString()});
      prisoner.Set("leave", {});
      prisoner.Set("handlingCode", {"H0"});
      ENTENTE_RETURN_IF_ERROR(PutSubject(
          be, CallerOf(be, be.analyst, "recording the planned release of a convict"), prisoner));
      ENTENTE_ASSIGN_OR_RETURN(
          service::NoticeSweep sweep,
          service::SendReleaseNotices(be.runtime->store(), *be.runtime->exchange(), today));
      ENTENTE_ASSIGN_OR_RETURN(
          store::ReleaseNotice notice,
          be.runtime->store().notices().Get(
              "BE-DEMO-RELEASE", "planned_release",
              model::PartialDate::FromEpochDays(today.ToEpochDays() + 30).ToString(), "FR"));
      if (!Arrived(fr, notice.message_id)) return IoError("FR did not receive the notice");
      ENTENTE_ASSIGN_OR_RETURN(
          service::SentMessage ack,
          service::Acknowledge(fr.runtime->store(), *fr.runtime->exchange(),
                               CallerOf(fr, fr.analyst, "release notice from Belgium"),
                               notice.message_id));
      if (!Arrived(be, ack.id)) return IoError("BE did not receive the acknowledgement");
      ENTENTE_ASSIGN_OR_RETURN(
          notice, be.runtime->store().notices().Get(notice.subject_id, notice.event_kind,
                                                    notice.event_date, "FR"));
      if (notice.acknowledged_at == 0) return Internal("the notice is not marked acknowledged");
      std::cout << "        (" << sweep.sent << " notices sent by this sweep)" << std::endl;
      return Status::Ok();
    });
    Step("BE consults FR and ES on a returning minor (designated users; references only)", [&] {
      model::Entity minor;
      minor.id = "BE-DEMO-MINOR";
      minor.Set("name", {"Adam Demo-Minor"});
      minor.Set(
          "birthDate",
          {model::PartialDate::FromEpochDays(today.ToEpochDays() - int64_t{13} * 365).ToString()});
      minor.Set("nationality", {"BE"});
      minor.Set("category", {"returning_minor"});
      minor.Set("ownerAgency", {"BE/youth_protection"});
      minor.Set("handlingCode", {"H2"});
      const service::Caller youth =
          CallerOf(be, be.youth, "coordinating the return of a minor from a camp");
      ENTENTE_RETURN_IF_ERROR(PutSubject(be, youth, minor));
      service::MessageDraft d;
      d.type = federation::MessageType::kConsultation;
      d.recipients = {"FR/youth_protection", "ES/judicial"};
      d.deadline = model::PartialDate::FromEpochDays(today.ToEpochDays() + 10).ToString();
      d.subject_ids = {"BE-DEMO-MINOR"};
      d.body = "Repatriation planned; relatives in Lille and Ceuta. Coordination of follow-up?";
      ENTENTE_ASSIGN_OR_RETURN(
          service::SentMessage sent,
          service::SendMessage(be.runtime->store(), *be.runtime->exchange(), youth, d));
      if (!Arrived(fr, sent.id) || !Arrived(es, sent.id)) {
        return IoError("FR or ES did not receive the consultation");
      }
      // An undesignated supervisor at FR does not see it.
      auto hidden = service::ReadMessage(
          fr.runtime->store(), CallerOf(fr, fr.supervisor, "checking the inbox"), sent.id);
      if (hidden.ok()) return Internal("an undesignated user read a minors' consultation");
      return Status::Ok();
    });
    std::string hit_id;
    std::string hit_subject;
    Step(
        "hit/no-hit: each node sends its partners its encoded index; MA screens a BE subject "
        "written another way and learns only whom to ask",
        [&] {
          for (auto& [cc, node] : nodes_) node.runtime->SyncIndexes();
          // Wait until MA holds BE's complete index.
          bool ready = false;
          for (int i = 0; i < 200 && !ready; ++i) {
            ma.runtime->SyncIndexes();
            for (const auto& a : ma.runtime->partner_indexes()->Describe()) {
              ready = ready || (a.partner == "BE" && a.usable && a.entries > 0);
            }
            if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
          if (!ready) return IoError("MA did not receive BE's index");
          for (const auto& a : ma.runtime->partner_indexes()->Describe()) {
            std::cout << "        MA holds " << a.partner << "'s index: " << a.entries << " codes"
                      << (a.usable ? "" : " (" + a.problem + ")") << std::endl;
          }
          ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, PickSubject(be, "BE/intelligence"));
          // The name as another service writes it: surname first, in capitals.
          model::Entity query;
          query.id = "MA-QUERY-1";
          const auto& names = subject.entity.Values("name");
          if (names.empty()) return Internal("the subject has no name");
          std::istringstream words(names.front());
          std::vector<std::string> tokens;
          for (std::string w; words >> w;) tokens.push_back(w);
          std::string written;
          for (char c : tokens.back()) written += static_cast<char>(std::toupper(c));
          for (size_t i = 0; i + 1 < tokens.size(); ++i) written += " " + tokens[i];
          query.Set("name", {written});
          query.Set("birthDate", subject.entity.Values("birthDate"));
          query.Set("gender", subject.entity.Values("gender"));
          ENTENTE_ASSIGN_OR_RETURN(
              service::PartnerCheck check,
              service::CheckPartnerIndexes(
                  ma.runtime->store(), *ma.runtime->hit_no_hit(), *ma.runtime->partner_indexes(),
                  CallerOf(ma, ma.analyst, "border check at Tangier-Med"), query));
          for (const service::PartnerHit& h : check.hits) {
            if (h.country != "BE") continue;
            auto published = be.runtime->store().indexes().FindPublished("MA", h.reference);
            if (!published.ok() || published->subject_id != subject.entity.id) continue;
            std::cout << "        \"" << written << "\" -> " << h.country << " " << h.reference
                      << " (ask " << h.owner << "), score " << h.score << std::endl;
            hit_id = h.hit_id;
            hit_subject = subject.entity.id;
          }
          if (hit_id.empty()) return Internal("MA's screening did not find the BE subject");
          return Status::Ok();
        });
    Step(
        "BE is told of MA's hit; MA follows it up; BE may not release a record to MA (hit/no-hit "
        "only) and refuses, with reasons, within the 48 hours",
        [&] {
          bool told = false;
          for (int i = 0; i < 200 && !told; ++i) {
            told = be.runtime->store().hits().Get(hit_id, store::HitDirection::kIn).ok();
            if (!told) std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
          if (!told) return IoError("BE was not notified of the hit");
          ENTENTE_ASSIGN_OR_RETURN(store::HitRecord in, be.runtime->store().hits().Get(
                                                            hit_id, store::HitDirection::kIn));
          if (in.subject_id != hit_subject) return Internal("BE resolved the wrong subject");
          ENTENTE_ASSIGN_OR_RETURN(
              service::SentMessage request,
              service::RequestFollowUp(ma.runtime->store(), *ma.runtime->exchange(),
                                       CallerOf(ma, ma.analyst, "border check at Tangier-Med"),
                                       hit_id, "Person stopped at the border; core data please."));
          if (!Arrived(be, request.id)) return IoError("BE did not receive the follow-up");
          const service::Caller be_caller =
              CallerOf(be, be.analyst, "answering Morocco's follow-up of a hit");
          auto release =
              service::DecideFollowUp(be.runtime->store(), *be.runtime->exchange(), be_caller,
                                      request.id, service::FollowUpDecision::kRelease, "core data");
          if (release.ok()) return Internal("a record was released to a hit/no-hit partner");
          ENTENTE_ASSIGN_OR_RETURN(
              service::SentMessage reply,
              service::DecideFollowUp(be.runtime->store(), *be.runtime->exchange(), be_caller,
                                      request.id, service::FollowUpDecision::kRefuse,
                                      "the agreement with Morocco covers hit/no-hit only; "
                                      "contact the liaison officer"));
          if (!Arrived(ma, reply.id)) return IoError("MA did not receive the answer");
          ENTENTE_ASSIGN_OR_RETURN(store::FollowUp decided,
                                   be.runtime->store().hits().GetFollowUp(request.id));
          std::cout << "        follow-up " << decided.decision << " in "
                    << (decided.decided_at - decided.received_at) / 1000 << " ms (due in 48 h)"
                    << std::endl;
          return Status::Ok();
        });
    Step("statistics: exchanges per country pair at BE", [&] {
      ENTENTE_ASSIGN_OR_RETURN(service::ExchangeStats stats,
                               service::ComputeExchangeStats(be.runtime->store(), 0, 0));
      for (const auto& c : stats.counts) {
        std::cout << "        " << c.from << " -> " << c.to << "  " << c.month << "  " << c.type
                  << "  " << c.count << std::endl;
      }
      return stats.messages >= 4 ? Status::Ok() : Internal("too few messages counted");
    });
  }

 private:
  std::map<std::string, DemoNode>& nodes_;
  bool ok_ = true;
};

int RunDemo(const DemoOptions& options) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::string root = options.dir;
  bool temporary = false;
  if (root.empty()) {
    char dir[] = "/tmp/entente-demo-XXXXXX";
    if (mkdtemp(dir) == nullptr) return ReportFailure(IoError("cannot create a directory"));
    root = dir;
    temporary = true;
  } else if (std::filesystem::exists(root) && !std::filesystem::is_empty(root)) {
    return ReportFailure(AlreadyExists(root + ": not empty; give a new directory"));
  }
  std::filesystem::create_directories(root);
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      if (!dir.empty()) std::filesystem::remove_all(dir);
    }
  } cleanup{temporary && options.check ? root : ""};

  // The four registers, from one synthetic population.
  const std::string today = policy::DayOfMicros(SystemClock().NowMicros()).ToString();
  std::array<std::ostringstream, 4> csv;
  std::vector<std::unique_ptr<model::CsvEntityWriter>> writers;
  synth::SynthSinks sinks;
  for (size_t i = 0; i < 4; ++i) {
    writers.push_back(std::make_unique<model::CsvEntityWriter>(csv[i], synth::WatchlistColumns()));
    sinks.registers[i] = writers.back().get();
  }
  synth::SynthOptions synth_options;
  synth_options.persons = options.persons;
  synth_options.queries = 1;
  synth_options.seed = options.seed;
  synth_options.reference_date = today;
  Status status = synth::WritePopulation(synth_options, sinks);
  if (!status.ok()) return ReportFailure(status);

  const pprl::EncodingKey encoding_key = federation::NewEncodingKey(1);
  std::map<std::string, DemoNode> nodes;
  for (size_t i = 0; i < 4; ++i) {
    DemoNode& node = nodes[kCountries[i]];
    node.country = kCountries[i];
    node.dir = root + "/" + kCountries[i];
    status = SetUpNode(node, csv[i].str(), encoding_key);
    if (!status.ok()) {
      return ReportFailure(Status(status.code(), node.country + ": " + status.message()));
    }
  }
  status = ConnectNodes(nodes);
  if (!status.ok()) return ReportFailure(status);

  std::cout << "Entente demo: four nodes on localhost (synthetic data only), in " << root << "\n";
  for (const auto& [cc, node] : nodes) {
    std::cout << "  " << cc << "  API https://127.0.0.1:" << node.runtime->api_port()
              << "  federation https://127.0.0.1:" << node.runtime->federation_port() << "  "
              << node.runtime->subjects_screened() << " subjects\n";
    std::cout << "      administrator  " << node.admin_token << "\n";
    std::cout << "      analyst        " << node.analyst.token << "  (" << cc
              << "/intelligence, minors)\n";
    std::cout << "      youth analyst  " << node.youth.token << "  (" << cc
              << "/youth_protection, minors)\n";
    std::cout << "      supervisor     " << node.supervisor.token << "  (" << cc
              << "/intelligence)\n";
  }
  std::cout << "  (each node's certificate is in its tls/cert.pem; send X-Justification)\n";
  Scenario scenario(nodes);
  scenario.Play();
  std::cout << (scenario.ok() ? "Every step succeeded.\n" : "Some steps FAILED.\n");
  if (options.check) {
    for (auto& [cc, node] : nodes) node.runtime->StopDelivery();
    for (auto& [cc, node] : nodes) node.runtime->Stop();
    return scenario.ok() ? 0 : 1;
  }
  std::cout << "Serving until interrupted (Ctrl-C)." << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  for (auto& [cc, node] : nodes) node.runtime->StopDelivery();
  for (auto& [cc, node] : nodes) node.runtime->Stop();
  return scenario.ok() ? 0 : 1;
}

}  // namespace

void AddDemoCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Four nodes (BE, FR, ES, MA) on localhost, exchanging over mutual TLS");
  cmd->add_option("--dir", options->dir, "where the nodes live (default: a temporary directory)");
  cmd->add_option("--persons", options->persons, "synthetic persons in the registers")
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "synthetic data seed")->capture_default_str();
  cmd->add_flag("--check", options->check,
                "play the scenario and exit: 0 only if every step succeeded");
  cmd->callback([options, exit_code] { *exit_code = RunDemo(*options); });
}

}  // namespace entente::cli
