/*
 * modem/modem_init.c — bringing a modem up, and keeping an eye on it.
 *
 * The sequence (TS 27.007 / TS 27.005):
 *   ESC (a previous process may have died at a "> " prompt), AT until the
 *   modem answers, a resync (AT+CMEE? until its own answer: answers a
 *   predecessor was owed are skipped, modem_sms_resync),
 *   ATE0, +CMEE=1, identity (+CGMI +CGMM +CGMR +CGSN),
 *   the quirk profile's vendor init, +CPIN? (entering the PIN; SIM busy
 *   and absent retried on timers), +CIMI, +CMGF=0 (PDU mode), +CSCS
 *   (UCS2 when offered, so USSD text decodes exactly; else GSM), +CPMS,
 *   +CNMI negotiated from +CNMI=? with fallbacks, +CSCA?, +CNUM (the
 *   SIM's own number, optional), registration (+CREG? / +CEREG?,
 *   retried), +COPS, +CSQ, then READY and a sweep of
 *   stored messages — after new-message indications are on, so a text
 *   arriving in between is not missed.
 *
 * Commands are queued back to back; each answer is parsed by a small
 * callback.  A failing optional command (e.g. +CEREG? on a 2G modem) is
 * skipped; a failing essential one ends in modem_fail() with the reason in
 * words.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "log.h"
#include "modem_int.h"
#include "utf8.h"

static void	modem_init_setup(struct modem *);

/* ---- probing ----------------------------------------------------------- */

static void	modem_init_ident_done(struct modem *, struct modem_cmd *,
		    const struct at_event *);

static void
modem_init_probe_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	static const char *ident[] = { "AT+CGMI", "AT+CGMM", "AT+CGMR",
	    "AT+CGSN" };
	struct modem_cmd	*k;
	size_t			 i;

	(void)c;
	if (modem_cmd_dropped(m, ev))
		return;
	if (ev != NULL && ev->type == AT_EV_FINAL) {
		/* any final result means something speaks AT here */
		modem_set_state(m, MODEM_INIT);
		m->tries = 0;
		/*
		 * That final may not be the answer to our AT: one a dead
		 * predecessor's command had coming (a +CMGS: taking the
		 * network's time), or one left in the port's buffer.  Taken
		 * for ours, every answer after would be one behind ("SIM not
		 * usable: OK").  A resync (modem_sms_resync) puts the line
		 * in step before anything is asked.
		 */
		m->resync = 1;
		(void)modem_sms_resync(m, NULL, NULL);
		modem_cmd(m, "ATE0", NULL, 0, 0, NULL, NULL);
		modem_cmd(m, "AT+CMEE=1", NULL, 0, 0, NULL, NULL);
		for (i = 0; i < 4; i++) {
			k = modem_cmd(m, ident[i], NULL, AT_RESP_CTX_BARE, 0,
			    NULL, modem_init_ident_done);
			k->arg = (int)i;
		}
		return;
	}
	if (++m->tries < MODEM_PROBE_TRIES) {
		modem_cmd(m, "AT", NULL, 0, MODEM_T_PROBE, NULL,
		    modem_init_probe_done);
		return;
	}
	modem_fail(m, "no answer on %s (a USB stick exposes several "
	    "ports and only some take AT commands: try another one, see "
	    "\"tambuli modem list\")", m->device);
}

/* Strip a "+CGMI: " style prefix some modems add to bare answers. */
static void
modem_init_bare(const char *line, char *out, size_t outlen)
{
	const char	*p = line;

	if (*p == '+' || *p == '^') {
		const char *colon = strchr(p, ':');
		if (colon != NULL && colon - p < 12)
			p = colon + 1;
	}
	while (*p == ' ')
		p++;
	modem_unquote(p, strlen(p), out, outlen);
}

