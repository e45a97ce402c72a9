/*
 * tests/unit/test_translit.c — the look-alike tables.
 *
 * The tables are static, so this file includes translit.c itself (as
 * chrony's unit tests do) to check their order; link it without
 * translit.o (the Makefile's library archive is fine: the member is then
 * never pulled in).
 */
#include <stdint.h>
#include <string.h>

#include "translit.c"
#include "tt.h"

/*
 * The GSM 7-bit default alphabet by septet, 3GPP TS 23.038 §6.2.1
 * (0x1b is the escape to the extension table, not a character), then the
 * characters of the default extension table, §6.2.1.1: form feed, ^ { } \
 * [ ~ ] | and the euro sign.  Hard-coded here, independently of gsm7.c.
 */
static const uint32_t gsm_chars[] = {
	/* 0x00 */ 0x0040, 0x00a3, 0x0024, 0x00a5, 0x00e8, 0x00e9, 0x00f9,
	0x00ec, 0x00f2, 0x00c7, 0x000a, 0x00d8, 0x00f8, 0x000d, 0x00c5, 0x00e5,
	/* 0x10 */ 0x0394, 0x005f, 0x03a6, 0x0393, 0x039b, 0x03a9, 0x03a0,
	0x03a8, 0x03a3, 0x0398, 0x039e, 0x001b, 0x00c6, 0x00e6, 0x00df, 0x00c9,
	/* 0x20 */ 0x0020, 0x0021, 0x0022, 0x0023, 0x00a4, 0x0025, 0x0026,
	0x0027, 0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f,
	/* 0x30 */ 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036,
	0x0037, 0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e, 0x003f,
	/* 0x40 */ 0x00a1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046,
	0x0047, 0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f,
	/* 0x50 */ 0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056,
	0x0057, 0x0058, 0x0059, 0x005a, 0x00c4, 0x00d6, 0x00d1, 0x00dc, 0x00a7,
	/* 0x60 */ 0x00bf, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066,
	0x0067, 0x0068, 0x0069, 0x006a, 0x006b, 0x006c, 0x006d, 0x006e, 0x006f,
	/* 0x70 */ 0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076,
	0x0077, 0x0078, 0x0079, 0x007a, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0,
	/* extension */ 0x000c, 0x005e, 0x007b, 0x007d, 0x005c, 0x005b,
	0x007e, 0x005d, 0x007c, 0x20ac,
};

static int
test_is_gsm(uint32_t cp)
{
	size_t	i;

	for (i = 0; i < TT_NELEM(gsm_chars); i++) {
		if (gsm_chars[i] == cp)
			return 1;
	}
	return 0;
}

/* Every byte of s is a character GSM can send. */
static int
test_all_gsm(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!test_is_gsm((unsigned char)*s))
			return 0;
	}
	return 1;
}

static const struct {
	const char			*name;
	const struct translit_entry	*table;
	size_t				 n;
} test_tables[] = {
	{ "smart", translit_smart_table, TT_NELEM(translit_smart_table) },
	{ "accent", translit_accent_table, TT_NELEM(translit_accent_table) },
};

static void
test_gsm_list(void)
{
	/* the hard-coded list itself: 127 characters plus ESC, 10 more */
	tt_uint_op(TT_NELEM(gsm_chars), ==, 128 + 10);
	tt_uint_op(gsm_chars[0x00], ==, '@');
	tt_uint_op(gsm_chars[0x11], ==, '_');
	tt_uint_op(gsm_chars[0x24], ==, 0x00a4);	/* ¤ */
	tt_uint_op(gsm_chars[0x40], ==, 0x00a1);	/* ¡ */
	tt_uint_op(gsm_chars[0x60], ==, 0x00bf);	/* ¿ */
	tt_uint_op(gsm_chars[0x7f], ==, 0x00e0);	/* à */
end:
	;
}

