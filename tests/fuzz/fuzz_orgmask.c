/*
 * tests/fuzz/fuzz_orgmask.c — arbitrary bytes as an organizer's text that
 * is no command (gateway/orgmask.c).
 *
 * The masked copy has the length orgmask_digits() says, holds no run of
 * ORGMASK_RUN digits, and is the same prefix when asked again with a
 * short buffer; orgmask_verb() answers 0 or 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "orgmask.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_orgmask_out[(1 << 16) + 64];
static char	fuzz_orgmask_short[24];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*text = (const char *)data;
	size_t		 n, m, i, run;
	int		 v;

	if (len > (1 << 16))
		return 0;
	v = orgmask_verb(text, len);
	if (v != 0 && v != 1)
		__builtin_trap();
	n = orgmask_digits(text, len, fuzz_orgmask_out,
	    sizeof fuzz_orgmask_out);
	if (n >= sizeof fuzz_orgmask_out || strlen(fuzz_orgmask_out) != n)
		__builtin_trap();
	for (i = 0, run = 0; i < n; i++) {
		run = fuzz_orgmask_out[i] >= '0' && fuzz_orgmask_out[i] <= '9' ?
		    run + 1 : 0;
		if (run >= ORGMASK_RUN)
			__builtin_trap();
	}
	m = orgmask_digits(text, len, fuzz_orgmask_short,
	    sizeof fuzz_orgmask_short);
	if (m != n || strncmp(fuzz_orgmask_short, fuzz_orgmask_out,
	    sizeof fuzz_orgmask_short - 1) != 0)
		__builtin_trap();
	return 0;
}