static void
modem_init_ident_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	char	*dst;
	size_t	 len;

	switch (c->arg) {
	case 0:
		dst = m->info.manufacturer;
		len = sizeof m->info.manufacturer;
		break;
	case 1:
		dst = m->info.model;
		len = sizeof m->info.model;
		break;
	case 2:
		dst = m->info.revision;
		len = sizeof m->info.revision;
		break;
	default:
		dst = m->info.imei;
		len = sizeof m->info.imei;
		break;
	}
	if (modem_final_ok(ev) && c->first[0] != '\0')
		modem_init_bare(c->first, dst, len);
	if (c->arg != 3)
		return;

	m->quirks = modem_quirks_find(m->info.manufacturer, m->info.model);
	strlcpy(m->info.profile, m->quirks->name, sizeof m->info.profile);
	log_debug("%s: modem=%s profile=%s", __func__, m->name,
	    m->quirks->name);
	for (len = 0; len < 4 && m->quirks->init[len] != NULL; len++)
		modem_cmd(m, m->quirks->init[len], NULL, 0, 0, NULL, NULL);
	modem_init_sim(m);
}

void
modem_init_start(struct modem *m)
{
	if (m->port == NULL || m->dead)
		return;	/* a retry timer reopens the port */
	/* the sweep after initialization reads whatever is stored */
	memset(m->slots, 0, sizeof m->slots);
	memset(m->kept, 0, sizeof m->kept);
	memset(m->undeleted, 0, sizeof m->undeleted);
	m->undeleted_told = 0;
	m->unannounced = 0;
	evtimer_del(m->ev_retry);
	evtimer_del(m->ev_health);
	m->tries = 0;
	m->cnmi_ok = 0;
	m->cnmi[0] = '\0';
	modem_set_state(m, MODEM_PROBING);
	/* ESC ends a "> " prompt a dead predecessor left open */
	evbuffer_add(m->out, "\x1b", 1);
	modem_cmd(m, "AT", NULL, 0, MODEM_T_PROBE, NULL,
	    modem_init_probe_done);
}

/* ---- SIM --------------------------------------------------------------- */

static void modem_init_cpin_done(struct modem *, struct modem_cmd *,
    const struct at_event *);

static void
modem_init_pin_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	char	buf[96];

	(void)c;
	if (modem_cmd_dropped(m, ev))
		return;
	if (!modem_final_ok(ev)) {
		modem_fail(m, "SIM PIN rejected: %s (check the PIN: three "
		    "wrong tries lock the SIM)", modem_final_text(ev, buf,
		    sizeof buf));
		return;
	}
	m->tries++;
	modem_set_state(m, MODEM_SIM_WAIT);
	modem_retry_in(m, 2000);
}

static void
modem_init_cimi_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	if (modem_final_ok(ev) && c->first[0] != '\0')
		modem_init_bare(c->first, m->info.imsi, sizeof m->info.imsi);
	modem_init_setup(m);
}

static void
modem_init_cpin_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	char		 buf[96];
	const char	*v = c->first;
	int		 err = -1;

	if (modem_cmd_dropped(m, ev))
		return;
	if (ev != NULL && (ev->resp.final == AT_FINAL_CME ||
	    ev->resp.final == AT_FINAL_CMS))
		err = ev->resp.err;
	if (modem_final_ok(ev) && strstr(v, "READY") != NULL) {
		strlcpy(m->info.sim, "ready", sizeof m->info.sim);
		modem_cmd(m, "AT+CIMI", NULL, AT_RESP_CTX_BARE, 0, NULL,
		    modem_init_cimi_done);
		return;
	}
	if (modem_final_ok(ev) && strstr(v, "SIM PIN") != NULL &&
	    strstr(v, "PIN2") == NULL) {
		strlcpy(m->info.sim, "PIN required", sizeof m->info.sim);
		if (m->pin == NULL) {
			modem_fail(m, "SIM PIN required (set pin in the "
			    "modem's configuration, or --pin)");
			return;
		}
		if (m->tries > 0) {
			modem_fail(m, "SIM still asks for its PIN after it "
			    "was entered");
			return;
		}
		snprintf(buf, sizeof buf, "AT+CPIN=\"%s\"", m->pin);
		modem_cmd(m, buf, NULL, 0, 15000, NULL, modem_init_pin_done);
		return;
	}
	if (modem_final_ok(ev) && strstr(v, "PUK") != NULL) {
		strlcpy(m->info.sim, "PUK required", sizeof m->info.sim);
		modem_fail(m, "SIM PUK required: the SIM is locked after "
		    "wrong PINs (unlock it in a phone)");
		return;
	}
	if (err == 10) {
		strlcpy(m->info.sim, "absent", sizeof m->info.sim);
		if (m->cfg.once) {
			modem_fail(m, "no SIM card");
			return;
		}
		modem_error(m, "no SIM card; checking again in 10 s");
		modem_set_state(m, MODEM_SIM_WAIT);
		modem_retry_in(m, 10000);
		return;
	}
	/* SIM busy (14), or not answering yet after boot */
	if ((err == 14 || ev == NULL || err == 13 || err == 515) &&
	    ++m->tries < MODEM_SIM_TRIES) {
		strlcpy(m->info.sim, "busy", sizeof m->info.sim);
		modem_set_state(m, MODEM_SIM_WAIT);
		modem_retry_in(m, 2000);
		return;
	}
	strlcpy(m->info.sim, "error", sizeof m->info.sim);
	modem_fail(m, "SIM not usable: %s", ev == NULL ? "no answer" :
	    modem_final_text(ev, buf, sizeof buf));
}

