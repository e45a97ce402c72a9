/*
 * modem/modem_clock.c — the network's time, as the modem hears it.
 *
 * At initialization the driver asks for automatic clock updates from the
 * network (AT+CTZU=1, TS 27.007 §8.40), zone and time reports
 * (AT+CTZR=2: +CTZE URCs, §8.41), and on SIMCom AT+CLTS=1 (*PSUTTZ
 * URCs; some SIM800 firmware applies it only after a restart, and AT&W
 * is not sent: it would save every other setting too).  Each is
 * optional: an ERROR is ignored, and none waits for the network.  Once the modem is ready, and then from the health timer, it
 * reads AT+CCLK? (and on Quectel AT+QLTS, the last time the network
 * sent): every minute while it has no confirmed time (every ten when the
 * modem has no time at all), every hour after.  Commands are queued like
 * any other, so none interrupts a submission.
 *
 * What is believed (nettime.c parses):
 * - a NITZ URC or +QLTS with a time: the network's time ("nitz");
 * - +CCLK?: the modem's own clock ("cclk"), only when a NITZ URC was
 *   seen since the port opened or the modem accepted +CTZU=1 / +CLTS=1
 *   (so its clock follows the network), and never before NETTIME_MIN:
 *   a clock nobody set reads its power-up default ("04/01/01",
 *   "80/01/06") or its firmware's date.  A network that sends no NITZ
 *   leaves the modem without a time: status says so.
 * - A reading is "confirmed" when the one before it, carried forward by
 *   the monotonic clock, says the same time within NETTIME_AGREE
 *   seconds; a reading that disagrees starts over.  The daemon sets the
 *   system clock only from a confirmed time, so one bogus line (a
 *   hostile network, a glitch on the serial line) is not enough.
 *
 * The time kept is the reading and the monotonic instant it was taken:
 * the network's time now is that reading plus the monotonic time since,
 * whatever happens to the system clock meanwhile.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "modem_int.h"

#define MODEM_CLOCK_POLL_NONE	600	/* s: no time at all */
#define MODEM_CLOCK_POLL_UNCONF	60	/* s: a time, not confirmed */
#define MODEM_CLOCK_POLL_OK	3600	/* s: confirmed */

static int64_t
modem_clock_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
modem_clock_vendor(const struct modem *m, const char *name)
{
	return m->quirks != NULL && strcmp(m->quirks->name, name) == 0;
}

static void
modem_clock_auto_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	(void)c;
	if (modem_final_ok(ev))
		m->clk_auto = 1;
}

/* During initialization, before registration: reports at attach. */
void
modem_clock_init(struct modem *m)
{
	m->clk_auto = 0;
	m->clk_nitz = 0;
	m->clk_queued = 0;
	modem_cmd(m, "AT+CTZU=1", NULL, 0, 0, NULL, modem_clock_auto_done);
	modem_cmd(m, "AT+CTZR=2", NULL, 0, 0, NULL, NULL);
	if (modem_clock_vendor(m, "simcom"))
		modem_cmd(m, "AT+CLTS=1", NULL, 0, 0, NULL,
		    modem_clock_auto_done);
}

