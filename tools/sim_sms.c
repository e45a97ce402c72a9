/*
 * tools/sim_sms.c — the simulated modem's messages: SIM storage, texts
 * from simulated phones, texts the host submits, and status reports.
 *
 * Inbound (TS 23.040 SMS-DELIVER, built with the project's planner and
 * encoder; concatenated per §9.2.3.24.1 with one reference per message)
 * and status reports (SMS-STATUS-REPORT, §9.2.2.3) wait in a "network"
 * queue until the modem can take them: SIM ready, registered, a free
 * storage slot or a TE to route to.  Routing follows TS 27.005 +CNMI:
 * <mt> 0 stores silently, 1 stores and indicates +CMTI, 2 routes +CMT
 * (class 3 only for 3), <ds> 1 routes +CDS, 2 stores and indicates +CDSI.
 * With +CSMS service 1, each +CMT/+CDS waits for +CNMA before the next;
 * without it in time the message goes back to the network queue.  When
 * storage is full, messages stay queued, as the network retries, and
 * arrive once the host deletes something.
 *
 * Submitted messages are decoded with pdu_decode, reassembled per
 * recipient and concatenation reference, and recorded as one JSON line
 * each once complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "compat.h"
#include "json.h"
#include "pdu.h"
#include "plan.h"
#include "sim.h"
#include "utf8.h"

#define SIM_SMS_ASM_MAX	64

struct sim_sms_report {
	struct sim	*sim;
	struct event	*ev;
	unsigned	 mr;
	unsigned	 status;
	char		 to[PDU_ADDR_MAX + 2];
};

static int	sim_sms_build(struct sim *, const char *, const char *,
		    struct sim_msgq *, int *, const char **);

static void
sim_sms_now(struct sms_time *t)
{
	struct tm	tm;
	time_t		now = time(NULL);

	memset(t, 0, sizeof *t);
	if (localtime_r(&now, &tm) == NULL)
		return;
	t->present = 1;
	t->year = tm.tm_year + 1900;
	t->month = tm.tm_mon + 1;
	t->day = tm.tm_mday;
	t->hour = tm.tm_hour;
	t->minute = tm.tm_min;
	t->second = tm.tm_sec;
	t->tz_quarters = (int)(tm.tm_gmtoff / 900);
}

void
sim_sms_init(struct sim *sim)
{
	sim->nslots = sim->o.storage > 0 ? sim->o.storage :
	    sim->pers->storage;
	sim->index_base = sim->o.index_base >= 0 ? sim->o.index_base :
	    sim->pers->index_base;
	sim->slots = xcalloc((size_t)sim->nslots, sizeof *sim->slots);
	TAILQ_INIT(&sim->held);
	TAILQ_INIT(&sim->asm);
	if (sim->o.out != NULL &&
	    (sim->outf = fopen(sim->o.out, "a")) == NULL)
		modemsim_fatal("%s: cannot open", sim->o.out);
}

static void
sim_sms_asm_free(struct sim *sim, struct sim_asm *a)
{
	unsigned	i;

	TAILQ_REMOVE(&sim->asm, a, entry);
	sim->nasm--;
	for (i = 0; i < 256; i++)
		free(a->text[i]);
	free(a);
}

void
sim_sms_free(struct sim *sim)
{
	struct sim_msg	*m;
	size_t		 i;

	while ((m = TAILQ_FIRST(&sim->held)) != NULL) {
		TAILQ_REMOVE(&sim->held, m, entry);
		free(m);
	}
	free(sim->unacked);
	sim->unacked = NULL;
	while (!TAILQ_EMPTY(&sim->asm))
		sim_sms_asm_free(sim, TAILQ_FIRST(&sim->asm));
	free(sim->slots);
	for (i = 0; i < sim->nsent; i++)
		free(sim->sent[i]);
	free(sim->sent);
	if (sim->outf != NULL)
		fclose(sim->outf);
}

/* Power cycle: a message the TE never acknowledged goes back. */
void
sim_sms_reset(struct sim *sim)
{
	if (sim->unacked != NULL) {
		TAILQ_INSERT_HEAD(&sim->held, sim->unacked, entry);
		sim->nheld++;
		sim->unacked = NULL;
	}
}

