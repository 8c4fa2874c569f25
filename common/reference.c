/* reference.c - London areas and languages (see reference.h). */
#include "reference.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const portal_code_name portal_london_areas[] = {
	{ "barking-and-dagenham", "Barking and Dagenham" },
	{ "barnet", "Barnet" },
	{ "bexley", "Bexley" },
	{ "brent", "Brent" },
	{ "bromley", "Bromley" },
	{ "camden", "Camden" },
	{ "city-of-london", "City of London" },
	{ "croydon", "Croydon" },
	{ "ealing", "Ealing" },
	{ "enfield", "Enfield" },
	{ "greenwich", "Greenwich" },
	{ "hackney", "Hackney" },
	{ "hammersmith-and-fulham", "Hammersmith and Fulham" },
	{ "haringey", "Haringey" },
	{ "harrow", "Harrow" },
	{ "havering", "Havering" },
	{ "hillingdon", "Hillingdon" },
	{ "hounslow", "Hounslow" },
	{ "islington", "Islington" },
	{ "kensington-and-chelsea", "Kensington and Chelsea" },
	{ "kingston-upon-thames", "Kingston upon Thames" },
	{ "lambeth", "Lambeth" },
	{ "lewisham", "Lewisham" },
	{ "merton", "Merton" },
	{ "newham", "Newham" },
	{ "redbridge", "Redbridge" },
	{ "richmond-upon-thames", "Richmond upon Thames" },
	{ "southwark", "Southwark" },
	{ "sutton", "Sutton" },
	{ "tower-hamlets", "Tower Hamlets" },
	{ "waltham-forest", "Waltham Forest" },
	{ "wandsworth", "Wandsworth" },
	{ "westminster", "Westminster" },
};
const size_t portal_london_areas_count = sizeof(portal_london_areas) / sizeof(portal_london_areas[0]);

/* Ordered by code (portal_language_find looks codes up by binary search;
 * test_reference checks the order). */
