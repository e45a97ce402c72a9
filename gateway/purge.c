/*
 * gateway/purge.c — retention in the daemon: the purge (db/retain.c) runs
 * at start and then once a day, one batch of PURGE_BATCH rows per turn
 * of the event loop, so texts go out and control requests are answered
 * between two batches.
 */
#include <stdio.h>
#include <string.h>

#include "gateway.h"
#include "log.h"

#define PURGE_BATCH	500		/* rows per transaction */
#define PURGE_EVERY	(24 * 3600)	/* seconds between two runs */
#define PURGE_RETRY	60		/* after an error */

static void
purge_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw	*gw = arg;
	struct timeval	 tv = { 0, 0 };
	struct retain	*r = &gw->purge;
	int64_t		 now;
	int		 rc;

	(void)fd;
	(void)what;
	if (gw->stopping || gw->conf->retention <= 0)
		return;
	if (!gw->purging) {
		now = gw_now();
		/* finished texts stay while a status report may still match
		 * them (and caps and rate limits count them) */
		retain_start(r, now, now - gw->conf->retention,
		    now - GW_REPORT_WINDOW);
		gw->purging = 1;
	}
	rc = retain_step(gw->db, r, PURGE_BATCH);
	if (rc == 1) {
		evtimer_add(gw->ev_purge, &tv);	/* the next batch, next turn */
		return;
	}
	if (rc == -1 && db_busy(gw->db)) {
		tv.tv_sec = 1;			/* the same batch again */
		evtimer_add(gw->ev_purge, &tv);
		return;
	}
	gw->purging = 0;
	if (rc == -1) {
		log_warnx("retention: %s (trying again in %d s)",
		    db_error(gw->db), PURGE_RETRY);
		tv.tv_sec = PURGE_RETRY;
		evtimer_add(gw->ev_purge, &tv);
		return;
	}
	log_info("retention: removed %ld inbox texts, %ld outbox rows, %ld "
	    "numbers (now markers), %ld consent texts", r->n.inbox,
	    r->n.outbox, r->n.numbers, r->n.consent_texts);
	tv.tv_sec = PURGE_EVERY;
	evtimer_add(gw->ev_purge, &tv);
}

/* At start: the first run on the first turn of the loop. */
void
purge_init(struct gw *gw)
{
	struct timeval	tv = { 0, 0 };

	gw->ev_purge = evtimer_new(gw->base, purge_cb, gw);
	evtimer_add(gw->ev_purge, &tv);
}

void
purge_free(struct gw *gw)
{
	if (gw->ev_purge != NULL)
		event_free(gw->ev_purge);
	gw->ev_purge = NULL;
}

/*
 * The status line: "retention SECONDS running 0|1 last_run T inbox N
 * outbox N numbers N consent_texts N" (last_run 0: none yet).
 */
void
purge_status(struct gw *gw, char *buf, size_t len)
{
	struct retain_counts	n;
	int64_t			at;

	if (retain_last(gw->db, &at, &n) != 1) {
		at = 0;
		memset(&n, 0, sizeof n);
	}
	snprintf(buf, len, "retention %lld running %d last_run %lld inbox %ld "
	    "outbox %ld numbers %ld consent_texts %ld",
	    (long long)gw->conf->retention, gw->purging, (long long)at,
	    n.inbox, n.outbox, n.numbers, n.consent_texts);
}
