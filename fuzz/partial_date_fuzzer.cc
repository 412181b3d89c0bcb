// libFuzzer target: PartialDate::Parse accepts exactly what it prints back.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/date.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto date = entente::model::PartialDate::Parse(text);
  if (date.ok() && date->ToString() != text) std::abort();
  return 0;
}
