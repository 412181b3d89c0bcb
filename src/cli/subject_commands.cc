// The register, one subject at a time, from the command line (each read and write audited with
// the caller's justification, as through the API):
//   entente subject show ID             the record (--format table: a property a row)
//   entente subject add --file F        a new subject from a FollowTheMoney JSON entity (- : stdin)
//   entente subject edit ID [--set P=V] [--add P=V] [--remove P=V] [--file F]
//                                       changed in place, refused if it changed since it was read
//   entente subject restrict|erase ID --reason TEXT
//   entente search NAME [--birth-date D] [--country CC] [--schema S]
//                                       one name checked against the register (ranked)
//   entente network ID [--depth K] [--path OTHER] [--group]
//                                       the subject's links: neighbours, a path, its group

#include <cmath>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/listing.h"
#include "cli/session.h"
#include "common/json.h"
#include "model/entity_json.h"
#include "service/live_index.h"
#include "service/network.h"
#include "service/register.h"

namespace entente::cli {
namespace {

nlohmann::json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

std::string_view StateName(store::SubjectState state) {
  switch (state) {
    case store::SubjectState::kActive:
      return "active";
    case store::SubjectState::kRestricted:
      return "restricted";
    case store::SubjectState::kErased:
      return "erased";
  }
  return "active";
}

Result<model::Entity> ReadEntityFile(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    ENTENTE_ASSIGN_OR_RETURN(auto in, OpenInput(path));
    text.assign(std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>());
  }
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json json, ParseJson(text, path));
  return model::EntityFromJson(json, path);
}

// "property=value" of --set/--add/--remove.
Result<std::pair<std::string, std::string>> SplitAssignment(const std::string& text,
                                                            const std::string& option) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return InvalidArgument(option + " " + text + ": expected PROPERTY=VALUE, e.g. alias=Abu Omar");
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

// ---- subject show ------------------------------------------------------------------------------

struct ShowOptions {
  NodeOptions node;
  std::string id;
};

void PrintSubject(const service::SubjectView& view, OutputFormat format) {
  const store::Subject& s = view.subject;
  if (format == OutputFormat::kJson) {
    nlohmann::json out = model::EntityToJson(s.entity);
    out["version"] = s.version;
    out["state"] = StateName(s.state);
    out["created"] = TimeCell(s.created_at);
    out["updated"] = TimeCell(s.updated_at);
    if (view.not_for_judicial_use) out["handling_notice"] = "H1: not for judicial use";
    if (!view.restriction.empty()) out["handling_restriction"] = view.restriction;
    std::cout << DumpJson(out, 2) << "\n";
    return;
  }
  Listing listing({{"property"}, {"value", 0}});
  listing.Add({"id", s.entity.id});
  listing.Add({"schema", std::string(model::SchemaName(s.entity.schema))});
  listing.Add({"state", std::string(StateName(s.state))});
  listing.Add({"version", s.version});
  listing.Add({"updated", TimeCell(s.updated_at)});
  if (view.not_for_judicial_use) {
    listing.Add({"handling_notice",
                 "H1: not to be used in judicial proceedings without the "
                 "provider's permission"});
  }
  if (!view.restriction.empty()) listing.Add({"handling_restriction", view.restriction});
  for (const auto& [property, values] : s.entity.properties) {
    for (const std::string& value : values) listing.Add({property, value});
  }
  listing.Print(std::cout, format);
}

int RunShow(const ShowOptions& o) {
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  service::Register reg(*session->node->store, SystemClock());
  auto view = reg.GetSubject(session->caller, o.id);
  if (!view.ok()) return ReportFailure(view.status());
  PrintSubject(*view, session->format);
  return 0;
}

// ---- subject add, edit -------------------------------------------------------------------------

struct AddOptions {
  NodeOptions node;
  std::string file;
};

int RunAdd(const AddOptions& o) {
  auto entity = ReadEntityFile(o.file);
  if (!entity.ok()) return ReportFailure(entity.status());
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  service::Register reg(*session->node->store, SystemClock());
  auto id = reg.CreateSubject(session->caller, *std::move(entity));
  if (!id.ok()) return ReportFailure(id.status());
  std::cout << *id << "\n";
  std::cerr << "entente: subject " << *id << " added (version 1)\n";
  return 0;
}

