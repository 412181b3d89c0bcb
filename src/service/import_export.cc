#include "service/import_export.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <memory>
#include <streambuf>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "model/country.h"
#include "model/entity_format.h"
#include "model/property.h"
#include "model/stream_check.h"
#include "policy/subject_facts.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

// Page size when walking the register.
constexpr int kPageSize = 1000;

// A read-only stream buffer that hashes (BLAKE2b-256) every byte it passes on from `source`, so
// that the checksum of an import is the checksum of what was actually read.
class HashingStreamBuf : public std::streambuf {
 public:
  explicit HashingStreamBuf(std::streambuf* source) : source_(source) {
    static const int kSodiumReady = sodium_init();
    (void)kSodiumReady;
    crypto_generichash_init(&state_, nullptr, 0, crypto_generichash_BYTES);
  }

  // The hex digest of everything read so far (and the rest of the source, read now).
  std::string Finish() {
    while (underflow() != traits_type::eof()) setg(buffer_.data(), egptr(), egptr());
    std::array<unsigned char, crypto_generichash_BYTES> digest{};
    crypto_generichash_final(&state_, digest.data(), digest.size());
    std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const std::streamsize n =
        source_->sgetn(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (n <= 0) return traits_type::eof();
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(buffer_.data()),
                              static_cast<unsigned long long>(n));
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  std::streambuf* source_;
  std::array<char, 1 << 16> buffer_{};
  crypto_generichash_state state_{};
};

// A valid record waiting for the transaction, with where it came from.
struct PendingSubject {
  model::Entity entity;
  int64_t line = 0;
  int64_t id_column = 0;
};

void AddProblem(ImportReport* report, size_t max_problems, model::Problem problem) {
  ++report->problem_count;
  if (report->problems.size() < max_problems) report->problems.push_back(std::move(problem));
}

Status RowsRefused(const ImportReport& report) {
  return InvalidArgument(report.file + ": " + std::to_string(report.problem_count) +
                         (report.problem_count == 1 ? " problem" : " problems") + " in " +
                         std::to_string(report.records) + " records" +
                         (report.fatal ? " (reading stopped at a fatal error)" : "") +
                         "; nothing imported");
}

std::string StateWord(store::SubjectState state) {
  return state == store::SubjectState::kErased ? "erased" : "restricted";
}

}  // namespace

