#include "model/ndjson_writer.h"

#include <map>

#include "model/property.h"
#include "model/vocabulary.h"

namespace entente::model {
namespace {

using Properties = std::map<std::string, std::vector<std::string>>;

void AppendProperties(std::string& out, const Properties& properties) {
  out += '{';
  bool first = true;
  for (const auto& [property, values] : properties) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, property);
    out += ":[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, values[i]);
    }
    out += ']';
  }
  out += '}';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// `phone` in E.164 (+ and 7 to 15 digits) once spaces, dots, dashes, slashes and brackets are
// taken out and a 00 prefix read as +; "" when it is written nationally (its country code is
// not in the number).
std::string E164(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')') continue;
    digits += c;
  }
  if (digits.starts_with("00")) digits = "+" + digits.substr(2);
  if (digits.size() < 8 || digits.size() > 16 || digits[0] != '+' || digits[1] == '0') return "";
  for (size_t i = 1; i < digits.size(); ++i) {
    if (digits[i] < '0' || digits[i] > '9') return "";
  }
  return digits;
}

// FollowTheMoney's longest address.
constexpr size_t kFtmAddressMax = 250;

// An id FollowTheMoney accepts for the relationship entity of `source`'s link "TYPE:TARGET":
// letters, digits, dots and dashes.
std::string LinkEntityId(const std::string& source, std::string_view type,
                         std::string_view target) {
  std::string id = source + "." + std::string(type) + "." + std::string(target);
  for (char& c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) c = '-';
  }
  return id;
}

}  // namespace

bool IsFtmLinkSchema(std::string_view schema) {
  return schema == "Family" || schema == "Associate" || schema == "Membership" ||
         schema == "UnknownLink";
}

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

void NdjsonEntityWriter::AppendStrict(const Entity& entity) {
  Properties ftm, own;
  for (const auto& [name, values] : entity.properties) {
    if (!IsFollowTheMoneyProperty(name)) {
      own[name] = values;
      continue;
    }
    const PropertySpec* spec = FindProperty(name);
    std::vector<std::string> kept;
    bool all_as_written = true;
    for (const std::string& v : values) {
      if (spec->type == PropertyType::kCountry) {
        kept.push_back(Lower(v));  // a code either way: nothing lost
      } else if (spec->type == PropertyType::kPhone) {
        const std::string e164 = E164(v);
        all_as_written = all_as_written && e164 == v;
        if (!e164.empty()) kept.push_back(e164);
      } else if (name == "address" && v.size() > kFtmAddressMax) {
        all_as_written = false;
      } else {
        kept.push_back(v);
      }
    }
    if (!kept.empty()) ftm[name] = std::move(kept);
    if (!all_as_written) own[name] = values;  // the originals, which the reader prefers
  }
  line_ += "{\"id\":";
  AppendJsonString(line_, entity.id);
  line_ += ",\"schema\":";
  AppendJsonString(line_, SchemaName(entity.schema));
  line_ += ",\"properties\":";
  AppendProperties(line_, ftm);
  if (!own.empty()) {
    line_ += ",\"entente\":";
    AppendProperties(line_, own);
  }
  line_ += "}\n";
  // Each link as FollowTheMoney's relationship entity, for its tools to draw the network.
  for (const std::string& link : entity.Values("link")) {
    const size_t colon = link.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view type = std::string_view(link).substr(0, colon);
    const std::string target = link.substr(colon + 1);
    const bool person = entity.schema == Schema::kPerson;
    const std::optional<Schema> target_schema =
        schema_of_ ? schema_of_(target) : std::optional<Schema>();
    const bool to_person = target_schema == Schema::kPerson;
    const bool to_organization = target_schema == Schema::kOrganization;
    std::string schema;
    Properties relation;
    if (type == "family" && person && to_person) {
      schema = "Family";
      relation = {{"person", {entity.id}}, {"relative", {target}}, {"relationship", {"family"}}};
    } else if (type == "membership" && to_organization) {
      schema = "Membership";
      relation = {{"member", {entity.id}}, {"organization", {target}}, {"role", {"member"}}};
    } else if (type != "family" && type != "membership" && person && to_person) {
      schema = "Associate";
      relation = {
          {"person", {entity.id}}, {"associate", {target}}, {"relationship", {std::string(type)}}};
    } else {
      schema = "UnknownLink";
      relation = {{"subject", {entity.id}}, {"object", {target}}, {"role", {std::string(type)}}};
    }
    line_ += "{\"id\":";
    AppendJsonString(line_, LinkEntityId(entity.id, type, target));
    line_ += ",\"schema\":";
    AppendJsonString(line_, schema);
    line_ += ",\"properties\":";
    AppendProperties(line_, relation);
    line_ += ",\"entente\":";
    AppendProperties(line_, {{"link", {link}}, {"source", {entity.id}}});
    line_ += "}\n";
  }
}

Status NdjsonEntityWriter::Write(const Entity& entity) {
  line_.clear();
  if (style_ == NdjsonStyle::kFollowTheMoney) {
    AppendStrict(entity);
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    if (!out_) return IoError("write failed");
    return Status::Ok();
  }
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
