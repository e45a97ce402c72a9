/*
 * modem/modem_sms.c — sending and receiving short messages (TS 27.005
 * PDU mode).
 *
 * Send: AT+CMGS=<tpdu length>, wait for "> " (which has no line
 * terminator, and may be preceded by a URC such as +CMTI), write the PDU
 * and Ctrl-Z, wait for +CMGS: <mr>.  A lost prompt is cancelled with ESC.
 * Sent means "+CMGS: <mr>" and then OK; any other OK (before the prompt,
 * without +CMGS:, after a garbled one) or no answer after the PDU means
 * the line may be out of step: resync (ESC, AT+CMEE? until its own
 * answer) and decide then, a late +CMGS: <mr> and OK counting as sent.
 * Failures are classified by their +CMS code (at_error.c) into temporary
 * and permanent.  A send is queued after at most one waiting command:
 * sends and reads take turns.
 *
 * Receive: +CMTI announces a stored message: read it (AT+CMGR), hand it
 * to the owner, and delete it (AT+CMGD) only once the owner says it is
 * stored.  +CMT delivers one directly.  Status reports arrive as +CDS, or
 * stored and announced with +CDSI.  Stored messages are swept with
 * AT+CMGL=4 (all) at start-up — or slot by slot with AT+CMGR on modems
 * whose CMGL hangs — and handed over oldest first once the sweep is over
 * (announced texts wait for it).  "Memory full" empties storage the same
 * way.  The
 * modem's indexes are untrusted and its indications may flood: a slot is
 * read once (queued reads and handed-over slots are tracked), at most
 * MODEM_READS_MAX reads wait, and beyond that one sweep (at a time)
 * replaces them, so memory stays bounded whatever the modem sends.
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

/* "+CMGS: <mr>[,<scts>]": the TP-MR 0..255, or -1 for anything else */
static int
modem_sms_mr(const char *line)
{
	const char	*v;
	char		*end;
	long		 mr;

	if (strncmp(line, "+CMGS:", 6) != 0)
		return -1;
	v = line + 6;
	while (*v == ' ')
		v++;
	if (*v < '0' || *v > '9')
		return -1;
	mr = strtol(v, &end, 10);
	while (*end == ' ')
		end++;
	if (mr > 255 || (*end != '\0' && *end != ','))
		return -1;
	return (int)mr;
}

static void
modem_sms_report(struct modem *m, uint64_t job, enum modem_result r, int mr,
    int cms, const char *err)
{
	m->sending = 0;
	if (r == MODEM_SENT)
		m->info.sent++;
	else
		m->info.failed++;
	if (m->cb.sent != NULL)
		m->cb.sent(m, job, r, mr, cms, err, m->arg);
}

/*
 * The resync is over: a +CMGS: <mr> and OK seen meanwhile were the late
 * answer to the submission (the modem answers in order); without them
 * it did not go out, as far as anyone can tell.
 */
static void
modem_sms_synced(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	m->syncing = 0;
	if (ev != NULL && c->first[0] != '\0')
		m->resync = 0;	/* its own answer: the line is in step */
	if (!c->has_job)
		return;
	if (c->late_ok) {
		free(c->ptr);
		log_info("modem=%s late +CMGS: %d: the message was sent",
		    m->name, c->late_mr);
		modem_sms_report(m, c->job, MODEM_SENT, c->late_mr, -1, NULL);
		return;
	}
	modem_sms_report(m, c->job, MODEM_TEMPFAIL, -1, -1, c->ptr);
	free(c->ptr);
}

/*
 * Bring the line back in step: ESC (a "> " may be pending), then
 * AT+CMEE? until its own "+CMEE:" answer arrives; finals before it
 * belong to earlier commands and are skipped (modem.c).  +CMEE? because
 * it is answered in any SIM state (many modems refuse SMS commands such
 * as AT+CMGF? until the SIM is ready, and every such ERROR would be
 * skipped until a timeout), and the driver sends it for nothing else, so
 * no answer owed to an earlier command, or to a killed predecessor, can
 * pass for it.  With a
 * submission (c), its verdict waits for the resync: a late "+CMGS:"
 * answer still counts.
 */
