/*
 * tools/sim_at.c — the AT interpreter of the simulated modem.
 *
 * Implements, as a modem in PDU mode does:
 * - ITU-T V.250: command lines "AT..." ended by S3 (CR; LF accepted too),
 *   backspace editing, echo (E, on at power-on), basic commands E, V1, Q0,
 *   Z, I, &F, &W, S<n>, H, extended commands concatenated with ';', the
 *   "\r\n<text>\r\n" framing of ATV1 and the final results OK / ERROR.
 * - 3GPP TS 27.007: +CGMI/+CGMM/+CGMR/+CGSN/+CIMI, +CMEE (ERROR, +CME
 *   ERROR: <n>, +CME ERROR: <text>; §9.2 codes), +CPIN, +CREG/+CGREG/
 *   +CEREG (with URCs), +CSQ, +COPS, +CSCS, +CFUN (=1,1 resets), +CUSD.
 * - 3GPP TS 27.005: +CSMS, +CMGF, +CPMS, +CNMI (modes 0-3 with TA
 *   buffering while the link is reserved, mt 0-3, ds 0-2, bfr), +CNMA, +CNUM,
 *   +CSCA, +CMGS (the "\r\n> " prompt, Ctrl-Z submits, ESC cancels,
 *   §3.5.1), +CMGR, +CMGL, +CMGD, +CMTI/+CMT/+CDS/+CDSI indications, and
 *   +CMS ERROR: <n> (§3.2.5) for message-service failures.
 * - vendor personalities (table below): identity strings, power-on
 *   defaults, boot URCs, Huawei ^RSSI/^BOOT/^MODE spam and AT^CURC,
 *   storage numbered from 0 on Huawei, SIM800's refusal of <ds>=2.
 *
 * Deviations, chosen for a test fixture:
 * - +CMS ERROR is always numeric, whatever +CMEE says (TS 27.005 does not
 *   tie it to +CMEE; modems differ).
 * - Text mode (+CMGF=1) is accepted and answered by +CMGF?, but +CMGS,
 *   +CMGR and +CMGL answer +CMS ERROR: 302 in it: the simulator is a PDU
 *   mode modem, like the gateway that drives it.
 * - An empty slot read with +CMGR answers OK (Huawei: "+CMGR: 0,,0").
 * - Commands after +CMGS on the same line are ignored.
 * - ATV0 (numeric results) is refused with ERROR.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "compat.h"
#include "pdu.h"
#include "sim.h"

#define SIM_AT_OK	0
#define SIM_AT_ERR	1
#define SIM_AT_DEFER	2	/* final result comes later */

#define SIM_AT_EXEC	0	/* AT+X */
#define SIM_AT_READ	1	/* AT+X? */
#define SIM_AT_TEST	2	/* AT+X=? */
#define SIM_AT_SET	3	/* AT+X=... */

#define SIM_AT_MAXARGS	16

struct sim_at_args {
	int	 n;
	char	*v[SIM_AT_MAXARGS];
	int	 quoted[SIM_AT_MAXARGS];
	char	 buf[SIM_LINE_MAX + 1];
};

struct sim_at_cmd {
	const char	*name;
	int		(*fn)(struct sim *, int, struct sim_at_args *);
	int		 huawei;	/* only in the Huawei personality */
};

static const struct sim_pers sim_at_pers[] = {
	{ "generic", "tambuli", "modemsim", "modemsim 1.0",
	  "tambuli\r\nmodemsim\r\nRevision: modemsim 1.0",
	  "490154203237518",
	  "+CNMI: (0-3),(0-3),(0-3),(0-2),(0,1)", 1, { 0, 0, 0, 0, 0 },
	  1, 30, 7, "IRA", 0, "", "" },
	{ "huawei", "huawei", "E3131", "21.158.13.00.209",
	  "Manufacturer: huawei\r\nModel: E3131\r\n"
	  "Revision: 21.158.13.00.209\r\nIMEI: 861234021234567\r\n"
	  "+GCAP: +CGSM,+DS,+ES",
	  "861234021234567",
	  "+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)", 1,
	  { 0, 0, 0, 0, 0 }, 0, 23, 2, "IRA", 1, "", "^SIMST:1" },
	{ "simcom", "SIMCOM_Ltd", "SIMCOM_SIM800L",
	  "Revision:1418B04SIM800L24", "SIM800 R14.18",
	  "866262037123456",
	  "+CNMI: (0-3),(0-3),(0,2),(0,1),(0,1)", 0, { 2, 1, 0, 0, 0 },
	  1, 30, 0, "IRA", 0, "RDY\n+CFUN: 1",
	  "+CPIN: READY\nCall Ready\nSMS Ready" },
	{ "quectel", "Quectel", "EC25", "EC25EFAR06A06M4G",
	  "Quectel\r\nEC25\r\nRevision: EC25EFAR06A06M4G",
	  "867962040123456",
	  "+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)", 1, { 2, 1, 0, 0, 0 },
	  1, 30, 7, "GSM", 0, "RDY\n+CFUN: 1",
	  "+CPIN: READY\n+QUSIM: 1\n+QIND: SMS DONE" },
};

/* TS 27.007 §9.2 texts for the codes we give. */
static const struct {
	int		 code;
	const char	*text;
} sim_at_cme_text[] = {
	{ 3, "operation not allowed" },
	{ 4, "operation not supported" },
	{ 10, "SIM not inserted" },
	{ 11, "SIM PIN required" },
	{ 14, "SIM busy" },
	{ 16, "incorrect password" },
	{ 21, "invalid index" },
	{ 30, "no network service" },
	{ 50, "incorrect parameters" },
	{ 100, "unknown" },
};

static const char *sim_at_cscs_names[] = { "GSM", "IRA", "UCS2" };

static void	sim_at_boot_cb(int, short, void *);
static void	sim_at_simready_cb(int, short, void *);
static void	sim_at_reg_cb(int, short, void *);
static void	sim_at_urc_cb(int, short, void *);
static void	sim_at_timer(struct event *, long);
static void	sim_at_submit_cb(int, short, void *);
static void	sim_at_slow_cb(int, short, void *);
static void	sim_at_cnma_cb(int, short, void *);

const struct sim_pers *
sim_at_personality(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof sim_at_pers / sizeof sim_at_pers[0]; i++)
		if (strcmp(sim_at_pers[i].name, name) == 0)
			return &sim_at_pers[i];
	return NULL;
}

const char *
sim_at_state_name(enum sim_state st)
{
	switch (st) {
	case SIM_ST_OFF:
		return "off";
	case SIM_ST_CMD:
		return "command";
	case SIM_ST_PROMPT:
		return "prompt";
	case SIM_ST_BUSY:
		return "busy";
	case SIM_ST_HUNG:
		return "hung";
	}
	return "unknown";
}

/* ===== output ===== */

static void
sim_at_put(struct sim *sim, const char *s)
{
	sim_pty_write(sim, s, strlen(s));
}

