#pragma once

#include <string>
#include <string_view>

namespace entente::match {

// A phone number as the comparators keep it: its national significant number (the digits after
// the country calling code and any trunk prefix: "+32 470 12 34 56", "0470/12.34.56" and
// "0032470123456" are all 470123456), then '@' and the country calling code when the number
// says it (+32, 0032) or `region` (the record's country, ISO alpha-2) tells it, with ITU-T
// E.164's calling codes and each country's trunk prefix: "470123456@32", the E.164 number
// +32470123456 in two parts. A number that cannot be read so (a national form of an unknown
// country) keeps its digits, a leading trunk 0 dropped. "" when fewer than 6 digits. Pure.
std::string NormalizePhone(std::string_view phone, std::string_view region);

// The national significant number of a normalised phone: what blocking keys, summaries and
// encodings use, so that a number whose country is unknown still meets the same number with it.
std::string_view PhoneKey(std::string_view normalized);

// Two normalised phones are the same number: the same national significant number, and the same
// country calling code when both know it (+32 470... and +33 470... are two numbers).
bool SamePhone(std::string_view a, std::string_view b);

}  // namespace entente::match