int
modem_sms_resync(struct modem *m, struct modem_cmd *sub, const char *why)
{
	struct modem_cmd	*c;

	if (m->port == NULL || m->dead)
		return -1;
	/* after a written message, its answer may take the network's time */
	c = modem_cmd_new("AT+CMEE?", "+CMEE:", 0,
	    sub != NULL && sub->prompted ? MODEM_T_SUBMIT : 0, NULL,
	    modem_sms_synced);
	c->sync = 1;
	c->late_mr = -1;
	if (sub != NULL) {
		c->has_job = 1;
		c->job = sub->job;
		c->ptr = xstrdup(why);
	}
	m->syncing = 1;
	modem_cmd_first(m, c);
	return 0;
}

/* A line while resyncing: a "+CMGS: <mr>" is the late answer. */
void
modem_sms_sync_urc(struct modem *m, const struct at_event *ev)
{
	struct modem_cmd	*c = TAILQ_FIRST(&m->cmds);
	int			 mr;

	if (c == NULL || !c->sync || !c->has_job || c->first[0] != '\0')
		return;
	if ((mr = modem_sms_mr(ev->line)) >= 0) {
		c->late_mr = mr;
		c->late_ok = 0;
	}
}

static void
modem_sms_sent(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	struct at_error_info	 ei;
	enum modem_result	 r;
	char			 buf[128];
	const char		*why;
	int			 mr = -1, cms = -1;

	/* dropped, not timed out: the port is going away or the modem is
	 * reset or restarts (a resync could not be answered now) */
	if (modem_cmd_dropped(m, ev)) {
		modem_sms_report(m, c->job, MODEM_TEMPFAIL, -1, -1,
		    c->prompted ? "modem lost or reset after the message was "
		    "written (it may have gone out)" : "modem lost or reset "
		    "before the message was written");
		return;
	}

	/*
	 * Sent only on "+CMGS: <mr>" then OK, after the prompt.  Any other
	 * OK (before the prompt, without +CMGS:, after a garbled one) is a
	 * line out of step: resync first, and decide then (a late +CMGS:
	 * still counts).
	 */
	if (modem_final_ok(ev)) {
		if (c->prompted && (mr = modem_sms_mr(c->first)) >= 0) {
			modem_sms_report(m, c->job, MODEM_SENT, mr, -1, NULL);
			return;
		}
		why = c->first[0] != '\0' ? "garbled +CMGS: answer" :
		    c->prompted ? "OK without +CMGS: after the message" :
		    "OK before the \"> \" prompt";
		log_warnx("modem=%s anomaly: %s", m->name, why);
		m->resync = 1;
		if (modem_sms_resync(m, c, why) == 0)
			return;
		modem_sms_report(m, c->job, MODEM_TEMPFAIL, -1, -1,
		    "modem lost");
		return;
	}
	if (ev == NULL && c->prompted) {
		/* no answer after the message: it may still come (the
		 * modem answers in order), and then it counts */
		m->resync = 1;
		if (modem_sms_resync(m, c,
		    "no answer after the message was written") == 0)
			return;
	}
	r = MODEM_TEMPFAIL;
	if (ev == NULL)
		snprintf(buf, sizeof buf, "%s", c->prompted ?
		    "no answer after the message was written" :
		    m->port == NULL ? "modem lost" : "no \"> \" prompt");
	else if (ev->resp.final == AT_FINAL_CMS && ev->resp.err >= 0) {
		cms = ev->resp.err;
		at_error_classify(AT_ERROR_CMS, cms, &ei);
		if (ei.cls == AT_ERROR_PERMANENT)
			r = MODEM_PERMFAIL;
		snprintf(buf, sizeof buf, "+CMS ERROR: %d (%s)", cms, ei.name);
		/* "invalid PDU mode parameter" for a PDU our tested
		 * encoder built: more likely bytes at the wrong moment */
		if (cms == 304 || cms == 305)
			m->resync = 1;
	} else
		modem_final_text(ev, buf, sizeof buf);
	modem_sms_report(m, c->job, r, -1, cms, buf);
}

