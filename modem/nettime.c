/*
 * modem/nettime.c — network time from a modem's answers and URCs.
 *
 * Sources read (formats only; no code taken):
 * - 3GPP TS 27.007 §8.15 +CCLK: "yy/MM/dd,hh:mm:ss±zz", zz the local
 *   zone in quarter hours (range -96..+96); the three zone characters are
 *   absent on a modem that keeps no zone.  §8.40 +CTZU (automatic zone
 *   and clock update from NITZ), §8.41 +CTZR: +CTZV: <tz> (1),
 *   +CTZE: <tz>,<dst>,[<time>] local (2), +CTZEU: <tz>,<dst>,[<utime>]
 *   universal (3), time as "yyyy/MM/dd,hh:mm:ss".
 * - TS 22.042 (NITZ): the network may send universal time, the local
 *   zone (quarter hours, DST included) and DST; each is optional, and
 *   the time is expected to be right "in the order of minutes".
 * - SIMCom SIM800/SIM7600 AT+CLTS=1: *PSUTTZ: yyyy,M,d,h,m,s,"±zz",dst in
 *   universal time (some firmware prints a two-digit year), then
 *   "DST: n"; +CCLK? then reads local time.
 * - Quectel AT+QLTS: "yyyy/MM/dd,hh:mm:ss±zz,dst", local, the latest time
 *   the network sent; +QLTS: "" when it never sent one.
 * - Huawei ^NWTIME: yy/MM/dd,hh:mm:ss±zz,dst, local.
 * - Modem manuals (Multi-Tech, Motorola G24) and field reports: +CCLK?
 *   reads the modem's own clock, which after power-up says "02/01/01",
 *   "04/01/01" or "80/01/06" until the network (or someone) sets it; a
 *   network that sends no NITZ never sets it.
 *
 * Deviations, lenient: a two-digit year is 20yy (19yy from 70 on, so
 * "80/01/06" reads as 1980 and fails nettime_plausible()); blanks and
 * quotes anywhere are ignored; a zone without its sign is positive; a
 * leap second (ss = 60) is accepted.  A local time without a zone
 * (+CCLK without ±zz) is refused: it cannot be turned into UTC.
 */
#include <stdio.h>
#include <string.h>

#include "nettime.h"

#define NETTIME_TOKENS	12

struct nettime_tok {
	long	v;
	int	digits;
	int	sign;		/* 0 none, 1 '+', -1 '-' */
};

static const struct {
	const char		*prefix;
	enum nettime_kind	 kind;
} nettime_prefixes[] = {
	{ "+CCLK:", NETTIME_K_CCLK },
	{ "+CTZEU:", NETTIME_K_CTZEU },
	{ "+CTZE:", NETTIME_K_CTZE },
	{ "+CTZV:", NETTIME_K_CTZV },
	{ "*PSUTTZ:", NETTIME_K_PSUTTZ },
	{ "^NWTIME:", NETTIME_K_NWTIME },
	{ "+QLTS:", NETTIME_K_QLTS },
};

static size_t
nettime_prefix(const char *s, size_t len, enum nettime_kind *kind)
{
	size_t	i, n;

	for (i = 0; i < sizeof nettime_prefixes / sizeof nettime_prefixes[0];
	    i++) {
		n = strlen(nettime_prefixes[i].prefix);
		if (len >= n && strncmp(s, nettime_prefixes[i].prefix, n) ==
		    0) {
			*kind = nettime_prefixes[i].kind;
			return n;
		}
	}
	return 0;
}

int
nettime_is_time_line(const char *s, size_t len)
{
	enum nettime_kind	k;

	return nettime_prefix(s, len, &k) != 0;
}

