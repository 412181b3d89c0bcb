#pragma once

#include <memory>
#include <string_view>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

namespace entente {

enum class LogFormat { kHuman, kJsonLines };

// Sets up the process-wide logger on stderr: human-readable lines for a terminal, or one JSON
// object per line ({"ts","level","msg"}) for log collectors. Call once, from main.
void InitLogging(LogFormat format, spdlog::level::level_enum level);

// The JSON-lines formatter InitLogging installs: one object a line, the message escaped.
std::unique_ptr<spdlog::formatter> MakeJsonLineFormatter();

}  // namespace entente
