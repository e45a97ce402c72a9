/*
 * tests/unit/test_phone.c — phone number normalization, classification and
 * masking.
 */
#include <stdio.h>
#include <string.h>

#include "phone.h"
#include "tt.h"

struct phone_case {
	const char	*in;
	const char	*cc;
	const char	*out;	/* expected E.164, or NULL when err */
	const char	*err;
};

static const struct phone_case phone_cases[] = {
	/* NANP: every way of writing the same number */
	{ "(415) 555-0100", "1", "+14155550100", NULL },
	{ "4155550100", "1", "+14155550100", NULL },
	{ "415.555.0100", "1", "+14155550100", NULL },
	{ "415/555/0100", "1", "+14155550100", NULL },
	{ "+1 415 555 0100", "1", "+14155550100", NULL },
	{ "001 415 555 0100", "1", "+14155550100", NULL },
	{ "011 1 415 555 0100", "1", "+14155550100", NULL },
	{ "1 (415) 555-0100", "1", "+14155550100", NULL },
	{ "1-415-555-0100", "1", "+14155550100", NULL },
	{ "  +14155550100  ", "1", "+14155550100", NULL },
	{ "\t+1\t415\t5550100", "1", "+14155550100", NULL },
	{ "(+1) 415 555 0100", "1", "+14155550100", NULL },
	{ "+1 (415) 555-0100", "1", "+14155550100", NULL },
	{ "+1 800 356 9377", "1", "+18003569377", NULL },
	{ "1-800-FLOWERS", "1", NULL, "invalid character 'F' in number" },
	{ "555-0100", "1", NULL, "number too short (area code missing?)" },
	{ "55501", "1", NULL, "number too short" },
	{ "415 555 010", "1", NULL, "number too short" },
	{ "015 555 0100", "1", NULL, "invalid area code" },
	{ "115 555 0100", "1", NULL, "invalid area code" },
	{ "1 015 555 0100", "1", NULL, "invalid area code" },
	{ "1 115 555 0100", "1", NULL, "invalid area code" },
	{ "415 555 01000", "1", NULL, "number too long" },
	{ "1 415 555 01000", "1", NULL, "number too long" },
	/* NANP callers dialling abroad */
	{ "011 44 7700 900123", "1", "+447700900123", NULL },
	{ "011 52 55 1234 5678", "1", "+525512345678", NULL },
	{ "011 63 917 123 4567", "1", "+639171234567", NULL },
	{ "+44 7700 900123", "1", "+447700900123", NULL },
	{ "00 63 917 123 4567", "1", "+639171234567", NULL },
	{ "011", "1", NULL, "number too short" },
	{ "011 0 415 555 0100", "1", NULL, "country code cannot start with 0" },

	/* Philippines: trunk prefix 0 */
	{ "0917 123 4567", "63", "+639171234567", NULL },
	{ "0917-123-4567", "63", "+639171234567", NULL },
	{ "917 123 4567", "63", "+639171234567", NULL },
	{ "+63 917 123 4567", "63", "+639171234567", NULL },
	{ "(+63) 917 123 4567", "63", "+639171234567", NULL },
	{ "0063 917 123 4567", "63", "+639171234567", NULL },
	{ "+63 (0)917 123 4567", "63", "+639171234567", NULL },
	{ "02 8123 4567", "63", "+63281234567", NULL },
	{ "0917 123 4567", "+63", "+639171234567", NULL },
	/* "011" is an international prefix only in NANP */
	{ "011 63 917 123 4567", "63", NULL, "number too long" },
	{ "123", "63", NULL, "number too short" },
	{ "0", "63", NULL, "number too short" },
	{ "0 12345", "63", NULL, "number too short" },
	{ "0 123456", "63", "+63123456", NULL },
	/* the "+" left out (spreadsheets, some networks' senders): too
	 * long for a national number, right for an international one */
	{ "639171234567", "63", "+639171234567", NULL },
	{ "63 2 8123 4567", "63", "+63281234567", NULL },
	{ "6391712345", "63", "+636391712345", NULL },	/* 10: national */

	/* numbers of 8 digits, no trunk prefix */
	{ "9123 4567", "852", "+85291234567", NULL },
	{ "85291234567", "852", "+85291234567", NULL },
	{ "8123 4567", "65", "+6581234567", NULL },
	{ "6581234567", "65", "+6581234567", NULL },
	{ "5512 3456", "974", "+97455123456", NULL },
	{ "97455123456", "974", "+97455123456", NULL },
	/* trunk 8, country code 7 */
	{ "8 916 123 4567", "7", "+79161234567", NULL },
	{ "7 916 123 4567", "7", "+79161234567", NULL },
	/* United Kingdom */
	{ "07911 123456", "44", "+447911123456", NULL },
	{ "447911123456", "44", "+447911123456", NULL },
	/* Italy: no trunk prefix; a mobile number may start with 39 */
	{ "393 123 4567", "39", "+393931234567", NULL },
	{ "39 393 123 4567", "39", "+393931234567", NULL },

	/* Mexico: no trunk prefix since 2019 */
	{ "55 1234 5678", "52", "+525512345678", NULL },
	{ "+52 55 1234 5678", "52", "+525512345678", NULL },
	{ "+52 1 55 1234 5678", "52", "+5215512345678", NULL },
	{ "00 52 55 1234 5678", "52", "+525512345678", NULL },

	/* United Kingdom */
	{ "07700 900123", "44", "+447700900123", NULL },
	{ "020 7946 0018", "44", "+442079460018", NULL },
	{ "+44 (0)20 7946 0018", "44", "+442079460018", NULL },
	{ "0044 (0)20 7946 0018", "1", "+442079460018", NULL },
	{ "(020) 7946 0018", "44", "+442079460018", NULL },

	/* Spain: no trunk prefix, numbers never start with 0 */
	{ "612 345 678", "34", "+34612345678", NULL },
	{ "612 34 56 78", "34", "+34612345678", NULL },
	{ "+34 612 34 56 78", "34", "+34612345678", NULL },
	{ "0034 612345678", "34", "+34612345678", NULL },

	/* Italy keeps the leading 0; Russia's trunk prefix is 8 */
	{ "06 1234 5678", "39", "+390612345678", NULL },
	{ "333 123 4567", "39", "+393331234567", NULL },
	{ "8 912 345-67-89", "7", "+79123456789", NULL },
	{ "+7 912 345-67-89", "7", "+79123456789", NULL },

	/* Vietnam */
	{ "091 234 56 78", "84", "+84912345678", NULL },
	{ "+84 91 234 5678", "84", "+84912345678", NULL },

	/* no default country code: international forms only */
	{ "+14155550100", NULL, "+14155550100", NULL },
	{ "0014155550100", NULL, "+14155550100", NULL },
	{ "4155550100", NULL, NULL,
	    "national number needs a default country code" },
	{ "0917 123 4567", NULL, NULL,
	    "national number needs a default country code" },
	{ "011 1 415 555 0100", NULL, NULL,
	    "national number needs a default country code" },

	/* a broken default country code is reported whatever the number */
	{ "4155550100", "", NULL, "invalid default country code" },
	{ "4155550100", "0", NULL, "invalid default country code" },
	{ "4155550100", "01", NULL, "invalid default country code" },
	{ "4155550100", "1234", NULL, "invalid default country code" },
	{ "4155550100", "6a", NULL, "invalid default country code" },
	{ "4155550100", "+", NULL, "invalid default country code" },
	{ "4155550100", "++1", NULL, "invalid default country code" },
	{ "+14155550100", "x", NULL, "invalid default country code" },

	/* international length and country code */
	{ "+1234567", NULL, "+1234567", NULL },
	{ "+123456", NULL, NULL, "number too short" },
	{ "+123456789012345", NULL, "+123456789012345", NULL },
	{ "+1234567890123456", NULL, NULL, "number too long" },
	{ "+0 415 555 0100", "1", NULL, "country code cannot start with 0" },
	{ "000 415 555 0100", "1", NULL, "country code cannot start with 0" },
	{ "00", "44", NULL, "number too short" },

	/* empty and malformed */
	{ "", "1", NULL, "empty number" },
	{ NULL, "1", NULL, "empty number" },
	{ "   ", "1", NULL, "empty number" },
	{ "+", "1", NULL, "empty number" },
	{ "()", "1", NULL, "empty number" },
	{ "- . /", "1", NULL, "empty number" },
	{ "++1", "1", NULL, "invalid character '+' in number" },
	{ "+1+4155550100", "1", NULL, "invalid character '+' in number" },
	{ "1+4155550100", "1", NULL, "invalid character '+' in number" },
	{ "415 555 0100 ext 5", "1", NULL, "invalid character 'e' in number" },
	{ "415_555_0100", "1", NULL, "invalid character '_' in number" },
	{ "415,555,0100", "1", NULL, "invalid character ',' in number" },
	{ "*123#", "1", NULL, "invalid character '*' in number" },
	{ "abc", "1", NULL, "invalid character 'a' in number" },
	{ "4155550100\n", "1", NULL, "invalid character '\\x0A' in number" },
	{ "415\r5550100", "1", NULL, "invalid character '\\x0D' in number" },
	{ "\xc3\xa9", "1", NULL, "invalid character '\\xC3' in number" },
	{ "415\x7f", "1", NULL, "invalid character '\\x7F' in number" },
	{ "415\xff", "1", NULL, "invalid character '\\xFF' in number" },
	/* fullwidth digits are not digits */
	{ "\xef\xbc\x94", "1", NULL, "invalid character '\\xEF' in number" },
	{ "'4155550100'", "1", NULL, "invalid character ''' in number" },
	{ "\"4155550100\"", "1", NULL, "invalid character '\"' in number" },
	{ "415\\5550100", "1", NULL, "invalid character '\\' in number" },
	{ "(1)4155550100", "1", "+14155550100", NULL },
};

