#pragma once

#include <string_view>

#include <spdlog/spdlog.h>

namespace entente {

enum class LogFormat { kHuman, kJsonLines };

// Sets up the process-wide logger on stderr: human-readable lines for a terminal, or one JSON
// object per line ({"ts","level","msg"}) for log collectors. Call once, from main.
void InitLogging(LogFormat format, spdlog::level::level_enum level);

}  // namespace entente
