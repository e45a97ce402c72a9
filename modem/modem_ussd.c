/*
 * modem/modem_ussd.c — USSD sessions (TS 27.007 §7.15 +CUSD).
 *
 * AT+CUSD=1,"<code>",15 starts a session or answers a menu; the network's
 * answers come as +CUSD: <m>[,<str>,<dcs>] (usually after the OK, some
 * modems before it); m=1 leaves the session open for a reply, 0 and 2..5
 * end it.  AT+CUSD=2 cancels.  The request and the answer are coded per
 * the quirk profile: packed GSM 7-bit hex for Huawei, otherwise text in
 * the +CSCS character set (UCS2 hex where the modem offers it, so any
 * answer decodes exactly, else GSM).  A plain-text answer may span lines
 * (a menu with line breaks); the pieces are joined until the closing
 * quote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "log.h"
#include "modem_int.h"
#include "utf8.h"

#define MODEM_USSD_MAX	2048

static void
modem_ussd_end(struct modem *m)
{
	m->ussd_active = 0;
	evtimer_del(m->ev_ussd);
}

static void
modem_ussd_arm(struct modem *m)
{
	struct timeval	tv = { MODEM_T_USSD / 1000, 0 };

	evtimer_add(m->ev_ussd, &tv);
}

/*
 * The session is over before its answer (the modem restarted or is
 * reset, which ends it on the network's side too): tell the owner why
 * now, rather than "no answer from the network" when the timer fires.
 */
void
modem_ussd_abort(struct modem *m, const char *why)
{
	free(m->ussd_partial);
	m->ussd_partial = NULL;
	if (!m->ussd_active)
		return;
	modem_ussd_end(m);
	if (m->cb.ussd != NULL)
		m->cb.ussd(m, -1, why, m->arg);
}

void
modem_ussd_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem	*m = arg;

	(void)fd;
	(void)what;
	if (!m->ussd_active)
		return;
	modem_ussd_end(m);
	modem_cmd(m, "AT+CUSD=2", NULL, 0, 0, NULL, NULL);
	if (m->cb.ussd != NULL)
		m->cb.ussd(m, -1, "no answer from the network (timeout)",
		    m->arg);
}

static void
modem_ussd_sent(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	char	buf[128], why[96];

	(void)c;
	if (modem_final_ok(ev)) {
		if (m->ussd_active)
			modem_ussd_arm(m);
		return;
	}
	if (!m->ussd_active)
		return;	/* the answer came before a late error */
	modem_ussd_end(m);
	if (m->cb.ussd != NULL) {
		snprintf(buf, sizeof buf, "the modem refused the USSD "
		    "request: %s", modem_final_text(ev, why, sizeof why));
		m->cb.ussd(m, -1, buf, m->arg);
	}
}

/* The command for a code or reply, coded as the modem wants it. */
static int
modem_ussd_command(struct modem *m, const char *code, char *out,
    size_t outlen, const char **err)
{
	enum ussd_req_coding	 rc = USSD_REQ_PLAIN;
	uint32_t		 cp[USSD_MAX_SEPTETS];
	size_t			 n, pos, i, o;

	if (m->quirks != NULL)
		rc = m->quirks->ussd_req;
	if (rc == USSD_REQ_PLAIN && m->cscs_ucs2) {
		/* under +CSCS="UCS2" every string is UCS-2 hex, ours too */
		if (utf8_decode(code, strlen(code), cp, USSD_MAX_SEPTETS, &n,
		    &pos) == -1) {
			/* past the last byte: more characters than fit */
			*err = pos == strlen(code) ? "USSD code too long" :
			    "invalid UTF-8 in USSD code";
			return -1;
		}
		if (n == 0) {
			*err = "empty USSD code";
			return -1;
		}
		o = (size_t)snprintf(out, outlen, "AT+CUSD=1,\"");
		for (i = 0; i < n && o + 10 < outlen; i++) {
			if (cp[i] > 0xffff || cp[i] == '"') {
				*err = "character not allowed in USSD code";
				return -1;
			}
			o += (size_t)snprintf(out + o, outlen - o, "%04X",
			    cp[i]);
		}
		if (i < n || o + 5 >= outlen || o + 5 >= AT_LEXER_CMD_MAX) {
			*err = "USSD code too long";
			return -1;
		}
		snprintf(out + o, outlen - o, "\",15");
		return 0;
	}
	if (ussd_request(code, rc, out, outlen, err) < 0)
		return -1;
	if (strlen(out) >= AT_LEXER_CMD_MAX) {
		*err = "USSD code too long";
		return -1;
	}
	return 0;
}

