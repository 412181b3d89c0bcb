// entente user add --dir D --agency CC/kind --role R [--tier T] [--designation minors]
//   [--name NAME] [--expires DAYS]: a new user, whose bearer token is printed once on stdout.
// entente user list --dir D [--format F]: the users. entente user disable|enable --dir D USER_ID:
// takes effect on the user's next request. entente user rotate --dir D USER_ID [--expires DAYS]: a
// new token (printed once), the old one refused from now on. All act as the administrator of
// admin.token (or --token-file / $ENTENTE_TOKEN), audited.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/listing.h"
#include "cli/session.h"
#include "common/time_format.h"
#include "service/auth.h"

namespace entente::cli {
namespace {

struct UserOptions {
  NodeOptions node;
  std::string agency;
  std::string role;
  std::string tier;
  std::vector<std::string> designations;
  std::string name;
  int expires_days = service::kDefaultTokenDays;
  std::string user_id;
};

std::string JoinDesignations(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ',';
    joined += name;
  }
  return joined;
}

int RunUserAdd(const UserOptions& options) {
  const Clock& clock = SystemClock();
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  const service::Caller* caller = &session->caller;
  service::NewUser user{options.agency, options.role, options.tier,
                        JoinDesignations(options.designations)};
  user.name = options.name;
  user.expires_in_days = options.expires_days;
  auto issued = service::AddUser(store, *caller, user, clock);
  if (!issued.ok()) return ReportFailure(issued.status());
  std::fprintf(stderr, "entente: user %s added (%s, %s); its token, valid %s, is shown only now\n",
               issued->user_id.c_str(), issued->principal.agency.ToString().c_str(),
               std::string(policy::RoleName(issued->principal.role)).c_str(),
               issued->expires_at == 0 ? "without expiry"
                                       : ("until " + FormatIsoTime(issued->expires_at)).c_str());
  std::printf("%s\n", issued->token.c_str());
  return 0;
}

int RunUserEnable(const UserOptions& options, bool enabled) {
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  const service::Caller* caller = &session->caller;
  const Status status = service::SetUserEnabled(store, *caller, options.user_id, enabled);
  if (!status.ok()) return ReportFailure(status);
  std::fprintf(stderr, "entente: user %s %s (from its next request)\n", options.user_id.c_str(),
               enabled ? "enabled" : "disabled");
  return 0;
}

int RunUserRotate(const UserOptions& options) {
  const Clock& clock = SystemClock();
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  const service::Caller* caller = &session->caller;
  auto issued = service::RotateToken(store, *caller, options.user_id, options.expires_days, clock);
  if (!issued.ok()) return ReportFailure(issued.status());
  std::fprintf(stderr,
               "entente: user %s has a new token, valid %s, shown only now; the old one is "
               "refused from now on\n",
               issued->user_id.c_str(),
               issued->expires_at == 0 ? "without expiry"
                                       : ("until " + FormatIsoTime(issued->expires_at)).c_str());
  std::printf("%s\n", issued->token.c_str());
  return 0;
}

int RunUserList(const UserOptions& options) {
  const Clock& clock = SystemClock();
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  const service::Caller* caller = &session->caller;
  std::vector<store::User> users;
  const service::Access access{policy::Action::kManageUsers, "", nullptr,
                               R"({"operation":"list_users"})"};
  const Status status = service::RunAudited(
      store, *caller, access, [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
        ENTENTE_ASSIGN_OR_RETURN(users, txn.users().List());
        return Status::Ok();
      });
  if (!status.ok()) return ReportFailure(status);
  Listing listing({{"id"},
                   {"name", 24},
                   {"agency"},
                   {"role"},
                   {"tier"},
                   {"designations"},
                   {"created"},
                   {"expires"},
                   {"state"}});
  const int64_t now = clock.NowMicros();
  for (const store::User& user : users) {
    const bool expired = user.expires_at != 0 && now >= user.expires_at;
    listing.Add({user.id, user.name, user.agency, user.role, user.tier, user.designations,
                 TimeCell(user.created_at),
                 user.expires_at == 0 ? nlohmann::json("never") : TimeCell(user.expires_at),
                 user.disabled ? "disabled" : (expired ? "expired" : "active")});
  }
  listing.Print(std::cout, session->format);
  return 0;
}

}  // namespace

void AddUserCommand(CLI::App& app, int* exit_code) {
  CLI::App* user = app.add_subcommand("user", "Manage the node's users (administrators only)");
  user->require_subcommand(1);

  auto add_options = std::make_shared<UserOptions>();
  CLI::App* add = user->add_subcommand(
      "add", "Add a user and print its bearer token on stdout (once: only its hash is stored)");
  AddNodeOptions(add, &add_options->node, 0);
  add->add_option("--agency", add_options->agency, "CC/kind, e.g. BE/intelligence")->required();
  add->add_option("--role", add_options->role, "analyst, supervisor, auditor or administrator")
      ->required();
  add->add_option("--tier", add_options->tier,
                  "consult, consult_and_feed, hit_no_hit or indirect (default: consult)");
  add->add_option("--designation", add_options->designations, "a special mandate: minors");
  add->add_option("--name", add_options->name, "the user's name, shown in listings and the audit");
  add->add_option("--expires", add_options->expires_days, "days the token works (0: no expiry)")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  add->callback([add_options, exit_code] { *exit_code = RunUserAdd(*add_options); });

  for (const bool enabled : {false, true}) {
    auto options = std::make_shared<UserOptions>();
    CLI::App* cmd = user->add_subcommand(
        enabled ? "enable" : "disable",
        enabled ? "Let a disabled user in again (their current token works again)"
                : "Refuse a user from their next request on (their token stops working)");
    AddNodeOptions(cmd, &options->node, 0);
    cmd->add_option("user_id", options->user_id, "the user's id (u-...)")->required();
    cmd->callback([options, exit_code, enabled] { *exit_code = RunUserEnable(*options, enabled); });
  }

  auto rotate_options = std::make_shared<UserOptions>();
  CLI::App* rotate = user->add_subcommand(
      "rotate", "Issue a user a new token (printed once on stdout); the old one stops working");
  AddNodeOptions(rotate, &rotate_options->node, 0);
  rotate->add_option("user_id", rotate_options->user_id, "the user's id (u-...)")->required();
  rotate
      ->add_option("--expires", rotate_options->expires_days,
                   "days the new token works (0: no expiry)")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  rotate->callback([rotate_options, exit_code] { *exit_code = RunUserRotate(*rotate_options); });

  auto list_options = std::make_shared<UserOptions>();
  CLI::App* list = user->add_subcommand("list", "List the users (their tokens are never shown)");
  AddNodeOptions(list, &list_options->node, kListing);
  list->callback([list_options, exit_code] { *exit_code = RunUserList(*list_options); });
}

}  // namespace entente::cli
