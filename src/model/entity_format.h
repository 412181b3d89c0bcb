#pragma once

#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/entity_io.h"

namespace entente::model {

enum class EntityFormat { kCsv, kNdjson };

// The format of a file by its extension: .csv is CSV; .ndjson, .jsonl and .json are NDJSON.
// Fails with InvalidArgument naming the path for anything else.
Result<EntityFormat> FormatFromPath(std::string_view path);

// A reader or writer of `format` over a stream the caller owns (and keeps alive).
std::unique_ptr<EntityReader> MakeEntityReader(EntityFormat format, std::istream& in,
                                               std::string file);
// `columns` is used by CSV only (see CsvEntityWriter).
std::unique_ptr<EntityWriter> MakeEntityWriter(EntityFormat format, std::ostream& out,
                                               std::vector<std::string> columns);

// The CSV columns for entities using `used` properties: known properties in catalogue order,
// then any unknown ones in the order given.
std::vector<std::string> ColumnsFor(const std::vector<std::string>& used);

}  // namespace entente::model
