/* personal.c - free text that must not carry personal data (see personal.h).
 *
 * Each finder looks for one kind from position i and answers the length of
 * what it found there (0: nothing starts at i).  Plain byte scanning, no
 * regular expressions and no allocation: the text may be anything a person
 * typed, up to the field's limit.
 */
#include "personal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "clock.h"

#define DOB_YEARS 10

typedef struct scan {
	const char *s;
	size_t      n;
	time_t      now;
} scan;

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(int c) { return is_digit(c) || is_alpha(c); }
static int up(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
static int in_set(const char *set, int c) { return c != 0 && strchr(set, c) != NULL; }

static int at(const scan *sc, size_t i) { return i < sc->n ? (unsigned char)sc->s[i] : 0; }

/* Does a word (letters and digits) start at i, and end at j? */
static int starts_word(const scan *sc, size_t i) { return i == 0 || !is_alnum(at(sc, i - 1)); }
static int ends_word(const scan *sc, size_t j) { return !is_alnum(at(sc, j)); }

/* Count the digits from i (at most max); *j gets the position after them. */
static size_t digits(const scan *sc, size_t i, size_t max, size_t *j)
{
	size_t k = 0;

	while (k < max && is_digit(at(sc, i + k)))
		k++;
	*j = i + k;
	return k;
}

static long number(const scan *sc, size_t i, size_t len)
{
	long v = 0;

	while (len--)
		v = v * 10 + (at(sc, i++) - '0');
	return v;
}

/* ---- e-mail: local@domain.tld --------------------------------------------- */

static int local_char(int c) { return is_alnum(c) || in_set("._%+-'", c); }

static size_t find_email(const scan *sc, size_t i)
{
	size_t j = i, dot = 0, k;

	if (!local_char(at(sc, i)) || (i > 0 && local_char(at(sc, i - 1))))
		return 0;
	while (local_char(at(sc, j)))
		j++;
	if (at(sc, j) != '@' || j == i)
		return 0;
	for (k = j + 1; is_alnum(at(sc, k)) || at(sc, k) == '-' || at(sc, k) == '.'; k++)
		if (at(sc, k) == '.' && is_alpha(at(sc, k + 1)) && is_alpha(at(sc, k + 2)))
			dot = k;
	return dot > j + 1 ? k - i : 0;
}

/* ---- postcode: A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA ------ */

static size_t find_postcode(const scan *sc, size_t i)
{
	size_t j = i, letters = 0;

	if (!starts_word(sc, i))
		return 0;
	while (letters < 2 && is_alpha(at(sc, j)))
		letters++, j++;
	if (letters == 0 || !is_digit(at(sc, j)))
		return 0;
	j++;
	if (is_alnum(at(sc, j)) && !(is_digit(at(sc, j)) && is_alpha(at(sc, j + 1))))
		j++;                                /* the outward code's 2nd digit or letter */
	if (at(sc, j) == ' ')
		j++;
	if (!is_digit(at(sc, j)) || !is_alpha(at(sc, j + 1)) || !is_alpha(at(sc, j + 2)) || !ends_word(sc, j + 3))
		return 0;
	return j + 3 - i;
}

/* ---- National Insurance number: QQ 12 34 56 C ------------------------------ */

static size_t find_ni(const scan *sc, size_t i)
{
	static const char bad1[] = "DFIQUV", bad2[] = "DFIOQUV";
	size_t j = i + 2, pairs, k;

	if (!starts_word(sc, i) || !is_alpha(at(sc, i)) || !is_alpha(at(sc, i + 1)) ||
	    in_set(bad1, up(at(sc, i))) || in_set(bad2, up(at(sc, i + 1))))
		return 0;
	for (pairs = 0; pairs < 3; pairs++) {
		if (at(sc, j) == ' ')
			j++;
		if (digits(sc, j, 2, &k) != 2)
			return 0;
		j = k;
	}
	if (at(sc, j) == ' ' && in_set("ABCD", up(at(sc, j + 1))) && ends_word(sc, j + 2))
		return j + 2 - i;
	if (in_set("ABCD", up(at(sc, j))) && ends_word(sc, j + 1))
		return j + 1 - i;
	return ends_word(sc, j) ? j - i : 0;
}

/* ---- date of birth: a full date more than DOB_YEARS years ago ------------- */

static const char *const months[] = { "january", "february", "march", "april", "may", "june", "july",
	                              "august", "september", "october", "november", "december" };

/* A month's name (whole, or its first three letters, "Sept" too) at i:
 * 1..12 with *j after it, else 0. */
static int month_at(const scan *sc, size_t i, size_t *j)
{
	size_t m, k;

	if (!starts_word(sc, i))
		return 0;
	for (m = 0; m < 12; m++) {
		size_t full = strlen(months[m]);
		for (k = 0; k < full && i + k < sc->n && (at(sc, i + k) | 32) == months[m][k]; k++)
			;
		if ((k == full || k == 3 || (m == 8 && k == 4)) && ends_word(sc, i + k)) {
			*j = i + k + (at(sc, i + k) == '.');
			return (int)m + 1;
		}
	}
	return 0;
}

/* Skip spaces and, where allowed, one comma or "of". */
static size_t skip_gap(const scan *sc, size_t j)
{
	while (at(sc, j) == ' ' || at(sc, j) == ',')
		j++;
	if ((at(sc, j) | 32) == 'o' && (at(sc, j + 1) | 32) == 'f' && at(sc, j + 2) == ' ')
		for (j += 2; at(sc, j) == ' '; j++)
			;
	return j;
}

/* A day number with an optional "st", "nd", "rd" or "th": 1..31, else 0. */
static int day_at(const scan *sc, size_t i, size_t *j)
{
	size_t n = digits(sc, i, 3, j);
	int d = n >= 1 && n <= 2 ? (int)number(sc, i, n) : 0;

	if (d && is_alpha(at(sc, *j)) && is_alpha(at(sc, *j + 1)) && ends_word(sc, *j + 2)) {
		char a = (char)(at(sc, *j) | 32), b = (char)(at(sc, *j + 1) | 32);
		if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h')))
			return 0;
		*j += 2;
	}
	return d >= 1 && d <= 31 && ends_word(sc, *j) ? d : 0;
}

/* A year of four digits (or two, with two_ok) at i: the year, else 0. */
static int year_at(const scan *sc, size_t i, int two_ok, size_t *j)
{
	size_t n = digits(sc, i, 5, j);
	struct tm now;
	int yy;

	if (n == 4)
		return (int)number(sc, i, 4);
	if (n != 2 || !two_ok)
		return 0;
	localtime_r(&sc->now, &now);
	yy = (int)number(sc, i, 2);
	return yy <= (now.tm_year % 100) ? 2000 + yy : 1900 + yy;
}

/* 1 when y-m-d is a real date more than DOB_YEARS years before now. */
static int long_ago(const scan *sc, int y, int m, int d)
{
	struct tm now;
	long then, cut;

	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > portal_days_in_month(y, m))
		return 0;
	localtime_r(&sc->now, &now);
	then = (long)y * 10000 + m * 100 + d;
	cut = (long)(now.tm_year + 1900 - DOB_YEARS) * 10000 + (now.tm_mon + 1) * 100 + now.tm_mday;
	return then < cut;
}

