#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/entity_io.h"
#include "model/problem.h"
#include "policy/handling.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// How ImportSubjects treats the register.
struct ImportOptions {
  bool replace = true;         // false: a subject already in the register is a bad row
  size_t max_problems = 1000;  // problems kept in ImportReport::problems (all are counted)
  // Called as the work goes: ("checking", rows read) while the file is read and checked, then
  // ("writing", subjects written). May be empty.
  std::function<void(std::string_view phase, int64_t done)> progress;
};

// What an import read and did. A plain value type.
struct ImportReport {
  std::string file;
  std::string checksum;  // BLAKE2b-256 of the bytes read, hex
  int64_t records = 0;   // rows or lines holding an entity, good or bad
  int64_t created = 0;   // subjects new to the register (0 when refused)
  int64_t replaced = 0;  // subjects replaced, each with its version bumped (0 when refused)
  int64_t problem_count = 0;
  bool fatal = false;        // reading stopped early (see problems)
  model::Problems problems;  // the first ImportOptions::max_problems, in input order
};

// Imports the subjects of `in` (CSV or NDJSON by the extension of `file`) all or nothing: the
// whole input is read and checked first (model validation, unique ids, each record's ownerAgency
// against policy::ImportRecordDecision, and, in the transaction, restricted/erased or, without
// options.replace, existing subjects), then every subject is written in one transaction with one
// audit entry (file, checksum, records). The caller needs policy::Action::kImport. Returns
// InvalidArgument "N problems ...; nothing imported" when any row is bad (each in
// report->problems as file:line:column: field: message), the policy refusal of the caller
// (audited), or a store error; in every failure nothing is written. `report` must not be null.
Status ImportSubjects(store::Store& store, const Caller& caller, std::istream& in,
                      std::string_view file, const ImportOptions& options, ImportReport* report);

// What an export wrote and left out. A plain value type.
struct ExportReport {
  int64_t exported = 0;
  int64_t not_for_judicial_use = 0;                 // exported H1 subjects, marked in `notes`
  int64_t left_out = 0;                             // active subjects refused by policy
  std::map<std::string, int64_t> left_out_by_rule;  // policy::RuleName -> count
  int64_t links_left_out = 0;  // links to subjects this export may not carry, not written
};

// The note added to the `notes` of an exported H1 subject.
inline constexpr std::string_view kNotForJudicialUseNote =
    "H1: not to be used in judicial proceedings without the provider's permission";

// Writes the active subjects of the register, in id order, to `writer` as FollowTheMoney
// entities bound for `destination`. Each subject is decided by policy::Authorize(kExport), which
// applies policy::CanForward: H2/H3 subjects and minors the caller may not export are left out
// and counted, H1 subjects carry kNotForJudicialUseNote, and a link to a subject left out (or
// not active) is not written, so that its id is not revealed. Every exported subject gets an audit
// entry, in the transaction that read it. A caller refused as a whole (role, justification...)
// gets that refusal, audited. Does not Finish the writer. `report` must not be null.
// `progress`, when given, is called with the subjects read so far.
Status ExportSubjects(store::Store& store, const Caller& caller, model::EntityWriter& writer,
                      policy::Destination destination, ExportReport* report,
                      const std::function<void(int64_t done)>& progress = {});

}  // namespace entente::service
