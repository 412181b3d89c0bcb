#include "model/validation.h"

#include <optional>

#include "common/ids.h"
#include "model/country.h"
#include "model/date.h"
#include "model/entity_io.h"
#include "model/property.h"
#include "model/vocabulary.h"

namespace entente::model {
namespace {

constexpr size_t kMaxNameBytes = 300;
constexpr size_t kMaxTextBytes = 4000;

template <typename Codes>
std::string OneOf(const Codes& codes) {
  std::string out = "expected one of ";
  bool first = true;
  for (std::string_view c : codes) {
    if (!first) out += ", ";
    out += c;
    first = false;
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string Quoted(std::string_view value) {
  constexpr size_t kShow = 40;
  std::string out = "'";
  out += value.size() > kShow ? std::string(value.substr(0, kShow)) + "..." : std::string(value);
  out += "'";
  return out;
}

std::string CheckText(std::string_view value, size_t max_bytes, bool allow_newlines) {
  if (value.empty()) return "empty value";
  if (value.size() > max_bytes) {
    return "longer than " + std::to_string(max_bytes) + " bytes";
  }
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && !(allow_newlines && (c == '\n' || c == '\t' || c == '\r'))) {
      return "contains a control character";
    }
    if (u == 0x7F) return "contains a control character";
  }
  if (value.front() == ' ' || value.back() == ' ') return "leading or trailing space";
  return "";
}

std::string CheckName(std::string_view value) {
  std::string problem = CheckText(value, kMaxNameBytes, false);
  if (!problem.empty()) return problem;
  bool has_letter = false;
  for (char c : value) {
    // Any non-ASCII byte is part of a letter of another script; validity of UTF-8 is the
    // reader's job.
    if (IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0x80) has_letter = true;
    if (IsDigit(c)) return "a name contains a digit: " + Quoted(value);
  }
  if (!has_letter) return "a name has no letter: " + Quoted(value);
  return "";
}

std::string CheckDate(std::string_view value, bool full) {
  auto date = PartialDate::Parse(value);
  if (!date.ok()) return date.status().message();
  if (full && date->precision() != PartialDate::Precision::kDay) {
    return Quoted(value) + " is not a full date (expected YYYY-MM-DD)";
  }
  return "";
}

std::string CheckIdentifier(std::string_view value) {
  if (value.empty()) return "empty value";
  if (value.size() > 40) return "longer than 40 characters";
  int alnum = 0;
  for (char c : value) {
    if (IsAsciiAlpha(c) || IsDigit(c)) {
      ++alnum;
    } else if (c != ' ' && c != '-' && c != '.' && c != '/') {
      return Quoted(value) + " has a character other than letters, digits, space, - . /";
    }
  }
  if (alnum < 3) return Quoted(value) + " has fewer than 3 letters or digits";
  return "";
}

std::string CheckPhone(std::string_view value) {
  if (value.empty()) return "empty value";
  int digits = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (IsDigit(c)) {
      ++digits;
    } else if (c == '+') {
      if (i != 0) return Quoted(value) + ": '+' only at the start";
    } else if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')') {
      return Quoted(value) + " is not a phone number";
    }
  }
  if (digits < 6 || digits > 17) return Quoted(value) + " does not have 6-17 digits";
  return "";
}

std::string CheckEmail(std::string_view value) {
  const size_t at = value.find('@');
  if (value.empty() || at == std::string_view::npos || at == 0 ||
      value.find('@', at + 1) != std::string_view::npos ||
      value.find('.', at + 2) == std::string_view::npos || value.back() == '.' ||
      value.find(' ') != std::string_view::npos) {
    return Quoted(value) + " is not an e-mail address (expected local@domain.tld)";
  }
  return "";
}

std::string CheckAgency(std::string_view value) {
  const size_t slash = value.find('/');
  if (slash != 2 || !IsCountryCode(value.substr(0, 2)) ||
      !ParseAgencyKind(value.substr(3)).has_value()) {
    return Quoted(value) + " is not an agency (expected CC/kind, kind " +
           OneOf(AgencyKindCodes()).substr(9) + ")";
  }
  return "";
}