int
modem_send(struct modem *m, uint64_t job, const char *hex, size_t tpdu_len)
{
	struct modem_cmd	*c;
	char			 line[32];

	if (!modem_can_send(m))
		return -1;
	/* after a stray answer or a timeout: in step before a submission */
	if (m->resync && !m->syncing)
		(void)modem_sms_resync(m, NULL, NULL);
	snprintf(line, sizeof line, "AT+CMGS=%zu", tpdu_len);
	m->sending = 1;
	c = modem_cmd_new(line, "+CMGS:", AT_RESP_CTX_PROMPT, MODEM_T_SUBMIT,
	    NULL, modem_sms_sent);
	c->data = xstrdup(hex);
	c->job = job;
	/* not in front: a STOP being read from the SIM must not wait behind
	 * a whole broadcast; not behind every read either: sends and reads
	 * take turns, so endless inbound texts do not starve a broadcast */
	modem_cmd_turn(m, c);
	return 0;
}

/* Bit index of a slot bitmap (slots, kept, reading, ...); 0 out of range. */
static int
modem_sms_bit(const uint8_t *map, int index)
{
	return index >= 0 && index < MODEM_SLOTS &&
	    (map[index / 8] & (1u << (index % 8))) != 0;
}

/* Set or clear it; an index out of range is ignored. */
static void
modem_sms_bit_set(uint8_t *map, int index, int on)
{
	if (index < 0 || index >= MODEM_SLOTS)
		return;
	if (on)
		map[index / 8] |= (uint8_t)(1u << (index % 8));
	else
		map[index / 8] &= (uint8_t)~(1u << (index % 8));
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
	return modem_sms_bit(m->slots, index);
}

static void
modem_sms_slot_set(struct modem *m, int index, int on)
{
	modem_sms_bit_set(m->slots, index, on);
}

static void	modem_sms_delete(struct modem *, int);
static void	modem_sms_recheck(struct modem *, int);

/* "No message there": +CMS ERROR: 321, +CME ERROR: 21 or 22. */
static int
modem_sms_no_message(const struct at_event *ev)
{
	return (ev->resp.final == AT_FINAL_CMS && ev->resp.err == 321) ||
	    (ev->resp.final == AT_FINAL_CME && (ev->resp.err == 21 ||
	    ev->resp.err == 22));
}

/* FNV-1a of a PDU as the modem printed it: is a slot's message the same? */
static uint32_t
modem_sms_hash(const char *hex, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++) {
		/* hex digits, in whichever case the modem prints them */
		h ^= (uint8_t)(hex[i] >= 'a' && hex[i] <= 'f' ?
		    hex[i] - 'a' + 'A' : hex[i]);
		h *= 16777619u;
	}
	return h;
}

/* A slot read and left in storage: it counts as known (modem_sms_count). */
static void
modem_sms_kept(struct modem *m, int index)
{
	modem_sms_bit_set(m->kept, index, 1);
}

/*
 * The storage holds more than the texts known to be there (handed over
 * and not deleted yet, announced and not read yet, read and kept): an
 * indication was lost (line noise, a modem that stores without a word).
 * A member's STOP would wait there until the next restart: read the
 * storage.  Once per count, so that a text that cannot be tracked (an
 * index out of range) does not bring a sweep at every check; a sweep
 * that finds a text it did not know clears that (a second text whose
 * indication was lost may bring the count back to the same number).
 */
