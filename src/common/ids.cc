#include "common/ids.h"

namespace entente {
namespace {
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength || !IsAlnum(id.front())) return false;
  for (char c : id) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != ':' && c != '-') return false;
  }
  return true;
}

std::string FormatSequentialId(std::string_view prefix, uint64_t number, int width) {
  std::string digits = std::to_string(number);
  std::string out(prefix);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
  return out;
}

}  // namespace entente