/* 12/03/1985, 12-03-85, 12.3.1985 (day first) and 1985-03-12. */
static size_t find_numeric_date(const scan *sc, size_t i)
{
	size_t j, k, l;
	size_t n = digits(sc, i, 5, &j);
	int sep = at(sc, j), y, m, d;

	if (!starts_word(sc, i) || !(sep == '/' || sep == '-' || sep == '.'))
		return 0;
	if (n == 4) {
		y = (int)number(sc, i, 4);
		if (digits(sc, j + 1, 3, &k) != 2 || at(sc, k) != sep || digits(sc, k + 1, 3, &l) != 2 || !ends_word(sc, l))
			return 0;
		m = (int)number(sc, j + 1, 2);
		d = (int)number(sc, k + 1, 2);
		return long_ago(sc, y, m, d) ? l - i : 0;
	}
	if (n < 1 || n > 2)
		return 0;
	d = (int)number(sc, i, n);
	n = digits(sc, j + 1, 3, &k);
	if (n < 1 || n > 2 || at(sc, k) != sep)
		return 0;
	m = (int)number(sc, j + 1, n);
	y = year_at(sc, k + 1, 1, &l);
	return y && ends_word(sc, l) && long_ago(sc, y, m, d) ? l - i : 0;
}

/* 3rd March 1985, 3 of March, 1985; March 3, 1985; Mar 3rd 1985. */
static size_t find_word_date(const scan *sc, size_t i)
{
	size_t j, k;
	int d, m, y;

	if (!starts_word(sc, i))
		return 0;
	if ((d = day_at(sc, i, &j)) != 0) {
		if ((m = month_at(sc, skip_gap(sc, j), &k)) == 0)
			return 0;
	} else if ((m = month_at(sc, i, &j)) != 0) {
		if ((d = day_at(sc, skip_gap(sc, j), &k)) == 0)
			return 0;
	} else {
		return 0;
	}
	y = year_at(sc, skip_gap(sc, k), 0, &j);
	return y && ends_word(sc, j) && long_ago(sc, y, m, d) ? j - i : 0;
}

static size_t find_dob(const scan *sc, size_t i)
{
	size_t n = find_numeric_date(sc, i);

	return n ? n : find_word_date(sc, i);
}