void
modem_sms_count(struct modem *m)
{
	int		 i, known = 0;
	unsigned	 b;

	if (m->info.state != MODEM_READY || m->sweeping)
		return;
	/* deletes refused before: again (a few at a time) */
	for (i = 0, b = 0; i < MODEM_SLOTS && b < 4; i++)
		if (modem_sms_bit(m->undeleted, i)) {
			modem_sms_bit_set(m->undeleted, i, 0);
			modem_sms_recheck(m, i);
			b++;
		}
	for (i = 0; i < MODEM_SLOTS / 8; i++)
		for (b = (unsigned)(m->slots[i] | m->kept[i] | m->reading[i]);
		    b != 0; b &= b - 1)
			known++;
	if (m->info.storage_used <= known) {
		m->unannounced = 0;
		return;
	}
	if (m->info.storage_used == m->unannounced)
		return;	/* swept for this count already */
	m->unannounced = m->info.storage_used;
	log_info("modem=%s event=unannounced stored=%d known=%d: reading "
	    "its storage", m->name, m->info.storage_used, known);
	modem_sms_sweep(m);
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
    int tpdu_len, struct sms_msg *msg, const char **err, int quiet)
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
	if (!quiet)
		log_warnx("modem=%s slot=%d header length %d does not fit its "
		    "PDU of %zu octets: read with SMSC information first",
		    m->name, index, tpdu_len, n);
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
	if (index >= 0 && index < MODEM_SLOTS)
		m->pdu_hash[index] = modem_sms_hash(hex, len);
	msg = xmalloc(sizeof *msg);
	h = xstrndup(hex, len);
	memset(&s, 0, sizeof s);
	s.index = index;
	s.pdu_hex = h;
	if ((n = pdu_from_hex(h, len, buf, sizeof buf, &err)) == -1 ||
	    modem_sms_decode(m, index, buf, (size_t)n, tpdu_len, msg,
	    &err, 0) == -1) {
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
		modem_sms_kept(m, index);
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

/*
 * A sweep lists what storage holds in slot order, and slots are reused:
 * a STOP can sit in a lower slot than the JOIN sent before it (left by a
 * crash, or by a failure to store the JOIN).  So a sweep's texts are
 * kept until it is over and handed over oldest first, by the service
 * centre time stamp, ties (and texts without one) by slot; announced
 * texts wait meanwhile (modem_sms_pump).  A slot is listed once per
 * sweep, so at most MODEM_SLOTS texts are kept.
 */
static void
modem_sms_list(struct modem *m, int index, const char *hex, size_t len,
    int tpdu_len)
{
	struct modem_listed	*l;
	struct sms_msg		*msg;
	uint8_t			 buf[PDU_MAX_OCTETS];
	const char		*err;
	long			 n;

	if (index < 0 || index >= MODEM_SLOTS || modem_sms_slot_busy(m, index) ||
	    modem_sms_bit(m->inlist, index))
		return;
	if (m->listed == NULL)
		m->listed = xcalloc(MODEM_SLOTS, sizeof *m->listed);
	modem_sms_bit_set(m->inlist, index, 1);
	l = &m->listed[m->nlisted++];
	l->index = index;
	l->tpdu_len = tpdu_len;
	l->hex = xstrndup(hex, len);
	l->len = len;
	l->when = 0;
	msg = xmalloc(sizeof *msg);
	if ((n = pdu_from_hex(l->hex, len, buf, sizeof buf, &err)) != -1 &&
	    modem_sms_decode(m, index, buf, (size_t)n, tpdu_len, msg, &err,
	    1) == 0 && msg->type == SMS_DELIVER)
		l->when = pdu_time_epoch(&msg->scts);
	free(msg);
}

static int
modem_sms_list_cmp(const void *a, const void *b)
{
	const struct modem_listed	*x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Drop the listing (the port went away: storage is read again). */
static void
modem_sms_list_free(struct modem *m)
{
	size_t	i;

	for (i = 0; i < m->nlisted; i++)
		free(m->listed[i].hex);
	free(m->listed);
	m->listed = NULL;
	m->nlisted = 0;
	memset(m->inlist, 0, sizeof m->inlist);
}

/* The sweep is over: hand its texts over, oldest first. */
static void
modem_sms_list_deliver(struct modem *m)
{
	struct modem_listed	*l = m->listed;
	size_t			 i, n = m->nlisted;

	if (l == NULL)
		return;
	/* the owner may sweep or close the modem from its callback */
	m->listed = NULL;
	m->nlisted = 0;
	memset(m->inlist, 0, sizeof m->inlist);
	qsort(l, n, sizeof *l, modem_sms_list_cmp);
	for (i = 0; i < n; i++) {
		/* a text found that was not known: the storage count is
		 * worth comparing again, even at a count swept before
		 * (modem_sms_count) */
		if (!modem_sms_slot_busy(m, l[i].index) &&
		    !modem_sms_bit(m->kept, l[i].index))
			m->unannounced = 0;
		modem_sms_deliver(m, l[i].index, l[i].hex, l[i].len,
		    l[i].tpdu_len);
		free(l[i].hex);
	}
	free(l);
}

/* A slot read by a slot-by-slot sweep */
static void
modem_sms_sweep_line(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	if (ev->pdu == NULL)
		return;	/* an empty slot */
	modem_sms_list(m, c->arg, ev->pdu, ev->pdulen, ev->resp.pdu_len);
}

static int
modem_sms_reading(const struct modem *m, int index)
{
	return modem_sms_bit(m->reading, index);
}

static void	modem_sms_pump(struct modem *);

/* A single read (after +CMTI) is over: the slot may be announced again. */
static void
modem_sms_read_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	modem_sms_bit_set(m->reading, c->arg, 0);
	if (c->passable && m->nrreads > 0)
		m->nrreads--;
	else if (!c->passable && m->nreads > 0)
		m->nreads--;
	/* no answer in time: the text is still stored, and no indication
	 * will name it again; a sweep reads it (after the resync) */
	if (ev == NULL && m->info.state == MODEM_READY && m->port != NULL &&
	    !m->dead) {
		log_warnx("modem=%s slot=%d no answer to %s: reading the "
		    "storage again", m->name, c->arg, c->line);
		modem_sms_sweep(m);
	}
	modem_sms_pump(m);
}

static struct modem_cmd *
modem_sms_read_cmd(int index, modem_line_cb line_cb, modem_done_cb done)
{
	struct modem_cmd	*c;
	char			 line[32];

	snprintf(line, sizeof line, "AT+CMGR=%d", index);
	c = modem_cmd_new(line, "+CMGR:", 0, MODEM_T_READ, line_cb, done);
	c->in_step = 1;
	c->arg = index;
	return c;
}

/* Read a slot; a report's read (report set) lets texts go first. */
static void
modem_sms_read(struct modem *m, int index, modem_done_cb done, int report)
{
	modem_cmd_read(m, modem_sms_read_cmd(index, modem_sms_cmgr_line, done),
	    report);
}

/*
 * Queue the reads of announced slots, in the order announced (the order
 * the texts arrived: slot numbers are reused, so a later text can take a
 * lower slot, and a JOIN read after the STOP sent after it would undo
 * it).  At most MODEM_READS_MAX reads of each kind are in the command
 * queue, so sends keep their turn; the rest wait here, one entry per
 * slot (bounded however many indications come).  Texts go before the
 * reports waiting.
 */
static void
modem_sms_pump(struct modem *m)
{
	struct modem_slotq	*q;
	int			 report, index;

	for (report = 0; report <= 1; report++) {
		q = report ? &m->reportq : &m->textq;
		/* a sweep's texts go first, oldest first */
		while (!(m->sweeping && !report) && q->len > 0 && m->port != NULL && !m->dead &&
		    (report ? m->nrreads : m->nreads) < MODEM_READS_MAX) {
			index = q->idx[q->head];
			q->head = (q->head + 1) % MODEM_SLOTS;
			q->len--;
			if (report)
				m->nrreads++;
			else
				m->nreads++;
			modem_sms_read(m, index, modem_sms_read_done, report);
		}
	}
}

/*
 * The slot a +CMTI (or +CDSI) named: an untrusted index, 0..MODEM_SLOTS-1,
 * read once: not if its read waits or it is handed over and not yet
 * deleted.
 */
static void
modem_sms_announced(struct modem *m, int index, int report)
{
	struct modem_slotq	*q = report ? &m->reportq : &m->textq;

	if (index < 0 || index >= MODEM_SLOTS) {
		log_debug("%s: modem=%s index %d out of range: sweeping",
		    __func__, m->name, index);
		modem_sms_sweep(m);
		return;
	}
	if (modem_sms_bit(m->undeleted, index)) {
		/* the slot whose delete was refused is announced: the old
		 * message may be gone and a new one there; look now */
		modem_sms_bit_set(m->undeleted, index, 0);
		modem_sms_recheck(m, index);
		return;
	}
	if (modem_sms_slot_busy(m, index) || modem_sms_reading(m, index))
		return;
	if (m->info.storage_used >= 0 && (m->info.storage_total < 0 ||
	    m->info.storage_used < m->info.storage_total))
		m->info.storage_used++;
	modem_sms_bit_set(m->reading, index, 1);
	/* one entry per slot marked reading: never more than MODEM_SLOTS */
	q->idx[(q->head + q->len) % MODEM_SLOTS] = (uint16_t)index;
	q->len++;
	modem_sms_pump(m);
}

/* The port went away or the modem restarted: nothing is queued now. */
void
modem_sms_forget(struct modem *m)
{
	memset(m->reading, 0, sizeof m->reading);
	m->textq.head = m->textq.len = 0;
	m->reportq.head = m->reportq.len = 0;
	m->nreads = 0;
	m->nrreads = 0;
	m->nreports = 0;
	m->sweeping = 0;
	m->sweep_again = 0;
	m->resync = 0;
	m->syncing = 0;
	modem_sms_list_free(m);
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
	char	buf[96];
	int	i = c->arg;

	/*
	 * Refused (not "no such message"): the message may still be there,
	 * and was handed over.  It stays known, so that no sweep hands it
	 * over again (an old JOIN read again would undo a later STOP); the
	 * next check, or a new message announced in that slot (the delete
	 * worked after all), reads the slot and deletes it only if it
	 * still holds that message (modem_sms_recheck).  A timeout leaves
	 * it unknown whether it was deleted: the slot is free for a new
	 * message (one announced there must be read).
	 */
	if (ev != NULL && !modem_final_ok(ev) && i >= 0 && i < MODEM_SLOTS &&
	    !modem_sms_no_message(ev)) {
		if (!m->undeleted_told) {
			log_warnx("modem=%s slot=%d could not be deleted: %s; "
			    "it stays (not read again), deleting is tried "
			    "again at every check", m->name, i,
			    modem_final_text(ev, buf, sizeof buf));
			m->undeleted_told = 1;
		} else
			log_debug("%s: modem=%s slot=%d not deleted: %s",
			    __func__, m->name, i,
			    modem_final_text(ev, buf, sizeof buf));
		modem_sms_bit_set(m->undeleted, i, 1);
		return;
	}
	/* the slot may hold a new message from now on */
	modem_sms_slot_set(m, i, 0);
}

/* Delete a handed-over message. */
static void
modem_sms_delete(struct modem *m, int index)
{
	struct modem_cmd	*c;
	char			 line[32];

	snprintf(line, sizeof line, "AT+CMGD=%d", index);
	c = modem_cmd_new(line, NULL, 0, 0, NULL, modem_sms_deleted);
	c->arg = index;
	c->in_step = 1;
	/* a text announced meanwhile is read first (another slot: this one
	 * is not free until deleted) */
	modem_cmd_read(m, c, 1);
}

/* A recheck's +CMGR: answer: the message handed over, or another? */
static void
modem_sms_recheck_line(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	if (ev->pdu == NULL || c->arg < 0 || c->arg >= MODEM_SLOTS)
		return;
	c->seen = modem_sms_hash(ev->pdu, ev->pdulen) ==
	    m->pdu_hash[c->arg] ? 1 : 2;
}

static void
modem_sms_recheck_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	int	i = c->arg;

	if (ev == NULL || m->port == NULL || m->dead ||
	    (!modem_final_ok(ev) && !modem_sms_no_message(ev))) {
		/* no answer, or refused (not "empty", 321): the next check
		 * tries again */
		if (m->port != NULL && !m->dead)
			modem_sms_bit_set(m->undeleted, i, 1);
		return;
	}
	if (c->seen == 1) {
		modem_sms_delete(m, i);	/* still ours: delete it now */
		return;
	}
	/* gone (someone else deleted it), or another message took the
	 * slot: free, and a message there is new and is read */
	modem_sms_slot_set(m, i, 0);
	if (c->seen == 2)
		modem_sms_announced(m, i, 0);
}

