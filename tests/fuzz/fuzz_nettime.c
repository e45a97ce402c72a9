/*
 * tests/fuzz/fuzz_nettime.c — libFuzzer harness for modem/nettime.c.
 *
 * The input is a line as a modem printed it (any bytes, NULs included),
 * tried as is and behind each prefix nettime_parse() knows, so the fuzzer
 * need not rediscover them.  A parsed time must carry a zone in range,
 * format into a bounded string, and a date in years 1900..9999.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nettime.h"

#define FUZZ_NETTIME_MAX	512

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_nettime_one(const char *line, size_t len)
{
	struct nettime	 nt;
	const char	*err = NULL;
	char		 buf[64], words[64];

	if (nettime_parse(line, len, &nt, &err) != 0) {
		if (err == NULL)
			abort();
		return;
	}
	if (nt.tz != NETTIME_TZ_UNKNOWN && (nt.tz < -96 || nt.tz > 96))
		abort();
	if (nt.dst < -1 || nt.dst > 2)
		abort();
	if (!nt.has_time)
		return;
	/* 1900-01-01 - 1 day .. 10000-01-01 + 1 day */
	if (nt.utc < INT64_C(-2208988800) - 86400 ||
	    nt.utc > INT64_C(253402300800) + 86400)
		abort();
	nettime_format(nt.utc, nt.tz, buf, sizeof buf);
	if (strlen(buf) < 21)
		abort();
	nettime_offset_words(nt.utc, words, sizeof words);
	(void)nettime_plausible(nt.utc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	*prefixes[] = { "", "+CCLK: ", "+CTZE: ",
				    "+CTZEU: ", "+CTZV: ", "*PSUTTZ: ",
				    "^NWTIME: ", "+QLTS: " };
	char			*buf;
	size_t			 i, n;

	if (size > FUZZ_NETTIME_MAX)
		return 0;
	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		n = strlen(prefixes[i]);
		/* exact-size copies: any overread is caught by ASan */
		if ((buf = malloc(n + size ? n + size : 1)) == NULL)
			return 0;
		memcpy(buf, prefixes[i], n);
		memcpy(buf + n, data, size);
		fuzz_nettime_one(buf, n + size);
		free(buf);
	}
	return 0;
}