Status ImportSubjects(store::Store& store, const Caller& caller, std::istream& in,
                      std::string_view file, const ImportOptions& options, ImportReport* report) {
  *report = ImportReport{};
  report->file = std::string(file);
  Access access{.action = policy::Action::kImport, .subject_id = {}};

  // A caller who may not import at all is refused before the file is read (and audited).
  if (!policy::Authorize(caller.principal, policy::Action::kImport, nullptr, caller.context)
           .allowed) {
    return RunAudited(store, caller, access,
                      [](store::WriteTxn&, const policy::Decision&) { return Status::Ok(); });
  }

  ENTENTE_ASSIGN_OR_RETURN(const model::EntityFormat format, model::FormatFromPath(file));
  HashingStreamBuf hashing(in.rdbuf());
  std::istream hashed(&hashing);
  std::unique_ptr<model::EntityReader> reader =
      model::MakeEntityReader(format, hashed, std::string(file));
  std::vector<PendingSubject> pending;
  ImportReport refusals;  // records valid for the model but refused by policy
  auto on_valid = [&](const model::Record& record) -> Status {
    auto facts = policy::SubjectFactsFromEntity(record.entity);
    if (!facts.ok()) {
      AddProblem(&refusals, options.max_problems,
                 {report->file, record.line, record.ColumnOf("id"), "", facts.status().message()});
      return Status::Ok();
    }
    const policy::Decision decision =
        policy::ImportRecordDecision(caller.principal, *facts, caller.context);
    if (!decision.allowed) {
      const std::string_view field =
          decision.rule == policy::Rule::kOwnerAgency ? "ownerAgency" : "id";
      AddProblem(&refusals, options.max_problems,
                 {report->file, record.line, record.ColumnOf(field), std::string(field),
                  std::string(policy::RuleName(decision.rule)) + ": " + decision.reason});
      return Status::Ok();
    }
    pending.push_back({record.entity, record.line, record.ColumnOf("id")});
    // Countries in the register's case: FollowTheMoney's files write them in lower case.
    for (auto& [name, values] : pending.back().entity.properties) {
      const model::PropertySpec* spec = model::FindProperty(name);
      if (spec == nullptr || spec->type != model::PropertyType::kCountry) continue;
      for (std::string& v : values) v = model::CanonicalCountry(v);
    }
    if (options.progress) options.progress("checking", static_cast<int64_t>(pending.size()));
    return Status::Ok();
  };
  ENTENTE_ASSIGN_OR_RETURN(model::StreamReport stream,
                           model::CheckEntityStream(*reader, file, options.max_problems, on_valid));
  report->checksum = hashing.Finish();
  report->records = stream.records;
  report->fatal = stream.fatal;
  report->problem_count = stream.problem_count + refusals.problem_count;
  report->problems = std::move(stream.problems);
  report->problems.insert(report->problems.end(), refusals.problems.begin(),
                          refusals.problems.end());
  std::stable_sort(
      report->problems.begin(), report->problems.end(),
      [](const model::Problem& a, const model::Problem& b) { return a.line < b.line; });
  if (report->problems.size() > options.max_problems) report->problems.resize(options.max_problems);

  nlohmann::json details = {{"file", report->file},
                            {"checksum", report->checksum},
                            {"records", report->records},
                            {"replace", options.replace}};
  access.details_json = DumpJson(details);
  if (report->problem_count > 0 || report->fatal) {
    ENTENTE_RETURN_IF_ERROR(AuditOutcome(
        store, caller, access,
        "refused: " + std::to_string(report->problem_count) + " problems; nothing imported"));
    return RowsRefused(*report);
  }

  bool rows_refused = false;
  int64_t created = 0;
  int64_t replaced = 0;
  Status status = RunAudited(
      store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
        std::vector<bool> exists(pending.size(), false);
        for (size_t i = 0; i < pending.size(); ++i) {
          const PendingSubject& p = pending[i];
          auto stored = txn.subjects().Get(p.entity.id);
          if (!stored.ok()) {
            if (stored.status().code() == StatusCode::kNotFound) continue;
            return stored.status();
          }
          exists[i] = true;
          std::string message;
          if (stored->state != store::SubjectState::kActive) {
            message = "subject " + p.entity.id + " is " + StateWord(stored->state) +
                      " in the register; an import never replaces it";
          } else if (!options.replace) {
            message = "subject " + p.entity.id + " is already in the register (--no-replace)";
          }
          if (!message.empty()) {
            AddProblem(report, options.max_problems,
                       {report->file, p.line, p.id_column, "id", std::move(message)});
          }
        }
        if (report->problem_count > 0) {
          rows_refused = true;
          return RowsRefused(*report);
        }
        for (size_t i = 0; i < pending.size(); ++i) {
          ENTENTE_RETURN_IF_ERROR(
              txn.subjects().Put(pending[i].entity, store::kAnyVersion).status());
          ++(exists[i] ? replaced : created);
          if (options.progress) options.progress("writing", created + replaced);
        }
        return Status::Ok();
      });
  if (rows_refused) {
    ENTENTE_RETURN_IF_ERROR(AuditOutcome(
        store, caller, access,
        "refused: " + std::to_string(report->problem_count) + " problems; nothing imported"));
    return status;
  }
  if (!status.ok()) return status;
  report->created = created;
  report->replaced = replaced;
  return Status::Ok();
}

