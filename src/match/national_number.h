#pragma once

#include <optional>
#include <string_view>

#include "model/date.h"

namespace entente::match {

// What a national number says of its holder, read from the number alone.
struct NationalNumberReading {
  std::optional<model::PartialDate> birth;  // from a Belgian number
  char gender = 0;                          // 'm' or 'f' when the number says
};

// Reads a national number as NormalizeDocument leaves it (identity.h):
// - a Belgian national register number: 11 digits, YYMMDD, a serial odd for men and even for
//   women, and a check of 97 less the first nine digits modulo 97 (with a 2 before them for
//   births from 2000, which is how the century is told). Month or day 0 when unknown; a "bis"
//   number (no register entry) adds 20 to the month when the gender is unknown, 40 when known.
// - a French NIR: 15 symbols, sex (1 men, 2 women), YY, MM, département (2A and 2B for
//   Corsica), commune, order, and a key of 97 less the first 13 digits modulo 97. Its two-digit
//   year does not say the century, so only the gender is read.
// Nothing is read from a number that is neither, or whose check fails, nor from one that is
// also a valid Turkish identity number (11 digits, checks of its own). Pure.
NationalNumberReading ReadNationalNumber(std::string_view number);

}  // namespace entente::match