static void
sim_at_info(struct sim *sim, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An information response: "\r\n<text>\r\n". */
static void
sim_at_info(struct sim *sim, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	sim_at_put(sim, "\r\n");
	sim_at_put(sim, s);
	sim_at_put(sim, "\r\n");
	free(s);
}

static void
sim_at_ok(struct sim *sim)
{
	sim_at_put(sim, "\r\nOK\r\n");
}

static int
sim_at_error(struct sim *sim)
{
	sim_at_put(sim, "\r\nERROR\r\n");
	return SIM_AT_ERR;
}

static int
sim_at_cme(struct sim *sim, int code)
{
	size_t	i;

	if (sim->cmee == 0)
		return sim_at_error(sim);
	if (sim->cmee == 2) {
		for (i = 0; i < sizeof sim_at_cme_text /
		    sizeof sim_at_cme_text[0]; i++) {
			if (sim_at_cme_text[i].code == code) {
				sim_at_info(sim, "+CME ERROR: %s",
				    sim_at_cme_text[i].text);
				return SIM_AT_ERR;
			}
		}
	}
	sim_at_info(sim, "+CME ERROR: %d", code);
	return SIM_AT_ERR;
}

static int
sim_at_cms(struct sim *sim, int code)
{
	sim_at_info(sim, "+CMS ERROR: %d", code);
	return SIM_AT_ERR;
}

void
sim_at_urc_len(struct sim *sim, const char *s, size_t len)
{
	if (sim->state == SIM_ST_OFF || sim->state == SIM_ST_HUNG ||
	    sim->state == SIM_ST_PROMPT)
		return;
	sim_pty_write(sim, "\r\n", 2);
	sim_pty_write(sim, s, len);
	sim_pty_write(sim, "\r\n", 2);
}

/* A URC outside +CNMI's control (registration, boot, vendor noise). */
void
sim_at_urc(struct sim *sim, const char *s)
{
	sim_at_urc_len(sim, s, strlen(s));
}

/* 1 while a command holds the TA-TE link (TS 27.005 "link reserved"). */
int
sim_at_reserved(struct sim *sim)
{
	return sim->state == SIM_ST_PROMPT || sim->state == SIM_ST_BUSY;
}

/* 1 when a +CMT or +CDS could be given to the TE right now. */
int
sim_at_can_deliver(struct sim *sim)
{
	if (sim->state == SIM_ST_OFF || sim->state == SIM_ST_HUNG)
		return 0;
	if (sim->cnmi[0] == 3)
		return 1;
	return sim->cnmi[0] != 0 && !sim_at_reserved(sim);
}

/*
 * An SMS indication (+CMTI, +CDSI) under +CNMI <mode>: 0 buffers in the
 * TA, 1 discards while the link is reserved, 2 buffers while reserved, 3
 * forwards at once.  force (the race fault) writes it whatever the state.
 * Returns 0 when written or buffered, -1 when discarded.
 */
int
sim_at_indicate(struct sim *sim, const char *s, size_t len, int force)
{
	int	mode = sim->cnmi[0];

	if (sim->state == SIM_ST_OFF || sim->state == SIM_ST_HUNG)
		return -1;
	if (force || mode == 3 || (mode != 0 && !sim_at_reserved(sim))) {
		sim_pty_write(sim, "\r\n", 2);
		sim_pty_write(sim, s, len);
		sim_pty_write(sim, "\r\n", 2);
		return 0;
	}
	if (mode == 1)
		return -1;
	if (sim->nurcq == SIM_URCQ_MAX) {
		free(sim->urcq[0]);
		memmove(sim->urcq, sim->urcq + 1,
		    (SIM_URCQ_MAX - 1) * sizeof sim->urcq[0]);
		sim->nurcq--;
	}
	sim->urcq[sim->nurcq++] = xstrndup(s, len);
	return 0;
}

/* Give the TE what the TA buffered, when +CNMI and the link allow. */
void
sim_at_flush_urcs(struct sim *sim)
{
	int	i;

	if (sim->state != SIM_ST_CMD || sim->cnmi[0] == 0)
		return;
	for (i = 0; i < sim->nurcq; i++) {
		sim_at_urc(sim, sim->urcq[i]);
		free(sim->urcq[i]);
	}
	sim->nurcq = 0;
}

static void
sim_at_clear_urcs(struct sim *sim)
{
	int	i;

	for (i = 0; i < sim->nurcq; i++)
		free(sim->urcq[i]);
	sim->nurcq = 0;
}

/*
 * The cmti-flood fault: +CMTI indications for random slots (used, empty,
 * repeated), out-of-range, negative and huge indexes, written as fast as
 * the host reads them (a few kilobytes at a time), whatever the state.
 */
static void
sim_at_flood_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;
	char		 buf[64];
	unsigned	 r;
	int		 i;

	(void)fd;
	(void)what;
	for (i = 0; i < 100 && sim->flood_left > 0 && sim->plugged &&
	    evbuffer_get_length(sim->out) < 4096; i++) {
		r = modemsim_rand(sim) % 100;
		if (r < 80)
			snprintf(buf, sizeof buf, "+CMTI: \"SM\",%d",
			    sim->index_base + (int)(modemsim_rand(sim) %
			    (unsigned)sim->nslots));
		else if (r < 90)
			snprintf(buf, sizeof buf, "+CMTI: \"SM\",%d",
			    sim->index_base + sim->nslots +
			    (int)(modemsim_rand(sim) % 100000));
		else if (r < 95)
			snprintf(buf, sizeof buf, "+CMTI: \"SM\",-%u",
			    1 + modemsim_rand(sim) % 1000);
		else
			snprintf(buf, sizeof buf, "+CMTI: \"SM\",%s",
			    r % 2 ? "99999999999999999999" : "4294967297");
		(void)sim_at_indicate(sim, buf, strlen(buf), 1);
		sim->flood_left--;
	}
	if (sim->flood_left > 0 && sim->plugged)
		sim_at_timer(sim->ev_flood, 1);
}

void
sim_at_flood(struct sim *sim, long n)
{
	sim->flood_left = n;
	sim_at_timer(sim->ev_flood, 0);
}

void
sim_at_garbage(struct sim *sim, size_t n)
{
	char	buf[256];
	size_t	i, k;

	while (n > 0) {
		k = n < sizeof buf ? n : sizeof buf;
		for (i = 0; i < k; i++)
			buf[i] = (char)(modemsim_rand(sim) & 0xff);
		sim_pty_write(sim, buf, k);
		n -= k;
	}
}

/* ===== power, SIM and registration ===== */

static void
sim_at_defaults(struct sim *sim)
{
	size_t	i;

	sim->echo = 1;
	sim->cmee = 0;
	sim->cmgf = 0;
	sim->cscs = SIM_CSCS_IRA;
	for (i = 0; i < 3; i++)
		if (strcmp(sim->pers->cscs, sim_at_cscs_names[i]) == 0)
			sim->cscs = (int)i;
	memcpy(sim->cnmi, sim->pers->cnmi_default, sizeof sim->cnmi);
	sim->csms = 0;
	sim->creg_n = sim->cereg_n = sim->cgreg_n = 0;
	sim->cops_fmt = 0;
	sim->curc = 1;
	sim->cusd_n = 0;
	sim->ussdmode = 0;
	for (i = 0; i < 3; i++)
		strlcpy(sim->mem[i], "SM", sizeof sim->mem[i]);
	sim_at_clear_urcs(sim);
}

static void
sim_at_stop_timers(struct sim *sim)
{
	event_del(sim->ev_boot);
	event_del(sim->ev_simready);
	event_del(sim->ev_reg);
	event_del(sim->ev_urc);
	event_del(sim->ev_submit);
	event_del(sim->ev_cnma);
	event_del(sim->ev_slow);
}

static void
sim_at_timer(struct event *ev, long ms)
{
	struct timeval	tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	event_add(ev, &tv);
}

void
sim_at_init(struct sim *sim)
{
	sim->ev_boot = evtimer_new(sim->base, sim_at_boot_cb, sim);
	sim->ev_simready = evtimer_new(sim->base, sim_at_simready_cb, sim);
	sim->ev_reg = evtimer_new(sim->base, sim_at_reg_cb, sim);
	sim->ev_urc = event_new(sim->base, -1, EV_PERSIST, sim_at_urc_cb,
	    sim);
	sim->ev_submit = evtimer_new(sim->base, sim_at_submit_cb, sim);
	sim->ev_cnma = evtimer_new(sim->base, sim_at_cnma_cb, sim);
	sim->ev_flood = evtimer_new(sim->base, sim_at_flood_cb, sim);
	sim->ev_slow = evtimer_new(sim->base, sim_at_slow_cb, sim);
	if (sim->ev_slow == NULL || sim->ev_boot == NULL || sim->ev_simready == NULL ||
	    sim->ev_reg == NULL || sim->ev_urc == NULL ||
	    sim->ev_submit == NULL || sim->ev_cnma == NULL ||
	    sim->ev_flood == NULL)
		modemsim_fatal("evtimer_new failed");
	sim->state = SIM_ST_OFF;
	sim->reg_hold = -1;
	sim->rssi = sim->o.rssi;
	sim->cfun = 1;
	sim_at_defaults(sim);
}

void
sim_at_free(struct sim *sim)
{
	sim_at_clear_urcs(sim);
	event_free(sim->ev_boot);
	event_free(sim->ev_simready);
	event_free(sim->ev_reg);
	event_free(sim->ev_urc);
	event_free(sim->ev_submit);
	event_free(sim->ev_flood);
	event_free(sim->ev_cnma);
	event_free(sim->ev_slow);
	free(sim->rest);
}

