#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "store/sql_connection.h"

namespace entente::store::sql {

// What the SQL files of the store share (sql_store.cc, sql_exchange.cc, sql_hits.cc).

// A text parameter.
inline SqlValue Text(std::string_view text) { return std::string(text); }

// InvalidArgument unless a listing's limit is positive.
inline Status CheckLimit(int limit) {
  if (limit <= 0) return InvalidArgument("limit must be positive, got " + std::to_string(limit));
  return Status::Ok();
}

}  // namespace entente::store::sql
