#include "api/http_error.h"

#include <nlohmann/json.hpp>

namespace entente::api {
namespace {

// The path before ": " when the message starts with one: letters, digits, '.', '_', '[', ']'.
std::string FieldOf(const std::string& message) {
  const size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return "";
  for (size_t i = 0; i < colon; ++i) {
    const char c = message[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '[' || c == ']' || c == '-';
    if (!ok) return "";
  }
  return message.substr(0, colon);
}

}  // namespace

int HttpStatusOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kIoError:
      return 503;
    default:
      return 500;
  }
}

nlohmann::json ErrorJson(const Status& status) {
  nlohmann::json error = {{"status", HttpStatusOf(status)},
                          {"code", std::string(StatusCodeName(status.code()))},
                          {"message", status.message()}};
  const std::string field = FieldOf(status.message());
  if (!field.empty()) error["field"] = field;
  return {{"error", error}};
}

}  // namespace entente::api