static int
sim_at_registered(struct sim *sim)
{
	return sim->reg == 1 || sim->reg == 5;
}

void
sim_at_set_reg(struct sim *sim, int stat)
{
	static const char	*lacci = ",\"1A2B\",\"01A2B3C4\"";
	int			 reg;

	if (stat == sim->reg)
		return;
	sim->reg = stat;
	reg = sim_at_registered(sim);
	modemsim_log(sim, "registration %d", stat);
	if (sim->creg_n > 0) {
		char	buf[64];

		xsnprintf(buf, sizeof buf, "+CREG: %d%s", stat,
		    reg && sim->creg_n == 2 ? lacci : "");
		sim_at_urc(sim, buf);
	}
	if (sim->cgreg_n > 0) {
		char	buf[64];

		xsnprintf(buf, sizeof buf, "+CGREG: %d%s", stat,
		    reg && sim->cgreg_n == 2 ? lacci : "");
		sim_at_urc(sim, buf);
	}
	if (sim->cereg_n > 0) {
		char	buf[64];

		xsnprintf(buf, sizeof buf, "+CEREG: %d%s", stat,
		    reg && sim->cereg_n == 2 ? ",\"1A2B\",\"01A2B3C4\",7" :
		    "");
		sim_at_urc(sim, buf);
	}
	if (reg)
		sim_clock_nitz(sim);
	if (reg)
		sim_sms_release(sim);
	sim_ctl_poke(sim);
}

/* Search for the network once the SIM and the radio allow it. */
static void
sim_at_register(struct sim *sim)
{
	event_del(sim->ev_reg);
	if (sim->sim != SIM_SIM_READY || sim->cfun != 1 || sim->cops_dereg) {
		sim_at_set_reg(sim, 0);
		return;
	}
	if (sim->reg_hold >= 0) {
		sim_at_set_reg(sim, sim->reg_hold);
		return;
	}
	if (sim->o.reg_delay_s > 0) {
		sim_at_set_reg(sim, 2);
		sim_at_timer(sim->ev_reg, sim->o.reg_delay_s * 1000L);
		return;
	}
	sim_at_set_reg(sim, 1);
}

static void
sim_at_reg_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	sim_at_set_reg(sim, sim->reg_hold >= 0 ? sim->reg_hold : 1);
}

static void
sim_at_urcs(struct sim *sim, const char *list)
{
	char	*copy, *p, *line;

	copy = p = xstrdup(list);
	while ((line = strsep(&p, "\n")) != NULL)
		if (*line != '\0')
			sim_at_urc(sim, line);
	free(copy);
}

static void
sim_at_sim_ready(struct sim *sim)
{
	sim->sim = SIM_SIM_READY;
	modemsim_log(sim, "SIM ready");
	sim_at_urcs(sim, sim->pers->ready_urcs);
	sim_at_register(sim);
	sim_sms_release(sim);
	sim_ctl_poke(sim);
}

static void
sim_at_simready_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	if (sim->o.pin != NULL) {
		sim->sim = SIM_SIM_PIN;
		if (strstr(sim->pers->ready_urcs, "+CPIN:") != NULL)
			sim_at_urc(sim, "+CPIN: SIM PIN");
		return;
	}
	sim_at_sim_ready(sim);
}

static void
sim_at_boot_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	sim->state = SIM_ST_CMD;
	modemsim_log(sim, "booted (%s)", sim->pers->name);
	sim_at_urcs(sim, sim->pers->boot_urcs);
	if (sim->pers->huawei && sim->o.urc_ms > 0) {
		struct timeval	tv;

		tv.tv_sec = sim->o.urc_ms / 1000;
		tv.tv_usec = (sim->o.urc_ms % 1000) * 1000;
		sim->urc_tick = 0;
		event_add(sim->ev_urc, &tv);
	}
	if (sim->o.no_sim) {
		sim->sim = SIM_SIM_ABSENT;
		sim_at_register(sim);
	} else if (sim->o.sim_busy_s > 0) {
		sim->sim = SIM_SIM_BUSY;
		sim_at_timer(sim->ev_simready, sim->o.sim_busy_s * 1000L);
	} else
		sim_at_simready_cb(-1, 0, sim);
	sim_at_input(sim);
	sim_ctl_poke(sim);
}

/* Huawei's status reports, unless AT^CURC=0. */
static void
sim_at_urc_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;
	char		 buf[64];

	(void)fd;
	(void)what;
	if (!sim->curc || sim->state != SIM_ST_CMD)
		return;
	if (sim->urc_tick == 0)
		sim_at_urc(sim, "^MODE:5,4");
	if (sim->urc_tick % 3 == 2)
		sim_at_urc(sim, "^BOOT:20952548,0,0,0,72");
	xsnprintf(buf, sizeof buf, "^RSSI:%d", sim_at_registered(sim) ?
	    sim->rssi : 99);
	sim_at_urc(sim, buf);
	sim->urc_tick++;
}

/*
 * Power on (after a plug, a reset or a spontaneous reboot) or off.  All
 * volatile settings return to the personality's power-on defaults; the
 * modem is silent for the boot delay.
 */
void
sim_at_power_on(struct sim *sim, int on)
{
	sim_at_stop_timers(sim);
	sim->state = SIM_ST_OFF;
	sim->linelen = 0;
	sim->overflow = 0;
	sim->cfun = 1;
	sim->cops_dereg = 0;
	sim->sim = SIM_SIM_BUSY;
	sim->reg = 0;
	sim_at_defaults(sim);
	sim_clock_power_on(sim);
	sim_sms_reset(sim);
	sim_ussd_cancel(sim);
	evbuffer_drain(sim->in, evbuffer_get_length(sim->in));
	if (on)
		sim_at_timer(sim->ev_boot, sim->o.boot_ms);
}

void
sim_at_reboot(struct sim *sim)
{
	modemsim_log(sim, "reboot");
	sim_at_power_on(sim, sim->plugged);
}

void
sim_at_hang(struct sim *sim)
{
	modemsim_log(sim, "hung: answers only AT+CFUN=1,1 now");
	event_del(sim->ev_submit);
	sim->state = SIM_ST_HUNG;
}

/* ===== argument parsing ===== */

static void
sim_at_split(const char *s, struct sim_at_args *a)
{
	char	*p, *start, *end;
	int	 q = 0;

	a->n = 0;
	strlcpy(a->buf, s, sizeof a->buf);
	p = start = a->buf;
	for (;; p++) {
		if (*p == '"')
			q = !q;
		if ((*p == ',' && !q) || *p == '\0') {
			int	last = *p == '\0';

			*p = '\0';
			if (a->n == SIM_AT_MAXARGS) {
				a->n = SIM_AT_MAXARGS + 1;	/* too many */
				return;
			}
			while (*start == ' ')
				start++;
			end = start + strlen(start);
			while (end > start && end[-1] == ' ')
				*--end = '\0';
			a->quoted[a->n] = 0;
			if (end - start >= 2 && *start == '"' &&
			    end[-1] == '"') {
				end[-1] = '\0';
				start++;
				a->quoted[a->n] = 1;
			}
			a->v[a->n++] = start;
			if (last)
				return;
			start = p + 1;
		}
	}
}

/* Argument i as an integer in [min, max]; absent or empty gives dflt. */
static int
sim_at_int(struct sim_at_args *a, int i, int min, int max, int dflt, int *v)
{
	const char	*errstr;

	if (i >= a->n || a->v[i][0] == '\0') {
		*v = dflt;
		return dflt >= min && dflt <= max ? 0 : -1;
	}
	*v = (int)strtonum(a->v[i], min, max, &errstr);
	return errstr == NULL ? 0 : -1;
}

static int
sim_at_sms_ready(struct sim *sim)
{
	switch (sim->sim) {
	case SIM_SIM_READY:
		return 0;
	case SIM_SIM_PIN:
		return sim_at_cms(sim, 311);
	case SIM_SIM_BUSY:
		return sim_at_cms(sim, 314);
	case SIM_SIM_ABSENT:
		return sim_at_cms(sim, 310);
	}
	return sim_at_cms(sim, 500);
}

