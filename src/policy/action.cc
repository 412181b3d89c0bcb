#include "policy/action.h"

#include <array>

namespace entente::policy {
namespace {

// What each action is, in enum order.
struct ActionTraits {
  Action action;
  std::string_view name;
  bool personal_data;
  bool changes_register;
  bool needs_subject;
  bool hit_no_hit;
};

constexpr std::array<ActionTraits, 16> kActions = {{
    {Action::kReadSubject, "read_subject", true, false, true, false},
    {Action::kReadSubjectHitNoHit, "read_subject_hit_no_hit", true, false, false, true},
    {Action::kWriteSubject, "write_subject", true, true, true, false},
    {Action::kEraseSubject, "erase_subject", true, true, true, false},
    {Action::kRestrictSubject, "restrict_subject", true, true, true, false},
    {Action::kScreen, "screen", true, false, false, true},
    {Action::kReadRadar, "read_radar", true, false, false, false},
    {Action::kManageChecklistTask, "manage_checklist_task", true, true, false, false},
    {Action::kReadNetwork, "read_network", true, false, false, false},
    {Action::kReadAuditLog, "read_audit_log", false, false, false, false},
    {Action::kVerifyAuditLog, "verify_audit_log", false, false, false, false},
    {Action::kManageUsers, "manage_users", false, false, false, false},
    {Action::kManageNodeSettings, "manage_node_settings", false, false, false, false},
    {Action::kExport, "export", true, false, true, false},
    {Action::kApproveExport, "approve_export", true, false, true, false},
    {Action::kImport, "import", true, true, false, false},
}};

constexpr bool InEnumOrder() {
  for (size_t i = 0; i < kActions.size(); ++i) {
    if (static_cast<size_t>(kActions[i].action) != i) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kActions is indexed by Action");

constexpr std::array<Action, kActions.size()> MakeActionList() {
  std::array<Action, kActions.size()> out{};
  for (size_t i = 0; i < kActions.size(); ++i) out[i] = kActions[i].action;
  return out;
}
constexpr std::array<Action, kActions.size()> kActionList = MakeActionList();

const ActionTraits& TraitsOf(Action action) { return kActions[static_cast<size_t>(action)]; }

}  // namespace

std::string_view ActionName(Action action) { return TraitsOf(action).name; }

std::optional<Action> ParseAction(std::string_view text) {
  for (const auto& traits : kActions) {
    if (traits.name == text) return traits.action;
  }
  return std::nullopt;
}

std::span<const Action> AllActions() { return kActionList; }

bool TouchesPersonalData(Action action) { return TraitsOf(action).personal_data; }
bool ChangesRegister(Action action) { return TraitsOf(action).changes_register; }
bool NeedsSubject(Action action) { return TraitsOf(action).needs_subject; }
bool AnswerableHitNoHit(Action action) { return TraitsOf(action).hit_no_hit; }

}  // namespace entente::policy
