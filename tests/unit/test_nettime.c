/*
 * tests/unit/test_nettime.c — network time lines (modem/nettime.c):
 * +CCLK, +CTZE/+CTZEU/+CTZV, SIMCom *PSUTTZ, Huawei ^NWTIME, Quectel
 * +QLTS; plausibility; formatting; the set_clock decision.
 *
 * Expected seconds were computed with GNU date, not with the code under
 * test: date -u -d '2026-12-04 02:00:03' +%s is 1796349603.
 */
#include <stdint.h>
#include <string.h>

#include "nettime.h"
#include "tt.h"

#define T0	INT64_C(1796349603)	/* 2026-12-04 02:00:03 UTC */

struct parse_case {
	const char		*line;
	int64_t			 utc;	/* -1: error */
	int			 tz;
	int			 has_time;
	enum nettime_source	 source;
	const char		*err;
};

static const struct parse_case parse_cases[] = {
	/* TS 27.007 +CCLK, local time +08:00 */
	{ "+CCLK: \"26/12/04,10:00:03+32\"", T0, 32, 1, NETTIME_CCLK, NULL },
	{ "+CCLK: 26/12/04,10:00:03+32", T0, 32, 1, NETTIME_CCLK, NULL },
	{ "+CCLK: \"2026/12/04,10:00:03+32\"", T0, 32, 1, NETTIME_CCLK, NULL },
	/* west of Greenwich: -05:00, 21:00:03 the day before */
	{ "+CCLK: \"26/12/03,21:00:03-20\"", T0, -20, 1, NETTIME_CCLK, NULL },
	{ "+CCLK: \"26/12/04,02:00:03+00\"", T0, 0, 1, NETTIME_CCLK, NULL },
	/* a modem clock nobody set: parses, and is not plausible */
	{ "+CCLK: \"04/01/01,00:00:10+00\"", INT64_C(1072915210), 0, 1,
	    NETTIME_CCLK, NULL },
	{ "+CCLK: \"80/01/06,00:00:00+00\"", INT64_C(315964800), 0, 1,
	    NETTIME_CCLK, NULL },
	/* no zone: local time of an unknown zone */
	{ "+CCLK: \"26/12/04,10:00:03\"", -1, 0, 0, NETTIME_CCLK,
	    "local time without a time zone" },
	{ "+CCLK: \"26/13/04,10:00:03+32\"", -1, 0, 0, NETTIME_CCLK,
	    "impossible date or time" },
	{ "+CCLK: \"26/02/29,10:00:03+32\"", -1, 0, 0, NETTIME_CCLK,
	    "impossible date or time" },
	{ "+CCLK: \"26/12/04,24:00:03+32\"", -1, 0, 0, NETTIME_CCLK,
	    "impossible date or time" },
	{ "+CCLK: \"26/12/04,10:00:03+97\"", -1, 0, 0, NETTIME_CCLK,
	    "time zone out of range" },
	{ "+CCLK: \"26/12/04\"", -1, 0, 0, NETTIME_CCLK, "malformed time" },
	{ "+CCLK: \"126/12/04,10:00:03+32\"", -1, 0, 0, NETTIME_CCLK,
	    "malformed year" },
	/* +CTZR=2 and 3 */
	{ "+CTZE: \"+32\",0,\"2026/12/04,10:00:03\"", T0, 32, 1,
	    NETTIME_NITZ, NULL },
	{ "+CTZEU: \"+32\",0,\"2026/12/04,02:00:03\"", T0, 32, 1,
	    NETTIME_NITZ, NULL },
	{ "+CTZE: \"-20\",1", 0, -20, 0, NETTIME_NITZ, NULL },
	/* +CTZR=1: the zone alone */
	{ "+CTZV: +32", 0, 32, 0, NETTIME_NITZ, NULL },
	{ "+CTZV: \"-08\"", 0, -8, 0, NETTIME_NITZ, NULL },
	{ "+CTZV: 26/12/04,10:00:03+32", T0, 32, 1, NETTIME_NITZ, NULL },
	/* SIMCom: universal time */
	{ "*PSUTTZ: 2026,12,4,2,0,3,\"+32\",0", T0, 32, 1, NETTIME_NITZ,
	    NULL },
	{ "*PSUTTZ: 26,12,4,2,0,3,\"+32\",0", T0, 32, 1, NETTIME_NITZ, NULL },
	/* Huawei, local */
	{ "^NWTIME: 26/12/04,10:00:03+32,00", T0, 32, 1, NETTIME_NITZ, NULL },
	/* Quectel, local; "" when the network never sent a time */
	{ "+QLTS: \"2026/12/04,10:00:03+32,0\"", T0, 32, 1, NETTIME_NITZ,
	    NULL },
	{ "+QLTS: \"\"", -1, 0, 0, NETTIME_NITZ,
	    "no time (the network sent none)" },
	/* a leap day, and a leap second */
	{ "+CCLK: \"24/02/29,23:59:59+00\"", INT64_C(1709251199), 0, 1,
	    NETTIME_CCLK, NULL },
	{ "+CCLK: \"26/06/30,12:29:60+00\"", INT64_C(1782822600), 0, 1,
	    NETTIME_CCLK, NULL },
	{ "+CSQ: 20,99", -1, 0, 0, NETTIME_NONE, "not a time line" },
	{ "+CCLK: 1,2,3,4,5,6,7,8,9,10,11,12,13", -1, 0, 0, NETTIME_CCLK,
	    "malformed time" },
	{ "+CCLK: \"26/12/04,10:00:1234567+32\"", -1, 0, 0, NETTIME_CCLK,
	    "malformed time" },
};

