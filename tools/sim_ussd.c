/*
 * tools/sim_ussd.c — the simulated network's USSD menus.
 *
 * TS 27.007 §7.15: AT+CUSD=1,"<str>"[,<dcs>] sends a request, OK comes
 * at once and the network's answer later as the URC
 * +CUSD: <m>[,"<str>",<dcs>]; <m>=1 means the network expects a reply,
 * which the host sends the same way; AT+CUSD=2 ends the session.  An
 * idle session times out with +CUSD: 2.
 *
 * Strings follow the personality: a Huawei stick (^USSDMODE=0, its
 * default) takes and gives hex of packed GSM 7-bit septets (TS 23.038
 * §6.1.2.3) with DCS 15, or UCS-2 hex with DCS 72 when the text has
 * characters GSM 7-bit lacks; the others convert <str> to and from the
 * +CSCS character set ("GSM": one byte per septet, "IRA": ASCII, "UCS2":
 * hex of UTF-16) and use DCS 72 with UCS-2 hex for non-GSM text.
 *
 * The script maps a path — the code, then each reply, joined by '|' — to
 * an answer.  The file format, one entry per line:
 *	*123#|2 -> 1|1. 100MB $1\n2. 1GB $5
 * "\n" in the text is a line feed; lines starting with "# " are comments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "compat.h"
#include "gsm7.h"
#include "sim.h"
#include "ussd.h"
#include "utf8.h"

struct sim_ussd_entry {
	struct sim_ussd_entry	*next;
	char			*path;
	int			 m;
	char			*text;
};

static void	sim_ussd_answer_cb(int, short, void *);
static void	sim_ussd_timeout_cb(int, short, void *);

static void
sim_ussd_add(struct sim *sim, const char *path, int m, const char *text)
{
	struct sim_ussd_entry	*e, **pp;

	e = xcalloc(1, sizeof *e);
	e->path = xstrdup(path);
	e->m = m;
	e->text = xstrdup(text);
	for (pp = &sim->ussd; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = e;
}

static void
sim_ussd_events(struct sim *sim)
{
	if (sim->ev_ussd != NULL)
		return;
	sim->ev_ussd = evtimer_new(sim->base, sim_ussd_answer_cb, sim);
	sim->ev_ussd_to = evtimer_new(sim->base, sim_ussd_timeout_cb, sim);
	if (sim->ev_ussd == NULL || sim->ev_ussd_to == NULL)
		modemsim_fatal("evtimer_new failed");
}

void
sim_ussd_builtin(struct sim *sim)
{
	static const char	*bal =
	    "Your balance is $5.00. Valid until 2026-12-31.";

	sim_ussd_events(sim);
	sim_ussd_add(sim, "*100#", 0, bal);
	sim_ussd_add(sim, "*123#", 1, "1. Balance\n2. Bundles");
	sim_ussd_add(sim, "*123#|1", 0, bal);
	sim_ussd_add(sim, "*123#|2", 1, "1. 100MB $1\n2. 1GB $5");
	sim_ussd_add(sim, "*123#|2|1", 0, "Bundle activated.");
	sim_ussd_add(sim, "*123#|2|2", 0, "Bundle activated.");
}

/* Load a script file instead of the built-in menus. */
int
sim_ussd_load(struct sim *sim, const char *file, const char **err)
{
	static char	 msg[256];
	FILE		*f;
	char		 line[1024], *arrow, *bar, *path, *text, *end, *w, *r;
	int		 lineno = 0, m;

	sim_ussd_events(sim);
	if ((f = fopen(file, "r")) == NULL) {
		*err = "cannot open USSD script";
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		path = line + strspn(line, " \t");
		if (*path == '\0' || strncmp(path, "# ", 2) == 0 ||
		    strcmp(path, "#") == 0)
			continue;
		if ((arrow = strstr(path, " -> ")) == NULL ||
		    (bar = strchr(arrow + 4, '|')) == NULL ||
		    bar != arrow + 5 || (arrow[4] < '0' || arrow[4] > '4')) {
			xsnprintf(msg, sizeof msg, "%s:%d: expected "
			    "\"CODE[|REPLY...] -> m|text\"", file, lineno);
			*err = msg;
			fclose(f);
			return -1;
		}
		for (end = arrow; end > path && end[-1] == ' '; end--)
			;
		*end = '\0';
		m = arrow[4] - '0';
		text = bar + 1;
		for (w = r = text; *r != '\0'; r++) {
			if (r[0] == '\\' && r[1] == 'n') {
				*w++ = '\n';
				r++;
			} else
				*w++ = *r;
		}
		*w = '\0';
		sim_ussd_add(sim, path, m, text);
	}
	fclose(f);
	return 0;
}

