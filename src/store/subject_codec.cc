#include "store/subject_codec.h"

#include <sstream>

#include "model/ndjson_reader.h"
#include "model/ndjson_writer.h"

namespace entente::store {
namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

DerivedSubject DeriveSubject(const model::Entity& entity) {
  DerivedSubject out;
  out.owner_agency = std::string(entity.First("ownerAgency"));
  if (out.owner_agency.size() >= 2 && out.owner_agency.find('/') == 2) {
    out.country = Upper(std::string_view(out.owner_agency).substr(0, 2));
  } else {
    out.country = Upper(entity.First("sourceCountry"));
  }
  out.handling_code = std::string(entity.First("handlingCode"));
  out.review_date = std::string(entity.First("reviewDate"));
  out.retention_date = std::string(entity.First("retentionDate"));
  out.birth_date = std::string(entity.First("birthDate"));
  for (const std::string& value : entity.Values("link")) {
    const size_t colon = value.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) continue;
    out.links.push_back({entity.id, value.substr(colon + 1), value.substr(0, colon), out.country});
  }
  const std::string establishment(entity.First("establishment"));
  for (const std::string& date : entity.Values("plannedRelease")) {
    out.custody.push_back({entity.id, "planned_release", date, date, establishment});
  }
  for (const std::string& date : entity.Values("sentenceEnd")) {
    out.custody.push_back({entity.id, "sentence_end", date, date, establishment});
  }
  for (const std::string& leave : entity.Values("leave")) {
    const size_t slash = leave.find('/');
    if (slash == std::string::npos) continue;
    out.custody.push_back(
        {entity.id, "leave", leave.substr(0, slash), leave.substr(slash + 1), establishment});
  }
  return out;
}

std::string EncodeEntityJson(const model::Entity& entity) {
  std::ostringstream out;
  model::NdjsonEntityWriter writer(out);
  // Writing to a string stream cannot fail.
  (void)writer.Write(entity);
  std::string line = std::move(out).str();
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

Result<std::vector<model::Entity>> DecodeEntityJson(const std::vector<const std::string*>& json) {
  std::string text;
  for (const std::string* line : json) {
    text += *line;
    text += '\n';
  }
  std::istringstream in(std::move(text));
  model::NdjsonEntityReader reader(in, "store");
  std::vector<model::Entity> out;
  out.reserve(json.size());
  model::Record record;
  model::Problems problems;
  while (out.size() < json.size()) {
    const model::ReadOutcome outcome = reader.Next(&record, &problems);
    if (outcome != model::ReadOutcome::kRecord) {
      return Internal("stored entity " + std::to_string(out.size() + 1) + " does not decode" +
                      (problems.empty() ? "" : ": " + problems.front().ToString()));
    }
    out.push_back(std::move(record.entity));
  }
  return out;
}

}  // namespace entente::store
