// libFuzzer target: the NDJSON entity reader and validation must never crash on any input.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "model/ndjson_reader.h"
#include "model/stream_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  entente::model::NdjsonEntityReader reader(in, "fuzz.ndjson");
  auto report = entente::model::CheckEntityStream(reader, "fuzz.ndjson", 16, {});
  (void)report;
  return 0;
}
