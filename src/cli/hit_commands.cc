// Hit/no-hit between partners from the command line (docs/hit-no-hit.md):
//   entente index new-key --out F [--version N]     a new federation encoding key
//   entente index key --dir D --key F               installs it in a node (administrators)
//   entente index publish --dir D [--full]          partners' indexes up to date now
//   entente index status --dir D                    published and received indexes
//   entente screen --partners --dir D --queries Q --output R --justification TEXT
//   entente hits --dir D [--in] --justification TEXT
//   entente followup --dir D --hit H [--body TEXT] --justification TEXT
//   entente followups --dir D [--pending] --justification TEXT
//   entente decide --dir D --request M (--release | --refuse) --reason TEXT --justification TEXT

#include "cli/hit_commands.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "federation/index_update.h"
#include "model/csv_writer.h"
#include "model/entity_format.h"
#include "model/entity_io.h"
#include "pprl/encoder.h"
#include "service/hit_no_hit.h"
#include "service/hits.h"
#include "service/index_publish.h"
#include "service/live_index.h"
#include "service/node.h"
#include "service/partner_indexes.h"
#include "service/partner_screening.h"
#include "service/register.h"

namespace entente::cli {
namespace {

// The node's hit/no-hit context: its keys (session) and encoding key.
struct HitNoHit {
  std::unique_ptr<pprl::Encoder> encoder;
  pprl::EncodingKey key;
  service::HitNoHitContext context;
};

Result<HitNoHit> OpenHitNoHit(const Session& session) {
  HitNoHit h;
  ENTENTE_ASSIGN_OR_RETURN(h.key, service::LoadEncodingKey(session.node->paths));
  h.encoder = std::make_unique<pprl::Encoder>(h.key);
  h.context = {session.exchange, h.encoder.get()};
  return h;
}

// ---- index -------------------------------------------------------------------------------------

struct NewKeyOptions {
  std::string out;
  uint32_t version = 1;
};

int RunNewKey(const NewKeyOptions& o) {
  if (o.version == 0) return ReportFailure(InvalidArgument("--version: must be at least 1"));
  auto out = AtomicFile::Create(o.out, false);
  if (!out.ok()) return ReportFailure(out.status());
  (*out)->stream() << federation::EncodingKeyToJson(federation::NewEncodingKey(o.version));
  ::chmod((*out)->path().c_str(), 0600);
  if (Status s = (*out)->Commit(); !s.ok()) return ReportFailure(s);
  std::cerr << "entente: encoding key version " << o.version << " written to " << o.out
            << " (secret: hand it to every partner over a protected channel)\n";
  return 0;
}

struct KeyOptions {
  NodeOptions common;
  std::string key_file;
};

int RunInstallKey(const KeyOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  if (Status s = service::CheckNodeAdministration(session->caller); !s.ok()) {
    return ReportFailure(s);
  }
  auto in = OpenInput(o.key_file);
  if (!in.ok()) return ReportFailure(in.status());
  std::string text((std::istreambuf_iterator<char>(**in)), std::istreambuf_iterator<char>());
  auto key = federation::ParseEncodingKey(text, o.key_file);
  if (!key.ok()) return ReportFailure(key.status());
  if (Status s = service::InstallEncodingKey(session->node->paths, *key); !s.ok()) {
    return ReportFailure(s);
  }
  std::cerr << "entente: encoding key version " << key->version << " installed in "
            << session->node->paths.encoding_key
            << "; `entente serve` publishes this node's index to partners\n";
  return 0;
}

struct PublishOptions {
  NodeOptions common;
  bool full = false;
};

int RunPublish(const PublishOptions& o) {
  auto session = OpenSession(o.common, true);
  if (!session.ok()) return ReportFailure(session.status());
  if (Status s = service::CheckNodeAdministration(session->caller); !s.ok()) {
    return ReportFailure(s);
  }
  auto hnh = OpenHitNoHit(*session);
  if (!hnh.ok()) return ReportFailure(hnh.status());
  service::PublishOptions options;
  options.full = o.full;
  auto reports = service::PublishIndexes(*session->node->store, hnh->context, options);
  if (!reports.ok()) return ReportFailure(reports.status());
  Listing listing({{"partner"},
                   {"hit_no_hit"},
                   {"generation"},
                   {"full"},
                   {"updates"},
                   {"codes"},
                   {"removed"},
                   {"entries"},
                   {"withheld"}});
  for (const service::PublishReport& r : *reports) {
    listing.Add({r.partner, r.owner_answers ? "owner_answers" : "encoded_index", r.generation,
                 r.full, r.updates, r.upserts, r.removals, r.entries, r.withheld});
  }
  listing.Print(std::cout, session->format);
  std::cerr << "entente: updates queued in the outbox; `entente serve` or `entente deliver` "
               "carries them\n";
  return 0;
}

int RunIndexStatus(const NodeOptions& c) {
  auto session = OpenSession(c, false);
  if (!session.ok()) return ReportFailure(session.status());
  if (Status s = service::CheckNodeAdministration(session->caller); !s.ok()) {
    return ReportFailure(s);
  }
  std::unique_ptr<service::PartnerIndexes> indexes;
  if (auto key = service::LoadEncodingKey(session->node->paths); key.ok()) {
    indexes = std::make_unique<service::PartnerIndexes>(*key);
    if (Status s = indexes->Refresh(*session->node->store); !s.ok()) return ReportFailure(s);
  } else if (key.status().code() != StatusCode::kNotFound) {
    return ReportFailure(key.status());
  } else {
    std::cout << "no encoding key installed: hit/no-hit is off\n";
  }
  auto overview =
      service::DescribeIndexes(*session->node->store, indexes.get(), SystemClock().NowMicros());
  if (!overview.ok()) return ReportFailure(overview.status());
  Listing listing({{"partner"},
                   {"hit_no_hit"},
                   {"checks_today"},
                   {"refused_today"},
                   {"flagged_today"},
                   {"published_generation"},
                   {"published_entries"},
                   {"published"},
                   {"received_generation"},
                   {"received_entries"},
                   {"usable"},
                   {"problem", 60}});
  for (const service::IndexOverview& o : *overview) {
    nlohmann::json pg = nullptr, pe = nullptr, pa = nullptr, rg = nullptr, re = nullptr;
    if (o.published) {
      pg = o.published->generation;
      pe = o.published->entries;
      pa = TimeCell(o.published->published_at);
    }
    if (o.received) {
      rg = o.received->active_generation;
      re = o.received->entries;
    }
    listing.Add({o.partner, o.hit_no_hit, o.checks_answered_today, o.checks_refused_today,
                 o.checks_flagged_today, pg, pe, pa, rg, re, o.usable,
                 o.problem.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.problem)});
  }
  listing.Print(std::cout, session->format);
  // What an administrator must look into: a partner past its limits, checks that look like an
  // enumeration of the register (the audit log holds them: action answer_check).
  for (const service::IndexOverview& o : *overview) {
    if (o.checks_refused_today > 0) {
      std::cerr << "ALERT: " << o.partner << " was refused " << o.checks_refused_today
                << " check request(s) today, past its limits (entente audit --action "
                   "answer_check)\n";
    }
    if (o.checks_flagged_today > 0) {
      std::cerr << "ALERT: " << o.checks_flagged_today << " check request(s) from " << o.partner
                << " today look like an enumeration of the register (flags in the audit log)\n";
    }
  }
  return 0;
}

// ---- hits, follow-ups ---------------------------------------------------------------------------

struct HitsOptions {
  NodeOptions common;
  bool incoming = false;
  int limit = 100;
};

int RunHits(const HitsOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  auto hits =
      service::ListHits(*session->node->store, session->caller,
                        o.incoming ? store::HitDirection::kIn : store::HitDirection::kOut, o.limit);
  if (!hits.ok()) return ReportFailure(hits.status());
  // Scores to three decimals, as numbers.
  auto score = [](double v) { return std::round(v * 1000) / 1000; };
  if (o.incoming) {
    Listing listing({{"hit", 0}, {"at"}, {"by"}, {"subject_id"}, {"reference", 0}, {"score"}});
    for (const store::HitRecord& h : *hits) {
      listing.Add(
          {h.id, TimeCell(h.at), h.agency,
           h.subject_id.empty() ? nlohmann::json("(withdrawn)") : nlohmann::json(h.subject_id),
           h.reference, score(h.score)});
    }
    listing.Print(std::cout, session->format);
    return 0;
  }
  Listing listing(
      {{"hit", 0}, {"at"}, {"country"}, {"reference", 0}, {"owner"}, {"score"}, {"follow_up", 0}});
  for (const store::HitRecord& h : *hits) {
    listing.Add({h.id, TimeCell(h.at), h.partner, h.reference, h.owner, score(h.score),
                 h.followup_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.followup_id)});
  }
  listing.Print(std::cout, session->format);
  return 0;
}

