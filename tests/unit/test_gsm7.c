/*
 * tests/unit/test_gsm7.c — the GSM 7-bit alphabets and septet packing
 * (modem/gsm7.c, 3GPP TS 23.038).
 *
 * The expected characters here are a second, independent transcription of
 * the standard's tables (as UTF-8 text rather than code point numbers), so
 * a slip in either copy shows up as a failure.
 */
#include <stdlib.h>

#include "gsm7.h"
#include "tt.h"

/* §6.2.1, column by column as printed in the standard; NULL is ESC. */
static const char *const test_gsm7_default[128] = {
	"@", "£", "$", "¥", "è", "é", "ù", "ì",
	"ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
	"Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ",
	"Σ", "Θ", "Ξ", NULL, "Æ", "æ", "ß", "É",
	" ", "!", "\"", "#", "¤", "%", "&", "'",
	"(", ")", "*", "+", ",", "-", ".", "/",
	"0", "1", "2", "3", "4", "5", "6", "7",
	"8", "9", ":", ";", "<", "=", ">", "?",
	"¡", "A", "B", "C", "D", "E", "F", "G",
	"H", "I", "J", "K", "L", "M", "N", "O",
	"P", "Q", "R", "S", "T", "U", "V", "W",
	"X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
	"¿", "a", "b", "c", "d", "e", "f", "g",
	"h", "i", "j", "k", "l", "m", "n", "o",
	"p", "q", "r", "s", "t", "u", "v", "w",
	"x", "y", "z", "ä", "ö", "ñ", "ü", "à",
};

struct test_gsm7_entry {
	uint8_t		 s;
	const char	*utf8;
};

/* A.3.1 / A.3.3: where the locking tables differ from §6.2.1. */
static const struct test_gsm7_entry test_gsm7_turkish_lock[] = {
	{ 0x04, "€" }, { 0x07, "ı" }, { 0x0b, "Ğ" }, { 0x0c, "ğ" },
	{ 0x1c, "Ş" }, { 0x1d, "ş" }, { 0x40, "İ" }, { 0x60, "ç" },
};
static const struct test_gsm7_entry test_gsm7_portuguese_lock[] = {
	{ 0x04, "ê" }, { 0x06, "ú" }, { 0x07, "í" }, { 0x08, "ó" },
	{ 0x09, "ç" }, { 0x0b, "Ô" }, { 0x0c, "ô" }, { 0x0e, "Á" },
	{ 0x0f, "á" }, { 0x12, "ª" }, { 0x13, "Ç" }, { 0x14, "À" },
	{ 0x15, "∞" }, { 0x16, "^" }, { 0x17, "\\" }, { 0x18, "€" },
	{ 0x19, "Ó" }, { 0x1a, "|" }, { 0x1c, "Â" }, { 0x1d, "â" },
	{ 0x1e, "Ê" }, { 0x24, "º" }, { 0x40, "Í" }, { 0x5b, "Ã" },
	{ 0x5c, "Õ" }, { 0x5d, "Ú" }, { 0x60, "~" }, { 0x7b, "ã" },
	{ 0x7c, "õ" }, { 0x7d, "`" },
};

/* §6.2.1.1 and A.2.1-A.2.3: every defined entry, in full. */
static const struct test_gsm7_entry test_gsm7_default_single[] = {
	{ 0x0a, "\f" }, { 0x14, "^" }, { 0x28, "{" }, { 0x29, "}" },
	{ 0x2f, "\\" }, { 0x3c, "[" }, { 0x3d, "~" }, { 0x3e, "]" },
	{ 0x40, "|" }, { 0x65, "€" },
};
static const struct test_gsm7_entry test_gsm7_turkish_single[] = {
	{ 0x0a, "\f" }, { 0x14, "^" }, { 0x28, "{" }, { 0x29, "}" },
	{ 0x2f, "\\" }, { 0x3c, "[" }, { 0x3d, "~" }, { 0x3e, "]" },
	{ 0x40, "|" }, { 0x47, "Ğ" }, { 0x49, "İ" }, { 0x53, "Ş" },
	{ 0x63, "ç" }, { 0x65, "€" }, { 0x67, "ğ" }, { 0x69, "ı" },
	{ 0x73, "ş" },
};
static const struct test_gsm7_entry test_gsm7_spanish_single[] = {
	{ 0x09, "ç" }, { 0x0a, "\f" }, { 0x14, "^" }, { 0x28, "{" },
	{ 0x29, "}" }, { 0x2f, "\\" }, { 0x3c, "[" }, { 0x3d, "~" },
	{ 0x3e, "]" }, { 0x40, "|" }, { 0x41, "Á" }, { 0x49, "Í" },
	{ 0x4f, "Ó" }, { 0x55, "Ú" }, { 0x61, "á" }, { 0x65, "€" },
	{ 0x69, "í" }, { 0x6f, "ó" }, { 0x75, "ú" },
};
static const struct test_gsm7_entry test_gsm7_portuguese_single[] = {
	{ 0x05, "ê" }, { 0x09, "ç" }, { 0x0a, "\f" }, { 0x0b, "Ô" },
	{ 0x0c, "ô" }, { 0x0e, "Á" }, { 0x0f, "á" }, { 0x12, "Φ" },
	{ 0x13, "Γ" }, { 0x14, "^" }, { 0x15, "Ω" }, { 0x16, "Π" },
	{ 0x17, "Ψ" }, { 0x18, "Σ" }, { 0x19, "Θ" }, { 0x1f, "Ê" },
	{ 0x28, "{" }, { 0x29, "}" }, { 0x2f, "\\" }, { 0x3c, "[" },
	{ 0x3d, "~" }, { 0x3e, "]" }, { 0x40, "|" }, { 0x41, "À" },
	{ 0x49, "Í" }, { 0x4f, "Ó" }, { 0x55, "Ú" }, { 0x5b, "Ã" },
	{ 0x5c, "Õ" }, { 0x61, "Â" }, { 0x65, "€" }, { 0x69, "í" },
	{ 0x6f, "ó" }, { 0x75, "ú" }, { 0x7b, "ã" }, { 0x7c, "õ" },
	{ 0x7f, "â" },
};