int
sim_sms_used(struct sim *sim)
{
	int	i, n = 0;

	for (i = 0; i < sim->nslots; i++)
		n += sim->slots[i].used;
	return n;
}

void
sim_sms_read_mark(struct sim *sim, int slot)
{
	if (sim->slots[slot].stat == 0)
		sim->slots[slot].stat = 1;
}

static int
sim_sms_store(struct sim *sim, struct sim_msg *m)
{
	int	i;

	for (i = 0; i < sim->nslots; i++) {
		if (!sim->slots[i].used) {
			sim->slots[i].used = 1;
			sim->slots[i].stat = 0;
			sim->slots[i].msg = *m;
			return i;
		}
	}
	return -1;
}

/*
 * Empty every slot, as another program deleting them or a SIM swap would,
 * without a word to the TE; returns how many were used.
 */
int
sim_sms_clear(struct sim *sim)
{
	int	i, n = 0;

	for (i = 0; i < sim->nslots; i++)
		if (sim->slots[i].used) {
			sim->slots[i].used = 0;
			n++;
		}
	sim_sms_release(sim);	/* the network's retries find room */
	return n;
}

/* Fill every free slot with old, read messages: storage is full. */
int
sim_sms_fill(struct sim *sim)
{
	struct sim_msgq	 q;
	struct sim_msg	*m;
	int		 n = 0, slot;

	while (sim_sms_used(sim) < sim->nslots) {
		TAILQ_INIT(&q);
		if (sim_sms_build(sim, "+15005550001", "old message", &q,
		    NULL, NULL) == -1)
			break;
		while ((m = TAILQ_FIRST(&q)) != NULL) {
			TAILQ_REMOVE(&q, m, entry);
			if ((slot = sim_sms_store(sim, m)) != -1) {
				sim->slots[slot].stat = 1;
				n++;
			}
			free(m);
		}
	}
	return n;
}

static void
sim_sms_emit(struct sim *sim, struct sim_msg *m)
{
	char	*s;

	if (m->report)
		xasprintf(&s, "+CDS: %zu\r\n%s", m->tpdu_len, m->hex);
	else
		xasprintf(&s, "+CMT: ,%zu\r\n%s", m->tpdu_len, m->hex);
	sim_at_urc(sim, s);
	free(s);
}

/*
 * Hand queued messages to the modem, in order, as far as SIM, network,
 * storage, +CNMI and +CNMA allow.
 */
void
sim_sms_release(struct sim *sim)
{
	struct sim_msg	*m;
	struct timeval	 tv;
	char		 buf[64];
	int		 direct, slot, route, reserved;

	if (!sim->plugged || sim->state == SIM_ST_OFF ||
	    sim->state == SIM_ST_HUNG || sim->sim != SIM_SIM_READY ||
	    (sim->reg != 1 && sim->reg != 5))
		return;
	while (sim->unacked == NULL &&
	    (m = TAILQ_FIRST(&sim->held)) != NULL) {
		route = m->report ? sim->cnmi[3] : sim->cnmi[1];
		if (m->report && route == 0) {
			/* <ds>=0: the report is not routed to the TE */
			TAILQ_REMOVE(&sim->held, m, entry);
			sim->nheld--;
			free(m);
			continue;
		}
		direct = m->report ? route == 1 : route == 2;
		if (direct && !sim_at_can_deliver(sim)) {
			/* mode 0, or 1 while reserved: the ME stores it */
			reserved = sim_at_reserved(sim);
			if (sim->cnmi[0] != 0 && !(sim->cnmi[0] == 1 &&
			    reserved))
				return;	/* mode 2: wait for the link */
			direct = 0;
		}
		if (direct) {
			TAILQ_REMOVE(&sim->held, m, entry);
			sim->nheld--;
			sim_sms_emit(sim, m);
			if (sim->csms == 1) {
				sim->unacked = m;
				tv.tv_sec = sim->o.cnma_ms / 1000;
				tv.tv_usec = (sim->o.cnma_ms % 1000) * 1000;
				event_add(sim->ev_cnma, &tv);
			} else
				free(m);
			continue;
		}
		if ((slot = sim_sms_store(sim, m)) == -1)
			return;	/* full: the network keeps retrying */
		TAILQ_REMOVE(&sim->held, m, entry);
		sim->nheld--;
		modemsim_log(sim, "stored %s from %s at %d",
		    m->report ? "status report" : "message", m->from,
		    slot + sim->index_base);
		if (route != 0 && !m->report && sim->lose_cmti > 0) {
			/* the lose-cmti fault: the indication is lost (line
			 * noise, a modem that forgot it) */
			sim->lose_cmti--;
			modemsim_log(sim, "+CMTI for %d lost (fault)",
			    slot + sim->index_base);
		} else if (route != 0) {
			xsnprintf(buf, sizeof buf, "%s: \"%s\",%d",
			    m->report ? "+CDSI" : "+CMTI", sim->mem[2],
			    slot + sim->index_base);
			(void)sim_at_indicate(sim, buf, strlen(buf), 0);
		}
		free(m);
	}
}