static void
test_sorted(void)
{
	size_t	t, i;

	for (t = 0; t < TT_NELEM(test_tables); t++) {
		tt_assert(test_tables[t].n > 0);
		for (i = 1; i < test_tables[t].n; i++) {
			if (test_tables[t].table[i - 1].cp >=
			    test_tables[t].table[i].cp)
				fprintf(stderr, "  %s: U+%04" PRIX32
				    " before U+%04" PRIX32 "\n",
				    test_tables[t].name,
				    test_tables[t].table[i - 1].cp,
				    test_tables[t].table[i].cp);
			/* strictly increasing: sorted and unique */
			tt_uint_op(test_tables[t].table[i - 1].cp, <,
			    test_tables[t].table[i].cp);
		}
	}
end:
	;
}

/* Every key is found through the public functions, with its own value. */
static void
test_lookup_all(void)
{
	const struct translit_entry	*e;
	size_t				 i;

	for (i = 0; i < TT_NELEM(translit_smart_table); i++) {
		e = &translit_smart_table[i];
		tt_assert(translit_smart(e->cp) == e->to);
	}
	for (i = 0; i < TT_NELEM(translit_accent_table); i++) {
		e = &translit_accent_table[i];
		tt_assert(translit_strip_accent(e->cp) == e->to);
	}
end:
	;
}

static void
test_no_gsm_keys(void)
{
	size_t	t, i;

	for (t = 0; t < TT_NELEM(test_tables); t++) {
		for (i = 0; i < test_tables[t].n; i++) {
			if (test_is_gsm(test_tables[t].table[i].cp))
				fprintf(stderr, "  %s: U+%04" PRIX32 "\n",
				    test_tables[t].name,
				    test_tables[t].table[i].cp);
			tt_assert(!test_is_gsm(test_tables[t].table[i].cp));
		}
	}
	/* and through the functions, computed ranges included */
	for (i = 0; i < TT_NELEM(gsm_chars); i++) {
		tt_assert(translit_smart(gsm_chars[i]) == NULL);
		tt_assert(translit_strip_accent(gsm_chars[i]) == NULL);
	}
end:
	;
}

/* Replacements must themselves be sendable in the default alphabet. */
static void
test_values_gsm(void)
{
	size_t	t, i;

	for (t = 0; t < TT_NELEM(test_tables); t++) {
		for (i = 0; i < test_tables[t].n; i++) {
			tt_assert(test_tables[t].table[i].to != NULL);
			if (!test_all_gsm(test_tables[t].table[i].to))
				fprintf(stderr, "  %s: U+%04" PRIX32 "\n",
				    test_tables[t].name,
				    test_tables[t].table[i].cp);
			tt_assert(test_all_gsm(test_tables[t].table[i].to));
		}
	}
end:
	;
}

struct test_repl {
	uint32_t	 cp;
	const char	*want;	/* NULL: no replacement */
};

