// entente review --dir D [--sweep]: reviews due, and the retention sweep.

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/node_access.h"
#include "common/clock.h"
#include "policy/retention.h"
#include "service/review.h"

namespace entente::cli {
namespace {

struct ReviewCommandOptions {
  std::string dir;
  std::string store;
  std::string token_file;
  std::string justification;
  std::string case_reference;
  bool sweep = false;
};

int RunReview(const ReviewCommandOptions& options) {
  const Clock& clock = SystemClock();
  auto node = OpenNode(options.dir, options.store, clock);
  if (!node.ok()) return ReportFailure(node.status());
  auto caller = CommandCaller(**node, options.token_file, clock);
  if (!caller.ok()) return ReportFailure(caller.status());
  caller->context.justification = options.justification;
  caller->context.case_reference = options.case_reference;
  const model::PartialDate today = caller->context.today;
  store::Store& store = *(*node)->store;

  if (options.sweep) {
    // The node's own duty: every subject, audited as the system on behalf of the user.
    auto report = service::StartRetentionSweep(store, *caller);
    if (!report.ok()) return ReportFailure(report.status());
    int restricted = 0;
    int erased = 0;
    for (const auto& action : report->actions) {
      std::cout << today.ToString() << "  " << policy::RetentionActionName(action.action) << "  "
                << action.subject_id << "  (retention limit " << action.retention_date << ")\n";
      (action.action == policy::RetentionAction::kErase ? erased : restricted) += 1;
    }
    std::cout << "retention sweep on " << today.ToString() << ": " << restricted << " restricted, "
              << erased << " erased\n";
    return 0;
  }
  auto items = service::ListOverdueReviews(store, *caller, today);
  if (!items.ok()) return ReportFailure(items.status());
  for (const auto& item : *items) {
    std::cout << policy::ReviewStateName(item.state) << "  "
              << (item.deadline.empty() ? "(no deadline)" : item.deadline) << "  "
              << item.subject_id << "  " << item.owner_agency << "\n";
  }
  std::cout << items->size() << " reviews due or overdue on " << today.ToString() << "\n";
  return 0;
}

}  // namespace

void AddReviewCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ReviewCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "review",
      "List the subjects whose review is due or overdue (analysts, supervisors); with --sweep, "
      "run the retention sweep: restrict past the retention limit, erase 90 days later");
  cmd->add_option("--dir", options->dir, "the node's directory")->required();
  cmd->add_option("--store", options->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--token-file", options->token_file,
                  "the acting user's token (default: $ENTENTE_TOKEN, else DIR/admin.token)");
  cmd->add_option("--justification", options->justification,
                  "why (at least 10 characters; needed to list reviews)");
  cmd->add_option("--case", options->case_reference, "case reference");
  cmd->add_flag("--sweep", options->sweep,
                "run the retention sweep as the node (audited on behalf of the acting user)");
  cmd->callback([options, exit_code] { *exit_code = RunReview(*options); });
}

}  // namespace entente::cli
