/*
 * modem/modem_sms.c — sending and receiving short messages (TS 27.005
 * PDU mode).
 *
 * Send: AT+CMGS=<tpdu length>, wait for "> " (which has no line
 * terminator, and may be preceded by a URC such as +CMTI), write the PDU
 * and Ctrl-Z, wait for +CMGS: <mr>.  A lost prompt is cancelled with ESC.
 * Failures are classified by their +CMS code (at_error.c) into temporary
 * and permanent.
 *
 * Receive: +CMTI announces a stored message: read it (AT+CMGR), hand it
 * to the owner, and delete it (AT+CMGD) only once the owner says it is
 * stored.  +CMT delivers one directly.  Status reports arrive as +CDS, or
 * stored and announced with +CDSI.  Stored messages are swept with
 * AT+CMGL=4 (all) at start-up — or slot by slot with AT+CMGR on modems
 * whose CMGL hangs.  "Memory full" empties storage the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "log.h"
#include "modem_int.h"
#include "pdu.h"

int
modem_can_send(const struct modem *m)
{
	return m->info.state == MODEM_READY && !m->sending && !m->dead;
}

static void
modem_sms_sent(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	struct at_error_info	 ei;
	enum modem_result	 r;
	char			 buf[128];
	const char		*v;
	int			 mr = -1, cms = -1;

	m->sending = 0;
	/* an OK before the "> " prompt belongs to something else (a late
	 * answer after a timeout): this message never went out */
	if (modem_final_ok(ev) && c->prompted) {
		if ((v = strchr(c->first, ':')) != NULL)
			mr = (int)strtol(v + 1, NULL, 10);
		m->info.sent++;
		if (m->cb.sent != NULL)
			m->cb.sent(m, c->job, MODEM_SENT, mr, -1, NULL, m->arg);
		return;
	}
	m->info.failed++;
	r = MODEM_TEMPFAIL;
	if (ev == NULL || modem_final_ok(ev))
		snprintf(buf, sizeof buf, "%s", c->prompted ?
		    "no answer after the message was written" :
		    m->port == NULL ? "modem lost" : "no \"> \" prompt");
	else if (ev->resp.final == AT_FINAL_CMS && ev->resp.err >= 0) {
		cms = ev->resp.err;
		at_error_classify(AT_ERROR_CMS, cms, &ei);
		if (ei.cls == AT_ERROR_PERMANENT)
			r = MODEM_PERMFAIL;
		snprintf(buf, sizeof buf, "+CMS ERROR: %d (%s)", cms, ei.name);
	} else
		modem_final_text(ev, buf, sizeof buf);
	if (m->cb.sent != NULL)
		m->cb.sent(m, c->job, r, -1, cms, buf, m->arg);
}

int
modem_send(struct modem *m, uint64_t job, const char *hex, size_t tpdu_len)
{
	struct modem_cmd	*c;
	char			 line[32];

	if (!modem_can_send(m))
		return -1;
	snprintf(line, sizeof line, "AT+CMGS=%zu", tpdu_len);
	m->sending = 1;
	c = modem_cmd(m, line, "+CMGS:", AT_RESP_CTX_PROMPT, MODEM_T_SUBMIT,
	    NULL, modem_sms_sent);
	c->data = xstrdup(hex);
	c->job = job;
	/* in order, not in front: a STOP being read from the SIM must not
	 * wait behind a whole broadcast */
	return 0;
}

/*
 * Slots delivered to the owner whose deletion is not done yet: a slot
 * listed by AT+CMGL and announced by +CMTI at once is handed over once,
 * and deleted once (a second AT+CMGD could delete a new text that took
 * the slot in between).
 */
static int
modem_sms_slot_busy(const struct modem *m, int index)
{
	return index >= 0 && index < MODEM_SLOTS &&
	    (m->slots[index / 8] & (1u << (index % 8))) != 0;
}

static void
modem_sms_slot_set(struct modem *m, int index, int on)
{
	if (index < 0 || index >= MODEM_SLOTS)
		return;
	if (on)
		m->slots[index / 8] |= (uint8_t)(1u << (index % 8));
	else
		m->slots[index / 8] &= (uint8_t)~(1u << (index % 8));
}

/*
 * Decode by the header's <length>, which tells whether the PDU starts
 * with SMSC information (TS 27.005 §3.1: it counts the TPDU only; some
 * modems leave the SMSC information out).  A length that fits neither
 * reading, or a bare reading that fails where the usual one works, is a
 * modem counting wrong: the message is read SMSC information first
 * rather than lost.
 */
