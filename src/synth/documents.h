#pragma once

#include <string>
#include <string_view>

#include "common/random.h"
#include "model/date.h"

namespace entente::synth {

// Identity documents and telephone numbers of synthetic persons. Each is made once in a
// canonical form (letters and digits only) and written, record by record, in one of the forms
// administrations actually use. With `variation` null the Format* functions return the
// canonical form, or for phones the international form "+32470123456".

// A passport number in the format of `country` (BE "EM123456", FR "12AB34567",
// ES "PAA123456", MA "AB1234567", DZ, TR, NL, SY, IQ, RU); other countries get BE's format.
std::string MakePassportNumber(std::string_view country, Rng& rng);

// "EM123456" -> "EM123456", "EM 123 456", "em-123456", "EM-123456", "EM 123456".
std::string FormatDocumentNumber(std::string_view canonical, Rng* variation);

// Belgian national register number, 11 digits: YYMMDD, a sequence number (odd for men, even
// for women) and the mod-97 check digits (with a leading 2 for births from 2000 on).
std::string BelgianNationalNumber(const model::PartialDate& birth, bool male, Rng& rng);
// Whether an 11-digit Belgian number has valid check digits.
bool IsValidBelgianNationalNumber(std::string_view digits);

// French NIR (social security number), 15 digits: sex, YYMM, place of birth (department and
// commune; 99 and a country code for births abroad), order, mod-97 key.
std::string FrenchNir(const model::PartialDate& birth, bool male, bool born_abroad, Rng& rng);

// Spanish DNI ("12345678Z") for nationals, NIE ("X1234567L") for foreign residents, with
// their check letter.
std::string SpanishDocumentNumber(bool national, Rng& rng);

// Moroccan CIN: one or two letters and five or six digits ("BK123456").
std::string MoroccanCin(Rng& rng);

// The identity number of a resident of partner country `country` (BE, FR, ES, MA).
std::string MakeNationalNumber(std::string_view country, const model::PartialDate& birth, bool male,
                               bool national, Rng& rng);
// Writes a national number in the forms of its country: "85.03.14-123.45", "85031412345",
// "1 85 03 99 350 123 45", "12.345.678-Z", "X-1234567-L", "BK 123456".
std::string FormatNationalNumber(std::string_view country, std::string_view canonical,
                                 Rng* variation);

// The national significant number of a mobile phone in `country` (BE, FR, ES, MA): nine digits,
// e.g. "470123456", "612345678".
std::string MakeMobileNumber(std::string_view country, Rng& rng);
// "+32 470 12 34 56", "0470/12.34.56", "0032470123456", "+33 6 12 34 56 78",
// "06 12 34 56 78", "+212 6 12 34 56 78", "+34 612 345 678", ...
std::string FormatPhone(std::string_view country, std::string_view national, Rng* variation);

}  // namespace entente::synth
