#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "model/entity.h"
#include "store/store.h"

namespace entente::store {

// What the store derives from an entity for its own columns and tables. Malformed values
// (a link without ':', a leave without '/') are left out: validation is the caller's job.
struct DerivedSubject {
  std::string owner_agency;
  std::string country;
  std::string handling_code;
  std::string review_date;
  std::string retention_date;
  std::string birth_date;
  std::vector<Link> links;
  std::vector<CustodyEvent> custody;
};

DerivedSubject DeriveSubject(const model::Entity& entity);

// The entity as one line of FollowTheMoney JSON (no newline).
std::string EncodeEntityJson(const model::Entity& entity);

// Decodes entities written by EncodeEntityJson, in order. Internal if one does not parse (the
// database holds something this program did not write).
Result<std::vector<model::Entity>> DecodeEntityJson(const std::vector<const std::string*>& json);

}  // namespace entente::store
