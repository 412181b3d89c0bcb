// entente review --dir D [--sweep [--dry-run]]: reviews due, and the retention sweep.

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/listing.h"
#include "cli/session.h"
#include "policy/retention.h"
#include "service/review.h"

namespace entente::cli {
namespace {

struct ReviewCommandOptions {
  NodeOptions node;
  bool sweep = false;
  bool dry_run = false;
};

int RunReview(const ReviewCommandOptions& options) {
  if (options.dry_run && !options.sweep) return UsageError("--dry-run goes with --sweep");
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  const model::PartialDate today = session->caller.context.today;
  store::Store& store = *session->node->store;

  if (options.sweep) {
    // The node's own duty: every subject, audited as the system on behalf of the user.
    if (Status keys = LoadKeysIfAny(*session); !keys.ok()) return ReportFailure(keys);
    auto report = options.dry_run ? service::PlanRetentionSweep(store, session->caller)
                                  : service::StartRetentionSweep(
                                        store, session->caller,
                                        {session->keys.get(), SystemClock().NowMicros()});
    if (!report.ok()) return ReportFailure(report.status());
    int restricted = 0;
    int erased = 0;
    Listing listing({{"date"}, {"action"}, {"subject_id"}, {"retention_date"}});
    for (const auto& action : report->actions) {
      listing.Add({today.ToString(), std::string(policy::RetentionActionName(action.action)),
                   action.subject_id, action.retention_date});
      (action.action == policy::RetentionAction::kErase ? erased : restricted) += 1;
    }
    listing.Print(std::cout, session->format);
    std::cerr << "entente: retention sweep on " << today.ToString()
              << (options.dry_run ? " (dry run: nothing changed): " : ": ") << restricted
              << (options.dry_run ? " to restrict, " : " restricted, ") << erased
              << (options.dry_run ? " to erase; " : " erased; ") << report->received_erased
              << " records received from partners "
              << (options.dry_run ? "to erase\n" : "erased\n");
    return 0;
  }
  auto items = service::ListOverdueReviews(store, session->caller, today);
  if (!items.ok()) return ReportFailure(items.status());
  Listing listing({{"state"}, {"deadline"}, {"subject_id"}, {"owner"}});
  for (const auto& item : *items) {
    listing.Add({std::string(policy::ReviewStateName(item.state)),
                 item.deadline.empty() ? nlohmann::json(nullptr) : nlohmann::json(item.deadline),
                 item.subject_id, item.owner_agency});
  }
  listing.Print(std::cout, session->format);
  std::cerr << "entente: " << items->size() << " reviews due or overdue on " << today.ToString()
            << "\n";
  return 0;
}

}  // namespace

void AddReviewCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ReviewCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("review", "Reviews due or overdue; with --sweep, the retention sweep");
  AddNodeOptions(cmd, &options->node, kJustified | kListing);
  cmd->add_flag("--sweep", options->sweep,
                "run the retention sweep now: restrict past the retention limit, erase 90 days "
                "later (administrators, supervisors; audited as the node's, on your behalf)");
  cmd->add_flag("--dry-run", options->dry_run,
                "with --sweep: list what it would do, change nothing");
  cmd->callback([options, exit_code] { *exit_code = RunReview(*options); });
}

}  // namespace entente::cli