/* The code point of a one-character UTF-8 string (at most 3 bytes). */
static uint32_t
test_gsm7_cp(const char *u)
{
	const unsigned char	*p = (const unsigned char *)u;

	if (p[0] < 0x80)
		return p[0];
	if (p[0] < 0xe0)
		return ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	return ((uint32_t)(p[0] & 0x0f) << 12) |
	    ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
}

/* Decode septets into a buffer of exactly 3 * n + 1 bytes (for ASan). */
static char *
test_gsm7_decode(const uint8_t *s, size_t n, int locking, int single,
    size_t *len)
{
	char	*out;

	if ((out = malloc(3 * n + 1)) == NULL)
		abort();
	*len = gsm7_decode(s, n, locking, single, out);
	return out;
}

/* The locking table of lang as 128 UTF-8 strings (NULL = ESC). */
static void
test_gsm7_expected_lock(int lang, const char *t[128])
{
	const struct test_gsm7_entry	*d = NULL;
	size_t				 nd = 0, i;

	memcpy(t, test_gsm7_default, sizeof(test_gsm7_default));
	if (lang == GSM7_LANG_TURKISH) {
		d = test_gsm7_turkish_lock;
		nd = TT_NELEM(test_gsm7_turkish_lock);
	} else if (lang == GSM7_LANG_PORTUGUESE) {
		d = test_gsm7_portuguese_lock;
		nd = TT_NELEM(test_gsm7_portuguese_lock);
	}
	for (i = 0; i < nd; i++)
		t[d[i].s] = d[i].utf8;
}

static const int test_gsm7_lock_langs[] = { 0, 1, 2, 3, 4, 13, -1 };

/* Every septet of every locking table decodes to the standard's glyph. */
static void
test_gsm7_lock_tables(void)
{
	const char	*t[128];
	char		*out = NULL;
	size_t		 k, len;
	uint8_t		 s;
	int		 lang;

	for (k = 0; k < TT_NELEM(test_gsm7_lock_langs); k++) {
		lang = test_gsm7_lock_langs[k];
		test_gsm7_expected_lock(lang, t);
		for (s = 0; s < 128; s++) {
			if (s == GSM7_ESC) {
				tt_uint_op(gsm7_locking_char(s, lang), ==,
				    0x1b);
				continue;
			}
			out = test_gsm7_decode(&s, 1, lang, 0, &len);
			if (strcmp(out, t[s]) != 0)
				tt_fail(__FILE__, __LINE__,
				    "lang %d septet 0x%02x: \"%s\" vs \"%s\"",
				    lang, s, out, t[s]);
			tt_uint_op(len, ==, strlen(t[s]));
			tt_uint_op(gsm7_locking_char(s, lang), ==,
			    test_gsm7_cp(t[s]));
			free(out);
			out = NULL;
		}
	}
end:
	free(out);
}

struct test_gsm7_single {
	int				 lang;
	const struct test_gsm7_entry	*e;
	size_t				 n;
};

static const struct test_gsm7_single test_gsm7_singles[] = {
	{ 0, test_gsm7_default_single, TT_NELEM(test_gsm7_default_single) },
	{ 1, test_gsm7_turkish_single, TT_NELEM(test_gsm7_turkish_single) },
	{ 2, test_gsm7_spanish_single, TT_NELEM(test_gsm7_spanish_single) },
	{ 3, test_gsm7_portuguese_single,
	    TT_NELEM(test_gsm7_portuguese_single) },
	/* unsupported identifiers behave as the default extension */
	{ 4, test_gsm7_default_single, TT_NELEM(test_gsm7_default_single) },
	{ -5, test_gsm7_default_single, TT_NELEM(test_gsm7_default_single) },
};