const portal_language portal_languages[] = {
	{ "aa", "Afar", "Qafaraf" },
	{ "ab", "Abkhazian", "аԥсуа бызшәа" },
	{ "af", "Afrikaans", NULL },
	{ "ak", "Akan", NULL },
	{ "am", "Amharic", "አማርኛ" },
	{ "an", "Aragonese", "aragonés" },
	{ "ar", "Arabic", "العربية" },
	{ "as", "Assamese", "অসমীয়া" },
	{ "av", "Avaric", "авар мацӀ" },
	{ "ay", "Aymara", "aymar aru" },
	{ "az", "Azerbaijani", "azərbaycan dili" },
	{ "ba", "Bashkir", "башҡорт теле" },
	{ "be", "Belarusian", "беларуская" },
	{ "bg", "Bulgarian", "български" },
	{ "bi", "Bislama", NULL },
	{ "bin", "Edo", "Ẹdo" },
	{ "bm", "Bambara", "bamanankan" },
	{ "bn", "Bengali", "বাংলা" },
	{ "bo", "Tibetan", "བོད་ཡིག" },
	{ "br", "Breton", "brezhoneg" },
	{ "bs", "Bosnian", "bosanski" },
	{ "byn", "Bilen", "ብሊን" },
	{ "ca", "Catalan", "català" },
	{ "ce", "Chechen", "нохчийн мотт" },
	{ "ch", "Chamorro", "Chamoru" },
	{ "co", "Corsican", "corsu" },
	{ "cr", "Cree", "ᓀᐦᐃᔭᐍᐏᐣ" },
	{ "cs", "Czech", "čeština" },
	{ "cv", "Chuvash", "чӑваш чӗлхи" },
	{ "cy", "Welsh", "Cymraeg" },
	{ "da", "Danish", "dansk" },
	{ "de", "German", "Deutsch" },
	{ "dv", "Dhivehi", "ދިވެހި" },
	{ "dz", "Dzongkha", "རྫོང་ཁ" },
	{ "ee", "Ewe", "Eʋegbe" },
	{ "el", "Greek", "Ελληνικά" },
	{ "en", "English", NULL },
	{ "es", "Spanish", "español" },
	{ "et", "Estonian", "eesti" },
	{ "eu", "Basque", "euskara" },
	{ "fa", "Persian", "فارسی" },
	{ "ff", "Fulah", "Fulfulde" },
	{ "fi", "Finnish", "suomi" },
	{ "fj", "Fijian", "vosa Vakaviti" },
	{ "fo", "Faroese", "føroyskt" },
	{ "fr", "French", "français" },
	{ "fy", "Western Frisian", "Frysk" },
	{ "ga", "Irish", "Gaeilge" },
	{ "gd", "Scottish Gaelic", "Gàidhlig" },
	{ "gl", "Galician", "galego" },
	{ "gn", "Guarani", "Avañe'ẽ" },
	{ "gu", "Gujarati", "ગુજરાતી" },
	{ "gv", "Manx", "Gaelg" },
	{ "ha", "Hausa", NULL },
	{ "he", "Hebrew", "עברית" },
	{ "hi", "Hindi", "हिन्दी" },
	{ "ho", "Hiri Motu", NULL },
	{ "hr", "Croatian", "hrvatski" },
	{ "ht", "Haitian Creole", "kreyòl ayisyen" },
	{ "hu", "Hungarian", "magyar" },
	{ "hy", "Armenian", "հայերեն" },
	{ "hz", "Herero", "Otjiherero" },
	{ "id", "Indonesian", "Bahasa Indonesia" },
	{ "ig", "Igbo", "Asụsụ Igbo" },
	{ "ii", "Sichuan Yi", "ꆈꌠꉙ" },
	{ "ik", "Inupiaq", "Iñupiaq" },
	{ "is", "Icelandic", "íslenska" },
	{ "it", "Italian", "italiano" },
	{ "iu", "Inuktitut", "ᐃᓄᒃᑎᑐᑦ" },
	{ "ja", "Japanese", "日本語" },
	{ "jv", "Javanese", "basa Jawa" },
	{ "ka", "Georgian", "ქართული" },
	{ "kg", "Kongo", "Kikongo" },
	{ "ki", "Kikuyu", "Gĩkũyũ" },
	{ "kj", "Kuanyama", "Oshikwanyama" },
	{ "kk", "Kazakh", "қазақ тілі" },
	{ "kl", "Kalaallisut", "kalaallisut" },
	{ "km", "Khmer", "ខ្មែរ" },
	{ "kn", "Kannada", "ಕನ್ನಡ" },
	{ "ko", "Korean", "한국어" },
	{ "kr", "Kanuri", NULL },
	{ "kri", "Krio", NULL },
	{ "ks", "Kashmiri", "कॉशुर" },
	{ "ku", "Kurdish", "Kurdî" },
	{ "kv", "Komi", "коми кыв" },
	{ "kw", "Cornish", "Kernewek" },
	{ "ky", "Kyrgyz", "кыргызча" },
	{ "lb", "Luxembourgish", "Lëtzebuergesch" },
	{ "lg", "Ganda", "Luganda" },
	{ "li", "Limburgish", "Limburgs" },
	{ "ln", "Lingala", "lingála" },
	{ "lo", "Lao", "ລາວ" },
	{ "lt", "Lithuanian", "lietuvių" },
	{ "lu", "Luba-Katanga", "Kiluba" },
	{ "lv", "Latvian", "latviešu" },
	{ "mg", "Malagasy", NULL },
	{ "mh", "Marshallese", "Kajin M̧ajeļ" },
	{ "mi", "Maori", "te reo Māori" },
	{ "mk", "Macedonian", "македонски" },
	{ "ml", "Malayalam", "മലയാളം" },
	{ "mn", "Mongolian", "монгол" },
	{ "mr", "Marathi", "मराठी" },
	{ "ms", "Malay", "Bahasa Melayu" },
	{ "mt", "Maltese", "Malti" },
	{ "my", "Burmese", "မြန်မာ" },
	{ "na", "Nauru", "Dorerin Naoero" },
	{ "nb", "Norwegian Bokmal", "norsk bokmål" },
	{ "nd", "North Ndebele", "isiNdebele" },
	{ "ne", "Nepali", "नेपाली" },
	{ "ng", "Ndonga", "Oshindonga" },
	{ "nl", "Dutch", "Nederlands" },
	{ "nn", "Norwegian Nynorsk", "norsk nynorsk" },
	{ "no", "Norwegian", "norsk" },
	{ "nr", "South Ndebele", "isiNdebele" },
	{ "nv", "Navajo", "Diné bizaad" },
	{ "ny", "Chichewa", NULL },
	{ "oc", "Occitan", "occitan" },
	{ "oj", "Ojibwa", "ᐊᓂᔑᓈᐯᒧᐎᓐ" },
	{ "om", "Oromo", "Afaan Oromoo" },
	{ "or", "Odia", "ଓଡ଼ିଆ" },
	{ "os", "Ossetian", "ирон æвзаг" },
	{ "pa", "Punjabi", "ਪੰਜਾਬੀ" },
	{ "pcm", "Nigerian Pidgin", "Naijá" },
	{ "pl", "Polish", "polski" },
	{ "prs", "Dari", "دری" },
	{ "ps", "Pashto", "پښتو" },
	{ "pt", "Portuguese", "português" },
	{ "qu", "Quechua", "Runa Simi" },
	{ "rm", "Romansh", "rumantsch" },
	{ "rn", "Kirundi", "Ikirundi" },
	{ "ro", "Romanian", "română" },
	{ "ru", "Russian", "русский" },
	{ "rw", "Kinyarwanda", "Ikinyarwanda" },
	{ "sc", "Sardinian", "sardu" },
	{ "sd", "Sindhi", "سنڌي" },
	{ "se", "Northern Sami", "davvisámegiella" },
	{ "sg", "Sango", "Sängö" },
	{ "si", "Sinhala", "සිංහල" },
	{ "sk", "Slovak", "slovenčina" },
	{ "sl", "Slovenian", "slovenščina" },
	{ "sm", "Samoan", "Gagana Sāmoa" },
	{ "sn", "Shona", "chiShona" },
	{ "so", "Somali", "Soomaali" },
	{ "sq", "Albanian", "shqip" },
	{ "sr", "Serbian", "српски" },
	{ "ss", "Swati", "siSwati" },
	{ "st", "Southern Sotho", "Sesotho" },
	{ "su", "Sundanese", "basa Sunda" },
	{ "sv", "Swedish", "svenska" },
	{ "sw", "Swahili", "Kiswahili" },
	{ "syl", "Sylheti", "ꠍꠤꠟꠐꠤ" },
	{ "ta", "Tamil", "தமிழ்" },
	{ "te", "Telugu", "తెలుగు" },
	{ "tg", "Tajik", "тоҷикӣ" },
	{ "th", "Thai", "ไทย" },
	{ "ti", "Tigrinya", "ትግርኛ" },
	{ "tk", "Turkmen", "Türkmençe" },
	{ "tl", "Tagalog", NULL },
	{ "tn", "Tswana", "Setswana" },
	{ "to", "Tongan", "lea faka-Tonga" },
	{ "tr", "Turkish", "Türkçe" },
	{ "ts", "Tsonga", "Xitsonga" },
	{ "tt", "Tatar", "татар теле" },
	{ "tw", "Twi", NULL },
	{ "ty", "Tahitian", "reo Tahiti" },
	{ "ug", "Uyghur", "ئۇيغۇرچە" },
	{ "uk", "Ukrainian", "українська" },
	{ "ur", "Urdu", "اردو" },
	{ "uz", "Uzbek", "oʻzbekcha" },
	{ "ve", "Venda", "Tshivenḓa" },
	{ "vi", "Vietnamese", "Tiếng Việt" },
	{ "wa", "Walloon", "walon" },
	{ "wo", "Wolof", NULL },
	{ "xh", "Xhosa", "isiXhosa" },
	{ "yi", "Yiddish", "ייִדיש" },
	{ "yo", "Yoruba", "Èdè Yorùbá" },
	{ "za", "Zhuang", "Vahcuengh" },
	{ "zh", "Chinese", "中文" },
	{ "zu", "Zulu", "isiZulu" },
};
const size_t portal_languages_count = sizeof(portal_languages) / sizeof(portal_languages[0]);

