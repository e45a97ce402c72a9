/*
 * modem/phone.c — phone number normalization to E.164, short codes and
 * masking for logs.
 *
 * Implements the international number structure of ITU-T E.164 ("+",
 * country code, national significant number, at most 15 digits) and the
 * dialling conventions people type: the ITU-recommended international
 * prefix "00", the NANP international prefix "011", and the national trunk
 * prefix "0" (NANP: "1").  Deviations and choices:
 * - the length check is 7..15 digits after "+" (E.164 sets only the
 *   maximum; no assigned number is shorter than 7 digits with its country
 *   code) and a national number plus country code must give 8..15;
 * - NANP numbers must have an area code starting 2-9; the exchange code is
 *   not checked;
 * - the trunk prefix is "0" everywhere but NANP ("1"), Italy (39, none:
 *   the leading 0 of fixed numbers is part of the E.164 number) and
 *   Russia/Kazakhstan (7, "8"); other countries' oddities are not known;
 * - a '+' is accepted anywhere before the first digit as long as it is the
 *   only one, so "(+63) 917 123 4567" works too;
 * - "(0)" after the first digit is dropped: "+44 (0)20 7946 0018" shows the
 *   trunk prefix for national callers, which is not part of the number;
 * - for the countries in phone_nsn (national significant number lengths
 *   from their numbering plans), digits that start with the country code
 *   and are too long for a national number but right for an
 *   international one without its "+" ("639171234567" in the
 *   Philippines, as spreadsheets and some networks write them) are read
 *   as international, and a sender as long as the country's shortest
 *   numbers is not a short code ("91234567" in Hong Kong).
 * Pure: no I/O, no allocation; error messages are static constants.
 */
#include <stddef.h>
#include <string.h>

#include "phone.h"

/*
 * Every digit is scanned; only this many are kept.  The longest form
 * accepted is "011" + 15 digits, so a longer number is too long whatever
 * it is.
 */
#define PHONE_SCAN_MAX	20

/*
 * The "invalid character" messages, one per byte, so *err can stay a
 * pointer to a constant: no shared buffer to overwrite on the next call,
 * and a caller may keep two errors at once.  Printable ASCII is shown as
 * itself, other bytes as \xNN.
 */
#define PHONE_BAD(c)	"invalid character '" c "' in number"
#define PHONE_HEX(h, l)	PHONE_BAD("\\x" #h #l)
#define PHONE_ROW(h)							\
	PHONE_HEX(h, 0), PHONE_HEX(h, 1), PHONE_HEX(h, 2), PHONE_HEX(h, 3), \
	PHONE_HEX(h, 4), PHONE_HEX(h, 5), PHONE_HEX(h, 6), PHONE_HEX(h, 7), \
	PHONE_HEX(h, 8), PHONE_HEX(h, 9), PHONE_HEX(h, A), PHONE_HEX(h, B), \
	PHONE_HEX(h, C), PHONE_HEX(h, D), PHONE_HEX(h, E), PHONE_HEX(h, F)

static const char *const phone_bad_hex[256] = {
	PHONE_ROW(0), PHONE_ROW(1), PHONE_ROW(2), PHONE_ROW(3),
	PHONE_ROW(4), PHONE_ROW(5), PHONE_ROW(6), PHONE_ROW(7),
	PHONE_ROW(8), PHONE_ROW(9), PHONE_ROW(A), PHONE_ROW(B),
	PHONE_ROW(C), PHONE_ROW(D), PHONE_ROW(E), PHONE_ROW(F)
};

