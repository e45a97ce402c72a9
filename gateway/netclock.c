/*
 * gateway/netclock.c — set the system clock from the network's time
 * (set_clock = yes).
 *
 * A Raspberry Pi has no battery clock: offline, it boots with the time of
 * its last shutdown (fake-hwclock), and scheduled alerts, the daily caps
 * and retention then run on a wrong clock.  The modems hear the
 * network's time (NITZ, modem/modem_clock.c).  When a modem has a
 * confirmed time (two readings that agree), the kernel says nothing
 * synchronizes the clock (adjtimex: TIME_ERROR / STA_UNSYNC, which NTP,
 * chrony and systemd-timesyncd clear once they have set it), and the
 * clock is NETTIME_SET_MIN_OFFSET or more away from the network's time,
 * the daemon sets it (nettime_should_set() decides; it is tested alone).
 * Modems that disagree with each other by more than that set nothing.
 *
 * Setting the clock needs CAP_SYS_TIME: EPERM is logged once, with the
 * fix.
 *
 * Steps of the wall clock, whoever makes them (this file, NTP, chrony,
 * timesyncd, an operator's date -s): the wall clock minus the monotonic
 * clock is remembered; when it changes by NETCLOCK_STEP_MIN seconds or
 * more, the clock stepped.  It is checked before every scheduler run
 * (so nothing expires or is claimed on a step not yet accounted for) and
 * every NETCLOCK_CHECK_SEC seconds, and before a text read or a
 * housekeeping run (so nothing stored on the new clock is moved with
 * what was stored on the old one).  The deadlines that are durations
 * move with the step, in one transaction: a retry's backoff, an alert's
 * validity counted from when it was queued, the caps' windows and the
 * spacing, the send times status reports are matched against
 * (GW_REPORT_WINDOW); an organizer's lock-out, wrong PINs and confirmation codes;
 * the parts of a long text waiting for the rest (GW_PARTS_TIMEOUT) and
 * the completed ones remembered; a poll's window.  So a clock corrected
 * by hours or days neither holds anything back nor expires it, and no
 * lock-out ends early.  A broadcast scheduled for a wall-clock time
 * (send --at) and not yet started follows the corrected clock.  The
 * daemon's own short waits in memory (a held text's GW_ORDER_WAIT, a
 * panic wipe's GW_WIPE_TELL_SEC) are on the monotonic clock
 * (gw_mono()).  A time written on the new clock before the daemon saw
 * a step forward (the CLI's send, whose kick is often what makes it
 * look; a retry recorded meanwhile) is told by the time it was written
 * at, and stays (outbox_clock_step).
 * A step while the daemon was stopped is not seen: at
 * start, a queued row due more than GW_RETRY_MAX (the longest backoff)
 * ahead is due now.
 */
#include <sys/timex.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "gateway.h"
#include "log.h"
#include "nettime.h"

/*
 * 1 when the kernel says no time source keeps the clock synchronized.
 * adjtimex refused (a system call filter without @clock, as the packaged
 * unit's): a warning, once, since the clock will then never be set.
 */
static int
netclock_unsynced(void)
{
	static int	refused_logged;
	struct timex	tx;
	int		rc;

	memset(&tx, 0, sizeof tx);
	if ((rc = adjtimex(&tx)) == -1) {
		if (errno == EPERM && !refused_logged) {
			refused_logged = 1;
			log_warnx("cannot set the system clock from the network "
			    "time: reading its state (adjtimex) was refused: "
			    "%s (set_clock needs SystemCallFilter=@clock, "
			    "ProtectClock=no and CAP_SYS_TIME in the service; "
			    "README: The clock)", strerror(errno));
		}
		return 0;	/* cannot tell: leave the clock alone */
	}
	return rc == TIME_ERROR || (tx.status & STA_UNSYNC) != 0;
}

/* The wall clock minus the monotonic clock, in milliseconds. */
static int64_t
netclock_offset(void)
{
	struct timespec	rt, mt;

	if (clock_gettime(CLOCK_REALTIME, &rt) == -1 ||
	    clock_gettime(CLOCK_MONOTONIC, &mt) == -1)
		fatal("clock_gettime");
	return ((int64_t)rt.tv_sec - (int64_t)mt.tv_sec) * 1000 +
	    ((int64_t)rt.tv_nsec - (int64_t)mt.tv_nsec) / 1000000;
}

/* The clock stepped by step seconds: wall-time windows move with it. */
static void
netclock_shift_modems(struct gw *gw, int64_t step)
{
	struct gw_modem	*gm;
	size_t		 i;

	TAILQ_FOREACH(gm, &gw->modems, entry) {
		/* the day is the carrier's local day: it follows the clock
		 * (sched_roll) */
		gm->win_min += step;
		gm->win_hour += step;
		if (gm->last_submit > 0)
			gm->last_submit += step;
		if (gm->capped_until > 0)
			gm->capped_until += step;
		for (i = 0; i < GW_RATE_RING; i++)
			if (gm->recent[i] > 0)
				gm->recent[i] += step;
		/* a backoff computed, its row not updated yet */
		if (gm->outcome == SEND_RETRY && gm->outcome_at > 0)
			gm->outcome_at += step;
	}
	/* held delivery reports match parts by time: with them */
	for (i = 0; i < gw->nreports; i++)
		gw->reports[i].at += step;
}