static void
test_normalize_table(void)
{
	const struct phone_case	*c;
	char			 out[PHONE_MAX];
	const char		*err;
	size_t			 i;
	int			 r;

	for (i = 0; i < TT_NELEM(phone_cases); i++) {
		c = &phone_cases[i];
		memset(out, 'X', sizeof out);
		err = "unset";
		r = phone_normalize(c->in, c->cc, out, sizeof out, &err);
		if (c->out != NULL) {
			if (r != 0)
				fprintf(stderr, "  case %zu: %s\n", i, err);
			tt_int_op(r, ==, 0);
			tt_str_op(out, ==, c->out);
		} else {
			if (r == 0)
				fprintf(stderr, "  case %zu gave %s\n", i, out);
			tt_int_op(r, ==, -1);
			tt_str_op(err, ==, c->err);
			tt_str_op(out, ==, "");
		}
	}
end:
	;
}

/* Every byte that is neither a digit nor allowed gets its own message. */
static void
test_normalize_bytes(void)
{
	char		 in[16], out[PHONE_MAX], want[64];
	const char	*err;
	int		 b, r;

	for (b = 1; b < 256; b++) {
		if ((b >= '0' && b <= '9') || strchr(" \t-./()", b) != NULL)
			continue;
		snprintf(in, sizeof in, "415%c5550100", b);
		if (b > 0x20 && b < 0x7f)
			snprintf(want, sizeof want,
			    "invalid character '%c' in number", b);
		else
			snprintf(want, sizeof want,
			    "invalid character '\\x%02X' in number", b);
		err = NULL;
		r = phone_normalize(in, "1", out, sizeof out, &err);
		tt_int_op(r, ==, -1);
		tt_str_op(err, ==, want);
	}
	/* the same bytes before any digit: only '+' is allowed there */
	for (b = 1; b < 256; b++) {
		if ((b >= '0' && b <= '9') || strchr(" \t-./()+", b) != NULL)
			continue;
		snprintf(in, sizeof in, "%c4155550100", b);
		err = NULL;
		r = phone_normalize(in, "1", out, sizeof out, &err);
		tt_int_op(r, ==, -1);
		tt_assert(err != NULL);
		tt_assert(strncmp(err, "invalid character '", 19) == 0);
	}
end:
	;
}