void
modem_init_sim(struct modem *m)
{
	modem_cmd(m, "AT+CPIN?", "+CPIN:", 0, 10000, NULL,
	    modem_init_cpin_done);
}

/* ---- settings ---------------------------------------------------------- */

static void
modem_init_cmgf_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	char	buf[96];

	(void)c;
	if (modem_cmd_dropped(m, ev))
		return;
	if (!modem_final_ok(ev))
		modem_fail(m, "the modem refuses PDU mode (AT+CMGF=0): %s",
		    modem_final_text(ev, buf, sizeof buf));
}

static void
modem_init_cscs_set(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	if (!modem_final_ok(ev))
		return;
	m->cscs_known = 1;
	m->cscs_ucs2 = c->arg;
}

static void
modem_init_cscs_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	if (!modem_final_ok(ev))
		return;
	m->cscs_known = 0;
	m->cscs_ucs2 = 0;
	if (strstr(c->first, "\"UCS2\"") != NULL)
		modem_cmd(m, "AT+CSCS=\"UCS2\"", NULL, 0, 0, NULL,
		    modem_init_cscs_set)->arg = 1;
	else if (strstr(c->first, "\"GSM\"") != NULL)
		modem_cmd(m, "AT+CSCS=\"GSM\"", NULL, 0, 0, NULL,
		    modem_init_cscs_set)->arg = 0;
}

/*
 * A decimal number from a modem's answer, spaces before it skipped,
 * moving *s past it: 0 to 999999, or -1 (no digits, or more than that:
 * a garbled answer, never an overflow).
 */
static int
modem_init_num(const char **s)
{
	const char	*p = *s;
	long		 v = 0;

	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (v <= 999999)
			v = v * 10 + (*p - '0');
		p++;
	}
	*s = p;
	return v > 999999 ? -1 : (int)v;
}

/* +CPMS: <used1>,<total1>,... (set form) or "SM",used,total,... (query) */
static void
modem_init_cpms_parse(struct modem *m, const char *v)
{
	int	used, total;

	while (*v == ' ')
		v++;
	if (*v == '"') {
		v = strchr(v + 1, '"');
		if (v == NULL || v[1] != ',')
			return;
		v += 2;
	}
	if ((used = modem_init_num(&v)) >= 0 && *v++ == ',' &&
	    (total = modem_init_num(&v)) > 0) {
		m->info.storage_used = used;
		m->info.storage_total = total;
	}
}

static void
modem_init_cpms_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	const char	*v = strchr(c->first, ':');

	if (modem_final_ok(ev) && v != NULL) {
		modem_init_cpms_parse(m, v + 1);
		/* full storage holds new texts back in the network: read
		 * and empty it (only once we can hand messages over) */
		if (m->info.state == MODEM_READY && m->info.storage_total > 0 &&
		    m->info.storage_used >= m->info.storage_total) {
			modem_error(m, "message storage full (%d/%d): emptying "
			    "it", m->info.storage_used,
			    m->info.storage_total);
			modem_sms_sweep(m);
		} else if (c->arg == 1)
			modem_sms_count(m);
	} else if (c->arg == 0)
		/* the SIM store is refused: keep the modem's own */
		modem_cmd(m, "AT+CPMS?", "+CPMS:", 0, 0, NULL,
		    modem_init_cpms_done)->arg = 1;
}