static const struct test_repl test_smart_cases[] = {
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201a, "'" }, { 0x201b, "'" },
	{ 0x2032, "'" }, { 0x2039, "'" }, { 0x203a, "'" }, { 0x00b4, "'" },
	{ 0x201c, "\"" }, { 0x201d, "\"" }, { 0x201e, "\"" },
	{ 0x201f, "\"" }, { 0x2033, "\"" }, { 0x00ab, "\"" },
	{ 0x00bb, "\"" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" }, { 0x2013, "-" },
	{ 0x2014, "-" }, { 0x2015, "-" }, { 0x2212, "-" },
	{ 0x2026, "..." },
	{ 0x00a0, " " }, { 0x1680, " " }, { 0x2000, " " }, { 0x2005, " " },
	{ 0x200a, " " }, { 0x202f, " " }, { 0x205f, " " }, { 0x3000, " " },
	{ 0x200b, "" }, { 0x200c, "" }, { 0x200d, "" }, { 0x2060, "" },
	{ 0xfeff, "" }, { 0x00ad, "" },
	{ 0x2022, "-" }, { 0x2023, "-" }, { 0x25e6, "-" }, { 0x2043, "-" },
	{ 0x2219, "-" }, { 0x00b7, "-" },
	{ 0x3001, "," }, { 0x3002, "." },
	{ 0x00bd, " 1/2" }, { 0x2153, " 1/3" }, { 0x2154, " 2/3" },
	{ 0x00bc, " 1/4" }, { 0x00be, " 3/4" }, { 0x2155, " 1/5" },
	{ 0x2156, " 2/5" }, { 0x2157, " 3/5" }, { 0x2158, " 4/5" },
	{ 0x2159, " 1/6" }, { 0x215a, " 5/6" }, { 0x2150, " 1/7" },
	{ 0x215b, " 1/8" }, { 0x215c, " 3/8" }, { 0x215d, " 5/8" },
	{ 0x215e, " 7/8" }, { 0x2151, " 1/9" }, { 0x2152, " 1/10" },
	{ 0x2189, " 0/3" }, { 0x2044, "/" }, { 0x2215, "/" },
	{ 0x2122, "TM" }, { 0x00a9, "(C)" }, { 0x00ae, "(R)" },
	{ 0x00d7, "x" }, { 0x00f7, "/" },
	{ 0x2264, "<=" }, { 0x2265, ">=" }, { 0x2260, "!=" },
	/* fullwidth forms, computed */
	{ 0xff01, "!" }, { 0xff02, "\"" }, { 0xff10, "0" }, { 0xff19, "9" },
	{ 0xff21, "A" }, { 0xff3a, "Z" }, { 0xff3c, "\\" }, { 0xff41, "a" },
	{ 0xff5a, "z" }, { 0xff5e, "~" }, { 0xff00, NULL }, { 0xff5f, NULL },
	/* left alone: skipped on purpose, GSM, or not typographic */
	{ 0x2030, NULL }, { 0x00a2, NULL }, { 0x00a3, NULL }, { 0x20ac, NULL },
	{ 0x00e1, NULL }, { 0x0300, NULL }, { 0x2016, NULL }, { 0x2017, NULL },
	{ 0x2020, NULL }, { 0x2024, NULL }, { 0x200e, NULL }, { 0x200f, NULL },
	{ 0x4e2d, NULL }, { 0x1f600, NULL }, { 0x0000, NULL }, { 0x0041, NULL },
	{ 0x007f, NULL }, { 0x0080, NULL }, { 0x009f, NULL }, { 0xfffd, NULL },
	{ 0x10ffff, NULL }, { 0x110000, NULL }, { 0xffffffff, NULL },
};

