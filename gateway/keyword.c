/*
 * gateway/keyword.c — the keyword engine (PRODUCT.md "What it must do"
 * 1-3): JOIN, STOP, INFO, LANG and FORGET words in English, Spanish and
 * Tagalog.
 *
 * A text is cut into words after normalization (keyword_normalize: case,
 * accents, punctuation, symbols, emoji and invalid UTF-8 do not count).
 * It is a keyword when its words are, in order:
 *
 *	filler*  KEYWORD  filler*	STOP, INFO, FORGET (and JOIN, LANG)
 *	filler*  JOIN-word  filler*  LIST  filler*
 *	filler*  LANG-word  filler*  LANGUAGE  filler*
 *
 * Fillers are the polite words people wrap a keyword in ("please",
 * "thank you", "por favor", "gracias", "po", "na", "salamat", "ok",
 * "sorry" ...); they are never keywords, list names or languages.
 * Choices, all in favour of honouring an opt-out and of never acting on
 * a sentence:
 * - at any position a keyword wins over a filler, so a word added to a
 *   family cannot be swallowed as filler (and keyword_add refuses words
 *   that are exactly a filler);
 * - after a STOP, INFO or JOIN word, further words of the same family
 *   count as filler: "STOP. STOP!", "stop unsubscribe" are STOP, "yes
 *   join rally" joins rally;
 * - STOP and FORGET words mix, and FORGET wins: "STOP. Forget me" and
 *   "borrar, alto" forget (a FORGET implies the opt-out);
 * - any other word makes the text not a keyword: "stop sending",
 *   "help stop", "join stop" (a keyword is never a list name);
 * - a LIST is one word of ASCII letters and digits, possibly joined by
 *   single '-' or '_' ("join rally-2024"), at most 32 bytes, lowercased;
 *   whether that list exists is the daemon's business ("yes sir" asks
 *   for the list "sir");
 * - a LANGUAGE is a code or name from keyword_langs[]; one other word
 *   ("LANG fr") gives LANG with lang_unknown so the daemon can answer with
 *   help; a LANG word alone is not a keyword, because "lang" is also the
 *   Tagalog for "only" ("ok lang" = "it's fine");
 * - a text longer than KEYWORD_TEXT_MAX bytes or of more than
 *   KEYWORD_MATCH_WORDS words is never a keyword;
 * - a text that is not a keyword but contains a STOP or FORGET keyword as
 *   whole words anywhere ("please stop texting me", "quiero darme de
 *   baja") is flagged for review, however long it is; so is one with a
 *   word that asks to be let go without being a keyword ("remove me",
 *   "unsub": keyword_hints) or a stop sign (keyword_signs).
 * Matching makes one pass over the text, with work per word bounded by
 * the table size: linear time, no allocation.  Only keyword_table_new()
 * and keyword_replace() (a scratch copy, for all-or-nothing) allocate.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyword.h"
#include "translit.h"
#include "utf8.h"

#define KEYWORD_TOK_MAX		64	/* bytes of a word; longer ones
					   match nothing */
#define KEYWORD_MATCH_WORDS	32	/* words of a text that can be a
					   keyword */
#define KEYWORD_BAD_CP		0xffffffffu	/* an invalid byte */

enum keyword_class {
	KEYWORD_C_SEP,		/* punctuation, space, symbol: ends a word */
	KEYWORD_C_SKIP,		/* invisible (zero width, combining mark) */
	KEYWORD_C_WORD		/* letter or digit */
};

struct keyword_entry {
	enum keyword_action	 family;
	char			 norm[KEYWORD_WORD_MAX];	/* "opt out" */
	char			 canon[KEYWORD_WORD_MAX];	/* "OPT OUT" */
	char			 lang[KEYWORD_LANG_MAX + 1];
	size_t			 nwords;
};

struct keyword_table {
	struct keyword_entry	 e[KEYWORD_TABLE_MAX];
	size_t			 n;
};

/* One normalized word of a text. */
struct keyword_tok {
	char	 s[KEYWORD_TOK_MAX];
	size_t	 len;
	int	 toolong;
	char	 joiner;	/* '-' or '_' glued it to the word before */
};

struct keyword_scan {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	size_t		 nwords;
	uint32_t	 sign;		/* a stop sign met (keyword_sign) */
};

/*
 * Words that are no keyword but ask to be let go: a text with one of
 * them is flagged for review like one containing an opt-out word.
 * Normalized (lowercase, no accents).  Never keywords themselves: the
 * families are as PRODUCT.md lists them, configurable.
 */
static const char *const keyword_hints[] = {
	"remove",		/* "remove me", "pls remove" */
	"unsub",
	"unsuscribe",		/* a common misspelling */
	"desuscribir", "desuscribirme", "desuscribanme",	/* es */
	"itigil", "pakitigil", "tigilan",	/* tl: "stop (it)" */
};

/* Symbols that mean stop: a text holding one is flagged for review. */
static const uint32_t keyword_signs[] = {
	0x1f6d1,	/* OCTAGONAL SIGN */
	0x26d4,		/* NO ENTRY */
	0x1f6ab,	/* NO ENTRY SIGN */
};