/* The languages of the nationalities most often referred to the NRM (the
 * Home Office's NRM statistics: Albania, Viet Nam, Eritrea, Sudan,
 * Afghanistan, Iran, Romania, Iraq, Ethiopia, China, Pakistan, India,
 * Bangladesh, Nigeria, Sierra Leone, Poland, Lithuania, Bulgaria, Slovakia,
 * Somalia, the UK), in the order lists show them first. */
const char *const portal_languages_first[] = {
	"sq", "vi", "ti", "ar", "prs", "ps", "ro", "fa", "ku", "am",
	"om", "byn", "zh", "ur", "pa", "bn", "syl", "hi", "bin", "pcm",
	"yo", "ig", "kri", "pl", "lt", "bg", "sk", "so", "en",
};
const size_t portal_languages_first_count = sizeof(portal_languages_first) / sizeof(portal_languages_first[0]);

/* Historic and constructed languages: no longer offered, still named. */
static const portal_language portal_languages_retired[] = {
	{ "ae", "Avestan", NULL },
	{ "cu", "Church Slavic", NULL },
	{ "eo", "Esperanto", NULL },
	{ "ia", "Interlingua", NULL },
	{ "ie", "Interlingue", NULL },
	{ "io", "Ido", NULL },
	{ "la", "Latin", NULL },
	{ "pi", "Pali", NULL },
	{ "sa", "Sanskrit", NULL },
	{ "vo", "Volapuk", NULL },
};