static int
sim_at_sim_check(struct sim *sim)
{
	switch (sim->sim) {
	case SIM_SIM_READY:
		return 0;
	case SIM_SIM_PIN:
		return sim_at_cme(sim, 11);
	case SIM_SIM_BUSY:
		return sim_at_cme(sim, 14);
	case SIM_SIM_ABSENT:
		return sim_at_cme(sim, 10);
	}
	return sim_at_cme(sim, 100);
}

/* ===== identification ===== */

static int
sim_at_ident(struct sim *sim, int form, const char *text)
{
	if (form == SIM_AT_TEST)
		return SIM_AT_OK;
	if (form != SIM_AT_EXEC)
		return sim_at_cme(sim, 4);
	sim_at_info(sim, "%s", text);
	return SIM_AT_OK;
}

static int
sim_at_cgmi(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	return sim_at_ident(sim, form, sim->pers->manufacturer);
}

static int
sim_at_cgmm(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	return sim_at_ident(sim, form, sim->pers->model);
}

static int
sim_at_cgmr(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	return sim_at_ident(sim, form, sim->pers->revision);
}

static int
sim_at_cgsn(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	return sim_at_ident(sim, form, sim->o.imei != NULL ? sim->o.imei :
	    sim->pers->imei);
}

static int
sim_at_gcap(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	return sim_at_ident(sim, form, "+GCAP: +CGSM");
}

static int
sim_at_cimi(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	if (form == SIM_AT_EXEC && sim_at_sim_check(sim) != 0)
		return SIM_AT_ERR;
	return sim_at_ident(sim, form, sim->o.imsi != NULL ? sim->o.imsi :
	    "001010123456789");
}

/* ===== equipment and network ===== */

static int
sim_at_cmee(struct sim *sim, int form, struct sim_at_args *a)
{
	int	v;

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "+CMEE: %d", sim->cmee);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+CMEE: (0-2)");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n > 1 || sim_at_int(a, 0, 0, 2, 0, &v) == -1)
			return sim_at_cme(sim, 50);
		sim->cmee = v;
		return SIM_AT_OK;
	}
	sim->cmee = 0;
	return SIM_AT_OK;
}

static int
sim_at_cpin(struct sim *sim, int form, struct sim_at_args *a)
{
	switch (form) {
	case SIM_AT_TEST:
		return SIM_AT_OK;
	case SIM_AT_READ:
		if (sim->sim == SIM_SIM_READY)
			sim_at_info(sim, "+CPIN: READY");
		else if (sim->sim == SIM_SIM_PIN)
			sim_at_info(sim, "+CPIN: SIM PIN");
		else
			return sim_at_sim_check(sim);
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (sim->sim == SIM_SIM_READY)
			return sim_at_cme(sim, 3);
		if (sim->sim != SIM_SIM_PIN)
			return sim_at_sim_check(sim);
		if (a->n < 1 || a->n > 2 || sim->o.pin == NULL ||
		    strcmp(a->v[0], sim->o.pin) != 0)
			return sim_at_cme(sim, 16);
		sim_at_ok(sim);
		sim_at_sim_ready(sim);
		return SIM_AT_DEFER;
	}
	return sim_at_cme(sim, 4);
}

/* +CREG, +CGREG, +CEREG: TS 27.007 §7.2, §10.1.20, §10.1.22. */
static int
sim_at_reg(struct sim *sim, int form, struct sim_at_args *a,
    const char *name, int *n, const char *act)
{
	int	v, reg = sim_at_registered(sim);

	switch (form) {
	case SIM_AT_READ:
		if (*n == 2 && reg)
			sim_at_info(sim, "%s: %d,%d,\"1A2B\",\"01A2B3C4\"%s",
			    name, *n, sim->reg, act);
		else
			sim_at_info(sim, "%s: %d,%d", name, *n, sim->reg);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "%s: (0-2)", name);
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n > 1 || sim_at_int(a, 0, 0, 2, 0, &v) == -1)
			return sim_at_cme(sim, 50);
		*n = v;
		return SIM_AT_OK;
	}
	*n = 0;
	return SIM_AT_OK;
}

static int
sim_at_creg(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_reg(sim, form, a, "+CREG", &sim->creg_n, "");
}

static int
sim_at_cgreg(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_reg(sim, form, a, "+CGREG", &sim->cgreg_n, "");
}

static int
sim_at_cereg(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_reg(sim, form, a, "+CEREG", &sim->cereg_n, ",7");
}

static int
sim_at_csq(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	if (form == SIM_AT_TEST) {
		sim_at_info(sim, "+CSQ: (0-31,99),(0-7,99)");
		return SIM_AT_OK;
	}
	if (form != SIM_AT_EXEC)
		return sim_at_cme(sim, 4);
	if (sim->cfun != 1)
		sim_at_info(sim, "+CSQ: 99,99");
	else
		sim_at_info(sim, "+CSQ: %d,99", sim->rssi);
	return SIM_AT_OK;
}

static int
sim_at_cops(struct sim *sim, int form, struct sim_at_args *a)
{
	const char	*oper = sim->o.oper;
	int		 mode, fmt;

	switch (form) {
	case SIM_AT_READ:
		if (!sim_at_registered(sim))
			sim_at_info(sim, "+COPS: %d", sim->cops_dereg ? 2 : 0);
		else
			sim_at_info(sim, "+COPS: 0,%d,\"%s\",%d", sim->cops_fmt,
			    sim->cops_fmt == 2 ? "00101" : oper,
			    sim->pers->act);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+COPS: (2,\"%s\",\"%s\",\"00101\",%d),,"
		    "(0-4),(0-2)", oper, oper, sim->pers->act);
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (sim_at_int(a, 0, 0, 4, 0, &mode) == -1 ||
		    sim_at_int(a, 1, 0, 2, sim->cops_fmt, &fmt) == -1)
			return sim_at_cme(sim, 50);
		sim->cops_fmt = fmt;
		if (mode == 3)
			return SIM_AT_OK;
		sim->cops_dereg = mode == 2;
		sim_at_register(sim);
		return SIM_AT_OK;
	}
	return sim_at_cme(sim, 4);
}

static int
sim_at_cfun(struct sim *sim, int form, struct sim_at_args *a)
{
	int	fun, rst;

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "+CFUN: %d", sim->cfun);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+CFUN: (0,1,4),(0,1)");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n > 2 || sim_at_int(a, 0, 0, 4, 1, &fun) == -1 ||
		    sim_at_int(a, 1, 0, 1, 0, &rst) == -1 ||
		    (fun != 0 && fun != 1 && fun != 4))
			return sim_at_cme(sim, 50);
		if (rst) {
			sim_at_ok(sim);
			sim_at_reboot(sim);
			return SIM_AT_DEFER;
		}
		sim->cfun = fun;
		sim_at_register(sim);
		return SIM_AT_OK;
	}
	return sim_at_cme(sim, 4);
}

static int
sim_at_cscs(struct sim *sim, int form, struct sim_at_args *a)
{
	size_t	i;

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "+CSCS: \"%s\"",
		    sim_at_cscs_names[sim->cscs]);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+CSCS: (\"IRA\",\"GSM\",\"UCS2\")");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n != 1)
			return sim_at_cme(sim, 50);
		for (i = 0; i < 3; i++) {
			if (strcasecmp(a->v[0], sim_at_cscs_names[i]) == 0) {
				sim->cscs = (int)i;
				return SIM_AT_OK;
			}
		}
		return sim_at_cme(sim, 4);
	}
	return sim_at_cme(sim, 4);
}

static int
sim_at_cusd(struct sim *sim, int form, struct sim_at_args *a)
{
	int	n, dcs;

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "+CUSD: %d", sim->cusd_n);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+CUSD: (0-2)");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n > 3 || sim_at_int(a, 0, 0, 2, 0, &n) == -1 ||
		    sim_at_int(a, 2, 0, 255, 15, &dcs) == -1)
			return sim_at_cme(sim, 50);
		if (n == 2) {
			sim_ussd_cancel(sim);
			return SIM_AT_OK;
		}
		sim->cusd_n = n;
		if (a->n < 2)
			return SIM_AT_OK;
		if (sim_at_sim_check(sim) != 0)
			return SIM_AT_ERR;
		if (!sim_at_registered(sim))
			return sim_at_cme(sim, 30);
		if (sim_ussd_request(sim, a->v[1], dcs) == -1)
			return sim_at_cme(sim, 50);
		return SIM_AT_OK;
	}
	sim->cusd_n = 0;
	return SIM_AT_OK;
}