static int
modem_ussd_send(struct modem *m, const char *code)
{
	char		 line[1024];
	const char	*err;

	if (m->info.state != MODEM_READY) {
		if (m->cb.ussd != NULL)
			m->cb.ussd(m, -1, "modem not ready", m->arg);
		return -1;
	}
	if (modem_ussd_command(m, code, line, sizeof line, &err) == -1) {
		if (m->cb.ussd != NULL)
			m->cb.ussd(m, -1, err, m->arg);
		return -1;
	}
	m->ussd_active = 1;
	modem_ussd_arm(m);
	modem_cmd(m, line, NULL, 0, 0, NULL, modem_ussd_sent);
	return 0;
}

int
modem_ussd(struct modem *m, const char *code)
{
	if (m->ussd_active) {
		if (m->cb.ussd != NULL)
			m->cb.ussd(m, -1, "a USSD session is already open",
			    m->arg);
		return -1;
	}
	return modem_ussd_send(m, code);
}

int
modem_ussd_reply(struct modem *m, const char *reply)
{
	if (!m->ussd_active) {
		if (m->cb.ussd != NULL)
			m->cb.ussd(m, -1, "no USSD session to answer", m->arg);
		return -1;
	}
	return modem_ussd_send(m, reply);
}

void
modem_ussd_cancel(struct modem *m)
{
	if (m->port == NULL)
		return;
	modem_ussd_end(m);
	modem_cmd(m, "AT+CUSD=2", NULL, 0, 0, NULL, NULL);
}

static enum ussd_str_coding
modem_ussd_coding(const struct modem *m)
{
	if (m->quirks != NULL && m->quirks->ussd_str != USSD_STR_AUTO)
		return m->quirks->ussd_str;
	if (!m->cscs_known)
		return USSD_STR_AUTO;
	return m->cscs_ucs2 ? USSD_STR_CSCS_UCS2 : USSD_STR_CSCS_GSM;
}

static int
modem_ussd_quotes(const char *s, size_t len)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < len; i++)
		n += s[i] == '"';
	return n;
}

static void
modem_ussd_line(struct modem *m, const char *line, size_t len)
{
	struct ussd_resp	 r;
	const char		*err;
	char			 text[MODEM_USSD_MAX];

	if (ussd_parse(line, len, &r, &err) == -1) {
		log_warnx("modem=%s bad +CUSD line: %s", m->name, err);
		return;
	}
	if (ussd_decode(&r, modem_ussd_coding(m), text, sizeof text,
	    &err) == -1) {
		log_warnx("modem=%s +CUSD text: %s", m->name, err);
		if (text[0] == '\0')
			snprintf(text, sizeof text, "(undecodable: %s)", err);
	}
	if (r.status != USSD_ACTION)
		modem_ussd_end(m);
	else
		modem_ussd_arm(m);
	if (m->cb.ussd != NULL)
		m->cb.ussd(m, r.status, r.has_str ? text : NULL, m->arg);
}

/*
 * Lines after an unterminated +CUSD string are part of it (a menu with
 * line breaks in a plain-text character set).  Returns 1 if the line was
 * taken.
 */
static int
modem_ussd_more(struct modem *m, const char *line, size_t len)
{
	size_t	old;
	char	*s;

	if (m->ussd_partial == NULL)
		return 0;
	old = strlen(m->ussd_partial);
	if (old + len + 2 > MODEM_USSD_MAX) {
		/* its closing quote lost, or more than any menu: the
		 * session is over, said now rather than by the timeout */
		free(m->ussd_partial);
		m->ussd_partial = NULL;
		log_warnx("modem=%s +CUSD answer longer than %d bytes or "
		    "unterminated: dropped", m->name, MODEM_USSD_MAX);
		if (m->ussd_active)
			modem_cmd(m, "AT+CUSD=2", NULL, 0, 0, NULL, NULL);
		modem_ussd_abort(m, "USSD answer too long or cut (no closing "
		    "quote)");
		return 1;
	}
	s = xmalloc(old + len + 2);
	memcpy(s, m->ussd_partial, old);
	s[old] = '\n';
	memcpy(s + old + 1, line, len);
	s[old + len + 1] = '\0';
	free(m->ussd_partial);
	m->ussd_partial = s;
	if (modem_ussd_quotes(line, len) % 2 == 1) {
		m->ussd_partial = NULL;
		modem_ussd_line(m, s, strlen(s));
		free(s);
	}
	return 1;
}

void
modem_ussd_urc(struct modem *m, const struct at_event *ev)
{
	if (ev->resp.urc != AT_URC_USSD) {
		modem_ussd_more(m, ev->line, ev->len);
		return;
	}
	free(m->ussd_partial);
	m->ussd_partial = NULL;
	if (modem_ussd_quotes(ev->line, ev->len) == 1) {
		m->ussd_partial = xstrndup(ev->line, ev->len);
		return;
	}
	modem_ussd_line(m, ev->line, ev->len);
}