/* ---- passport number ------------------------------------------------------ */

/* A token of letters and digits at i: its length, and how many digits. */
static size_t token(const scan *sc, size_t i, size_t *ndigits)
{
	size_t j = i;

	*ndigits = 0;
	for (; is_alnum(at(sc, j)); j++)
		*ndigits += is_digit(at(sc, j)) != 0;
	return j - i;
}

static size_t find_passport(const scan *sc, size_t i)
{
	size_t len, nd, j, letters = 0;

	if (!starts_word(sc, i))
		return 0;
	len = token(sc, i, &nd);
	while (letters < len && is_alpha(at(sc, i + letters)))
		letters++;
	if ((len == 9 && nd == 9) || (letters >= 1 && letters <= 2 && nd == len - letters && nd >= 6 && nd <= 9))
		return len;
	if (len != 8 || strncasecmp(sc->s + i, "passport", 8) != 0)
		return 0;
	/* within the next 30 bytes, a token of 6-9 letters and digits with at least 5 digits */
	for (j = i + len; j < sc->n && j < i + len + 30; j++) {
		if (!starts_word(sc, j) || !is_alnum(at(sc, j)))
			continue;
		len = token(sc, j, &nd);
		if (len >= 6 && len <= 9 && nd >= 5)
			return j + len - i;
	}
	return 0;
}

/* ---- phone number: 10 to 15 digits from a 0 or + -------------------------- */

static size_t find_phone(const scan *sc, size_t i)
{
	size_t j = i, nd = 0, last = 0;
	int c = at(sc, i);

	if (i > 0 && (is_alnum(at(sc, i - 1)) || at(sc, i - 1) == '+'))
		return 0;
	if (c == '+' || c == '(')
		j++;
	if (c != '+' && at(sc, j) != '0')
		return 0;
	for (; j < sc->n; j++) {
		c = at(sc, j);
		if (is_digit(c)) {
			if (++nd > 15)
				return 0;
			last = j + 1;
		} else if (!(in_set(" -().", c) && (last == j || (c == ' ' && at(sc, j - 1) == ')')))) {
			break;
		}
	}
	return nd >= 10 && !is_alnum(at(sc, last)) ? last - i : 0;
}

/* ---- the check ------------------------------------------------------------ */

typedef size_t (*finder)(const scan *, size_t);

static const struct {
	portal_personal_kind kind;
	finder               find;
	const char          *words;
	const char          *instead;
} kinds[] = {
	{ PORTAL_PERSONAL_EMAIL, find_email, "an email address", "Leave out email addresses." },
	{ PORTAL_PERSONAL_POSTCODE, find_postcode, "a full postcode",
	  "Give the borough, or the first half of the postcode, instead." },
	{ PORTAL_PERSONAL_NI_NUMBER, find_ni, "a National Insurance number", "Leave out National Insurance numbers." },
	{ PORTAL_PERSONAL_DATE_OF_BIRTH, find_dob, "a date of birth",
	  "A full date more than 10 years ago may be a date of birth: give an age or an age range instead." },
	{ PORTAL_PERSONAL_PASSPORT, find_passport, "a passport number", "Leave out passport and document numbers." },
	{ PORTAL_PERSONAL_PHONE, find_phone, "a phone number", "Leave out phone numbers." },
};

int portal_personal_find(const char *text, size_t len, time_t now, portal_personal_found *found)
{
	scan sc = { text ? text : "", text ? len : 0, now };
	size_t k, i, n;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (i = 0; i < sc.n; i++)
			if ((n = kinds[k].find(&sc, i)) != 0) {
				found->kind = kinds[k].kind;
				found->at = i;
				found->len = n;
				return 1;
			}
	found->kind = PORTAL_PERSONAL_NONE;
	found->at = found->len = 0;
	return 0;
}

const char *portal_personal_kind_words(portal_personal_kind kind)
{
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (kinds[k].kind == kind)
			return kinds[k].words;
	return "nothing personal";
}

void portal_personal_message(const char *text, const portal_personal_found *found, char *out, size_t outlen)
{
	size_t k, n = found->len > 40 ? 40 : found->len;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && kinds[k].kind != found->kind; k++)
		;
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	snprintf(out, outlen,
	         "\"%.*s\" looks like %s. The portal keeps nothing that could identify a person. %s",
	         (int)n, text + found->at, kinds[k].words, kinds[k].instead);
}

int portal_check_no_personal_data(const json_t *value, char *msg, size_t msglen)
{
	portal_personal_found f;
	const char *s = json_string_value(value);

	if (s == NULL || !portal_personal_find(s, json_string_length(value), time(NULL), &f))
		return 0;
	portal_personal_message(s, &f, msg, msglen);
	return -1;
}