static int
sim_at_curc(struct sim *sim, int form, struct sim_at_args *a)
{
	int	v;

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "^CURC: %d", sim->curc);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "^CURC: (0-1)");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n != 1 || sim_at_int(a, 0, 0, 1, 0, &v) == -1)
			return sim_at_error(sim);
		sim->curc = v;
		return SIM_AT_OK;
	}
	return sim_at_error(sim);
}

static int
sim_at_ussdmode(struct sim *sim, int form, struct sim_at_args *a)
{
	int	v;

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "^USSDMODE: %d", sim->ussdmode);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "^USSDMODE: (0-1)");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n != 1 || sim_at_int(a, 0, 0, 1, 0, &v) == -1)
			return sim_at_error(sim);
		sim->ussdmode = v;
		return SIM_AT_OK;
	}
	return sim_at_error(sim);
}

/* ===== message service, TS 27.005 ===== */

static int
sim_at_csms(struct sim *sim, int form, struct sim_at_args *a)
{
	int	v;

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "+CSMS: %d,1,1,1", sim->csms);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+CSMS: (0,1)");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n != 1 || sim_at_int(a, 0, 0, 1, 0, &v) == -1)
			return sim_at_cms(sim, 303);
		sim->csms = v;
		sim_at_info(sim, "+CSMS: 1,1,1");
		return SIM_AT_OK;
	}
	return sim_at_cms(sim, 302);
}

static int
sim_at_cmgf(struct sim *sim, int form, struct sim_at_args *a)
{
	int	v;

	switch (form) {
	case SIM_AT_READ:
		/* like many modems (a SIM800 before "SMS Ready"), no SMS
		 * command before the SIM is ready (TS 27.005 +CMS ERROR
		 * 310-317) */
		if (sim->sim != SIM_SIM_READY)
			return sim_at_sms_ready(sim);
		sim_at_info(sim, "+CMGF: %d", sim->cmgf);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+CMGF: (0,1)");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n != 1 || sim_at_int(a, 0, 0, 1, 0, &v) == -1)
			return sim_at_cms(sim, 302);
		sim->cmgf = v;
		return SIM_AT_OK;
	}
	sim->cmgf = 0;
	return SIM_AT_OK;
}

static int
sim_at_cpms(struct sim *sim, int form, struct sim_at_args *a)
{
	int	i, used = sim_sms_used(sim), total = sim->nslots;

	switch (form) {
	case SIM_AT_READ:
		if (sim_at_sms_ready(sim) != 0)
			return SIM_AT_ERR;
		sim_at_info(sim, "+CPMS: \"%s\",%d,%d,\"%s\",%d,%d,\"%s\",%d,%d",
		    sim->mem[0], used, total, sim->mem[1], used, total,
		    sim->mem[2], used, total);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		sim_at_info(sim, "+CPMS: (\"SM\",\"ME\",\"MT\"),"
		    "(\"SM\",\"ME\",\"MT\"),(\"SM\",\"ME\",\"MT\")");
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (sim_at_sms_ready(sim) != 0)
			return SIM_AT_ERR;
		if (a->n > 3) {
			if (sim->pers->huawei) {
				sim_at_info(sim, "TOO MANY PARAMETERS");
				return SIM_AT_ERR;
			}
			return sim_at_cms(sim, 302);
		}
		for (i = 0; i < a->n; i++)
			if (strcmp(a->v[i], "SM") != 0 &&
			    strcmp(a->v[i], "ME") != 0 &&
			    strcmp(a->v[i], "MT") != 0)
				return sim_at_cms(sim, 302);
		for (i = 0; i < a->n; i++)
			strlcpy(sim->mem[i], a->v[i], sizeof sim->mem[i]);
		sim_at_info(sim, "+CPMS: %d,%d,%d,%d,%d,%d", used, total,
		    used, total, used, total);
		return SIM_AT_OK;
	}
	return sim_at_cms(sim, 302);
}

static int
sim_at_cnmi(struct sim *sim, int form, struct sim_at_args *a)
{
	int	v[5], i;
	static const int max[5] = { 3, 3, 3, 2, 1 };

	switch (form) {
	case SIM_AT_READ:
		sim_at_info(sim, "+CNMI: %d,%d,%d,%d,%d", sim->cnmi[0],
		    sim->cnmi[1], sim->cnmi[2], sim->cnmi[3], sim->cnmi[4]);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		/* --cnmi-direct: texts are shown (+CMT), never stored
		 * and announced */
		if (sim->cnmi_test != NULL)	/* fault cnmi-test */
			sim_at_info(sim, "+CNMI: %s", sim->cnmi_test);
		else
			sim_at_info(sim, "%s", sim->o.cnmi_direct ?
			    "+CNMI: (0-2),(0,2,3),(0,2),(0-2),(0,1)" :
			    sim->pers->cnmi_test);
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (a->n > 5)
			return sim_at_cms(sim, 303);
		for (i = 0; i < 5; i++)
			if (sim_at_int(a, i, 0, max[i], sim->cnmi[i],
			    &v[i]) == -1)
				return sim_at_cms(sim, 303);
		if (sim->o.cnmi_direct && v[1] == 1)
			return sim_at_cms(sim, 303);
		if (v[3] == 2 && !sim->pers->cnmi_ds2)
			return sim_at_cms(sim, 303);
		memcpy(sim->cnmi, v, sizeof v);
		if (v[0] != 0 && v[4] == 1)
			sim_at_clear_urcs(sim);
		return SIM_AT_OK;	/* buffered ones follow the OK */
	}
	return sim_at_cms(sim, 302);
}

static int
sim_at_cnma(struct sim *sim, int form, struct sim_at_args *a)
{
	int	n;

	if (form == SIM_AT_TEST) {
		sim_at_info(sim, "+CNMA: (0-2)");
		return SIM_AT_OK;
	}
	if (form == SIM_AT_READ)
		return sim_at_cms(sim, 302);
	if (form == SIM_AT_SET && (a->n > 1 ||
	    sim_at_int(a, 0, 0, 2, 0, &n) == -1))
		return sim_at_cms(sim, 303);	/* no ack PDUs */
	if (form == SIM_AT_EXEC)
		n = 0;
	if (sim->csms != 1 || sim->unacked == NULL)
		return sim_at_cms(sim, 340);
	event_del(sim->ev_cnma);
	sim_sms_ack(sim, n != 2);
	return SIM_AT_OK;
}

static void
sim_at_cnma_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	/*
	 * TS 27.005 +CNMI: without an acknowledgement the ME rejects the
	 * message to the network and turns routing to the TE off.
	 */
	modemsim_log(sim, "no +CNMA in time: <mt> and <ds> set to 0");
	sim->cnmi[1] = 0;
	sim->cnmi[3] = 0;
	sim_sms_ack(sim, 0);
}

/* +CNUM: the SIM's own number, when --number gave one (most SIMs do not
 * know theirs: then just OK) */
static int
sim_at_cnum(struct sim *sim, int form, struct sim_at_args *a)
{
	(void)a;
	if (form == SIM_AT_TEST)
		return SIM_AT_OK;
	if (form != SIM_AT_EXEC)
		return sim_at_cms(sim, 302);
	if (sim_at_sim_check(sim) != 0)
		return SIM_AT_ERR;
	if (sim->o.number != NULL)
		sim_at_info(sim, "+CNUM: \"\",\"%s\",%d", sim->o.number,
		    sim->o.number[0] == '+' ? 145 : 129);
	return SIM_AT_OK;
}

