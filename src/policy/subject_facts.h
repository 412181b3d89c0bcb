#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/date.h"
#include "model/entity.h"
#include "model/vocabulary.h"
#include "policy/principal.h"

namespace entente::policy {

// Where a subject stands with respect to retention (the store keeps it beside the record).
enum class RecordState {
  kActive,
  kRestricted,  // kept, but only supervisors may read it, to review or erase it
  kErased,      // only the id remains
};

// "active", "restricted", "erased".
std::string_view RecordStateName(RecordState state);
// InvalidArgument naming the accepted states for anything else.
Result<RecordState> ParseRecordState(std::string_view text);

// The handling code of a record that states none: nothing leaves the node without the
// provider's permission until someone sets one.
inline constexpr model::HandlingCode kDefaultHandlingCode = model::HandlingCode::kH2;

// The facts about one subject that the rules look at. A plain value type; build it with
// SubjectFactsFromEntity or by hand in tests.
struct SubjectFacts {
  std::string id;
  std::optional<AgencyId> owner;                // ownerAgency; nullopt when the record has none
  std::vector<model::PartialDate> birth_dates;  // every birthDate, possibly partial
  bool returning_minor = false;                 // category returning_minor
  model::HandlingCode handling_code = kDefaultHandlingCode;
  std::string handling_restriction;                  // the words of an H3 restriction
  std::optional<model::PartialDate> review_date;     // reviewDate, a full date
  std::optional<model::PartialDate> retention_date;  // retentionDate, a full date
  std::optional<model::PartialDate> last_change;     // modifiedAt, else createdAt
  RecordState state = RecordState::kActive;
  std::optional<model::PartialDate> restricted_on;  // when the state became kRestricted
  std::vector<model::Category> categories;          // every category, each once, in record order
};

// Reads the facts from a register entity (property names of model/property.cc). A missing
// handlingCode gives kDefaultHandlingCode. InvalidArgument naming the property and value if one
// the rules need cannot be read (a bad ownerAgency, category, handlingCode or date).
Result<SubjectFacts> SubjectFactsFromEntity(const model::Entity& entity,
                                            RecordState state = RecordState::kActive,
                                            std::optional<model::PartialDate> restricted_on = {});

// Age under which a person is a minor.
inline constexpr int kAgeOfMajority = 18;

// Whether the subject is a minor on `today` (a full date): in category returning_minor, or under
// kAgeOfMajority by any of its birth dates. A partial birth date counts from the last day of its
// period (born "2008" is a minor until 2026-12-31), so doubt protects the minor.
bool IsMinorOn(const SubjectFacts& subject, const model::PartialDate& today);

// The day of `micros` (microseconds since the Unix epoch, UTC), for callers holding a Clock time.
model::PartialDate DayOfMicros(int64_t micros);

}  // namespace entente::policy
