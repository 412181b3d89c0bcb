#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "common/status.h"

namespace entente::cli {

// Registers every subcommand on `app`. When a subcommand runs, it stores its exit code in
// *exit_code (0 success, see StatusToExitCode for the others). `exit_code` must outlive `app`.
void AddCommands(CLI::App& app, int* exit_code);

// One function per subcommand, each in its own file.
void AddValidateCommand(CLI::App& app, int* exit_code);
void AddConvertCommand(CLI::App& app, int* exit_code);
void AddSynthCommand(CLI::App& app, int* exit_code);
void AddScreenCommand(CLI::App& app, int* exit_code);
void AddEvalCommand(CLI::App& app, int* exit_code);
void AddCompareCommand(CLI::App& app, int* exit_code);
void AddTrainCommand(CLI::App& app, int* exit_code);
void AddNodeCommand(CLI::App& app, int* exit_code);   // node init
void AddUserCommand(CLI::App& app, int* exit_code);   // user add, user list
void AddAuditCommand(CLI::App& app, int* exit_code);  // audit verify, audit show
void AddImportCommand(CLI::App& app, int* exit_code);
void AddExportCommand(CLI::App& app, int* exit_code);
void AddRadarCommand(CLI::App& app, int* exit_code);
void AddReviewCommand(CLI::App& app, int* exit_code);
void AddServeCommand(CLI::App& app, int* exit_code);
// node keys, partner, send, cases, message, outbox, deliver, notices, stats (after AddNodeCommand)
void AddExchangeCommands(CLI::App& app, int* exit_code);
void AddDemoCommand(CLI::App& app, int* exit_code);
void AddBackupCommands(CLI::App& app, int* exit_code);  // backup, restore
// subject show|add|edit|restrict|erase, search, network (subject_commands.cc)
void AddSubjectCommands(CLI::App& app, int* exit_code);

// What `entente` prints for a command line it cannot parse, and returns (2; 0 for --help and
// --version, which print what was asked): an unknown command is named with the commands that
// exist at that level, an unknown option with the command it was given to.
int ReportParseError(CLI::App& app, const CLI::ParseError& error);

// Prints "entente: <message>" to stderr and returns the exit code for `status`.
int ReportFailure(const Status& status);

// A command line that cannot mean anything (options that exclude each other, none of those
// required): prints "entente: <message>" to stderr and returns 2, like a parse error.
int UsageError(const std::string& message);

}  // namespace entente::cli