static int
sim_at_csca(struct sim *sim, int form, struct sim_at_args *a)
{
	switch (form) {
	case SIM_AT_READ:
		if (sim_at_sms_ready(sim) != 0)
			return SIM_AT_ERR;
		sim_at_info(sim, "+CSCA: \"%s\",%d", sim->smsc,
		    sim->smsc[0] == '+' ? 145 : 129);
		return SIM_AT_OK;
	case SIM_AT_TEST:
		return SIM_AT_OK;
	case SIM_AT_SET:
		if (sim_at_sms_ready(sim) != 0)
			return SIM_AT_ERR;
		if (a->n < 1 || a->n > 2 || strlen(a->v[0]) > PDU_ADDR_MAX ||
		    strspn(a->v[0] + (a->v[0][0] == '+'), "0123456789") !=
		    strlen(a->v[0] + (a->v[0][0] == '+')))
			return sim_at_cms(sim, 304);
		strlcpy(sim->smsc, a->v[0], sizeof sim->smsc);
		return SIM_AT_OK;
	}
	return sim_at_cms(sim, 302);
}

static int
sim_at_index(struct sim *sim, struct sim_at_args *a, int i, int *slot)
{
	int	idx;

	if (sim_at_int(a, i, sim->index_base,
	    sim->index_base + sim->nslots - 1, -1, &idx) == -1)
		return -1;
	*slot = idx - sim->index_base;
	return 0;
}

static void
sim_at_cmgr_answer(struct sim *sim, int slot)
{
	struct sim_slot	*s = &sim->slots[slot];

	if (!s->used) {
		if (sim->pers->huawei)
			sim_at_info(sim, "+CMGR: 0,,0");
		return;
	}
	sim_at_info(sim, "+CMGR: %d,,%zu\r\n%s", s->stat, s->msg.tpdu_len,
	    s->msg.hex);
	sim_sms_read_mark(sim, slot);
}

static int
sim_at_cmgr(struct sim *sim, int form, struct sim_at_args *a)
{
	int	slot;

	if (form == SIM_AT_TEST)
		return SIM_AT_OK;
	if (form != SIM_AT_SET)
		return sim_at_cms(sim, 302);
	if (sim_at_sms_ready(sim) != 0)
		return SIM_AT_ERR;
	if (sim->cmgf != 0)
		return sim_at_cms(sim, 302);
	if (a->n != 1 || sim_at_index(sim, a, 0, &slot) == -1)
		return sim_at_cms(sim, 321);
	if (sim->slow_cmgr_ms > 0) {
		/* busy (a network task): the answer, and every command
		 * after it, waits */
		modemsim_log(sim, "AT+CMGR answered in %d ms", sim->slow_cmgr_ms);
		sim->slow_slot = slot;
		sim->state = SIM_ST_BUSY;
		sim_at_timer(sim->ev_slow, sim->slow_cmgr_ms);
		sim->slow_cmgr_ms = 0;
		return SIM_AT_DEFER;
	}
	sim_at_cmgr_answer(sim, slot);
	return SIM_AT_OK;
}

static int
sim_at_cmgl(struct sim *sim, int form, struct sim_at_args *a)
{
	struct sim_slot	*s;
	char		*buf = NULL, *tmp;
	int		 stat, i;

	if (form == SIM_AT_TEST) {
		sim_at_info(sim, "+CMGL: (0-4)");
		return SIM_AT_OK;
	}
	if (form == SIM_AT_READ)
		return sim_at_cms(sim, 302);
	if (sim_at_sms_ready(sim) != 0)
		return SIM_AT_ERR;
	if (sim->cmgf != 0)
		return sim_at_cms(sim, 302);
	if (a->n > 2 || sim_at_int(a, 0, 0, 4, 0, &stat) == -1)
		return sim_at_cms(sim, 302);
	if (sim->hang_cmgl) {
		/* Huawei: CMGL never answers until the modem is reset */
		sim->hang_cmgl = 0;
		sim_at_hang(sim);
		return SIM_AT_DEFER;
	}
	for (i = 0; i < sim->nslots; i++) {
		s = &sim->slots[i];
		if (!s->used || (stat != 4 && s->stat != stat))
			continue;
		xasprintf(&tmp, "%s%s+CMGL: %d,%d,,%zu\r\n%s",
		    buf ? buf : "", buf ? "\r\n" : "", i + sim->index_base,
		    s->stat, s->msg.tpdu_len, s->msg.hex);
		free(buf);
		buf = tmp;
	}
	if (buf != NULL) {
		sim_at_info(sim, "%s", buf);
		free(buf);
	}
	for (i = 0; i < sim->nslots; i++)
		if (sim->slots[i].used && (stat == 4 ||
		    sim->slots[i].stat == stat))
			sim_sms_read_mark(sim, i);
	return SIM_AT_OK;
}

static int
sim_at_cmgd(struct sim *sim, int form, struct sim_at_args *a)
{
	char	*buf = NULL, *tmp;
	int	 slot = -1, flag, i, del;

	if (form == SIM_AT_TEST) {
		for (i = 0; i < sim->nslots; i++) {
			if (!sim->slots[i].used)
				continue;
			xasprintf(&tmp, "%s%s%d", buf ? buf : "",
			    buf ? "," : "", i + sim->index_base);
			free(buf);
			buf = tmp;
		}
		sim_at_info(sim, "+CMGD: (%s),(0-4)", buf ? buf : "");
		free(buf);
		return SIM_AT_OK;
	}
	if (form != SIM_AT_SET)
		return sim_at_cms(sim, 302);
	if (sim_at_sms_ready(sim) != 0)
		return SIM_AT_ERR;
	if (a->n > 2 || sim_at_int(a, 1, 0, 4, 0, &flag) == -1)
		return sim_at_cms(sim, 302);
	if (flag == 0 && sim_at_index(sim, a, 0, &slot) == -1)
		return sim_at_cms(sim, 321);
	if (sim->cmgd_fail > 0) {
		/* the cmgd-fail fault: refused, the message stays */
		sim->cmgd_fail--;
		return sim_at_cms(sim, 500);
	}
	for (i = 0; i < sim->nslots; i++) {
		struct sim_slot	*s = &sim->slots[i];

		if (!s->used)
			continue;
		switch (flag) {
		case 0:
			del = i == slot;
			break;
		case 1:
			del = s->stat == 1;
			break;
		case 2:
			del = s->stat == 1 || s->stat == 3;
			break;
		case 3:
			del = s->stat != 0;
			break;
		default:
			del = 1;
			break;
		}
		if (del)
			s->used = 0;
	}
	if (sim->cmgd_lie > 0) {
		/* the cmgd-lie fault: deleted, and an error said */
		sim->cmgd_lie--;
		return sim_at_cms(sim, 500);
	}
	return SIM_AT_OK;	/* held messages follow the OK */
}

static int
sim_at_cmgs(struct sim *sim, int form, struct sim_at_args *a)
{
	int	len;

	if (form == SIM_AT_TEST)
		return SIM_AT_OK;
	if (form != SIM_AT_SET)
		return sim_at_cms(sim, 302);
	if (sim_at_sms_ready(sim) != 0)
		return SIM_AT_ERR;
	if (sim->cmgf != 0)
		return sim_at_cms(sim, 302);
	if (a->n != 1 || sim_at_int(a, 0, 7, 164, 0, &len) == -1)
		return sim_at_cms(sim, 304);
	sim->cmgs_len = (size_t)len;
	sim->pdulen = 0;
	sim->pdu_bad = 0;
	sim->state = SIM_ST_PROMPT;
	if (sim->race_cmti) {
		/* a real modem's URC racing its own prompt */
		sim->race_cmti = 0;
		sim->state = SIM_ST_CMD;
		(void)sim_sms_inject(sim, "+15005550006", "race", NULL,
		    NULL);
		sim->state = SIM_ST_PROMPT;
	}
	if (sim->ok_prompt > 0) {
		/* a stray OK before the prompt */
		sim->ok_prompt--;
		sim_at_ok(sim);
	}
	sim_at_put(sim, "\r\n> ");
	return SIM_AT_DEFER;
}

/* ===== network time (sim_clock.c) ===== */