void
modem_sms_storage(struct modem *m)
{
	modem_cmd(m, "AT+CPMS?", "+CPMS:", 0, 0, NULL,
	    modem_init_cpms_done)->arg = 1;
}

/* Parse "(0-3),(0,1,2),..." into per-field bitmasks of allowed values. */
static int
modem_init_ranges(const char *s, unsigned *mask, int nmask)
{
	int	field = 0;
	long	lo, hi, v;

	memset(mask, 0, sizeof *mask * (size_t)nmask);
	while (*s != '\0' && field < nmask) {
		if (*s == '(') {
			s++;
			while (*s != '\0' && *s != ')') {
				if (!isdigit((unsigned char)*s)) {
					s++;
					continue;
				}
				lo = hi = strtol(s, (char **)&s, 10);
				if (*s == '-') {
					s++;
					hi = strtol(s, (char **)&s, 10);
				}
				/* only 0..15 are kept: a garbled bound
				 * ("(2147483648-15)", once an int of -2^31)
				 * must not count through billions of values
				 * with the loop stopped; lo > hi is empty */
				if (lo < 0)
					lo = 0;
				if (hi > 15)
					hi = 15;
				for (v = lo; v <= hi; v++)
					mask[field] |= 1u << v;
			}
			field++;
		}
		if (*s != '\0')
			s++;
	}
	return field;
}

static void modem_init_cnmi_done(struct modem *, struct modem_cmd *,
    const struct at_event *);

/* Fallbacks when the negotiated +CNMI is refused. */
static const char *modem_init_cnmi_fallbacks[] = {
	"AT+CNMI=2,1,0,0,0", "AT+CNMI=2,1", "AT+CNMI=1,1,0,0,0", "AT+CNMI=1,1",
	NULL
};

static void
modem_init_cnmi_try(struct modem *m, const char *line, int arg)
{
	modem_cmd(m, line, NULL, 0, 0, NULL, modem_init_cnmi_done)->arg = arg;
}

static void
modem_init_cnmi_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	if (modem_cmd_dropped(m, ev))
		return;
	if (modem_final_ok(ev)) {
		m->cnmi_ok = 1;
		/* "AT+CNMI=2,1,0,2,0" -> "2,1,0,2,0", to check it later */
		strlcpy(m->cnmi, c->line + 8, sizeof m->cnmi);
		log_debug("%s: modem=%s %s", __func__, m->name, c->line);
		return;
	}
	if (modem_init_cnmi_fallbacks[c->arg] != NULL) {
		modem_init_cnmi_try(m, modem_init_cnmi_fallbacks[c->arg],
		    c->arg + 1);
		return;
	}
	/* no indications: the health timer sweeps storage instead */
	modem_error(m, "no new-message indications (+CNMI refused): "
	    "checking storage every %d s", m->cfg.health_sec);
}

static void
modem_init_cnmi_test_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	unsigned	f[5];
	char		line[64];
	int		mode, mt, ds;

	if (modem_cmd_dropped(m, ev))
		return;
	if (!modem_final_ok(ev) || modem_init_ranges(c->first, f, 5) < 2) {
		modem_init_cnmi_try(m, modem_init_cnmi_fallbacks[0], 1);
		return;
	}
	/* no <mode> that forwards indications, or no <mt> that announces
	 * texts (a garbled range, "(2147483648-15)"): the settings below
	 * would keep every text unannounced; try the usual ones */
	if ((f[0] & 0xe) == 0 || (f[1] & 0x6) == 0) {
		log_warnx("modem=%s AT+CNMI=? answer \"%s\" offers no way to "
		    "announce texts: trying the usual settings", m->name,
		    c->first);
		modem_init_cnmi_try(m, modem_init_cnmi_fallbacks[0], 1);
		return;
	}
	mode = (f[0] & 4) ? 2 : (f[0] & 2) ? 1 : (f[0] & 8) ? 3 : 0;
	/* mt=1: stored on the SIM and announced with +CMTI, so a message
	 * survives our crash until we have committed it */
	mt = (f[1] & 2) ? 1 : (f[1] & 4) ? 2 : 0;
	if ((f[3] & 4) && !(m->quirks && m->quirks->no_ds2))
		ds = 2;
	else if (f[3] & 2)
		ds = 1;
	else
		ds = 0;
	snprintf(line, sizeof line, "AT+CNMI=%d,%d,0,%d,0", mode, mt, ds);
	modem_init_cnmi_try(m, line, 0);
}