/*
 * A slot whose delete was refused: read it first, and delete it only if
 * it still holds the message handed over.  A blind delete could remove a
 * new message (a STOP) that took the slot after another program freed
 * it.
 */
static void
modem_sms_recheck(struct modem *m, int index)
{
	modem_cmd_read(m, modem_sms_read_cmd(index, modem_sms_recheck_line,
	    modem_sms_recheck_done), 1);
}

void
modem_sms_done(struct modem *m, int index)
{
	if (index < 0 || m->port == NULL)
		return;
	if (m->cfg.keep_sms) {
		modem_sms_slot_set(m, index, 0);
		modem_sms_kept(m, index);
		return;
	}
	modem_sms_delete(m, index);
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
	/* only slots it can track: each one handed over queues a delete,
	 * so a listing of endless bogus indexes must not queue endless
	 * deletes */
	if (end == v + 1 || index < 0 || index >= MODEM_SLOTS) {
		log_debug("%s: modem=%s index out of range: %s", __func__,
		    m->name, ev->line);
		return;
	}
	modem_sms_list(m, (int)index, ev->pdu, ev->pdulen, ev->resp.pdu_len);
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
	/* more was announced, or asked for, while this sweep ran: once
	 * more, after a timeout too (a modem that keeps timing out is reset,
	 * and its initialization sweeps); the owner hears "swept" only once
	 * storage was read after its last request */
	modem_sms_list_deliver(m);
	if (m->sweep_again && m->port != NULL && !m->dead) {
		modem_sms_sweep(m);
		return;
	}
	modem_sms_pump(m);	/* the texts announced meanwhile */
	if (m->cb.swept != NULL)
		m->cb.swept(m, m->arg);
}

