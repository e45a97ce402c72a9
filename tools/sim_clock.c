/*
 * tools/sim_clock.c — the simulated network's time (NITZ) and the
 * modem's clock.
 *
 * The network's time is the real clock plus an offset (--network-time
 * +3h), or a given instant that then runs on (--network-time
 * 2026-12-04T10:00:00+08:00), in a zone (+08:00 unless given); or there
 * is none (--network-time none: a network that sends no NITZ).
 *
 * At registration the network's time reaches the modem as its vendor
 * reports it: *PSUTTZ (universal) and DST on SIMCom after AT+CLTS=1,
 * ^NWTIME (local) on Huawei always, and on every personality +CTZV /
 * +CTZE / +CTZEU after AT+CTZR=1/2/3 (TS 27.007 §8.41).  The modem's
 * clock (AT+CCLK?) follows the network once it has heard it with
 * AT+CTZU=1 (or +CLTS=1, or on Huawei); before that, and with no NITZ,
 * it reads its power-up default, "04/01/01,00:00:00+00" plus the time
 * since power-on, as real modems do.  Quectel's AT+QLTS reads the last
 * network time, "" when there was none.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "nettime.h"
#include "sim.h"

/* as sim_at.c numbers its command forms */
#define SIM_CLOCK_EXEC	0
#define SIM_CLOCK_READ	1
#define SIM_CLOCK_TEST	2
#define SIM_CLOCK_SET	3

#define SIM_CLOCK_RTC_DEFAULT	INT64_C(1072915200)	/* 2004-01-01 */

static int64_t
sim_clock_real(void)
{
	return (int64_t)time(NULL);
}

/* "+08:00", "-0530", "+8" into quarter hours. */
static int
sim_clock_zone(const char *s, int *tz)
{
	int	sign, h = 0, m = 0, n;

	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (sscanf(s, "%2d%n", &h, &n) != 1)
		return -1;
	s += n;
	if (*s == ':')
		s++;
	if (*s != '\0' && (sscanf(s, "%2d%n", &m, &n) != 1 || s[n] != '\0'))
		return -1;
	if (h > 24 || m % 15 != 0 || m > 45)
		return -1;
	*tz = sign * (h * 4 + m / 15);
	return 0;
}

int
sim_clock_set(struct sim *sim, const char *spec, const char **err)
{
	int	 y, mo, d, h, mi, s, n, tz = 32;
	char	*end;
	long	 v;

	if (strcmp(spec, "none") == 0) {
		sim->net_none = 1;
		return 0;
	}
	if (strcmp(spec, "now") == 0) {
		sim->net_none = 0;
		sim->net_offset = 0;
		return 0;
	}
	if (*spec == '+' || *spec == '-') {
		v = strtol(spec, &end, 10);
		if (end == spec + 1 || v < -100000000L || v > 100000000L)
			goto bad;
		if (strcmp(end, "s") == 0 || *end == '\0')
			;
		else if (strcmp(end, "m") == 0)
			v *= 60;
		else if (strcmp(end, "h") == 0)
			v *= 3600;
		else if (strcmp(end, "d") == 0)
			v *= 86400;
		else
			goto bad;
		sim->net_none = 0;
		sim->net_offset = v;
		return 0;
	}
	if (sscanf(spec, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &s, &n) != 6 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || s > 59 || y < 1970)
		goto bad;
	if (spec[n] != '\0' && strcmp(spec + n, "Z") != 0 &&
	    sim_clock_zone(spec + n, &tz) == -1)
		goto bad;
	if (strcmp(spec + n, "Z") == 0)
		tz = 0;
	sim->net_none = 0;
	sim->net_tz = tz;
	sim->net_offset = nettime_days(y, mo, d) * 86400 + h * 3600 +
	    mi * 60 + s - (int64_t)tz * 900 - sim_clock_real();
	return 0;
bad:
	*err = "network time: none, now, +/-N[smhd], or "
	    "YYYY-MM-DDTHH:MM:SS[+HH:MM]";
	return -1;
}

void
sim_clock_power_on(struct sim *sim)
{
	sim->rtc_boot = sim_clock_real();
	sim->rtc_synced = 0;
	sim->nitz_seen = 0;
	sim->ctzu = 0;
	sim->ctzr = 0;
	sim->clts = 0;
}

/* The network's time now (UTC seconds). */
static int64_t
sim_clock_net(struct sim *sim)
{
	return sim_clock_real() + sim->net_offset;
}

/* Fields of t + tz quarter hours. */
static void
sim_clock_fields(int64_t t, int tz, int f[6])
{
	char	buf[48];

	/* "2026-12-04 10:00:03 +08:00" */
	nettime_format(t, tz, buf, sizeof buf);
	sscanf(buf, "%d-%d-%d %d:%d:%d", &f[0], &f[1], &f[2], &f[3], &f[4],
	    &f[5]);
}

