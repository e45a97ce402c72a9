/*
 * gateway/sched.c — the scheduler: which message goes to which modem,
 * and when.
 *
 * Driven by events and one timer, never by polling: it runs when work is
 * queued (a kick from the CLI over the control socket, another process's
 * commit seen by the database watch in dbfile.c, an inbound text that
 * needs a reply), when a modem becomes free or ready, and when the
 * earliest queued message falls due or the earliest capped modem may send
 * again (one indexed MIN() query and the caps arm one timer).  With
 * nothing due it sleeps.  Each free, ready modem under its caps claims the
 * next message — urgent first, then oldest — in one transaction that
 * checks opt-out at that moment; every modem is kept busy while work is
 * queued.
 *
 * A text members sent that could not be stored holds back its sender: no
 * claim takes a message to that number until the text is committed
 * (inbound.c keeps the numbers), and the first claim after such a failure
 * waits for the modem's storage to be read again.
 *
 * Caps (per SIM: carriers block SIMs that blast) count segments in the
 * current minute, hour and local day, plus a minimum spacing between
 * submissions; the day's count is read back from the database at start,
 * so a restart does not reset it.  The defaults are no caps and no
 * spacing: an urgent alert must never sit behind a cap nobody chose.
 */
#include <stdlib.h>
#include <time.h>

#include "gateway.h"
#include "log.h"