static int
sim_at_clock(struct sim *sim, const char *cmd, int form, struct sim_at_args *a)
{
	char	line[160];
	int	ctzu = sim->ctzu, ctzr = sim->ctzr, clts = sim->clts;

	if (sim_clock_cmd(sim, cmd, form, a->n, a->v, line, sizeof line) == -1)
		return sim_at_error(sim);
	if (line[0] != '\0')
		sim_at_info(sim, "%s", line);
	sim_at_ok(sim);
	/* enabled while registered: the network sends its NITZ again (a
	 * real one does at the next attach or location update) */
	if (sim_at_registered(sim) && (sim->ctzu > ctzu || sim->ctzr > ctzr ||
	    sim->clts > clts))
		sim_clock_nitz(sim);
	return SIM_AT_DEFER;
}

static int
sim_at_cclk(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_clock(sim, "+CCLK", form, a);
}

static int
sim_at_ctzu(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_clock(sim, "+CTZU", form, a);
}

static int
sim_at_ctzr(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_clock(sim, "+CTZR", form, a);
}

static int
sim_at_clts(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_clock(sim, "+CLTS", form, a);
}

static int
sim_at_qlts(struct sim *sim, int form, struct sim_at_args *a)
{
	return sim_at_clock(sim, "+QLTS", form, a);
}

/* ===== the command table ===== */

static const struct sim_at_cmd sim_at_cmds[] = {
	{ "+CCLK", sim_at_cclk, 0 },
	{ "+CEREG", sim_at_cereg, 0 },
	{ "+CFUN", sim_at_cfun, 0 },
	{ "+CLTS", sim_at_clts, 0 },
	{ "+CGMI", sim_at_cgmi, 0 },
	{ "+CGMM", sim_at_cgmm, 0 },
	{ "+CGMR", sim_at_cgmr, 0 },
	{ "+CGREG", sim_at_cgreg, 0 },
	{ "+CGSN", sim_at_cgsn, 0 },
	{ "+CIMI", sim_at_cimi, 0 },
	{ "+CMEE", sim_at_cmee, 0 },
	{ "+CMGD", sim_at_cmgd, 0 },
	{ "+CMGF", sim_at_cmgf, 0 },
	{ "+CMGL", sim_at_cmgl, 0 },
	{ "+CMGR", sim_at_cmgr, 0 },
	{ "+CMGS", sim_at_cmgs, 0 },
	{ "+CNMA", sim_at_cnma, 0 },
	{ "+CNUM", sim_at_cnum, 0 },
	{ "+CNMI", sim_at_cnmi, 0 },
	{ "+COPS", sim_at_cops, 0 },
	{ "+CPIN", sim_at_cpin, 0 },
	{ "+CPMS", sim_at_cpms, 0 },
	{ "+CREG", sim_at_creg, 0 },
	{ "+CSCA", sim_at_csca, 0 },
	{ "+CSCS", sim_at_cscs, 0 },
	{ "+CSMS", sim_at_csms, 0 },
	{ "+CSQ", sim_at_csq, 0 },
	{ "+CTZR", sim_at_ctzr, 0 },
	{ "+CTZU", sim_at_ctzu, 0 },
	{ "+CUSD", sim_at_cusd, 0 },
	{ "+GCAP", sim_at_gcap, 0 },
	{ "+GMI", sim_at_cgmi, 0 },
	{ "+GMM", sim_at_cgmm, 0 },
	{ "+GMR", sim_at_cgmr, 0 },
	{ "+GSN", sim_at_cgsn, 0 },
	{ "+QLTS", sim_at_qlts, 0 },
	{ "^CURC", sim_at_curc, 1 },
	{ "^USSDMODE", sim_at_ussdmode, 1 },
};

/* One extended command, text without the ';'. */
static int
sim_at_extended(struct sim *sim, char *cmd)
{
	struct sim_at_args	*a;
	const struct sim_at_cmd	*c = NULL;
	char			*p;
	size_t			 i, nlen;
	int			 form, rc;

	for (p = cmd + 1; isalnum((unsigned char)*p); p++)
		*p = (char)toupper((unsigned char)*p);
	nlen = (size_t)(p - cmd);
	for (i = 0; i < sizeof sim_at_cmds / sizeof sim_at_cmds[0]; i++) {
		if (strlen(sim_at_cmds[i].name) == nlen &&
		    strncmp(sim_at_cmds[i].name, cmd, nlen) == 0) {
			c = &sim_at_cmds[i];
			break;
		}
	}
	if (c == NULL || (c->huawei && !sim->pers->huawei))
		return sim_at_error(sim);
	if (*p == '\0')
		form = SIM_AT_EXEC;
	else if (strcmp(p, "?") == 0)
		form = SIM_AT_READ;
	else if (strcmp(p, "=?") == 0)
		form = SIM_AT_TEST;
	else if (*p == '=')
		form = SIM_AT_SET;
	else
		return sim_at_error(sim);
	a = xcalloc(1, sizeof *a);
	if (form == SIM_AT_SET) {
		sim_at_split(p + 1, a);
		if (a->n > SIM_AT_MAXARGS) {
			free(a);
			return sim_at_error(sim);
		}
	}
	rc = c->fn(sim, form, a);
	free(a);
	return rc;
}

/* One basic command at *pp (V.250 §5.3.1); advances *pp. */
static int
sim_at_basic(struct sim *sim, char **pp)
{
	char		*p = *pp, c, amp = 0;
	long		 n = 0;
	int		 has = 0;

	c = (char)toupper((unsigned char)*p++);
	if (c == '&') {
		amp = 1;
		c = (char)toupper((unsigned char)*p++);
	}
	if (c == 'S' && !amp) {
		/* S<n>=<v> or S<n>? */
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '?') {
			p++;
			sim_at_info(sim, "000");
		} else if (*p == '=') {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
		} else
			return sim_at_error(sim);
		*pp = p;
		return SIM_AT_OK;
	}
	while (isdigit((unsigned char)*p) && n < 1000) {
		n = n * 10 + (*p++ - '0');
		has = 1;
	}
	*pp = p;
	if (amp) {
		switch (c) {
		case 'F':
			sim_at_defaults(sim);
			return SIM_AT_OK;
		case 'W':
		case 'C':
		case 'D':
		case 'K':
			return SIM_AT_OK;
		}
		return sim_at_error(sim);
	}
	switch (c) {
	case 'E':
		if (n > 1)
			return sim_at_error(sim);
		sim->echo = (int)n;
		return SIM_AT_OK;
	case 'V':
		/* numeric result codes are not simulated */
		return has && n == 1 ? SIM_AT_OK : sim_at_error(sim);
	case 'Q':
		return n == 0 ? SIM_AT_OK : sim_at_error(sim);
	case 'Z':
		sim_at_defaults(sim);
		return SIM_AT_OK;
	case 'I':
		sim_at_info(sim, "%s", sim->pers->ati);
		return SIM_AT_OK;
	case 'H':
	case 'X':
	case 'L':
	case 'M':
		return SIM_AT_OK;
	}
	return sim_at_error(sim);
}

/* The rest of a command line after "AT". */
static void
sim_at_exec(struct sim *sim, char *p)
{
	char	*end;
	int	 rc, q;

	while (*p != '\0') {
		if (*p == ' ' || *p == ';') {
			p++;
			continue;
		}
		if (*p == '+' || *p == '^' || *p == '$' || *p == '%' ||
		    *p == '*') {
			for (end = p, q = 0; *end != '\0'; end++) {
				if (*end == '"')
					q = !q;
				if (*end == ';' && !q)
					break;
			}
			if (*end == ';')
				*end++ = '\0';
			rc = sim_at_extended(sim, p);
			p = end;
		} else if (isalpha((unsigned char)*p) || *p == '&')
			rc = sim_at_basic(sim, &p);
		else
			rc = sim_at_error(sim);
		if (rc != SIM_AT_OK)
			return;	/* error given, or result pending */
	}
	sim_at_ok(sim);
}

