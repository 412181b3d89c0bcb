#include "model/vocabulary.h"

#include <array>

namespace entente::model {
namespace {

template <typename E, size_t N>
std::optional<E> ParseIn(const std::array<std::string_view, N>& codes, std::string_view code) {
  for (size_t i = 0; i < N; ++i) {
    if (codes[i] == code) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Order follows the enums.
constexpr std::array<std::string_view, 10> kCategories = {
    "foreign_terrorist_fighter", "returnee",
    "returning_minor",           "homegrown_terrorist_fighter",
    "hate_propagandist",         "potentially_violent_extremist",
    "terrorism_convict",         "radicalised_prisoner",
    "weapons_trafficking",       "drugs_trafficking"};
constexpr std::array<std::string_view, 6> kDataSubjects = {
    "suspect", "convicted", "victim", "contact_or_associate", "witness", "other"};
constexpr std::array<std::string_view, 2> kInformationTypes = {"fact", "assessment"};
constexpr std::array<std::string_view, 4> kHandlingCodes = {"H0", "H1", "H2", "H3"};
constexpr std::array<std::string_view, 4> kReliabilities = {"A", "B", "C", "X"};
constexpr std::array<std::string_view, 4> kAccuracies = {"1", "2", "3", "4"};
constexpr std::array<std::string_view, 6> kAgencyKinds = {
    "police", "intelligence", "judicial", "penitentiary", "administration", "youth_protection"};
constexpr std::array<std::string_view, 7> kLinkTypes = {
    "family", "associate", "co_defendant", "cell_mate", "communication", "travel", "membership"};

}  // namespace

std::string_view CategoryCode(Category c) { return kCategories[static_cast<size_t>(c)]; }
std::optional<Category> ParseCategory(std::string_view code) {
  return ParseIn<Category>(kCategories, code);
}
std::span<const std::string_view> CategoryCodes() { return kCategories; }

std::string_view DataSubjectCode(DataSubjectCategory c) {
  return kDataSubjects[static_cast<size_t>(c)];
}
std::optional<DataSubjectCategory> ParseDataSubject(std::string_view code) {
  return ParseIn<DataSubjectCategory>(kDataSubjects, code);
}
std::span<const std::string_view> DataSubjectCodes() { return kDataSubjects; }

std::string_view InformationTypeCode(InformationType t) {
  return kInformationTypes[static_cast<size_t>(t)];
}
std::optional<InformationType> ParseInformationType(std::string_view code) {
  return ParseIn<InformationType>(kInformationTypes, code);
}
std::span<const std::string_view> InformationTypeCodes() { return kInformationTypes; }

std::string_view HandlingCodeName(HandlingCode h) { return kHandlingCodes[static_cast<size_t>(h)]; }
std::optional<HandlingCode> ParseHandlingCode(std::string_view code) {
  return ParseIn<HandlingCode>(kHandlingCodes, code);
}
std::span<const std::string_view> HandlingCodeNames() { return kHandlingCodes; }

std::string_view SourceReliabilityCode(SourceReliability r) {
  return kReliabilities[static_cast<size_t>(r)];
}
std::optional<SourceReliability> ParseSourceReliability(std::string_view code) {
  return ParseIn<SourceReliability>(kReliabilities, code);
}
std::span<const std::string_view> SourceReliabilityCodes() { return kReliabilities; }

std::string_view InformationAccuracyCode(InformationAccuracy a) {
  return kAccuracies[static_cast<size_t>(a)];
}
std::optional<InformationAccuracy> ParseInformationAccuracy(std::string_view code) {
  return ParseIn<InformationAccuracy>(kAccuracies, code);
}
std::span<const std::string_view> InformationAccuracyCodes() { return kAccuracies; }

std::string_view AgencyKindCode(AgencyKind k) { return kAgencyKinds[static_cast<size_t>(k)]; }
std::optional<AgencyKind> ParseAgencyKind(std::string_view code) {
  return ParseIn<AgencyKind>(kAgencyKinds, code);
}
std::span<const std::string_view> AgencyKindCodes() { return kAgencyKinds; }

std::string_view LinkTypeCode(LinkType t) { return kLinkTypes[static_cast<size_t>(t)]; }
std::optional<LinkType> ParseLinkType(std::string_view code) {
  return ParseIn<LinkType>(kLinkTypes, code);
}
std::span<const std::string_view> LinkTypeCodes() { return kLinkTypes; }

}  // namespace entente::model
