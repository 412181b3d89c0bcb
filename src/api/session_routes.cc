// The console's sign-in: a token exchanged for a session cookie (HttpOnly, Secure,
// SameSite=Strict, expiring), who is signed in, and sign-out. The API keeps accepting bearer
// tokens; a change made with the cookie carries the session's X-CSRF-Token (server.cc, Admit).
#include <nlohmann/json.hpp>

#include "api/server.h"
#include "common/json.h"
#include "service/auth.h"

namespace entente::api {
namespace {

std::string SessionCookie(std::string_view value, int64_t max_age_seconds) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds);
}

nlohmann::json SessionJson(const ApiServer& server, const policy::Principal& principal,
                           const std::string& csrf_token, int64_t expires_at) {
  std::string name;
  if (auto user = server.deps().store->users().Get(principal.user_id); user.ok()) {
    name = user->name;
  }
  nlohmann::json designations = nlohmann::json::array();
  for (policy::Designation d : principal.designations) {
    designations.push_back(policy::DesignationName(d));
  }
  nlohmann::json out = {{"user",
                         {{"id", principal.user_id},
                          {"name", name},
                          {"agency", principal.agency.ToString()},
                          {"role", policy::RoleName(principal.role)},
                          {"tier", policy::AccessTierName(principal.tier)},
                          {"designations", std::move(designations)}}},
                        {"node_country", server.deps().node_country},
                        {"expires_at", TimeJson(expires_at)}};
  if (!csrf_token.empty()) out["csrf_token"] = csrf_token;
  return out;
}

}  // namespace

void AddSessionRoutes(ApiServer& server) {
  server.AddRoute(
      "POST", "/api/v1/session", RouteSpec::Public().Body(kSmallBodyLimit), [&server](Call& call) {
        if (!server.deps().authenticate_session) {
          return ErrorReply(FailedPrecondition("this server does not open sessions"));
        }
        if (std::optional<Reply> throttled = server.AuthThrottled(call.request.peer)) {
          return *throttled;
        }
        Result<nlohmann::json> body = ParseJson(call.Body(), "body");
        if (!body.ok()) return ErrorReply(body.status());
        const auto token = body->is_object() ? body->find("token") : body->end();
        if (!body->is_object() || token == body->end() || !token->is_string() ||
            token->get<std::string>().empty()) {
          return ErrorReply(InvalidArgument("body.token: expected the bearer token, as text"));
        }
        Result<policy::Principal> principal = server.deps().authenticate(token->get<std::string>());
        if (!principal.ok()) {
          if (principal.status().code() == StatusCode::kUnauthenticated) {
            server.AuthFailed(call.request.peer);
          }
          return ErrorReply(principal.status());
        }
        auto opened = service::OpenUserSession(*server.deps().store, *principal, call.request.peer,
                                               *server.deps().clock);
        if (!opened.ok()) return ErrorReply(opened.status());
        Reply reply;
        reply.status = 201;
        reply.body = SessionJson(server, *principal, opened->csrf_token, opened->expires_at);
        reply.headers.emplace_back("Set-Cookie",
                                   SessionCookie(opened->id, service::kSessionMicros / 1'000'000));
        reply.headers.emplace_back("Cache-Control", "no-store");
        return reply;
      });
  server.AddRoute("GET", "/api/v1/session", RouteSpec(), [&server](Call& call) {
    Reply reply;
    reply.body = SessionJson(server, call.caller.principal, call.csrf_token, 0);
    if (!call.session_id.empty()) {
      if (auto signed_in = server.deps().authenticate_session(call.session_id); signed_in.ok()) {
        reply.body["expires_at"] = TimeJson(signed_in->expires_at);
      }
    }
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
  });
  server.AddRoute("DELETE", "/api/v1/session", RouteSpec(), [&server](Call& call) {
    if (call.session_id.empty()) {
      return ErrorReply(FailedPrecondition(
          "no session to end: a bearer token stops working when an administrator rotates it"));
    }
    const Status closed =
        service::CloseUserSession(*server.deps().store, call.caller.principal, call.session_id);
    if (!closed.ok()) return ErrorReply(closed);
    Reply reply;
    reply.body = {{"state", "signed_out"}};
    reply.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
    return reply;
  });
}

}  // namespace entente::api