struct EditOptions {
  NodeOptions node;
  std::string id;
  std::vector<std::string> set;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  std::string file;
};

int RunEdit(const EditOptions& o) {
  if (o.file.empty() && o.set.empty() && o.add.empty() && o.remove.empty()) {
    return UsageError("nothing to change: give --set, --add, --remove or --file");
  }
  if (!o.file.empty() && (!o.set.empty() || !o.add.empty() || !o.remove.empty())) {
    return UsageError("--file replaces the whole record: give it alone");
  }
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  if (Status keys = LoadKeysIfAny(*session); !keys.ok()) return ReportFailure(keys);
  service::Register reg(*session->node->store, SystemClock());
  reg.EnableRecordNotices(session->keys.get());
  // Read (audited) first: the change applies to this version, and is refused if another writer
  // changed the subject in between.
  auto view = reg.GetSubject(session->caller, o.id);
  if (!view.ok()) return ReportFailure(view.status());
  model::Entity entity = view->subject.entity;
  if (!o.file.empty()) {
    auto replacement = ReadEntityFile(o.file);
    if (!replacement.ok()) return ReportFailure(replacement.status());
    if (!replacement->id.empty() && replacement->id != o.id) {
      return ReportFailure(InvalidArgument(o.file + ": id " + replacement->id +
                                           " is not the subject edited (" + o.id + ")"));
    }
    entity = *std::move(replacement);
    entity.id = o.id;
  }
  for (const std::string& text : o.set) {
    auto kv = SplitAssignment(text, "--set");
    if (!kv.ok()) return UsageError(kv.status().message());
    entity.Set(kv->first, kv->second.empty() ? std::vector<std::string>{}
                                             : std::vector<std::string>{kv->second});
  }
  for (const std::string& text : o.add) {
    auto kv = SplitAssignment(text, "--add");
    if (!kv.ok()) return UsageError(kv.status().message());
    entity.Add(kv->first, kv->second);
  }
  for (const std::string& text : o.remove) {
    auto kv = SplitAssignment(text, "--remove");
    if (!kv.ok()) return UsageError(kv.status().message());
    std::vector<std::string> values = entity.Values(kv->first);
    const size_t before = values.size();
    std::erase(values, kv->second);
    if (values.size() == before) {
      return ReportFailure(
          InvalidArgument("--remove " + text + ": subject " + o.id + " has no such value"));
    }
    entity.Set(kv->first, std::move(values));
  }
  auto version = reg.UpdateSubject(session->caller, entity, view->subject.version);
  if (!version.ok()) return ReportFailure(version.status());
  std::cerr << "entente: subject " << o.id << " updated (version " << *version << ")\n";
  return 0;
}

// ---- subject restrict, erase -------------------------------------------------------------------

struct StateOptions {
  NodeOptions node;
  std::string id;
  std::string reason;
  bool withdraw = false;
};

int RunSetState(const StateOptions& o, store::SubjectState target) {
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  if (Status keys = LoadKeysIfAny(*session); !keys.ok()) return ReportFailure(keys);
  service::Register reg(*session->node->store, SystemClock());
  reg.EnableRecordNotices(session->keys.get());
  if (o.withdraw) {
    const Status status = reg.WithdrawErasure(session->caller, o.id, o.reason);
    if (!status.ok()) return ReportFailure(status);
    std::cerr << "entente: the erasure of subject " << o.id << " is withdrawn\n";
    return 0;
  }
  const Result<service::StateChange> change =
      reg.SetSubjectState(session->caller, o.id, target, o.reason);
  if (!change.ok()) return ReportFailure(change.status());
  if (*change == service::StateChange::kErasureRequested) {
    std::cerr << "entente: the erasure of subject " << o.id
              << " is requested; a second supervisor of its owner agency confirms it with "
                 "`entente subject erase "
              << o.id << " --reason ...` within " << service::kErasureRequestDays << " days\n";
    return 0;
  }
  std::cerr << "entente: subject " << o.id << " " << StateName(target) << "\n";
  return 0;
}

