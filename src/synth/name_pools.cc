#include "synth/name_pools.h"

#include <array>

namespace entente::synth {
namespace {

using Pool = std::span<const std::string_view>;

// --- Maghrebi (phonemic, Maghrebi pronunciation: reduced vowels written e) -----------------

constexpr std::string_view kMaghrebiMale[] = {
    "muHammed",      "aHmed",         "yUsef",         "3alI",          "karIm",
    "xAled",         "ismA3Il",       "ibrAhIm",       "3abd+al+qAder", "3abd+al+raHmAn",
    "3abd+al+salAm", "3abd+al+laTIf", "3abd+al+3azIz", "3abd+al+lah",   "3abd+al+karIm",
    "3abd+al+HakIm", "Hamza@",        "bilAl",         "3umar",         "3uthmAn",
    "sufyAn",        "anas",          "ayyUb",         "zakariyA'",     "mehdI",
    "amIn",          "rashId",        "nabIl",         "sa3Id",         "Hasan",
    "Husayn",        "mUsY",          "3IsY",          "idrIs",         "jamAl",
    "nUr+al+dIn",    "SalAH+al+dIn",  "badr+al+dIn",   "nASer",         "riDwAn",
    "marwAn",        "ilyAs",         "3imAd",         "3Adel",         "tawfIq",
    "walId",         "xalIl",         "ayman",         "yUnes",         "hishAm",
    "muSTafY",       "zuhayr",        "munIr",         "samIr",         "TAreq",
    "kamAl",         "yaHyY",         "sulaymAn",      "faySal",        "ashraf"};

constexpr std::string_view kMaghrebiFemale[] = {
    "fATima@", "xadIja@", "3A'isha@", "maryam", "zaynab", "amIna@",  "salmY",
    "nAdiya@", "laylY",   "hind",     "sArA",   "asmA'",  "karIma@", "samIra@",
    "laTIfa@", "malIka@", "sumayya@", "najAt",  "nawAl",  "HayAt",   "ImAn",
    "wafA'",   "su3Ad",   "rashIda@", "hanAn",  "ikrAm",  "zuhra@",  "HalIma@",
    "sanA'",   "wiSAl",   "ibtisAm",  "Hafsa@", "yAsmIn", "sihAm"};

constexpr std::string_view kMoroccanSurnames[] = {
    "al+3amrAnI", "bin+3alI",   "al+idrIsI",       "al+3alawI",  "bannAnI",      "al+fAsI",
    "al+xaTTAbI", "al+tAzI",    "bU+zId",          "HaddAd",     "al+manSUrI",   "al+sa3IdI",
    "bin+3IsY",   "bin+qAsem",  "al+ghazAlI",      "al+bakkAlI", "al+HajjI",     "al+3uthmAnI",
    "al+3azzAwI", "al+HamdAwI", "ayt+3alI",        "ayt+HammU",  "wuld+al+HAjj", "bU+3azza@",
    "bU+Tayyeb",  "bin+mUsY",   "bin+yUsef",       "bin+HammU",  "al+murAbiT",   "al+qurashI",
    "raHmUnI",    "zaytUnI",    "bin+3abd+al+lah", "al+yUsefI",  "al+TAhirI",    "zarwAlI",
    "al+kaddUrI", "al+3arabI",  "al+HasanI",       "al+kattAnI", "al+haddAdI",   "bU+ghAlem",
    "al+waz3anI", "shaqrUn",    "al+3ayyAdI",      "bin+Tayyeb", "al+xalfI",     "al+HamrI",
    "bU+3ilAm",   "al+jabbArI"};

constexpr std::string_view kAlgerianSurnames[] = {
    "bin+jallUl", "al+HAjj",   "HamIdI",    "sa3dAnI",     "mubArkI", "jabbAr",
    "qAsI",       "bU+shAreb", "mazyAn",    "al+3arabI",   "sharIf",  "bin+SalAH",
    "xalfI",      "bU+3alAm",  "bU+ghAnem", "HamdI",       "saHnUn",  "bin+3abbAs",
    "TayyebI",    "3ammAr",    "laHmar",    "bin+HamIda@", "HarbI",   "bin+3Amer",
    "sa3dI",      "bin+3alI",  "HaddAd",    "al+manSUrI",  "zaytUnI", "bU+zId",
    "bin+yUsef",  "bin+mUsY",  "jallAb",    "bU+xAlfa@",   "rAHmanI", "bin+Hammu"};

// --- Middle-Eastern (phonemic, classical vowels) -------------------------------------------

constexpr std::string_view kMashriqMale[] = {
    "muHammad",       "aHmad",       "3umar",         "xAlid",    "maHmUd",  "Hasan",    "Husayn",
    "3alI",           "3abbAs",      "Haydar",        "muSTafY",  "ziyAd",   "samIr",    "yAsir",
    "3imAd",          "bAsil",       "ghassAn",       "mAzin",    "TAriq",   "nizAr",    "Hamza@",
    "3abd+al+raHmAn", "3abd+al+lah", "3abd+al+karIm", "qAsim",    "majId",   "muhannad", "anas",
    "mu3Adh",         "yUsuf",       "ibrAhIm",       "sulaymAn", "3uthmAn", "walId",    "firAs"};

constexpr std::string_view kMashriqFemale[] = {"rashA", "ranA",     "lInA",   "hudY",   "nUr",
                                               "SafA'", "fATima@",  "zaynab", "maryam", "3A'isha@",
                                               "lamA",  "ruqayya@", "ghAda@", "hiba@",  "bushrY",
                                               "rIm",   "dalAl",    "manAl",  "su3Ad",  "3abIr"};

constexpr std::string_view kSyrianSurnames[] = {
    "al+HalabI", "al+shAmI", "al+HamawI", "al+HimSI", "al+dimashqI", "HaddAd",    "xUrI",
    "al+3alI",   "al+Hasan", "al+aHmad",  "al+xalaf", "al+muHammad", "al+3umar",  "al+3abd+al+lah",
    "al+najjAr", "al+xaTIb", "al+3aTTAr", "al+zu3bI", "al+sayyid",   "al+idlibI", "al+HurayrI",
    "al+3ubayd", "darwIsh",  "qabalAn",   "al+masrI"};

constexpr std::string_view kIraqiSurnames[] = {
    "al+3ubaydI", "al+jubUrI", "al+tamImI",  "al+dulaymI",   "al+mawSilI", "al+baSrI",   "al+kurdI",
    "al+xazrajI", "al+3AnI",   "al+rubay3I", "al+shammarI",  "al+zubaydI", "al+3azzAwI", "al+ka3bI",
    "al+janAbI",  "al+3AmirI", "al+fahdAwI", "al+karbalA'I", "al+HillI",   "al+saymarI"};

// --- Turkish -------------------------------------------------------------------------------

constexpr std::string_view kTurkishMale[] = {
    "Mehmet", "Mustafa", "Ahmet",  "Hüseyin", "Hasan", "İbrahim",  "Yusuf", "Murat", "Emre",
    "Burak",  "Ömer",    "Kemal",  "Serkan",  "Oğuz",  "Uğur",     "Ercan", "Hakan", "Çağrı",
    "Volkan", "Tuncay",  "Gökhan", "Erdem",   "Şükrü", "Süleyman", "Recai"};

constexpr std::string_view kTurkishFemale[] = {
    "Ayşe",  "Fatma", "Emine", "Zeynep", "Elif",  "Hatice", "Merve", "Gülsüm",
    "Özlem", "Şeyma", "Büşra", "Derya",  "Gülay", "Sevgi",  "Kübra", "Esra"};

constexpr std::string_view kTurkishSurnames[] = {
    "Yılmaz",  "Kaya",    "Demir",  "Şahin",  "Çelik", "Yıldız",  "Yıldırım", "Öztürk",
    "Aydın",   "Özdemir", "Arslan", "Doğan",  "Kılıç", "Aslan",   "Çetin",    "Kara",
    "Koç",     "Kurt",    "Özkan",  "Şimşek", "Polat", "Güneş",   "Akgül",    "Bozkurt",
    "Korkmaz", "Tekin",   "Uçar",   "Karaca", "Çakır", "Erdoğdu", "Kaplan",   "Türkmen"};

// --- Chechen (Russian-route English spelling; variants in name_variants) -------------------

constexpr std::string_view kChechenMale[] = {
    "Zelimkhan",  "Ramzan",  "Adam",        "Islam",  "Magomed", "Akhmed",    "Rustam",
    "Aslan",      "Ibragim", "Movsar",      "Umar",   "Khamzat", "Alikhan",   "Ruslan",
    "Turpal-Ali", "Anzor",   "Arbi",        "Beslan", "Apti",    "Said-Emin", "Lecha",
    "Musa",       "Timur",   "Abdul-Karim", "Yusup"};

constexpr std::string_view kChechenFemale[] = {"Kheda", "Zarema",   "Madina", "Aminat", "Petimat",
                                               "Khava", "Zulikhan", "Liana",  "Milana", "Malika",
                                               "Aizan", "Luiza",    "Zaira",  "Raisa",  "Markha"};

constexpr std::string_view kChechenSurnames[] = {
    "Kadyrov",    "Magomadov",     "Musayev",    "Akhmadov",  "Israilov",    "Khadzhiev",
    "Elmurzaev",  "Vakhaev",       "Tepsurkaev", "Gaziev",    "Dzhabrailov", "Bisultanov",
    "Saidulaev",  "Abdurakhmanov", "Batukaev",   "Eskiev",    "Edilov",      "Mezhidov",
    "Tsakaev",    "Zakriev",       "Yusupov",    "Dudurkaev", "Umkhaev",     "Khasanov",
    "Zhamaldaev", "Chabaev"};

// --- Belgian, French, Spanish, Dutch -------------------------------------------------------

constexpr std::string_view kFlemishMale[] = {
    "Pieter", "Wouter", "Bram",    "Jens",  "Koen", "Stijn", "Dries", "Sander", "Joris",
    "Ruben",  "Thomas", "Kristof", "Jelle", "Wim",  "Tom",   "Niels", "Jonas"};
constexpr std::string_view kFlemishFemale[] = {"Lotte",   "Sofie", "Annelies", "Eline",
                                               "Hanne",   "Lien",  "Nele",     "Femke",
                                               "Marieke", "Ine",   "Katrien",  "An-Sofie"};
constexpr std::string_view kFlemishSurnames[] = {
    "Peeters",       "Janssens",     "Maes",      "Jacobs",     "Mertens",   "Willems",
    "Claes",         "Goossens",     "Wouters",   "De+Smet",    "De+Vos",    "Van+den+Broeck",
    "Van+der+Veken", "De+Backer",    "Vermeulen", "Verhoeven",  "Van+Acker", "De+Clercq",
    "Van+Damme",     "Van+de+Velde", "De+Cock",   "Verstraete", "Van+Hoof",  "De+Meyer"};

constexpr std::string_view kWalloonMale[] = {
    "Michaël",   "Olivier",       "Nicolas",  "Sébastien",    "Julien",
    "Maxime",    "Kevin",         "Jonathan", "Grégory",      "Anthony",
    "Jean-Marc", "Jean-François", "Jean-Luc", "Marc-Antoine", "Cédric"};
constexpr std::string_view kWalloonFemale[] = {
    "Amandine",     "Julie",           "Aurélie", "Céline",  "Laetitia", "Stéphanie",
    "Marie-Claire", "Marie-Christine", "Sophie",  "Justine", "Gaëlle"};
constexpr std::string_view kWalloonSurnames[] = {
    "Du~Bois",  "Lambert", "Du~Pont",  "Martin",  "Simon",    "Laurent", "Leclercq", "Renard",
    "Le~Jeune", "Du~Mont", "Le~Maire", "Collard", "Le~Comte", "Masson",  "Gérard",   "Denis",
    "Delhaye",  "Hardy",   "Piron",    "Leroy",   "Dethier",  "François"};

constexpr std::string_view kFrenchMale[] = {
    "Julien",      "Thomas",    "Nicolas", "Romain",  "Alexandre",   "Quentin",
    "Florian",     "Mathieu",   "Jérôme",  "Sylvain", "Jean-Pierre", "Jean-Baptiste",
    "Pierre-Yves", "Guillaume", "Benoît",  "Yannick", "Loïc"};
constexpr std::string_view kFrenchFemale[] = {"Camille",     "Manon",       "Pauline",  "Émilie",
                                              "Mélanie",     "Sandrine",    "Nathalie", "Élodie",
                                              "Marie-Laure", "Anne-Sophie", "Clémence", "Hélène"};
constexpr std::string_view kFrenchSurnames[] = {
    "Bernard", "Petit",   "Durand",  "Moreau",  "Fournier",  "Girard",   "Bonnet",
    "Mercier", "Blanc",   "Guérin",  "Faure",   "Chevalier", "Gauthier", "Perrin",
    "Morel",   "Lefèvre", "Garnier", "Le+Gall", "Le+Goff",   "Roux",     "Fontaine",
    "Lemoine", "Barbier", "Meunier", "Caron",   "Dumas",     "Rousseau"};

constexpr std::string_view kSpanishMale[] = {
    "Javier", "Alejandro", "Daniel", "Sergio", "Raúl",  "Iván",   "Rubén",      "Adrián",
    "Álvaro", "Jorge",     "Óscar",  "Pablo",  "Diego", "Marcos", "José Manuel"};
constexpr std::string_view kSpanishFemale[] = {"Lucía", "María José", "Laura", "Cristina",
                                               "Marta", "Raquel",     "Nerea", "Ainhoa",
                                               "Sara",  "Rocío",      "Paula", "Irene"};
constexpr std::string_view kSpanishSurnames[] = {
    "García",  "Fernández", "González",     "Rodríguez", "López",   "Martínez",  "Sánchez",
    "Pérez",   "Gómez",     "Martín",       "Jiménez",   "Ruiz",    "Hernández", "Díaz",
    "Moreno",  "Muñoz",     "Álvarez",      "Romero",    "Navarro", "Torres",    "Domínguez",
    "Gil",     "Vázquez",   "Serrano",      "Ramos",     "Blanco",  "Molina",    "Ortega",
    "Delgado", "Castro",    "de+la+Fuente", "del+Río"};

constexpr std::string_view kDutchMale[] = {"Daan",   "Sem",    "Lucas",  "Jesse", "Niels",
                                           "Thijs",  "Tim",    "Stefan", "Mark",  "Bas",
                                           "Jeroen", "Wouter", "Kevin",  "Rick"};
constexpr std::string_view kDutchFemale[] = {"Sanne", "Anouk", "Lisa",  "Iris",   "Fleur",
                                             "Eva",   "Femke", "Lotte", "Mirjam", "Esther"};
constexpr std::string_view kDutchSurnames[] = {
    "de+Jong", "Jansen",   "de+Vries",    "van+den+Berg", "van+Dijk", "Bakker", "Visser",
    "Smit",    "Meijer",   "de+Boer",     "Mulder",       "de+Groot", "Bos",    "Vos",
    "Peters",  "Hendriks", "van+Leeuwen", "Dekker",       "Brouwer",  "de+Wit", "van+der+Meer"};

// --- Blocklist: combinations naming well-known real people ---------------------------------

struct Pair {
  std::string_view given;
  std::string_view surname;
};
constexpr Pair kFamous[] = {{"3abd+al+karIm", "al+xaTTAbI"},
                            {"3abd+al+raHmAn", "al+yUsefI"},
                            {"Ramzan", "Kadyrov"},
                            {"Adam", "Kadyrov"},
                            {"Akhmed", "Kadyrov"},
                            {"Burak", "Yılmaz"},
                            {"Murat", "Yıldırım"},
                            {"Dries", "Mertens"},
                            {"Sergio", "Ramos"},
                            {"Sergio", "García"},
                            {"Raúl", "González"},
                            {"Jorge", "Martín"},
                            {"Marta", "Ortega"},
                            {"Alexandre", "Dumas"},
                            {"Mark", "de+Jong"},
                            {"3umar", "al+shIshAnI"},
                            {"bakr", "al+3irAqI"},
                            {"muHammad", "al+shAmI"},
                            {"Tom", "Van+Damme"},
                            {"Michaël", "Martin"}};

constexpr std::string_view kKunyaNames[] = {
    "muS3ab",  "Hamza@",      "xAlid",   "muHammad", "3abd+al+raHmAn", "sulaymAn",
    "ibrAhIm", "yaHyY",       "qatAda@", "3ubayda@", "dujAna@",        "TalHa@",
    "anas",    "3abd+al+lah", "zubayr",  "hurayra@", "usAma@",         "bakr",
    "3umar",   "mu3Adh",      "jarrAH",  "3aqIl"};

constexpr Nisba kNisbas[] = {
    {"BE", "al+baljIkI", "al+baljIkiyya@"},   {"FR", "al+faransI", "al+faransiyya@"},
    {"ES", "al+isbAnI", "al+isbAniyya@"},     {"MA", "al+maghribI", "al+maghribiyya@"},
    {"DZ", "al+jazA'irI", "al+jazA'iriyya@"}, {"NL", "al+hUlandI", "al+hUlandiyya@"},
    {"TR", "al+turkI", "al+turkiyya@"},       {"RU", "al+shIshAnI", "al+shIshAniyya@"},
    {"SY", "al+shAmI", "al+shAmiyya@"},       {"IQ", "al+3irAqI", "al+3irAqiyya@"}};

constexpr std::string_view kNicknames[] = {
    "Mo",       "Momo",     "Le Belge", "Le Petit", "Le Grand", "El Flaco",
    "El Rubio", "El Chino", "De Lange", "Kleine",   "Tito",     "Doc",
    "Bilou",    "Babou",    "Kiki",     "Moumou",   "Le Blond", "Le Barbu",
    "Zizou",    "Tonton",   "El Gato",  "De Rosse", "Scarface", "Le Marseillais"};

constexpr std::string_view kHonorificsFrench[] = {"Cheikh", "Hadj", "El Hadj", "M."};
constexpr std::string_view kHonorificsDutch[] = {"Sjeik", "Hadj", "Dhr."};
constexpr std::string_view kHonorificsSpanish[] = {"Cheij", "Hach", "Sr."};
constexpr std::string_view kHonorificsEnglish[] = {"Sheikh", "Hajj", "Mr"};

constexpr std::string_view kEstablishmentsBE[] = {"Gevangenis Oostveld",
                                                  "Gevangenis Meerhoven",
                                                  "Prison de Hautbois",
                                                  "Prison de Val-Sainte-Croix",
                                                  "Centre pénitentiaire de Bois-Roncart",
                                                  "Gevangenis Ter Heide-Noord"};
constexpr std::string_view kEstablishmentsFR[] = {
    "Centre pénitentiaire de Vaulmont",         "Maison d'arrêt de Ferrandières",
    "Centre de détention de Brézolles-le-Haut", "Maison centrale de Montcalvel",
    "Centre pénitentiaire des Hauts-Tilleuls",  "Maison d'arrêt de Saint-Omerville"};
constexpr std::string_view kEstablishmentsES[] = {
    "Centro Penitenciario Los Almendros", "Centro Penitenciario Puerto Claro",
    "Centro Penitenciario Campo Verde", "Centro Penitenciario Sierra Alta Norte",
    "Centro Penitenciario Valle del Olmo"};
constexpr std::string_view kEstablishmentsMA[] = {
    "Prison locale Oued Lakhdar", "Prison centrale Ras Nour", "Prison locale Ain Sebt",
    "Centre pénitentiaire Tizi Nour", "Prison locale Sidi Amar El Kbir"};

constexpr std::string_view kRestrictions[] = {"Not to be shared with third countries",
                                              "Use restricted to the owner's ongoing investigation",
                                              "Not to be disclosed to the data subject",
                                              "Only for border and travel screening",
                                              "Consult the owner before any operational action",
                                              "Not for use in administrative proceedings"};

}  // namespace

std::string_view OriginName(Origin origin) {
  constexpr std::string_view kNames[kOriginCount] = {"moroccan", "algerian", "syrian",  "iraqi",
                                                     "turkish",  "chechen",  "flemish", "walloon",
                                                     "french",   "spanish",  "dutch"};
  return kNames[static_cast<size_t>(origin)];
}

bool IsArabicOrigin(Origin origin) {
  return origin == Origin::kMoroccan || origin == Origin::kAlgerian || origin == Origin::kSyrian ||
         origin == Origin::kIraqi;
}

std::string_view OriginCountry(Origin origin) {
  constexpr std::string_view kCountries[kOriginCount] = {"MA", "DZ", "SY", "IQ", "TR", "RU",
                                                         "BE", "BE", "FR", "ES", "NL"};
  return kCountries[static_cast<size_t>(origin)];
}

Pool GivenNames(Origin origin, Sex sex) {
  const bool male = sex == Sex::kMale;
  switch (origin) {
    case Origin::kMoroccan:
    case Origin::kAlgerian:
      return male ? Pool(kMaghrebiMale) : Pool(kMaghrebiFemale);
    case Origin::kSyrian:
    case Origin::kIraqi:
      return male ? Pool(kMashriqMale) : Pool(kMashriqFemale);
    case Origin::kTurkish:
      return male ? Pool(kTurkishMale) : Pool(kTurkishFemale);
    case Origin::kChechen:
      return male ? Pool(kChechenMale) : Pool(kChechenFemale);
    case Origin::kFlemish:
      return male ? Pool(kFlemishMale) : Pool(kFlemishFemale);
    case Origin::kWalloon:
      return male ? Pool(kWalloonMale) : Pool(kWalloonFemale);
    case Origin::kFrench:
      return male ? Pool(kFrenchMale) : Pool(kFrenchFemale);
    case Origin::kSpanish:
      return male ? Pool(kSpanishMale) : Pool(kSpanishFemale);
    case Origin::kDutch:
      return male ? Pool(kDutchMale) : Pool(kDutchFemale);
  }
  return Pool(kMaghrebiMale);
}

Pool Surnames(Origin origin) {
  switch (origin) {
    case Origin::kMoroccan:
      return kMoroccanSurnames;
    case Origin::kAlgerian:
      return kAlgerianSurnames;
    case Origin::kSyrian:
      return kSyrianSurnames;
    case Origin::kIraqi:
      return kIraqiSurnames;
    case Origin::kTurkish:
      return kTurkishSurnames;
    case Origin::kChechen:
      return kChechenSurnames;
    case Origin::kFlemish:
      return kFlemishSurnames;
    case Origin::kWalloon:
      return kWalloonSurnames;
    case Origin::kFrench:
      return kFrenchSurnames;
    case Origin::kSpanish:
      return kSpanishSurnames;
    case Origin::kDutch:
      return kDutchSurnames;
  }
  return kMoroccanSurnames;
}

bool IsFamousCombination(std::string_view given, std::string_view surname) {
  for (const Pair& p : kFamous) {
    if (p.given == given && p.surname == surname) return true;
  }
  return false;
}

Pool KunyaNames() { return kKunyaNames; }
std::span<const Nisba> Nisbas() { return kNisbas; }

const Nisba& NisbaOf(std::string_view country) {
  for (const Nisba& n : kNisbas) {
    if (n.country == country) return n;
  }
  return kNisbas[3];
}

Pool Nicknames() { return kNicknames; }

Pool Honorifics(size_t convention) {
  switch (convention) {
    case 0:
      return kHonorificsFrench;
    case 1:
      return kHonorificsDutch;
    case 2:
      return kHonorificsSpanish;
    default:
      return kHonorificsEnglish;
  }
}

Pool Establishments(size_t partner) {
  switch (partner) {
    case 0:
      return kEstablishmentsBE;
    case 1:
      return kEstablishmentsFR;
    case 2:
      return kEstablishmentsES;
    default:
      return kEstablishmentsMA;
  }
}

Pool HandlingRestrictions() { return kRestrictions; }

}  // namespace entente::synth
