#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace entente::policy {

// What a principal asks to do. Authorize (authorize.h) decides each.
enum class Action {
  kReadSubject,          // the full record of a subject
  kReadSubjectHitNoHit,  // only whether a subject is known, and whom to ask
  kWriteSubject,         // create or update a subject
  kEraseSubject,         // delete a subject (only its id remains)
  kRestrictSubject,      // restrict a subject's processing, or lift the restriction
  kScreen,               // match records against the register
  kReadRadar,            // releases and leaves from prison in a window
  kManageChecklistTask,  // add or change a task of a release-preparation checklist
  kReadNetwork,          // links around a subject
  kReadAuditLog,
  kVerifyAuditLog,
  kManageUsers,
  kManageNodeSettings,
  kExport,         // a subject to a file or to a partner (RequestContext::destination)
  kApproveExport,  // a supervisor's approval of an export restricted by handling code
  kImport,         // load a file of subjects into the register, all or nothing
};

// "read_subject", "read_subject_hit_no_hit", "write_subject", ... (snake_case of the enum).
std::string_view ActionName(Action action);
// nullopt for anything but an ActionName.
std::optional<Action> ParseAction(std::string_view text);
// Every action, in enum order.
std::span<const Action> AllActions();

// Whether the action reads or changes personal data, and so needs a justification and a tier
// with direct access. Audit-log, user and node-setting actions do not.
bool TouchesPersonalData(Action action);

// Whether the action changes the register (needs the consult_and_feed tier).
bool ChangesRegister(Action action);

// Whether Authorize needs the facts of the subject concerned for this action.
bool NeedsSubject(Action action);

// Whether a hit/no-hit answer satisfies the action (hit/no-hit principals may ask it).
bool AnswerableHitNoHit(Action action);

}  // namespace entente::policy