/* +CNMA: ok frees the routed message, else the network retries it. */
void
sim_sms_ack(struct sim *sim, int ok)
{
	struct sim_msg	*m = sim->unacked;

	if (m == NULL)
		return;
	sim->unacked = NULL;
	if (ok)
		free(m);
	else {
		TAILQ_INSERT_HEAD(&sim->held, m, entry);
		sim->nheld++;
	}
	sim_sms_release(sim);
}

static void
sim_sms_seg_text(const struct plan *p, size_t i, char *out, size_t outlen)
{
	size_t	k, n = 0, l;
	char	tmp[4];

	for (k = p->seg[i].start; k < p->seg[i].end; k++) {
		l = utf8_encode(p->cp[k], tmp);
		if (n + l >= outlen)
			break;
		memcpy(out + n, tmp, l);
		n += l;
	}
	out[n] = '\0';
}

/*
 * Plan a text and encode one SMS-DELIVER per segment onto q.  Returns 0
 * with the segment count in *parts, or -1 with *err set.
 */
static int
sim_sms_build(struct sim *sim, const char *from, const char *text,
    struct sim_msgq *q, int *parts, const char **err)
{
	struct plan		*p;
	struct plan_opts	 o;
	struct pdu_deliver	 d;
	struct sim_msg		*m;
	uint8_t			 ud[PDU_UD_MAX * 8 / 7 + 1], udh[16];
	uint8_t			 out[PDU_MAX_OCTETS];
	size_t			 i, len, tpdu_len;
	const char		*e;
	unsigned		 ref;

	if (err == NULL)
		err = &e;
	memset(&o, 0, sizeof o);
	p = xcalloc(1, sizeof *p);
	if (plan_make(p, text, strlen(text), &o, err) == -1) {
		free(p);
		return -1;
	}
	if (sim->nheld + (int)p->nseg > SIM_HELD_MAX) {
		plan_free(p);
		free(p);
		*err = "network queue full";
		return -1;
	}
	ref = sim->inref;
	sim->inref = (sim->inref + 1) & 0xff;
	memset(&d, 0, sizeof d);
	d.smsc = sim->smsc;
	d.from = from;
	d.msg_class = -1;
	d.encoding = p->encoding;
	sim_sms_now(&d.scts);
	for (i = 0; i < p->nseg; i++) {
		d.ud = ud;
		d.udh = udh;
		d.ud_units = plan_segment(p, i, ref, ud, udh, &d.udh_len);
		d.more = i + 1 < p->nseg;
		if (pdu_encode_deliver(&d, out, &len, &tpdu_len, err) == -1) {
			plan_free(p);
			free(p);
			return -1;
		}
	}
	/* every part encodes: queue them */
	for (i = 0; i < p->nseg; i++) {
		m = xcalloc(1, sizeof *m);
		d.ud_units = plan_segment(p, i, ref, ud, udh, &d.udh_len);
		d.more = i + 1 < p->nseg;
		(void)pdu_encode_deliver(&d, out, &len, &tpdu_len, err);
		pdu_to_hex(out, len, m->hex);
		m->tpdu_len = tpdu_len;
		strlcpy(m->from, from, sizeof m->from);
		sim_sms_seg_text(p, i, m->text, sizeof m->text);
		TAILQ_INSERT_TAIL(q, m, entry);
	}
	if (parts != NULL)
		*parts = (int)p->nseg;
	plan_free(p);
	free(p);
	return 0;
}

