#include "cli/node_access.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "policy/subject_facts.h"
#include "service/auth.h"

namespace entente::cli {
namespace {

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

Result<std::string> ReadToken(const OpenedNode& node, const std::string& token_file) {
  if (token_file.empty()) {
    const char* env = std::getenv("ENTENTE_TOKEN");
    if (env != nullptr && *env != '\0') return Trim(env);
  }
  const std::string path = token_file.empty() ? node.paths.admin_token : token_file;
  if (token_file.empty()) {
    // Said once a process, so that nobody acts as the administrator without knowing it.
    static bool said = false;
    if (!said) {
      said = true;
      std::cerr << "entente: acting as the node's administrator (" << path
                << "); give --token-file FILE or set ENTENTE_TOKEN to act as a user\n";
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound(path +
                    ": no bearer token to act with; pass --token-file FILE or set ENTENTE_TOKEN");
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string token = Trim(text.str());
  if (token.empty()) return InvalidArgument(path + ": empty; expected a bearer token");
  return token;
}

}  // namespace

Result<std::unique_ptr<OpenedNode>> OpenNode(const std::string& dir,
                                             const std::string& store_override,
                                             const Clock& clock) {
  auto node = std::make_unique<OpenedNode>(dir);
  ENTENTE_ASSIGN_OR_RETURN(node->config, service::LoadNodeConfig(node->paths));
  ENTENTE_ASSIGN_OR_RETURN(
      node->store, service::OpenNodeStore(node->paths, node->config, clock, store_override));
  return node;
}

Result<service::Caller> CommandCaller(const OpenedNode& node, const std::string& token_file,
                                      const Clock& clock) {
  ENTENTE_ASSIGN_OR_RETURN(std::string token, ReadToken(node, token_file));
  // One authentication per command: nothing to cache.
  service::Authenticator authenticator(*node.store, clock, 0);
  service::Caller caller;
  ENTENTE_ASSIGN_OR_RETURN(caller.principal, authenticator.Authenticate(token));
  caller.context.node_country = node.config.country;
  caller.context.today = policy::DayOfMicros(clock.NowMicros());
  caller.context.justification_field = "--justification";
  return caller;
}

std::string RedactStoreUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace entente::cli