std::string CheckLeave(std::string_view value) {
  const size_t slash = value.find('/');
  if (slash == std::string_view::npos) {
    return Quoted(value) + " is not a leave (expected YYYY-MM-DD/YYYY-MM-DD)";
  }
  auto start = PartialDate::Parse(value.substr(0, slash));
  auto end = PartialDate::Parse(value.substr(slash + 1));
  if (!start.ok()) return "start: " + start.status().message();
  if (!end.ok()) return "end: " + end.status().message();
  if (start->precision() != PartialDate::Precision::kDay ||
      end->precision() != PartialDate::Precision::kDay) {
    return Quoted(value) + " needs full dates (expected YYYY-MM-DD/YYYY-MM-DD)";
  }
  if (end->ToEpochDays() < start->ToEpochDays()) return "the leave ends before it starts";
  return "";
}

std::string CheckLink(std::string_view value) {
  const size_t colon = value.find(':');
  if (colon == std::string_view::npos) {
    return Quoted(value) + " is not a link (expected TYPE:ID)";
  }
  if (!ParseLinkType(value.substr(0, colon)).has_value()) {
    return "link type " + Quoted(value.substr(0, colon)) + " unknown; " + OneOf(LinkTypeCodes());
  }
  if (!IsValidId(value.substr(colon + 1))) {
    return "link target " + Quoted(value.substr(colon + 1)) + " is not a valid id";
  }
  return "";
}

std::string CheckValue(const PropertySpec& spec, std::string_view value) {
  switch (spec.type) {
    case PropertyType::kName:
      return CheckName(value);
    case PropertyType::kText:
      return CheckText(value, kMaxTextBytes, true);
    case PropertyType::kDate:
      return CheckDate(value, false);
    case PropertyType::kFullDate:
      return CheckDate(value, true);
    case PropertyType::kCountry:
      return IsCountryCode(value) ? "" : Quoted(value) + " is not an ISO 3166-1 alpha-2 code";
    case PropertyType::kGender:
      return value == "male" || value == "female" || value == "other"
                 ? ""
                 : Quoted(value) + ": expected male, female or other";
    case PropertyType::kIdentifier:
      return CheckIdentifier(value);
    case PropertyType::kPhone:
      return CheckPhone(value);
    case PropertyType::kEmail:
      return CheckEmail(value);
    case PropertyType::kCategory:
      return ParseCategory(value) ? "" : Quoted(value) + ": " + OneOf(CategoryCodes());
    case PropertyType::kDataSubject:
      return ParseDataSubject(value) ? "" : Quoted(value) + ": " + OneOf(DataSubjectCodes());
    case PropertyType::kInformationType:
      return ParseInformationType(value) ? ""
                                         : Quoted(value) + ": " + OneOf(InformationTypeCodes());
    case PropertyType::kAgency:
      return CheckAgency(value);
    case PropertyType::kThreatLevel:
      return value.size() == 1 && value[0] >= '1' && value[0] <= '4'
                 ? ""
                 : Quoted(value) + ": expected a threat level 1-4";
    case PropertyType::kHandlingCode:
      return ParseHandlingCode(value) ? "" : Quoted(value) + ": " + OneOf(HandlingCodeNames());
    case PropertyType::kSourceReliability:
      return ParseSourceReliability(value) ? ""
                                           : Quoted(value) + ": " + OneOf(SourceReliabilityCodes());
    case PropertyType::kInformationAccuracy:
      return ParseInformationAccuracy(value)
                 ? ""
                 : Quoted(value) + ": " + OneOf(InformationAccuracyCodes());
    case PropertyType::kLeave:
      return CheckLeave(value);
    case PropertyType::kLink:
      return CheckLink(value);
  }
  return "";
}

std::optional<PartialDate> FirstDate(const Entity& e, std::string_view property) {
  if (e.Values(property).size() != 1) return std::nullopt;
  auto d = PartialDate::Parse(e.First(property));
  if (!d.ok()) return std::nullopt;
  return *d;
}

