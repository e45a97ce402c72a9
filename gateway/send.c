/*
 * gateway/send.c — sending one outbox message through one modem.
 *
 * The text is planned once (the configured policy, "smart" by default:
 * typographic look-alikes replaced so the text stays GSM 7-bit), and its
 * segments go out one after another through the same modem, all with the
 * same concatenation reference.  The row was committed "sending" before
 * the first AT+CMGS; the result is one more transaction: sent, queued
 * again for a retry with quadratic backoff (temporary failure), or
 * failed (permanent failure, or too many attempts).  A modem lost in the
 * middle puts the message straight back in the queue for another modem,
 * the attempt not counted (send_lost).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"
#include "pdu.h"

static void	send_progress(struct gw_modem *);

static void
send_release(struct gw_modem *gm)
{
	evtimer_del(gm->ev_spacing);
	if (gm->plan != NULL) {
		plan_free(gm->plan);
		free(gm->plan);
		gm->plan = NULL;
	}
	outbox_item_clear(&gm->item);
	gm->busy = 0;
	credit_idle(gm);	/* a balance check waiting for this message */
	organizer_done(gm->gw);	/* "done" to an organizer's phone */
	sched_kick(gm->gw);
}

/*
 * Record the outcome of the message in flight (gm->outcome) in the
 * database.  When that fails (the database is busy or failing), the modem
 * keeps the message, takes no other work, and tries again every second:
 * the row must not stay "sending" until a restart (it would never be sent,
 * and its broadcast never done), nor be sent twice.
 */
static int
send_record(struct gw_modem *gm)
{
	struct gw	*gw = gm->gw;
	int64_t		 now = gw_now();
	int		 rc = -1;

	switch (gm->outcome) {
	case SEND_SENT:
		rc = outbox_sent(gw->db, gm->item.id, gm->name, gm->mr,
		    gm->plan != NULL ? gm->plan->nseg : 0, gm->cm != NULL ?
		    gm->cm->reports : gw->conf->reports, now);
		break;
	case SEND_RETRY:
		rc = outbox_retry(gw->db, gm->item.id, gm->outcome_err,
		    gm->outcome_at, now);
		break;
	case SEND_FAILED:
		rc = outbox_failed(gw->db, gm->item.id, gm->outcome_err, now);
		break;
	case SEND_UNCLAIM:
		rc = outbox_unclaim(gw->db, gm->item.id, gm->outcome_err, now);
		break;
	}
	return rc;
}

/*
 * A system text that has gone for good may be the confirmation of a
 * FORGET: its number is then forgotten again (inbound_forgotten); or an
 * organizer's reply carrying a code, now blanked (organizer.c).
 */
static void
send_forgotten(struct gw_modem *gm)
{
	/* a reply that carried a code was blanked: its text goes from the
	 * write-ahead log too */
	if (gm->outcome == SEND_RETRY || gm->outcome == SEND_UNCLAIM)
		return;		/* not gone: queued again */
	if (gm->item.secret)
		gm->gw->forget_ckpt = 1;
	if (gm->item.kind == OUTBOX_SYSTEM)
		inbound_forgotten(gm->gw);
}

static void
send_pending_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw_modem	*gm = arg;
	struct timeval	 tv = { 1, 0 };

	(void)fd;
	(void)what;
	if (send_record(gm) == -1) {
		evtimer_add(gm->ev_pending, &tv);
		return;
	}
	log_info("outbox=%lld outcome recorded after a database error",
	    (long long)gm->item.id);
	send_forgotten(gm);
	send_progress(gm);
	send_release(gm);
}

/* Record the outcome now, or keep trying. */
static void
send_finish(struct gw_modem *gm)
{
	struct timeval	tv = { 1, 0 };

	if (send_record(gm) == -1) {
		log_warnx("outbox=%lld outcome not recorded, retrying: %s",
		    (long long)gm->item.id, db_error(gm->gw->db));
		strlcpy(gm->gw->held_err, db_error(gm->gw->db),
		    sizeof gm->gw->held_err);
		evtimer_add(gm->ev_pending, &tv);
		return;
	}
	send_forgotten(gm);
	send_progress(gm);
	send_release(gm);
}