static void
sim_at_line(struct sim *sim)
{
	char	*p;
	size_t	 i;

	sim->line[sim->linelen] = '\0';
	if (sim->overflow) {
		sim->overflow = 0;
		if (sim->state == SIM_ST_CMD)
			sim_at_error(sim);
		return;
	}
	/* V.250: everything before the "AT" prefix is ignored */
	p = NULL;
	for (i = 0; i + 1 < sim->linelen; i++) {
		if (toupper((unsigned char)sim->line[i]) == 'A' &&
		    toupper((unsigned char)sim->line[i + 1]) == 'T') {
			p = sim->line + i + 2;
			break;
		}
	}
	if (p == NULL)
		return;
	if (sim->hang_at != NULL && strcasecmp(p, sim->hang_at) == 0) {
		/* fault hang-at: a modem that stops answering at one
		 * point of a conversation (this command unanswered) */
		free(sim->hang_at);
		sim->hang_at = NULL;
		sim_at_hang(sim);
		return;
	}
	if (sim->state == SIM_ST_HUNG) {
		if (strcasecmp(p, "+CFUN=1,1") == 0) {
			sim_at_ok(sim);
			sim_at_reboot(sim);
		}
		return;
	}
	sim_at_exec(sim, p);
}

/* Back to command mode after a pending result: what waited follows. */
static void
sim_at_done(struct sim *sim)
{
	sim->state = SIM_ST_CMD;
	sim_at_flush_urcs(sim);
	sim_sms_release(sim);
}

static void
sim_at_submit_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;
	struct sms_msg	*m;
	const char	*err;
	unsigned	 mr;

	(void)fd;
	(void)what;
	if (sim->submit_result >= 0) {
		modemsim_log(sim, "submit failed: +CMS ERROR: %d",
		    sim->submit_result);
		sim_at_cms(sim, sim->submit_result);
	} else {
		if (sim->ok_no_cmgs > 0) {
			/* OK instead of +CMGS: and nothing sent */
			sim->ok_no_cmgs--;
			modemsim_log(sim, "submit: OK without +CMGS:, not sent");
			sim_at_ok(sim);
			sim_at_done(sim);
			sim_at_input(sim);
			return;
		}
		m = xmalloc(sizeof *m);
		if (pdu_decode(sim->submit, sim->submit_len, m, &err) == -1)
			modemsim_fatal("submitted PDU no longer decodes: %s",
			    err);
		mr = sim->mr;
		sim->mr = (sim->mr + 1) & 0xff;
		sim_sms_submitted(sim, sim->submit, sim->submit_len, m, mr);
		free(m);
		if (sim->garbled_cmgs > 0) {
			/* sent, but the answer says nothing usable */
			sim->garbled_cmgs--;
			sim_at_info(sim, "+CMGS: %u?x", mr);
		} else
			sim_at_info(sim, "+CMGS: %u", mr);
		sim_at_ok(sim);
	}
	sim_at_done(sim);
	sim_at_input(sim);
}

/* The late answer to AT+CMGR (fault slow-cmgr), then what waited. */
static void
sim_at_slow_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	if (sim->state != SIM_ST_BUSY)
		return;	/* rebooted meanwhile */
	sim_at_cmgr_answer(sim, sim->slow_slot);
	sim_at_ok(sim);
	sim_at_done(sim);
	sim_at_input(sim);
}

static int
sim_at_pick(struct sim *sim, const char *list)
{
	int	codes[8], n = 0;
	char	*copy, *p, *w;

	copy = p = xstrdup(list);
	while ((w = strsep(&p, ",")) != NULL && n < 8)
		codes[n++] = atoi(w);
	free(copy);
	return codes[modemsim_rand(sim) % (unsigned)n];
}

/* Ctrl-Z after the PDU: check it, then answer after the latency. */
static void
sim_at_submit(struct sim *sim)
{
	struct sms_msg	*m;
	const char	*err;
	long		 n;
	size_t		 tpdu;

	sim->pdu[sim->pdulen] = '\0';
	n = sim->pdu_bad ? -1 : pdu_from_hex(sim->pdu, sim->pdulen,
	    sim->submit, sizeof sim->submit, &err);
	if (n < 2) {
		modemsim_log(sim, "bad PDU: %s", n == -1 && !sim->pdu_bad ?
		    err : "too short or too long");
		sim_at_cms(sim, 304);
		sim_at_done(sim);
		return;
	}
	sim->submit_len = (size_t)n;
	tpdu = (size_t)n - 1 - sim->submit[0];
	if ((size_t)sim->submit[0] + 1 > (size_t)n || tpdu != sim->cmgs_len) {
		modemsim_log(sim, "PDU length %zu, AT+CMGS said %zu",
		    (size_t)sim->submit[0] + 1 > (size_t)n ? 0 : tpdu,
		    sim->cmgs_len);
		sim_at_cms(sim, 304);
		sim_at_done(sim);
		return;
	}
	m = xmalloc(sizeof *m);
	if (pdu_decode(sim->submit, sim->submit_len, m, &err) == -1 ||
	    m->type != SMS_SUBMIT) {
		modemsim_log(sim, "bad PDU: %s", m->type != SMS_SUBMIT ?
		    "not an SMS-SUBMIT" : err);
		free(m);
		sim_at_cms(sim, 304);
		sim_at_done(sim);
		return;
	}
	free(m);
	if (sim->stray_ok > 0) {
		/* OK at once; the real +CMGS: and OK after the latency */
		sim->stray_ok--;
		sim_at_ok(sim);
	}
	sim->state = SIM_ST_BUSY;
	sim->submit_result = -1;
	if (!sim_at_registered(sim) || sim->cfun != 1)
		sim->submit_result = 331;
	else if (sim->no_credit)
		sim->submit_result = 8;	/* operator determined barring */
	else if (sim->nfailq > 0) {
		sim->submit_result = sim->failq[0] == 0 ? -1 : sim->failq[0];
		memmove(sim->failq, sim->failq + 1,
		    (size_t)(--sim->nfailq) * sizeof sim->failq[0]);
	} else if (sim->o.temp_pct > 0 &&
	    (int)(modemsim_rand(sim) % 100) < sim->o.temp_pct)
		sim->submit_result = sim_at_pick(sim, "38,41,332,350");
	else if (sim->o.perm_pct > 0 &&
	    (int)(modemsim_rand(sim) % 100) < sim->o.perm_pct)
		sim->submit_result = sim_at_pick(sim, "21,28");
	sim_at_timer(sim->ev_submit, sim->o.latency_ms);
}

static void
sim_at_prompt_byte(struct sim *sim, unsigned char c)
{
	if (c == 0x1a) {
		sim_at_submit(sim);
		return;
	}
	if (c == 0x1b) {
		/* TS 27.005 §3.5.1: ESC quits without sending */
		sim_at_ok(sim);
		sim_at_done(sim);
		return;
	}
	if (c == '\r' || c == '\n' || c == ' ')
		return;
	if (sim->echo)
		sim_pty_write(sim, &c, 1);
	if (sim->pdulen >= SIM_PDU_HEX_MAX) {
		sim->pdu_bad = 1;
		return;
	}
	sim->pdu[sim->pdulen++] = (char)c;
}

static void
sim_at_cmd_byte(struct sim *sim, unsigned char c)
{
	if (sim->echo && sim->state == SIM_ST_CMD)
		sim_pty_write(sim, &c, 1);
	if (c == '\r' || c == '\n') {
		if (sim->linelen > 0 || sim->overflow)
			sim_at_line(sim);
		sim->linelen = 0;
		return;
	}
	if (c == 0x08 || c == 0x7f) {	/* S5: backspace */
		if (sim->linelen > 0)
			sim->linelen--;
		return;
	}
	if (c == '\0')
		return;
	if (sim->linelen >= SIM_LINE_MAX) {
		sim->overflow = 1;
		return;
	}
	sim->line[sim->linelen++] = (char)c;
}

/* Interpret what the host sent, as far as the state allows. */
void
sim_at_input(struct sim *sim)
{
	unsigned char	c;

	if (sim->processing)
		return;
	sim->processing = 1;
	while (sim->plugged && evbuffer_get_length(sim->in) > 0) {
		if (sim->state == SIM_ST_OFF) {
			/* booting: bytes fall on the floor */
			evbuffer_drain(sim->in, evbuffer_get_length(sim->in));
			break;
		}
		if (sim->state == SIM_ST_BUSY)
			break;
		evbuffer_remove(sim->in, &c, 1);
		if (sim->state == SIM_ST_PROMPT)
			sim_at_prompt_byte(sim, c);
		else
			sim_at_cmd_byte(sim, c);
	}
	sim->processing = 0;
	if (sim->state == SIM_ST_CMD) {
		sim_at_flush_urcs(sim);
		sim_sms_release(sim);
	}
}