/* Every single shift table, entry by entry, and nothing else defined. */
static void
test_gsm7_single_tables(void)
{
	const struct test_gsm7_single	*c;
	const char			*exp[128];
	char				*out = NULL;
	uint8_t				 sep[2];
	size_t				 k, i, len;
	unsigned			 s;

	for (k = 0; k < TT_NELEM(test_gsm7_singles); k++) {
		c = &test_gsm7_singles[k];
		memset(exp, 0, sizeof(exp));
		for (i = 0; i < c->n; i++)
			exp[c->e[i].s] = c->e[i].utf8;
		for (s = 0; s < 128; s++) {
			if (exp[s] == NULL) {
				tt_uint_op(gsm7_single_char(s, c->lang), ==,
				    0);
				continue;
			}
			tt_uint_op(gsm7_single_char(s, c->lang), ==,
			    test_gsm7_cp(exp[s]));
			sep[0] = GSM7_ESC;
			sep[1] = (uint8_t)s;
			out = test_gsm7_decode(sep, 2, 0, c->lang, &len);
			tt_str_op(out, ==, exp[s]);
			free(out);
			out = NULL;
		}
	}
end:
	free(out);
}

/* Values above 127 are not septets. */
static void
test_gsm7_not_septets(void)
{
	tt_uint_op(gsm7_locking_char(0x80, 0), ==, 0);
	tt_uint_op(gsm7_locking_char(0xff, 3), ==, 0);
	tt_uint_op(gsm7_single_char(0x80, 0), ==, 0);
	tt_uint_op(gsm7_single_char(0xff, 1), ==, 0);
end:
	;
}

static void
test_gsm7_has_tables(void)
{
	static const struct {
		int	lang, locking, single;
	} cases[] = {
		{ 0, 1, 1 }, { 1, 1, 1 }, { 2, 0, 1 }, { 3, 1, 1 },
		{ 4, 0, 0 }, { 13, 0, 0 }, { -1, 0, 0 }, { 255, 0, 0 },
	};
	size_t	i;

	for (i = 0; i < TT_NELEM(cases); i++) {
		tt_int_op(gsm7_has_locking(cases[i].lang), ==,
		    cases[i].locking);
		tt_int_op(gsm7_has_single(cases[i].lang), ==,
		    cases[i].single);
	}
end:
	;
}

/* encode(decode(s)) == s for every septet of every locking table. */
static void
test_gsm7_lock_roundtrip(void)
{
	static const int langs[] = { 0, 1, 3 };
	uint8_t		 out[2];
	size_t		 k;
	unsigned	 s;
	int		 single;

	for (k = 0; k < TT_NELEM(langs); k++)
		for (single = 0; single < 4; single++)
			for (s = 0; s < 128; s++) {
				if (s == GSM7_ESC)
					continue;
				out[0] = 0xee;
				tt_int_op(gsm7_encode_char(
				    gsm7_locking_char(s, langs[k]), langs[k],
				    single, out), ==, 1);
				tt_uint_op(out[0], ==, s);
			}
end:
	;
}

/*
 * Every code point up to U+3000 (past every table entry): whatever
 * encodes must decode back to itself, a single septet exactly when the
 * locking table has it, and the counts must match the tables: 127
 * characters in every locking table, and the single shift entries the
 * locking table lacks.
 */
static void
test_gsm7_encode_exhaustive(void)
{
	static const struct {
		int	locking, single;
		int	n1, n2;
	} cases[] = {
		{ 0, 0, 127, 10 },
		{ 0, 1, 127, 17 },	/* + Ğ İ Ş ç ğ ı ş */
		{ 0, 2, 127, 19 },	/* + ç Á Í Ó Ú á í ó ú */
		{ 0, 3, 127, 30 },	/* 37 less Φ Γ Ω Π Ψ Σ Θ */
		{ 1, 0, 127, 9 },	/* € is in the Turkish locking */
		{ 1, 1, 127, 9 },	/* 17 less € Ğ İ Ş ç ğ ı ş */
		{ 1, 2, 127, 17 },	/* 19 less € ç */
		{ 3, 0, 127, 5 },	/* FF { } [ ] (^ \ | € ~ lock) */
		{ 3, 3, 127, 12 },	/* FF Φ Γ Ω Π Ψ Σ Θ { } [ ] */
		{ 2, 0, 127, 10 },	/* no Spanish locking: default */
		{ 9, 9, 127, 10 },
	};
	uint8_t		 out[2];
	uint32_t	 cp, back;
	int		 n, n1, n2;
	size_t		 k;

	for (k = 0; k < TT_NELEM(cases); k++) {
		n1 = n2 = 0;
		for (cp = 0; cp < 0x3000; cp++) {
			n = gsm7_encode_char(cp, cases[k].locking,
			    cases[k].single, out);
			if (n == 1) {
				n1++;
				tt_uint_op(out[0], <, 128);
				tt_uint_op(out[0], !=, GSM7_ESC);
				back = gsm7_locking_char(out[0],
				    cases[k].locking);
			} else if (n == 2) {
				n2++;
				tt_uint_op(out[0], ==, GSM7_ESC);
				tt_uint_op(out[1], <, 128);
				back = gsm7_single_char(out[1],
				    cases[k].single);
			} else {
				tt_int_op(n, ==, 0);
				continue;
			}
			if (back != cp)
				tt_fail(__FILE__, __LINE__, "case %zu: U+%04X "
				    "comes back as U+%04X", k, (unsigned)cp,
				    (unsigned)back);
		}
		if (n1 != cases[k].n1 || n2 != cases[k].n2)
			tt_fail(__FILE__, __LINE__, "case %zu (%d, %d): %d "
			    "single septets, %d escapes; want %d, %d", k,
			    cases[k].locking, cases[k].single, n1, n2,
			    cases[k].n1, cases[k].n2);
	}
end:
	;
}