/* Give the message up for good. */
static void
send_fail(struct gw_modem *gm, const char *err)
{
	log_info("outbox=%lld to=%s modem=%s result=permfail error=\"%s\"",
	    (long long)gm->item.id, log_number(gm->item.phone), gm->name, err);
	gm->outcome = SEND_FAILED;
	strlcpy(gm->outcome_err, err, sizeof gm->outcome_err);
	send_finish(gm);
}

/* A temporary failure: back in the queue after the backoff, or given up. */
static void
send_requeue(struct gw_modem *gm, const char *err)
{
	int64_t	now = gw_now(), delay;
	int	a = gm->item.attempts;

	if (a >= GW_MAX_ATTEMPTS) {
		char buf[256];
		snprintf(buf, sizeof buf, "gave up after %d attempts: %s", a,
		    err);
		send_fail(gm, buf);
		return;
	}
	delay = (int64_t)GW_RETRY_BASE * a * a;
	if (delay > GW_RETRY_MAX)
		delay = GW_RETRY_MAX;
	log_info("outbox=%lld to=%s modem=%s result=tempfail retry_in=%llds "
	    "error=\"%s\"", (long long)gm->item.id, log_number(gm->item.phone),
	    gm->name, (long long)delay, err);
	gm->outcome = SEND_RETRY;
	gm->outcome_at = now + delay;
	strlcpy(gm->outcome_err, err, sizeof gm->outcome_err);
	send_finish(gm);
}

/* Back in the queue now, the attempt not counted (a SIM out of credit). */
static void
send_unclaim(struct gw_modem *gm, const char *err)
{
	log_info("outbox=%lld to=%s modem=%s result=no-credit error=\"%s\"",
	    (long long)gm->item.id, log_number(gm->item.phone), gm->name, err);
	gm->outcome = SEND_UNCLAIM;
	gm->outcome_at = gw_now();
	strlcpy(gm->outcome_err, err, sizeof gm->outcome_err);
	send_finish(gm);
}

/*
 * The slot counting the lost submissions of message id: found, or the
 * least recently taken one reset for it.
 */
static struct gw_lost *
send_lost_slot(struct gw *gw, int64_t id)
{
	struct gw_lost	*l;
	size_t		 i;

	for (i = 0; i < GW_LOST_SLOTS; i++)
		if (gw->lost[i].id == id)
			return &gw->lost[i];
	l = &gw->lost[gw->lost_next];
	gw->lost_next = (gw->lost_next + 1) % GW_LOST_SLOTS;
	l->id = id;
	l->n = 0;
	return l;
}

/*
 * The port went away, or the modem was not ready, before the modem
 * answered the submission: the message is not at fault, so it goes
 * straight back to the queue for any modem, the attempt not counted
 * (outbox_unclaim).  A USB modem that browns out as its radio transmits
 * can lose a message many times over.  But a message that itself brings
 * the modem down (or a port that never holds) must not go round for
 * ever at the head of the queue: after GW_MAX_LOST such losses, each
 * further one counts as a temporary failure, with its backoff and the
 * GW_MAX_ATTEMPTS limit.
 */
static void
send_lost(struct gw_modem *gm, const char *err)
{
	struct gw_lost	*l = send_lost_slot(gm->gw, gm->item.id);

	if (++l->n > GW_MAX_LOST) {
		send_requeue(gm, err);
		return;
	}
	log_info("outbox=%lld to=%s modem=%s result=lost lost=%d/%d "
	    "error=\"%s\"", (long long)gm->item.id,
	    log_number(gm->item.phone), gm->name, l->n, GW_MAX_LOST, err);
	gm->outcome = SEND_UNCLAIM;
	gm->outcome_at = gw_now();
	strlcpy(gm->outcome_err, err, sizeof gm->outcome_err);
	send_finish(gm);
}