static void	modem_sms_sweep_step(struct modem *, struct modem_cmd *,
		    const struct at_event *);

static void
modem_sms_sweep_read(struct modem *m, int index)
{
	modem_cmd_read(m, modem_sms_read_cmd(index, modem_sms_sweep_line,
	    modem_sms_sweep_step), 0);
}

/*
 * Slot by slot, for modems that hang in AT+CMGL: one AT+CMGR queued at a
 * time, the next one queued when it is answered, so sends waiting take
 * their turn between slots.
 */
static void
modem_sms_sweep_step(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	int	base = m->quirks != NULL ? m->quirks->index_base : 0;
	int	total = m->info.storage_total;

	(void)c;
	if (total > MODEM_SLOTS - base)
		total = MODEM_SLOTS - base;
	if (ev != NULL && m->port != NULL && !m->dead &&
	    m->sweep_slot < base + total) {
		modem_sms_sweep_read(m, m->sweep_slot++);
		return;
	}
	/* the last slot, or a timeout or flush: the sweep is over (what
	 * it read is handed over: a slot that keeps timing out must not
	 * hold back the others for ever) */
	m->sweep_slot = -1;
	if (ev == NULL || m->port == NULL || m->dead) {
		m->sweeping = 0;
		modem_sms_list_deliver(m);
		if (m->sweep_again && m->port != NULL && !m->dead) {
			modem_sms_sweep(m);	/* asked for meanwhile */
			return;
		}
		modem_sms_pump(m);
		if (m->cb.swept != NULL && m->port != NULL)
			m->cb.swept(m, m->arg);
		return;
	}
	modem_cmd(m, "AT", NULL, 0, 0, NULL, modem_sms_swept)->arg = 1;
}