/* +CNUM: "","+14155550150",145: the SIM's own number, when it knows it */
static void
modem_init_cnum_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	const char	*v = strchr(c->first, ','), *end;
	char		*n = m->info.number;

	n[0] = '\0';
	if (!modem_final_ok(ev) || v == NULL)
		return;	/* optional: many SIMs do not know it */
	v++;
	end = strchr(v, ',');
	modem_unquote(v, end ? (size_t)(end - v) : strlen(v), n,
	    sizeof m->info.number);
	/* digits only (a UCS-2 hex answer is not worth decoding here) */
	if (m->cscs_ucs2 || n[strspn(n, "+0123456789")] != '\0')
		n[0] = '\0';
}

static void
modem_init_csca_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	const char	*v = strchr(c->first, ':');
	const char	*end;

	if (!modem_final_ok(ev) || v == NULL)
		return;
	v++;
	while (*v == ' ')
		v++;
	end = strchr(v, ',');
	modem_unquote(v, end ? (size_t)(end - v) : strlen(v), m->info.smsc,
	    sizeof m->info.smsc);
	/* with +CSCS="UCS2" the address itself is UCS-2 hex */
	if (m->cscs_ucs2 && strlen(m->info.smsc) % 4 == 0 &&
	    strspn(m->info.smsc, "0123456789ABCDEFabcdef") ==
	    strlen(m->info.smsc)) {
		char	 out[32];
		size_t	 i, o = 0, n = strlen(m->info.smsc);
		for (i = 0; i + 3 < n && o + 1 < sizeof out; i += 4) {
			unsigned u;
			if (sscanf(m->info.smsc + i, "%4x", &u) == 1 &&
			    u < 0x80)
				out[o++] = (char)u;
		}
		out[o] = '\0';
		strlcpy(m->info.smsc, out, sizeof m->info.smsc);
	}
}

static void
modem_init_setup(struct modem *m)
{
	modem_cmd(m, "AT+CMGF=0", NULL, 0, 0, NULL, modem_init_cmgf_done);
	modem_cmd(m, "AT+CSCS=?", "+CSCS:", 0, 0, NULL, modem_init_cscs_done);
	modem_cmd(m, "AT+CPMS=\"SM\",\"SM\",\"SM\"", "+CPMS:", 0, 0, NULL,
	    modem_init_cpms_done);
	modem_cmd(m, "AT+CNMI=?", "+CNMI:", 0, 0, NULL,
	    modem_init_cnmi_test_done);
	modem_cmd(m, "AT+CSCA?", "+CSCA:", 0, 0, NULL, modem_init_csca_done);
	modem_cmd(m, "AT+CNUM", "+CNUM:", 0, 0, NULL, modem_init_cnum_done);
	modem_clock_init(m);
	m->tries = 0;
	m->reg_cs = m->reg_eps = -1;
	modem_init_registration(m);
}

/* ---- registration ------------------------------------------------------ */

static int
modem_init_registered(int stat)
{
	/* 1 home, 5 roaming, 6/7 "SMS only" (E-UTRAN): all can text */
	return stat == 1 || stat == 5 || stat == 6 || stat == 7;
}

const char *
modem_reg_name(int stat)
{
	switch (stat) {
	case 0:
		return "not registered, not searching";
	case 1:
		return "home";
	case 2:
		return "searching";
	case 3:
		return "registration denied";
	case 5:
		return "roaming";
	case 6:
	case 7:
		return "SMS only";
	default:
		return "unknown";
	}
}

static void
modem_init_reg_line(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	(void)c;
	if (ev->resp.stat < 0)
		return;
	if (ev->resp.reg == AT_REG_EPS)
		m->reg_eps = ev->resp.stat;
	else if (ev->resp.reg == AT_REG_CS)
		m->reg_cs = ev->resp.stat;
}

