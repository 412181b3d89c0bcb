#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"

namespace entente::api {

// The one mapping from Status to HTTP: InvalidArgument 400, Unauthenticated 401 (who you are),
// PermissionDenied 403 (what you may), NotFound 404, AlreadyExists and FailedPrecondition 409,
// ResourceExhausted 429, IoError 503, anything else 500.
int HttpStatusOf(const Status& status);

// {"error": {"status": 403, "code": "PERMISSION_DENIED", "message": ..., "field": ...}}: the
// field at fault when the message starts with one ("entity.properties.birthDate[0]: ...").
nlohmann::json ErrorJson(const Status& status);

}  // namespace entente::api