static void	send_segment(struct gw_modem *);

static void
send_segment(struct gw_modem *gm)
{
	struct pdu_submit	 s;
	uint8_t			 ud[PDU_UD_MAX * 8 / 7 + 1], udh[16];
	uint8_t			 out[PDU_MAX_OCTETS];
	char			 hex[PDU_MAX_OCTETS * 2 + 1];
	const char		*err;
	size_t			 len, tpdu;

	memset(&s, 0, sizeof s);
	s.to = gm->item.phone;
	s.srr = gm->cm != NULL ? gm->cm->reports : gm->gw->conf->reports;
	s.vp_minutes = gm->gw->conf->validity > 0 ?
	    (int)(gm->gw->conf->validity / 60) : -1;
	s.msg_class = -1;
	s.encoding = gm->plan->encoding;
	s.ud = ud;
	s.udh = udh;
	s.ud_units = plan_segment(gm->plan, gm->seg, gm->ref, ud, udh,
	    &s.udh_len);
	if (pdu_encode_submit(&s, out, &len, &tpdu, &err) == -1) {
		send_fail(gm, err);
		return;
	}
	pdu_to_hex(out, len, hex);
	if (modem_send(gm->m, (uint64_t)gm->item.id, hex, tpdu) == -1)
		send_lost(gm, "modem not ready");
}

static void
send_spacing_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gw_modem	*gm = arg;

	(void)fd;
	(void)what;
	if (gm->busy && gm->plan != NULL)
		send_segment(gm);
}

/* The next segment, after the modem's minimum spacing. */
static void
send_next(struct gw_modem *gm)
{
	struct timeval	tv;

	if (gm->cm == NULL || gm->cm->spacing <= 0) {
		send_segment(gm);
		return;
	}
	tv.tv_sec = (time_t)gm->cm->spacing;
	tv.tv_usec = 0;
	evtimer_add(gm->ev_spacing, &tv);
}

/* Tell the clients watching the broadcast. */
static void
send_progress(struct gw_modem *gm)
{
	struct broadcast	b;
	char			args[128];

	if (gm->item.broadcast_id == 0 ||
	    !ctl_watching(gm->gw->ctl, gm->item.broadcast_id))
		return;
	if (broadcast_get(gm->gw->db, gm->item.broadcast_id, &b) != 0)
		return;
	snprintf(args, sizeof args, "%s %ld %ld %ld %ld %ld", b.state,
	    b.recipients, b.sent + b.delivered, b.delivered, b.failed,
	    b.skipped + b.expired + b.cancelled);
	ctl_event(gm->gw->ctl, b.id, args);
	broadcast_clear(&b);
}

void
send_init(struct gw_modem *gm)
{
	gm->ev_spacing = evtimer_new(gm->gw->base, send_spacing_cb, gm);
	gm->ev_reread = evtimer_new(gm->gw->base, inbound_reread_cb, gm);
	gm->ev_pending = evtimer_new(gm->gw->base, send_pending_cb, gm);
	if (gm->ev_spacing == NULL || gm->ev_reread == NULL ||
	    gm->ev_pending == NULL)
		fatalx("modem %s: out of memory", gm->name);
}

void
send_free(struct gw_modem *gm)
{
	if (gm->ev_spacing != NULL)
		event_free(gm->ev_spacing);
	if (gm->ev_reread != NULL)
		event_free(gm->ev_reread);
	if (gm->ev_pending != NULL)
		event_free(gm->ev_pending);
	gm->ev_spacing = gm->ev_reread = gm->ev_pending = NULL;
}

/*
 * The message is sent: record it and, in the same transaction (one
 * fsync, not two, between submissions), claim this modem's next one.
 */
