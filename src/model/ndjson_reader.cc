#include "model/ndjson_reader.h"

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include <map>

#include "common/json.h"
#include "common/utf8.h"
#include "model/ndjson_writer.h"

namespace entente::model {

struct NdjsonEntityReader::Parser {
  simdjson::ondemand::parser parser;
};

namespace {

// The top-level object holding the register's own properties (NdjsonStyle::kFollowTheMoney).
constexpr std::string_view kExtensionKey = "entente";

std::string_view TypeName(simdjson::ondemand::json_type type) {
  switch (type) {
    case simdjson::ondemand::json_type::array:
      return "an array";
    case simdjson::ondemand::json_type::object:
      return "an object";
    case simdjson::ondemand::json_type::number:
      return "a number";
    case simdjson::ondemand::json_type::string:
      return "a string";
    case simdjson::ondemand::json_type::boolean:
      return "a boolean";
    case simdjson::ondemand::json_type::null:
      return "null";
  }
  return "a value";
}

}  // namespace

NdjsonEntityReader::NdjsonEntityReader(std::istream& in, std::string file)
    : in_(in), file_(std::move(file)), parser_(std::make_unique<Parser>()) {
  line_.reserve(4096 + simdjson::SIMDJSON_PADDING);
}

NdjsonEntityReader::~NdjsonEntityReader() = default;

bool NdjsonEntityReader::ReadLine(bool* too_long) {
  line_.clear();
  *too_long = false;
  std::streambuf* buf = in_.rdbuf();
  bool any = false;
  while (true) {
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      if (!any) return false;
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line_.size() >= kMaxLineBytes) {
      *too_long = true;
      continue;  // drain the rest of the line
    }
    line_ += static_cast<char>(c);
  }
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (line_number_ == 0 && line_.size() >= 3 && line_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    line_.erase(0, 3);
  }
  return true;
}

ReadOutcome NdjsonEntityReader::Next(Record* record, Problems* problems) {
  for (;;) {
    bool derived = false;
    const ReadOutcome outcome = NextLine(record, problems, &derived);
    if (outcome != ReadOutcome::kRecord || !derived) return outcome;
  }
}