/* 0x21 '!' to 0x7e '~'. */
static const char *const phone_bad_print[] = {
	PHONE_BAD("!"), PHONE_BAD("\""), PHONE_BAD("#"), PHONE_BAD("$"),
	PHONE_BAD("%"), PHONE_BAD("&"), PHONE_BAD("'"), PHONE_BAD("("),
	PHONE_BAD(")"), PHONE_BAD("*"), PHONE_BAD("+"), PHONE_BAD(","),
	PHONE_BAD("-"), PHONE_BAD("."), PHONE_BAD("/"), PHONE_BAD("0"),
	PHONE_BAD("1"), PHONE_BAD("2"), PHONE_BAD("3"), PHONE_BAD("4"),
	PHONE_BAD("5"), PHONE_BAD("6"), PHONE_BAD("7"), PHONE_BAD("8"),
	PHONE_BAD("9"), PHONE_BAD(":"), PHONE_BAD(";"), PHONE_BAD("<"),
	PHONE_BAD("="), PHONE_BAD(">"), PHONE_BAD("?"), PHONE_BAD("@"),
	PHONE_BAD("A"), PHONE_BAD("B"), PHONE_BAD("C"), PHONE_BAD("D"),
	PHONE_BAD("E"), PHONE_BAD("F"), PHONE_BAD("G"), PHONE_BAD("H"),
	PHONE_BAD("I"), PHONE_BAD("J"), PHONE_BAD("K"), PHONE_BAD("L"),
	PHONE_BAD("M"), PHONE_BAD("N"), PHONE_BAD("O"), PHONE_BAD("P"),
	PHONE_BAD("Q"), PHONE_BAD("R"), PHONE_BAD("S"), PHONE_BAD("T"),
	PHONE_BAD("U"), PHONE_BAD("V"), PHONE_BAD("W"), PHONE_BAD("X"),
	PHONE_BAD("Y"), PHONE_BAD("Z"), PHONE_BAD("["), PHONE_BAD("\\"),
	PHONE_BAD("]"), PHONE_BAD("^"), PHONE_BAD("_"), PHONE_BAD("`"),
	PHONE_BAD("a"), PHONE_BAD("b"), PHONE_BAD("c"), PHONE_BAD("d"),
	PHONE_BAD("e"), PHONE_BAD("f"), PHONE_BAD("g"), PHONE_BAD("h"),
	PHONE_BAD("i"), PHONE_BAD("j"), PHONE_BAD("k"), PHONE_BAD("l"),
	PHONE_BAD("m"), PHONE_BAD("n"), PHONE_BAD("o"), PHONE_BAD("p"),
	PHONE_BAD("q"), PHONE_BAD("r"), PHONE_BAD("s"), PHONE_BAD("t"),
	PHONE_BAD("u"), PHONE_BAD("v"), PHONE_BAD("w"), PHONE_BAD("x"),
	PHONE_BAD("y"), PHONE_BAD("z"), PHONE_BAD("{"), PHONE_BAD("|"),
	PHONE_BAD("}"), PHONE_BAD("~"),
};
_Static_assert(sizeof phone_bad_print / sizeof phone_bad_print[0] ==
    0x7e - 0x21 + 1, "one message per printable byte");

/*
 * National trunk prefixes that are not "0".  NANP ("1") has its own rules
 * in phone_nanp.
 */
static const struct {
	const char	*cc;
	const char	*trunk;
} phone_trunks[] = {
	{ "39", "" },		/* Italy: no trunk prefix */
	{ "7", "8" },		/* Russia, Kazakhstan */
};

/*
 * The shortest and longest national significant number (without trunk
 * prefix), fixed and mobile, of countries where members or organizers of
 * a deployment are likely to be.  NANP ("1") is phone_nanp's.  A country
 * missing here keeps the general rules; one whose short codes are as long
 * as its shortest numbers (Germany) must stay missing.
 */
static const struct {
	const char	*cc;
	unsigned char	 min, max;
} phone_nsn[] = {
	{ "7", 10, 10 },	/* Russia, Kazakhstan */
	{ "27", 9, 9 },		/* South Africa */
	{ "30", 10, 10 },	/* Greece */
	{ "33", 9, 9 },		/* France */
	{ "34", 9, 9 },		/* Spain */
	{ "39", 9, 11 },	/* Italy: mobile; fixed start with 0 */
	{ "44", 9, 10 },	/* United Kingdom */
	{ "45", 8, 8 },		/* Denmark */
	{ "47", 8, 8 },		/* Norway */
	{ "52", 10, 10 },	/* Mexico */
	{ "57", 10, 10 },	/* Colombia */
	{ "60", 8, 10 },	/* Malaysia */
	{ "61", 9, 9 },		/* Australia */
	{ "63", 9, 10 },	/* Philippines */
	{ "65", 8, 8 },		/* Singapore */
	{ "81", 9, 10 },	/* Japan */
	{ "82", 9, 10 },	/* South Korea */
	{ "84", 9, 10 },	/* Vietnam */
	{ "86", 10, 11 },	/* China */
	{ "91", 10, 10 },	/* India */
	{ "502", 8, 8 },	/* Guatemala */
	{ "503", 8, 8 },	/* El Salvador */
	{ "504", 8, 8 },	/* Honduras */
	{ "505", 8, 8 },	/* Nicaragua */
	{ "506", 8, 8 },	/* Costa Rica */
	{ "507", 7, 8 },	/* Panama */
	{ "509", 8, 8 },	/* Haiti */
	{ "852", 8, 8 },	/* Hong Kong */
	{ "853", 8, 8 },	/* Macau */
	{ "880", 9, 10 },	/* Bangladesh */
	{ "965", 8, 8 },	/* Kuwait */
	{ "966", 9, 9 },	/* Saudi Arabia */
	{ "968", 8, 8 },	/* Oman */
	{ "971", 8, 9 },	/* United Arab Emirates */
	{ "972", 8, 9 },	/* Israel */
	{ "973", 8, 8 },	/* Bahrain */
	{ "974", 8, 8 },	/* Qatar */
};