struct FollowUpOptions {
  NodeOptions common;
  std::string hit;
  std::string body;
};

int RunFollowUp(const FollowUpOptions& o) {
  auto session = OpenSession(o.common, true);
  if (!session.ok()) return ReportFailure(session.status());
  auto sent = service::RequestFollowUp(*session->node->store, session->exchange, session->caller,
                                       o.hit, o.body);
  if (!sent.ok()) return ReportFailure(sent.status());
  std::cout << "follow-up request " << sent->id << " queued for";
  for (const std::string& c : sent->countries) std::cout << " " << c;
  std::cout << " (answer due within 48 hours)\n";
  return 0;
}

struct FollowUpsOptions {
  NodeOptions common;
  bool pending = false;
  int limit = 100;
};

int RunFollowUps(const FollowUpsOptions& o) {
  auto session = OpenSession(o.common, false);
  if (!session.ok()) return ReportFailure(session.status());
  auto listed = service::ListFollowUps(*session->node->store, session->caller,
                                       SystemClock().NowMicros(), o.pending, o.limit);
  if (!listed.ok()) return ReportFailure(listed.status());
  Listing listing({{"request", 0},
                   {"state"},
                   {"from"},
                   {"subject_id"},
                   {"received"},
                   {"due"},
                   {"decision"},
                   {"decided_by"},
                   {"decided"}});
  for (const service::FollowUpView& v : *listed) {
    const store::FollowUp& f = v.followup;
    auto text_or_null = [](const std::string& t) {
      return t.empty() ? nlohmann::json(nullptr) : nlohmann::json(t);
    };
    listing.Add(
        {f.message_id, std::string(service::FollowUpStateName(v.state)), f.requester,
         f.subject_id.empty() ? nlohmann::json("(withdrawn)") : nlohmann::json(f.subject_id),
         TimeCell(f.received_at), TimeCell(f.due_at), text_or_null(f.decision),
         text_or_null(f.decided_by), TimeCell(f.decided_at)});
  }
  listing.Print(std::cout, session->format);
  return 0;
}