static void
modem_init_cops_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	const char	*q1, *q2;

	if (!modem_final_ok(ev))
		return;
	/* +COPS: 0,0,"Operator",7 */
	if ((q1 = strchr(c->first, '"')) == NULL ||
	    (q2 = strchr(q1 + 1, '"')) == NULL)
		return;
	modem_unquote(q1 + 1, (size_t)(q2 - q1 - 1), m->info.operator_name,
	    sizeof m->info.operator_name);
	if (m->cscs_ucs2) {
		/* UCS-2 hex under +CSCS="UCS2": decode the ASCII range */
		char	 out[64], *s = m->info.operator_name;
		size_t	 i, o = 0, n = strlen(s);
		if (n > 0 && n % 4 == 0 &&
		    strspn(s, "0123456789ABCDEFabcdef") == n) {
			for (i = 0; i + 3 < n && o + 4 < sizeof out; i += 4) {
				unsigned u;
				if (sscanf(s + i, "%4x", &u) != 1)
					break;
				o += utf8_encode(u, out + o);
			}
			out[o] = '\0';
			strlcpy(m->info.operator_name, out,
			    sizeof m->info.operator_name);
		}
	}
}

static void
modem_init_csq_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	int		 rssi;
	const char	*v = strchr(c->first, ':');

	if (!modem_final_ok(ev) || v == NULL)
		return;
	v++;
	rssi = modem_init_num(&v);
	/* TS 27.007 §8.5: 0 is -113 dBm or less, 31 is -51 or more */
	if (rssi >= 0 && rssi <= 31)
		m->info.signal_dbm = -113 + 2 * rssi;
	else
		m->info.signal_dbm = 0;
}

/* Operator and signal are known: the modem is up. */
static void
modem_init_up(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	struct timeval	tv = { m->cfg.health_sec, 0 };

	if (modem_cmd_dropped(m, ev))
		return;
	modem_init_csq_done(m, c, ev);
	evtimer_add(m->ev_health, &tv);
	modem_set_state(m, MODEM_READY);
	modem_clock_read(m);
	if (m->cfg.sweep || !m->cnmi_ok)
		modem_sms_sweep(m);
	else if (m->cb.swept != NULL)
		m->cb.swept(m, m->arg);
}

static void
modem_init_ready(struct modem *m)
{
	modem_cmd(m, "AT+COPS=3,0", NULL, 0, 0, NULL, NULL);
	modem_cmd(m, "AT+COPS?", "+COPS:", 0, 0, NULL, modem_init_cops_done);
	modem_cmd(m, "AT+CSQ", "+CSQ:", 0, 0, NULL, modem_init_up);
}

static void
modem_init_reg_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	int	stat;

	if (modem_cmd_dropped(m, ev))
		return;
	if (c->arg == 0)
		return;	/* wait for the +CEREG? answer too */
	stat = modem_init_registered(m->reg_cs) ? m->reg_cs : m->reg_eps;
	m->info.reg = stat >= 0 ? stat : m->reg_cs;
	if (modem_init_registered(m->reg_cs) ||
	    modem_init_registered(m->reg_eps)) {
		modem_init_ready(m);
		return;
	}
	modem_set_state(m, MODEM_REGISTERING);
	/* a person at the CLI waits half a minute, a daemon for ever */
	if (++m->tries >= (m->cfg.once ? MODEM_REG_TRIES / 4 :
	    MODEM_REG_TRIES) && m->cfg.once) {
		modem_fail(m, "not registered on the network (%s)",
		    modem_reg_name(m->info.reg));
		return;
	}
	if (m->tries == MODEM_REG_TRIES)
		modem_error(m, "not registered on the network (%s); still "
		    "trying", modem_reg_name(m->info.reg));
	modem_retry_in(m, m->tries < MODEM_REG_TRIES ? 3000 : 30000);
}

void
modem_init_registration(struct modem *m)
{
	modem_cmd(m, "AT+CREG?", "+CREG:", 0, 0, modem_init_reg_line,
	    modem_init_reg_done)->arg = 0;
	modem_cmd(m, "AT+CEREG?", "+CEREG:", 0, 0, modem_init_reg_line,
	    modem_init_reg_done)->arg = 1;
}