ReadOutcome NdjsonEntityReader::NextLine(Record* record, Problems* problems, bool* derived) {
  bool too_long = false;
  while (true) {
    if (!ReadLine(&too_long)) {
      if (in_.bad()) {
        problems->push_back({file_, line_number_ + 1, 0, "", "read error"});
        return ReadOutcome::kFatal;
      }
      return ReadOutcome::kEnd;
    }
    ++line_number_;
    if (too_long) {
      problems->push_back(
          {file_, line_number_, 0, "",
           "line longer than " + std::to_string(kMaxLineBytes) + " bytes; skipped"});
      return ReadOutcome::kBadRecord;
    }
    if (line_.find_first_not_of(" \t") != std::string::npos) break;
  }
  auto at = [&](int64_t column, std::string field, std::string message) {
    problems->push_back({file_, line_number_, column, std::move(field), std::move(message)});
    return ReadOutcome::kBadRecord;
  };
  if (auto invalid = FindInvalidUtf8(line_)) {
    return at(static_cast<int64_t>(CountCodePoints(line_, *invalid)) + 1, "",
              "invalid UTF-8; line skipped");
  }
  if (JsonDepth(line_) > kMaxJsonDepth) {
    return at(1, "",
              "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels; line skipped");
  }
  // A syntax error is located with nlohmann's parser, which reports the byte it stopped at;
  // the fast path below does not.
  auto syntax_error = [&]() {
    try {
      const auto parsed = nlohmann::json::parse(line_);
      (void)parsed;
    } catch (const nlohmann::json::parse_error& e) {
      const size_t byte = e.byte == 0 ? 0 : e.byte - 1;
      std::string what = e.what();
      // "[json.exception.parse_error.101] parse error at line 1, column 7: <reason>"
      const size_t column_word = what.find("column ");
      const size_t colon = what.find(": ", column_word == std::string::npos ? 0 : column_word);
      if (colon != std::string::npos) what = what.substr(colon + 2);
      return at(static_cast<int64_t>(CountCodePoints(line_, byte)) + 1, "",
                "invalid JSON: " + what + "; line skipped");
    } catch (const nlohmann::json::exception& e) {
      // Not a syntax error but a value nlohmann cannot hold (a number overflowing a double,
      // 2e911): it has no position.
      std::string what = e.what();
      const size_t bracket = what.find("] ");
      if (bracket != std::string::npos) what = what.substr(bracket + 2);
      return at(1, "", "invalid JSON: " + what + "; line skipped");
    }
    return at(1, "", "invalid JSON; line skipped");
  };
  auto column_of = [&](const char* p) {
    return static_cast<int64_t>(CountCodePoints(line_, static_cast<size_t>(p - line_.data()))) + 1;
  };

  line_.reserve(line_.size() + simdjson::SIMDJSON_PADDING);
  simdjson::padded_string_view padded(line_.data(), line_.size(), line_.capacity());
  simdjson::ondemand::document doc;
  if (parser_->parser.iterate(padded).get(doc) != simdjson::SUCCESS) return syntax_error();
  simdjson::ondemand::object object;
  if (const auto error = doc.get_object().get(object); error != simdjson::SUCCESS) {
    if (error != simdjson::INCORRECT_TYPE) return syntax_error();
    return at(1, "", "expected a JSON object (an entity); line skipped");
  }
  Entity& entity = record->entity;
  entity.id.clear();
  entity.schema = Schema::kPerson;
  entity.properties.clear();
  record->line = line_number_;
  record->columns.clear();
  bool has_id = false;
  std::map<std::string, std::vector<std::string>> plain_values, extension_values;
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return syntax_error();
    }
    const std::string top_key(key);
    simdjson::ondemand::value value = field.value();
    const char* location = nullptr;
    if (value.current_location().get(location) != simdjson::SUCCESS) return syntax_error();
    const int64_t column = column_of(location);
    if (top_key == "id" || top_key == "schema") {
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) {
        simdjson::ondemand::json_type type;
        if (value.type().get(type) != simdjson::SUCCESS) return syntax_error();
        return at(column, top_key,
                  "expected a string, got " + std::string(TypeName(type)) + "; line skipped");
      }
      record->columns.emplace_back(top_key, column);
      if (top_key == "id") {
        entity.id.assign(text);
        has_id = true;
      } else if (IsFtmLinkSchema(text)) {
        *derived = true;  // a link's relationship entity: read from its source
      } else if (!ParseSchema(text, &entity.schema)) {
        return at(column, "schema",
                  "'" + std::string(text) +
                      "' is not a schema (expected Person or Organization); line skipped");
      }
    } else if (top_key == "properties" || top_key == kExtensionKey) {
      // The register's own properties may come under "entente" (NdjsonStyle::kFollowTheMoney);
      // read the same way, they override FollowTheMoney's values of the same name.
      const bool extension = top_key == kExtensionKey;
      simdjson::ondemand::object properties;
      if (value.get_object().get(properties) != simdjson::SUCCESS) {
        return at(column, top_key, "expected an object of property arrays; line skipped");
      }
      for (auto property_result : properties) {
        simdjson::ondemand::field property;
        std::string_view name;
        if (std::move(property_result).get(property) != simdjson::SUCCESS ||
            property.unescaped_key().get(name) != simdjson::SUCCESS) {
          return syntax_error();
        }
        const std::string property_name(name);
        simdjson::ondemand::value values = property.value();
        const char* value_location = nullptr;
        if (values.current_location().get(value_location) != simdjson::SUCCESS) {
          return syntax_error();
        }
        const int64_t value_column = column_of(value_location);
        simdjson::ondemand::json_type type;
        if (values.type().get(type) != simdjson::SUCCESS) return syntax_error();
        std::vector<std::string> list;
        if (type == simdjson::ondemand::json_type::string) {
          std::string_view text;
          if (values.get_string().get(text) != simdjson::SUCCESS) return syntax_error();
          list.emplace_back(text);
        } else if (type == simdjson::ondemand::json_type::array) {
          simdjson::ondemand::array array;
          if (values.get_array().get(array) != simdjson::SUCCESS) return syntax_error();
          for (auto element : array) {
            std::string_view text;
            if (element.get_string().get(text) != simdjson::SUCCESS) {
              simdjson::ondemand::json_type element_type;
              if (element.type().get(element_type) != simdjson::SUCCESS) return syntax_error();
              return at(value_column, property_name,
                        "values must be strings, got " + std::string(TypeName(element_type)) +
                            "; line skipped");
            }
            list.emplace_back(text);
          }
        } else {
          return at(value_column, property_name,
                    "expected an array of strings, got " + std::string(TypeName(type)) +
                        "; line skipped");
        }
        auto& block = extension ? extension_values : plain_values;
        if (block.contains(property_name)) {
          return at(value_column, property_name, "property given twice; line skipped");
        }
        record->columns.emplace_back(property_name, value_column);
        block[property_name] = std::move(list);
      }
    } else {
      // Other FollowTheMoney keys (caption, datasets, ...) are not part of Entente's model;
      // the parser skips a value that is not read.
    }
  }
  // Anything after the object (a second value, stray text) is a syntax error.
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) return syntax_error();
  if (!has_id) return at(1, "id", "the entity has no \"id\"; line skipped");
  for (auto& [name, values] : extension_values) plain_values[name] = std::move(values);
  for (auto& [name, values] : plain_values) {
    if (!values.empty()) entity.Set(name, std::move(values));
  }
  return ReadOutcome::kRecord;
}

}  // namespace entente::model
