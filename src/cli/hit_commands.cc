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
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "common/json.h"
#include "common/private_files.h"
#include "federation/https_transport.h"
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

// Where an interrupted `screen --partners` stands: the queries read and the bytes of results
// written for them (OUTPUT.progress, beside OUTPUT.partial). A run with the same input and
// output takes up from there.
struct ScreenProgress {
  std::string input;
  int64_t input_bytes = 0;
  int64_t records = 0;  // records read from the input, bad ones included
  int64_t bytes = 0;    // of OUTPUT.partial, for those records
};

std::optional<ScreenProgress> ReadProgress(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return std::nullopt;
  const nlohmann::json j = ParseJsonOrDiscarded(*text);
  if (!j.is_object()) return std::nullopt;
  ScreenProgress p;
  p.input = j.value("input", "");
  p.input_bytes = j.value("input_bytes", int64_t{-1});
  p.records = j.value("records", int64_t{-1});
  p.bytes = j.value("bytes", int64_t{-1});
  if (p.records < 0 || p.bytes < 0) return std::nullopt;
  return p;
}

Status WriteProgress(const std::string& path, const ScreenProgress& p) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << nlohmann::json{{"input", p.input},
                          {"input_bytes", p.input_bytes},
                          {"records", p.records},
                          {"bytes", p.bytes}}
               .dump()
        << '\n';
    if (!out.flush()) return IoError(temp + ": cannot write");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) return IoError(path + ": cannot rename");
  return Status::Ok();
}

