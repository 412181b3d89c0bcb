// libFuzzer target: the CSV entity reader and validation must never crash or hang on any input.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "model/csv_reader.h"
#include "model/stream_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  entente::model::CsvEntityReader reader(in, "fuzz.csv");
  auto report = entente::model::CheckEntityStream(reader, "fuzz.csv", 16, {});
  (void)report;
  return 0;
}
