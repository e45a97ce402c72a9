/*
 * tests/fuzz/fuzz_keyword.c — arbitrary bytes as an inbound text through
 * the keyword engine (gateway/keyword.c).
 *
 * The first byte picks the table: the defaults, or the defaults plus
 * added words (a multi-word STOP word, a CJK one, a replaced JOIN
 * family).  The result must be well formed whatever the bytes: an action
 * in range, NUL-terminated fields, a list of [a-z0-9-_], a known language
 * code, a review flag only on NONE.  keyword_normalize() must give valid
 * UTF-8 with single spaces and be idempotent, and matching the normalized
 * text must give the same STOP, INFO or LANG result and the same review
 * keyword (JOIN and unknown languages may differ: "rally-2" becomes
 * "rally 2").  The same bytes as a poll's reply give an option in range,
 * the same for the normalized text; as a poll's options, well formed ones
 * that each answer themselves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keyword.h"
#include "utf8.h"

#define FUZZ_KEYWORD_MAX	(1 << 16)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct keyword_table	*fuzz_keyword_tables[2];
static char			 fuzz_keyword_norm[FUZZ_KEYWORD_MAX + 1];
static char			 fuzz_keyword_again[FUZZ_KEYWORD_MAX + 1];
static uint32_t			 fuzz_keyword_cp[FUZZ_KEYWORD_MAX];

static void
fuzz_keyword_init(void)
{
	static const struct keyword_word join[] = {
		{ "SUBSCRIBE", "en" }, { "SUSCRIBIR", "es" }, { "sali", "tl" },
	};
	struct keyword_table	*kt;
	const char		*err;

	if ((fuzz_keyword_tables[0] = keyword_table_new()) == NULL ||
	    (kt = fuzz_keyword_tables[1] = keyword_table_new()) == NULL)
		abort();
	if (keyword_add(kt, KEYWORD_STOP, "d\xe1\xbb\xabng l\xe1\xba\xa1i",
	    "vi", &err) == -1 ||
	    keyword_add(kt, KEYWORD_STOP, "\xe9\x80\x80\xe8\xae\xa2", "zh",
	    &err) == -1 ||
	    keyword_add(kt, KEYWORD_INFO, "aide", "fr", &err) == -1 ||
	    keyword_add(kt, KEYWORD_LANG, "langue", "fr", &err) == -1 ||
	    keyword_replace(kt, KEYWORD_JOIN, join,
	    sizeof join / sizeof join[0], &err) == -1)
		abort();
}

static void
fuzz_keyword_check(const struct keyword_result *r)
{
	static const char *const codes[] = {
		"", "en", "es", "tl", "zh", "vi", "ht", "ar",
	};
	size_t	i;
	int	ok = 0;

	if (r->action > KEYWORD_FORGET ||
	    memchr(r->keyword, '\0', sizeof r->keyword) == NULL ||
	    memchr(r->lang, '\0', sizeof r->lang) == NULL ||
	    memchr(r->list, '\0', sizeof r->list) == NULL ||
	    memchr(r->lang_code, '\0', sizeof r->lang_code) == NULL ||
	    memchr(r->review_keyword, '\0', sizeof r->review_keyword) == NULL)
		__builtin_trap();
	if ((r->action == KEYWORD_NONE) != (r->keyword[0] == '\0') ||
	    (r->action == KEYWORD_NONE) != (r->lang[0] == '\0'))
		__builtin_trap();
	if (r->flag_review != (r->review_keyword[0] != '\0') ||
	    (r->flag_review && r->action != KEYWORD_NONE))
		__builtin_trap();
	if (r->list[0] != '\0' && r->action != KEYWORD_JOIN)
		__builtin_trap();
	for (i = 0; r->list[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-_",
		    r->list[i]) == NULL)
			__builtin_trap();
	}
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		ok |= strcmp(r->lang_code, codes[i]) == 0;
	if (!ok || (r->lang_code[0] != '\0' && r->action != KEYWORD_LANG) ||
	    (r->lang_unknown && (r->action != KEYWORD_LANG ||
	    r->lang_code[0] != '\0')))
		__builtin_trap();
}

/* Polls: the text as a reply to a poll, and as the options of one. */
static void
fuzz_keyword_poll(const struct keyword_table *kt, const char *text,
    size_t len, const char *norm, size_t nlen)
{
	static const char	 opts[][KEYWORD_OPTION_MAX] = { "SAFE", "HELP",
	    "OK", "1" };
	char			 got[KEYWORD_OPTIONS_MAX][KEYWORD_OPTION_MAX];
	char			 spec[512], err[160];
	size_t			 i, n;
	int			 k;

	k = keyword_poll_match(opts, 4, text, len);
	if (k < -1 || k > 3)
		__builtin_trap();
	/* a text too long to be an answer may normalize to a short one */
	if (len <= KEYWORD_TEXT_MAX &&
	    keyword_poll_match(opts, 4, norm, nlen) != k)
		__builtin_trap();
	if (len >= sizeof spec)
		return;
	memcpy(spec, text, len);
	spec[len] = '\0';
	if (keyword_poll_options(kt, spec, got, &n, err, sizeof err) == -1) {
		if (memchr(err, '\0', sizeof err) == NULL || err[0] == '\0')
			__builtin_trap();
		return;
	}
	if (n == 0 || n > KEYWORD_OPTIONS_MAX)
		__builtin_trap();
	for (i = 0; i < n; i++) {
		if (memchr(got[i], '\0', sizeof got[i]) == NULL ||
		    got[i][0] == '\0' || strchr(got[i], ' ') != NULL ||
		    strchr(got[i], ',') != NULL ||
		    keyword_poll_match((const char (*)[KEYWORD_OPTION_MAX])got,
		    n, got[i], strlen(got[i])) != (int)i)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const struct keyword_table	*kt;
	struct keyword_result		 r, rn;
	const char			*text;
	size_t				 n, m, ncp, errpos;

	if (fuzz_keyword_tables[0] == NULL)
		fuzz_keyword_init();
	if (len < 1 || len > FUZZ_KEYWORD_MAX)
		return 0;
	kt = fuzz_keyword_tables[data[0] & 1];
	text = (const char *)data + 1;
	len--;

	keyword_match(kt, text, len, &r);
	fuzz_keyword_check(&r);

	n = keyword_normalize(text, len, fuzz_keyword_norm,
	    sizeof fuzz_keyword_norm);
	if (n > len || strlen(fuzz_keyword_norm) != n)
		__builtin_trap();	/* never longer than the text */
	if (utf8_decode(fuzz_keyword_norm, n, fuzz_keyword_cp,
	    FUZZ_KEYWORD_MAX, &ncp, &errpos) == -1)
		__builtin_trap();
	if (n > 0 && (fuzz_keyword_norm[0] == ' ' ||
	    fuzz_keyword_norm[n - 1] == ' '))
		__builtin_trap();
	if (strstr(fuzz_keyword_norm, "  ") != NULL)
		__builtin_trap();
	m = keyword_normalize(fuzz_keyword_norm, n, fuzz_keyword_again,
	    sizeof fuzz_keyword_again);
	if (m != n || memcmp(fuzz_keyword_again, fuzz_keyword_norm, n) != 0)
		__builtin_trap();

	fuzz_keyword_poll(kt, text, len, fuzz_keyword_norm, n);
	keyword_match(kt, fuzz_keyword_norm, n, &rn);
	fuzz_keyword_check(&rn);
	/* "lang pt-br" is an unknown language, "lang pt br" nothing */
	if (r.action == KEYWORD_STOP || r.action == KEYWORD_INFO ||
	    r.action == KEYWORD_FORGET ||
	    (r.action == KEYWORD_LANG && !r.lang_unknown)) {
		if (rn.action != r.action ||
		    strcmp(rn.keyword, r.keyword) != 0 ||
		    strcmp(rn.lang_code, r.lang_code) != 0 ||
		    rn.lang_unknown != r.lang_unknown)
			__builtin_trap();
	}
	if (r.action == KEYWORD_NONE && rn.action == KEYWORD_NONE &&
	    strcmp(r.review_keyword, rn.review_keyword) != 0)
		__builtin_trap();
	return 0;
}