struct test_gsm7_enc {
	uint32_t	cp;
	int		locking, single;
	int		n;
	uint8_t		s[2];
};

static const struct test_gsm7_enc test_gsm7_encs[] = {
	/* look-alikes in the default alphabet */
	{ '@', 0, 0, 1, { 0x00 } },
	{ '$', 0, 0, 1, { 0x02 } },
	{ '_', 0, 0, 1, { 0x11 } },
	{ 0x00a4, 0, 0, 1, { 0x24 } },		/* ¤ */
	{ 0x00a7, 0, 0, 1, { 0x5f } },		/* § */
	{ 0x00bf, 0, 0, 1, { 0x60 } },		/* ¿ */
	{ 0x00a1, 0, 0, 1, { 0x40 } },		/* ¡ */
	{ 0x00f1, 0, 0, 1, { 0x7d } },		/* ñ */
	{ 0x00e0, 0, 0, 1, { 0x7f } },		/* à */
	{ 0x00c7, 0, 0, 1, { 0x09 } },		/* Ç */
	{ 0x00e7, 0, 0, 0, { 0 } },		/* ç: not in §6.2.1 */
	{ '`', 0, 0, 0, { 0 } },
	{ ' ', 0, 0, 1, { 0x20 } },
	{ '\n', 0, 0, 1, { 0x0a } },
	{ '\r', 0, 0, 1, { 0x0d } },
	{ 0x000c, 0, 0, 2, { 0x1b, 0x0a } },	/* FF, page break */
	{ 0x001b, 0, 0, 0, { 0 } },		/* never a bare ESC */
	{ 0x001b, 1, 1, 0, { 0 } },
	{ 0x001b, 3, 3, 0, { 0 } },
	{ 0x0000, 0, 0, 0, { 0 } },
	{ 0x0000, 3, 3, 0, { 0 } },
	{ 0x00a0, 0, 0, 0, { 0 } },		/* NBSP */
	{ 0x0394, 0, 0, 1, { 0x10 } },		/* Δ */
	{ 0x039e, 0, 0, 1, { 0x1a } },		/* Ξ */
	{ 0x03a9, 0, 0, 1, { 0x15 } },		/* Ω */
	{ 0x0391, 0, 0, 0, { 0 } },		/* Greek Alpha */
	{ 0x039f, 0, 0, 0, { 0 } },		/* Greek Omicron */
	{ 0x03c9, 0, 0, 0, { 0 } },		/* ω */
	{ 0xfffd, 0, 0, 0, { 0 } },
	{ 0x1f600, 0, 0, 0, { 0 } },
	{ 0x110000, 0, 0, 0, { 0 } },
	{ 0xffffffff, 3, 3, 0, { 0 } },
	/* default extension */
	{ 0x20ac, 0, 0, 2, { 0x1b, 0x65 } },	/* € */
	{ '^', 0, 0, 2, { 0x1b, 0x14 } },
	{ '{', 0, 0, 2, { 0x1b, 0x28 } },
	{ '}', 0, 0, 2, { 0x1b, 0x29 } },
	{ '\\', 0, 0, 2, { 0x1b, 0x2f } },
	{ '[', 0, 0, 2, { 0x1b, 0x3c } },
	{ '~', 0, 0, 2, { 0x1b, 0x3d } },
	{ ']', 0, 0, 2, { 0x1b, 0x3e } },
	{ '|', 0, 0, 2, { 0x1b, 0x40 } },
	/* Turkish */
	{ 0x015f, 1, 0, 1, { 0x1d } },		/* ş */
	{ 0x015e, 1, 0, 1, { 0x1c } },		/* Ş */
	{ 0x0130, 1, 0, 1, { 0x40 } },		/* İ */
	{ 0x0131, 1, 0, 1, { 0x07 } },		/* ı */
	{ 0x011f, 1, 0, 1, { 0x0c } },		/* ğ */
	{ 0x011e, 1, 0, 1, { 0x0b } },		/* Ğ */
	{ 0x00e7, 1, 0, 1, { 0x60 } },		/* ç */
	{ 0x20ac, 1, 0, 1, { 0x04 } },		/* € in the locking table */
	{ 0x00e8, 1, 0, 0, { 0 } },		/* è gave way to € */
	{ 0x00a1, 1, 1, 0, { 0 } },		/* ¡ gave way to İ */
	{ 0x00bf, 1, 0, 0, { 0 } },		/* ¿ gave way to ç */
	{ 0x015f, 0, 1, 2, { 0x1b, 0x73 } },	/* ş */
	{ 0x015e, 0, 1, 2, { 0x1b, 0x53 } },	/* Ş */
	{ 0x0130, 0, 1, 2, { 0x1b, 0x49 } },	/* İ */
	{ 0x0131, 0, 1, 2, { 0x1b, 0x69 } },	/* ı */
	{ 0x011f, 0, 1, 2, { 0x1b, 0x67 } },	/* ğ */
	{ 0x011e, 0, 1, 2, { 0x1b, 0x47 } },	/* Ğ */
	{ 0x00e7, 0, 1, 2, { 0x1b, 0x63 } },	/* ç */
	{ '{', 0, 1, 2, { 0x1b, 0x28 } },
	{ 0x015f, 0, 0, 0, { 0 } },
	{ 0x015f, 3, 3, 0, { 0 } },
	/* Spanish: single shift only */
	{ 0x00e1, 0, 2, 2, { 0x1b, 0x61 } },	/* á */
	{ 0x00c1, 0, 2, 2, { 0x1b, 0x41 } },	/* Á */
	{ 0x00fa, 0, 2, 2, { 0x1b, 0x75 } },	/* ú */
	{ 0x00d3, 0, 2, 2, { 0x1b, 0x4f } },	/* Ó */
	{ 0x00e7, 0, 2, 2, { 0x1b, 0x09 } },	/* ç */
	{ 0x20ac, 0, 2, 2, { 0x1b, 0x65 } },
	{ '|', 0, 2, 2, { 0x1b, 0x40 } },
	{ 0x00e9, 0, 2, 1, { 0x05 } },		/* é: locking first */
	{ 0x00f1, 2, 0, 1, { 0x7d } },		/* locking 2 = default */
	{ 0x00e7, 2, 0, 0, { 0 } },
	{ 0x20ac, 2, 0, 2, { 0x1b, 0x65 } },
	/* Portuguese */
	{ 0x00ea, 3, 3, 1, { 0x04 } },		/* ê: locking first */
	{ 0x00ea, 0, 3, 2, { 0x1b, 0x05 } },
	{ 0x00ea, 0, 0, 0, { 0 } },
	{ 0x00e7, 3, 0, 1, { 0x09 } },		/* ç */
	{ 0x00c7, 3, 0, 1, { 0x13 } },		/* Ç */
	{ 0x00e7, 0, 3, 2, { 0x1b, 0x09 } },
	{ '~', 3, 0, 1, { 0x60 } },
	{ '^', 3, 0, 1, { 0x16 } },
	{ '\\', 3, 0, 1, { 0x17 } },
	{ '|', 3, 0, 1, { 0x1a } },
	{ 0x20ac, 3, 0, 1, { 0x18 } },
	{ '`', 3, 0, 1, { 0x7d } },
	{ 0x221e, 3, 0, 1, { 0x15 } },		/* ∞ */
	{ 0x00aa, 3, 0, 1, { 0x12 } },		/* ª */
	{ 0x00ba, 3, 0, 1, { 0x24 } },		/* º */
	{ 0x00a4, 3, 0, 0, { 0 } },		/* ¤ gave way to º */
	{ 0x00c1, 0, 3, 2, { 0x1b, 0x0e } },	/* Á */
	{ 0x00c2, 0, 3, 2, { 0x1b, 0x61 } },	/* Â */
	{ 0x00e2, 0, 3, 2, { 0x1b, 0x7f } },	/* â */
	{ 0x00c3, 0, 3, 2, { 0x1b, 0x5b } },	/* Ã */
	{ 0x00f5, 0, 3, 2, { 0x1b, 0x7c } },	/* õ */
	{ 0x03a6, 3, 3, 2, { 0x1b, 0x12 } },	/* Φ: only by escape */
	{ 0x0398, 3, 3, 2, { 0x1b, 0x19 } },	/* Θ */
	{ 0x039b, 3, 3, 0, { 0 } },		/* Λ: in neither table */
	{ 0x039e, 3, 3, 0, { 0 } },		/* Ξ */
	{ 0x0394, 3, 3, 1, { 0x10 } },		/* Δ */
	{ 0x03a6, 0, 3, 1, { 0x12 } },
	{ 0x000c, 3, 3, 2, { 0x1b, 0x0a } },
	/* unsupported identifiers behave as 0 */
	{ 0x20ac, 7, 9, 2, { 0x1b, 0x65 } },
	{ 0x00e8, -1, -1, 1, { 0x04 } },
	{ 0x015f, 5, 5, 0, { 0 } },
};