void
sim_ussd_free(struct sim *sim)
{
	struct sim_ussd_entry	*e;

	while ((e = sim->ussd) != NULL) {
		sim->ussd = e->next;
		free(e->path);
		free(e->text);
		free(e);
	}
	if (sim->ev_ussd != NULL) {
		event_free(sim->ev_ussd);
		event_free(sim->ev_ussd_to);
	}
}

void
sim_ussd_cancel(struct sim *sim)
{
	sim->ussd_path[0] = '\0';
	sim->ussd_answer_pending = 0;
	if (sim->ev_ussd != NULL) {
		event_del(sim->ev_ussd);
		event_del(sim->ev_ussd_to);
	}
}

static void
sim_ussd_hex(char *out, const uint8_t *in, size_t n)
{
	static const char	hexd[] = "0123456789ABCDEF";
	size_t			i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Write "+CUSD: m,"<str>",dcs" for a UTF-8 text as the modem shows it. */
static void
sim_ussd_emit(struct sim *sim, int m, const char *text)
{
	uint32_t	 cp[USSD_MAX_SEPTETS * 2];
	uint8_t		 sep[USSD_MAX_SEPTETS * 2 + 2], u[4 * 256], k[2];
	char		*s, *str;
	const char	*err;
	size_t		 n, i, ns = 0, nu = 0, errpos, len;
	int		 gsm = 1, dcs = 15, kk;

	if (text == NULL) {
		xasprintf(&s, "+CUSD: %d", m);
		sim_at_urc(sim, s);
		free(s);
		return;
	}
	if (utf8_decode(text, strlen(text), cp, sizeof cp / sizeof cp[0], &n,
	    &errpos) == -1)
		n = 0;
	for (i = 0; i < n; i++) {
		if ((kk = gsm7_encode_char(cp[i], 0, 0, k)) == 0)
			gsm = 0;
		else if (ns + (size_t)kk <= sizeof sep) {
			memcpy(sep + ns, k, (size_t)kk);
			ns += (size_t)kk;
		}
		if (nu + 4 <= sizeof u) {
			if (cp[i] > 0xffff) {
				uint32_t v = cp[i] - 0x10000;
				unsigned hi = 0xd800 + (v >> 10);
				unsigned lo = 0xdc00 + (v & 0x3ff);

				u[nu++] = (uint8_t)(hi >> 8);
				u[nu++] = (uint8_t)hi;
				u[nu++] = (uint8_t)(lo >> 8);
				u[nu++] = (uint8_t)lo;
			} else {
				u[nu++] = (uint8_t)(cp[i] >> 8);
				u[nu++] = (uint8_t)cp[i];
			}
		}
	}
	str = xmalloc(2 * sizeof u + 1);
	len = 0;
	if (!gsm || (!sim->pers->huawei && sim->cscs == SIM_CSCS_UCS2) ||
	    (sim->pers->huawei && sim->ussdmode == 0 &&
	    ns > USSD_MAX_SEPTETS)) {
		if (!gsm)
			dcs = 72;
		sim_ussd_hex(str, u, nu);
		len = strlen(str);
	} else if (sim->pers->huawei && sim->ussdmode == 0) {
		if (ussd_encode(text, USSD_REQ_PACKED_HEX, str, 2 * sizeof u,
		    &err) == -1) {
			modemsim_log(sim, "USSD answer: %s", err);
			str[0] = '\0';
		}
		len = strlen(str);
	} else if (sim->cscs == SIM_CSCS_GSM) {
		memcpy(str, sep, ns);	/* septet values, '@' is 0x00 */
		len = ns;
	} else {
		for (i = 0; i < n; i++)
			str[len++] = cp[i] < 0x80 ? (char)cp[i] : '?';
	}
	s = xmalloc(len + 64);
	n = (size_t)snprintf(s, 64, "+CUSD: %d,\"", m);
	memcpy(s + n, str, len);
	n += len;
	n += (size_t)snprintf(s + n, 32, "\",%d", dcs);
	sim_at_urc_len(sim, s, n);
	free(s);
	free(str);
}

static void
sim_ussd_answer_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	sim->ussd_answer_pending = 0;
	if (sim->cusd_n != 1)
		return;	/* presentation disabled (TS 27.007 <n>=0) */
	if (sim->ussd_m == 4)
		sim_ussd_emit(sim, 4, NULL);
	else
		sim_ussd_emit(sim, sim->ussd_m, sim->ussd_text);
}

