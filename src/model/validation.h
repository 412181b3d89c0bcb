#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/entity.h"
#include "model/problem.h"

namespace entente::model {

// A problem with one entity, by field: `field` is a property name ("" for the entity as a
// whole), `value_index` the 0-based position of the bad value among that property's values
// (-1 when it concerns the property or entity as a whole).
struct FieldProblem {
  std::string field;
  int value_index = -1;
  std::string message;
  friend bool operator==(const FieldProblem&, const FieldProblem&) = default;
};

// Checks an entity against Entente's model and returns every problem found (empty when the
// entity is valid): the id, unknown properties or ones not allowed on the schema, single-valued
// properties given twice, each value against its type (dates, countries, vocabularies,
// documents, phones, links...), and the rules across fields (an H3 handling code needs its
// restriction in words, a review date cannot come after the retention limit, a planned release
// cannot come after the end of the sentence, a leave ends after it starts, a link does not
// point to its own subject, a person has a name). Pure and thread-safe.
std::vector<FieldProblem> ValidateEntity(const Entity& entity);

// Checks one value of a known property; returns "" when valid, else the reason.
std::string CheckPropertyValue(std::string_view property, std::string_view value);

// Turns field problems into located problems, using the columns the reader recorded.
struct Record;
Problems LocateProblems(const std::vector<FieldProblem>& problems, const Record& record,
                        std::string_view file);

}  // namespace entente::model
