/*
 * gateway/keyword.h — the keyword engine: what an inbound text asks for.
 *
 * Pure: no I/O, no clock, no logging.  keyword_table_new() allocates the
 * table once (malloc, about 40 KB) and keyword_replace() a scratch copy
 * for the time of the call; matching allocates nothing, uses a few KB of
 * stack and works in time linear in the length of the text.
 *
 * A text is a keyword when, after normalization (case, accents,
 * punctuation, symbols and emoji ignored), it is one keyword of the table
 * plus polite filler words around it ("stop please", "¡Alto!", "tigil na
 * po").  JOIN words take an optional list name ("JOIN rally"), LANG words
 * a language ("IDIOMA español").  Anything else is not a keyword; if it
 * contains a STOP- or FORGET-family word as a whole word it is flagged
 * for review by an organizer ("please stop texting me").  FORGET words
 * ("FORGET ME", "BORRAR", "BURAHIN") ask for the number to be deleted,
 * which implies STOP.  See keyword.c for the rules.
 */
#ifndef KEYWORD_H
#define KEYWORD_H

#include <stddef.h>

/* What a text asks for; JOIN..FORGET are also the keyword families. */
enum keyword_action {
	KEYWORD_NONE = 0,	/* not a keyword: an inbox message */
	KEYWORD_JOIN = 1,	/* subscribe (to list, or the default list) */
	KEYWORD_STOP = 2,	/* opt out of everything */
	KEYWORD_INFO = 3,	/* help */
	KEYWORD_LANG = 4,	/* set the subscriber's language */
	KEYWORD_FORGET = 5	/* opt out and delete every trace of the
				 * number (implies STOP) */
};

#define KEYWORD_WORD_MAX	48	/* a keyword, normalized, with NUL */
#define KEYWORD_WORDS_MAX	4	/* words in one keyword ("opt out") */
#define KEYWORD_LIST_MAX	32	/* list name, bytes */
#define KEYWORD_LANG_MAX	3	/* language code, bytes */
#define KEYWORD_TEXT_MAX	2000	/* longer texts are never keywords */
#define KEYWORD_TABLE_MAX	256	/* words in one table */

struct keyword_result {
	enum keyword_action	 action;
	/* canonical keyword matched, uppercase ("STOP", "NO MAS"), or "" */
	char			 keyword[KEYWORD_WORD_MAX];
	/* language the keyword implies ("en", "es", "tl"), or "" */
	char			 lang[KEYWORD_LANG_MAX + 1];
	/* JOIN: list name, lowercase; "" for the default list */
	char			 list[KEYWORD_LIST_MAX + 1];
	/* LANG: the language asked for ("vi"), or "" when lang_unknown */
	char			 lang_code[KEYWORD_LANG_MAX + 1];
	int			 lang_unknown;	/* LANG with an unknown language */
	/*
	 * NONE only: the text contains an opt-out word (a STOP- or
	 * FORGET-family keyword as a whole word), else a word that asks to
	 * be let go ("remove"), else a stop sign: an organizer must look at
	 * it.  review_keyword is the first such word, canonical ("REMOVE"),
	 * or the sign (UTF-8).
	 */
	int			 flag_review;
	int			 review_hint;	/* flagged by a hint or a
						 * sign, no opt-out word */
	char			 review_keyword[KEYWORD_WORD_MAX];
};

struct keyword_table;

/* A table holding the default keywords (PRODUCT.md); NULL if out of
 * memory. */
struct keyword_table	*keyword_table_new(void);
void			 keyword_table_free(struct keyword_table *);

/* One word of a family and the language it implies. */
struct keyword_word {
	const char	*word;
	const char	*lang;
};

/*
 * Add word to a family, implying language lang (2 or 3 ASCII letters), or
 * none when lang is NULL (the reply then goes in the member's language, or
 * the default one).  The word is normalized as texts are ("Únete" ==
 * "unete"); adding a word already in the family updates its language (not
 * when lang is NULL: it keeps its own).  Returns 0, or -1 and *errstr
 * (the word is empty or too long, is a filler word, belongs to another
 * family, the language code is bad, the table is full).
 */
int	 keyword_add(struct keyword_table *, enum keyword_action,
	    const char *, const char *, const char **);
/*
 * Replace every word of a family with n words.  All or nothing: on error
 * (as keyword_add, or n == 0) the table is unchanged.  Replacing the STOP
 * family also changes which words flag a text for review.
 */
int	 keyword_replace(struct keyword_table *, enum keyword_action,
	    const struct keyword_word *, size_t, const char **);

/*
 * Match len bytes of text (any bytes: invalid UTF-8 is treated as
 * punctuation).  Always fills *r; returns r->action.
 */
enum keyword_action keyword_match(const struct keyword_table *,
	    const char *, size_t, struct keyword_result *);

/*
 * The normalization matching uses: letters lowercased and accents removed
 * (ASCII, Latin via translit_strip_accent, Greek, Cyrillic, Armenian,
 * fullwidth forms), other letters (CJK, Arabic...) kept, punctuation,
 * symbols, emoji and invalid bytes turned to spaces, whitespace collapsed
 * and trimmed.  Writes at most outlen - 1 bytes and a NUL (never a partial
 * character) and returns the length of the whole normalized text, as
 * snprintf: a result >= outlen means it was truncated.
 */
size_t	 keyword_normalize(const char *, size_t, char *, size_t);

/* ---- polls ---- */

#define KEYWORD_OPTIONS_MAX	10	/* options of one poll */
#define KEYWORD_OPTION_MAX	16	/* an option, canonical, with NUL */

/*
 * A poll's options from "SAFE,HELP": options separated by commas (spaces
 * around them ignored), each one word of letters or digits once
 * normalized as texts are (case and accents do not count), stored in
 * out[] canonical (uppercase ASCII, other letters as normalized); *n
 * gets how many.  An option may be an ordinary keyword (HELP, YES: an
 * answer to the poll wins over it) but never a STOP-family word of kt,
 * which always opts out.  0, or -1 with a message in err (naming the
 * option): none, more than KEYWORD_OPTIONS_MAX, an empty one, one of
 * several words or too long, the same option twice, a STOP word.
 */
int	 keyword_poll_options(const struct keyword_table *, const char *,
	    char [][KEYWORD_OPTION_MAX], size_t *, char *, size_t);
/*
 * The options of spec ("HELP", "SAFE,HELP") among the n options of a
 * poll, normalized the same way, as a bit mask (bit i: option i) in
 * *mask.  An empty spec is no option.  0, or -1 with a message in err
 * naming an option that is not one of the poll's.
 */
int	 keyword_poll_pick(const char [][KEYWORD_OPTION_MAX], size_t,
	    const char *, unsigned *, char *, size_t);
/*
 * Which option a text answers: its index, or -1.  The text must be the
 * option, once normalized like keywords ("safe", "Safe po!", "SAFE,
 * thank you", "sáfe"), with filler words around it and the option
 * repeated; anything else ("I am safe", "safe help") answers nothing.
 * The caller makes sure STOP wins (keyword_match first).
 */
int	 keyword_poll_match(const char [][KEYWORD_OPTION_MAX], size_t,
	    const char *, size_t);

/* "NONE", "JOIN", "STOP", "INFO", "LANG", "FORGET". */
const char *keyword_action_name(enum keyword_action);

#endif