/*
 * A simulated phone texts the modem: the parts join the network queue.
 * Returns 0 with the segment count in *parts, or -1 with *err set.
 */
int
sim_sms_inject(struct sim *sim, const char *from, const char *text,
    int *parts, const char **err)
{
	struct sim_msgq	 q;
	struct sim_msg	*m;
	const char	*e;
	int		 n;

	if (err == NULL)
		err = &e;
	TAILQ_INIT(&q);
	if (sim_sms_build(sim, from, text, &q, &n, err) == -1)
		return -1;
	while ((m = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, m, entry);
		TAILQ_INSERT_TAIL(&sim->held, m, entry);
		sim->nheld++;
	}
	if (parts != NULL)
		*parts = n;
	modemsim_log(sim, "phone %s texts %d part(s)", from, n);
	sim_sms_release(sim);
	return 0;
}

/*
 * The network hands the modem a PDU exactly as given (hex, as the modem
 * will print it): for tests of what real networks and modems produce.
 * tpdu_len is the <length> the modem prints before it; -1 works it out
 * assuming SMSC information first.  The PDU need not decode.
 */
int
sim_sms_inject_pdu(struct sim *sim, long tpdu_len, const char *hex,
    const char **err)
{
	struct sms_msg	*d;
	struct sim_msg	*m;
	uint8_t		 buf[PDU_MAX_OCTETS];
	const char	*e;
	long		 n;
	int		 smsc;

	if ((n = pdu_from_hex(hex, strlen(hex), buf, sizeof buf, err)) == -1)
		return -1;
	if (n == 0) {
		*err = "empty PDU";
		return -1;
	}
	if (tpdu_len < 0)
		tpdu_len = n - 1 - buf[0] >= 0 ? n - 1 - buf[0] : 0;
	if (sim->nheld >= SIM_HELD_MAX) {
		*err = "network queue full";
		return -1;
	}
	m = xcalloc(1, sizeof *m);
	d = xmalloc(sizeof *d);
	pdu_to_hex(buf, (size_t)n, m->hex);
	m->tpdu_len = (size_t)tpdu_len;
	/* the first octet of the TPDU says deliver or report */
	smsc = pdu_len_smsc(buf, (size_t)n, (size_t)tpdu_len);
	if (smsc == 0)
		m->report = (buf[0] & 0x03) == 2;
	else if (n > 1 + buf[0])
		m->report = (buf[1 + buf[0]] & 0x03) == 2;
	if (pdu_decode_len(buf, (size_t)n, (size_t)tpdu_len, d, &e) == 0) {
		strlcpy(m->from, d->addr.text, sizeof m->from);
		strlcpy(m->text, d->text, sizeof m->text);
	} else
		strlcpy(m->from, "?", sizeof m->from);
	free(d);
	TAILQ_INSERT_TAIL(&sim->held, m, entry);
	sim->nheld++;
	modemsim_log(sim, "network delivers a raw %s PDU from %s",
	    m->report ? "status report" : "message", m->from);
	sim_sms_release(sim);
	return 0;
}