/* Local midnight before t. */
static int64_t
sched_day_start(int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	localtime_r(&tt, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* Roll the windows forward to now. */
static void
sched_roll(struct gw_modem *gm, int64_t now)
{
	int64_t	day;

	if (now - gm->win_min >= 60) {
		gm->win_min = now - now % 60;
		gm->used_min = 0;
	}
	if (now - gm->win_hour >= 3600) {
		gm->win_hour = now - now % 3600;
		gm->used_hour = 0;
	}
	if ((day = sched_day_start(now)) != gm->win_day) {
		gm->win_day = day;
		gm->used_day = 0;
	}
}

/* Load today's usage from the database (a restart keeps its caps). */
void
sched_modem_init(struct gw_modem *gm)
{
	struct db	*db = gm->gw->db;
	int64_t		 now = gw_now();

	gm->win_min = now - now % 60;
	gm->win_hour = now - now % 3600;
	gm->win_day = sched_day_start(now);
	if (outbox_modem_usage(db, gm->name, gm->win_day, &gm->used_day) ==
	    -1 || outbox_modem_usage(db, gm->name, gm->win_hour,
	    &gm->used_hour) == -1 || outbox_modem_usage(db, gm->name,
	    gm->win_min, &gm->used_min) == -1)
		log_warnx("modem=%s usage: %s", gm->name, db_error(db));
}

/* One segment went out through this modem. */
void
sched_submitted(struct gw_modem *gm)
{
	int64_t	now = gw_now();

	sched_roll(gm, now);
	gm->used_min++;
	gm->used_hour++;
	gm->used_day++;
	gm->last_submit = now;
	gm->recent[gm->nrecent++ % GW_RATE_RING] = now;
}

/*
 * 0 when the modem may submit now, else how many seconds until it may
 * (the end of the window whose cap is reached, or of the spacing).
 */
int64_t
sched_cap_wait(struct gw_modem *gm, int64_t now)
{
	const struct conf_modem	*cm = gm->cm;
	int64_t			 wait = 0, w;

	if (cm == NULL)
		return 0;
	sched_roll(gm, now);
	if (cm->per_minute > 0 && gm->used_min >= cm->per_minute &&
	    (w = gm->win_min + 60 - now) > wait)
		wait = w;
	if (cm->per_hour > 0 && gm->used_hour >= cm->per_hour &&
	    (w = gm->win_hour + 3600 - now) > wait)
		wait = w;
	if (cm->per_day > 0 && gm->used_day >= cm->per_day) {
		/* tomorrow's midnight, whatever daylight saving does */
		w = sched_day_start(sched_day_start(now) + 36 * 3600) - now;
		if (w > wait)
			wait = w;
	}
	if (cm->spacing > 0 && gm->last_submit > 0 &&
	    (w = gm->last_submit + cm->spacing - now) > wait)
		wait = w;
	return wait;
}

/* Segments per minute over the last GW_RATE_RING submissions. */
double
sched_rate(const struct gw_modem *gm, int64_t now)
{
	size_t	n = gm->nrecent < GW_RATE_RING ? gm->nrecent : GW_RATE_RING;
	size_t	i, k = 0;
	int64_t	oldest = now;

	for (i = 0; i < n; i++) {
		/* only the last ten minutes count */
		if (now - gm->recent[i] > 600)
			continue;
		if (gm->recent[i] < oldest)
			oldest = gm->recent[i];
		k++;
	}
	if (k == 0)
		return 0;
	return (double)k * 60.0 / (double)(now - oldest + 1);
}

/*
 * Claim the next message for gm, leaving alone the numbers whose texts
 * are not committed yet (one of them may be a STOP).
 */
int
sched_claim(struct gw_modem *gm, int64_t now, struct outbox_item *it)
{
	struct gw	*gw = gm->gw;
	const char	*skip[GW_HELD_MAX];
	size_t		 n;

	/* the clock stepped since the caller looked (send_done claims
	 * inside its own transaction): the scheduler moves the queue's
	 * deadlines first, then claims */
	if (netclock_pending(gw)) {
		sched_kick(gw);
		return 0;
	}
	n = inbound_held(gw, skip, GW_HELD_MAX);
	return outbox_claim_except(gw->db, gm->name, now, skip, n, it);
}

static void
sched_run(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;
	struct gw_modem	*gm;
	struct timeval	 tv;
	int64_t		 now, when, wait, capwait = 0, expiry = 0;
	long		 n;
	int		 rc, empty = 0;

	(void)fd;
	(void)what;
	gw->sched_pending = 0;
	if (gw->stopping)
		return;
	/* a step of the clock moves the queue's deadlines first: nothing
	 * expires or waits on a clock that jumped */
	netclock_check(gw);
	now = gw_now();
	/* a storm warning is worthless after the storm */
	if (outbox_expire(gw->db, now, &n, &expiry) == -1) {
		/* a damaged database stops the daemon (said once) */
		if (gw->stopping)
			return;
		log_warnx("scheduler: %s", db_error(gw->db));
	} else if (n > 0)
		log_info("%ld queued message%s expired", n, n == 1 ? "" : "s");
	/* texts not stored yet are read again first; the end of that sweep
	 * kicks us */
	if (inbound_claims_wait(gw)) {
		log_trace(TRACE_SCHED, "claims wait for inbound texts");
		return;
	}
	TAILQ_FOREACH(gm, &gw->modems, entry) {
		if (gm->busy || !modem_can_send(gm->m) ||
		    credit_holds(gm))
			continue;	/* out of credit, or a balance check */
		if ((wait = sched_cap_wait(gm, now)) > 0) {
			if (gm->capped_until == 0)
				log_info("modem=%s capped for %llds "
				    "(minute %ld hour %ld day %ld)", gm->name,
				    (long long)wait, gm->used_min,
				    gm->used_hour, gm->used_day);
			gm->capped_until = now + wait;
			if (capwait == 0 || wait < capwait)
				capwait = wait;
			continue;
		}
		gm->capped_until = 0;
		if (empty)
			continue;
		rc = sched_claim(gm, now, &gm->item);
		if (rc == -1) {
			if (gw->stopping)
				return;	/* damaged: no retry loop */
			log_warnx("scheduler: %s", db_error(gw->db));
			/* SQLITE_BUSY or worse: try again shortly */
			tv.tv_sec = 0;
			tv.tv_usec = 200000;
			evtimer_add(gw->ev_sched, &tv);
			return;
		}
		if (rc == 0) {
			empty = 1;	/* nothing due: no other modem claims */
			continue;
		}
		log_trace(TRACE_SCHED, "outbox=%lld modem=%s claimed",
		    (long long)gm->item.id, gm->name);
		send_start(gm);
	}
	/* sleep until the earliest queued message falls due, or a capped
	 * modem may send again while work waits */
	evtimer_del(gw->ev_sched);
	rc = outbox_next_due(gw->db, &when);
	if (rc == -1 && gw->stopping)
		return;
	if (rc == -1) {
		tv.tv_sec = 1;
		tv.tv_usec = 0;
		evtimer_add(gw->ev_sched, &tv);
		return;
	}
	if (rc == 0)
		return;	/* an enqueue kicks us */
	wait = when > now ? when - now : 0;
	if (capwait > 0 && (wait == 0 || capwait < wait))
		wait = capwait;
	/* messages waiting behind caps still expire on time */
	if (expiry > now && (wait == 0 || expiry - now < wait) &&
	    (capwait > 0 || when > now))
		wait = expiry - now;
	if (wait > 0) {
		tv.tv_sec = (time_t)wait;
		tv.tv_usec = 0;
		evtimer_add(gw->ev_sched, &tv);
		log_trace(TRACE_SCHED, "next run in %lld s", (long long)wait);
	}
	/* due now and every modem busy: a modem's result kicks us */
}

void
sched_init(struct gw *gw)
{
	gw->ev_sched = evtimer_new(gw->base, sched_run, gw);
	if (gw->ev_sched == NULL)
		fatalx("scheduler: out of memory");
}

void
sched_free(struct gw *gw)
{
	if (gw->ev_sched != NULL)
		event_free(gw->ev_sched);
	gw->ev_sched = NULL;
}

/* Run the scheduler from the loop, once, as soon as possible. */
void
sched_kick(struct gw *gw)
{
	notify_changed(gw->notify);
	if (gw->sched_pending || gw->stopping)
		return;
	gw->sched_pending = 1;
	event_active(gw->ev_sched, EV_TIMEOUT, 0);
}
