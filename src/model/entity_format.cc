#include "model/entity_format.h"

#include <algorithm>

#include "model/csv_reader.h"
#include "model/csv_writer.h"
#include "model/ndjson_reader.h"
#include "model/ndjson_writer.h"
#include "model/property.h"

namespace entente::model {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

}  // namespace

Result<EntityFormat> FormatFromPath(std::string_view path) {
  if (EndsWith(path, ".csv")) return EntityFormat::kCsv;
  if (EndsWith(path, ".ndjson") || EndsWith(path, ".jsonl") || EndsWith(path, ".json")) {
    return EntityFormat::kNdjson;
  }
  return InvalidArgument(std::string(path) +
                         ": unknown file type (expected a .csv, .ndjson, .jsonl or .json file)");
}

std::unique_ptr<EntityReader> MakeEntityReader(EntityFormat format, std::istream& in,
                                               std::string file) {
  if (format == EntityFormat::kCsv) return std::make_unique<CsvEntityReader>(in, std::move(file));
  return std::make_unique<NdjsonEntityReader>(in, std::move(file));
}

std::unique_ptr<EntityWriter> MakeEntityWriter(EntityFormat format, std::ostream& out,
                                               std::vector<std::string> columns) {
  if (format == EntityFormat::kCsv) {
    return std::make_unique<CsvEntityWriter>(out, std::move(columns));
  }
  return std::make_unique<NdjsonEntityWriter>(out);
}

std::vector<std::string> ColumnsFor(const std::vector<std::string>& used) {
  std::vector<std::string> out;
  for (const auto& spec : AllProperties()) {
    if (std::find(used.begin(), used.end(), spec.name) != used.end()) out.emplace_back(spec.name);
  }
  for (const auto& name : used) {
    if (FindProperty(name) == nullptr && std::find(out.begin(), out.end(), name) == out.end()) {
      out.push_back(name);
    }
  }
  return out;
}

}  // namespace entente::model
