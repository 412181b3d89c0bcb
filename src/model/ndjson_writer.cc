#include "model/ndjson_writer.h"

namespace entente::model {

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

Status NdjsonEntityWriter::Write(const Entity& entity) {
  line_.clear();
  line_ += "{\"id\":";
  AppendJsonString(line_, entity.id);
  line_ += ",\"schema\":";
  AppendJsonString(line_, SchemaName(entity.schema));
  line_ += ",\"properties\":{";
  bool first = true;
  for (const auto& [property, values] : entity.properties) {
    if (!first) line_ += ',';
    first = false;
    AppendJsonString(line_, property);
    line_ += ":[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) line_ += ',';
      AppendJsonString(line_, values[i]);
    }
    line_ += ']';
  }
  line_ += "}}\n";
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  if (!out_) return IoError("write failed");
  return Status::Ok();
}

Status NdjsonEntityWriter::Finish() {
  out_.flush();
  if (!out_) return IoError("write failed");
  return Status::Ok();
}

}  // namespace entente::model