static void
test_normalize_long(void)
{
	char		 in[4096], out[PHONE_MAX];
	const char	*err;
	int		 r;

	/* far more digits than any buffer inside */
	memset(in, '9', sizeof in - 1);
	in[sizeof in - 1] = '\0';
	err = NULL;
	r = phone_normalize(in, "1", out, sizeof out, &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "number too long");
	in[0] = '+';
	r = phone_normalize(in, "1", out, sizeof out, &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "number too long");

	/* a bad character after the digits still wins over the length */
	in[sizeof in - 2] = 'x';
	r = phone_normalize(in, "1", out, sizeof out, &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "invalid character 'x' in number");

	/* long runs of separators are fine */
	memset(in, ' ', sizeof in - 1);
	memcpy(in + 2000, "+14155550100", 12);
	r = phone_normalize(in, "1", out, sizeof out, &err);
	tt_int_op(r, ==, 0);
	tt_str_op(out, ==, "+14155550100");

	/* the longest accepted forms fill PHONE_MAX exactly */
	r = phone_normalize("011 123456789012345", "1", out, sizeof out, &err);
	tt_int_op(r, ==, 0);
	tt_str_op(out, ==, "+123456789012345");
	tt_uint_op(strlen(out) + 1, ==, PHONE_MAX);
	r = phone_normalize("011 1234567890123456", "1", out, sizeof out,
	    &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "number too long");
	r = phone_normalize("0 1234567890123", "63", out, sizeof out, &err);
	tt_int_op(r, ==, 0);
	tt_str_op(out, ==, "+631234567890123");
	r = phone_normalize("12345678901234", "63", out, sizeof out, &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "number too long");
end:
	;
}

