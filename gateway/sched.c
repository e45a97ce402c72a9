/*
 * gateway/sched.c — the scheduler: which message goes to which modem,
 * and when.
 *
 * Driven by events and one timer, never by polling: it runs when work is
 * queued (a kick from the CLI over the control socket, an inbound text
 * that needs a reply), when a modem becomes free or ready, and when the
 * earliest queued message falls due (one indexed MIN() query arms one
 * timer).  With nothing due it sleeps.  Each free, ready modem claims the
 * next message — urgent first, then oldest — in one transaction that
 * checks opt-out at that moment.
 */
#include <stdlib.h>

#include "gateway.h"
#include "log.h"

static void
sched_run(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;
	struct gw_modem	*gm;
	struct timeval	 tv;
	int64_t		 now = gw_now(), when;
	int		 rc;

	(void)fd;
	(void)what;
	gw->sched_pending = 0;
	if (gw->stopping)
		return;
	TAILQ_FOREACH(gm, &gw->modems, entry) {
		if (gm->busy || !modem_can_send(gm->m))
			continue;
		rc = outbox_claim(gw->db, gm->name, now, &gm->item);
		if (rc == -1) {
			log_warnx("scheduler: %s", db_error(gw->db));
			/* SQLITE_BUSY or worse: try again shortly */
			tv.tv_sec = 0;
			tv.tv_usec = 200000;
			evtimer_add(gw->ev_sched, &tv);
			return;
		}
		if (rc == 0)
			break;	/* nothing due */
		log_trace(TRACE_SCHED, "outbox=%lld modem=%s claimed",
		    (long long)gm->item.id, gm->name);
		send_start(gm);
	}
	/* sleep until the earliest queued message falls due */
	evtimer_del(gw->ev_sched);
	if ((rc = outbox_next_due(gw->db, &when)) == 1 && when > now) {
		tv.tv_sec = (time_t)(when - now);
		tv.tv_usec = 0;
		evtimer_add(gw->ev_sched, &tv);
		log_trace(TRACE_SCHED, "next due in %lld s",
		    (long long)(when - now));
	} else if (rc == -1) {
		tv.tv_sec = 1;
		tv.tv_usec = 0;
		evtimer_add(gw->ev_sched, &tv);
	}
	/* due now but every modem busy: a modem's result kicks us */
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
	if (gw->sched_pending || gw->stopping)
		return;
	gw->sched_pending = 1;
	event_active(gw->ev_sched, EV_TIMEOUT, 0);
}