static void
test_gsm7_encode_cases(void)
{
	const struct test_gsm7_enc	*c;
	uint8_t				 out[2];
	size_t				 i;
	int				 n;

	for (i = 0; i < TT_NELEM(test_gsm7_encs); i++) {
		c = &test_gsm7_encs[i];
		out[0] = out[1] = 0xee;
		n = gsm7_encode_char(c->cp, c->locking, c->single, out);
		if (n != c->n || (n > 0 && memcmp(out, c->s, n) != 0))
			tt_fail(__FILE__, __LINE__, "U+%04X (%d, %d): %d "
			    "%02x %02x, want %d %02x %02x",
			    (unsigned)c->cp, c->locking, c->single, n,
			    out[0], out[1], c->n, c->s[0], c->s[1]);
		if (n == 1)
			tt_uint_op(out[1], ==, 0xee);	/* left alone */
	}
end:
	;
}

struct test_gsm7_dec {
	const char	*name;
	uint8_t		 s[8];
	size_t		 n;
	int		 locking, single;
	const char	*utf8;
};

static const struct test_gsm7_dec test_gsm7_decs[] = {
	{ "empty", { 0 }, 0, 0, 0, "" },
	{ "ascii", { 0x48, 0x69, 0x21 }, 3, 0, 0, "Hi!" },
	{ "at is 0", { 0x00, 0x00 }, 2, 0, 0, "@@" },
	{ "euro", { 0x1b, 0x65 }, 2, 0, 0, "€" },
	{ "braces", { 0x1b, 0x28, 0x41, 0x1b, 0x29 }, 5, 0, 0, "{A}" },
	{ "page break", { 0x1b, 0x0a }, 2, 0, 0, "\f" },
	{ "CR2 falls back to CR", { 0x1b, 0x0d }, 2, 0, 0, "\r" },
	{ "ESC undefined", { 0x1b, 0x41 }, 2, 0, 0, "A" },
	{ "ESC undefined 2", { 0x1b, 0x00, 0x1b, 0x7f }, 4, 0, 0, "@à" },
	{ "ESC ESC", { 0x1b, 0x1b }, 2, 0, 0, " " },
	{ "ESC ESC x", { 0x1b, 0x1b, 0x41 }, 3, 0, 0, " A" },
	{ "ESC ESC ESC", { 0x1b, 0x1b, 0x1b }, 3, 0, 0, " " },
	{ "ESC ESC ESC e", { 0x1b, 0x1b, 0x1b, 0x65 }, 4, 0, 0, " €" },
	{ "trailing ESC", { 0x41, 0x1b }, 2, 0, 0, "A" },
	{ "lone ESC", { 0x1b }, 1, 0, 0, "" },
	{ "not a septet", { 0x41, 0x80, 0x42 }, 3, 0, 0, "A\xef\xbf\xbd" "B" },
	{ "ESC not a septet", { 0x1b, 0xff, 0x42 }, 3, 0, 0,
	    "\xef\xbf\xbd" "B" },
	{ "turkish", { 0x1c, 0x40, 0x0c, 0x60 }, 4, 1, 0, "Şİğç" },
	{ "turkish single", { 0x1b, 0x53, 0x1b, 0x69 }, 4, 0, 1, "Şı" },
	{ "turkish fallback to locking", { 0x1b, 0x04 }, 2, 1, 1, "€" },
	{ "turkish fallback to default", { 0x1b, 0x04 }, 2, 0, 1, "è" },
	{ "spanish", { 0x1b, 0x41, 0x1b, 0x09, 0x09 }, 5, 0, 2, "ÁçÇ" },
	{ "spanish locking is default", { 0x7d, 0x60 }, 2, 2, 2, "ñ¿" },
	{ "portuguese", { 0x15, 0x60, 0x7d, 0x24 }, 4, 3, 0, "∞~`º" },
	{ "portuguese single", { 0x1b, 0x41, 0x1b, 0x12 }, 4, 3, 3, "ÀΦ" },
	{ "portuguese fallback", { 0x1b, 0x60 }, 2, 3, 3, "~" },
	{ "default single + pt locking", { 0x1b, 0x41, 0x1b, 0x3d }, 4, 3, 0,
	    "A~" },
	{ "unsupported ids", { 0x1b, 0x65, 0x04 }, 3, 6, 6, "€è" },
};