static const struct test_repl test_accent_cases[] = {
	{ 0x00e1, "a" }, { 0x00c1, "A" }, { 0x00e2, "a" }, { 0x00e3, "a" },
	{ 0x00c0, "A" }, { 0x00e7, "c" }, { 0x00ed, "i" }, { 0x00f3, "o" },
	{ 0x00fa, "u" }, { 0x00f5, "o" }, { 0x00ea, "e" }, { 0x00eb, "e" },
	{ 0x00ef, "i" }, { 0x00fd, "y" }, { 0x00ff, "y" }, { 0x0178, "Y" },
	{ 0x0141, "L" }, { 0x0142, "l" }, { 0x0151, "o" }, { 0x0150, "O" },
	{ 0x015f, "s" }, { 0x015e, "S" }, { 0x011f, "g" }, { 0x011e, "G" },
	{ 0x0131, NULL }, { 0x0130, "I" }, { 0x0153, "oe" }, { 0x0152, "OE" },
	{ 0x00f0, "d" }, { 0x00d0, "D" }, { 0x00fe, "th" }, { 0x00de, "TH" },
	{ 0x0110, "D" }, { 0x0111, "d" }, { 0x0100, "A" }, { 0x0101, "a" },
	{ 0x0103, "a" }, { 0x0102, "A" }, { 0x0105, "a" }, { 0x010d, "c" },
	{ 0x0107, "c" }, { 0x011b, "e" }, { 0x0119, "e" }, { 0x0148, "n" },
	{ 0x0144, "n" }, { 0x0159, "r" }, { 0x0161, "s" }, { 0x0160, "S" },
	{ 0x0165, "t" }, { 0x016f, "u" }, { 0x0171, "u" }, { 0x017e, "z" },
	{ 0x017d, "Z" }, { 0x017c, "z" }, { 0x017a, "z" }, { 0x0127, "h" },
	{ 0x0132, "IJ" }, { 0x0133, "ij" }, { 0x0138, "q" }, { 0x0140, "l" },
	{ 0x0149, "'n" }, { 0x014b, "n" }, { 0x0167, "t" }, { 0x017f, "s" },
	{ 0x0129, "i" }, { 0x0169, "u" }, { 0x00f4, "o" }, { 0x00d5, "O" },
	/* Vietnamese */
	{ 0x01a0, "O" }, { 0x01a1, "o" }, { 0x01af, "U" }, { 0x01b0, "u" },
	{ 0x1ea0, "A" }, { 0x1ea1, "a" }, { 0x1ea3, "a" }, { 0x1ea5, "a" },
	{ 0x1ea7, "a" }, { 0x1ea9, "a" }, { 0x1eab, "a" }, { 0x1ead, "a" },
	{ 0x1eaf, "a" }, { 0x1eb1, "a" }, { 0x1eb3, "a" }, { 0x1eb5, "a" },
	{ 0x1eb7, "a" }, { 0x1eb8, "E" }, { 0x1eb9, "e" }, { 0x1ebb, "e" },
	{ 0x1ebd, "e" }, { 0x1ebf, "e" }, { 0x1ec1, "e" }, { 0x1ec3, "e" },
	{ 0x1ec5, "e" }, { 0x1ec7, "e" }, { 0x1ec9, "i" }, { 0x1ecb, "i" },
	{ 0x1ecd, "o" }, { 0x1ecf, "o" }, { 0x1ed1, "o" }, { 0x1ed3, "o" },
	{ 0x1ed5, "o" }, { 0x1ed7, "o" }, { 0x1ed9, "o" }, { 0x1edb, "o" },
	{ 0x1edd, "o" }, { 0x1edf, "o" }, { 0x1ee1, "o" }, { 0x1ee3, "o" },
	{ 0x1ee5, "u" }, { 0x1ee7, "u" }, { 0x1ee9, "u" }, { 0x1eeb, "u" },
	{ 0x1eed, "u" }, { 0x1eef, "u" }, { 0x1ef1, "u" }, { 0x1ef3, "y" },
	{ 0x1ef5, "y" }, { 0x1ef7, "y" }, { 0x1ef9, "y" }, { 0x1ef8, "Y" },
	{ 0x1ec6, "E" }, { 0x1ee2, "O" }, { 0x1ef0, "U" }, { 0x1eca, "I" },
	/* combining diacritics, computed */
	{ 0x0300, "" }, { 0x0301, "" }, { 0x0303, "" }, { 0x0309, "" },
	{ 0x0323, "" }, { 0x036f, "" }, { 0x02ff, NULL }, { 0x0370, NULL },
	/* GSM letters stay; non-letters and other blocks have none */
	{ 0x00c7, NULL }, { 0x00e9, NULL }, { 0x00c9, NULL }, { 0x00f1, NULL },
	{ 0x00df, NULL }, { 0x00e0, NULL }, { 0x00c5, NULL }, { 0x00d8, NULL },
	{ 0x00d7, NULL }, { 0x00f7, NULL }, { 0x00bf, NULL }, { 0x0180, NULL },
	{ 0x1e9f, NULL }, { 0x1efa, NULL }, { 0x2019, NULL }, { 0x0041, NULL },
	{ 0x0000, NULL }, { 0x0394, NULL }, { 0x03b1, NULL }, { 0x0430, NULL },
	{ 0x10ffff, NULL }, { 0xffffffff, NULL },
};

static void
test_repl_table(const struct test_repl *cases, size_t n,
    const char *(*fn)(uint32_t))
{
	const char	*got;
	size_t		 i;

	for (i = 0; i < n; i++) {
		got = fn(cases[i].cp);
		if (cases[i].want == NULL) {
			if (got != NULL)
				fprintf(stderr, "  U+%04" PRIX32
				    " gave \"%s\"\n", cases[i].cp, got);
			tt_assert(got == NULL);
		} else {
			if (got == NULL)
				fprintf(stderr, "  U+%04" PRIX32 " gave NULL\n",
				    cases[i].cp);
			tt_str_op(got, ==, cases[i].want);
		}
	}
end:
	;
}

static void
test_smart(void)
{
	test_repl_table(test_smart_cases, TT_NELEM(test_smart_cases),
	    translit_smart);
}

