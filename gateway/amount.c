/*
 * gateway/amount.c — the amount of credit in a USSD balance answer: the
 * operator's text, the configured pattern, and a tolerant reader of
 * numbers written the ways operators write them (see amount.h).
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"

static int
amount_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
amount_sep(char c)
{
	return c == '.' || c == ',';
}

int
amount_parse(const char *s, size_t len, double *out)
{
	size_t		 i, start, end, k, nsep = 0, after = 0, before;
	int		 neg = 0, kinds = 0, infrac = 0;
	char		 dec = 0, last = 0;
	double		 v = 0, frac = 0, scale = 1;

	for (i = 0; i < len && !amount_digit(s[i]); i++)
		;
	if (i == len)
		return -1;
	start = i;
	if (start > 0 && s[start - 1] == '-')
		neg = 1;
	for (end = start; end < len && (amount_digit(s[end]) ||
	    (amount_sep(s[end]) && end + 1 < len && amount_digit(s[end + 1])));
	    end++)
		;
	/* which separators, and the digits after the last one */
	for (k = start; k < end; k++) {
		if (!amount_sep(s[k])) {
			after++;
			continue;
		}
		if (nsep > 0 && s[k] != last)
			kinds = 2;
		else if (kinds == 0)
			kinds = 1;
		last = s[k];
		nsep++;
		after = 0;
	}
	/* one separator, three digits after: thousands, unless what comes
	 * before cannot be a group ("0.125", "1234.567") */
	before = nsep == 1 ? end - after - 1 - start : 0;
	if (kinds == 2 || (nsep == 1 && (after != 3 || before > 3 ||
	    s[start] == '0')))
		dec = last;
	for (k = start; k < end; k++) {
		if (amount_digit(s[k])) {
			if (infrac) {
				frac = frac * 10 + (s[k] - '0');
				scale *= 10;
			} else
				v = v * 10 + (s[k] - '0');
		} else if (dec != 0 && s[k] == dec && k == end - after - 1)
			infrac = 1;
	}
	v += frac / scale;
	*out = neg ? -v : v;
	return 0;
}

int
amount_compile(regex_t *re, const char *pattern, char *err, size_t errlen)
{
	int	rc;

	if ((rc = regcomp(re, pattern, REG_EXTENDED)) != 0) {
		regerror(rc, re, err, errlen);
		return -1;
	}
	if (re->re_nsub < 1) {
		snprintf(err, errlen, "no group: put the amount in "
		    "parentheses, as in \"balance is ([0-9.,]+)\"");
		regfree(re);
		return -1;
	}
	return 0;
}

int
amount_match(const regex_t *re, const char *text, double *out,
    const char **err)
{
	regmatch_t	m[2];

	if (regexec(re, text, 2, m, 0) != 0) {
		*err = "the answer does not match balance_pattern";
		return -1;
	}
	if (m[1].rm_so < 0 || amount_parse(text + m[1].rm_so,
	    (size_t)(m[1].rm_eo - m[1].rm_so), out) == -1) {
		*err = "no amount in the matched group";
		return -1;
	}
	return 0;
}