/* The modem's clock: the network's once heard, else its default. */
static void
sim_clock_cclk(struct sim *sim, char *out, size_t len)
{
	int64_t	t;
	int	f[6], tz;

	if (sim->rtc_synced && !sim->net_none) {
		t = sim_clock_net(sim);
		tz = sim->net_tz;
	} else {
		t = SIM_CLOCK_RTC_DEFAULT + sim_clock_real() - sim->rtc_boot;
		tz = 0;
	}
	sim_clock_fields(t, tz, f);
	snprintf(out, len, "+CCLK: \"%02d/%02d/%02d,%02d:%02d:%02d%c%02d\"",
	    f[0] % 100, f[1], f[2], f[3], f[4], f[5], tz < 0 ? '-' : '+',
	    tz < 0 ? -tz : tz);
}

/* The NITZ information at registration, as this vendor reports it. */
void
sim_clock_nitz(struct sim *sim)
{
	char	 line[128];
	int64_t	 t;
	int	 f[6], tz = sim->net_tz;
	char	 sign = tz < 0 ? '-' : '+';
	int	 q = tz < 0 ? -tz : tz;

	if (sim->net_none)
		return;
	t = sim_clock_net(sim);
	sim->nitz_seen = 1;
	if (sim->ctzu || sim->clts || sim->pers->huawei)
		sim->rtc_synced = 1;
	if (strcmp(sim->pers->name, "simcom") == 0 && sim->clts) {
		sim_clock_fields(t, 0, f);
		snprintf(line, sizeof line, "*PSUTTZ: %04d,%d,%d,%d,%d,%d,"
		    "\"%c%02d\",0", f[0], f[1], f[2], f[3], f[4], f[5], sign,
		    q);
		sim_at_urc(sim, line);
		sim_at_urc(sim, "DST: 0");
	}
	if (sim->pers->huawei) {
		sim_clock_fields(t, tz, f);
		snprintf(line, sizeof line, "^NWTIME: %02d/%02d/%02d,%02d:%02d:"
		    "%02d%c%02d,00", f[0] % 100, f[1], f[2], f[3], f[4], f[5],
		    sign, q);
		sim_at_urc(sim, line);
	}
	switch (sim->ctzr) {
	case 1:
		snprintf(line, sizeof line, "+CTZV: %c%02d", sign, q);
		sim_at_urc(sim, line);
		break;
	case 2:
	case 3:
		sim_clock_fields(t, sim->ctzr == 2 ? tz : 0, f);
		snprintf(line, sizeof line, "%s: \"%c%02d\",0,\"%04d/%02d/%02d,"
		    "%02d:%02d:%02d\"", sim->ctzr == 2 ? "+CTZE" : "+CTZEU",
		    sign, q, f[0], f[1], f[2], f[3], f[4], f[5]);
		sim_at_urc(sim, line);
		break;
	}
}

static int
sim_clock_flag(int form, int nargs, char **args, int max, int *v,
    const char *name, char *out, size_t len)
{
	char	*end;
	long	 n;

	switch (form) {
	case SIM_CLOCK_READ:
		snprintf(out, len, "%s: %d", name, *v);
		return 0;
	case SIM_CLOCK_TEST:
		snprintf(out, len, "%s: (0-%d)", name, max);
		return 0;
	case SIM_CLOCK_SET:
		if (nargs != 1)
			return -1;
		n = strtol(args[0], &end, 10);
		if (*end != '\0' || end == args[0] || n < 0 || n > max)
			return -1;
		*v = (int)n;
		return 0;
	}
	return -1;
}

/*
 * +CCLK, +CTZU, +CTZR, +CLTS (SIMCom), +QLTS (Quectel).  0 with an
 * information line in out ("" for none), -1 for ERROR.
 */
int
sim_clock_cmd(struct sim *sim, const char *cmd, int form, int nargs,
    char **args, char *out, size_t len)
{
	int	f[6], q = sim->net_tz < 0 ? -sim->net_tz : sim->net_tz;

	out[0] = '\0';
	if (strcmp(cmd, "+CCLK") == 0) {
		if (form == SIM_CLOCK_READ) {
			sim_clock_cclk(sim, out, len);
			return 0;
		}
		return form == SIM_CLOCK_TEST ? 0 : -1;
	}
	if (strcmp(cmd, "+CTZU") == 0)
		return sim_clock_flag(form, nargs, args, 1, &sim->ctzu, cmd,
		    out, len);
	if (strcmp(cmd, "+CTZR") == 0)
		return sim_clock_flag(form, nargs, args, 3, &sim->ctzr, cmd,
		    out, len);
	if (strcmp(cmd, "+CLTS") == 0 &&
	    strcmp(sim->pers->name, "simcom") == 0)
		return sim_clock_flag(form, nargs, args, 1, &sim->clts, cmd,
		    out, len);
	if (strcmp(cmd, "+QLTS") == 0 &&
	    strcmp(sim->pers->name, "quectel") == 0) {
		if (form != SIM_CLOCK_EXEC)
			return form == SIM_CLOCK_TEST ? 0 : -1;
		if (!sim->nitz_seen || sim->net_none) {
			snprintf(out, len, "+QLTS: \"\"");
			return 0;
		}
		sim_clock_fields(sim_clock_net(sim), sim->net_tz, f);
		snprintf(out, len, "+QLTS: \"%04d/%02d/%02d,%02d:%02d:%02d"
		    "%c%02d,0\"", f[0], f[1], f[2], f[3], f[4], f[5],
		    sim->net_tz < 0 ? '-' : '+', q);
		return 0;
	}
	return -1;
}