void
modem_sms_sweep(struct modem *m)
{
	struct modem_cmd	*c;

	if (m->port == NULL || m->dead)
		return;
	if (m->sweeping) {
		/* one sweep at a time; announced meanwhile: once more */
		m->sweep_again = 1;
		return;
	}
	m->sweeping = 1;
	m->sweep_again = 0;
	if (m->quirks != NULL && m->quirks->cmgl_hangs &&
	    m->info.storage_total > 0) {
		/* slot by slot: this modem can hang in AT+CMGL */
		m->sweep_slot = m->quirks->index_base;
		modem_sms_sweep_read(m, m->sweep_slot++);
		return;
	}
	c = modem_cmd_new("AT+CMGL=4", "+CMGL:", 0, MODEM_T_READ,
	    modem_sms_cmgl_line, modem_sms_swept);
	c->in_step = 1;
	modem_cmd_queue(m, c);
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

static void
modem_sms_read_in_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	(void)c;
	(void)ev;
	if (m->nreports > 0)
		m->nreports--;
}

/*
 * Read a status report stored in another memory (+CDSI: "SR",n), and
 * delete it there, before storage is switched back: a delete queued
 * later would hit slot n of the SIM store, maybe an unread text.  At
 * most MODEM_REPORTS_MAX such reads wait: beyond, a report is left in
 * that memory (it is only a report; the texts are in "SM").
 */
