#pragma once

// Which subjects a search keeps: the filters of the console's search page and of
// POST /api/v1/screen ("filters"). Pure: the caller gives today's date.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/entity.h"

namespace entente::model {

enum class CustodyFilter {
  kAny,
  kHeld,     // an establishment, and no release (planned or end of sentence) before today
  kNotHeld,  // the others
};

struct SubjectFilter {
  std::string category = {};      // a category code ("terrorism"), or "" for any
  std::string owner_agency = {};  // "BE" (every Belgian agency) or "BE/police", or "" for any
  std::string nationality = {};   // a country code, nationality or citizenship, or "" for any
  CustodyFilter custody = CustodyFilter::kAny;
  std::string handling_code = {};  // "H0".."H3" (a record without one is H0), or "" for any

  bool empty() const {
    return category.empty() && owner_agency.empty() && nationality.empty() &&
           custody == CustodyFilter::kAny && handling_code.empty();
  }
};

// Checks and canonicalises each field (the country in lower case, the agency as CC/kind);
// InvalidArgument names the field under `field_prefix` ("body.filters").
Result<SubjectFilter> MakeSubjectFilter(SubjectFilter filter, std::string_view field_prefix);

// Parses "held", "not_held" or "" (any).
Result<CustodyFilter> ParseCustodyFilter(std::string_view text, std::string_view field);

// Whether `entity` (a stored subject, its owner agency given apart) passes `filter` on `today`
// (YYYY-MM-DD).
bool PassesFilter(const Entity& entity, std::string_view owner_agency, const SubjectFilter& filter,
                  std::string_view today);

}  // namespace entente::model