static void
test_gsm7_decode_cases(void)
{
	const struct test_gsm7_dec	*c;
	char				*out = NULL;
	size_t				 i, len;

	for (i = 0; i < TT_NELEM(test_gsm7_decs); i++) {
		c = &test_gsm7_decs[i];
		out = test_gsm7_decode(c->s, c->n, c->locking, c->single,
		    &len);
		if (strcmp(out, c->utf8) != 0)
			tt_fail(__FILE__, __LINE__, "%s: \"%s\" vs \"%s\"",
			    c->name, out, c->utf8);
		tt_uint_op(len, ==, strlen(c->utf8));
		free(out);
		out = NULL;
	}
end:
	free(out);
}

/* The worst case, three UTF-8 bytes per septet, fits 3 * n + 1. */
static void
test_gsm7_decode_widest(void)
{
	uint8_t	 s[160];
	char	*out = NULL;
	size_t	 len, i;

	memset(s, 0x15, sizeof(s));		/* ∞ in Portuguese */
	out = test_gsm7_decode(s, sizeof(s), 3, 0, &len);
	tt_uint_op(len, ==, 3 * sizeof(s));
	for (i = 0; i < len; i += 3)
		tt_mem_op(out + i, ==, "∞", 3);
	free(out);
	/* ESC € pairs: 3 bytes per 2 septets */
	for (i = 0; i < sizeof(s); i += 2) {
		s[i] = GSM7_ESC;
		s[i + 1] = 0x65;
	}
	out = test_gsm7_decode(s, sizeof(s), 0, 0, &len);
	tt_uint_op(len, ==, 3 * sizeof(s) / 2);
end:
	free(out);
}

