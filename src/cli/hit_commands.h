#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace entente::cli {

// index new-key|key|publish|status, hits, followup, followups, decide (hit_commands.cc).
void AddHitCommands(CLI::App& app, int* exit_code);

// `entente screen --partners`: each query against the node's register (plaintext) and against
// every partner's encoded index; CSV query_id,match_id,score,country,owner,hit_id, where a
// partner's match_id is its opaque reference.
struct PartnerScreenOptions {
  std::string dir;
  std::string store;
  std::string token_file;
  std::string justification;
  std::string case_reference;
  std::string queries;
  std::string output;
  double threshold = 0;          // the register's (0: its default)
  double partner_threshold = 0;  // the encoded one (0: its default)
  bool strict = false;
  // Queries screened and saved at a time: an interrupted run resumes after the last chunk saved.
  int chunk = 500;
};
int RunScreenPartners(const PartnerScreenOptions& options);

}  // namespace entente::cli
