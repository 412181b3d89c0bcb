// The node's users, for its administrators: list, add, disable, enable, rotate a token.
#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "service/auth.h"

namespace entente::api {
namespace {

nlohmann::json UserJson(const store::User& user, int64_t now) {
  const bool expired = user.expires_at != 0 && now >= user.expires_at;
  return {{"id", user.id},
          {"name", user.name},
          {"agency", user.agency},
          {"role", user.role},
          {"tier", user.tier},
          {"designations", user.designations},
          {"created_at", TimeJson(user.created_at)},
          {"expires_at", TimeJson(user.expires_at)},
          {"state", user.disabled ? "disabled" : (expired ? "expired" : "active")}};
}

// The body as an object ({} when empty).
Result<nlohmann::json> BodyObject(const Call& call) {
  if (call.Body().empty()) return nlohmann::json::object();
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json body, ParseJson(call.Body(), "body"));
  if (!body.is_object()) return InvalidArgument("body: expected a JSON object");
  return body;
}

Status TextOf(const nlohmann::json& body, const char* name, bool required, std::string* out) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return required ? InvalidArgument(std::string("body.") + name + ": missing") : Status::Ok();
  }
  if (!it->is_string()) return InvalidArgument(std::string("body.") + name + ": expected text");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status DaysOf(const nlohmann::json& body, int* out) {
  auto it = body.find("expires_in_days");
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 3650) {
    return InvalidArgument("body.expires_in_days: a whole number of days from 0 (never) to 3650");
  }
  *out = static_cast<int>(it->get<int64_t>());
  return Status::Ok();
}

nlohmann::json IssuedJson(const service::IssuedUser& issued) {
  return {
      {"id", issued.user_id}, {"token", issued.token}, {"expires_at", TimeJson(issued.expires_at)}};
}

}  // namespace

void AddUserRoutes(ApiServer& server) {
  const RouteSpec admins = RouteSpec().Requires(policy::Action::kManageUsers);
  server.AddRoute("GET", "/api/v1/users", admins, [&server](Call& call) {
    std::vector<store::User> users;
    const service::Access access{policy::Action::kManageUsers, "", nullptr,
                                 R"({"operation":"list_users"})"};
    const Status status =
        service::RunAudited(*server.deps().store, call.caller, access,
                            [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
                              ENTENTE_ASSIGN_OR_RETURN(users, txn.users().List());
                              return Status::Ok();
                            });
    if (!status.ok()) return ErrorReply(status);
    Reply reply;
    reply.body = {{"users", nlohmann::json::array()}};
    const int64_t now = server.deps().clock->NowMicros();
    for (const store::User& user : users) reply.body["users"].push_back(UserJson(user, now));
    return reply;
  });
  server.AddRoute(
      "POST", "/api/v1/users", RouteSpec(admins).Body(kSmallBodyLimit), [&server](Call& call) {
        Result<nlohmann::json> body = BodyObject(call);
        if (!body.ok()) return ErrorReply(body.status());
        service::NewUser user;
        for (const Status& s :
             {TextOf(*body, "agency", true, &user.agency), TextOf(*body, "role", true, &user.role),
              TextOf(*body, "tier", false, &user.tier),
              TextOf(*body, "designations", false, &user.designations),
              TextOf(*body, "name", false, &user.name), DaysOf(*body, &user.expires_in_days)}) {
          if (!s.ok()) return ErrorReply(s);
        }
        auto issued =
            service::AddUser(*server.deps().store, call.caller, user, *server.deps().clock);
        if (!issued.ok()) return ErrorReply(issued.status());
        Reply reply;
        reply.status = 201;
        reply.body = IssuedJson(*issued);
        reply.headers.emplace_back("Location", "/api/v1/users/" + issued->user_id);
        return reply;
      });
  for (const bool enabled : {false, true}) {
    const std::string path = std::string("/api/v1/users/{id}/") + (enabled ? "enable" : "disable");
    server.AddRoute(
        "POST", path, RouteSpec(admins).Body(kSmallBodyLimit), [&server, enabled](Call& call) {
          const Status status = service::SetUserEnabled(*server.deps().store, call.caller,
                                                        call.params.at(0), enabled);
          if (!status.ok()) return ErrorReply(status);
          Reply reply;
          reply.body = {{"id", call.params.at(0)}, {"state", enabled ? "active" : "disabled"}};
          return reply;
        });
  }
  server.AddRoute("POST", "/api/v1/users/{id}/rotate", RouteSpec(admins).Body(kSmallBodyLimit),
                  [&server](Call& call) {
                    Result<nlohmann::json> body = BodyObject(call);
                    if (!body.ok()) return ErrorReply(body.status());
                    int days = service::kDefaultTokenDays;
                    if (Status s = DaysOf(*body, &days); !s.ok()) return ErrorReply(s);
                    auto issued =
                        service::RotateToken(*server.deps().store, call.caller, call.params.at(0),
                                             days, *server.deps().clock);
                    if (!issued.ok()) return ErrorReply(issued.status());
                    Reply reply;
                    reply.body = IssuedJson(*issued);
                    return reply;
                  });
}

}  // namespace entente::api