static void
test_parse(void)
{
	size_t		 i;
	struct nettime	 nt;
	const char	*err;
	int		 rc;

	for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];

		err = NULL;
		rc = nettime_parse(c->line, strlen(c->line), &nt, &err);
		if (c->err != NULL) {
			if (rc != -1 || err == NULL ||
			    strcmp(err, c->err) != 0)
				printf("case: %s\n", c->line);
			tt_int_op(rc, ==, -1);
			tt_str_op(err, ==, c->err);
			continue;
		}
		if (rc != 0 || nt.utc != c->utc || nt.tz != c->tz)
			printf("case: %s (%s)\n", c->line, err ? err : "");
		tt_int_op(rc, ==, 0);
		tt_int_op(nt.has_time, ==, c->has_time);
		if (c->has_time)
			tt_int_op(nt.utc, ==, c->utc);
		tt_int_op(nt.tz, ==, c->tz);
		tt_int_op(nt.source, ==, c->source);
	}
end:;
}

static void
test_is_time_line(void)
{
	tt_int_op(nettime_is_time_line("*PSUTTZ: 1", 10), ==, 1);
	tt_int_op(nettime_is_time_line("+CTZEU: 1", 9), ==, 1);
	tt_int_op(nettime_is_time_line("DST: 0", 6), ==, 0);
	tt_int_op(nettime_is_time_line("+CCL", 4), ==, 0);
end:;
}

static void
test_plausible(void)
{
	tt_int_op(nettime_plausible(T0), ==, 1);
	tt_int_op(nettime_plausible(NETTIME_MIN), ==, 1);
	tt_int_op(nettime_plausible(NETTIME_MIN - 1), ==, 0);
	tt_int_op(nettime_plausible(INT64_C(1072915210)), ==, 0); /* 2004 */
	tt_int_op(nettime_plausible(NETTIME_MAX), ==, 0);
end:;
}

static void
test_format(void)
{
	char	buf[64];

	nettime_format(T0, 32, buf, sizeof buf);
	tt_str_op(buf, ==, "2026-12-04 10:00:03 +08:00");
	nettime_format(T0, -22, buf, sizeof buf);
	tt_str_op(buf, ==, "2026-12-03 20:30:03 -05:30");
	nettime_format(T0, NETTIME_TZ_UNKNOWN, buf, sizeof buf);
	tt_str_op(buf, ==, "2026-12-04 02:00:03 Z");
	nettime_format(0, 0, buf, sizeof buf);
	tt_str_op(buf, ==, "1970-01-01 00:00:00 +00:00");
	tt_int_op(nettime_days(2026, 12, 4), ==, T0 / 86400);
	tt_int_op(nettime_days(1969, 12, 31), ==, -1);
end:;
}

static void
test_offset_words(void)
{
	char	buf[64];

	nettime_offset_words(-(3 * 3600 + 12 * 60 + 5), buf, sizeof buf);
	tt_str_op(buf, ==, "3 h 12 min behind");
	nettime_offset_words(-3 * 3600, buf, sizeof buf);
	tt_str_op(buf, ==, "3 h behind");
	/* a second short of it: readings are to the second */
	nettime_offset_words(-3 * 3600 + 1, buf, sizeof buf);
	tt_str_op(buf, ==, "3 h behind");
	nettime_offset_words(3599, buf, sizeof buf);
	tt_str_op(buf, ==, "59 min 59 s ahead");
	nettime_offset_words(45, buf, sizeof buf);
	tt_str_op(buf, ==, "45 s ahead");
	nettime_offset_words(125, buf, sizeof buf);
	tt_str_op(buf, ==, "2 min 5 s ahead");
	nettime_offset_words(0, buf, sizeof buf);
	tt_str_op(buf, ==, "on time");
	nettime_offset_words(-3 * 86400 - 7200, buf, sizeof buf);
	tt_str_op(buf, ==, "3 days 2 h behind");
end:;
}

static void
test_should_set(void)
{
	const char	*why;

	/* a Pi that booted with its last shutdown time, 3 h behind */
	tt_int_op(nettime_should_set(1, 1, 1, T0 - 3 * 3600, T0, &why), ==,
	    1);
	tt_int_op(nettime_should_set(1, 1, 1, T0 + 600, T0, &why), ==, 1);
	tt_int_op(nettime_should_set(0, 1, 1, T0 - 3 * 3600, T0, &why), ==,
	    0);
	tt_str_op(why, ==, "set_clock is off");
	/* NTP, chrony or timesyncd keep it: never fight them */
	tt_int_op(nettime_should_set(1, 0, 1, T0 - 3 * 3600, T0, &why), ==,
	    0);
	tt_str_op(why, ==, "another time source keeps the clock "
	    "synchronized");
	tt_int_op(nettime_should_set(1, 1, 0, T0 - 3 * 3600, T0, &why), ==,
	    0);
	tt_str_op(why, ==, "the network time is not confirmed by a second "
	    "reading");
	tt_int_op(nettime_should_set(1, 1, 1, T0 - 119, T0, &why), ==, 0);
	tt_str_op(why, ==, "the system clock is close enough");
	tt_int_op(nettime_should_set(1, 1, 1, T0 + 119, T0, &why), ==, 0);
	tt_int_op(nettime_should_set(1, 1, 1, T0 - 120, T0, &why), ==, 1);
	/* a modem clock nobody set */
	tt_int_op(nettime_should_set(1, 1, 1, T0, INT64_C(1072915210), &why),
	    ==, 0);
	tt_str_op(why, ==, "the network time is not plausible");
end:;
}

static const struct tt_case cases[] = {
	{ "parse", test_parse },
	{ "is_time_line", test_is_time_line },
	{ "plausible", test_plausible },
	{ "format", test_format },
	{ "offset_words", test_offset_words },
	{ "should_set", test_should_set },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