static int
modem_sms_decode(struct modem *m, int index, const uint8_t *buf, size_t n,
    int tpdu_len, struct sms_msg *msg, const char **err)
{
	const char	*e2;
	int		 r;

	if (tpdu_len < 0 || n == 0)
		return pdu_decode(buf, n, msg, err);
	if ((r = pdu_len_smsc(buf, n, (size_t)tpdu_len)) == 1)
		return pdu_decode(buf, n, msg, err);
	if (r == 0 && pdu_decode_len(buf, n, (size_t)tpdu_len, msg, err) == 0)
		return 0;
	if (pdu_decode(buf, n, msg, &e2) == -1) {
		if (r == -1)
			*err = e2;
		return -1;
	}
	log_warnx("modem=%s slot=%d header length %d does not fit its PDU "
	    "of %zu octets: read with SMSC information first", m->name, index,
	    tpdu_len, n);
	return 0;
}

/*
 * Decode and hand over one stored or delivered message.  tpdu_len is the
 * <length> of its header (-1 if none): it tells whether the PDU starts
 * with SMSC information (TS 27.005 §3.1); some modems leave it out.
 */
static void
modem_sms_deliver(struct modem *m, int index, const char *hex, size_t len,
    int tpdu_len)
{
	struct modem_sms	 s;
	struct sms_msg		*msg;
	uint8_t			 buf[PDU_MAX_OCTETS];
	char			*h;
	const char		*err = NULL;
	long			 n;

	if (modem_sms_slot_busy(m, index))
		return;	/* already handed over, its deletion pending */
	modem_sms_slot_set(m, index, 1);
	msg = xmalloc(sizeof *msg);
	h = xstrndup(hex, len);
	memset(&s, 0, sizeof s);
	s.index = index;
	s.pdu_hex = h;
	if ((n = pdu_from_hex(h, len, buf, sizeof buf, &err)) == -1 ||
	    modem_sms_decode(m, index, buf, (size_t)n, tpdu_len, msg,
	    &err) == -1) {
		s.msg = NULL;
		s.error = err;
		log_warnx("modem=%s slot=%d undecodable message: %s", m->name,
		    index, err);
	} else
		s.msg = msg;

	if (s.msg != NULL && s.msg->type == SMS_STATUS_REPORT) {
		if (m->cb.report != NULL)
			m->cb.report(m, s.msg, m->arg);
		/* a report is consumed at once */
		if (index >= 0)
			modem_sms_done(m, index);
	} else if (s.msg != NULL && s.msg->type == SMS_SUBMIT) {
		/* one of ours left in storage: nothing to deliver */
		log_debug("%s: modem=%s slot=%d stored outgoing message",
		    __func__, m->name, index);
		modem_sms_slot_set(m, index, 0);
	} else {
		m->info.received++;
		if (m->cb.sms != NULL)
			m->cb.sms(m, &s, m->arg);
		else if (index >= 0 && !m->cfg.keep_sms)
			modem_sms_done(m, index);
	}
	free(h);
	free(msg);
}

static void
modem_sms_cmgr_line(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	if (ev->pdu == NULL)
		return;	/* an empty slot */
	modem_sms_deliver(m, c->arg, ev->pdu, ev->pdulen,
	    ev->resp.pdu_len);
}

static void
modem_sms_read(struct modem *m, int index)
{
	char	line[32];

	snprintf(line, sizeof line, "AT+CMGR=%d", index);
	modem_cmd(m, line, "+CMGR:", 0, MODEM_T_READ, modem_sms_cmgr_line,
	    NULL)->arg = index;
}

/* The owner could not store it: leave it on the SIM, read it again. */
void
modem_sms_retry(struct modem *m, int index)
{
	modem_sms_slot_set(m, index, 0);
}

static void
modem_sms_deleted(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	(void)ev;
	/* the slot may hold a new message from now on */
	modem_sms_slot_set(m, c->arg, 0);
}

void
modem_sms_done(struct modem *m, int index)
{
	char	line[32];

	if (index < 0 || m->port == NULL)
		return;
	if (m->cfg.keep_sms) {
		modem_sms_slot_set(m, index, 0);
		return;
	}
	snprintf(line, sizeof line, "AT+CMGD=%d", index);
	modem_cmd(m, line, NULL, 0, 0, NULL, modem_sms_deleted)->arg = index;
	if (m->info.storage_used > 0)
		m->info.storage_used--;
}

