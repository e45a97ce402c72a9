/*
 * gateway/orgcmd.c — the commands of an organizer's phone, parsed (see
 * orgcmd.h).  One pass over the bytes, no allocation.
 */
#include <string.h>

#include "orgcmd.h"

static const struct {
	const char		*name;
	enum orgcmd_verb	 verb;
} orgcmd_verbs[] = {
	{ "ALERT", ORGCMD_ALERT },
	{ "URGENT", ORGCMD_URGENT },
	{ "ASK", ORGCMD_ASK },
	{ "YES", ORGCMD_YES },
	{ "STATUS", ORGCMD_STATUS },
	{ "CANCEL", ORGCMD_CANCEL },
	{ "WIPE", ORGCMD_WIPE },
};
#define ORGCMD_NVERBS	(sizeof orgcmd_verbs / sizeof orgcmd_verbs[0])

/* 2^53: a broadcast id beyond it is no id */
#define ORGCMD_ID_MAX	9007199254740992LL

static int
orgcmd_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static char
orgcmd_upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

/* What a hurried thumb puts after a word: "Yes, 123456", "ALERT: 2468". */
static int
orgcmd_punct(char ch)
{
	return ch == ',' || ch == '.' || ch == ':' || ch == ';' ||
	    ch == '!';
}

const char *
orgcmd_verb_name(enum orgcmd_verb v)
{
	size_t	i;

	for (i = 0; i < ORGCMD_NVERBS; i++) {
		if (orgcmd_verbs[i].verb == v)
			return orgcmd_verbs[i].name;
	}
	return "NONE";
}

void
orgcmd_word(const char *s, size_t len, size_t *off, size_t *wlen,
    size_t *next, size_t *nlen)
{
	size_t	i = 0, j, end = len;

	while (i < len && orgcmd_space(s[i]))
		i++;
	*off = i;
	for (j = i; j < len && !orgcmd_space(s[j]); j++)
		;
	*wlen = j - i;
	while (j < len && orgcmd_space(s[j]))
		j++;
	while (end > j && orgcmd_space(s[end - 1]))
		end--;
	*next = j;
	*nlen = end - j;
}

/* The id of CANCEL: digits only, 1 to ORGCMD_ID_MAX; else 0. */
static int64_t
orgcmd_id(const char *s, size_t len)
{
	int64_t	v = 0;
	size_t	i;

	if (len == 0 || len > 16)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= ORGCMD_ID_MAX ? v : 0;
}

enum orgcmd_verb
orgcmd_parse(const char *text, size_t len, struct orgcmd *c)
{
	size_t	off, wlen, next, nlen, i, k, w2, n2;
	size_t	vlen;

	memset(c, 0, sizeof *c);
	if (text == NULL)
		return ORGCMD_NONE;
	/* the verb */
	orgcmd_word(text, len, &off, &wlen, &next, &nlen);
	while (wlen > 0 && orgcmd_punct(text[off + wlen - 1]))
		wlen--;
	for (i = 0; i < ORGCMD_NVERBS; i++) {
		vlen = strlen(orgcmd_verbs[i].name);
		if (wlen != vlen)
			continue;
		for (k = 0; k < vlen; k++) {
			if (orgcmd_upper(text[off + k]) !=
			    orgcmd_verbs[i].name[k])
				break;
		}
		if (k == vlen)
			break;
	}
	if (i == ORGCMD_NVERBS)
		return ORGCMD_NONE;
	/* the digits */
	orgcmd_word(text + next, nlen, &off, &wlen, &w2, &n2);
	while (wlen > 0 && orgcmd_punct(text[next + off + wlen - 1]))
		wlen--;
	if (wlen < ORGCMD_DIGITS_MIN || wlen > ORGCMD_DIGITS_MAX)
		return ORGCMD_NONE;
	for (k = 0; k < wlen; k++) {
		if (text[next + off + k] < '0' || text[next + off + k] > '9')
			return ORGCMD_NONE;
	}
	memcpy(c->digits, text + next + off, wlen);
	c->digits[wlen] = '\0';
	c->verb = orgcmd_verbs[i].verb;
	if (n2 > 0) {
		c->rest_off = next + w2;
		c->rest_len = n2;
	}
	/* the first word of the rest, and what follows it */
	if (c->rest_len > 0) {
		orgcmd_word(text + c->rest_off, c->rest_len, &off, &wlen, &w2,
		    &n2);
		c->word_off = c->rest_off + off;
		c->word_len = wlen;
		if (n2 > 0) {
			c->after_off = c->rest_off + w2;
			c->after_len = n2;
		}
	}
	if (c->verb == ORGCMD_CANCEL)
		c->id = orgcmd_id(text + c->word_off, c->word_len);
	return c->verb;
}

size_t
orgcmd_redact(const char *text, size_t len, const struct orgcmd *c,
    char *out, size_t outlen)
{
	const char	*verb;
	size_t		 n = 0, total, k;

	(void)len;
	if (c->verb == ORGCMD_NONE) {
		if (outlen > 0)
			out[0] = '\0';
		return 0;
	}
	verb = orgcmd_verb_name(c->verb);
	total = strlen(verb) + 1 + strlen(ORGCMD_MASK) +
	    (c->rest_len > 0 ? 1 + c->rest_len : 0);
	if (outlen == 0)
		return total;
#define ORGCMD_PUT(ch) do {				\
	if (n + 1 < outlen)				\
		out[n] = (ch);				\
	n++;						\
} while (0)
	for (k = 0; verb[k] != '\0'; k++)
		ORGCMD_PUT(verb[k]);
	ORGCMD_PUT(' ');
	for (k = 0; ORGCMD_MASK[k] != '\0'; k++)
		ORGCMD_PUT(ORGCMD_MASK[k]);
	if (c->rest_len > 0) {
		ORGCMD_PUT(' ');
		for (k = 0; k < c->rest_len; k++)
			ORGCMD_PUT(text[c->rest_off + k]);
	}
#undef ORGCMD_PUT
	out[n < outlen ? n : outlen - 1] = '\0';
	return total;
}