static void
sim_sms_report_cb(int fd, short what, void *arg)
{
	struct sim_sms_report	*r = arg;
	struct sim		*sim = r->sim;
	struct pdu_report	 pr;
	struct sim_msg		*m;
	uint8_t			 out[PDU_MAX_OCTETS];
	size_t			 len, tpdu_len;
	const char		*err;

	(void)fd;
	(void)what;
	memset(&pr, 0, sizeof pr);
	pr.smsc = sim->smsc;
	pr.mr = r->mr;
	pr.recipient = r->to;
	pr.status = r->status;
	sim_sms_now(&pr.scts);
	pr.discharge = pr.scts;
	if (pdu_encode_report(&pr, out, &len, &tpdu_len, &err) == -1)
		modemsim_log(sim, "status report for %s: %s", r->to, err);
	else if (sim->nheld < SIM_HELD_MAX) {
		m = xcalloc(1, sizeof *m);
		m->report = 1;
		pdu_to_hex(out, len, m->hex);
		m->tpdu_len = tpdu_len;
		strlcpy(m->from, r->to, sizeof m->from);
		xsnprintf(m->text, sizeof m->text, "status %u for mr %u",
		    r->status, r->mr);
		TAILQ_INSERT_TAIL(&sim->held, m, entry);
		sim->nheld++;
		sim_sms_release(sim);
	}
	event_free(r->ev);
	free(r);
}

static void
sim_sms_schedule_report(struct sim *sim, const char *to, unsigned mr)
{
	struct sim_sms_report	*r;
	struct timeval		 tv;

	/* the report's recipient field holds digits only (TS 23.040) */
	if (strlen(to) > PDU_ADDR_MAX || strspn(to + (to[0] == '+'),
	    "0123456789") != strlen(to + (to[0] == '+')))
		return;
	r = xcalloc(1, sizeof *r);
	r->sim = sim;
	r->mr = mr;
	strlcpy(r->to, to, sizeof r->to);
	if (sim->rep_fault_count > 0) {
		r->status = (unsigned)sim->rep_fault_status;
		sim->rep_fault_count--;
	} else
		r->status = (unsigned)sim->o.report_status;
	if ((r->ev = evtimer_new(sim->base, sim_sms_report_cb, r)) == NULL)
		modemsim_fatal("evtimer_new failed");
	tv.tv_sec = sim->o.report_ms / 1000;
	tv.tv_usec = (sim->o.report_ms % 1000) * 1000;
	event_add(r->ev, &tv);
}