// ---- search ------------------------------------------------------------------------------------

struct SearchOptions {
  NodeOptions node;
  std::string name;
  std::string birth_date;
  std::string country;
  std::string schema = "Person";
  double threshold = 0;
  size_t limit = 10;
};

int RunSearch(const SearchOptions& o) {
  model::Entity query;
  query.id = "search";
  if (!model::ParseSchema(o.schema, &query.schema)) {
    return UsageError("--schema " + o.schema + ": Person or Organization");
  }
  query.Add("name", o.name);
  if (!o.birth_date.empty()) query.Add("birthDate", o.birth_date);
  if (!o.country.empty()) query.Add("nationality", o.country);
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  std::cerr << "entente: building the register's screening index..." << std::flush;
  service::LiveIndexOptions index_options;
  auto index = service::LiveIndex::Open(store, index_options);
  std::cerr << (index.ok() ? " done\n" : " failed\n");
  if (!index.ok()) return ReportFailure(index.status());
  service::Register reg(store, **index, SystemClock());
  service::ScreenRequest request;
  request.query = query;
  if (o.threshold > 0) request.threshold = o.threshold;
  request.limit = o.limit;
  request.search = true;
  auto hits = reg.Screen(session->caller, request);
  if (!hits.ok()) return ReportFailure(hits.status());
  Listing listing({{"subject_id"}, {"score"}, {"match"}, {"name", 32}, {"owner"}, {"why", 60}});
  size_t matches = 0;
  for (const service::ScreenHit& h : *hits) {
    if (h.match) ++matches;
    listing.Add({h.subject_id, std::round(h.score * 1000) / 1000, h.match,
                 h.full ? nlohmann::json(h.caption) : nlohmann::json("(known: ask its owner)"),
                 h.owner_agency, TextOrNull(h.explanation)});
  }
  listing.Print(std::cout, session->format);
  std::cerr << "entente: " << hits->size() << (hits->size() == 1 ? " candidate" : " candidates")
            << ", best first; " << matches << " at or above the match threshold ("
            << request.threshold << ")\n";
  return 0;
}

// ---- network -----------------------------------------------------------------------------------

struct NetworkOptions {
  NodeOptions node;
  std::string id;
  int depth = 1;
  std::string path_to;
  bool group = false;
};

int RunNetwork(const NetworkOptions& o) {
  if (!o.path_to.empty() && o.group) return UsageError("give --path or --group, not both");
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  Result<service::Network> network =
      !o.path_to.empty() ? service::ShortestPath(store, session->caller, o.id, o.path_to)
      : o.group          ? service::ConnectedGroup(store, session->caller, o.id)
                         : service::Neighbours(store, session->caller, o.id, o.depth);
  if (!network.ok()) return ReportFailure(network.status());
  Listing listing({{"id"}, {"hops"}, {"country"}, {"in_register"}, {"name", 32}, {"links", 60}});
  for (const service::NetworkNode& n : network->nodes) {
    std::string links;
    for (const service::NetworkLink& l : network->links) {
      if (l.src != n.id) continue;
      links += (links.empty() ? "" : ", ") + l.type + " " + l.dst;
    }
    listing.Add({n.id, n.hops, n.country, n.in_register, TextOrNull(n.name), TextOrNull(links)});
  }
  listing.Print(std::cout, session->format);
  std::cerr << "entente: " << network->nodes.size() << " subjects, " << network->links.size()
            << " links";
  if (network->withheld > 0) std::cerr << ", " << network->withheld << " withheld";
  if (network->truncated) std::cerr << " (cut at " << service::kMaxNetworkNodes << ")";
  std::cerr << "\n";
  return 0;
}

}  // namespace