static void
sim_ussd_timeout_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	sim->ussd_path[0] = '\0';
	if (sim->cusd_n == 1)
		sim_ussd_emit(sim, 2, NULL);
}

/* The request as UTF-8, from the host's presentation of it. */
static int
sim_ussd_decode(struct sim *sim, const char *str, int dcs, char *out,
    size_t outlen)
{
	struct ussd_resp	 r;
	enum ussd_str_coding	 mode;
	const char		*err;

	memset(&r, 0, sizeof r);
	r.has_str = 1;
	r.str = str;
	r.len = strlen(str);
	r.dcs = dcs;
	if (sim->pers->huawei && sim->ussdmode == 0)
		mode = USSD_STR_PACKED_HEX;
	else if (sim->cscs == SIM_CSCS_UCS2)
		mode = USSD_STR_CSCS_UCS2;
	else if (sim->cscs == SIM_CSCS_GSM)
		mode = USSD_STR_CSCS_GSM;
	else
		mode = USSD_STR_CSCS_IRA;
	if (mode == USSD_STR_PACKED_HEX && (r.len == 0 || r.len % 2 != 0 ||
	    strspn(str, "0123456789abcdefABCDEF") != r.len)) {
		modemsim_log(sim, "USSD: \"%s\" is not packed hex", str);
		return -1;
	}
	if (ussd_decode(&r, mode, out, outlen, &err) < 0) {
		modemsim_log(sim, "USSD: %s", err);
		return -1;
	}
	return 0;
}

/*
 * AT+CUSD=1,"<str>",<dcs>: a request, or the reply in an open session.
 * Returns 0 (the answer follows later), or -1 when str cannot be read.
 */
int
sim_ussd_request(struct sim *sim, const char *str, int dcs)
{
	struct sim_ussd_entry	*e;
	struct timeval		 tv;
	char			 code[USSD_MAX_SEPTETS * 3 + 1];
	char			 path[sizeof sim->ussd_path];

	if (sim_ussd_decode(sim, str, dcs, code, sizeof code) == -1)
		return -1;
	if (sim->ussd_path[0] == '\0')
		strlcpy(path, code, sizeof path);
	else if (!bsnprintf(path, sizeof path, "%s|%s", sim->ussd_path,
	    code))
		path[0] = '\0';
	modemsim_log(sim, "USSD request %s", path);
	event_del(sim->ev_ussd_to);
	for (e = sim->ussd; e != NULL; e = e->next)
		if (strcmp(e->path, path) == 0)
			break;
	if (sim->balance != NULL && strcmp(path, SIM_BALANCE_CODE) == 0) {
		/* the settable balance answer (--balance, ctl balance) */
		sim->ussd_m = 0;
		strlcpy(sim->ussd_text, sim->balance, sizeof sim->ussd_text);
		sim->ussd_path[0] = '\0';
	} else if (e == NULL) {
		sim->ussd_m = 4;
		sim->ussd_path[0] = '\0';
	} else {
		sim->ussd_m = e->m;
		strlcpy(sim->ussd_text, e->text, sizeof sim->ussd_text);
		if (e->m == 1) {
			strlcpy(sim->ussd_path, path, sizeof sim->ussd_path);
			tv.tv_sec = sim->o.ussd_timeout_s;
			tv.tv_usec = 0;
			event_add(sim->ev_ussd_to, &tv);
		} else
			sim->ussd_path[0] = '\0';
	}
	sim->ussd_answer_pending = 1;
	tv.tv_sec = sim->o.ussd_ms / 1000;
	tv.tv_usec = (sim->o.ussd_ms % 1000) * 1000;
	event_add(sim->ev_ussd, &tv);
	return 0;
}

/* A network-initiated USSD message (m 0) or request (m 1). */
void
sim_ussd_notify(struct sim *sim, int m, const char *text)
{
	if (m == 1)
		strlcpy(sim->ussd_path, "network", sizeof sim->ussd_path);
	sim_ussd_emit(sim, m, text);
}