void
modem_init_reg_urc(struct modem *m, const struct at_resp *r)
{
	if (r->stat < 0)
		return;
	if (r->reg == AT_REG_EPS)
		m->reg_eps = r->stat;
	else if (r->reg == AT_REG_CS)
		m->reg_cs = r->stat;
	m->info.reg = r->stat;
	if (m->info.state == MODEM_REGISTERING &&
	    modem_init_registered(r->stat)) {
		evtimer_del(m->ev_retry);
		modem_init_ready(m);
	}
}

/* ---- health ------------------------------------------------------------ */

static void
modem_init_health_reg(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	(void)c;
	(void)ev;
	if (m->reg_cs >= 0)
		m->info.reg = m->reg_cs;
	if (!modem_init_registered(m->reg_cs) &&
	    !modem_init_registered(m->reg_eps) && m->reg_cs >= 0)
		modem_error(m, "lost network registration (%s)",
		    modem_reg_name(m->reg_cs));
}

/*
 * A modem that rebooted without saying so (no RDY, no +CFUN: 1) has
 * forgotten +CNMI and would keep new texts to itself: compare.
 */
static void
modem_init_health_cnmi(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	const char	*v = strchr(c->first, ':');
	char		 now[32];
	size_t		 i, o = 0;

	if (!modem_final_ok(ev) || v == NULL || m->cnmi[0] == '\0')
		return;
	for (i = 1; v[i] != '\0' && o + 1 < sizeof now; i++)
		if (v[i] != ' ')
			now[o++] = v[i];
	now[o] = '\0';
	/* the modem may answer fewer fields than were set ("2,1") */
	if (strncmp(now, m->cnmi, strlen(now)) == 0 ||
	    strncmp(m->cnmi, now, strlen(m->cnmi)) == 0)
		return;
	log_info("modem=%s event=settings-lost cnmi=\"%s\" expected=\"%s\"",
	    m->name, now, m->cnmi);
	/* nothing queued may go out to a modem that lost PDU mode */
	modem_restart(m);
}

/* Is a health check's command still waiting (a slow or busy modem)? */
static int
modem_init_health_queued(struct modem *m)
{
	struct modem_cmd	*c;

	TAILQ_FOREACH(c, &m->cmds, entry)
		if (c->on_done == modem_init_health_cnmi ||
		    c->on_done == modem_init_cpms_done)
			return 1;
	return 0;
}

void
modem_init_health(struct modem *m)
{
	/*
	 * A busy modem answers, but may have rebooted without a word and
	 * forgotten +CNMI: during a broadcast a STOP would then wait on
	 * the SIM until the broadcast is over.  Ask for the settings that
	 * matter at the priority of a member's text, ahead of reports and
	 * deletes; the rest of the check waits for a quiet moment.
	 */
	if (!TAILQ_EMPTY(&m->cmds)) {
		struct modem_cmd	*c;

		if (modem_init_health_queued(m))
			return;
		if (!m->cnmi_ok)
			modem_sms_sweep(m);	/* no indications: look */
		else
			modem_cmd_read(m, modem_cmd_new("AT+CNMI?", "+CNMI:",
			    0, 0, NULL, modem_init_health_cnmi), 0);
		c = modem_cmd_new("AT+CPMS?", "+CPMS:", 0, 0, NULL,
		    modem_init_cpms_done);
		c->arg = 1;
		modem_cmd_read(m, c, 0);
		return;
	}
	modem_cmd(m, "AT+CSQ", "+CSQ:", 0, 0, NULL, modem_init_csq_done);
	modem_cmd(m, "AT+CREG?", "+CREG:", 0, 0, modem_init_reg_line,
	    modem_init_health_reg);
	modem_cmd(m, "AT+COPS?", "+COPS:", 0, 0, NULL, modem_init_cops_done);
	modem_sms_storage(m);
	if (!m->cnmi_ok)
		modem_sms_sweep(m);
	else
		modem_cmd(m, "AT+CNMI?", "+CNMI:", 0, 0, NULL,
		    modem_init_health_cnmi);
	modem_clock_tick(m);
}