static int
phone_nsn_find(const char *cc, size_t *min, size_t *max)
{
	size_t	i;

	if (cc == NULL)
		return 0;
	if (cc[0] == '+')
		cc++;
	for (i = 0; i < sizeof phone_nsn / sizeof phone_nsn[0]; i++)
		if (strcmp(cc, phone_nsn[i].cc) == 0) {
			*min = phone_nsn[i].min;
			*max = phone_nsn[i].max;
			return 1;
		}
	return 0;
}

static int
phone_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static int
phone_isseparator(int c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' ||
	    c == '(' || c == ')';
}

static const char *
phone_badchar(unsigned char c)
{
	if (c >= 0x21 && c <= 0x7e)
		return phone_bad_print[c - 0x21];
	return phone_bad_hex[c];
}

/* Write "+", prefix and digits to out, if they fit. */
static const char *
phone_emit(const char *prefix, const char *digits, size_t n, char *out,
    size_t outlen)
{
	size_t	plen = strlen(prefix);

	if (1 + plen + n + 1 > outlen)
		return "output buffer too small";
	out[0] = '+';
	memcpy(out + 1, prefix, plen);
	memcpy(out + 1 + plen, digits, n);
	out[1 + plen + n] = '\0';
	return NULL;
}

/* digits (n of them) follow "+", "00" or "011". */
static const char *
phone_international(const char *digits, size_t n, char *out, size_t outlen)
{
	if (n > 0 && digits[0] == '0')
		return "country code cannot start with 0";
	if (n < 7)
		return "number too short";
	if (n > 15)
		return "number too long";
	return phone_emit("", digits, n, out, outlen);
}

/* A national number in the North American Numbering Plan. */
static const char *
phone_nanp(const char *digits, size_t n, char *out, size_t outlen)
{
	if (n == 11 && digits[0] == '1') {
		digits++;
		n--;
	} else if (n == 7)
		return "number too short (area code missing?)";
	else if (n < 10)
		return "number too short";
	else if (n > 10)
		return "number too long";
	if (digits[0] < '2')
		return "invalid area code";
	return phone_emit("1", digits, n, out, outlen);
}

/* A national number in any other country: drop the trunk prefix. */
static const char *
phone_national(const char *cc, const char *digits, size_t n, char *out,
    size_t outlen)
{
	const char	*trunk = "0";
	size_t		 i, tlen, cclen = strlen(cc), min, max;

	for (i = 0; i < sizeof phone_trunks / sizeof phone_trunks[0]; i++) {
		if (strcmp(cc, phone_trunks[i].cc) == 0)
			trunk = phone_trunks[i].trunk;
	}
	tlen = strlen(trunk);
	/* "639171234567" (Philippines): too long to be national, right
	 * for an international number whose "+" was left out */
	if (phone_nsn_find(cc, &min, &max) && n > cclen &&
	    memcmp(digits, cc, cclen) == 0 &&
	    n - cclen >= min && n - cclen <= max) {
		size_t	nat = n;

		if (n >= tlen && memcmp(digits, trunk, tlen) == 0)
			nat -= tlen;
		if (nat < min || nat > max)
			return phone_emit("", digits, n, out, outlen);
	}
	if (n >= tlen && memcmp(digits, trunk, tlen) == 0) {
		digits += tlen;
		n -= tlen;
	}
	if (strlen(cc) + n < 8)
		return "number too short";
	if (strlen(cc) + n > 15)
		return "number too long";
	return phone_emit(cc, digits, n, out, outlen);
}

/* A country calling code is 1 to 3 digits, not starting with 0. */
static int
phone_valid_cc(const char *cc)
{
	size_t	i;

	if (cc[0] < '1' || cc[0] > '9')
		return 0;
	for (i = 1; cc[i] != '\0'; i++) {
		if (i >= 3 || !phone_isdigit((unsigned char)cc[i]))
			return 0;
	}
	return 1;
}