static void
test_normalize_outlen(void)
{
	char		 out[PHONE_MAX];
	const char	*err;
	int		 r;

	/* "+14155550100" needs 13 bytes with its NUL */
	memset(out, 'X', sizeof out);
	err = NULL;
	r = phone_normalize("4155550100", "1", out, 12, &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "output buffer too small");
	tt_int_op(out[0], ==, '\0');
	tt_int_op(out[12], ==, 'X');

	r = phone_normalize("4155550100", "1", out, 13, &err);
	tt_int_op(r, ==, 0);
	tt_str_op(out, ==, "+14155550100");

	memset(out, 'X', sizeof out);
	r = phone_normalize("4155550100", "1", out, 0, &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "output buffer too small");
	tt_int_op(out[0], ==, 'X');

	r = phone_normalize("4155550100", "1", NULL, 17, &err);
	tt_int_op(r, ==, -1);
	tt_str_op(err, ==, "output buffer too small");

	/* err may be NULL */
	r = phone_normalize("abc", "1", out, sizeof out, NULL);
	tt_int_op(r, ==, -1);
	r = phone_normalize("4155550100", "1", out, sizeof out, NULL);
	tt_int_op(r, ==, 0);
end:
	;
}

static void
test_shortcode(void)
{
	static const struct {
		const char	*s;
		const char	*cc;
		int		 want;
	} cases[] = {
		{ "123", NULL, 1 }, { "611", NULL, 1 }, { "22395", NULL, 1 },
		{ "12345678", NULL, 1 },
		{ "12", NULL, 0 }, { "1", NULL, 0 }, { "", NULL, 0 },
		{ NULL, NULL, 0 },
		{ "123456789", NULL, 0 }, { "+123", NULL, 0 },
		{ "+12345", NULL, 0 },
		{ "12 34", NULL, 0 }, { "12-34", NULL, 0 }, { "1234a", NULL, 0 },
		{ "*123#", NULL, 0 }, { "+14155550100", NULL, 0 },
		{ "14155550100", NULL, 0 },
		{ "BANK", NULL, 0 }, { " 123", NULL, 0 },
		/* the country's shortest numbers are not short codes */
		{ "12345678", "1", 1 }, { "12345678", "63", 1 },
		{ "12345678", "49", 1 },	/* Germany: not in the table */
		{ "91234567", "852", 0 }, { "91234567", "+852", 0 },
		{ "1234567", "852", 1 }, { "18501", "852", 1 },
		{ "81234567", "65", 0 }, { "72999", "65", 1 },
		{ "1234567", "507", 0 }, { "123456", "507", 1 },
	};
	size_t	i;

	for (i = 0; i < TT_NELEM(cases); i++) {
		int	got = phone_is_shortcode(cases[i].s, cases[i].cc);

		if (got != cases[i].want)
			fprintf(stderr, "  case \"%s\" %s\n",
			    cases[i].s ? cases[i].s : "(null)",
			    cases[i].cc ? cases[i].cc : "(no country)");
		tt_int_op(got, ==, cases[i].want);
	}
end:
	;
}

static void
test_alpha(void)
{
	static const struct {
		const char	*s;
		int		 want;
	} cases[] = {
		{ "BANK", 1 }, { "Movistar", 1 }, { "Globe", 1 },
		{ "1-800-FLOWERS", 1 }, { "z", 1 }, { "A1", 1 },
		{ "T\xc3\xa9l\xc3\xa9", 1 },		/* Télé */
		{ "\xd0\xa1\xd0\xb2", 1 },		/* Св */
		{ "+14155550100", 0 }, { "12345", 0 }, { "123-456", 0 },
		{ "+", 0 }, { "", 0 }, { NULL, 0 }, { "@#*", 0 },
	};
	size_t	i;

	for (i = 0; i < TT_NELEM(cases); i++) {
		if (phone_is_alpha(cases[i].s) != cases[i].want)
			fprintf(stderr, "  case \"%s\"\n",
			    cases[i].s ? cases[i].s : "(null)");
		tt_int_op(phone_is_alpha(cases[i].s), ==, cases[i].want);
	}
end:
	;
}