void AddSubjectCommands(CLI::App& app, int* exit_code) {
  CLI::App* subject = app.add_subcommand(
      "subject", "One subject of the register: show, add, edit, restrict, erase");
  subject->require_subcommand(1);
  {
    auto o = std::make_shared<ShowOptions>();
    CLI::App* cmd = subject->add_subcommand("show", "A subject's record (audited)");
    AddNodeOptions(cmd, &o->node, kJustified | kListing);
    cmd->add_option("id", o->id, "the subject's id")->required();
    cmd->callback([o, exit_code] { *exit_code = RunShow(*o); });
  }
  {
    auto o = std::make_shared<AddOptions>();
    CLI::App* cmd = subject->add_subcommand(
        "add", "A new subject from a FollowTheMoney JSON entity; prints its id");
    AddNodeOptions(cmd, &o->node, kJustified);
    cmd->add_option("--file", o->file, "the entity, as JSON (- for stdin)")->required();
    cmd->callback([o, exit_code] { *exit_code = RunAdd(*o); });
  }
  {
    auto o = std::make_shared<EditOptions>();
    CLI::App* cmd = subject->add_subcommand(
        "edit", "Change a subject's values (refused if it changed since it was read)");
    AddNodeOptions(cmd, &o->node, kJustified);
    cmd->add_option("id", o->id, "the subject's id")->required();
    cmd->add_option("--set", o->set, "PROPERTY=VALUE: replaces its values (empty: removes)");
    cmd->add_option("--add", o->add, "PROPERTY=VALUE: one more value");
    cmd->add_option("--remove", o->remove, "PROPERTY=VALUE: that value removed");
    cmd->add_option("--file", o->file, "a whole new record, as JSON (- for stdin)");
    cmd->callback([o, exit_code] { *exit_code = RunEdit(*o); });
  }
  for (const bool erase : {false, true}) {
    auto o = std::make_shared<StateOptions>();
    CLI::App* cmd = subject->add_subcommand(
        erase ? "erase" : "restrict",
        erase ? "Erase a subject: only its id and schema remain (two supervisors of its owner: "
                "one asks, another confirms)"
              : "Restrict a subject: kept for its owner's supervisors, screened by no one");
    AddNodeOptions(cmd, &o->node, kJustified);
    cmd->add_option("id", o->id, "the subject's id")->required();
    cmd->add_option("--reason", o->reason, "why (audited)")->required();
    if (erase) {
      cmd->add_flag("--withdraw", o->withdraw, "withdraw the pending erasure request instead");
    }
    cmd->callback([o, exit_code, erase] {
      *exit_code =
          RunSetState(*o, erase ? store::SubjectState::kErased : store::SubjectState::kRestricted);
    });
  }
  {
    auto o = std::make_shared<SearchOptions>();
    CLI::App* cmd = app.add_subcommand(
        "search", "Check one name against the register: the subjects it may be, ranked");
    AddNodeOptions(cmd, &o->node, kJustified | kListing);
    cmd->add_option("name", o->name, "the name, in any order or script")->required();
    cmd->add_option("--birth-date", o->birth_date, "YYYY, YYYY-MM or YYYY-MM-DD");
    cmd->add_option("--country", o->country, "a nationality (ISO alpha-2)");
    cmd->add_option("--schema", o->schema, "Person or Organization")->capture_default_str();
    cmd->add_option("--threshold", o->threshold, "score marked a match (default 0.5)");
    cmd->footer(
        "Lists the subjects the name may be, best first, with the probability that each is the\n"
        "person (calibrated: a name alone rarely reaches the threshold; add --birth-date) and\n"
        "whether it reaches the match threshold.");
    cmd->add_option("--limit", o->limit, "at most N subjects")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    cmd->callback([o, exit_code] { *exit_code = RunSearch(*o); });
  }
  {
    auto o = std::make_shared<NetworkOptions>();
    CLI::App* cmd = app.add_subcommand(
        "network", "A subject's links: neighbours, a path to another subject, its group");
    AddNodeOptions(cmd, &o->node, kJustified | kListing);
    cmd->add_option("id", o->id, "the subject's id")->required();
    cmd->add_option("--depth", o->depth, "links away (neighbours)")
        ->check(CLI::Range(1, service::kMaxNetworkDepth))
        ->capture_default_str();
    cmd->add_option("--path", o->path_to, "a shortest chain of links to this subject");
    cmd->add_flag("--group", o->group, "every subject connected to it");
    cmd->callback([o, exit_code] { *exit_code = RunNetwork(*o); });
  }
}

}  // namespace entente::cli
