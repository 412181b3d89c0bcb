#include "model/stream_check.h"

#include <string>
#include <unordered_map>

#include "model/validation.h"

namespace entente::model {

Result<StreamReport> CheckEntityStream(EntityReader& reader, std::string_view file,
                                       size_t max_problems,
                                       const std::function<Status(const Record&)>& on_valid) {
  StreamReport report;
  std::unordered_map<std::string, int64_t> first_line_of_id;
  Record record;
  Problems found;
  auto keep = [&](Problems& problems) {
    report.problem_count += static_cast<int64_t>(problems.size());
    for (auto& p : problems) {
      if (report.problems.size() < max_problems) report.problems.push_back(std::move(p));
    }
    problems.clear();
  };
  while (true) {
    const ReadOutcome outcome = reader.Next(&record, &found);
    if (outcome == ReadOutcome::kEnd) break;
    if (outcome == ReadOutcome::kFatal) {
      report.fatal = true;
      keep(found);
      break;
    }
    ++report.records;
    if (outcome == ReadOutcome::kBadRecord) {
      keep(found);
      continue;
    }
    Problems problems = LocateProblems(ValidateEntity(record.entity), record, file);
    if (!record.entity.id.empty()) {
      auto [it, inserted] = first_line_of_id.emplace(record.entity.id, record.line);
      if (!inserted) {
        problems.push_back({std::string(file), record.line, record.ColumnOf("id"), "id",
                            "duplicate id '" + record.entity.id + "' (first at line " +
                                std::to_string(it->second) + ")"});
      }
    }
    if (!problems.empty()) {
      keep(problems);
      continue;
    }
    ++report.valid_records;
    if (on_valid) ENTENTE_RETURN_IF_ERROR(on_valid(record));
  }
  return report;
}

}  // namespace entente::model
