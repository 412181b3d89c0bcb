// The entente program: wiring only. Subcommands live in src/cli.

#include <csignal>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/log.h"

int main(int argc, char** argv) {
  // A peer that goes away mid-write is an error to handle, not a reason to die: writes to a
  // closed connection fail with EPIPE instead of killing the node.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"Entente: counter-terrorism information exchange between partner services",
               "entente"};
  app.require_subcommand(1);
  // Names in a column of 22, descriptions after: `entente --help` fits 100 columns.
  app.get_formatter()->column_width(22);
  app.set_version_flag("--version", "entente 0.1.0");
  std::string log_format = "human";
  std::string log_level = "info";
  app.add_option("--log-format", log_format, "human or json")
      ->check(CLI::IsMember({"human", "json"}))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  int exit_code = 0;
  entente::cli::AddCommands(app, &exit_code);
  app.parse_complete_callback([&] {
    entente::InitLogging(
        log_format == "json" ? entente::LogFormat::kJsonLines : entente::LogFormat::kHuman,
        spdlog::level::from_str(log_level));
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print and succeed; every usage error exits 2, naming what is wrong.
    return entente::cli::ReportParseError(app, e);
  }
  return exit_code;
}
