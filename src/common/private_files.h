#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"

namespace entente {

// Creates `dir` and any missing parent (parents as `mkdir -p` would); `dir` itself is then
// readable by its owner only (0700), also when it existed before. IoError naming it on failure.
Status MakePrivateDirectory(const std::string& dir);

// Writes `content` to `path` as its owner's alone (0600, whatever the umask): a temporary file
// beside it, synced, then renamed into place, so that `path` is never seen half-written.
Status WritePrivateFile(const std::string& path, std::string_view content);

// The whole content of `path`, as bytes. NotFound when it does not exist, IoError when it cannot
// be read; both name it.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace entente