static void
send_done(struct gw_modem *gm)
{
	struct gw		*gw = gm->gw;
	struct outbox_item	 next;
	int64_t			 now = gw_now();
	int			 claimed = 0, rc;

	memset(&next, 0, sizeof next);
	gm->outcome = SEND_SENT;
	if (db_begin(gw->db) == -1) {
		send_finish(gm);
		return;
	}
	if (send_record(gm) == -1) {
		db_rollback(gw->db);
		send_finish(gm);
		return;
	}
	if (!gw->stopping && sched_cap_wait(gm, now) == 0 &&
	    modem_can_send(gm->m) && !inbound_claims_wait(gw) &&
	    !credit_holds(gm)) {
		if ((rc = sched_claim(gm, now, &next)) == -1)
			log_warnx("scheduler: %s", db_error(gw->db));
		claimed = rc == 1;
	}
	if (db_commit(gw->db) == -1) {
		/* neither the outcome nor the claim is in: record the
		 * outcome alone, again until it sticks */
		outbox_item_clear(&next);
		send_finish(gm);
		return;
	}
	send_forgotten(gm);
	send_progress(gm);
	send_release(gm);
	if (claimed) {
		gm->item = next;
		log_trace(TRACE_SCHED, "outbox=%lld modem=%s claimed",
		    (long long)gm->item.id, gm->name);
		send_start(gm);
	}
}

/* Start sending the claimed gm->item.  Returns 0, or -1 if it failed. */
int
send_start(struct gw_modem *gm)
{
	struct plan_opts	 o;
	const char		*err;

	gm->busy = 1;
	gm->seg = 0;
	gm->plan = xmalloc(sizeof *gm->plan);
	gw_plan_opts(gm->gw, &o);
	if (plan_make(gm->plan, gm->item.text, strlen(gm->item.text), &o,
	    &err) == -1) {
		free(gm->plan);
		gm->plan = NULL;
		send_fail(gm, err);
		return -1;
	}
	gm->ref = gm->gw->next_ref++ & 0xff;
	send_segment(gm);
	return 0;
}

void
send_result(struct modem *m, uint64_t job, enum modem_result r, int mr,
    int cms, const char *err, void *arg)
{
	struct gw_modem	*gm = arg;

	(void)m;
	if (!gm->busy || (uint64_t)gm->item.id != job ||
	    evtimer_pending(gm->ev_pending, NULL))
		return;	/* a result for a message we gave up on */
	switch (r) {
	case MODEM_SENT:
		gm->mr[gm->seg] = mr;
		credit_send_ok(gm);
		sched_submitted(gm);
		if (++gm->seg < gm->plan->nseg) {
			send_next(gm);
			return;
		}
		log_info("outbox=%lld to=%s modem=%s result=sent segments=%zu "
		    "mr=%d", (long long)gm->item.id, log_number(gm->item.phone),
		    gm->name, gm->plan->nseg, mr);
		send_done(gm);
		return;
	case MODEM_TEMPFAIL:
	case MODEM_PERMFAIL:
		break;
	}
	/* refused for lack of credit: the SIM's fault, another modem sends
	 * it (credit.c) */
	if (credit_send_failed(gm, cms)) {
		send_unclaim(gm, err);
		return;
	}
	switch (r) {
	case MODEM_SENT:
		return;
	case MODEM_TEMPFAIL:
		/* a lost modem: straight back to the queue for another */
		if (modem_info(gm->m)->state != MODEM_READY)
			send_lost(gm, err);
		else
			send_requeue(gm, err);
		return;
	case MODEM_PERMFAIL:
		send_fail(gm, err);
		return;
	}
}

/* The modem went away with a message in flight. */
void
send_abort(struct gw_modem *gm)
{
	/* an outcome waiting for the database stands: the modem's part is
	 * over */
	if (gm->busy && !evtimer_pending(gm->ev_pending, NULL))
		send_lost(gm, "modem lost");
}