void CheckAcrossFields(const Entity& e, std::vector<FieldProblem>& out) {
  const bool has_name = e.Has("name") || e.Has("firstName") || e.Has("lastName");
  if (!has_name) {
    out.push_back({"name", -1,
                   e.schema == Schema::kPerson ? "a person needs a name, or a firstName or lastName"
                                               : "an organization needs a name"});
  }
  const std::string_view handling = e.First("handlingCode");
  if (handling == "H3" && !e.Has("handlingRestriction")) {
    out.push_back({"handlingRestriction", -1, "handling code H3 needs the restriction in words"});
  }
  if (e.Has("handlingRestriction") && handling != "H3") {
    out.push_back(
        {"handlingRestriction", -1, "a handling restriction is only given with handling code H3"});
  }
  auto review = FirstDate(e, "reviewDate");
  auto retention = FirstDate(e, "retentionDate");
  if (review && retention && review->ToEpochDays() > retention->ToEpochDays()) {
    out.push_back({"reviewDate", 0,
                   "review date " + review->ToString() + " comes after the retention limit " +
                       retention->ToString()});
  }
  auto release = FirstDate(e, "plannedRelease");
  auto sentence_end = FirstDate(e, "sentenceEnd");
  if (release && sentence_end && release->ToEpochDays() > sentence_end->ToEpochDays()) {
    out.push_back({"plannedRelease", 0,
                   "planned release " + release->ToString() +
                       " comes after the end of the sentence " + sentence_end->ToString()});
  }
  auto birth = FirstDate(e, "birthDate");
  auto death = FirstDate(e, "deathDate");
  if (birth && death && death->ToEpochDays() < birth->ToEpochDays()) {
    out.push_back({"deathDate", 0, "date of death comes before the date of birth"});
  }
  const auto& links = e.Values("link");
  for (size_t i = 0; i < links.size(); ++i) {
    const size_t colon = links[i].find(':');
    if (colon != std::string::npos && std::string_view(links[i]).substr(colon + 1) == e.id) {
      out.push_back({"link", static_cast<int>(i), "a subject cannot be linked to itself"});
    }
  }
}

}  // namespace

std::string CheckPropertyValue(std::string_view property, std::string_view value) {
  const PropertySpec* spec = FindProperty(property);
  if (spec == nullptr) return "unknown property '" + std::string(property) + "'";
  return CheckValue(*spec, value);
}

std::vector<FieldProblem> ValidateEntity(const Entity& entity) {
  std::vector<FieldProblem> out;
  if (!IsValidId(entity.id)) {
    out.push_back({"id", -1,
                   entity.id.empty()
                       ? "missing id"
                       : Quoted(entity.id) + " is not a valid id (1-128 of A-Z a-z 0-9 . _ : -, "
                                             "starting with a letter or digit)"});
  }
  for (const auto& [property, values] : entity.properties) {
    const PropertySpec* spec = FindProperty(property);
    if (spec == nullptr) {
      out.push_back({property, -1, "unknown property"});
      continue;
    }
    if (!AllowedOn(*spec, entity.schema)) {
      out.push_back({property, -1, "not a property of " + std::string(SchemaName(entity.schema))});
      continue;
    }
    if (spec->single && values.size() > 1) {
      out.push_back({property, 1, "takes one value, got " + std::to_string(values.size())});
    }
    for (size_t i = 0; i < values.size(); ++i) {
      std::string problem = CheckValue(*spec, values[i]);
      if (!problem.empty()) out.push_back({property, static_cast<int>(i), std::move(problem)});
    }
  }
  CheckAcrossFields(entity, out);
  return out;
}

Problems LocateProblems(const std::vector<FieldProblem>& problems, const Record& record,
                        std::string_view file) {
  Problems out;
  out.reserve(problems.size());
  for (const auto& p : problems) {
    std::string message;
    if (p.value_index >= 0 && record.entity.Values(p.field).size() > 1) {
      message = "value ";
      message += std::to_string(p.value_index + 1);
      message += ": ";
    }
    message += p.message;
    out.push_back(
        {std::string(file), record.line, record.ColumnOf(p.field), p.field, std::move(message)});
  }
  return out;
}

}  // namespace entente::model
