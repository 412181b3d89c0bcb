#pragma once

// The byte codec of Entente's binary formats (the encoded index, index updates, Bloom codes):
// little-endian fixed-width integers and length-prefixed strings. Writing cannot fail; reading
// checks every length against what is left and names the field that is cut short, so that a
// parser of untrusted bytes (a partner's index update) never reads past its input.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace entente {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void U8(uint8_t v) { Little(v, 1); }
  void U16(uint16_t v) { Little(v, 2); }
  void U32(uint32_t v) { Little(v, 4); }
  void U64(uint64_t v) { Little(v, 8); }
  // The bytes as they are.
  void Raw(std::string_view bytes) { out_->append(bytes); }
  // A u16 length, then the bytes (at most 65,535: ENTENTE_CHECK).
  void Text16(std::string_view text);

 private:
  void Little(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string* out_;
};

class ByteReader {
 public:
  // `what` names the format in errors ("index update: truncated at upserts[3].code (byte 812 of
  // 900)"); a field is named as given, with the byte where it starts.
  ByteReader(std::string_view bytes, std::string_view what) : bytes_(bytes), what_(what) {}

  size_t at() const { return at_; }
  size_t left() const { return bytes_.size() - at_; }

  // Each: InvalidArgument "<what>: truncated at <field>" when fewer bytes are left.
  Status U8(uint8_t* v, std::string_view field) { return Little(v, 1, field); }
  Status U16(uint16_t* v, std::string_view field) { return Little(v, 2, field); }
  Status U32(uint32_t* v, std::string_view field) { return Little(v, 4, field); }
  Status U64(uint64_t* v, std::string_view field) { return Little(v, 8, field); }
  // The next `n` bytes, viewed (not copied).
  Status Raw(size_t n, std::string_view* out, std::string_view field);
  // A u16 length within [min, max], then as many bytes.
  Status Text16(std::string* out, std::string_view field, size_t min, size_t max);
  // InvalidArgument "<what>: N trailing bytes" unless everything was read.
  Status End() const;

 private:
  template <typename T>
  Status Little(T* v, int n, std::string_view field) {
    if (left() < static_cast<size_t>(n)) return Truncated(field);
    uint64_t value = 0;
    for (int i = 0; i < n; ++i) {
      value |= uint64_t{static_cast<unsigned char>(bytes_[at_ + static_cast<size_t>(i)])}
               << (8 * i);
    }
    at_ += static_cast<size_t>(n);
    *v = static_cast<T>(value);
    return Status::Ok();
  }
  Status Truncated(std::string_view field) const;

  std::string_view bytes_;
  std::string_view what_;
  size_t at_ = 0;
};

}  // namespace entente
