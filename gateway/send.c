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
 * middle puts the message straight back in the queue for another modem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"
#include "pdu.h"

static void
send_release(struct gw_modem *gm)
{
	if (gm->plan != NULL) {
		plan_free(gm->plan);
		free(gm->plan);
		gm->plan = NULL;
	}
	outbox_item_clear(&gm->item);
	gm->busy = 0;
	sched_kick(gm->gw);
}

static void
send_db_error(struct gw_modem *gm, const char *what)
{
	/* the row stays "sending"; a restart puts it back in the queue */
	log_warnx("outbox=%lld %s: %s", (long long)gm->item.id, what,
	    db_error(gm->gw->db));
}

/* Give the message up for good. */
static void
send_fail(struct gw_modem *gm, const char *err)
{
	log_info("outbox=%lld to=%s modem=%s result=permfail error=\"%s\"",
	    (long long)gm->item.id, log_number(gm->item.phone), gm->name, err);
	if (outbox_failed(gm->gw->db, gm->item.id, err, gw_now()) == -1)
		send_db_error(gm, "failed");
	send_release(gm);
}

/* Put it back in the queue, now or later. */
static void
send_requeue(struct gw_modem *gm, const char *err, int later)
{
	int64_t	now = gw_now(), delay = 0;
	int	a = gm->item.attempts;

	if (later) {
		if (a >= GW_MAX_ATTEMPTS) {
			char buf[256];
			snprintf(buf, sizeof buf, "gave up after %d attempts: "
			    "%s", a, err);
			send_fail(gm, buf);
			return;
		}
		delay = (int64_t)GW_RETRY_BASE * a * a;
		if (delay > GW_RETRY_MAX)
			delay = GW_RETRY_MAX;
	}
	log_info("outbox=%lld to=%s modem=%s result=tempfail retry_in=%llds "
	    "error=\"%s\"", (long long)gm->item.id, log_number(gm->item.phone),
	    gm->name, (long long)delay, err);
	if (outbox_retry(gm->gw->db, gm->item.id, err, now + delay, now) ==
	    -1)
		send_db_error(gm, "retry");
	send_release(gm);
}

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
		send_requeue(gm, "modem not ready", 0);
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
	(void)cms;
	if (!gm->busy || (uint64_t)gm->item.id != job)
		return;	/* a result for a message we gave up on */
	switch (r) {
	case MODEM_SENT:
		gm->last_mr = mr;
		if (++gm->seg < gm->plan->nseg) {
			send_segment(gm);
			return;
		}
		log_info("outbox=%lld to=%s modem=%s result=sent segments=%zu "
		    "mr=%d", (long long)gm->item.id, log_number(gm->item.phone),
		    gm->name, gm->plan->nseg, mr);
		if (outbox_sent(gm->gw->db, gm->item.id, mr, gw_now()) == -1)
			send_db_error(gm, "sent");
		send_release(gm);
		return;
	case MODEM_TEMPFAIL:
		/* a lost modem: straight back to the queue for another */
		send_requeue(gm, err, modem_info(gm->m)->state == MODEM_READY);
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
	if (gm->busy)
		send_requeue(gm, "modem lost", 0);
}