/* The defaults, PRODUCT.md "What it must do" 1-3, plus the LANG words. */
static const struct {
	enum keyword_action	 family;
	const char		*word;
	const char		*lang;
} keyword_defaults[] = {
	{ KEYWORD_JOIN, "JOIN", "en" },
	{ KEYWORD_JOIN, "START", "en" },
	{ KEYWORD_JOIN, "UNSTOP", "en" },
	{ KEYWORD_JOIN, "YES", "en" },
	{ KEYWORD_JOIN, "UNIRSE", "es" },
	{ KEYWORD_JOIN, "ALTA", "es" },
	{ KEYWORD_JOIN, "SALI", "tl" },
	{ KEYWORD_STOP, "STOP", "en" },
	{ KEYWORD_STOP, "STOPALL", "en" },
	{ KEYWORD_STOP, "UNSUBSCRIBE", "en" },
	{ KEYWORD_STOP, "CANCEL", "en" },
	{ KEYWORD_STOP, "END", "en" },
	{ KEYWORD_STOP, "QUIT", "en" },
	{ KEYWORD_STOP, "REVOKE", "en" },
	{ KEYWORD_STOP, "OPTOUT", "en" },
	{ KEYWORD_STOP, "OPT OUT", "en" },
	{ KEYWORD_STOP, "ALTO", "es" },
	{ KEYWORD_STOP, "BAJA", "es" },
	{ KEYWORD_STOP, "CANCELAR", "es" },
	{ KEYWORD_STOP, "PARAR", "es" },
	{ KEYWORD_STOP, "NO MAS", "es" },
	{ KEYWORD_STOP, "TIGIL", "tl" },
	{ KEYWORD_STOP, "HINTO", "tl" },
	{ KEYWORD_INFO, "INFO", "en" },
	{ KEYWORD_INFO, "HELP", "en" },
	{ KEYWORD_INFO, "AYUDA", "es" },
	{ KEYWORD_INFO, "TULONG", "tl" },
	{ KEYWORD_LANG, "LANG", "en" },
	{ KEYWORD_LANG, "IDIOMA", "es" },
	{ KEYWORD_LANG, "WIKA", "tl" },
	{ KEYWORD_FORGET, "FORGET ME", "en" },
	{ KEYWORD_FORGET, "BORRAR", "es" },
	{ KEYWORD_FORGET, "BURAHIN", "tl" },
};

/*
 * Polite words around a keyword, normalized.  None may be a keyword, a
 * list name or a language (the unit test checks the defaults).  "all",
 * "todo", "lahat" make "stop all", "baja todo" plain opt-outs; the
 * Tagalog particles (po, na, naman, nga, din...) go anywhere in a phrase.
 */
static const char *const keyword_fillers[] = {
	/* English */
	"please", "pls", "plz", "plse", "pleas", "thanks", "thank you",
	"thankyou", "thanx", "thx", "ty", "tnx", "now", "right now", "asap",
	"it", "me", "all", "ok", "okay", "okey", "k", "kk", "sorry", "hi",
	"hello", "hey",
	/* Spanish */
	"por favor", "porfavor", "porfa", "xfa", "x favor", "favor",
	"gracias", "muchas gracias", "ya", "ahora", "ahorita", "vale",
	"perdon", "lo siento", "hola", "todo", "todos",
	/* Tagalog */
	"po", "ho", "opo", "na", "naman", "nga", "din", "rin", "salamat",
	"maraming salamat", "pakiusap", "paki", "lahat", "sige",
};

/* Language names and codes, normalized, and the code they stand for. */
static const struct {
	const char	*name;
	const char	*code;
} keyword_langs[] = {
	{ "en", "en" }, { "eng", "en" }, { "english", "en" },
	{ "ingles", "en" },
	{ "es", "es" }, { "spa", "es" }, { "esp", "es" }, { "spanish", "es" },
	{ "espanol", "es" }, { "castellano", "es" },
	{ "tl", "tl" }, { "tgl", "tl" }, { "fil", "tl" }, { "tagalog", "tl" },
	{ "filipino", "tl" }, { "pilipino", "tl" },
	{ "zh", "zh" }, { "zho", "zh" }, { "chi", "zh" }, { "chinese", "zh" },
	{ "mandarin", "zh" }, { "\xe4\xb8\xad\xe6\x96\x87", "zh" },	/* 中文 */
	{ "\xe6\xb1\x89\xe8\xaf\xad", "zh" },				/* 汉语 */
	{ "\xe6\xbc\xa2\xe8\xaa\x9e", "zh" },				/* 漢語 */
	{ "\xe5\x8d\x8e\xe8\xaf\xad", "zh" },				/* 华语 */
	{ "\xe8\x8f\xaf\xe8\xaa\x9e", "zh" },				/* 華語 */
	{ "vi", "vi" }, { "vie", "vi" }, { "vietnamese", "vi" },
	{ "tieng viet", "vi" }, { "tiengviet", "vi" },
	{ "ht", "ht" }, { "hat", "ht" }, { "kreyol", "ht" }, { "kreol", "ht" },
	{ "creole", "ht" }, { "haitian", "ht" }, { "haitian creole", "ht" },
	{ "kreyol ayisyen", "ht" },
	{ "ar", "ar" }, { "ara", "ar" }, { "arabic", "ar" }, { "arabe", "ar" },
	{ "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a", "ar" },			/* عربي */
	{ "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x89", "ar" },			/* عربى */
	/* العربية */
	{ "\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9", "ar" },
};

/*
 * Latin letters of the GSM 7-bit default alphabet (3GPP TS 23.038
 * §6.2.1), which translit_strip_accent leaves alone on purpose because
 * they can be sent as they are.  Sorted.
 */
