#include "model/subject_filter.h"

#include "model/country.h"
#include "model/date.h"
#include "model/vocabulary.h"

namespace entente::model {
namespace {

std::string Field(std::string_view prefix, std::string_view name) {
  std::string out(prefix);
  if (!out.empty()) out += '.';
  out += name;
  return out;
}

// The last day of release among the planned release and the end of the sentence, as a full
// date; "" when neither is given.
std::string ReleaseDay(const Entity& entity) {
  std::string day;
  for (const char* property : {"plannedRelease", "sentenceEnd"}) {
    const std::string_view value = entity.First(property);
    if (value.size() == 10 && (day.empty() || value < day)) day = std::string(value);
  }
  return day;
}

bool Held(const Entity& entity, std::string_view today) {
  if (entity.First("establishment").empty()) return false;
  const std::string release = ReleaseDay(entity);
  return release.empty() || release >= today;
}

}  // namespace

Result<CustodyFilter> ParseCustodyFilter(std::string_view text, std::string_view field) {
  if (text.empty()) return CustodyFilter::kAny;
  if (text == "held") return CustodyFilter::kHeld;
  if (text == "not_held") return CustodyFilter::kNotHeld;
  return InvalidArgument(std::string(field) + ": expected \"held\" or \"not_held\"");
}

Result<SubjectFilter> MakeSubjectFilter(SubjectFilter filter, std::string_view field_prefix) {
  if (!filter.category.empty() && !ParseCategory(filter.category)) {
    std::string codes;
    for (std::string_view code : CategoryCodes())
      codes += (codes.empty() ? "" : ", ") + std::string(code);
    return InvalidArgument(Field(field_prefix, "category") + ": \"" + filter.category +
                           "\" is not a category (one of " + codes + ")");
  }
  if (!filter.owner_agency.empty()) {
    const std::string& a = filter.owner_agency;
    const std::string country = a.substr(0, 2);
    const bool whole_country = a.size() == 2 && IsCountryCode(country);
    const bool agency = a.size() > 3 && a[2] == '/' && IsCountryCode(country) &&
                        ParseAgencyKind(std::string_view(a).substr(3)).has_value();
    if (!whole_country && !agency) {
      return InvalidArgument(Field(field_prefix, "owner_agency") + ": \"" + a +
                             "\" is neither a country code (BE) nor an agency (BE/police)");
    }
    filter.owner_agency = CanonicalCountry(country) + a.substr(2);
  }
  if (!filter.nationality.empty()) {
    if (!IsCountryCode(filter.nationality)) {
      return InvalidArgument(Field(field_prefix, "nationality") + ": \"" + filter.nationality +
                             "\" is not a two-letter country code");
    }
    filter.nationality = CanonicalCountry(filter.nationality);
  }
  if (!filter.handling_code.empty() && !ParseHandlingCode(filter.handling_code)) {
    return InvalidArgument(Field(field_prefix, "handling_code") + ": \"" + filter.handling_code +
                           "\" is not a handling code (H0 to H3)");
  }
  return filter;
}

bool PassesFilter(const Entity& entity, std::string_view owner_agency, const SubjectFilter& filter,
                  std::string_view today) {
  if (!filter.category.empty()) {
    bool found = false;
    for (const std::string& c : entity.Values("category")) found = found || c == filter.category;
    if (!found) return false;
  }
  if (!filter.owner_agency.empty()) {
    const std::string agency =
        owner_agency.size() >= 2
            ? CanonicalCountry(owner_agency.substr(0, 2)) + std::string(owner_agency.substr(2))
            : std::string(owner_agency);
    const bool whole_country = filter.owner_agency.size() == 2;
    if (whole_country ? agency.compare(0, 2, filter.owner_agency) != 0 || agency.size() < 3 ||
                            agency[2] != '/'
                      : agency != filter.owner_agency) {
      return false;
    }
  }
  if (!filter.nationality.empty()) {
    bool found = false;
    for (const char* property : {"nationality", "citizenship"}) {
      for (const std::string& c : entity.Values(property)) {
        found = found || CanonicalCountry(c) == filter.nationality;
      }
    }
    if (!found) return false;
  }
  if (filter.custody != CustodyFilter::kAny &&
      Held(entity, today) != (filter.custody == CustodyFilter::kHeld)) {
    return false;
  }
  if (!filter.handling_code.empty()) {
    const std::string_view code = entity.First("handlingCode");
    if ((code.empty() ? std::string_view("H0") : code) != filter.handling_code) return false;
  }
  return true;
}

}  // namespace entente::model
