#include "common/coding.h"

#include "common/check.h"

namespace entente {

void ByteWriter::Text16(std::string_view text) {
  ENTENTE_CHECK(text.size() <= 0xffff);
  U16(static_cast<uint16_t>(text.size()));
  out_->append(text);
}

Status ByteReader::Raw(size_t n, std::string_view* out, std::string_view field) {
  if (left() < n) return Truncated(field);
  *out = bytes_.substr(at_, n);
  at_ += n;
  return Status::Ok();
}

Status ByteReader::Text16(std::string* out, std::string_view field, size_t min, size_t max) {
  uint16_t size = 0;
  ENTENTE_RETURN_IF_ERROR(U16(&size, field));
  if (size < min || size > max) {
    return InvalidArgument(std::string(what_) + ": " + std::string(field) + " at byte " +
                           std::to_string(at_ - 2) + ": length " + std::to_string(size) +
                           " (expected " + std::to_string(min) + " to " + std::to_string(max) +
                           ")");
  }
  std::string_view bytes;
  ENTENTE_RETURN_IF_ERROR(Raw(size, &bytes, field));
  out->assign(bytes);
  return Status::Ok();
}

Status ByteReader::End() const {
  if (left() == 0) return Status::Ok();
  return InvalidArgument(std::string(what_) + ": " + std::to_string(left()) + " trailing bytes");
}

Status ByteReader::Truncated(std::string_view field) const {
  return InvalidArgument(std::string(what_) + ": truncated at " + std::string(field) + " (byte " +
                         std::to_string(at_) + " of " + std::to_string(bytes_.size()) + ")");
}

}  // namespace entente