/* +CMGL: <index>,<stat>,[<alpha>],<length> and the PDU */
static void
modem_sms_cmgl_line(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	const char	*v = strchr(ev->line, ':');
	char		*end;
	long		 index;

	(void)c;
	if (v == NULL || ev->pdu == NULL)
		return;
	index = strtol(v + 1, &end, 10);
	if (end == v + 1 || index < 0 || index > 100000)
		return;
	modem_sms_deliver(m, (int)index, ev->pdu, ev->pdulen,
	    ev->resp.pdu_len);
}

static void
modem_sms_swept(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	char	buf[96];

	m->sweeping = 0;
	if (ev != NULL && !modem_final_ok(ev) && c->arg == 0 &&
	    !(ev->resp.final == AT_FINAL_CMS && ev->resp.err == 321))
		log_debug("%s: modem=%s %s: %s", __func__, m->name, c->line,
		    modem_final_text(ev, buf, sizeof buf));
	if (m->cb.swept != NULL)
		m->cb.swept(m, m->arg);
}

void
modem_sms_sweep(struct modem *m)
{
	int	i, base, total;

	if (m->sweeping || m->port == NULL)
		return;
	m->sweeping = 1;
	if (m->quirks != NULL && m->quirks->cmgl_hangs &&
	    m->info.storage_total > 0) {
		/* slot by slot: this modem can hang in AT+CMGL */
		base = m->quirks->index_base;
		total = m->info.storage_total;
		for (i = 0; i < total; i++)
			modem_sms_read(m, base + i);
		modem_cmd(m, "AT", NULL, 0, 0, NULL, modem_sms_swept)->arg = 1;
		return;
	}
	modem_cmd(m, "AT+CMGL=4", "+CMGL:", 0, MODEM_T_READ,
	    modem_sms_cmgl_line, modem_sms_swept)->arg = 0;
}

void
modem_sweep(struct modem *m)
{
	modem_sms_sweep(m);
}

static void
modem_sms_cmgr_report_line(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	(void)c;
	if (ev->pdu == NULL)
		return;
	/* no slot: the delete is queued right here, in this memory */
	modem_sms_deliver(m, -1, ev->pdu, ev->pdulen, ev->resp.pdu_len);
}

/*
 * Read a status report stored in another memory (+CDSI: "SR",n), and
 * delete it there, before storage is switched back: a delete queued
 * later would hit slot n of the SIM store, maybe an unread text.
 */
static void
modem_sms_read_in(struct modem *m, const char *mem, int index)
{
	char	line[64];

	snprintf(line, sizeof line, "AT+CPMS=\"%s\"", mem);
	modem_cmd(m, line, NULL, 0, 0, NULL, NULL);
	snprintf(line, sizeof line, "AT+CMGR=%d", index);
	modem_cmd(m, line, "+CMGR:", 0, MODEM_T_READ,
	    modem_sms_cmgr_report_line, NULL);
	if (!m->cfg.keep_sms) {
		snprintf(line, sizeof line, "AT+CMGD=%d", index);
		modem_cmd(m, line, NULL, 0, 0, NULL, NULL);
	}
	modem_cmd(m, "AT+CPMS=\"SM\",\"SM\",\"SM\"", NULL, 0, 0, NULL, NULL);
}

void
modem_sms_urc(struct modem *m, const struct at_event *ev)
{
	const struct at_resp	*r = &ev->resp;
	char			 mem[8];
	int			 index = r->index;

	switch (r->urc) {
	case AT_URC_NEW_MSG_INDEX:
		if (index < 0)
			break;
		if (m->info.storage_used >= 0)
			m->info.storage_used++;
		modem_sms_read(m, index);
		break;
	case AT_URC_MSG:
		if (ev->pdu != NULL)
			modem_sms_deliver(m, -1, ev->pdu, ev->pdulen,
			    r->pdu_len);
		break;
	case AT_URC_STATUS_REPORT:
		if (ev->pdu != NULL)
			modem_sms_deliver(m, -1, ev->pdu, ev->pdulen,
			    r->pdu_len);
		break;
	case AT_URC_STATUS_REPORT_INDEX:
		if (index < 0)
			break;
		strlcpy(mem, r->mem, sizeof mem);
		if (mem[0] != '\0' && strcmp(mem, "SM") != 0)
			modem_sms_read_in(m, mem, index);
		else
			modem_sms_read(m, index);
		break;
	case AT_URC_MEM_FULL:
		modem_error(m, "message storage full: emptying it");
		modem_sms_sweep(m);
		break;
	default:
		break;
	}
}