static const struct {
	uint32_t	 cp;
	const char	*to;
} keyword_gsm_latin[] = {
	{ 0x00C4, "a" }, { 0x00C5, "a" }, { 0x00C6, "ae" },	/* Ä Å Æ */
	{ 0x00C7, "c" }, { 0x00C9, "e" }, { 0x00D1, "n" },	/* Ç É Ñ */
	{ 0x00D6, "o" }, { 0x00D8, "o" }, { 0x00DC, "u" },	/* Ö Ø Ü */
	{ 0x00DF, "ss" }, { 0x00E0, "a" }, { 0x00E4, "a" },	/* ß à ä */
	{ 0x00E5, "a" }, { 0x00E6, "ae" }, { 0x00E8, "e" },	/* å æ è */
	{ 0x00E9, "e" }, { 0x00EC, "i" }, { 0x00F1, "n" },	/* é ì ñ */
	{ 0x00F2, "o" }, { 0x00F6, "o" }, { 0x00F8, "o" },	/* ò ö ø */
	{ 0x00F9, "u" }, { 0x00FC, "u" },			/* ù ü */
};

#define KEYWORD_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct keyword_range {
	uint32_t	 lo, hi;
};

/* Ranges of code points that are not letters or digits. */
static const struct keyword_range keyword_sep_ranges[] = {
	{ 0x0080, 0x00BF },	/* C1 controls, Latin-1 punctuation */
	{ 0x00D7, 0x00D7 }, { 0x00F7, 0x00F7 },		/* × ÷ */
	{ 0x037E, 0x037E }, { 0x0387, 0x0387 },		/* Greek ; · */
	{ 0x055A, 0x055F }, { 0x0589, 0x058A },		/* Armenian */
	{ 0x05BE, 0x05BE }, { 0x05C0, 0x05C0 }, { 0x05C3, 0x05C3 },
	{ 0x05C6, 0x05C6 }, { 0x05F3, 0x05F4 },		/* Hebrew */
	{ 0x0600, 0x060F }, { 0x061B, 0x061F },		/* Arabic ، ؛ ؟ */
	{ 0x066A, 0x066D }, { 0x06D4, 0x06D4 }, { 0x06DD, 0x06DE },
	{ 0x0964, 0x0965 }, { 0x0970, 0x0970 },		/* Devanagari */
	{ 0x0E3F, 0x0E3F }, { 0x0E4F, 0x0E4F }, { 0x0E5A, 0x0E5B },
	{ 0x10FB, 0x10FB }, { 0x1360, 0x1368 }, { 0x166D, 0x166E },
	{ 0x1680, 0x1680 }, { 0x169B, 0x169C }, { 0x16EB, 0x16ED },
	{ 0x17D4, 0x17DA }, { 0x1800, 0x180A },
	{ 0x2000, 0x2BFF },	/* punctuation, symbols, arrows, shapes */
	{ 0x2E00, 0x2E7F },	/* supplemental punctuation */
	{ 0x3000, 0x3004 }, { 0x3008, 0x3020 }, { 0x3030, 0x3030 },
	{ 0x303D, 0x303F }, { 0x30FB, 0x30FB },		/* CJK punctuation */
	{ 0xE000, 0xF8FF },	/* private use */
	{ 0xFD3E, 0xFD3F }, { 0xFE10, 0xFE6F },
	{ 0xFF00, 0xFF00 }, { 0xFF5F, 0xFF65 }, { 0xFFE0, 0xFFFF },
	{ 0x1D000, 0x1FFFF },	/* musical, mathematical, emoji */
	{ 0xE0000, 0xE007F },	/* tags (flag sequences) */
	{ 0xF0000, 0x10FFFF },	/* private use planes */
};

/* Invisible: removed without ending a word. */
static const struct keyword_range keyword_skip_ranges[] = {
	{ 0x00AD, 0x00AD },	/* soft hyphen */
	{ 0x0640, 0x0640 },	/* Arabic tatweel */
	{ 0x064B, 0x065F },	/* Arabic harakat */
	{ 0x0670, 0x0670 },
	{ 0x180B, 0x180E },	/* Mongolian variation selectors */
	{ 0x200B, 0x200F },	/* zero width space, (non-)joiner, marks */
	{ 0x202A, 0x202E },	/* bidi embeddings */
	{ 0x2060, 0x2064 },	/* word joiner, invisible operators */
	{ 0x2066, 0x206F },	/* bidi isolates */
	{ 0xFE00, 0xFE0F },	/* variation selectors (emoji) */
	{ 0xFEFF, 0xFEFF },	/* byte order mark */
	{ 0xE0100, 0xE01EF },	/* variation selectors supplement */
};

static int
keyword_in_ranges(uint32_t cp, const struct keyword_range *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (cp >= r[i].lo && cp <= r[i].hi)
			return 1;
	}
	return 0;
}

/* Simple case folding of the cased scripts translit does not cover. */
static uint32_t
keyword_lower(uint32_t cp)
{
	if (cp >= 0x0391 && cp <= 0x03A9 && cp != 0x03A2)	/* Greek */
		return cp + 0x20;
	if (cp == 0x03C2)		/* final sigma folds to sigma */
		return 0x03C3;
	if (cp >= 0x0410 && cp <= 0x042F)	/* Cyrillic А..Я */
		return cp + 0x20;
	if (cp >= 0x0400 && cp <= 0x040F)	/* Cyrillic Ѐ..Џ */
		return cp + 0x50;
	if (cp >= 0x0531 && cp <= 0x0556)	/* Armenian */
		return cp + 0x30;
	return cp;
}

