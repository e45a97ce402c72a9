/*
 * gateway/orgmask.c — does an organizer's text start with a command
 * verb, and its copy for the inbox with the digits masked (orgmask.h).
 */
#include <string.h>
#include <strings.h>

#include "orgcmd.h"
#include "orgmask.h"

static const char *const orgmask_verbs[] = {
	"ALERT", "URGENT", "ASK", "YES", "STATUS", "CANCEL", "WIPE"
};

static int
orgmask_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

int
orgmask_verb(const char *text, size_t len)
{
	size_t	i = 0, start, n, v;

	while (i < len && orgmask_space(text[i]))
		i++;
	start = i;
	while (i < len && !orgmask_space(text[i]))
		i++;
	n = i - start;
	for (v = 0; v < sizeof orgmask_verbs / sizeof orgmask_verbs[0]; v++) {
		if (strlen(orgmask_verbs[v]) == n &&
		    strncasecmp(text + start, orgmask_verbs[v], n) == 0)
			return 1;
	}
	return 0;
}

int
orgmask_secret(const char *text, size_t len)
{
	size_t	i, run = 0;

	for (i = 0; i < len; i++) {
		run = text[i] >= '0' && text[i] <= '9' ? run + 1 : 0;
		if (run >= ORGMASK_RUN)
			return 1;
	}
	return 0;
}

static void
orgmask_put(char *out, size_t outlen, size_t at, const char *s, size_t n)
{
	size_t	k;

	for (k = 0; k < n; k++) {
		if (at + k + 1 < outlen)
			out[at + k] = s[k];
	}
}

size_t
orgmask_digits(const char *text, size_t len, char *out, size_t outlen)
{
	size_t	i = 0, run, total = 0;

	if (memchr(text, '\0', len) != NULL)
		len = strlen(text);
	while (i < len) {
		for (run = 0; i + run < len && text[i + run] >= '0' &&
		    text[i + run] <= '9'; run++)
			;
		if (run >= ORGMASK_RUN) {
			orgmask_put(out, outlen, total, ORGCMD_MASK,
			    strlen(ORGCMD_MASK));
			total += strlen(ORGCMD_MASK);
			i += run;
		} else if (run > 0) {
			orgmask_put(out, outlen, total, text + i, run);
			total += run;
			i += run;
		} else {
			orgmask_put(out, outlen, total, text + i, 1);
			total++;
			i++;
		}
	}
	if (outlen > 0)
		out[total < outlen ? total : outlen - 1] = '\0';
	return total;
}
