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
 * fix.  What a jump changes: libevent's timers run on the monotonic
 * clock and do not notice; the caps' windows and the spacing between
 * submissions are wall times, so they are reloaded, and the scheduler
 * looks at scheduled alerts again at once.
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

/* The clock jumped: wall-time windows start again from now. */
static void
netclock_jumped(struct gw *gw)
{
	struct gw_modem	*gm;

	TAILQ_FOREACH(gm, &gw->modems, entry) {
		sched_modem_init(gm);
		gm->capped_until = 0;
		if (gm->last_submit > 0)
			gm->last_submit = gw_now();
		gm->nrecent = 0;
	}
	sched_kick(gw);
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
	netclock_jumped(gw);
}
