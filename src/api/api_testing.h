#pragma once

// Helpers for the API's tests only: users by bearer token, and a server on a free port.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "api/server.h"

namespace entente::api::testing {

using TestUsers = std::map<std::string, policy::Principal>;

// A user of the test node: what an Authenticator would establish from the store.
inline policy::Principal User(const char* id, const char* agency, policy::Role role,
                              policy::AccessTier tier) {
  policy::Principal p;
  p.user_id = id;
  p.agency = *policy::AgencyId::Parse(agency);
  p.role = role;
  p.tier = tier;
  return p;
}

// Authenticates the tokens of `users` (which must outlive the server), refusing any other.
inline AuthenticateFn TokensOf(const TestUsers* users) {
  return [users](std::string_view token) -> Result<policy::Principal> {
    auto it = users->find(std::string(token));
    if (it == users->end()) return Status(StatusCode::kUnauthenticated, "unknown token");
    return it->second;
  };
}

// `deps` served over plain HTTP on a free loopback port, started.
inline Result<std::unique_ptr<ApiServer>> StartTestServer(ApiDeps deps) {
  ServerOptions options;
  options.port = 0;
  options.threads = 4;
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<ApiServer> server,
                           ApiServer::Create(std::move(deps), options));
  ENTENTE_RETURN_IF_ERROR(server->Start());
  return server;
}

}  // namespace entente::api::testing