struct DecideOptions {
  NodeOptions common;
  std::string request;
  bool release = false;
  bool refuse = false;
  std::string reason;
};

int RunDecide(const DecideOptions& o) {
  if (!o.release && !o.refuse) return UsageError("give one of --release and --refuse");
  auto session = OpenSession(o.common, true);
  if (!session.ok()) return ReportFailure(session.status());
  auto sent = service::DecideFollowUp(
      *session->node->store, session->exchange, session->caller, o.request,
      o.release ? service::FollowUpDecision::kRelease : service::FollowUpDecision::kRefuse,
      o.reason);
  if (!sent.ok()) return ReportFailure(sent.status());
  std::cout << (o.release ? "released" : "refused") << ": reply " << sent->id << " queued\n";
  return 0;
}

}  // namespace

// ---- screen --partners ---------------------------------------------------------------------

int RunScreenPartners(const PartnerScreenOptions& o) {
  NodeOptions common;
  common.dir = o.dir;
  common.store = o.store;
  common.token_file = o.token_file;
  common.justification = o.justification;
  common.case_reference = o.case_reference;
  auto session = OpenSession(common, true);
  if (!session.ok()) return ReportFailure(session.status());
  auto hnh = OpenHitNoHit(*session);
  if (!hnh.ok()) return ReportFailure(hnh.status());
  store::Store& store = *session->node->store;
  service::PartnerIndexes indexes(hnh->key);
  if (Status s = indexes.Refresh(store); !s.ok()) return ReportFailure(s);
  service::LiveIndexOptions index_options;
  auto live = service::LiveIndex::Open(store, index_options);
  if (!live.ok()) return ReportFailure(live.status());
  service::Register reg(store, **live, SystemClock());

  auto format = model::FormatFromPath(o.queries);
  if (!format.ok()) return ReportFailure(format.status());
  auto in = OpenInput(o.queries);
  if (!in.ok()) return ReportFailure(in.status());
  auto reader = model::MakeEntityReader(*format, **in, o.queries);
  auto out = AtomicFile::Create(o.output, true);
  if (!out.ok()) return ReportFailure(out.status());
  std::ostream& os = (*out)->stream();
  os << "query_id,match_id,score,country,owner,hit_id\n";
  const std::string country = session->node->config.country;
  int64_t queries = 0, national = 0, partner_hits = 0, bad = 0;
  std::vector<std::string> unavailable;
  const double start = MonotonicSeconds();
  ProgressLine progress("screening (register and partners)");
  model::Record record;
  model::Problems problems;
  std::string line;
  auto write = [&](const std::string& query_id, const std::string& match_id, double score,
                   const std::string& where, const std::string& owner, const std::string& hit) {
    char text[32];
    line.clear();
    model::AppendCsvCell(line, query_id);
    line += ',';
    model::AppendCsvCell(line, match_id);
    std::snprintf(text, sizeof text, ",%.4f,", score);
    line += text;
    line += where;
    line += ',';
    model::AppendCsvCell(line, owner);
    line += ',';
    line += hit;
    line += '\n';
    os << line;
  };
  while (true) {
    problems.clear();
    const model::ReadOutcome outcome = reader->Next(&record, &problems);
    if (outcome == model::ReadOutcome::kEnd) break;
    for (const model::Problem& p : problems) std::cerr << p.ToString() << "\n";
    if (outcome == model::ReadOutcome::kFatal)
      return ReportFailure(IoError(o.queries + ": unreadable"));
    if (outcome == model::ReadOutcome::kBadRecord) {
      ++bad;
      if (o.strict) return ReportFailure(InvalidArgument(o.queries + ": bad record (--strict)"));
      continue;
    }
    ++queries;
    service::ScreenRequest request;
    request.query = record.entity;
    if (o.threshold > 0) request.threshold = o.threshold;
    auto hits = reg.Screen(session->caller, request);
    if (!hits.ok()) return ReportFailure(hits.status());
    for (const service::ScreenHit& h : *hits) {
      write(record.entity.id, h.subject_id, h.score, country, h.owner_agency, "");
      ++national;
    }
    auto check = service::CheckPartnerIndexes(store, hnh->context, indexes, session->caller,
                                              record.entity, o.partner_threshold);
    if (!check.ok()) return ReportFailure(check.status());
    for (const service::PartnerHit& h : check->hits) {
      write(record.entity.id, h.reference, h.score, h.country, h.owner, h.hit_id);
      ++partner_hits;
    }
    if (queries == 1) unavailable = check->unavailable;
    progress.Update(queries, 0);
  }
  progress.Finish();
  if (!os) return ReportFailure(IoError(o.output + ": write failed"));
  if (Status s = (*out)->Commit(); !s.ok()) return ReportFailure(s);
  const double seconds = MonotonicSeconds() - start;
  std::fprintf(stderr,
               "screened %lld queries against the register of %s (%zu subjects) and %zu partner "
               "indexes: %lld register hits, %lld partner hits (owners notified through the "
               "outbox)%s; %.2f s\n",
               static_cast<long long>(queries), country.c_str(), (*live)->size(),
               indexes.Snapshot().size(), static_cast<long long>(national),
               static_cast<long long>(partner_hits),
               bad > 0 ? (", " + std::to_string(bad) + " bad rows skipped").c_str() : "", seconds);
  for (const std::string& u : unavailable) std::fprintf(stderr, "not screened: %s\n", u.c_str());
  return 0;
}