int
phone_normalize(const char *in, const char *default_cc, char *out,
    size_t outlen, const char **err)
{
	char		 digits[PHONE_SCAN_MAX];
	const char	*e = NULL, *p;
	size_t		 n = 0;
	int		 plus = 0;
	unsigned char	 c;

	if (out == NULL || outlen == 0) {
		e = "output buffer too small";
		goto fail;
	}
	out[0] = '\0';
	if (default_cc != NULL) {
		/* "+63" is a natural way to write it in a config file. */
		if (default_cc[0] == '+')
			default_cc++;
		if (!phone_valid_cc(default_cc)) {
			e = "invalid default country code";
			goto fail;
		}
	}
	if (in == NULL)
		in = "";

	/* Check every byte, even past what fits, so that "invalid
	 * character" wins over "too long" whatever the input. */
	for (p = in; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (phone_isdigit(c)) {
			if (n < sizeof digits)
				digits[n] = (char)c;
			n++;
		} else if (c == '+' && !plus && n == 0)
			plus = 1;
		else if (c == '(' && p[1] == '0' && p[2] == ')' && n > 0) {
			/* "+44 (0)20 7946 0018": the trunk prefix shown in
			 * brackets for national callers; never dialled
			 * after a country code. */
			p += 2;
		} else if (!phone_isseparator(c)) {
			e = phone_badchar(c);
			goto fail;
		}
	}
	if (n == 0) {
		e = "empty number";
		goto fail;
	}
	if (n > sizeof digits) {
		e = "number too long";
		goto fail;
	}

	if (plus)
		e = phone_international(digits, n, out, outlen);
	else if (n >= 2 && memcmp(digits, "00", 2) == 0)
		e = phone_international(digits + 2, n - 2, out, outlen);
	else if (default_cc == NULL)
		e = "national number needs a default country code";
	else if (strcmp(default_cc, "1") == 0) {
		if (n >= 3 && memcmp(digits, "011", 3) == 0)
			e = phone_international(digits + 3, n - 3, out, outlen);
		else
			e = phone_nanp(digits, n, out, outlen);
	} else
		e = phone_national(default_cc, digits, n, out, outlen);
	if (e == NULL)
		return 0;

fail:
	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (err != NULL)
		*err = e;
	return -1;
}

int
phone_is_shortcode(const char *s, const char *default_cc)
{
	size_t	n, min, max;

	if (s == NULL)
		return 0;
	for (n = 0; s[n] != '\0'; n++) {
		if (!phone_isdigit((unsigned char)s[n]))
			return 0;
	}
	/* "91234567" is a member's number in Hong Kong */
	if (phone_nsn_find(default_cc, &min, &max) && n >= min)
		return 0;
	return n >= 3 && n <= 8;
}

/*
 * Bytes above 0x7f count as letters: no phone number has them, and a
 * sender that cannot be a number cannot receive a reply either.
 */
int
phone_is_alpha(const char *s)
{
	unsigned char	c;

	if (s == NULL)
		return 0;
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c >= 0x80)
			return 1;
	}
	return 0;
}

/* 1 when c starts a UTF-8 sequence, i.e. is not a continuation byte. */
static int
phone_is_lead(unsigned char c)
{
	return (c & 0xc0) != 0x80;
}

/*
 * The "6 characters" of the header count what follows the "+".  Characters
 * are UTF-8 sequences, so an alphanumeric sender is never cut inside one;
 * each masked character becomes one '*'.
 */
void
phone_mask(const char *s, char *out, size_t outlen)
{
	size_t	o = 0, i, j, k, n, len;
	int	keep;

	if (out == NULL || outlen == 0)
		return;
	out[0] = '\0';
	if (s == NULL)
		return;
	if (*s == '+') {
		if (outlen < 2)
			return;
		out[o++] = '+';
		s++;
	}
	n = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == 0 || phone_is_lead((unsigned char)s[i]))
			n++;
	}

	for (i = 0, k = 0; s[i] != '\0'; i = j, k++) {
		for (j = i + 1; s[j] != '\0' &&
		    !phone_is_lead((unsigned char)s[j]); j++)
			;
		keep = n > 6 && (k < 2 || k >= n - 2);
		len = keep ? j - i : 1;
		if (o + len >= outlen)
			break;
		if (keep)
			memcpy(out + o, s + i, len);
		else
			out[o] = '*';
		o += len;
	}
	out[o] = '\0';
}

int
phone_semioctets(const char *s, char *out, size_t outlen)
{
	size_t	n, i, o = 0;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (s == NULL)
		return -1;
	if (*s == '+')
		s++;
	for (n = 0; s[n] != '\0'; n++) {
		if (!phone_isdigit((unsigned char)s[n]))
			return -1;
	}
	if (n == 0 || outlen < (n + 1) / 2 * 2 + 1)
		return -1;
	for (i = 0; i < n; i += 2) {
		out[o++] = i + 1 < n ? s[i + 1] : 'F';
		out[o++] = s[i];
	}
	out[o] = '\0';
	return (int)o;
}