Status ExportSubjects(store::Store& store, const Caller& caller, model::EntityWriter& writer,
                      policy::Destination destination, ExportReport* report,
                      const std::function<void(int64_t done)>& progress) {
  *report = ExportReport{};
  Caller exporter = caller;
  exporter.context.destination = destination;
  const std::string destination_name(policy::DestinationName(destination));
  const std::string details = nlohmann::json({{"destination", destination_name}}).dump();
  Access access{.action = policy::Action::kExport, .subject_id = {}, .details_json = details};

  // The rules about the caller alone, before any subject.
  const policy::Decision caller_decision =
      policy::AuthorizeCaller(exporter.principal, policy::Action::kExport, exporter.context);
  if (!caller_decision.allowed) {
    ENTENTE_RETURN_IF_ERROR(
        AuditOutcome(store, exporter, access,
                     "refused: " + std::string(policy::RuleName(caller_decision.rule))));
    return caller_decision.ToStatus();
  }

  ExportReport counts;
  Status status = store.Write([&](store::WriteTxn& txn) -> Status {
    counts = ExportReport{};
    std::vector<std::string> exported_ids;
    std::map<std::string, bool> exportable;  // link targets: whether this export may carry them
    std::string after;
    do {
      ENTENTE_ASSIGN_OR_RETURN(store::SubjectPage page, txn.subjects().List(after, kPageSize));
      for (const store::Subject& subject : page.subjects) {
        if (subject.state != store::SubjectState::kActive) continue;
        const policy::Decision decision =
            DecideOnSubject(exporter, policy::Action::kExport, subject);
        if (!decision.allowed) {
          ++counts.left_out;
          ++counts.left_out_by_rule[std::string(policy::RuleName(decision.rule))];
          continue;
        }
        // A link names its target: only to a subject this export may carry, so that a record
        // left out by policy is not revealed by its id.
        const model::Entity* entity = &subject.entity;
        model::Entity trimmed;
        const std::vector<std::string>& links = subject.entity.Values("link");
        std::vector<std::string> kept_links;
        for (const std::string& link : links) {
          const std::string target = link.substr(link.find(':') + 1);
          auto known = exportable.find(target);
          if (known == exportable.end()) {
            Result<store::Subject> other = txn.subjects().Get(target);
            const bool may = other.ok() && other->state == store::SubjectState::kActive &&
                             DecideOnSubject(exporter, policy::Action::kExport, *other).allowed;
            known = exportable.emplace(target, may).first;
          }
          if (known->second) {
            kept_links.push_back(link);
          } else {
            ++counts.links_left_out;
          }
        }
        if (kept_links.size() != links.size()) {
          trimmed = subject.entity;
          trimmed.properties.erase("link");
          if (!kept_links.empty()) trimmed.Set("link", std::move(kept_links));
          entity = &trimmed;
        }
        const std::vector<std::string>& notes = entity->Values("notes");
        if (decision.not_for_judicial_use &&
            std::find(notes.begin(), notes.end(), kNotForJudicialUseNote) == notes.end()) {
          // Once: a record imported from an export already carries the note.
          model::Entity marked = *entity;
          marked.Add("notes", std::string(kNotForJudicialUseNote));
          ENTENTE_RETURN_IF_ERROR(writer.Write(marked));
        } else {
          ENTENTE_RETURN_IF_ERROR(writer.Write(*entity));
        }
        if (decision.not_for_judicial_use) ++counts.not_for_judicial_use;
        exported_ids.push_back(subject.entity.id);
      }
      if (progress) progress(static_cast<int64_t>(exported_ids.size()) + counts.left_out);
      after = page.next_after;
    } while (!after.empty());
    counts.exported = static_cast<int64_t>(exported_ids.size());
    ENTENTE_RETURN_IF_ERROR(
        AuditEachSubject(txn, exporter, policy::Action::kExport, exported_ids, details, "allowed"));
    nlohmann::json summary = {{"destination", destination_name},
                              {"exported", counts.exported},
                              {"left_out", counts.left_out},
                              {"left_out_by_rule", counts.left_out_by_rule}};
    access.details_json = DumpJson(summary);
    return txn.audit().Append(AuditRecordOf(exporter, access, "allowed"));
  });
  if (!status.ok()) return status;
  *report = std::move(counts);
  return Status::Ok();
}

}  // namespace entente::service