/* Every number in s, with the sign written right before it. */
static int
nettime_tokens(const char *s, size_t len, struct nettime_tok *t, int max)
{
	size_t	i = 0;
	int	n = 0;

	while (i < len) {
		if (s[i] < '0' || s[i] > '9') {
			i++;
			continue;
		}
		if (n == max)
			return -1;
		t[n].v = 0;
		t[n].digits = 0;
		t[n].sign = 0;
		if (i > 0 && s[i - 1] == '+')
			t[n].sign = 1;
		else if (i > 0 && s[i - 1] == '-')
			t[n].sign = -1;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (t[n].digits == 6)
				return -1;	/* no field is that long */
			t[n].v = t[n].v * 10 + (s[i] - '0');
			t[n].digits++;
			i++;
		}
		n++;
	}
	return n;
}

int64_t
nettime_days(int y, int m, int d)
{
	int64_t	yy = (int64_t)y - (m <= 2);
	int64_t	era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t	yoe = yy - era * 400;
	int64_t	mp = (m + 9) % 12;
	int64_t	doy = (153 * mp + 2) / 5 + d - 1;
	int64_t	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void
nettime_civil(int64_t days, int *y, int *m, int *d)
{
	int64_t	z = days + 719468;
	int64_t	era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t	doe = z - era * 146097;
	int64_t	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t	mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
nettime_mdays(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Six tokens y m d h m s into seconds since 1970 (as if UTC). */
static int
nettime_fields(const struct nettime_tok *t, int64_t *out, const char **err)
{
	int	y, mo, d, h, mi, s, i;

	for (i = 0; i < 6; i++)
		if (t[i].sign != 0) {
			*err = "malformed time";
			return -1;
		}
	if (t[0].digits == 4 && t[0].v >= 1900)
		y = (int)t[0].v;
	else if (t[0].digits <= 2)
		y = t[0].v < 70 ? 2000 + (int)t[0].v : 1900 + (int)t[0].v;
	else {
		*err = "malformed year";
		return -1;
	}
	mo = (int)t[1].v;
	d = (int)t[2].v;
	h = (int)t[3].v;
	mi = (int)t[4].v;
	s = (int)t[5].v;
	if (mo < 1 || mo > 12 || d < 1 || d > nettime_mdays(y, mo) ||
	    h > 23 || mi > 59 || s > 60) {
		*err = "impossible date or time";
		return -1;
	}
	*out = nettime_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

static int
nettime_tz(const struct nettime_tok *t, int *tz, const char **err)
{
	if (t->v > 96) {
		*err = "time zone out of range";
		return -1;
	}
	*tz = t->sign < 0 ? -(int)t->v : (int)t->v;
	return 0;
}

int
nettime_parse(const char *line, size_t len, struct nettime *out,
    const char **err)
{
	struct nettime_tok	 t[NETTIME_TOKENS];
	enum nettime_kind	 kind;
	int64_t			 secs;
	size_t			 n;
	int			 nt, local, tfirst, at;

	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if ((n = nettime_prefix(line, len, &kind)) == 0) {
		*err = "not a time line";
		return -1;
	}
	if ((nt = nettime_tokens(line + n, len - n, t, NETTIME_TOKENS)) < 0) {
		*err = "malformed time";
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->source = kind == NETTIME_K_CCLK ? NETTIME_CCLK : NETTIME_NITZ;
	out->tz = NETTIME_TZ_UNKNOWN;
	out->dst = -1;
	if (nt == 0) {
		*err = "no time (the network sent none)";
		return -1;
	}
	local = kind != NETTIME_K_CTZEU && kind != NETTIME_K_PSUTTZ;
	switch (kind) {
	case NETTIME_K_CTZE:
	case NETTIME_K_CTZEU:
		tfirst = 0;
		break;
	case NETTIME_K_CTZV:
		tfirst = nt >= 6 && t[0].sign == 0;
		break;
	default:
		tfirst = 1;
		break;
	}
	if (tfirst) {
		if (nt < 6) {
			*err = "malformed time";
			return -1;
		}
		if (nettime_fields(t, &secs, err) == -1)
			return -1;
		if (nt >= 7 && nettime_tz(&t[6], &out->tz, err) == -1)
			return -1;
		if (nt >= 8 && t[7].v <= 2)
			out->dst = (int)t[7].v;
		if (nt > 8) {
			*err = "malformed time";
			return -1;
		}
	} else {
		if (nettime_tz(&t[0], &out->tz, err) == -1)
			return -1;
		at = 1;
		if (nt >= 2 && (nt == 2 || nt == 8)) {
			if (t[1].v <= 2)
				out->dst = (int)t[1].v;
			at = 2;
		}
		if (nt == at) {
			out->has_time = 0;
			return 0;	/* the zone alone */
		}
		if (nt - at != 6) {
			*err = "malformed time";
			return -1;
		}
		if (nettime_fields(t + at, &secs, err) == -1)
			return -1;
	}
	if (local) {
		if (out->tz == NETTIME_TZ_UNKNOWN) {
			*err = "local time without a time zone";
			return -1;
		}
		secs -= (int64_t)out->tz * 900;
	}
	out->has_time = 1;
	out->utc = secs;
	return 0;
}

int
nettime_plausible(int64_t t)
{
	return t >= NETTIME_MIN && t < NETTIME_MAX;
}

void
nettime_format(int64_t utc, int tz, char *buf, size_t len)
{
	int64_t	t = utc, days, rem;
	int	y, m, d, q;

	if (tz != NETTIME_TZ_UNKNOWN)
		t += (int64_t)tz * 900;
	days = t / 86400;
	rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	nettime_civil(days, &y, &m, &d);
	if (tz == NETTIME_TZ_UNKNOWN) {
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d Z", y, m, d,
		    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
		return;
	}
	q = tz < 0 ? -tz : tz;
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d %c%02d:%02d", y, m,
	    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
	    tz < 0 ? '-' : '+', q / 4, q % 4 * 15);
}

void
nettime_offset_words(int64_t off, char *buf, size_t len)
{
	int64_t		 a = off < 0 ? -off : off;
	const char	*dir = off < 0 ? "behind" : "ahead";

	/* readings are to the second: minutes are enough past an hour */
	if (a >= 86400 * 2)
		a = (a + 1800) / 3600 * 3600;
	else if (a >= 3600)
		a = (a + 30) / 60 * 60;
	if (a == 0)
		snprintf(buf, len, "on time");
	else if (a >= 86400 * 2)
		snprintf(buf, len, "%lld days %lld h %s", (long long)(a /
		    86400), (long long)(a % 86400 / 3600), dir);
	else if (a >= 3600 && a % 3600 / 60 == 0)
		snprintf(buf, len, "%lld h %s", (long long)(a / 3600), dir);
	else if (a >= 3600)
		snprintf(buf, len, "%lld h %lld min %s", (long long)(a / 3600),
		    (long long)(a % 3600 / 60), dir);
	else if (a >= 60 && a % 60 == 0)
		snprintf(buf, len, "%lld min %s", (long long)(a / 60), dir);
	else if (a >= 60)
		snprintf(buf, len, "%lld min %lld s %s", (long long)(a / 60),
		    (long long)(a % 60), dir);
	else
		snprintf(buf, len, "%lld s %s", (long long)a, dir);
}

int
nettime_should_set(int enabled, int unsync, int confirmed, int64_t sys,
    int64_t net, const char **why)
{
	int64_t	off = sys - net;

	if (!enabled) {
		*why = "set_clock is off";
		return 0;
	}
	if (!unsync) {
		*why = "another time source keeps the clock synchronized";
		return 0;
	}
	if (!nettime_plausible(net)) {
		*why = "the network time is not plausible";
		return 0;
	}
	if (!confirmed) {
		*why = "the network time is not confirmed by a second reading";
		return 0;
	}
	if (off < NETTIME_SET_MIN_OFFSET && off > -NETTIME_SET_MIN_OFFSET) {
		*why = "the system clock is close enough";
		return 0;
	}
	*why = NULL;
	return 1;
}

const char *
nettime_source_name(enum nettime_source s)
{
	switch (s) {
	case NETTIME_NITZ:
		return "nitz";
	case NETTIME_CCLK:
		return "cclk";
	default:
		return "none";
	}
}