static const char *
keyword_gsm_find(uint32_t cp)
{
	size_t	lo = 0, hi = KEYWORD_NELEM(keyword_gsm_latin), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (keyword_gsm_latin[mid].cp == cp)
			return keyword_gsm_latin[mid].to;
		if (keyword_gsm_latin[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
keyword_is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/*
 * Classify cp and, for a letter or digit, write its folded UTF-8 into out
 * (at most 4 bytes) and the length into *outlen.
 */
static enum keyword_class
keyword_fold(uint32_t cp, char *out, size_t *outlen)
{
	const char	*t;
	size_t		 i, n;
	int		 c;

	*outlen = 0;
	if (cp == KEYWORD_BAD_CP)
		return KEYWORD_C_SEP;
	if (cp >= 0xFF01 && cp <= 0xFF5E)	/* fullwidth ASCII */
		cp -= 0xFEE0;
	if (cp < 0x80) {
		c = (int)cp;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!keyword_is_alnum(c))
			return KEYWORD_C_SEP;
		out[0] = (char)c;
		*outlen = 1;
		return KEYWORD_C_WORD;
	}
	if (keyword_in_ranges(cp, keyword_skip_ranges,
	    KEYWORD_NELEM(keyword_skip_ranges)))
		return KEYWORD_C_SKIP;
	if (keyword_in_ranges(cp, keyword_sep_ranges,
	    KEYWORD_NELEM(keyword_sep_ranges)))
		return KEYWORD_C_SEP;
	if ((t = keyword_gsm_find(cp)) == NULL)
		t = translit_fold(cp);
	if (t != NULL) {
		/* keep letters only: ŉ is "'n" */
		for (i = n = 0; t[i] != '\0' && n < 4; i++) {
			c = (unsigned char)t[i];
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (keyword_is_alnum(c))
				out[n++] = (char)c;
		}
		*outlen = n;
		return n > 0 ? KEYWORD_C_WORD : KEYWORD_C_SKIP;
	}
	*outlen = utf8_encode(keyword_lower(cp), out);
	return KEYWORD_C_WORD;
}

/*
 * The code point at *pos, advancing *pos; an invalid or truncated
 * sequence gives KEYWORD_BAD_CP and advances one byte, so the bytes
 * after it are looked at again.
 */
static uint32_t
keyword_next_cp(const char *s, size_t len, size_t *pos)
{
	unsigned char	c = (unsigned char)s[*pos];
	uint32_t	cp;
	size_t		need, n, errpos;

	if (c < 0x80) {
		(*pos)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 4;
	else
		need = 0;
	if (need == 0 || len - *pos < need ||
	    utf8_decode(s + *pos, need, &cp, 1, &n, &errpos) == -1 || n != 1) {
		(*pos)++;
		return KEYWORD_BAD_CP;
	}
	*pos += need;
	return cp;
}

static void
keyword_scan_init(struct keyword_scan *sc, const char *s, size_t len)
{
	sc->s = s;
	sc->len = s == NULL ? 0 : len;
	sc->pos = 0;
	sc->nwords = 0;
	sc->sign = 0;
}

static void
keyword_sign(struct keyword_scan *sc, uint32_t cp)
{
	size_t	i;

	if (sc->sign != 0 || cp < 0x2000)
		return;
	for (i = 0; i < KEYWORD_NELEM(keyword_signs); i++)
		if (cp == keyword_signs[i])
			sc->sign = cp;
}

/* A normalized word in canonical form: "opt out" -> "OPT OUT". */
static void
keyword_upper(const char *norm, char *canon, size_t len)
{
	size_t	i;

	for (i = 0; norm[i] != '\0' && i + 1 < len; i++)
		canon[i] = (char)(norm[i] >= 'a' && norm[i] <= 'z' ?
		    norm[i] - 'a' + 'A' : norm[i]);
	canon[i] = '\0';
}

/* The hint a word is, canonical ("REMOVE"), or NULL. */
static const char *
keyword_hint(const struct keyword_tok *t, char *canon, size_t len)
{
	size_t	i;

	if (t->toolong)
		return NULL;
	for (i = 0; i < KEYWORD_NELEM(keyword_hints); i++)
		if (strcmp(t->s, keyword_hints[i]) == 0) {
			keyword_upper(t->s, canon, len);
			return canon;
		}
	return NULL;
}

/* The next word of the text into *t; 0 at the end. */
static int
keyword_scan_next(struct keyword_scan *sc, struct keyword_tok *t)
{
	enum keyword_class	 k;
	uint32_t		 cp, sepcp = 0;
	size_t			 n, nsep = 0, save;
	char			 buf[4];
	int			 started = 0;

	t->len = 0;
	t->toolong = 0;
	t->joiner = 0;
	while (sc->pos < sc->len) {
		save = sc->pos;
		cp = keyword_next_cp(sc->s, sc->len, &sc->pos);
		k = keyword_fold(cp, buf, &n);
		if (k == KEYWORD_C_SKIP)
			continue;
		if (k == KEYWORD_C_SEP) {
			keyword_sign(sc, cp);
			if (started) {
				/* left for the next word's joiner test */
				sc->pos = save;
				break;
			}
			nsep++;
			sepcp = cp;
			continue;
		}
		if (!started) {
			started = 1;
			if (sc->nwords > 0 && nsep == 1 &&
			    (sepcp == '-' || sepcp == '_'))
				t->joiner = (char)sepcp;
		}
		if (t->toolong || t->len + n >= sizeof t->s)
			t->toolong = 1;
		else {
			memcpy(t->s + t->len, buf, n);
			t->len += n;
		}
	}
	t->s[t->len] = '\0';
	if (!started)
		return 0;
	sc->nwords++;
	return 1;
}

static void
keyword_put(char *out, size_t outlen, size_t *written, size_t *total,
    int *full, const char *s, size_t n)
{
	if (!*full) {
		if (outlen > 0 && *written + n <= outlen - 1) {
			memcpy(out + *written, s, n);
			*written += n;
		} else
			*full = 1;
	}
	*total += n;
}

size_t
keyword_normalize(const char *in, size_t len, char *out, size_t outlen)
{
	enum keyword_class	 k;
	size_t			 pos = 0, written = 0, total = 0, n;
	char			 buf[4];
	int			 space = 0, full = 0;
	uint32_t		 cp;

	if (in == NULL)
		len = 0;
	while (pos < len) {
		cp = keyword_next_cp(in, len, &pos);
		k = keyword_fold(cp, buf, &n);
		if (k == KEYWORD_C_SKIP)
			continue;
		if (k == KEYWORD_C_SEP) {
			space = total > 0;
			continue;
		}
		if (space)
			keyword_put(out, outlen, &written, &total, &full, " ", 1);
		space = 0;
		keyword_put(out, outlen, &written, &total, &full, buf, n);
	}
	/* truncated after a space: do not end with it */
	if (written > 0 && out[written - 1] == ' ')
		written--;
	if (outlen > 0)
		out[written] = '\0';
	return total;
}

/*
 * Match the words of phrase (normalized, single spaces) against t[0],
 * t[1]...: the number of words if all matched, else 0.
 */
static size_t
keyword_phrase_at(const char *phrase, const struct keyword_tok *t, size_t nt)
{
	const char	*p = phrase, *sp;
	size_t		 i = 0, wl;

	while (*p != '\0') {
		if (i == nt)
			return 0;
		if ((sp = strchr(p, ' ')) == NULL)
			wl = strlen(p);
		else
			wl = (size_t)(sp - p);
		if (t[i].toolong || t[i].len != wl ||
		    memcmp(t[i].s, p, wl) != 0)
			return 0;
		i++;
		p += wl;
		if (*p == ' ')
			p++;
	}
	return i;
}

/* The longest filler at t: its number of words, or 0. */
static size_t
keyword_filler_at(const struct keyword_tok *t, size_t nt)
{
	size_t	i, k, best = 0;

	for (i = 0; i < KEYWORD_NELEM(keyword_fillers); i++) {
		k = keyword_phrase_at(keyword_fillers[i], t, nt);
		if (k > best)
			best = k;
	}
	return best;
}

/* The longest keyword at t, its number of words in *k; or NULL. */
static const struct keyword_entry *
keyword_find(const struct keyword_table *kt, const struct keyword_tok *t,
    size_t nt, size_t *k)
{
	const struct keyword_entry	*best = NULL;
	size_t				 i, m;

	*k = 0;
	for (i = 0; i < kt->n; i++) {
		m = keyword_phrase_at(kt->e[i].norm, t, nt);
		if (m > *k) {
			*k = m;
			best = &kt->e[i];
		}
	}
	return best;
}

/*
 * The number of leading words of t that are fillers or, unless fam is
 * KEYWORD_NONE, keywords of family fam ("STOP. STOP!").
 */
static size_t
keyword_skip(const struct keyword_table *kt, enum keyword_action fam,
    const struct keyword_tok *t, size_t nt)
{
	const struct keyword_entry	*e;
	size_t				 i = 0, k;

	while (i < nt) {
		if ((k = keyword_filler_at(t + i, nt - i)) == 0 &&
		    fam != KEYWORD_NONE) {
			e = keyword_find(kt, t + i, nt - i, &k);
			if (e == NULL || e->family != fam)
				k = 0;
		}
		if (k == 0)
			break;
		i += k;
	}
	return i;
}

/* A word and the words glued to it by '-' or '_': the count. */
static size_t
keyword_glued(const struct keyword_tok *t, size_t nt)
{
	size_t	j = 1;

	while (j < nt && t[j].joiner != 0)
		j++;
	return j;
}

/* The words after a JOIN word: 0 and out (maybe ""), or -1. */
static int
keyword_parse_join(const struct keyword_table *kt,
    const struct keyword_tok *t, size_t nt, char *out)
{
	char	list[KEYWORD_LIST_MAX + 1];
	size_t	i, j, k, m, len = 0;

	i = keyword_skip(kt, KEYWORD_JOIN, t, nt);
	if (i < nt) {
		j = keyword_glued(t + i, nt - i);
		if (keyword_find(kt, t + i, j, &k) != NULL && k == j)
			return -1;		/* "join stop" is not a list */
		for (m = i; m < i + j; m++) {
			if (t[m].toolong)
				return -1;
			if (m > i) {
				if (len == KEYWORD_LIST_MAX)
					return -1;
				list[len++] = t[m].joiner;
			}
			for (k = 0; k < t[m].len; k++) {
				if (!keyword_is_alnum((unsigned char)t[m].s[k])
				    || len == KEYWORD_LIST_MAX)
					return -1;
				list[len++] = t[m].s[k];
			}
		}
		i += j;
		if (keyword_skip(kt, KEYWORD_JOIN, t + i, nt - i) != nt - i)
			return -1;
	}
	memcpy(out, list, len);
	out[len] = '\0';
	return 0;
}

/* The words after a LANG word: 0 and r->lang_code or lang_unknown, or -1. */
static int
keyword_parse_lang(const struct keyword_table *kt,
    const struct keyword_tok *t, size_t nt, struct keyword_result *r)
{
	const char	*code = NULL;
	size_t		 i, j = 0, k, n;

	i = keyword_skip(kt, KEYWORD_NONE, t, nt);
	if (i == nt)
		return -1;		/* "ok lang" */
	for (n = 0; n < KEYWORD_NELEM(keyword_langs); n++) {
		k = keyword_phrase_at(keyword_langs[n].name, t + i, nt - i);
		if (k > j) {
			j = k;
			code = keyword_langs[n].code;
		}
	}
	if (code == NULL) {
		j = keyword_glued(t + i, nt - i);
		if (keyword_find(kt, t + i, j, &k) != NULL && k == j)
			return -1;
	}
	if (keyword_skip(kt, KEYWORD_NONE, t + i + j, nt - i - j) !=
	    nt - i - j)
		return -1;
	if (code == NULL)
		r->lang_unknown = 1;
	else
		strcpy(r->lang_code, code);
	return 0;
}

/*
 * After an opt-out word: fillers and more opt-out words only.  A FORGET
 * word among STOP words wins ("STOP. Forget me", "borrar, alto"): it
 * implies the opt-out.  The entry that decides, or NULL.
 */
static const struct keyword_entry *
keyword_parse_optout(const struct keyword_table *kt,
    const struct keyword_entry *e, const struct keyword_tok *t, size_t nt)
{
	const struct keyword_entry	*w;
	size_t				 i = 0, k;

	while (i < nt) {
		if ((w = keyword_find(kt, t + i, nt - i, &k)) != NULL &&
		    (w->family == KEYWORD_STOP ||
		    w->family == KEYWORD_FORGET)) {
			if (w->family == KEYWORD_FORGET &&
			    e->family == KEYWORD_STOP)
				e = w;
		} else if ((k = keyword_filler_at(t + i, nt - i)) == 0)
			return NULL;
		i += k;
	}
	return e;
}

/* Whether the last words of a text end with an opt-out (STOP or FORGET)
 * word: the entry. */
static const struct keyword_entry *
keyword_review_at(const struct keyword_table *kt,
    const struct keyword_tok *win, size_t nwin)
{
	const struct keyword_entry	*e;
	size_t				 i;

	for (i = 0; i < kt->n; i++) {
		e = &kt->e[i];
		if ((e->family != KEYWORD_STOP &&
		    e->family != KEYWORD_FORGET) || e->nwords > nwin)
			continue;
		if (keyword_phrase_at(e->norm, win + nwin - e->nwords,
		    e->nwords) == e->nwords)
			return e;
	}
	return NULL;
}

static void
keyword_parse(const struct keyword_table *kt, const struct keyword_tok *t,
    size_t nt, struct keyword_result *r)
{
	const struct keyword_entry	*e;
	size_t				 i = 0, k;

	/* leading fillers; at each word a keyword wins over a filler */
	for (;;) {
		if (i == nt)
			return;
		if ((e = keyword_find(kt, t + i, nt - i, &k)) != NULL)
			break;
		if ((k = keyword_filler_at(t + i, nt - i)) == 0)
			return;
		i += k;
	}
	i += k;
	switch (e->family) {
	case KEYWORD_JOIN:
		if (keyword_parse_join(kt, t + i, nt - i, r->list) == -1)
			return;
		break;
	case KEYWORD_LANG:
		if (keyword_parse_lang(kt, t + i, nt - i, r) == -1) {
			r->lang_code[0] = '\0';
			r->lang_unknown = 0;
			return;
		}
		break;
	case KEYWORD_STOP:
	case KEYWORD_FORGET:
		if ((e = keyword_parse_optout(kt, e, t + i, nt - i)) == NULL)
			return;
		break;
	default:
		if (keyword_skip(kt, e->family, t + i, nt - i) != nt - i)
			return;
		break;
	}
	r->action = e->family;
	memcpy(r->keyword, e->canon, sizeof r->keyword);
	memcpy(r->lang, e->lang, sizeof r->lang);
}

enum keyword_action
keyword_match(const struct keyword_table *kt, const char *text, size_t len,
    struct keyword_result *r)
{
	static const struct keyword_tok	 zero;
	struct keyword_tok		 toks[KEYWORD_MATCH_WORDS];
	struct keyword_tok		 win[KEYWORD_WORDS_MAX], t = zero;
	const struct keyword_entry	*review = NULL;
	struct keyword_scan		 sc;
	size_t				 ntok = 0, nwin = 0;
	int				 can = 1;
	char				 hint[KEYWORD_WORD_MAX] = "";

	memset(r, 0, sizeof *r);
	if (kt == NULL)
		return KEYWORD_NONE;
	if (text == NULL)
		len = 0;
	if (len > KEYWORD_TEXT_MAX)
		can = 0;
	keyword_scan_init(&sc, text, len);
	while (keyword_scan_next(&sc, &t)) {
		if (review == NULL) {
			if (nwin == KEYWORD_WORDS_MAX) {
				memmove(win, win + 1, (nwin - 1) * sizeof *win);
				nwin--;
			}
			win[nwin++] = t;
			review = keyword_review_at(kt, win, nwin);
		}
		if (hint[0] == '\0')
			(void)keyword_hint(&t, hint, sizeof hint);
		if (can) {
			if (ntok < KEYWORD_MATCH_WORDS)
				toks[ntok++] = t;
			else
				can = 0;
		}
		if (!can && review != NULL)
			break;		/* nothing more to learn */
	}
	if (can && ntok > 0)
		keyword_parse(kt, toks, ntok, r);
	if (r->action != KEYWORD_NONE)
		return r->action;
	if (review != NULL) {
		r->flag_review = 1;
		memcpy(r->review_keyword, review->canon,
		    sizeof r->review_keyword);
	} else if (hint[0] != '\0') {
		r->flag_review = 1;
		r->review_hint = 1;
		memcpy(r->review_keyword, hint, sizeof r->review_keyword);
	} else {
		/* the rest of a long text: a stop sign anywhere */
		while (sc.sign == 0 && keyword_scan_next(&sc, &t))
			;
		if (sc.sign != 0 &&
		    sizeof r->review_keyword > 4) {
			r->flag_review = 1;
			r->review_hint = 1;
			r->review_keyword[utf8_encode(sc.sign,
			    r->review_keyword)] = '\0';
		}
	}
	return r->action;
}

/* Build an entry from a word: 0, or -1 and *errstr. */
static int
keyword_entry_make(enum keyword_action fam, const char *word,
    const char *lang, struct keyword_entry *e, const char **errstr)
{
	struct keyword_tok	 t[KEYWORD_WORDS_MAX + 1];
	struct keyword_scan	 sc;
	size_t			 i, n, len;

	memset(e, 0, sizeof *e);
	if (fam != KEYWORD_JOIN && fam != KEYWORD_STOP &&
	    fam != KEYWORD_INFO && fam != KEYWORD_LANG &&
	    fam != KEYWORD_FORGET) {
		*errstr = "unknown keyword family";
		return -1;
	}
	/* no language: the word implies none ("" in the result) */
	len = lang != NULL ? strlen(lang) : 0;
	if (lang != NULL && (len < 2 || len > KEYWORD_LANG_MAX)) {
		*errstr = "language code is not 2 or 3 letters";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (lang[i] >= 'a' && lang[i] <= 'z')
			e->lang[i] = lang[i];
		else if (lang[i] >= 'A' && lang[i] <= 'Z')
			e->lang[i] = (char)(lang[i] - 'A' + 'a');
		else {
			*errstr = "language code is not 2 or 3 letters";
			return -1;
		}
	}
	if (word == NULL ||
	    (len = keyword_normalize(word, strlen(word), e->norm,
	    sizeof e->norm)) == 0) {
		*errstr = "keyword has no letters or digits";
		return -1;
	}
	if (len >= sizeof e->norm) {
		*errstr = "keyword too long";
		return -1;
	}
	keyword_scan_init(&sc, e->norm, len);
	for (n = 0; n <= KEYWORD_WORDS_MAX && keyword_scan_next(&sc, &t[n]);)
		n++;
	if (n > KEYWORD_WORDS_MAX) {
		*errstr = "keyword has too many words";
		return -1;
	}
	for (i = 0; i < KEYWORD_NELEM(keyword_fillers); i++) {
		if (keyword_phrase_at(keyword_fillers[i], t, n) == n) {
			*errstr = "keyword is a filler word";
			return -1;
		}
	}
	e->family = fam;
	e->nwords = n;
	keyword_upper(e->norm, e->canon, sizeof e->canon);
	return 0;
}

int
keyword_add(struct keyword_table *kt, enum keyword_action fam,
    const char *word, const char *lang, const char **errstr)
{
	struct keyword_entry	e;
	size_t			i;

	if (keyword_entry_make(fam, word, lang, &e, errstr) == -1)
		return -1;
	for (i = 0; i < kt->n; i++) {
		if (strcmp(kt->e[i].norm, e.norm) != 0)
			continue;
		if (kt->e[i].family != fam) {
			*errstr = "word is a keyword of another family";
			return -1;
		}
		if (lang != NULL)	/* else it keeps the one it has */
			memcpy(kt->e[i].lang, e.lang, sizeof e.lang);
		return 0;
	}
	if (kt->n == KEYWORD_TABLE_MAX) {
		*errstr = "keyword table full";
		return -1;
	}
	kt->e[kt->n++] = e;
	return 0;
}

int
keyword_replace(struct keyword_table *kt, enum keyword_action fam,
    const struct keyword_word *words, size_t n, const char **errstr)
{
	struct keyword_table	*tmp;
	size_t			 i, j;

	if (n == 0 || words == NULL) {
		*errstr = "a keyword family needs at least one word";
		return -1;
	}
	if ((tmp = malloc(sizeof *tmp)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	for (i = j = 0; i < kt->n; i++) {
		if (kt->e[i].family != fam)
			tmp->e[j++] = kt->e[i];
	}
	tmp->n = j;
	for (i = 0; i < n; i++) {
		if (keyword_add(tmp, fam, words[i].word, words[i].lang,
		    errstr) == -1) {
			free(tmp);
			return -1;
		}
	}
	memcpy(kt, tmp, sizeof *kt);
	free(tmp);
	return 0;
}

struct keyword_table *
keyword_table_new(void)
{
	struct keyword_table	*kt;
	const char		*errstr;
	size_t			 i;

	if ((kt = calloc(1, sizeof *kt)) == NULL)
		return NULL;
	for (i = 0; i < KEYWORD_NELEM(keyword_defaults); i++) {
		if (keyword_add(kt, keyword_defaults[i].family,
		    keyword_defaults[i].word, keyword_defaults[i].lang,
		    &errstr) == -1) {
			free(kt);	/* the defaults are wrong */
			return NULL;
		}
	}
	return kt;
}

void
keyword_table_free(struct keyword_table *kt)
{
	free(kt);
}


/* ---- polls -------------------------------------------------------------- */

/*
 * One option (len bytes of s), normalized into norm: 0, or -1 with a
 * message in err.
 */
static int
keyword_option_norm(const char *s, size_t len, char *norm, size_t normlen,
    char *err, size_t errlen)
{
	struct keyword_scan	sc;
	struct keyword_tok	t;
	size_t			n, words = 0;

	n = keyword_normalize(s, len, norm, normlen);
	if (n == 0) {
		snprintf(err, errlen, "an option is empty");
		return -1;
	}
	if (n >= normlen) {
		snprintf(err, errlen, "option %.*s is too long (at most %d "
		    "letters)", (int)(len > 40 ? 40 : len), s,
		    KEYWORD_OPTION_MAX - 1);
		return -1;
	}
	keyword_scan_init(&sc, norm, n);
	while (keyword_scan_next(&sc, &t))
		words++;
	if (words != 1) {
		snprintf(err, errlen, "option %.*s is not one word",
		    (int)(len > 40 ? 40 : len), s);
		return -1;
	}
	return 0;
}

int
keyword_poll_options(const struct keyword_table *kt, const char *spec,
    char out[][KEYWORD_OPTION_MAX], size_t *n, char *err, size_t errlen)
{
	char		 norm[KEYWORD_OPTIONS_MAX][KEYWORD_OPTION_MAX];
	const char	*p = spec, *q;
	size_t		 i, j, len;

	*n = 0;
	if (spec == NULL || spec[strspn(spec, " \t")] == '\0') {
		snprintf(err, errlen, "a poll needs at least one option");
		return -1;
	}
	for (;;) {
		q = strchr(p, ',');
		len = q != NULL ? (size_t)(q - p) : strlen(p);
		if (*n == KEYWORD_OPTIONS_MAX) {
			snprintf(err, errlen, "a poll has at most %d options",
			    KEYWORD_OPTIONS_MAX);
			return -1;
		}
		if (keyword_option_norm(p, len, norm[*n], sizeof norm[*n], err,
		    errlen) == -1)
			return -1;
		for (i = 0; i < *n; i++) {
			if (strcmp(norm[i], norm[*n]) == 0) {
				snprintf(err, errlen, "option %s is given twice",
				    out[i]);
				return -1;
			}
		}
		for (i = 0; kt != NULL && i < kt->n; i++) {
			if (strcmp(kt->e[i].norm, norm[*n]) != 0)
				continue;
			if (kt->e[i].family == KEYWORD_STOP) {
				snprintf(err, errlen, "option %s is an opt-out "
				    "word: a member who texts it is "
				    "unsubscribed, it can never be an answer",
				    kt->e[i].canon);
				return -1;
			}
			if (kt->e[i].family == KEYWORD_FORGET) {
				snprintf(err, errlen, "option %s is a forget "
				    "word: a member who texts it is deleted, "
				    "it can never be an answer",
				    kt->e[i].canon);
				return -1;
			}
		}
		for (j = 0; norm[*n][j] != '\0'; j++) {
			out[*n][j] = norm[*n][j];
			if (norm[*n][j] >= 'a' && norm[*n][j] <= 'z')
				out[*n][j] = (char)(norm[*n][j] - 'a' + 'A');
		}
		out[*n][j] = '\0';
		(*n)++;
		if (q == NULL)
			break;
		p = q + 1;
	}
	return 0;
}

int
keyword_poll_pick(const char opts[][KEYWORD_OPTION_MAX], size_t nopts,
    const char *spec, unsigned *mask, char *err, size_t errlen)
{
	char		 norm[KEYWORD_OPTION_MAX], o[KEYWORD_OPTION_MAX];
	const char	*p = spec, *q;
	size_t		 i, len;

	*mask = 0;
	if (spec == NULL || spec[strspn(spec, " \t")] == '\0')
		return 0;
	for (;;) {
		q = strchr(p, ',');
		len = q != NULL ? (size_t)(q - p) : strlen(p);
		if (keyword_option_norm(p, len, norm, sizeof norm, err,
		    errlen) == -1)
			return -1;
		for (i = 0; i < nopts; i++) {
			keyword_normalize(opts[i], strlen(opts[i]), o, sizeof o);
			if (strcmp(o, norm) == 0)
				break;
		}
		if (i == nopts) {
			snprintf(err, errlen, "%.*s is not an option of the "
			    "poll", (int)(len > 40 ? 40 : len), p);
			return -1;
		}
		*mask |= 1u << i;
		if (q == NULL)
			break;
		p = q + 1;
	}
	return 0;
}

int
keyword_poll_match(const char opts[][KEYWORD_OPTION_MAX], size_t nopts,
    const char *text, size_t len)
{
	char			 norm[KEYWORD_OPTIONS_MAX][KEYWORD_OPTION_MAX];
	struct keyword_tok	 toks[KEYWORD_MATCH_WORDS];
	struct keyword_scan	 sc;
	size_t			 i, k, ntok = 0;
	int			 found = -1, at;

	if (text == NULL || len > KEYWORD_TEXT_MAX || nopts == 0)
		return -1;
	if (nopts > KEYWORD_OPTIONS_MAX)
		nopts = KEYWORD_OPTIONS_MAX;
	for (i = 0; i < nopts; i++)
		keyword_normalize(opts[i], strlen(opts[i]), norm[i],
		    sizeof norm[i]);
	keyword_scan_init(&sc, text, len);
	while (ntok < KEYWORD_MATCH_WORDS && keyword_scan_next(&sc, &toks[ntok]))
		ntok++;
	if (ntok == KEYWORD_MATCH_WORDS && sc.pos < sc.len) {
		struct keyword_tok more;
		if (keyword_scan_next(&sc, &more))
			return -1;	/* a long text is no answer */
	}
	for (i = 0; i < ntok;) {
		/* at each word an option wins over a filler */
		for (at = -1, k = 0; k < nopts && at == -1; k++) {
			if (!toks[i].toolong && strcmp(toks[i].s, norm[k]) == 0)
				at = (int)k;
		}
		if (at >= 0) {
			if (found >= 0 && found != at)
				return -1;	/* "safe help" */
			found = at;
			i++;
			continue;
		}
		if ((k = keyword_filler_at(toks + i, ntok - i)) == 0)
			return -1;
		i += k;
	}
	return found;
}
const char *
keyword_action_name(enum keyword_action a)
{
	switch (a) {
	case KEYWORD_NONE:
		return "NONE";
	case KEYWORD_JOIN:
		return "JOIN";
	case KEYWORD_STOP:
		return "STOP";
	case KEYWORD_INFO:
		return "INFO";
	case KEYWORD_LANG:
		return "LANG";
	case KEYWORD_FORGET:
		return "FORGET";
	}
	return "?";
}