/* One reading, from an answer or a URC. */
static void
modem_clock_take(struct modem *m, const struct nettime *nt,
    const char *line)
{
	int64_t	now = modem_clock_mono_ms(), was;
	char	buf[48];

	if (!nt->has_time) {
		/* a zone alone: the clock may just have been set */
		m->clk_zone = nt->tz;
		return;
	}
	if (!nettime_plausible(nt->utc)) {
		if (!m->clk_unset_logged)
			log_info("modem=%s event=modem-clock-unset line=\"%s\"",
			    m->name, line);
		m->clk_unset_logged = 1;
		return;
	}
	if (nt->source == NETTIME_CCLK && !m->clk_nitz && !m->clk_auto)
		return;	/* a clock that does not follow the network */
	if (nt->source == NETTIME_NITZ)
		m->clk_nitz = 1;
	m->clk_confirmed = 0;
	if (m->clk.has_time) {
		was = m->clk.utc + (now - m->clk_mono) / 1000;
		if (was - nt->utc <= NETTIME_AGREE &&
		    nt->utc - was <= NETTIME_AGREE)
			m->clk_confirmed = 1;
	}
	m->clk = *nt;
	if (m->clk.tz == NETTIME_TZ_UNKNOWN)
		m->clk.tz = m->clk_zone;
	if (nt->source == NETTIME_CCLK && m->clk_nitz)
		m->clk.source = NETTIME_NITZ;	/* set by the network */
	m->clk_mono = now;
	nettime_format(nt->utc, m->clk.tz, buf, sizeof buf);
	log_debug("modem=%s event=network-time time=\"%s\" source=%s "
	    "confirmed=%d", m->name, buf, nettime_source_name(m->clk.source),
	    m->clk_confirmed);
	if (m->cb.clock != NULL)
		m->cb.clock(m, m->arg);
}

static void
modem_clock_read_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	struct nettime	 nt;
	const char	*err;

	if (c->arg == 1)
		m->clk_queued = 0;
	if (!modem_final_ok(ev) || c->first[0] == '\0')
		return;
	if (nettime_parse(c->first, strlen(c->first), &nt, &err) == -1) {
		log_debug("modem=%s clock answer \"%s\": %s", m->name,
		    c->first, err);
		return;
	}
	modem_clock_take(m, &nt, c->first);
}

/* Read the clock now (unless a read is already queued). */
void
modem_clock_read(struct modem *m)
{
	if (m->clk_queued || m->port == NULL)
		return;
	m->clk_queued = 1;
	m->clk_polled = modem_clock_mono_ms();
	if (modem_clock_vendor(m, "quectel"))
		modem_cmd(m, "AT+QLTS", "+QLTS:", 0, 0, NULL,
		    modem_clock_read_done);
	modem_cmd(m, "AT+CCLK?", "+CCLK:", 0, 0, NULL,
	    modem_clock_read_done)->arg = 1;
}

/* From the health timer. */
void
modem_clock_tick(struct modem *m)
{
	int64_t	age = (modem_clock_mono_ms() - m->clk_polled) / 1000;
	int	every;

	if (!m->clk.has_time)
		every = MODEM_CLOCK_POLL_NONE;
	else if (!m->clk_confirmed)
		every = MODEM_CLOCK_POLL_UNCONF;
	else
		every = MODEM_CLOCK_POLL_OK;
	if (age + 1 >= every)
		modem_clock_read(m);
}

/* A line that may be a time report: 1 when it was one (consumed). */
int
modem_clock_urc(struct modem *m, const struct at_event *ev)
{
	struct nettime	 nt;
	const char	*err;

	if (!nettime_is_time_line(ev->line, ev->len))
		return 0;
	if (nettime_parse(ev->line, ev->len, &nt, &err) == -1) {
		log_debug("modem=%s time report \"%.*s\": %s", m->name,
		    (int)ev->len, ev->line, err);
		return 1;
	}
	modem_clock_take(m, &nt, ev->line);
	/* a second reading, from the modem's clock the network just set */
	if (m->info.state == MODEM_READY)
		modem_clock_read(m);
	return 1;
}

int
modem_network_time(const struct modem *m, struct modem_time *out)
{
	memset(out, 0, sizeof *out);
	out->tz = NETTIME_TZ_UNKNOWN;
	if (!m->clk.has_time)
		return -1;
	/* the reading is to the second: count from the middle of it */
	out->network = m->clk.utc + (modem_clock_mono_ms() - m->clk_mono +
	    500) / 1000;
	out->tz = m->clk.tz;
	out->source = m->clk.source;
	out->confirmed = m->clk_confirmed;
	return 0;
}