int64_t FileBytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

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
  // Partners that answer checks themselves are asked over the federation's mutual TLS.
  federation::HttpsTransport checks(*session->keys);
  hnh->context.checks = &checks;
  service::LiveIndexOptions index_options;
  auto live = service::LiveIndex::Open(store, index_options);
  if (!live.ok()) return ReportFailure(live.status());
  service::Register reg(store, **live, SystemClock());

  auto format = model::FormatFromPath(o.queries);
  if (!format.ok()) return ReportFailure(format.status());
  auto in = OpenInput(o.queries);
  if (!in.ok()) return ReportFailure(in.status());
  auto reader = model::MakeEntityReader(*format, **in, o.queries);

  // Results go to OUTPUT.partial, chunk by chunk, with OUTPUT.progress saying how far; the
  // partial file takes its name when all is done. An interrupted run is resumed by the next one
  // with the same input (a file, not standard input).
  const std::string partial = o.output + ".partial";
  const std::string progress_path = o.output + ".progress";
  const bool resumable = o.queries != "-";
  ScreenProgress progress;
  progress.input = o.queries;
  progress.input_bytes = resumable ? FileBytes(o.queries) : -1;
  int64_t skip = 0;
  if (resumable) {
    if (auto saved = ReadProgress(progress_path); saved && saved->input == progress.input &&
                                                  saved->input_bytes == progress.input_bytes &&
                                                  FileBytes(partial) >= saved->bytes) {
      skip = saved->records;
      progress = *saved;
      if (::truncate(partial.c_str(), saved->bytes) != 0) {
        return ReportFailure(IoError(partial + ": cannot truncate"));
      }
      std::cerr << "entente: resuming after " << skip << " queries (" << progress_path << ")\n";
    }
  }
  std::FILE* out = std::fopen(partial.c_str(), skip > 0 ? "ab" : "wb");
  if (out == nullptr) return ReportFailure(IoError(partial + ": cannot write"));
  ::fchmod(fileno(out), 0600);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(out, &std::fclose);
  if (skip == 0) {
    std::fputs("query_id,match_id,score,country,owner,hit_id\n", out);
    progress.bytes =
        static_cast<int64_t>(std::strlen("query_id,match_id,score,country,owner,hit_id\n"));
  }
  const std::string country = session->node->config.country;
  int64_t queries = 0, national = 0, partner_hits = 0, bad = 0;
  std::vector<std::string> unavailable;
  const double start = MonotonicSeconds();
  ProgressLine line_progress("screening (register and partners)");
  model::Record record;
  model::Problems problems;
  std::string text;
  auto write = [&](const std::string& query_id, const std::string& match_id, double score,
                   const std::string& where, const std::string& owner, const std::string& hit) {
    char number[32];
    model::AppendCsvCell(text, query_id);
    text += ',';
    model::AppendCsvCell(text, match_id);
    std::snprintf(number, sizeof number, ",%.4f,", score);
    text += number;
    text += where;
    text += ',';
    model::AppendCsvCell(text, owner);
    text += ',';
    text += hit;
    text += '\n';
  };
  // Screens a chunk against the register and the partners, writes its lines, then saves where
  // the run stands.
  const auto chunk_size = static_cast<size_t>(std::max(1, o.chunk));
  // Fault injection for the tests of resumption: stop as if killed after this many chunks.
  const char* stop_after = std::getenv("ENTENTE_FAULT_STOP_AFTER_CHUNKS");
  int64_t chunks_left = stop_after != nullptr ? std::atoll(stop_after) : -1;
  std::vector<model::Entity> chunk;
  int64_t chunk_records = 0;  // records read for the chunk, bad ones included
  auto flush_chunk = [&]() -> Status {
    text.clear();
    std::vector<std::vector<service::ScreenHit>> register_hits;
    for (const model::Entity& q : chunk) {
      service::ScreenRequest request;
      request.query = q;
      if (o.threshold > 0) request.threshold = o.threshold;
      ENTENTE_ASSIGN_OR_RETURN(std::vector<service::ScreenHit> hits,
                               reg.Screen(session->caller, request));
      register_hits.push_back(std::move(hits));
    }
    std::vector<service::PartnerCheck> checked;
    if (!chunk.empty()) {
      ENTENTE_ASSIGN_OR_RETURN(
          checked, service::CheckPartnersMany(store, hnh->context, indexes, session->caller, chunk,
                                              o.partner_threshold));
      if (unavailable.empty()) unavailable = checked.front().unavailable;
    }
    for (size_t i = 0; i < chunk.size(); ++i) {
      for (const service::ScreenHit& h : register_hits[i]) {
        write(chunk[i].id, h.subject_id, h.score, country, h.owner_agency, "");
        ++national;
      }
      for (const service::PartnerHit& h : checked[i].hits) {
        write(chunk[i].id, h.reference, h.score, h.country, h.owner, h.hit_id);
        ++partner_hits;
      }
    }
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size() || std::fflush(out) != 0 ||
        ::fsync(fileno(out)) != 0) {
      return IoError(partial + ": write failed");
    }
    progress.bytes += static_cast<int64_t>(text.size());
    progress.records += chunk_records;
    queries += static_cast<int64_t>(chunk.size());
    chunk.clear();
    chunk_records = 0;
    line_progress.Update(queries, 0);
    return resumable ? WriteProgress(progress_path, progress) : Status::Ok();
  };
  int64_t read = 0;
  while (true) {
    problems.clear();
    const model::ReadOutcome outcome = reader->Next(&record, &problems);
    if (outcome == model::ReadOutcome::kEnd) break;
    if (read++ < skip) continue;  // done by the interrupted run
    ++chunk_records;
    for (const model::Problem& p : problems) std::cerr << p.ToString() << "\n";
    if (outcome == model::ReadOutcome::kFatal)
      return ReportFailure(IoError(o.queries + ": unreadable"));
    if (outcome == model::ReadOutcome::kBadRecord) {
      ++bad;
      if (o.strict) return ReportFailure(InvalidArgument(o.queries + ": bad record (--strict)"));
      continue;
    }
    chunk.push_back(record.entity);
    if (chunk.size() >= chunk_size) {
      if (Status s = flush_chunk(); !s.ok()) return ReportFailure(s);
      if (chunks_left > 0 && --chunks_left == 0) std::_Exit(3);
    }
  }
  if (Status s = flush_chunk(); !s.ok()) return ReportFailure(s);
  line_progress.Finish();
  closer.reset();
  if (std::rename(partial.c_str(), o.output.c_str()) != 0) {
    return ReportFailure(IoError(o.output + ": cannot rename " + partial + " to it"));
  }
  std::remove(progress_path.c_str());
  const double seconds = MonotonicSeconds() - start;
  std::fprintf(stderr,
               "screened %lld queries against the register of %s (%zu subjects) and its "
               "partners: %lld register hits, %lld partner hits%s; %.2f s\n",
               static_cast<long long>(queries), country.c_str(), (*live)->size(),
               static_cast<long long>(national), static_cast<long long>(partner_hits),
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
