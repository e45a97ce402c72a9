/*
 * tests/unit/test_keyword.c — the keyword engine (gateway/keyword.c):
 * every default keyword in many spellings, JOIN <LIST>, LANG <language>,
 * texts that are not keywords and the review flag in English, Spanish and
 * Tagalog, configuration, invalid UTF-8 and long texts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyword.h"
#include "tt.h"
#include "utf8.h"

#define N	KEYWORD_NONE
#define J	KEYWORD_JOIN
#define S	KEYWORD_STOP
#define I	KEYWORD_INFO
#define L	KEYWORD_LANG
#define F	KEYWORD_FORGET

struct mcase {
	const char		*text;
	enum keyword_action	 action;
	const char		*keyword;	/* canonical, or "" */
	const char		*lang;		/* implied, or "" */
	const char		*arg;		/* JOIN list, LANG code */
	int			 unknown;	/* lang_unknown */
	const char		*review;	/* review keyword, "" = none */
};

/* Check one case; -1 (after reporting it) when it failed. */
static int
check_case(const struct keyword_table *kt, const char *text, size_t len,
    const struct mcase *c)
{
	struct keyword_result	r;
	enum keyword_action	a;

	a = keyword_match(kt, text, len, &r);
	tt_int_op(a, ==, r.action);
	tt_str_op(keyword_action_name(r.action), ==,
	    keyword_action_name(c->action));
	tt_str_op(r.keyword, ==, c->keyword);
	tt_str_op(r.lang, ==, c->lang);
	if (c->action == KEYWORD_JOIN)
		tt_str_op(r.list, ==, c->arg);
	else
		tt_str_op(r.list, ==, "");
	if (c->action == KEYWORD_LANG)
		tt_str_op(r.lang_code, ==, c->arg);
	else
		tt_str_op(r.lang_code, ==, "");
	tt_int_op(r.lang_unknown, ==, c->unknown);
	tt_int_op(r.flag_review, ==, c->review[0] != '\0');
	tt_str_op(r.review_keyword, ==, c->review);
end:
	if (tt_failed_now) {
		fprintf(stderr, "  text: \"%.*s\"\n", (int)(len > 200 ? 200 :
		    len), text == NULL ? "" : text);
		return -1;
	}
	return 0;
}

static int
check_table(const struct keyword_table *kt, const struct mcase *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (check_case(kt, c[i].text, strlen(c[i].text), &c[i]) == -1)
			return -1;
	}
	return 0;
}

/* ---- normalization ---- */