static void
modem_sms_read_in(struct modem *m, const char *mem, int index)
{
	char	line[64];

	if (m->nreports >= MODEM_REPORTS_MAX) {
		log_debug("%s: modem=%s report %s,%d left unread", __func__,
		    m->name, mem, index);
		return;
	}
	m->nreports++;
	snprintf(line, sizeof line, "AT+CPMS=\"%s\"", mem);
	/* one group: a text's read may go before it, never inside */
	modem_cmd_read(m, modem_cmd_new(line, NULL, 0, 0, NULL, NULL), 1);
	snprintf(line, sizeof line, "AT+CMGR=%d", index);
	modem_cmd(m, line, "+CMGR:", 0, MODEM_T_READ,
	    modem_sms_cmgr_report_line, NULL);
	if (!m->cfg.keep_sms) {
		snprintf(line, sizeof line, "AT+CMGD=%d", index);
		modem_cmd(m, line, NULL, 0, 0, NULL, NULL);
	}
	modem_cmd(m, "AT+CPMS=\"SM\",\"SM\",\"SM\"", NULL, 0, 0, NULL,
	    modem_sms_read_in_done);
}

void
modem_sms_urc(struct modem *m, const struct at_event *ev)
{
	const struct at_resp	*r = &ev->resp;
	char			 mem[8];
	int			 index = r->index;

	switch (r->urc) {
	case AT_URC_NEW_MSG_INDEX:
		modem_sms_announced(m, index, 0);
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
		if (index < 0 || index >= MODEM_SLOTS)
			break;
		strlcpy(mem, r->mem, sizeof mem);
		if (mem[0] != '\0' && strcmp(mem, "SM") != 0)
			modem_sms_read_in(m, mem, index);
		else
			modem_sms_announced(m, index, 1);
		break;
	case AT_URC_MEM_FULL:
		if (!m->sweeping)
			modem_error(m, "message storage full: emptying it");
		modem_sms_sweep(m);
		break;
	default:
		break;
	}
}