static void
test_accent(void)
{
	test_repl_table(test_accent_cases, TT_NELEM(test_accent_cases),
	    translit_strip_accent);
}

/* Matching folds what strip-accents does, and ı to i as well. */
static const struct test_repl test_fold_cases[] = {
	{ 0x0131, "i" }, { 0x0130, "I" }, { 0x00e1, "a" }, { 0x015f, "s" },
	{ 0x0301, "" }, { 0x0041, NULL }, { 0x4f60, NULL },
};

static void
test_fold(void)
{
	test_repl_table(test_fold_cases, TT_NELEM(test_fold_cases),
	    translit_fold);
}

/* U+FF01..U+FF5E are '!'..'~', one byte each; nothing around them. */
static void
test_fullwidth(void)
{
	const char	*got;
	uint32_t	 cp;

	for (cp = 0xff01; cp <= 0xff5e; cp++) {
		got = translit_smart(cp);
		tt_assert(got != NULL);
		tt_uint_op(strlen(got), ==, 1);
		tt_uint_op((unsigned char)got[0], ==, cp - 0xff01 + 0x21);
		tt_assert(translit_strip_accent(cp) == NULL);
	}
	tt_assert(translit_smart(0xff00) == NULL);
	for (cp = 0xff5f; cp <= 0xffff; cp++)
		tt_assert(translit_smart(cp) == NULL);
end:
	;
}

/*
 * Every letter of Latin-1 Supplement and Latin Extended-A that GSM lacks,
 * and every letter of the Vietnamese block, has an ASCII replacement of
 * one letter (or a ligature's two).
 */
static void
test_accent_coverage(void)
{
	const char	*got;
	uint32_t	 cp;
	size_t		 i;

	for (cp = 0x00c0; cp <= 0x024f; cp++) {
		/* × ÷, GSM letters, and ı: a letter, not an accented i */
		if (cp == 0x00d7 || cp == 0x00f7 || cp == 0x0131 ||
		    test_is_gsm(cp))
			continue;
		if (cp >= 0x0180 && cp != 0x01a0 && cp != 0x01a1 &&
		    cp != 0x01af && cp != 0x01b0)
			continue;
		got = translit_strip_accent(cp);
		if (got == NULL)
			fprintf(stderr, "  U+%04" PRIX32 " missing\n", cp);
		tt_assert(got != NULL);
		tt_assert(got[0] != '\0');
	}
	for (cp = 0x1ea0; cp <= 0x1ef9; cp++) {
		got = translit_strip_accent(cp);
		tt_assert(got != NULL);
		tt_uint_op(strlen(got), ==, 1);
		/* capitals at even code points, small letters at odd */
		if (cp % 2 == 0)
			tt_assert(got[0] >= 'A' && got[0] <= 'Z');
		else
			tt_assert(got[0] >= 'a' && got[0] <= 'z');
	}
	/* all values are ASCII letters, or "'n" */
	for (i = 0; i < TT_NELEM(translit_accent_table); i++) {
		got = translit_accent_table[i].to;
		if (translit_accent_table[i].cp == 0x0149)
			continue;
		for (; *got != '\0'; got++)
			tt_assert((*got >= 'A' && *got <= 'Z') ||
			    (*got >= 'a' && *got <= 'z'));
	}
	/* 39 from Latin-1 (64 less x, / and 23 GSM letters), 127 from
	 * Extended-A (all but ı), O' o' U' u', and 90 Vietnamese letters */
	tt_uint_op(TT_NELEM(translit_accent_table), ==, 260);
end:
	;
}

static const struct tt_case cases[] = {
	{ "tables/gsm-list", test_gsm_list },
	{ "tables/sorted", test_sorted },
	{ "tables/lookup-all", test_lookup_all },
	{ "tables/no-gsm-keys", test_no_gsm_keys },
	{ "tables/values-gsm", test_values_gsm },
	{ "smart/cases", test_smart },
	{ "fold/cases", test_fold },
	{ "smart/fullwidth", test_fullwidth },
	{ "accent/cases", test_accent },
	{ "accent/coverage", test_accent_coverage },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