/* A whole string through the encoder and back. */
static void
test_gsm7_string_roundtrip(void)
{
	static const uint32_t	 text[] = {
		'P', 'r', 'e', 0x00e7, 'o', ':', ' ', 0x20ac, '5', ' ',
		'[', 0x015f, ']', 0x0130, '~', '\n',
	};
	static const uint8_t	 want[] = {
		0x50, 0x72, 0x65, 0x60, 0x6f, 0x3a, 0x20, 0x04, 0x35, 0x20,
		0x1b, 0x3c, 0x1d, 0x1b, 0x3e, 0x40, 0x1b, 0x3d, 0x0a,
	};
	uint8_t			 s[2 * TT_NELEM(text)];
	char			*out = NULL;
	size_t			 i, n = 0, len;
	int			 k;

	for (i = 0; i < TT_NELEM(text); i++) {
		k = gsm7_encode_char(text[i], 1, 0, s + n);
		tt_int_op(k, >, 0);
		n += (size_t)k;
	}
	tt_uint_op(n, ==, sizeof(want));
	tt_mem_op(s, ==, want, n);
	out = test_gsm7_decode(s, n, 1, 0, &len);
	tt_str_op(out, ==, "Preço: €5 [ş]İ~\n");
end:
	free(out);
}

struct test_gsm7_packv {
	const char	*text;
	unsigned	 fill;
	const char	*hex;
};

/*
 * Packing vectors.  "hellohello" with fill 0 is the classic example; the
 * filled ones are the same bit stream shifted left by fill bits (checked
 * by hand for fill 1: E8 32 9B ... << 1 = D0 65 36 ...).
 */
static const struct test_gsm7_packv test_gsm7_packvs[] = {
	{ "hellohello", 0, "E8329BFD4697D9EC37" },
	{ "hellohello", 1, "D06536FB8D2EB3D96F" },
	{ "hellohello", 2, "A0CB6CF61B5D66B3DF" },
	{ "hellohello", 3, "4097D9EC37BACC66BF01" },
	{ "hellohello", 4, "802EB3D96F7499CD7E03" },
	{ "hellohello", 5, "005D66B3DFE8329BFD06" },
	{ "hellohello", 6, "00BACC66BFD16536FB0D" },
	{ "How are you?", 0, "C8F71D14969741F977FD07" },
	{ "", 0, "" },
	{ "", 1, "00" },
	{ "", 6, "00" },
	{ "\x7f", 0, "7F" },
	{ "\x7f", 1, "FE" },
	{ "\x7f", 2, "FC01" },
	{ "\x7f", 6, "C01F" },
	{ "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", 0, "FFFFFFFFFFFFFF" },
	{ "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", 1, "FEFFFFFFFFFFFF01" },
	{ "\x01\x02\x03\x04\x05\x06\x07\x08", 0, "01C18050301C10" },
};

