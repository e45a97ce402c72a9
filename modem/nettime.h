/*
 * modem/nettime.h — network time from a modem's answers and URCs, and
 * the policy built on it.  Pure: no I/O, no clock, no logging, no
 * allocation; the caller passes "now" in.
 *
 * What modems print (details and sources in nettime.c):
 *   +CCLK: "26/12/04,10:00:03+32"	TS 27.007 §8.15, local time, zone
 *					in quarter hours: the modem's clock
 *   +CTZE: "+32",0,"2026/12/04,10:00:03"  TS 27.007 §8.41 (+CTZR=2), local
 *   +CTZEU: "+32",0,"2026/12/04,02:00:03" (+CTZR=3), universal time
 *   +CTZV: +32				(+CTZR=1) the zone alone
 *   *PSUTTZ: 2026,12,4,2,0,3,"+32",0	SIMCom (+CLTS=1), universal time
 *   ^NWTIME: 26/12/04,10:00:03+32,00	Huawei, local time
 *   +QLTS: "2026/12/04,10:00:03+32,0"	Quectel AT+QLTS, local time; ""
 *					when the network never sent one
 */
#ifndef NETTIME_H
#define NETTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * The earliest network time believed: a modem's clock that nobody set
 * reads its power-up default ("04/01/01", "80/01/06") or its firmware's
 * build date, all before this (2026-01-01 00:00 UTC).  Raise it with
 * releases.  The latest: 2100-01-01.
 */
#define NETTIME_MIN		INT64_C(1767225600)
#define NETTIME_MAX		INT64_C(4102444800)
#define NETTIME_TZ_UNKNOWN	(-128)

/* Where a time came from. */
enum nettime_source {
	NETTIME_NONE,
	NETTIME_NITZ,		/* the network said so (a URC, +QLTS) */
	NETTIME_CCLK,		/* the modem's clock (+CCLK?) */
};

enum nettime_kind {
	NETTIME_K_CCLK,
	NETTIME_K_CTZE,
	NETTIME_K_CTZEU,
	NETTIME_K_CTZV,
	NETTIME_K_PSUTTZ,
	NETTIME_K_NWTIME,
	NETTIME_K_QLTS,
};

struct nettime {
	enum nettime_kind	 kind;
	enum nettime_source	 source;
	int			 has_time;	/* 0: a zone alone (+CTZV) */
	int64_t			 utc;		/* seconds since 1970, UTC */
	int			 tz;		/* quarter hours east of UTC,
						 * or NETTIME_TZ_UNKNOWN */
	int			 dst;		/* hours, -1 unknown */
};

/*
 * Parse one line (without its terminator).  0 and *out filled; -1 with
 * *err saying why (not a time line, a malformed or impossible date, a
 * network that never sent a time).  A line that parses may still be a
 * clock nobody set: see nettime_plausible().
 */
int	nettime_parse(const char *, size_t, struct nettime *, const char **);

/* 1 when the line starts with a prefix nettime_parse() knows. */
int	nettime_is_time_line(const char *, size_t);

/* 1 when t is a time a network could be sending now (NETTIME_MIN..MAX). */
int	nettime_plausible(int64_t);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), for any year. */
int64_t	nettime_days(int, int, int);

/* "2026-12-04 10:00:03 +08:00" (local time of the network's zone, or UTC
 * "Z" when the zone is unknown) into buf. */
void	nettime_format(int64_t, int, char *, size_t);

/* "3 h 12 min behind", "45 s ahead", "on time" for system minus network. */
void	nettime_offset_words(int64_t, char *, size_t);

/*
 * Should the daemon set the system clock (set_clock = yes)?  sys: the
 * system clock now; net: the network's time now; unsync: the kernel says
 * nothing synchronizes the clock; confirmed: two readings agreed.
 * Returns 1 (set it) or 0 with *why.
 */
#define NETTIME_SET_MIN_OFFSET	120	/* seconds */
int	nettime_should_set(int enabled, int unsync, int confirmed,
	    int64_t sys, int64_t net, const char **why);

/* Two readings agree when they say the same time within this. */
#define NETTIME_AGREE		10	/* seconds */

const char *nettime_source_name(enum nettime_source);

#endif
