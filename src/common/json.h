#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace entente {

// The deepest nesting of arrays and objects Entente reads in any JSON document. Its documents
// nest a few levels; a limit keeps every recursive walk (dump, copy, the codecs) far from the end
// of the stack, whatever a caller sends.
inline constexpr size_t kMaxJsonDepth = 64;

// The nesting depth of a JSON text (outside strings), counted without building anything; stops
// counting past `limit` and returns limit + 1. Malformed text is left to the parser.
size_t JsonDepth(std::string_view text, size_t limit = kMaxJsonDepth);

// Parses untrusted JSON: InvalidArgument naming `what` when the text is not JSON (with the
// parser's position) or nests deeper than kMaxJsonDepth, checked before any DOM is built.
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view what);

// Like nlohmann::json::parse(text, nullptr, false): a discarded value when the text is not JSON
// or nests deeper than kMaxJsonDepth. Never throws.
nlohmann::json ParseJsonOrDiscarded(std::string_view text);

// Serialises without ever throwing: invalid UTF-8 in a string becomes U+FFFD.
std::string DumpJson(const nlohmann::json& json, int indent = -1);

}  // namespace entente