void AddHitCommands(CLI::App& app, int* exit_code) {
  {
    CLI::App* index = app.add_subcommand(
        "index", "Encoded indexes for hit/no-hit between partners (docs/hit-no-hit.md)");
    index->require_subcommand(1);
    auto new_key = std::make_shared<NewKeyOptions>();
    CLI::App* nk = index->add_subcommand(
        "new-key", "Write a new federation encoding key (shared by every partner)");
    nk->add_option("--out", new_key->out, "the key file to write (0600; not overwritten)")
        ->required();
    nk->add_option("--version", new_key->version, "its version (a rotation takes the next)")
        ->capture_default_str();
    nk->callback([new_key, exit_code] { *exit_code = RunNewKey(*new_key); });

    auto key = std::make_shared<KeyOptions>();
    CLI::App* k = index->add_subcommand("key", "Install the federation encoding key in a node");
    AddNodeOptions(k, &key->common, 0);
    k->add_option("--key", key->key_file, "the key file (`entente index new-key`)")->required();
    k->callback([key, exit_code] { *exit_code = RunInstallKey(*key); });

    auto publish = std::make_shared<PublishOptions>();
    CLI::App* p = index->add_subcommand(
        "publish", "Bring partners' encoded indexes of this register up to date now");
    AddNodeOptions(p, &publish->common, kListing);
    p->add_flag("--full", publish->full, "send a new generation instead of the changes");
    p->callback([publish, exit_code] { *exit_code = RunPublish(*publish); });

    auto status = std::make_shared<NodeOptions>();
    CLI::App* s =
        index->add_subcommand("status", "Indexes published to and received from partners");
    AddNodeOptions(s, status.get(), kListing);
    s->callback([status, exit_code] { *exit_code = RunIndexStatus(*status); });
  }
  {
    auto o = std::make_shared<HitsOptions>();
    CLI::App* cmd = app.add_subcommand(
        "hits", "Your agency's hits in partners' indexes, or (--in) partners' hits here");
    AddNodeOptions(cmd, &o->common, kJustified | kListing);
    cmd->add_flag("--in", o->incoming, "partners' hits on this register");
    cmd->add_option("--limit", o->limit, "at most this many")->capture_default_str();
    cmd->callback([o, exit_code] { *exit_code = RunHits(*o); });
  }
  {
    auto o = std::make_shared<FollowUpOptions>();
    CLI::App* cmd = app.add_subcommand(
        "followup", "Ask a hit's owner what it may release (answer due within 48 hours)");
    AddNodeOptions(cmd, &o->common, kJustified);
    cmd->add_option("--hit", o->hit, "the hit (entente hits)")->required();
    cmd->add_option("--body", o->body, "the request's text");
    cmd->callback([o, exit_code] { *exit_code = RunFollowUp(*o); });
  }
  {
    auto o = std::make_shared<FollowUpsOptions>();
    CLI::App* cmd = app.add_subcommand(
        "followups", "Partners' follow-up requests to this node and their 48-hour deadline");
    AddNodeOptions(cmd, &o->common, kJustified | kListing);
    cmd->add_flag("--pending", o->pending, "only those not decided");
    cmd->add_option("--limit", o->limit, "at most this many")->capture_default_str();
    cmd->callback([o, exit_code] { *exit_code = RunFollowUps(*o); });
  }
  {
    auto o = std::make_shared<DecideOptions>();
    CLI::App* cmd = app.add_subcommand(
        "decide", "Answer a follow-up request: release the record or refuse, with reasons");
    AddNodeOptions(cmd, &o->common, kJustified);
    cmd->add_option("--request", o->request, "the follow-up request (entente followups)")
        ->required();
    CLI::Option* release = cmd->add_flag("--release", o->release, "send the subject's record");
    CLI::Option* refuse = cmd->add_flag("--refuse", o->refuse, "send no record");
    // One of the two, never both: a usage error otherwise (exit 2).
    release->excludes(refuse);
    refuse->excludes(release);
    cmd->add_option("--reason", o->reason, "the grounds of the decision")->required();
    cmd->callback([o, exit_code] { *exit_code = RunDecide(*o); });
  }
}

}  // namespace entente::cli
