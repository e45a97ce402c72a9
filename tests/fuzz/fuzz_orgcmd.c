/*
 * tests/fuzz/fuzz_orgcmd.c — arbitrary bytes as a text from an
 * organizer's phone through the command parser (gateway/orgcmd.c).
 *
 * The result must be well formed whatever the bytes: a verb in range,
 * 4 to 8 digits for a command and none otherwise, offsets inside the
 * text, a CANCEL id only for CANCEL.  The redacted copy has the length
 * orgcmd_redact() says, starts with the verb and the mask, never holds
 * the digits where they were, and is the same when asked again with a
 * short buffer (truncated).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "orgcmd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_orgcmd_out[(1 << 16) + 64];
static char	fuzz_orgcmd_short[24];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*text = (const char *)data;
	struct orgcmd	 c;
	size_t		 n, m, nd, k;
	const char	*verb;

	if (len > (1 << 16))
		return 0;
	if (orgcmd_parse(text, len, &c) != c.verb || c.verb > ORGCMD_WIPE)
		__builtin_trap();
	nd = strnlen(c.digits, sizeof c.digits);
	if (nd == sizeof c.digits)
		__builtin_trap();
	if (c.verb == ORGCMD_NONE) {
		if (nd != 0 || c.rest_len != 0 || c.id != 0)
			__builtin_trap();
	} else if (nd < ORGCMD_DIGITS_MIN || nd > ORGCMD_DIGITS_MAX ||
	    strspn(c.digits, "0123456789") != nd)
		__builtin_trap();
	if (c.rest_off + c.rest_len > len || c.word_off + c.word_len > len ||
	    c.after_off + c.after_len > len)
		__builtin_trap();
	if (c.word_len > c.rest_len || c.after_len > c.rest_len)
		__builtin_trap();
	if (c.id != 0 && (c.verb != ORGCMD_CANCEL || c.id < 0))
		__builtin_trap();
	n = orgcmd_redact(text, len, &c, fuzz_orgcmd_out,
	    sizeof fuzz_orgcmd_out);
	if (n >= sizeof fuzz_orgcmd_out)
		__builtin_trap();
	if (c.verb == ORGCMD_NONE) {
		if (n != 0 || fuzz_orgcmd_out[0] != '\0')
			__builtin_trap();
		return 0;
	}
	verb = orgcmd_verb_name(c.verb);
	k = strlen(verb);
	if (strncmp(fuzz_orgcmd_out, verb, k) != 0 ||
	    strncmp(fuzz_orgcmd_out + k, " " ORGCMD_MASK,
	    1 + strlen(ORGCMD_MASK)) != 0)
		__builtin_trap();
	if (n != k + 1 + strlen(ORGCMD_MASK) +
	    (c.rest_len ? 1 + c.rest_len : 0))
		__builtin_trap();
	m = orgcmd_redact(text, len, &c, fuzz_orgcmd_short,
	    sizeof fuzz_orgcmd_short);
	if (m != n || strncmp(fuzz_orgcmd_short, fuzz_orgcmd_out,
	    sizeof fuzz_orgcmd_short - 1) != 0)
		__builtin_trap();
	return 0;
}
