#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace entente::model {

// Entente's controlled vocabularies. Each has a stable lowercase code used in files and APIs
// (the value of the property in property.h); Parse* returns nullopt for anything else.

// Subject categories of the Belgian joint database, widened to weapons and drugs trafficking.
enum class Category {
  kForeignTerroristFighter,
  kReturnee,
  kReturningMinor,
  kHomegrownTerroristFighter,
  kHatePropagandist,
  kPotentiallyViolentExtremist,
  kTerrorismConvict,
  kRadicalisedPrisoner,
  kWeaponsTrafficking,
  kDrugsTrafficking,
};

// Data-subject categories of the EU Law Enforcement Directive (2016/680, art. 6).
enum class DataSubjectCategory {
  kSuspect,
  kConvicted,
  kVictim,
  kContactOrAssociate,
  kWitness,
  kOther
};

// Whether a record states facts or an assessment (LED art. 7).
enum class InformationType { kFact, kAssessment };

// Handling codes. H0: use only to prevent and combat crime; H1: not to be used in judicial
// proceedings without the provider's permission; H2: not to be disseminated further without
// the provider's permission; H3: other restrictions, stated in words (handlingRestriction).
enum class HandlingCode { kH0, kH1, kH2, kH3 };

// Evaluation of the source (A completely reliable, B mostly reliable, C not reliable,
// X cannot be assessed) and of the information (1 known true, 2 known to the source,
// 3 not known to the source but corroborated, 4 cannot be assessed).
enum class SourceReliability { kA, kB, kC, kX };
enum class InformationAccuracy { k1, k2, k3, k4 };

// The kinds of agency in a node.
enum class AgencyKind {
  kPolice,
  kIntelligence,
  kJudicial,
  kPenitentiary,
  kAdministration,
  kYouthProtection
};

// Link types between subjects.
enum class LinkType {
  kFamily,
  kAssociate,
  kCoDefendant,
  kCellMate,
  kCommunication,
  kTravel,
  kMembership
};

// Threat levels 1 (low) to 4 (very high), as the Belgian OCAM/CUTA scale.
inline constexpr int kMinThreatLevel = 1;
inline constexpr int kMaxThreatLevel = 4;

std::string_view CategoryCode(Category c);
std::optional<Category> ParseCategory(std::string_view code);
std::span<const std::string_view> CategoryCodes();

std::string_view DataSubjectCode(DataSubjectCategory c);
std::optional<DataSubjectCategory> ParseDataSubject(std::string_view code);
std::span<const std::string_view> DataSubjectCodes();

std::string_view InformationTypeCode(InformationType t);
std::optional<InformationType> ParseInformationType(std::string_view code);
std::span<const std::string_view> InformationTypeCodes();

std::string_view HandlingCodeName(HandlingCode h);  // "H0".."H3"
std::optional<HandlingCode> ParseHandlingCode(std::string_view code);
std::span<const std::string_view> HandlingCodeNames();

std::string_view SourceReliabilityCode(SourceReliability r);  // "A","B","C","X"
std::optional<SourceReliability> ParseSourceReliability(std::string_view code);
std::span<const std::string_view> SourceReliabilityCodes();

std::string_view InformationAccuracyCode(InformationAccuracy a);  // "1".."4"
std::optional<InformationAccuracy> ParseInformationAccuracy(std::string_view code);
std::span<const std::string_view> InformationAccuracyCodes();

std::string_view AgencyKindCode(AgencyKind k);
std::optional<AgencyKind> ParseAgencyKind(std::string_view code);
std::span<const std::string_view> AgencyKindCodes();

std::string_view LinkTypeCode(LinkType t);
std::optional<LinkType> ParseLinkType(std::string_view code);
std::span<const std::string_view> LinkTypeCodes();

}  // namespace entente::model