static void
test_mask(void)
{
	static const struct {
		const char	*s;
		size_t		 outlen;
		const char	*want;
	} cases[] = {
		{ "+14155550100", PHONE_MAX, "+14*******00" },
		{ "14155550100", PHONE_MAX, "14*******00" },
		{ "+639171234567", PHONE_MAX, "+63********67" },
		{ "+123456789012345", PHONE_MAX, "+12***********45" },
		{ "+1234567", PHONE_MAX, "+12***67" },
		{ "1234567", PHONE_MAX, "12***67" },
		{ "+123456", PHONE_MAX, "+******" },
		{ "123456", PHONE_MAX, "******" },
		{ "+12", PHONE_MAX, "+**" },
		{ "611", PHONE_MAX, "***" },
		{ "+", PHONE_MAX, "+" },
		{ "", PHONE_MAX, "" },
		{ NULL, PHONE_MAX, "" },
		{ "Movistar", PHONE_MAX, "Mo****ar" },
		/* characters, not bytes: "Télécom" */
		{ "T\xc3\xa9l\xc3\xa9" "com", PHONE_MAX,
		    "T\xc3\xa9***om" },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		    PHONE_MAX, "\xc3\xa9\xc3\xa9***\xc3\xa9\xc3\xa9" },
		/* truncation, never inside a UTF-8 sequence */
		{ "+14155550100", 5, "+14*" },
		{ "+14155550100", 12, "+14*******0" },
		{ "+14155550100", 2, "+" },
		{ "+14155550100", 1, "" },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		    4, "\xc3\xa9" },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		    5, "\xc3\xa9\xc3\xa9" },
		/* a stray continuation byte first counts as a character */
		{ "\xa9" "1234567", PHONE_MAX, "\xa9" "1****67" },
	};
	char	out[64];
	size_t	i;

	for (i = 0; i < TT_NELEM(cases); i++) {
		memset(out, 'X', sizeof out);
		phone_mask(cases[i].s, out, cases[i].outlen);
		tt_str_op(out, ==, cases[i].want);
		/* nothing written past outlen */
		tt_int_op(out[cases[i].outlen], ==, 'X');
	}

	/* outlen 0 writes nothing */
	memset(out, 'X', sizeof out);
	phone_mask("+14155550100", out, 0);
	tt_int_op(out[0], ==, 'X');
	phone_mask("+14155550100", NULL, 17);
end:
	;
}

static void
test_semioctets(void)
{
	static const struct {
		const char	*in;
		size_t		 outlen;
		int		 ret;
		const char	*want;
	} cases[] = {
		/* TS 23.040 9.1.2.3: swapped nibbles, F pads an odd count */
		{ "+14155550142", 13, 12, "4151550541F2" },
		{ "14155550142", 13, 12, "4151550541F2" },
		{ "4155550142", 11, 10, "1455551024" },
		{ "+639171230099", 13, 12, "361917320099" },
		{ "9171230099", 11, 10, "1917320099" },
		{ "1", 3, 2, "F1" },
		{ "12", 3, 2, "21" },
		/* the exact size, and one byte short */
		{ "123", 5, 4, "21F3" },
		{ "123", 4, -1, "" },
		{ "1234", 4, -1, "" },
		/* not a number */
		{ "", 8, -1, "" },
		{ "+", 8, -1, "" },
		{ "+1+2", 8, -1, "" },
		{ "12a4", 8, -1, "" },
		{ "1 2", 8, -1, "" },
		{ "unknown", 16, -1, "" },
	};
	char	out[32];
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(out, 'X', sizeof out);
		tt_int_op(phone_semioctets(cases[i].in, out, cases[i].outlen),
		    ==, cases[i].ret);
		tt_str_op(out, ==, cases[i].want);
		tt_int_op(out[cases[i].outlen], ==, 'X');
	}
	tt_int_op(phone_semioctets(NULL, out, sizeof out), ==, -1);
	tt_str_op(out, ==, "");
	tt_int_op(phone_semioctets("12", NULL, 8), ==, -1);
	memset(out, 'X', sizeof out);
	tt_int_op(phone_semioctets("12", out, 0), ==, -1);
	tt_int_op(out[0], ==, 'X');
end:
	;
}

static const struct tt_case cases[] = {
	{ "normalize/table", test_normalize_table },
	{ "normalize/bytes", test_normalize_bytes },
	{ "normalize/long", test_normalize_long },
	{ "normalize/outlen", test_normalize_outlen },
	{ "classify/shortcode", test_shortcode },
	{ "classify/alpha", test_alpha },
	{ "mask/table", test_mask },
	{ "semioctets/table", test_semioctets },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
