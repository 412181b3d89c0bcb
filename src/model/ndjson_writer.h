#pragma once

#include <functional>
#include <optional>

#include <ostream>
#include <string>

#include "model/entity_io.h"

namespace entente::model {

// How an NDJSON writer lays an entity out.
enum class NdjsonStyle {
  // One {"id","schema","properties"} object a line with every property of Entente's model, as
  // the register holds it (lossless; `entente convert`).
  kFlat,
  // FollowTheMoney's official model, strictly (`entente export`): under "properties" only
  // FollowTheMoney's properties, countries in lower case, phones in E.164; the register's own
  // properties (category, ownerAgency, handlingCode, link...) under a top-level "entente" object
  // that FollowTheMoney's tools ignore, with the original values of any phone or address
  // FollowTheMoney could not take as written. Each link also becomes a relationship entity of
  // its own (Family, Associate, Membership or UnknownLink) on the next lines. The reader reads
  // both styles back to the same entity (docs/formats.md).
  kFollowTheMoney,
};

// Writes FollowTheMoney NDJSON, properties in name order, values as arrays of strings, UTF-8
// passed through, control characters escaped. `out` must outlive the writer. Not thread-safe.
class NdjsonEntityWriter final : public EntityWriter {
 public:
  explicit NdjsonEntityWriter(std::ostream& out, NdjsonStyle style = NdjsonStyle::kFlat)
      : out_(out), style_(style) {}
  Status Write(const Entity& entity) override;
  Status Finish() override;

  // kFollowTheMoney: the schema of a link's target, so that its relationship entity has the
  // schema FollowTheMoney's ranges allow (Family and Associate between persons, Membership of a
  // person in an organisation); UnknownLink when it says nullopt, or without one.
  using SchemaLookup = std::function<std::optional<Schema>(const std::string& id)>;
  void set_schema_lookup(SchemaLookup lookup) { schema_of_ = std::move(lookup); }

 private:
  void AppendStrict(const Entity& entity);
  std::ostream& out_;
  const NdjsonStyle style_;
  SchemaLookup schema_of_;
  std::string line_;
};

// The schemas of the relationship entities kFollowTheMoney writes for links; a reader skips
// them (the link is read from its source's "entente" object).
bool IsFtmLinkSchema(std::string_view schema);

// Appends `text` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace entente::model