/* The stored deadlines that are durations, in one transaction. */
static int
netclock_shift_db(struct gw *gw, int64_t step, int64_t now, long *n)
{
	struct db	*db = gw->db;

	if (db_begin(db) == -1)
		return -1;
	if (outbox_clock_step(db, step, now, GW_RETRY_MAX, n) == -1 ||
	    organizer_clock_step(db, step, now) == -1 ||
	    inbox_part_clock_step(db, step) == -1 ||
	    poll_clock_step(db, step, now) == -1) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

/*
 * Has the wall clock stepped since the last look?  (Called from the loop
 * only, never inside a transaction.)  Then the queue's and
 * the caps' durations move with it (see the top of this file).  A
 * database that cannot take the change now is tried again at the next
 * look: the step is remembered until it is applied.
 */
void
netclock_check(struct gw *gw)
{
	int64_t	off = netclock_offset(), step, now;
	long	n;

	step = off - gw->clock_offset;
	if (gw->db == NULL || (step < NETCLOCK_STEP_MIN * 1000 &&
	    step > -NETCLOCK_STEP_MIN * 1000))
		return;
	step = (step >= 0 ? step + 500 : step - 500) / 1000;
	now = gw_now();
	if (netclock_shift_db(gw, step, now, &n) == -1) {
		if (!gw->stopping)
			log_warnx("clock stepped %+lld s: queue not adjusted "
			    "yet: %s", (long long)step, db_error(gw->db));
		return;
	}
	gw->clock_offset = off;
	netclock_shift_modems(gw, step);
	log_warnx("event=clock-step the system clock stepped %s by %lld s; "
	    "%ld queued deadline%s moved with it (and the organizers' "
	    "lock-outs and codes, the parts of long texts, the polls' "
	    "windows)", step > 0 ? "forward" :
	    "back", (long long)(step > 0 ? step : -step), n, n == 1 ? "" : "s");
	sched_kick(gw);
}

/*
 * 1 when the clock stepped and netclock_check() has not moved the queue
 * yet: no claim then (inside another transaction it cannot be moved).
 */
int
netclock_pending(struct gw *gw)
{
	int64_t	step = netclock_offset() - gw->clock_offset;

	return step >= NETCLOCK_STEP_MIN * 1000 ||
	    step <= -NETCLOCK_STEP_MIN * 1000;
}

static void
netclock_check_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	netclock_check(arg);
}

/*
 * At start: remember where the clock stands, bring back rows a step
 * while the daemon was stopped pushed too far ahead, and start looking.
 */
int
netclock_init(struct gw *gw)
{
	struct timeval	tv = { NETCLOCK_CHECK_SEC, 0 };
	long		n;

	gw->clock_offset = netclock_offset();
	if (outbox_clock_step(gw->db, 0, gw_now(), GW_RETRY_MAX, &n) == -1)
		return -1;
	if (n > 0)
		log_warnx("event=clock-step %ld queued message%s due more than "
		    "%d s ahead (the clock was ahead when queued) due now", n,
		    n == 1 ? "" : "s", GW_RETRY_MAX);
	gw->ev_clock = event_new(gw->base, -1, EV_PERSIST, netclock_check_cb,
	    gw);
	if (gw->ev_clock == NULL)
		fatalx("netclock: out of memory");
	evtimer_add(gw->ev_clock, &tv);
	return 0;
}

void
netclock_free(struct gw *gw)
{
	if (gw->ev_clock != NULL)
		event_free(gw->ev_clock);
	gw->ev_clock = NULL;
}

/* A modem read a new network time. */
void
netclock_heard(struct gw *gw, struct gw_modem *from)
{
	static int		 eperm_logged;
	struct modem_time	 mt, other;
	struct gw_modem		*gm;
	struct timespec		 ts;
	const char		*why;
	char			 was[48], now[48];
	int64_t			 sys;

	if (!gw->conf->set_clock ||
	    modem_network_time(from->m, &mt) == -1 || !mt.confirmed)
		return;
	TAILQ_FOREACH(gm, &gw->modems, entry) {
		if (gm == from || modem_network_time(gm->m, &other) == -1 ||
		    !other.confirmed)
			continue;
		if (other.network - mt.network > NETTIME_SET_MIN_OFFSET ||
		    mt.network - other.network > NETTIME_SET_MIN_OFFSET) {
			log_info("event=clock-not-set modems %s and %s disagree "
			    "on the network time by %lld s", from->name,
			    gm->name, (long long)(other.network - mt.network));
			return;
		}
	}
	sys = gw_now();
	if (!nettime_should_set(1, netclock_unsynced(), mt.confirmed, sys,
	    mt.network, &why)) {
		log_debug("event=clock-not-set modem=%s: %s", from->name, why);
		return;
	}
	ts.tv_sec = (time_t)mt.network;
	ts.tv_nsec = 0;
	if (clock_settime(CLOCK_REALTIME, &ts) == -1) {
		if (errno != EPERM || !eperm_logged)
			log_warnx("cannot set the system clock from the network "
			    "time: %s%s", strerror(errno), errno == EPERM ?
			    " (tambulid needs CAP_SYS_TIME: see \"Clock\" in "
			    "the README for the systemd drop-in)" : "");
		if (errno == EPERM)
			eperm_logged = 1;
		return;
	}
	nettime_format(sys, mt.tz, was, sizeof was);
	nettime_format(mt.network, mt.tz, now, sizeof now);
	log_warnx("event=clock-set system clock set from the network time "
	    "(modem %s, %s): was %s, now %s (%+lld s)", from->name,
	    nettime_source_name((enum nettime_source)mt.source), was, now,
	    (long long)(mt.network - sys));
	netclock_check(gw);
}