static const struct {
	const char	*in, *out;
	size_t		 len;		/* 0: strlen(in) */
} norm_cases[] = {
	{ "", "" },
	{ "!!!", "" },
	{ "  Hello,   World!! ", "hello world" },
	{ "x\ty\r\nz", "x y z" },
	{ "STOP", "stop" },
	{ "NO M\xc3\x81S", "no mas" },			/* NO MÁS */
	{ "\xc3\x9anete", "unete" },			/* Únete */
	{ "\xc2\xa1" "Alto!", "alto" },			/* ¡Alto! */
	{ "\xc2\xbf" "Ayuda?", "ayuda" },		/* ¿Ayuda? */
	{ "*STOP*", "stop" },
	{ "'stop'", "stop" },
	{ "\xe2\x80\x9cstop\xe2\x80\x9d", "stop" },	/* “stop” */
	{ "\xc2\xabstop\xc2\xbb", "stop" },		/* «stop» */
	{ "\xf0\x9f\x9b\x91STOP\xf0\x9f\x9b\x91", "stop" },	/* 🛑 */
	{ "stop\xf0\x9f\x99\x8f\xf0\x9f\x8f\xbd", "stop" },	/* 🙏🏽 */
	{ "\xe2\x9d\xa4\xef\xb8\x8f join", "join" },	/* ❤️ */
	{ "opt-out", "opt out" },
	{ "OPT_OUT", "opt out" },
	{ "don't", "don t" },
	/* À É Î Õ Ü ñ Ç ß æ Ø */
	{ "\xc3\x80\xc3\x89\xc3\x8e\xc3\x95\xc3\x9c \xc3\xb1 \xc3\x87 "
	  "\xc3\x9f \xc3\xa6 \xc3\x98", "aeiou n c ss ae o" },
	/* Tiếng Việt */
	{ "Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t", "tieng viet" },
	/* kreyòl */
	{ "krey\xc3\xb2l", "kreyol" },
	/* the dotless ı folds to i for matching (strip-accents keeps it) */
	{ "jo\xc4\xb1n", "join" },			/* joın */
	/* ＳＴＯＰ！ (fullwidth) */
	{ "\xef\xbc\xb3\xef\xbc\xb4\xef\xbc\xaf\xef\xbc\xb0\xef\xbc\x81",
	  "stop" },
	/* e + combining acute */
	{ "caf" "e\xcc\x81", "cafe" },
	/* zero width space and soft hyphen inside a word */
	{ "st\xe2\x80\x8bop un\xc2\xadsubscribe", "stop unsubscribe" },
	/* ΑΒΓ ΣΟΦΟΣ ПРИВЕТ */
	{ "\xce\x91\xce\x92\xce\x93", "\xce\xb1\xce\xb2\xce\xb3" },
	{ "\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92\xd0\x95\xd0\xa2",
	  "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	/* 中文，好。 */
	{ "\xe4\xb8\xad\xe6\x96\x87\xef\xbc\x8c\xe5\xa5\xbd\xe3\x80\x82",
	  "\xe4\xb8\xad\xe6\x96\x87 \xe5\xa5\xbd" },
	/* عَرَبِي (with harakat), ؟ */
	{ "\xd8\xb9\xd9\x8e\xd8\xb1\xd9\x8e\xd8\xa8\xd9\x90\xd9\x8a\xd8\x9f",
	  "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a" },
	/* ŉ is "'n" in translit: the apostrophe is dropped */
	{ "\xc5\x89", "n" },
	/* invalid UTF-8 is punctuation */
	{ "\xff" "a\xfe" "b\xc0\xaf" "c", "a b c" },
	{ "ab\xe2\x82", "ab" },				/* truncated € */
	{ "\xed\xa0\x80x", "x" },			/* surrogate */
	{ "\xf4\x90\x80\x80y", "y" },			/* > U+10FFFF */
	{ "a\x00" "b", "a b", 3 },
};

static void
test_normalize_table(void)
{
	char	out[256];
	size_t	i = 0, n;
	size_t	len;

	for (i = 0; i < TT_NELEM(norm_cases); i++) {
		len = norm_cases[i].len;
		if (len == 0)
			len = strlen(norm_cases[i].in);
		n = keyword_normalize(norm_cases[i].in, len, out, sizeof out);
		tt_str_op(out, ==, norm_cases[i].out);
		tt_uint_op(n, ==, strlen(norm_cases[i].out));
	}
end:
	if (tt_failed_now)
		fprintf(stderr, "  case %zu\n", i);
}

static void
test_normalize_truncate(void)
{
	char	out[16];

	/* snprintf semantics, never a partial character or trailing space */
	tt_uint_op(keyword_normalize("Hello World", 11, out, 8), ==, 11);
	tt_str_op(out, ==, "hello w");
	tt_uint_op(keyword_normalize("Hello World", 11, out, 7), ==, 11);
	tt_str_op(out, ==, "hello");
	tt_uint_op(keyword_normalize("Hello World", 11, out, 6), ==, 11);
	tt_str_op(out, ==, "hello");
	tt_uint_op(keyword_normalize("Hello World", 11, out, 12), ==, 11);
	tt_str_op(out, ==, "hello world");
	tt_uint_op(keyword_normalize("Hello", 5, out, 1), ==, 5);
	tt_str_op(out, ==, "");
	tt_uint_op(keyword_normalize("Hello", 5, NULL, 0), ==, 5);
	tt_uint_op(keyword_normalize(NULL, 5, out, sizeof out), ==, 0);
	tt_str_op(out, ==, "");
	/* 中文 is 6 bytes: only 中 fits in 5 */
	tt_uint_op(keyword_normalize("\xe4\xb8\xad\xe6\x96\x87", 6, out, 5),
	    ==, 6);
	tt_str_op(out, ==, "\xe4\xb8\xad");
	/* a later, smaller piece is not written after a truncation */
	tt_uint_op(keyword_normalize("\xe4\xb8\xad\xe6\x96\x87" "a", 7, out,
	    6), ==, 7);
	tt_str_op(out, ==, "\xe4\xb8\xad");
end:
	;
}

/* Every Latin-1 and Latin Extended-A letter folds to ASCII a-z. */
static void
test_normalize_latin(void)
{
	char		in[4], out[16];
	uint32_t	cp = 0;
	size_t		n, i, len;

	for (cp = 0xC0; cp <= 0x17F; cp++) {
		if (cp == 0xD7 || cp == 0xF7)
			continue;		/* × ÷ */
		len = utf8_encode(cp, in);
		n = keyword_normalize(in, len, out, sizeof out);
		tt_assert(n >= 1 && n <= 2);
		for (i = 0; i < n; i++)
			tt_assert(out[i] >= 'a' && out[i] <= 'z');
	}
	/* and the Latin-1 symbols are punctuation */
	for (cp = 0xA0; cp <= 0xBF; cp++) {
		len = utf8_encode(cp, in);
		tt_uint_op(keyword_normalize(in, len, out, sizeof out), ==, 0);
	}
end:
	if (tt_failed_now)
		fprintf(stderr, "  U+%04X\n", (unsigned)cp);
}

/* ---- every default keyword, many spellings ---- */

static const struct {
	const char		*word;		/* as typed */
	const char		*canon;
	enum keyword_action	 action;
	const char		*lang;
} defaults[] = {
	{ "JOIN", "JOIN", J, "en" }, { "START", "START", J, "en" },
	{ "UNSTOP", "UNSTOP", J, "en" }, { "YES", "YES", J, "en" },
	{ "UNIRSE", "UNIRSE", J, "es" }, { "ALTA", "ALTA", J, "es" },
	{ "SALI", "SALI", J, "tl" },
	{ "STOP", "STOP", S, "en" }, { "STOPALL", "STOPALL", S, "en" },
	{ "UNSUBSCRIBE", "UNSUBSCRIBE", S, "en" },
	{ "CANCEL", "CANCEL", S, "en" }, { "END", "END", S, "en" },
	{ "QUIT", "QUIT", S, "en" }, { "REVOKE", "REVOKE", S, "en" },
	{ "OPTOUT", "OPTOUT", S, "en" }, { "OPT OUT", "OPT OUT", S, "en" },
	{ "OPT-OUT", "OPT OUT", S, "en" },
	{ "ALTO", "ALTO", S, "es" }, { "BAJA", "BAJA", S, "es" },
	{ "CANCELAR", "CANCELAR", S, "es" }, { "PARAR", "PARAR", S, "es" },
	{ "NO MAS", "NO MAS", S, "es" },
	{ "NO M\xc3\x81S", "NO MAS", S, "es" },		/* NO MÁS */
	{ "TIGIL", "TIGIL", S, "tl" }, { "HINTO", "HINTO", S, "tl" },
	{ "INFO", "INFO", I, "en" }, { "HELP", "HELP", I, "en" },
	{ "AYUDA", "AYUDA", I, "es" }, { "TULONG", "TULONG", I, "tl" },
	{ "FORGET ME", "FORGET ME", F, "en" }, { "BORRAR", "BORRAR", F, "es" },
	{ "BURAHIN", "BURAHIN", F, "tl" },
};

/* Decorations: %s is the keyword. */
static const char *const decorations[] = {
	"%s", "%s!!", "%s.", "%s!?!", "\xc2\xa1%s!", "\xc2\xbf%s?", "*%s*",
	"'%s'", "\"%s\"", "(%s)", "-%s-", "  %s  \r\n", "\t%s\t",
	"\xe2\x80\x9c%s\xe2\x80\x9d",			/* “%s” */
	"\xc2\xab%s\xc2\xbb",				/* «%s» */
	"\xf0\x9f\x9b\x91 %s \xf0\x9f\x9b\x91",		/* 🛑 %s 🛑 */
	"%s\xf0\x9f\x99\x8f",				/* %s🙏 */
	"\xe2\x9c\x8b\xf0\x9f\x8f\xbe%s",		/* ✋🏾%s */
	"%s :)", "%s ;-)", "...%s...", "#%s", "@%s",
	/* filler before and after */
	"please %s", "Please, %s!", "%s please", "%s pls", "%s PLZ",
	"%s now", "%s now!!", "%s right now", "%s thanks", "%s thank you",
	"%s, thank you!", "%s it", "%s me", "%s all", "ok %s", "OK, %s",
	"okay %s", "%s ok", "sorry %s", "%s sorry", "hi %s", "Hello! %s",
	"%s please thank you", "%s asap", "%s thx",
	"%s por favor", "Por favor %s", "%s porfa", "%s gracias",
	"%s muchas gracias", "%s ya", "hola %s", "%s perd\xc3\xb3n",
	"%s po", "%s na po", "%s na", "%s naman po", "salamat %s",
	"%s salamat po", "%s, maraming salamat po!", "sige %s", "paki %s po",
	"Hi! %s please \xf0\x9f\x99\x8f", "%s %s", "%s. %s!",
};

/* Spellings of w: as is, lower, title, alternating, accented, fullwidth. */
static size_t
spellings(const char *w, char out[][64])
{
	size_t	 i, j, n = 0, len = strlen(w);
	char	*p;
	int	 c;

	snprintf(out[n++], 64, "%s", w);
	for (i = 0; i <= len; i++) {
		c = (unsigned char)w[i];
		out[n][i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		out[n + 1][i] = (char)(i == 0 ? c : out[n][i]);
		out[n + 2][i] = (char)(i % 2 ? out[n][i] : c);
	}
	n += 3;
	/* vowels accented: á é í ó ú (upper: Á É Í Ó Ú) */
	p = out[n];
	for (i = 0; i < len; i++) {
		static const char vowels[] = "AEIOU";
		static const char *const acute[] = {
			"\xc3\x81", "\xc3\x89", "\xc3\x8d", "\xc3\x93",
			"\xc3\x9a" };
		const char *v = strchr(vowels, w[i]);

		if (v != NULL) {
			memcpy(p, acute[v - vowels], 2);
			p += 2;
		} else
			*p++ = w[i];
	}
	*p = '\0';
	n++;
	/* fullwidth: U+FF21 + (c - 'A') is EF BC A1.. */
	p = out[n];
	for (i = 0; i < len; i++) {
		c = (unsigned char)w[i];
		if (c >= 'A' && c <= 'Z') {
			j = 0xFF21 + (size_t)(c - 'A');
			p += utf8_encode((uint32_t)j, p);
		} else
			*p++ = (char)c;
	}
	*p = '\0';
	n++;
	return n;
}

static void
test_match_defaults(void)
{
	struct keyword_table	*kt = keyword_table_new();
	struct mcase		 c;
	char			 sp[8][64], text[256];
	size_t			 i, k, d, ns, count = 0;

	tt_assert(kt != NULL);
	for (i = 0; i < TT_NELEM(defaults); i++) {
		ns = spellings(defaults[i].word, sp);
		for (k = 0; k < ns; k++) {
			for (d = 0; d < TT_NELEM(decorations); d++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
				snprintf(text, sizeof text, decorations[d],
				    sp[k], sp[k]);
#pragma GCC diagnostic pop
				c.text = text;
				c.action = defaults[i].action;
				c.keyword = defaults[i].canon;
				c.lang = defaults[i].lang;
				c.arg = "";
				c.unknown = 0;
				c.review = "";
				if (check_case(kt, text, strlen(text), &c) == -1)
					goto end;
				count++;
			}
		}
	}
	tt_uint_op(count, ==, TT_NELEM(defaults) * 6 *
	    TT_NELEM(decorations));
end:
	keyword_table_free(kt);
}

/* ---- hand-written cases ---- */

static const struct mcase join_cases[] = {
	{ "JOIN", J, "JOIN", "en", "", 0, "" },
	{ "JOIN rally", J, "JOIN", "en", "rally", 0, "" },
	{ "join RALLY!", J, "JOIN", "en", "rally", 0, "" },
	{ "Join rally-2024", J, "JOIN", "en", "rally-2024", 0, "" },
	{ "join rally_dec18 please", J, "JOIN", "en", "rally_dec18", 0, "" },
	{ "please join rally", J, "JOIN", "en", "rally", 0, "" },
	{ "join please", J, "JOIN", "en", "", 0, "" },
	{ "join please rally", J, "JOIN", "en", "rally", 0, "" },
	{ "JOIN #rally", J, "JOIN", "en", "rally", 0, "" },
	{ "JOIN rally now thanks", J, "JOIN", "en", "rally", 0, "" },
	{ "JOIN rally-", J, "JOIN", "en", "rally", 0, "" },
	{ "join Ma\xc3\xb1" "ana", J, "JOIN", "en", "manana", 0, "" },
	{ "join a", J, "JOIN", "en", "a", 0, "" },
	{ "join 2", J, "JOIN", "en", "2", 0, "" },
	{ "join abcdefghijklmnopqrstuvwxyz012345", J, "JOIN", "en",
	  "abcdefghijklmnopqrstuvwxyz012345", 0, "" },
	{ "join abcdefghijklmnopqrstuvwxyz0123456", N, "", "", "", 0, "" },
	{ "join abcdefghijklmnopqrstuvwxyz01-345", J, "JOIN", "en",
	  "abcdefghijklmnopqrstuvwxyz01-345", 0, "" },
	{ "join abcdefghijklmnopqrstuvwxyz0123-45", N, "", "", "", 0, "" },
	{ "join abcdefghijklmnopqrstuvwxyz012345-x", N, "", "", "", 0, "" },
	{ "join rally-\xe4\xb8\xad\xe6\x96\x87", N, "", "", "", 0, "" },
	{ "join rally march", N, "", "", "", 0, "" },
	{ "join rally--x", N, "", "", "", 0, "" },
	{ "join rally - x", N, "", "", "", 0, "" },
	{ "join \xe4\xb8\xad\xe6\x96\x87", N, "", "", "", 0, "" },
	{ "START", J, "START", "en", "", 0, "" },
	{ "start rally", J, "START", "en", "rally", 0, "" },
	{ "UNSTOP", J, "UNSTOP", "en", "", 0, "" },
	{ "unstop please", J, "UNSTOP", "en", "", 0, "" },
	{ "Yes!", J, "YES", "en", "", 0, "" },
	{ "yes please", J, "YES", "en", "", 0, "" },
	{ "UNIRSE marcha", J, "UNIRSE", "es", "marcha", 0, "" },
	{ "Alta por favor", J, "ALTA", "es", "", 0, "" },
	{ "SALI po", J, "SALI", "tl", "", 0, "" },
	{ "Sali rally po", J, "SALI", "tl", "rally", 0, "" },
	/* a keyword is never a list name */
	{ "join stop", N, "", "", "", 0, "STOP" },
	{ "join opt-out", N, "", "", "", 0, "OPT OUT" },
	{ "join help", N, "", "", "", 0, "" },
	{ "yes stop", N, "", "", "", 0, "STOP" },
	{ "join join", J, "JOIN", "en", "", 0, "" },
	{ "yes, join rally", J, "YES", "en", "rally", 0, "" },
	{ "join rally join", J, "JOIN", "en", "rally", 0, "" },
};

static const struct mcase stop_cases[] = {
	{ "STOP", S, "STOP", "en", "", 0, "" },
	{ "stop please", S, "STOP", "en", "", 0, "" },
	{ "please stop", S, "STOP", "en", "", 0, "" },
	{ "STOP pls", S, "STOP", "en", "", 0, "" },
	{ "stop now", S, "STOP", "en", "", 0, "" },
	{ "stop thanks", S, "STOP", "en", "", 0, "" },
	{ "stop thank you", S, "STOP", "en", "", 0, "" },
	{ "STOP \xf0\x9f\x9b\x91", S, "STOP", "en", "", 0, "" },
	{ "Stop it", S, "STOP", "en", "", 0, "" },
	{ "stop me", S, "STOP", "en", "", 0, "" },
	{ "Stop!!", S, "STOP", "en", "", 0, "" },
	{ "STOP.", S, "STOP", "en", "", 0, "" },
	{ "\xc2\xa1" "Alto!", S, "ALTO", "es", "", 0, "" },
	{ "*STOP*", S, "STOP", "en", "", 0, "" },
	{ "'stop'", S, "STOP", "en", "", 0, "" },
	{ "alto por favor", S, "ALTO", "es", "", 0, "" },
	{ "baja gracias", S, "BAJA", "es", "", 0, "" },
	{ "Baja todo", S, "BAJA", "es", "", 0, "" },
	{ "PARAR", S, "PARAR", "es", "", 0, "" },
	{ "No m\xc3\xa1s", S, "NO MAS", "es", "", 0, "" },
	{ "NO MAS!!!", S, "NO MAS", "es", "", 0, "" },
	{ "no mas por favor", S, "NO MAS", "es", "", 0, "" },
	{ "tigil po", S, "TIGIL", "tl", "", 0, "" },
	{ "hinto na po", S, "HINTO", "tl", "", 0, "" },
	{ "Tigil na!", S, "TIGIL", "tl", "", 0, "" },
	{ "salamat hinto po", S, "HINTO", "tl", "", 0, "" },
	{ "opt out", S, "OPT OUT", "en", "", 0, "" },
	{ "Opt-Out please", S, "OPT OUT", "en", "", 0, "" },
	{ "optout", S, "OPTOUT", "en", "", 0, "" },
	{ "stop all", S, "STOP", "en", "", 0, "" },
	{ "STOPALL", S, "STOPALL", "en", "", 0, "" },
	{ "STOP. STOP!", S, "STOP", "en", "", 0, "" },
	{ "stop unsubscribe", S, "STOP", "en", "", 0, "" },
	{ "Unsubscribe, stop, cancel!!", S, "UNSUBSCRIBE", "en", "", 0, "" },
	{ "stop \xf0\x9f\x98\xa1\xf0\x9f\x98\xa1", S, "STOP", "en", "", 0,
	  "" },
	{ "\xe2\x80\x9cSTOP\xe2\x80\x9d", S, "STOP", "en", "", 0, "" },
	{ "s\xe2\x80\x8btop", S, "STOP", "en", "", 0, "" },
	{ "END", S, "END", "en", "", 0, "" },
	{ "quit", S, "QUIT", "en", "", 0, "" },
	{ "revoke.", S, "REVOKE", "en", "", 0, "" },
	{ "cancel", S, "CANCEL", "en", "", 0, "" },
	{ "Cancelar por favor", S, "CANCELAR", "es", "", 0, "" },
};

static const struct mcase info_cases[] = {
	{ "INFO", I, "INFO", "en", "", 0, "" },
	{ "info?", I, "INFO", "en", "", 0, "" },
	{ "help!", I, "HELP", "en", "", 0, "" },
	{ "HELP me", I, "HELP", "en", "", 0, "" },
	{ "help please", I, "HELP", "en", "", 0, "" },
	{ "\xc2\xbf" "Ayuda?", I, "AYUDA", "es", "", 0, "" },
	{ "Ayuda por favor", I, "AYUDA", "es", "", 0, "" },
	{ "tulong po", I, "TULONG", "tl", "", 0, "" },
	{ "help help", I, "HELP", "en", "", 0, "" },
	{ "info help", I, "INFO", "en", "", 0, "" },
};

static const struct mcase lang_cases[] = {
	{ "LANG es", L, "LANG", "en", "es", 0, "" },
	{ "lang EN", L, "LANG", "en", "en", 0, "" },
	{ "Lang tl", L, "LANG", "en", "tl", 0, "" },
	{ "LANG ZH", L, "LANG", "en", "zh", 0, "" },
	{ "lang vi", L, "LANG", "en", "vi", 0, "" },
	{ "lang ht", L, "LANG", "en", "ht", 0, "" },
	{ "lang ar", L, "LANG", "en", "ar", 0, "" },
	{ "LANG english please", L, "LANG", "en", "en", 0, "" },
	{ "lang ingl\xc3\xa9s", L, "LANG", "en", "en", 0, "" },
	{ "lang Ingles", L, "LANG", "en", "en", 0, "" },
	{ "lang spanish", L, "LANG", "en", "es", 0, "" },
	{ "Idioma: Espa\xc3\xb1ol", L, "IDIOMA", "es", "es", 0, "" },
	{ "idioma espanol por favor", L, "IDIOMA", "es", "es", 0, "" },
	{ "WIKA tagalog po", L, "WIKA", "tl", "tl", 0, "" },
	{ "wika Filipino", L, "WIKA", "tl", "tl", 0, "" },
	{ "lang chinese", L, "LANG", "en", "zh", 0, "" },
	{ "lang \xe4\xb8\xad\xe6\x96\x87", L, "LANG", "en", "zh", 0, "" },
	{ "idioma \xe4\xb8\xad\xe6\x96\x87\xef\xbc\x81", L, "IDIOMA", "es",
	  "zh", 0, "" },
	{ "lang vietnamese", L, "LANG", "en", "vi", 0, "" },
	{ "Lang Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t", L, "LANG", "en", "vi", 0,
	  "" },
	{ "lang TIENG VIET", L, "LANG", "en", "vi", 0, "" },
	{ "lang kreyol", L, "LANG", "en", "ht", 0, "" },
	{ "idioma krey\xc3\xb2l", L, "IDIOMA", "es", "ht", 0, "" },
	{ "lang creole", L, "LANG", "en", "ht", 0, "" },
	{ "LANG haitian creole", L, "LANG", "en", "ht", 0, "" },
	{ "lang arabic", L, "LANG", "en", "ar", 0, "" },
	{ "LANG \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a", L, "LANG", "en", "ar", 0,
	  "" },
	{ "please lang es thanks", L, "LANG", "en", "es", 0, "" },
	/* unknown languages */
	{ "LANG fr", L, "LANG", "en", "", 1, "" },
	{ "lang french", L, "LANG", "en", "", 1, "" },
	{ "idioma portugues por favor", L, "IDIOMA", "es", "", 1, "" },
	{ "lang pt-br", L, "LANG", "en", "", 1, "" },
	{ "wika ilokano po", L, "WIKA", "tl", "", 1, "" },
	/* not LANG: no language, two languages, a sentence, a keyword */
	{ "lang", N, "", "", "", 0, "" },
	{ "LANG please", N, "", "", "", 0, "" },
	{ "ok lang", N, "", "", "", 0, "" },
	{ "salamat lang po", N, "", "", "", 0, "" },
	{ "lang naman", N, "", "", "", 0, "" },
	{ "lang es en", N, "", "", "", 0, "" },
	{ "wika ko ay tagalog", N, "", "", "", 0, "" },
	{ "lang stop", N, "", "", "", 0, "STOP" },
	{ "lang join", N, "", "", "", 0, "" },
};

/* Not keywords; the review keyword when an opt-out word is in them. */
static const struct mcase none_cases[] = {
	{ "", N, "", "", "", 0, "" },
	{ "   ", N, "", "", "", 0, "" },
	{ "!!!???", N, "", "", "", 0, "" },
	{ "\xf0\x9f\x91\x8d", N, "", "", "", 0, "" },	/* 👍 */
	{ "please", N, "", "", "", 0, "" },
	{ "ok thanks", N, "", "", "", 0, "" },
	{ "salamat po", N, "", "", "", 0, "" },
	{ "Stopping by later", N, "", "", "", 0, "" },
	{ "stops", N, "", "", "", 0, "" },
	{ "unstoppable", N, "", "", "", 0, "" },
	{ "I want to join", N, "", "", "", 0, "" },
	{ "helpful", N, "", "", "", 0, "" },
	{ "thanks for the help", N, "", "", "", 0, "" },
	{ "info about the rally?", N, "", "", "", 0, "" },
	{ "yes I'll be there", N, "", "", "", 0, "" },
	{ "start the rally at 5", N, "", "", "", 0, "" },
	{ "para por favor", N, "", "", "", 0, "" },
	{ "para", N, "", "", "", 0, "" },
	{ "nomas", N, "", "", "", 0, "" },
	{ "no", N, "", "", "", 0, "" },
	{ "where is the rally", N, "", "", "", 0, "" },
	{ "ST\xc3\x96" "PP", N, "", "", "", 0, "" },
	{ "s t o p", N, "", "", "", 0, "" },
	{ "stop2", N, "", "", "", 0, "" },
	{ "help stop", N, "", "", "", 0, "STOP" },
	{ "stop help", N, "", "", "", 0, "STOP" },
	{ "stop sending", N, "", "", "", 0, "STOP" },
	{ "end of month", N, "", "", "", 0, "END" },
	{ "the end", N, "", "", "", 0, "END" },
	{ "baja california", N, "", "", "", 0, "BAJA" },
	{ "cancel my order", N, "", "", "", 0, "CANCEL" },
	/* English */
	{ "please stop texting me", N, "", "", "", 0, "STOP" },
	{ "can we stop the rally early?", N, "", "", "", 0, "STOP" },
	{ "How do I unsubscribe from this?", N, "", "", "", 0,
	  "UNSUBSCRIBE" },
	{ "I want to opt out of these texts", N, "", "", "", 0, "OPT OUT" },
	{ "Please, please STOP sending me these!!!", N, "", "", "", 0,
	  "STOP" },
	{ "who is this? quit texting", N, "", "", "", 0, "QUIT" },
	/* Spanish */
	{ "quiero darme de baja", N, "", "", "", 0, "BAJA" },
	{ "no mas mensajes por favor", N, "", "", "", 0, "NO MAS" },
	{ "No m\xc3\xa1s mensajes, por favor", N, "", "", "", 0, "NO MAS" },
	{ "Ya no quiero recibir mensajes, cancelar mi suscripci\xc3\xb3n",
	  N, "", "", "", 0, "CANCELAR" },
	{ "por favor, \xc2\xa1" "ALTO a los mensajes!", N, "", "", "", 0,
	  "ALTO" },
	{ "\xc2\xbf" "C\xc3\xb3mo puedo parar los mensajes?", N, "", "", "",
	  0, "PARAR" },
	/* Tagalog */
	{ "tigil na po ang pagtext ninyo", N, "", "", "", 0, "TIGIL" },
	{ "Paki hinto na po ang text", N, "", "", "", 0, "HINTO" },
	{ "hinto muna kayo sa pag-text", N, "", "", "", 0, "HINTO" },
	/* whole words only */
	{ "nag-stop na ako", N, "", "", "", 0, "STOP" },
	{ "sending", N, "", "", "", 0, "" },
	{ "weekend plans", N, "", "", "", 0, "" },
	{ "removed", N, "", "", "", 0, "" },
	{ "unsubtle", N, "", "", "", 0, "" },
	/* words that ask to be let go without being keywords */
	{ "remove me", N, "", "", "", 0, "REMOVE" },
	{ "REMOVE", N, "", "", "", 0, "REMOVE" },
	{ "pls remove me from this list", N, "", "", "", 0, "REMOVE" },
	{ "unsub", N, "", "", "", 0, "UNSUB" },
	{ "Unsuscribe", N, "", "", "", 0, "UNSUSCRIBE" },
	{ "desuscribirme por favor", N, "", "", "", 0, "DESUSCRIBIRME" },
	{ "pakitigil na po", N, "", "", "", 0, "PAKITIGIL" },
	{ "itigil nyo na", N, "", "", "", 0, "ITIGIL" },
	/* an opt-out word is named before a hint */
	{ "remove me, stop texting", N, "", "", "", 0, "STOP" },
	/* stop signs, alone or anywhere */
	{ "\xf0\x9f\x9b\x91", N, "", "", "", 0, "\xf0\x9f\x9b\x91" },
	{ "\xf0\x9f\x9b\x91\xf0\x9f\x9b\x91!", N, "", "", "", 0,
	  "\xf0\x9f\x9b\x91" },
	{ "\xe2\x9b\x94", N, "", "", "", 0, "\xe2\x9b\x94" },
	{ "no more \xf0\x9f\x9a\xab", N, "", "", "", 0, "\xf0\x9f\x9a\xab" },
};

static void
test_match_join(void)
{
	struct keyword_table	*kt = keyword_table_new();

	tt_assert(kt != NULL);
	tt_int_op(check_table(kt, join_cases, TT_NELEM(join_cases)), ==, 0);
end:
	keyword_table_free(kt);
}

/* FORGET: alone, with fillers, mixed with STOP words (FORGET wins) */
static const struct mcase forget_cases[] = {
	{ "FORGET ME", F, "FORGET ME", "en", "", 0, "" },
	{ "forget me please", F, "FORGET ME", "en", "", 0, "" },
	{ "Please forget me!", F, "FORGET ME", "en", "", 0, "" },
	{ "forget-me", F, "FORGET ME", "en", "", 0, "" },
	{ "Borrar", F, "BORRAR", "es", "", 0, "" },
	{ "borrar por favor", F, "BORRAR", "es", "", 0, "" },
	{ "\xc2\xa1" "BORRAR!", F, "BORRAR", "es", "", 0, "" },
	{ "B\xc3\xb3rrar", F, "BORRAR", "es", "", 0, "" },	/* Bórrar */
	{ "burahin po", F, "BURAHIN", "tl", "", 0, "" },
	{ "Burahin na po", F, "BURAHIN", "tl", "", 0, "" },
	/* after STOP or before it: FORGET wins, it implies the opt-out */
	{ "STOP. Forget me", F, "FORGET ME", "en", "", 0, "" },
	{ "forget me, stop", F, "FORGET ME", "en", "", 0, "" },
	{ "alto borrar", F, "BORRAR", "es", "", 0, "" },
	{ "tigil burahin po", F, "BURAHIN", "tl", "", 0, "" },
	{ "stop stop", S, "STOP", "en", "", 0, "" },
	/* "forget" alone, or another word after it, is not a keyword */
	{ "forget", N, "", "", "", 0, "" },
	{ "forget it", N, "", "", "", 0, "" },
	{ "never mind, forget it", N, "", "", "", 0, "" },
	{ "forget me not", N, "", "", "", 0, "FORGET ME" },
	{ "forget me join", N, "", "", "", 0, "FORGET ME" },
	/* in a sentence: flagged for an organizer */
	{ "please forget me and my number", N, "", "", "", 0, "FORGET ME" },
	{ "quiero borrar mi numero", N, "", "", "", 0, "BORRAR" },
	{ "pakiusap burahin ang number ko", N, "", "", "", 0, "BURAHIN" },
};

static void
test_match_forget(void)
{
	struct keyword_table	*kt = keyword_table_new();

	tt_assert(kt != NULL);
	tt_int_op(check_table(kt, forget_cases, TT_NELEM(forget_cases)), ==,
	    0);
end:
	keyword_table_free(kt);
}

static void
test_match_stop(void)
{
	struct keyword_table	*kt = keyword_table_new();

	tt_assert(kt != NULL);
	tt_int_op(check_table(kt, stop_cases, TT_NELEM(stop_cases)), ==, 0);
end:
	keyword_table_free(kt);
}

static void
test_match_info(void)
{
	struct keyword_table	*kt = keyword_table_new();

	tt_assert(kt != NULL);
	tt_int_op(check_table(kt, info_cases, TT_NELEM(info_cases)), ==, 0);
end:
	keyword_table_free(kt);
}

static void
test_match_lang(void)
{
	struct keyword_table	*kt = keyword_table_new();

	tt_assert(kt != NULL);
	tt_int_op(check_table(kt, lang_cases, TT_NELEM(lang_cases)), ==, 0);
end:
	keyword_table_free(kt);
}

static void
test_match_none(void)
{
	struct keyword_table	*kt = keyword_table_new();

	tt_assert(kt != NULL);
	tt_int_op(check_table(kt, none_cases, TT_NELEM(none_cases)), ==, 0);
end:
	keyword_table_free(kt);
}

/* The filler words: each alone is nothing, around STOP is STOP, and none
 * is a list name or a language. */
static const char *const fillers[] = {
	"please", "pls", "plz", "thanks", "thank you", "thx", "now",
	"right now", "it", "me", "all", "ok", "okay", "k", "sorry", "hi",
	"hello", "por favor", "porfa", "gracias", "muchas gracias", "ya",
	"ahora", "hola", "perdon", "lo siento", "todo", "po", "ho", "opo",
	"na", "naman", "nga", "salamat", "maraming salamat", "pakiusap",
	"sige", "lahat",
};

static void
test_match_fillers(void)
{
	struct keyword_table	*kt = keyword_table_new();
	struct keyword_result	 r;
	char			 text[128];
	size_t			 i = 0;

	tt_assert(kt != NULL);
	for (i = 0; i < TT_NELEM(fillers); i++) {
		tt_int_op(keyword_match(kt, fillers[i], strlen(fillers[i]),
		    &r), ==, KEYWORD_NONE);
		tt_int_op(r.flag_review, ==, 0);
		snprintf(text, sizeof text, "%s stop %s", fillers[i],
		    fillers[i]);
		tt_int_op(keyword_match(kt, text, strlen(text), &r), ==,
		    KEYWORD_STOP);
		snprintf(text, sizeof text, "join %s", fillers[i]);
		tt_int_op(keyword_match(kt, text, strlen(text), &r), ==,
		    KEYWORD_JOIN);
		tt_str_op(r.list, ==, "");
		snprintf(text, sizeof text, "lang %s", fillers[i]);
		tt_int_op(keyword_match(kt, text, strlen(text), &r), ==,
		    KEYWORD_NONE);
	}
end:
	if (tt_failed_now)
		fprintf(stderr, "  filler \"%s\"\n", fillers[i]);
	keyword_table_free(kt);
}

/* ---- configuration ---- */

static void
test_config_add(void)
{
	struct keyword_table	*kt = keyword_table_new();
	static const struct mcase after[] = {
		{ "suscribir", J, "SUSCRIBIR", "es", "", 0, "" },
		{ "Suscribir rally por favor", J, "SUSCRIBIR", "es", "rally",
		  0, "" },
		{ "\xc3\x9anete!", J, "UNETE", "es", "", 0, "" },
		{ "unete", J, "UNETE", "es", "", 0, "" },
		{ "Basta ya", S, "BASTA", "es", "", 0, "" },
		{ "basta de mensajes", N, "", "", "", 0, "BASTA" },
		{ "\xe9\x80\x80\xe8\xae\xa2", S, "\xe9\x80\x80\xe8\xae\xa2",
		  "zh", "", 0, "" },			/* 退订 */
		{ "D\xe1\xbb\xabng l\xe1\xba\xa1i!", S, "DUNG LAI", "vi", "",
		  0, "" },				/* Dừng lại! */
		{ "xin d\xe1\xbb\xabng l\xe1\xba\xa1i tin nh\xe1\xba\xafn", N,
		  "", "", "", 0, "DUNG LAI" },
		{ "stop", S, "STOP", "en", "", 0, "" },
		{ "langue fr", L, "LANGUE", "fr", "", 1, "" },
		{ "LANGUE english", L, "LANGUE", "fr", "en", 0, "" },
		{ "Aide", I, "AIDE", "fr", "", 0, "" },
	};
	const char	*err = NULL;

	tt_assert(kt != NULL);
	tt_int_op(keyword_add(kt, KEYWORD_JOIN, "SUSCRIBIR", "es", &err), ==,
	    0);
	tt_int_op(keyword_add(kt, KEYWORD_JOIN, "\xc3\x9anete", "ES", &err),
	    ==, 0);
	tt_int_op(keyword_add(kt, KEYWORD_STOP, "Basta", "es", &err), ==, 0);
	tt_int_op(keyword_add(kt, KEYWORD_STOP, "\xe9\x80\x80\xe8\xae\xa2",
	    "zh", &err), ==, 0);
	tt_int_op(keyword_add(kt, KEYWORD_STOP,
	    "d\xe1\xbb\xabng l\xe1\xba\xa1i", "vi", &err), ==, 0);
	tt_int_op(keyword_add(kt, KEYWORD_LANG, "LANGUE", "fra", &err), ==, 0);
	tt_int_op(keyword_add(kt, KEYWORD_LANG, "LANGUE", "fr", &err), ==, 0);
	tt_int_op(keyword_add(kt, KEYWORD_INFO, "aide", "fr", &err), ==, 0);
	/* again, same family: no duplicate, no error */
	tt_int_op(keyword_add(kt, KEYWORD_JOIN, "suscribir!", "es", &err), ==,
	    0);
	tt_int_op(check_table(kt, after, TT_NELEM(after)), ==, 0);
end:
	keyword_table_free(kt);
}

/*
 * A word without a language ("join = BASTA" in the configuration) implies
 * none: the reply goes in the member's language.  A word already known
 * keeps its own.
 */
static void
test_config_nolang(void)
{
	struct keyword_table	*kt = keyword_table_new();
	struct keyword_result	 r;
	const char		*err = NULL;

	tt_assert(kt != NULL);
	tt_int_op(keyword_add(kt, KEYWORD_JOIN, "BASTA", NULL, &err), ==, 0);
	tt_int_op(keyword_match(kt, "basta!", 6, &r), ==, KEYWORD_JOIN);
	tt_str_op(r.keyword, ==, "BASTA");
	tt_str_op(r.lang, ==, "");
	tt_int_op(keyword_add(kt, KEYWORD_JOIN, "unirse", NULL, &err), ==, 0);
	tt_int_op(keyword_match(kt, "UNIRSE", 6, &r), ==, KEYWORD_JOIN);
	tt_str_op(r.lang, ==, "es");
	/* and with one, it has it */
	tt_int_op(keyword_add(kt, KEYWORD_JOIN, "BASTA", "tl", &err), ==, 0);
	tt_int_op(keyword_match(kt, "Basta", 5, &r), ==, KEYWORD_JOIN);
	tt_str_op(r.lang, ==, "tl");
	/* another family's word: refused as with a language */
	tt_int_op(keyword_add(kt, KEYWORD_JOIN, "STOP", NULL, &err), ==, -1);
	tt_str_op(err, ==, "word is a keyword of another family");
end:
	keyword_table_free(kt);
}

static void
test_config_errors(void)
{
	struct keyword_table	*kt = keyword_table_new();
	static const struct {
		enum keyword_action	 fam;
		const char		*word, *lang, *err;
	} bad[] = {
		{ S, "JOIN", "en", "word is a keyword of another family" },
		{ J, "stop!", "en", "word is a keyword of another family" },
		{ I, "opt-out", "en", "word is a keyword of another family" },
		{ J, "please", "en", "keyword is a filler word" },
		{ S, "Thank You", "en", "keyword is a filler word" },
		{ J, "!!!", "en", "keyword has no letters or digits" },
		{ J, "", "en", "keyword has no letters or digits" },
		{ J, NULL, "en", "keyword has no letters or digits" },
		{ J, "one two three four five", "en",
		  "keyword has too many words" },
		{ J, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
		  "en", "keyword too long" },
		{ J, "word", "e", "language code is not 2 or 3 letters" },
		{ J, "word", "engl", "language code is not 2 or 3 letters" },
		{ J, "word", "e1", "language code is not 2 or 3 letters" },
		{ J, "word", "", "language code is not 2 or 3 letters" },
		{ N, "word", "en", "unknown keyword family" },
		{ (enum keyword_action)9, "word", "en",
		  "unknown keyword family" },
	};
	const char	*err;
	char		 w[16];
	size_t		 i;
	int		 rc;

	tt_assert(kt != NULL);
	for (i = 0; i < TT_NELEM(bad); i++) {
		err = NULL;
		tt_int_op(keyword_add(kt, bad[i].fam, bad[i].word, bad[i].lang,
		    &err), ==, -1);
		tt_str_op(err, ==, bad[i].err);
	}
	/* four words is the most */
	tt_int_op(keyword_add(kt, J, "one two three four", "en", &err), ==, 0);
	/* fill the table */
	for (i = 0; i < KEYWORD_TABLE_MAX; i++) {
		snprintf(w, sizeof w, "word%zu", i);
		if ((rc = keyword_add(kt, KEYWORD_INFO, w, "en", &err)) == -1)
			break;
	}
	tt_int_op(rc, ==, -1);
	tt_str_op(err, ==, "keyword table full");
	/* 33 defaults + "one two three four" + the words that fitted */
	tt_uint_op(i, ==, KEYWORD_TABLE_MAX - 34);
end:
	keyword_table_free(kt);
}

static void
test_config_replace(void)
{
	struct keyword_table		*kt = keyword_table_new();
	static const struct keyword_word join_words[] = {
		{ "SUBSCRIBE", "en" }, { "SUSCRIBIR", "es" },
	};
	static const struct keyword_word bad_words[] = {
		{ "ENTRAR", "es" }, { "cancel", "en" },
	};
	static const struct keyword_word stop_words[] = {
		{ "PARE", "pt" },
	};
	static const struct mcase after[] = {
		{ "join", N, "", "", "", 0, "" },
		{ "join rally", N, "", "", "", 0, "" },
		{ "yes", N, "", "", "", 0, "" },
		{ "subscribe rally", J, "SUBSCRIBE", "en", "rally", 0, "" },
		{ "suscribir", J, "SUSCRIBIR", "es", "", 0, "" },
		{ "stop please", S, "STOP", "en", "", 0, "" },
		{ "entrar", N, "", "", "", 0, "" },
	};
	static const struct mcase after_stop[] = {
		{ "stop", N, "", "", "", 0, "" },
		{ "stop sending", N, "", "", "", 0, "" },
		{ "pare", S, "PARE", "pt", "", 0, "" },
		{ "pare de enviar", N, "", "", "", 0, "PARE" },
		{ "subscribe", J, "SUBSCRIBE", "en", "", 0, "" },
	};
	const char	*err;

	tt_assert(kt != NULL);
	tt_int_op(keyword_replace(kt, KEYWORD_JOIN, join_words,
	    TT_NELEM(join_words), &err), ==, 0);
	tt_int_op(check_table(kt, after, TT_NELEM(after)), ==, 0);
	/* all or nothing */
	err = NULL;
	tt_int_op(keyword_replace(kt, KEYWORD_JOIN, bad_words,
	    TT_NELEM(bad_words), &err), ==, -1);
	tt_str_op(err, ==, "word is a keyword of another family");
	tt_int_op(check_table(kt, after, TT_NELEM(after)), ==, 0);
	err = NULL;
	tt_int_op(keyword_replace(kt, KEYWORD_JOIN, join_words, 0, &err), ==,
	    -1);
	tt_str_op(err, ==, "a keyword family needs at least one word");
	tt_int_op(check_table(kt, after, TT_NELEM(after)), ==, 0);
	/* the STOP family also decides what is flagged for review */
	tt_int_op(keyword_replace(kt, KEYWORD_STOP, stop_words,
	    TT_NELEM(stop_words), &err), ==, 0);
	tt_int_op(check_table(kt, after_stop, TT_NELEM(after_stop)), ==, 0);
end:
	keyword_table_free(kt);
}

/* ---- hostile input ---- */

static void
test_input_invalid(void)
{
	struct keyword_table	*kt = keyword_table_new();
	static const struct mcase cases[] = {
		{ "\xff\xfeSTOP\xc0", S, "STOP", "en", "", 0, "" },
		{ "STOP\xe2\x82", S, "STOP", "en", "", 0, "" },
		{ "\xed\xa0\x80stop", S, "STOP", "en", "", 0, "" },
		{ "\xc0\xafstop\xc0\xaf", S, "STOP", "en", "", 0, "" },
		{ "\xf4\x90\x80\x80help", I, "HELP", "en", "", 0, "" },
		{ "join\x80rally", J, "JOIN", "en", "rally", 0, "" },
		{ "ST\x80OP", N, "", "", "", 0, "" },
		{ "\x80\x81\x82\x83", N, "", "", "", 0, "" },
		{ "stop\xff sending", N, "", "", "", 0, "STOP" },
	};
	struct mcase	 c = { "", S, "STOP", "en", "", 0, "" };
	struct mcase	 none = { "", N, "", "", "", 0, "" };

	tt_assert(kt != NULL);
	tt_int_op(check_table(kt, cases, TT_NELEM(cases)), ==, 0);
	/* NUL bytes are punctuation too */
	tt_int_op(check_case(kt, "STOP\0\0", 6, &c), ==, 0);
	tt_int_op(check_case(kt, "\0STOP", 5, &c), ==, 0);
	tt_int_op(check_case(kt, "\0\0\0", 3, &none), ==, 0);
	tt_int_op(check_case(kt, NULL, 10, &none), ==, 0);
	tt_int_op(check_case(NULL, "STOP", 4, &none), ==, 0);
end:
	keyword_table_free(kt);
}

/* A flag for a hint or a sign says so (a poll answer may be one). */
static void
test_review_hint(void)
{
	struct keyword_table	*kt = keyword_table_new();
	struct keyword_result	 r;

	tt_assert(kt != NULL);
	keyword_match(kt, "remove", 6, &r);
	tt_int_op(r.flag_review, ==, 1);
	tt_int_op(r.review_hint, ==, 1);
	keyword_match(kt, "\xe2\x9b\x94", 3, &r);
	tt_int_op(r.review_hint, ==, 1);
	keyword_match(kt, "remove me, stop texting", 23, &r);
	tt_int_op(r.flag_review, ==, 1);
	tt_int_op(r.review_hint, ==, 0);
	keyword_match(kt, "please stop texting", 19, &r);
	tt_int_op(r.review_hint, ==, 0);
	keyword_match(kt, "STOP", 4, &r);
	tt_int_op(r.flag_review, ==, 0);
	tt_int_op(r.review_hint, ==, 0);
end:
	keyword_table_free(kt);
}

static void
test_input_long(void)
{
	struct keyword_table	*kt = keyword_table_new();
	struct mcase		 stop = { "", S, "STOP", "en", "", 0, "" };
	struct mcase		 flag = { "", N, "", "", "", 0, "STOP" };
	struct mcase		 unsub = { "", N, "", "", "", 0,
				    "UNSUBSCRIBE" };
	struct mcase		 none = { "", N, "", "", "", 0, "" };
	struct mcase		 sign = { "", N, "", "", "", 0,
				    "\xf0\x9f\x9b\x91" };
	size_t			 big = 1 << 20, i, len;
	char			*buf = malloc(big + 64);

	tt_assert(kt != NULL && buf != NULL);
	/* KEYWORD_TEXT_MAX bytes can be a keyword, one more cannot */
	memset(buf, ' ', KEYWORD_TEXT_MAX + 1);
	memcpy(buf, "STOP", 4);
	tt_int_op(check_case(kt, buf, KEYWORD_TEXT_MAX, &stop), ==, 0);
	tt_int_op(check_case(kt, buf, KEYWORD_TEXT_MAX + 1, &flag), ==, 0);
	memcpy(buf + KEYWORD_TEXT_MAX + 1 - 4, "STOP", 4);
	tt_int_op(check_case(kt, buf + 4, KEYWORD_TEXT_MAX + 1 - 4, &stop),
	    ==, 0);
	/* 32 words can be a keyword, 33 cannot */
	len = 0;
	len += (size_t)sprintf(buf + len, "stop");
	for (i = 0; i < 31; i++)
		len += (size_t)sprintf(buf + len, " please");
	tt_int_op(check_case(kt, buf, len, &stop), ==, 0);
	len += (size_t)sprintf(buf + len, " please");
	tt_int_op(check_case(kt, buf, len, &flag), ==, 0);
	/* a word of more than 64 bytes matches nothing */
	len = (size_t)sprintf(buf, "stop");
	memset(buf + len, 'p', 100);
	len += 100;
	tt_int_op(check_case(kt, buf, len, &none), ==, 0);
	len += (size_t)sprintf(buf + len, " stop");
	tt_int_op(check_case(kt, buf, len, &flag), ==, 0);
	/* a megabyte: reviewed to the end, in linear time */
	for (i = 0; i + 2 <= big; i += 2)
		memcpy(buf + i, "a ", 2);
	memcpy(buf + big, "unsubscribe", 11);
	tt_int_op(check_case(kt, buf, big + 11, &unsub), ==, 0);
	for (i = 0; i + 9 <= big; i += 9)
		memcpy(buf + i, "stopping ", 9);
	tt_int_op(check_case(kt, buf, i, &none), ==, 0);
	/* a megabyte of invalid bytes and emoji (thumbs up) */
	for (i = 0; i + 4 <= big; i += 4)
		memcpy(buf + i, i % 8 ? "\xf0\x9f\x91\x8d" : "\xff\xfe\xc0\x80",
		    4);
	tt_int_op(check_case(kt, buf, i, &none), ==, 0);
	/* ... and a stop sign at its end: found */
	memcpy(buf + i, "\xf0\x9f\x9b\x91", 4);
	tt_int_op(check_case(kt, buf, i + 4, &sign), ==, 0);
	/* one huge word */
	memset(buf, 'x', big);
	tt_int_op(check_case(kt, buf, big, &none), ==, 0);
end:
	free(buf);
	keyword_table_free(kt);
}

/* Whatever the bytes, the result is well formed. */
static void
test_input_random(void)
{
	static const char *const pieces[] = {
		"stop", "STOP", "join", "rally", "lang", "es", "please", "po",
		"no", "mas", "opt", "out", "-", "_", " ", "!", "\xc3\xa1",
		"\xf0\x9f\x9b\x91", "\xff", "\xe2\x82", "\xcc\x81", "\0",
		"\xe4\xb8\xad\xe6\x96\x87", "idioma", "help", "baja", "end",
	};
	static const char *const codes[] = {
		"", "en", "es", "tl", "zh", "vi", "ht", "ar",
	};
	struct keyword_table	*kt = keyword_table_new();
	struct keyword_result	 r;
	char			 text[512], norm[600], again[600];
	unsigned		 seed = tt_seed();
	size_t			 len, n, m, i, k, ncp, errpos;
	uint32_t		 cp[600];
	int			 iter = 0, ok;

	tt_assert(kt != NULL);
	srand(seed);
	for (iter = 0; iter < 20000; iter++) {
		len = 0;
		n = (size_t)rand() % 24;
		for (i = 0; i < n; i++) {
			if (rand() % 4 == 0) {
				text[len++] = (char)(rand() % 256);
				continue;
			}
			k = (size_t)rand() % TT_NELEM(pieces);
			m = pieces[k][0] == '\0' ? 1 : strlen(pieces[k]);
			memcpy(text + len, pieces[k], m);
			len += m;
		}
		keyword_match(kt, text, len, &r);
		tt_assert(r.action <= KEYWORD_FORGET);
		tt_assert(memchr(r.keyword, '\0', sizeof r.keyword) != NULL);
		tt_assert(memchr(r.list, '\0', sizeof r.list) != NULL);
		tt_assert(memchr(r.review_keyword, '\0',
		    sizeof r.review_keyword) != NULL);
		if (r.action == KEYWORD_NONE)
			tt_str_op(r.keyword, ==, "");
		else {
			tt_assert(r.keyword[0] != '\0');
			tt_int_op(r.flag_review, ==, 0);
		}
		tt_int_op(r.flag_review, ==, r.review_keyword[0] != '\0');
		for (i = 0; r.list[i] != '\0'; i++)
			tt_assert(strchr("abcdefghijklmnopqrstuvwxyz"
			    "0123456789-_", r.list[i]) != NULL);
		for (ok = 0, i = 0; i < TT_NELEM(codes); i++)
			ok |= strcmp(r.lang_code, codes[i]) == 0;
		tt_assert(ok);
		if (r.lang_unknown)
			tt_assert(r.action == KEYWORD_LANG &&
			    r.lang_code[0] == '\0');
		/* normalization: valid UTF-8, single spaces, idempotent */
		n = keyword_normalize(text, len, norm, sizeof norm);
		tt_uint_op(n, ==, strlen(norm));
		tt_int_op(utf8_decode(norm, n, cp, TT_NELEM(cp), &ncp,
		    &errpos), ==, 0);
		if (n > 0)
			tt_assert(norm[0] != ' ' && norm[n - 1] != ' ');
		tt_assert(strstr(norm, "  ") == NULL);
		m = keyword_normalize(norm, n, again, sizeof again);
		tt_uint_op(m, ==, n);
		tt_str_op(again, ==, norm);
	}
end:
	if (tt_failed_now)
		fprintf(stderr, "  seed %u iteration %d\n", seed, iter);
	keyword_table_free(kt);
}


/* ---- polls -------------------------------------------------------------- */

static void
test_poll_options(void)
{
	static const struct {
		const char	*spec;
		const char	*want;	/* options joined with '|', or the error */
	} cases[] = {
		{ "SAFE,HELP", "SAFE|HELP" },
		{ " safe , Help ", "SAFE|HELP" },
		{ "Sí,No", "SI|NO" },
		{ "1,2,3", "1|2|3" },
		{ "yes,no", "YES|NO" },		/* JOIN word: allowed */
		{ "ok", "OK" },			/* a filler: allowed */
		{ "a,b,c,d,e,f,g,h,i,j", "A|B|C|D|E|F|G|H|I|J" },
		{ "a,b,c,d,e,f,g,h,i,j,k", "a poll has at most 10 options" },
		{ "", "a poll needs at least one option" },
		{ "  ", "a poll needs at least one option" },
		{ "SAFE,,HELP", "an option is empty" },
		{ "SAFE,", "an option is empty" },
		{ "SAFE,!!", "an option is empty" },
		{ "NOT SAFE,SAFE", "option NOT SAFE is not one word" },
		{ "safe,SAFE", "option SAFE is given twice" },
		{ "safe,sáfe", "option SAFE is given twice" },
		{ "SAFE,STOP", "option STOP is an opt-out word: a member who "
		  "texts it is unsubscribed, it can never be an answer" },
		{ "alto,baja", "option ALTO is an opt-out word: a member who "
		  "texts it is unsubscribed, it can never be an answer" },
		{ "SAFE,BORRAR", "option BORRAR is a forget word: a member who "
		  "texts it is deleted, it can never be an answer" },
		{ "burahin", "option BURAHIN is a forget word: a member who "
		  "texts it is deleted, it can never be an answer" },
		{ "abcdefghijklmnop", "option abcdefghijklmnop is too long (at "
		  "most 15 letters)" },
		{ "abcdefghijklmno", "ABCDEFGHIJKLMNO" },
	};
	struct keyword_table	*kt = keyword_table_new();
	char			 out[KEYWORD_OPTIONS_MAX][KEYWORD_OPTION_MAX];
	char			 got[256], err[128];
	size_t			 i, j, n;

	tt_assert(kt != NULL);
	for (i = 0; i < TT_NELEM(cases); i++) {
		got[0] = '\0';
		if (keyword_poll_options(kt, cases[i].spec, out, &n, err,
		    sizeof err) == -1)
			snprintf(got, sizeof got, "%s", err);
		else {
			for (j = 0; j < n; j++) {
				strcat(got, j ? "|" : "");
				strcat(got, out[j]);
			}
		}
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "  spec \"%s\"\n", cases[i].spec);
		tt_str_op(got, ==, cases[i].want);
	}
	/* a configured opt-out word is refused too */
	tt_int_op(keyword_add(kt, KEYWORD_STOP, "BASTA", "es", &(const char *){
	    NULL }), ==, 0);
	tt_int_op(keyword_poll_options(kt, "SI,BASTA", out, &n, err,
	    sizeof err), ==, -1);
	tt_int_op(keyword_poll_options(NULL, "SI,BASTA", out, &n, err,
	    sizeof err), ==, 0);
	/* and a configured forget word */
	tt_int_op(keyword_add(kt, KEYWORD_FORGET, "OLVIDAME", "es",
	    &(const char *){ NULL }), ==, 0);
	tt_int_op(keyword_poll_options(kt, "SI,Olvídame", out, &n, err,
	    sizeof err), ==, -1);
	tt_str_op(err, ==, "option OLVIDAME is a forget word: a member who "
	    "texts it is deleted, it can never be an answer");
end:
	keyword_table_free(kt);
}

static void
test_poll_pick(void)
{
	static const char opts[][KEYWORD_OPTION_MAX] = { "SAFE", "HELP",
	    "SI" };
	char		err[128];
	unsigned	mask = 99;

	tt_int_op(keyword_poll_pick(opts, 3, "HELP", &mask, err, sizeof err),
	    ==, 0);
	tt_int_op(mask, ==, 2);
	tt_int_op(keyword_poll_pick(opts, 3, "help, Sí", &mask, err,
	    sizeof err), ==, 0);
	tt_int_op(mask, ==, 6);
	tt_int_op(keyword_poll_pick(opts, 3, "", &mask, err, sizeof err), ==,
	    0);
	tt_int_op(mask, ==, 0);
	tt_int_op(keyword_poll_pick(opts, 3, "HELPP", &mask, err, sizeof err),
	    ==, -1);
	tt_str_op(err, ==, "HELPP is not an option of the poll");
	tt_int_op(keyword_poll_pick(opts, 3, "SAFE,", &mask, err, sizeof err),
	    ==, -1);
	tt_str_op(err, ==, "an option is empty");
end:
	;
}

static void
test_poll_match(void)
{
	static const char opts[][KEYWORD_OPTION_MAX] = { "SAFE", "HELP",
	    "OK", "1" };
	static const struct {
		const char	*text;
		int		 want;
	} cases[] = {
		{ "SAFE", 0 },
		{ "safe", 0 },
		{ "Safe!", 0 },
		{ "  safe. ", 0 },
		{ "s\xc3\xa1" "fe", 0 },		/* sáfe */
		{ "\xef\xbc\xb3\xef\xbc\xa1\xef\xbc\xa6\xef\xbc\xa5", 0 },
							/* fullwidth SAFE */
		{ "safe po", 0 },
		{ "Safe po, salamat!", 0 },
		{ "SAFE, thank you", 0 },
		{ "safe safe", 0 },
		{ "hi, safe na kami", -1 },		/* "kami" */
		{ "safe \xf0\x9f\x99\x8f", 0 },		/* 🙏 */
		{ "HELP", 1 },
		{ "help po", 1 },
		{ "please help!!", 1 },
		{ "Help, por favor", 1 },
		{ "ok", 2 },				/* option over filler */
		{ "ok po", 2 },
		{ "ok safe", -1 },			/* two options */
		{ "1", 3 },
		{ "1.", 3 },
		{ "safe help", -1 },
		{ "I am safe", -1 },
		{ "safer", -1 },
		{ "unsafe", -1 },
		{ "po", -1 },				/* fillers alone */
		{ "", -1 },
		{ "stop", -1 },
	};
	size_t	i;
	int	got;

	for (i = 0; i < TT_NELEM(cases); i++) {
		got = keyword_poll_match(opts, 4, cases[i].text,
		    strlen(cases[i].text));
		if (got != cases[i].want)
			fprintf(stderr, "  text \"%s\"\n", cases[i].text);
		tt_int_op(got, ==, cases[i].want);
	}
	tt_int_op(keyword_poll_match(opts, 4, NULL, 0), ==, -1);
	tt_int_op(keyword_poll_match(opts, 0, "safe", 4), ==, -1);
end:
	;
}
static void
test_action_name(void)
{
	tt_str_op(keyword_action_name(KEYWORD_NONE), ==, "NONE");
	tt_str_op(keyword_action_name(KEYWORD_JOIN), ==, "JOIN");
	tt_str_op(keyword_action_name(KEYWORD_STOP), ==, "STOP");
	tt_str_op(keyword_action_name(KEYWORD_INFO), ==, "INFO");
	tt_str_op(keyword_action_name(KEYWORD_LANG), ==, "LANG");
	tt_str_op(keyword_action_name(KEYWORD_FORGET), ==, "FORGET");
	tt_str_op(keyword_action_name((enum keyword_action)7), ==, "?");
	keyword_table_free(NULL);
end:
	;
}

static const struct tt_case cases[] = {
	{ "normalize/table", test_normalize_table },
	{ "normalize/truncate", test_normalize_truncate },
	{ "normalize/latin", test_normalize_latin },
	{ "match/defaults", test_match_defaults },
	{ "match/join", test_match_join },
	{ "match/stop", test_match_stop },
	{ "match/forget", test_match_forget },
	{ "match/info", test_match_info },
	{ "match/lang", test_match_lang },
	{ "match/none", test_match_none },
	{ "match/fillers", test_match_fillers },
	{ "config/add", test_config_add },
	{ "config/nolang", test_config_nolang },
	{ "config/errors", test_config_errors },
	{ "config/replace", test_config_replace },
	{ "input/invalid", test_input_invalid },
	{ "input/long", test_input_long },
	{ "review/hint", test_review_hint },
	{ "input/random", test_input_random },
	{ "poll/options", test_poll_options },
	{ "poll/pick", test_poll_pick },
	{ "poll/match", test_poll_match },
	{ "action/name", test_action_name },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
