#pragma once

// Times as people and programs read them: ISO 8601 in UTC with its zone ("Z"), the form every
// listing of the command line and every time of the API takes.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace entente {

// "2026-12-07T06:25:21Z" for a time in microseconds since the Unix epoch (UTC), to the second
// (to the millisecond, "...21.123Z", with `millis`). Times before 1970 are written too.
// Microseconds in a day (of UTC time, which has no leap seconds here).
inline constexpr int64_t kMicrosPerDay = 86'400LL * 1'000'000;

std::string FormatIsoTime(int64_t micros, bool millis = false);

// Reads "YYYY-MM-DDTHH:MM:SS[.fff...]" followed by "Z" or an offset "+HH:MM"/"-HH:MM", or a
// date "YYYY-MM-DD" (its midnight, UTC), back to microseconds since the epoch (UTC).
// InvalidArgument naming `field` and the expected form otherwise (a time without a zone is
// refused: it would mean a different instant on each node).
Result<int64_t> ParseIsoTime(std::string_view text, std::string_view field);

}  // namespace entente