/* The directory's codes of exploitation types (modules/directory/codes.c
 * keeps its own list with the same codes, which its stored services use). */
const portal_code_name portal_exploitation_types[] = {
	{ "sexual", "Sexual exploitation" }, { "labour", "Labour exploitation" },
	{ "criminal", "Criminal exploitation (including county lines)" },
	{ "domestic_servitude", "Domestic servitude" }, { "organ_harvesting", "Organ harvesting" },
	{ "financial", "Financial exploitation" },
};
const size_t portal_exploitation_types_count = sizeof(portal_exploitation_types) / sizeof(portal_exploitation_types[0]);

const portal_code_name portal_agency_types[] = {
	{ "police", "Police" }, { "local_authority", "Local authority" }, { "health", "Health" },
	{ "ngo", "NGO" }, { "other", "Other" },
};
const size_t portal_agency_types_count = sizeof(portal_agency_types) / sizeof(portal_agency_types[0]);

const portal_code_name *portal_code_find(const portal_code_name *table, size_t n, const char *code)
{
	size_t i;

	for (i = 0; code && i < n; i++)
		if (strcmp(table[i].code, code) == 0)
			return &table[i];
	return NULL;
}

const char *portal_london_area_name(const char *slug)
{
	const portal_code_name *e = portal_code_find(portal_london_areas, portal_london_areas_count, slug);
	return e ? e->name : NULL;
}

/* bsearch's comparison of a code with a table entry. */
static int language_cmp(const void *code, const void *entry)
{
	return strcmp((const char *)code, ((const portal_language *)entry)->code);
}

/* The table is ordered by code, so a page that names every language (the
 * forms' choice lists) looks each up in about 8 comparisons, not 90. */
const portal_language *portal_language_find(const char *code)
{
	const portal_language *e;
	size_t i;

	if (code == NULL)
		return NULL;
	e = bsearch(code, portal_languages, portal_languages_count, sizeof(portal_languages[0]), language_cmp);
	for (i = 0; e == NULL && i < sizeof(portal_languages_retired) / sizeof(portal_languages_retired[0]); i++)
		if (strcmp(portal_languages_retired[i].code, code) == 0)
			e = &portal_languages_retired[i];
	return e;
}

static const portal_language *languages_listed[sizeof(portal_languages) / sizeof(portal_languages[0])];
static pthread_once_t languages_listed_once = PTHREAD_ONCE_INIT;

/* By English name. */
static int language_name_cmp(const void *x, const void *y)
{
	return strcmp((*(const portal_language *const *)x)->name, (*(const portal_language *const *)y)->name);
}

/* The first block, then the rest by English name. */
static void languages_listed_init(void)
{
	size_t i, k, n = 0;

	for (i = 0; i < portal_languages_first_count; i++)
		languages_listed[n++] = portal_language_find(portal_languages_first[i]);
	for (i = 0; i < portal_languages_count; i++) {
		int first = 0;
		for (k = 0; k < portal_languages_first_count; k++)
			first |= strcmp(portal_languages_first[k], portal_languages[i].code) == 0;
		if (!first)
			languages_listed[n++] = &portal_languages[i];
	}
	qsort(languages_listed + portal_languages_first_count, n - portal_languages_first_count,
	      sizeof(languages_listed[0]), language_name_cmp);
}

const portal_language *const *portal_languages_listed(void)
{
	pthread_once(&languages_listed_once, languages_listed_init);
	return languages_listed;
}

const portal_language *portal_language_by_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < portal_languages_count; i++)
		if (strcasecmp(portal_languages[i].name, name) == 0 ||
		    (portal_languages[i].own_name && strcasecmp(portal_languages[i].own_name, name) == 0))
			return &portal_languages[i];
	return NULL;
}

const char *portal_language_name(const char *code)
{
	const portal_language *e = portal_language_find(code);
	return e ? e->name : NULL;
}