static void
sim_sms_record(struct sim *sim, const char *to, const char *text,
    unsigned nseg, enum sms_encoding enc, int report, const int *mr,
    int ref)
{
	struct json	 j;
	FILE		*f;
	char		*s = NULL, ts[40];
	size_t		 len = 0;
	unsigned	 i;
	struct tm	 tm;
	time_t		 now = time(NULL);

	if ((f = open_memstream(&s, &len)) == NULL)
		modemsim_fatal("open_memstream failed");
	json_init(&j, f);
	json_object_begin(&j);
	json_kv_string(&j, "to", to);
	json_kv_string(&j, "text", text);
	json_kv_int(&j, "segments", nseg);
	json_kv_string(&j, "encoding", plan_encoding_name(enc));
	json_kv_bool(&j, "report", report);
	json_key(&j, "mr");
	json_array_begin(&j);
	for (i = 0; i < nseg; i++)
		json_int(&j, mr[i]);
	json_array_end(&j);
	if (ref >= 0)
		json_kv_int(&j, "ref", ref);
	else
		json_kv_null(&j, "ref");
	if (localtime_r(&now, &tm) != NULL &&
	    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S%z", &tm) > 0)
		json_kv_string(&j, "time", ts);
	json_object_end(&j);
	fclose(f);

	if (sim->outf != NULL) {
		fprintf(sim->outf, "%s\n", s);
		fflush(sim->outf);
	}
	modemsim_log(sim, "sent %s", s);
	if (sim->nsent < SIM_SENT_MAX) {
		sim->sent = xreallocarray(sim->sent, sim->nsent + 1,
		    sizeof *sim->sent);
		sim->sent[sim->nsent++] = s;
	} else
		free(s);
	sim->nsent_total++;
	sim_ctl_poke(sim);
}

static char *
sim_sms_part_text(const struct sms_msg *m)
{
	char	*s;

	if (m->encoding == SMS_ENC_8BIT || m->compressed) {
		s = xmalloc(m->data_len * 2 + 1);
		pdu_to_hex(m->data, m->data_len, s);
		return s;
	}
	return xstrdup(m->text);
}

/*
 * The host submitted a message (accepted with TP-MR mr): what the phone
 * will receive.  Returns 0.
 */
int
sim_sms_submitted(struct sim *sim, const uint8_t *pdu, size_t len,
    const struct sms_msg *m, unsigned mr)
{
	struct sim_asm	*a;
	char		*text, *all;
	size_t		 n;
	unsigned	 i;
	int		 mrs[256];

	(void)pdu;
	(void)len;
	if (m->srr)
		sim_sms_schedule_report(sim, m->addr.text, mr);
	if (!m->concat.present || m->concat.parts < 2) {
		text = sim_sms_part_text(m);
		mrs[0] = (int)mr;
		sim_sms_record(sim, m->addr.text, text, 1, m->encoding,
		    m->srr, mrs, -1);
		free(text);
		return 0;
	}
	TAILQ_FOREACH(a, &sim->asm, entry)
		if (strcmp(a->to, m->addr.text) == 0 &&
		    a->ref == m->concat.ref && a->parts == m->concat.parts)
			break;
	if (a == NULL) {
		if (sim->nasm >= SIM_SMS_ASM_MAX)
			sim_sms_asm_free(sim, TAILQ_FIRST(&sim->asm));
		a = xcalloc(1, sizeof *a);
		strlcpy(a->to, m->addr.text, sizeof a->to);
		a->ref = m->concat.ref;
		a->parts = m->concat.parts;
		a->encoding = m->encoding;
		TAILQ_INSERT_TAIL(&sim->asm, a, entry);
		sim->nasm++;
	}
	i = m->concat.part - 1;
	if (a->text[i] != NULL) {
		/* a resend of a part we have: keep the newer mr */
		a->mr[i] = (int)mr;
		return 0;
	}
	a->text[i] = sim_sms_part_text(m);
	a->mr[i] = (int)mr;
	a->report |= m->srr;
	if (++a->have < a->parts)
		return 0;
	for (n = 1, i = 0; i < a->parts; i++)
		n += strlen(a->text[i]);
	all = xmalloc(n);
	all[0] = '\0';
	for (i = 0; i < a->parts; i++) {
		strlcat(all, a->text[i], n);
		mrs[i] = a->mr[i];
	}
	sim_sms_record(sim, a->to, all, a->parts, a->encoding, a->report,
	    mrs, (int)a->ref);
	free(all);
	sim_sms_asm_free(sim, a);
	return 0;
}

int
sim_sms_slot(struct sim *sim, int index)
{
	int	slot = index - sim->index_base;

	if (slot < 0 || slot >= sim->nslots)
		return -1;
	return slot;
}

static const char *
sim_sms_stat_name(int stat)
{
	static const char	*names[] = { "REC UNREAD", "REC READ",
	    "STO UNSENT", "STO SENT" };

	return stat >= 0 && stat < 4 ? names[stat] : "unknown";
}

/* One JSON line per stored message, then one for the network queue. */
void
sim_sms_storage_json(struct sim *sim, FILE *f)
{
	struct json	 j;
	struct sim_slot	*s;
	int		 i;

	for (i = 0; i < sim->nslots; i++) {
		s = &sim->slots[i];
		if (!s->used)
			continue;
		json_init(&j, f);
		json_object_begin(&j);
		json_kv_int(&j, "index", i + sim->index_base);
		json_kv_string(&j, "stat", sim_sms_stat_name(s->stat));
		json_kv_string(&j, "type", s->msg.report ? "status-report" :
		    "deliver");
		json_kv_string(&j, s->msg.report ? "recipient" : "from",
		    s->msg.from);
		json_kv_string(&j, "text", s->msg.text);
		json_kv_int(&j, "length", (long long)s->msg.tpdu_len);
		json_kv_string(&j, "pdu", s->msg.hex);
		json_object_end(&j);
		fputc('\n', f);
	}
	json_init(&j, f);
	json_object_begin(&j);
	json_kv_int(&j, "used", sim_sms_used(sim));
	json_kv_int(&j, "total", sim->nslots);
	json_kv_int(&j, "held", sim->nheld);
	json_kv_bool(&j, "awaiting_cnma", sim->unacked != NULL);
	json_object_end(&j);
	fputc('\n', f);
}