static size_t
test_gsm7_unhex(const char *hex, uint8_t *out)
{
	size_t		 n = 0;
	unsigned	 v;

	for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
		if (sscanf(hex, "%2x", &v) != 1)
			abort();
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void
test_gsm7_pack_vectors(void)
{
	const struct test_gsm7_packv	*v;
	uint8_t				 want[64], got[64], back[64];
	size_t				 i, n, nwant, len;

	for (i = 0; i < TT_NELEM(test_gsm7_packvs); i++) {
		v = &test_gsm7_packvs[i];
		n = strlen(v->text);
		nwant = test_gsm7_unhex(v->hex, want);
		memset(got, 0xaa, sizeof(got));
		len = gsm7_pack((const uint8_t *)v->text, n, v->fill, got);
		tt_uint_op(len, ==, nwant);
		tt_mem_op(got, ==, want, nwant);
		tt_uint_op(got[nwant], ==, 0xaa);	/* nothing past it */
		memset(back, 0xaa, sizeof(back));
		gsm7_unpack(want, n, v->fill, back);
		tt_mem_op(back, ==, v->text, n);
		tt_uint_op(back[n], ==, 0xaa);
	}
end:
	;
}

/* Bit by bit, the way §6.1.2.1.1 draws it: septet i starts at bit fill+7i. */
static void
test_gsm7_pack_reference(const uint8_t *s, size_t n, unsigned fill,
    uint8_t *out)
{
	size_t	 i, bit;
	unsigned b;

	memset(out, 0, (fill + 7 * n + 7) / 8);
	for (i = 0; i < n; i++)
		for (b = 0; b < 7; b++)
			if (s[i] & (1u << b)) {
				bit = fill + 7 * i + b;
				out[bit / 8] |= (uint8_t)(1u << (bit % 8));
			}
}

/* Every fill (0..6) with every length 0..17, against the reference. */
static void
test_gsm7_pack_lengths(void)
{
	uint8_t		 s[17], got[24], want[24], back[18];
	size_t		 n, i, len, nout;
	unsigned	 fill;

	for (i = 0; i < sizeof(s); i++)
		s[i] = (uint8_t)((i * 37 + 0x55) & 0x7f);
	for (fill = 0; fill <= 6; fill++)
		for (n = 0; n <= 17; n++) {
			nout = (fill + 7 * n + 7) / 8;
			memset(got, 0xaa, sizeof(got));
			test_gsm7_pack_reference(s, n, fill, want);
			len = gsm7_pack(s, n, fill, got);
			tt_uint_op(len, ==, nout);
			tt_mem_op(got, ==, want, nout);
			tt_uint_op(got[nout], ==, 0xaa);
			memset(back, 0xaa, sizeof(back));
			gsm7_unpack(got, n, fill, back);
			tt_mem_op(back, ==, s, n);
			tt_uint_op(back[n], ==, 0xaa);
		}
end:
	;
}

/* Only the low 7 bits of each value are packed. */
static void
test_gsm7_pack_masks(void)
{
	static const uint8_t	in[] = { 0xff, 0x80, 0xc1 };
	static const uint8_t	want[] = { 0x7f, 0x40, 0x10 };
	uint8_t			got[4];

	tt_uint_op(gsm7_pack(in, 3, 0, got), ==, 3);
	tt_mem_op(got, ==, want, 3);
end:
	;
}

/* xorshift32: a fixed sequence for a given seed, no wrapping arithmetic. */
static uint32_t
test_gsm7_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* unpack(pack(x)) == x for random septet strings, fill and length. */
static void
test_gsm7_pack_random(void)
{
	uint8_t		 s[300], packed[300], back[300];
	uint32_t	 x = tt_seed() | 1;
	size_t		 n, i, len;
	unsigned	 fill, round, used;

	for (round = 0; round < 2000; round++) {
		n = test_gsm7_rand(&x) % 256;
		fill = test_gsm7_rand(&x) % 7;
		for (i = 0; i < n; i++)
			s[i] = (uint8_t)(test_gsm7_rand(&x) >> 9) & 0x7f;
		len = gsm7_pack(s, n, fill, packed);
		tt_uint_op(len, ==, (fill + 7 * n + 7) / 8);
		/* fill bits and the tail of the last octet are zero */
		if (len > 0) {
			tt_uint_op(packed[0] & ((1u << fill) - 1), ==, 0);
			used = (unsigned)((fill + 7 * n) % 8);
			if (used != 0)
				tt_uint_op(packed[len - 1] >> used, ==, 0);
		}
		gsm7_unpack(packed, n, fill, back);
		if (n > 0)
			tt_mem_op(back, ==, s, n);
	}
end:
	;
}

static const struct tt_case cases[] = {
	{ "tables/locking", test_gsm7_lock_tables },
	{ "tables/single", test_gsm7_single_tables },
	{ "tables/not_septets", test_gsm7_not_septets },
	{ "tables/has", test_gsm7_has_tables },
	{ "encode/lock_roundtrip", test_gsm7_lock_roundtrip },
	{ "encode/exhaustive", test_gsm7_encode_exhaustive },
	{ "encode/cases", test_gsm7_encode_cases },
	{ "encode/string", test_gsm7_string_roundtrip },
	{ "decode/cases", test_gsm7_decode_cases },
	{ "decode/widest", test_gsm7_decode_widest },
	{ "pack/vectors", test_gsm7_pack_vectors },
	{ "pack/lengths", test_gsm7_pack_lengths },
	{ "pack/masks", test_gsm7_pack_masks },
	{ "pack/random", test_gsm7_pack_random },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
