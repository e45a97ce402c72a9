/*
 * modem/modem.c — the driver core: the port, the command queue, the
 * state, unsolicited results, health checks, resets and reconnects.
 *
 * One command is in flight per modem; the rest wait in a TAILQ.  Each
 * command carries its own deadline (one libevent timer per modem) and
 * callbacks for its intermediate lines and its final result.  Bytes from
 * the port go through the pure AT lexer (at_lexer.c); its typed events
 * come back here.  Nothing blocks: delays are timers.
 *
 * Lost device (EOF, EIO, ENODEV, HUP): the port is closed at once, the
 * command in flight fails (a send reports a temporary failure, so the
 * message goes back to the queue), and the port is reopened with
 * exponential backoff.  A modem that stops answering (MODEM_STALLS_RESET
 * timeouts in a row) is reset with its vendor command; if even that goes
 * unanswered the port is closed and reopened.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "log.h"
#include "modem_int.h"

static void	modem_read_cb(evutil_socket_t, short, void *);
static void	modem_write_cb(evutil_socket_t, short, void *);
static void	modem_timeout_cb(evutil_socket_t, short, void *);
static void	modem_retry_cb(evutil_socket_t, short, void *);
static void	modem_health_cb(evutil_socket_t, short, void *);
static void	modem_next(struct modem *);
static void	modem_close(struct modem *);
static void	modem_lost(struct modem *, const char *);

const char *
modem_state_name(enum modem_state s)
{
	switch (s) {
	case MODEM_CLOSED:
		return "closed";
	case MODEM_OPENING:
		return "opening";
	case MODEM_PROBING:
		return "probing";
	case MODEM_INIT:
		return "init";
	case MODEM_SIM_WAIT:
		return "sim-wait";
	case MODEM_REGISTERING:
		return "registering";
	case MODEM_READY:
		return "ready";
	case MODEM_RESETTING:
		return "resetting";
	case MODEM_BACKOFF:
		return "backoff";
	case MODEM_FAILED:
		return "failed";
	}
	return "unknown";
}

struct modem *
modem_new(struct event_base *base, const struct modem_config *cfg,
    const struct modem_cb *cb, void *arg)
{
	struct modem	*m;

	m = xcalloc(1, sizeof *m);
	m->base = base;
	m->cfg = *cfg;
	m->name = xstrdup(cfg->name ? cfg->name : cfg->device);
	/* the port in use (m->device) may become another one, found by
	 * IMEI; the configured path stays in its own copy */
	m->device = xstrdup(cfg->device);
	m->conf_device = xstrdup(cfg->device);
	m->pin = cfg->pin ? xstrdup(cfg->pin) : NULL;
	m->cfg.name = m->name;
	m->cfg.device = m->conf_device;
	m->cfg.pin = m->pin;
	if (m->cfg.health_sec <= 0 || m->cfg.health_sec > MODEM_HEALTH_SEC)
		m->cfg.health_sec = MODEM_HEALTH_SEC;
	m->cb = *cb;
	m->arg = arg;
	TAILQ_INIT(&m->cmds);
	if ((m->lx = at_lexer_new()) == NULL)
		fatalx("modem %s: out of memory", m->name);
	m->out = evbuffer_new();
	m->ev_timeout = evtimer_new(base, modem_timeout_cb, m);
	m->ev_retry = evtimer_new(base, modem_retry_cb, m);
	m->ev_health = evtimer_new(base, modem_health_cb, m);
	m->ev_ussd = evtimer_new(base, modem_ussd_timeout_cb, m);
	if (m->out == NULL || m->ev_timeout == NULL || m->ev_retry == NULL ||
	    m->ev_health == NULL || m->ev_ussd == NULL)
		fatalx("modem %s: out of memory", m->name);
	m->info.state = MODEM_CLOSED;
	m->info.reg = -1;
	m->info.storage_used = m->info.storage_total = -1;
	m->reg_cs = m->reg_eps = -1;
	m->backoff = 1;
	m->clk_zone = NETTIME_TZ_UNKNOWN;
	return m;
}

const struct modem_info *
modem_info(const struct modem *m)
{
	return &m->info;
}

const char *
modem_name(const struct modem *m)
{
	return m->name;
}

void
modem_set_state(struct modem *m, enum modem_state s)
{
	enum modem_state	old = m->info.state;

	if (old == s)
		return;
	m->info.state = s;
	log_debug("%s: modem=%s %s -> %s", __func__, m->name,
	    modem_state_name(old), modem_state_name(s));
	if (s == MODEM_READY) {
		m->backoff = 1;
		m->info.last_error[0] = '\0';
		log_info("modem=%s state=ready manufacturer=\"%s\" model=\"%s\" "
		    "operator=\"%s\"", m->name, m->info.manufacturer,
		    m->info.model, m->info.operator_name);
	}
	if (m->cb.state != NULL)
		m->cb.state(m, s, m->arg);
}

/* Record what went wrong (shown by status), and log it once. */
void
modem_error(struct modem *m, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(m->info.last_error, sizeof m->info.last_error, fmt, ap);
	va_end(ap);
	log_warnx("modem=%s error=\"%s\"", m->name, m->info.last_error);
}

/* Give up until an operator acts (or, for the CLI, stop). */
void
modem_fail(struct modem *m, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(m->info.last_error, sizeof m->info.last_error, fmt, ap);
	va_end(ap);
	log_warnx("modem=%s failed=\"%s\"", m->name, m->info.last_error);
	if (m->cfg.once) {
		modem_close(m);
		modem_set_state(m, MODEM_FAILED);
		return;
	}
	/* a daemon keeps trying, slowly: the SIM may be swapped */
	modem_close(m);
	m->backoff = MODEM_BACKOFF_MAX;
	modem_set_state(m, MODEM_FAILED);
	modem_retry_in(m, MODEM_BACKOFF_MAX * 1000);
}

void
modem_retry_in(struct modem *m, int ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(m->ev_retry, &tv);
}

/* ---- the port ---------------------------------------------------------- */

static void
modem_open(struct modem *m)
{
	char	*cause = NULL;
	struct serial_cfg c = { m->cfg.baud, m->cfg.rtscts };

	modem_set_state(m, MODEM_OPENING);
	/* the configured path first: a port found elsewhere by IMEI is
	 * only a stand-in until the configured one is back */
	if (strcmp(m->device, m->cfg.device) != 0 &&
	    (m->port = serial_open(m->cfg.device, &c, &cause)) != NULL) {
		free(m->device);
		m->device = xstrdup(m->cfg.device);
	} else if (m->port == NULL) {
		free(cause);
		cause = NULL;
		m->port = serial_open(m->device, &c, &cause);
	}
	if (m->port == NULL) {
		snprintf(m->info.last_error, sizeof m->info.last_error, "%s",
		    cause);
		if (m->cfg.once) {
			log_warnx("modem=%s error=\"%s\"", m->name, cause);
			free(cause);
			modem_set_state(m, MODEM_FAILED);
			return;
		}
		/* why the port cannot be opened (no such device, permission
		 * denied, held by another program), once per change: the
		 * retries every few seconds repeat it silently */
		if (m->open_error == NULL || strcmp(m->open_error, cause) != 0) {
			log_warnx("modem=%s cannot open: %s", m->name, cause);
			free(m->open_error);
			m->open_error = xstrdup(cause);
		}
		free(cause);
		modem_set_state(m, MODEM_BACKOFF);
		/* gone from this name: look for our IMEI elsewhere */
		if (modem_hunt_start(m))
			return;
		modem_retry_in(m, m->backoff * 1000);
		if (m->backoff < MODEM_BACKOFF_MAX)
			m->backoff *= 2;
		return;
	}
	log_info("modem=%s port=%s backend=%s", m->name, m->device,
	    serial_backend(m->port));
	free(m->open_error);
	m->open_error = NULL;
	m->ev_read = event_new(m->base, serial_fd(m->port),
	    EV_READ | EV_PERSIST, modem_read_cb, m);
	m->ev_write = event_new(m->base, serial_fd(m->port), EV_WRITE,
	    modem_write_cb, m);
	event_add(m->ev_read, NULL);
	at_lexer_reset(m->lx);
	m->busy = 0;
	m->stalls = 0;
	modem_init_start(m);
}

void
modem_start(struct modem *m)
{
	modem_open(m);
}

/* Fail every queued command (the port is going away). */
static void
modem_flush_cmds(struct modem *m)
{
	struct modem_cmd	*c;

	evtimer_del(m->ev_timeout);
	/* a callback may queue a command: it is dropped with the rest, and
	 * never written meanwhile (its answer would end the first command
	 * of the initialization that follows: "SIM not usable: OK") */
	m->flushing = 1;
	while ((c = TAILQ_FIRST(&m->cmds)) != NULL) {
		TAILQ_REMOVE(&m->cmds, c, entry);
		if (c->on_done != NULL)
			c->on_done(m, c, NULL);
		free(c->line);
		free(c->prefix);
		free(c->data);
		free(c);
	}
	m->flushing = 0;
	m->busy = 0;
}

static void
modem_close(struct modem *m)
{
	modem_hunt_stop(m);
	evtimer_del(m->ev_health);
	evtimer_del(m->ev_retry);
	if (m->ev_read != NULL) {
		event_free(m->ev_read);
		m->ev_read = NULL;
	}
	if (m->ev_write != NULL) {
		event_free(m->ev_write);
		m->ev_write = NULL;
	}
	if (m->port != NULL) {
		serial_close(m->port);
		m->port = NULL;
	}
	evbuffer_drain(m->out, evbuffer_get_length(m->out));
	modem_flush_cmds(m);
	m->sending = 0;
	m->sweeping = 0;
	modem_sms_forget(m);
	evtimer_del(m->ev_ussd);
	/* a half answer from before would swallow lines of the next one */
	free(m->ussd_partial);
	m->ussd_partial = NULL;
	if (m->ussd_active) {
		m->ussd_active = 0;
		if (m->cb.ussd != NULL)
			m->cb.ussd(m, -1, "modem lost", m->arg);
	}
}

static void
modem_lost(struct modem *m, const char *why)
{
	modem_error(m, "port %s lost: %s", m->device, why);
	/* the state first: a send failing in the close below is requeued
	 * at once for another modem, not after a backoff */
	modem_set_state(m, MODEM_BACKOFF);
	modem_close(m);
	if (m->cfg.once) {
		modem_set_state(m, MODEM_FAILED);
		return;
	}
	modem_set_state(m, MODEM_BACKOFF);
	m->backoff = 1;
	modem_retry_in(m, 1000);
}

static void
modem_free_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem	*m = arg;

	(void)fd;
	(void)what;
	event_free(m->ev_timeout);
	event_free(m->ev_retry);
	event_free(m->ev_health);
	event_free(m->ev_ussd);
	evbuffer_free(m->out);
	at_lexer_free(m->lx);
	free(m->ussd_partial);
	free(m->name);
	free(m->device);
	free(m->conf_device);
	free(m->pin);
	free(m->open_error);
	free(m);
}

void
modem_free(struct modem *m)
{
	if (m == NULL || m->dead)
		return;
	m->dead = 1;
	memset(&m->cb, 0, sizeof m->cb);
	modem_close(m);
	/* freed from the loop: a callback up the stack may still hold m */
	event_base_once(m->base, -1, EV_TIMEOUT, modem_free_cb, m, NULL);
}

static void
modem_write(struct modem *m, const void *buf, size_t len)
{
	char	esc[512];

	log_trace(TRACE_AT, "modem=%s > %s", m->name,
	    log_escape(buf, len, esc, sizeof esc));
	evbuffer_add(m->out, buf, len);
	if (m->ev_write != NULL)
		event_add(m->ev_write, NULL);
}

static void
modem_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem	*m = arg;
	unsigned char	*p;
	size_t		 len;
	ssize_t		 n;

	(void)fd;
	(void)what;
	if (m->port == NULL)
		return;
	len = evbuffer_get_length(m->out);
	if (len == 0)
		return;
	p = evbuffer_pullup(m->out, (ev_ssize_t)len);
	n = serial_write(m->port, p, len);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR) {
			event_add(m->ev_write, NULL);
			return;
		}
		modem_lost(m, strerror(errno));
		return;
	}
	evbuffer_drain(m->out, (size_t)n);
	/* EV_WRITE only while output is queued */
	if (evbuffer_get_length(m->out) > 0)
		event_add(m->ev_write, NULL);
}

/* ---- commands ---------------------------------------------------------- */

/* A command not queued yet: for modem_cmd_first() or modem_cmd_turn(). */
struct modem_cmd *
modem_cmd_new(const char *line, const char *prefix, unsigned flags,
    int timeout, modem_line_cb on_line, modem_done_cb on_done)
{
	struct modem_cmd	*c;

	c = xcalloc(1, sizeof *c);
	c->line = xstrdup(line);
	c->prefix = prefix ? xstrdup(prefix) : NULL;
	c->flags = flags;
	c->timeout = timeout > 0 ? timeout : MODEM_T_CMD;
	c->on_line = on_line;
	c->on_done = on_done;
	return c;
}

struct modem_cmd *
modem_cmd(struct modem *m, const char *line, const char *prefix,
    unsigned flags, int timeout, modem_line_cb on_line, modem_done_cb on_done)
{
	struct modem_cmd	*c;

	c = modem_cmd_new(line, prefix, flags, timeout, on_line, on_done);
	modem_cmd_queue(m, c);
	return c;
}

/* Queue a command made by modem_cmd_new() at the end. */
void
modem_cmd_queue(struct modem *m, struct modem_cmd *c)
{
	TAILQ_INSERT_TAIL(&m->cmds, c, entry);
	modem_next(m);
}

/*
 * Queue a new command in front: next after the one in flight (a resync
 * must precede whatever else waits).
 */
void
modem_cmd_first(struct modem *m, struct modem_cmd *c)
{
	struct modem_cmd	*head = TAILQ_FIRST(&m->cmds);

	if (m->busy && head != NULL)
		TAILQ_INSERT_AFTER(&m->cmds, head, c, entry);
	else
		TAILQ_INSERT_HEAD(&m->cmds, c, entry);
	modem_next(m);
}

/*
 * Queue a submission so that sends and whatever else waits take turns:
 * after the command in flight, a resync, and at most one more waiting
 * command (a STOP being read goes first), not behind all of them.
 */
void
modem_cmd_turn(struct modem *m, struct modem_cmd *c)
{
	struct modem_cmd	*p = TAILQ_FIRST(&m->cmds), *after = NULL;

	if (p != NULL && m->busy) {
		after = p;
		p = TAILQ_NEXT(p, entry);
	}
	while (p != NULL && p->sync) {
		after = p;
		p = TAILQ_NEXT(p, entry);
	}
	if (p != NULL)
		after = p;
	if (after == NULL)
		TAILQ_INSERT_HEAD(&m->cmds, c, entry);
	else
		TAILQ_INSERT_AFTER(&m->cmds, after, c, entry);
	modem_next(m);
}

/*
 * Queue a storage command.  A passable one (a status report's read, a
 * delete) goes at the end; any other (the read of a text members sent)
 * ahead of the passable ones waiting, else at the end: a member's text,
 * a STOP or a call for help forwarded to the organizers, must not wait
 * behind the reports of a broadcast, which arrive one per message sent,
 * and their deletes.  Only passable commands are passed, so every other
 * order holds (sends, resyncs, other texts; the read of another memory
 * is one group, passable on its first command only).
 */
void
modem_cmd_read(struct modem *m, struct modem_cmd *c, int passable)
{
	struct modem_cmd	*p = TAILQ_FIRST(&m->cmds);

	c->passable = passable;
	if (passable)
		p = NULL;
	else if (p != NULL && m->busy)
		p = TAILQ_NEXT(p, entry);
	while (p != NULL && !p->passable)
		p = TAILQ_NEXT(p, entry);
	if (p == NULL)
		TAILQ_INSERT_TAIL(&m->cmds, c, entry);
	else
		TAILQ_INSERT_BEFORE(p, c, entry);
	modem_next(m);
}

static void
modem_arm(struct modem *m, int ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(m->ev_timeout, &tv);
}

static void
modem_next(struct modem *m)
{
	struct modem_cmd	*c;
	const char		*err;

	if (m->busy || m->flushing || m->port == NULL)
		return;
	if ((c = TAILQ_FIRST(&m->cmds)) == NULL)
		return;
	if ((err = at_lexer_cmd(m->lx, c->line, c->prefix, c->flags)) != NULL) {
		/* a command too long for the parser never goes out */
		log_warnx("modem=%s command refused: %s", m->name, err);
		TAILQ_REMOVE(&m->cmds, c, entry);
		if (c->on_done != NULL)
			c->on_done(m, c, NULL);
		free(c->line);
		free(c->prefix);
		free(c->data);
		free(c);
		if (!m->dead && m->port != NULL)
			modem_next(m);
		return;
	}
	/* after a timeout or a stray answer the line may be out of step:
	 * a late "+CMGR:" taken for another slot's would delete the wrong
	 * text, so a storage command waits for a resync */
	if (c->in_step && m->resync && !m->syncing &&
	    modem_sms_resync(m, NULL, NULL) == 0)
		return;	/* the resync went first */
	m->busy = 1;
	/* a resync first cancels a "> " the modem may be waiting in */
	if (c->sync)
		modem_write(m, "\x1b\r", 2);
	modem_write(m, c->line, strlen(c->line));
	modem_write(m, "\r", 1);
	modem_arm(m, (c->flags & AT_RESP_CTX_PROMPT) ? MODEM_T_PROMPT :
	    c->timeout);
}

/* The head command is over; run its callback and start the next one. */
static void
modem_finish(struct modem *m, const struct at_event *ev)
{
	struct modem_cmd	*c = TAILQ_FIRST(&m->cmds);

	evtimer_del(m->ev_timeout);
	if (c == NULL)
		return;
	TAILQ_REMOVE(&m->cmds, c, entry);
	m->busy = 0;
	if (c->on_done != NULL)
		c->on_done(m, c, ev);
	free(c->line);
	free(c->prefix);
	free(c->data);
	free(c);
	if (!m->dead)
		modem_next(m);
}

/*
 * 1 when a command's callback runs because the queue is dropped (the
 * port is going away, the modem restarts or is reset), not because the
 * command timed out: whoever dropped it decides what follows.  An
 * initialization step must not act on it: it took the drop for a
 * timeout and changed the state or armed the retry timer in the middle
 * of a reset (a reset left in "sim-wait" with no timer armed: the modem
 * was never initialized again), or failed the modem with a wrong reason
 * ("the modem refuses PDU mode").
 */
int
modem_cmd_dropped(const struct modem *m, const struct at_event *ev)
{
	return ev == NULL && m->flushing;
}

int
modem_final_ok(const struct at_event *ev)
{
	return ev != NULL && ev->type == AT_EV_FINAL &&
	    ev->resp.final == AT_FINAL_OK;
}

/* "timeout", "ERROR", "+CMS ERROR: 332 (network timeout)" */
const char *
modem_final_text(const struct at_event *ev, char *buf, size_t len)
{
	if (ev == NULL)
		return "no answer (timeout)";
	if (ev->resp.final == AT_FINAL_CMS || ev->resp.final == AT_FINAL_CME) {
		struct at_error_info ei;
		if (ev->resp.err >= 0) {
			at_error_classify(ev->resp.final == AT_FINAL_CMS ?
			    AT_ERROR_CMS : AT_ERROR_CME, ev->resp.err, &ei);
			snprintf(buf, len, "%s %d (%s)",
			    ev->resp.final == AT_FINAL_CMS ? "+CMS ERROR:" :
			    "+CME ERROR:", ev->resp.err, ei.name);
		} else
			snprintf(buf, len, "%.*s", (int)ev->len, ev->line);
		return buf;
	}
	snprintf(buf, len, "%.*s", (int)ev->len, ev->line);
	return buf;
}

/* Copy a possibly quoted value: "abc" -> abc. */
char *
modem_unquote(const char *s, size_t len, char *out, size_t outlen)
{
	while (len > 0 && (*s == ' ' || *s == '"')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '"'))
		len--;
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

static void
modem_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem		*m = arg;
	struct modem_cmd	*c = TAILQ_FIRST(&m->cmds);
	struct at_event		 ev;

	(void)fd;
	(void)what;
	if (c == NULL)
		return;
	log_debug("%s: modem=%s timeout on %s", __func__, m->name, c->line);
	/* a lost "> ": cancel the pending message with ESC */
	if ((c->flags & AT_RESP_CTX_PROMPT))
		modem_write(m, "\x1b", 1);
	at_lexer_flush(m->lx);
	while (at_lexer_next(m->lx, &ev))
		;	/* a half line from a stalled modem is not a result */
	at_lexer_cmd(m->lx, NULL, NULL, 0);
	m->stalls++;
	/* its answer may still come, and answer the next command */
	m->resync = 1;
	modem_finish(m, NULL);
	/* the callback may have given the port up (modem_fail) */
	if (m->port == NULL || m->dead)
		return;
	if (m->stalls >= MODEM_STALLS_RESET && m->info.state != MODEM_PROBING)
		modem_reset(m, "the modem stopped answering");
}

/* ---- reset and retry --------------------------------------------------- */

static void
modem_reset_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	(void)c;
	if (ev == NULL) {
		/* flushed by the reboot it caused: already re-initializing */
		if (m->info.state != MODEM_RESETTING || m->port == NULL)
			return;
		/* not even the reset was answered: reopen the port (it may
		 * come back under another name, through its by-id link) */
		modem_lost(m, "no answer to reset");
		return;
	}
	/* the modem reboots: give it time, then probe again */
	modem_retry_in(m, 8000);
}

/*
 * The modem forgot its settings (a reboot, a SIM change): drop what is
 * queued (a send in flight fails temporarily, so it is requeued at once:
 * the state says the modem is not ready) and initialize again.
 */
void
modem_restart(struct modem *m)
{
	if (m->port == NULL)
		return;
	modem_set_state(m, MODEM_PROBING);
	modem_flush_cmds(m);
	m->sending = 0;
	modem_sms_forget(m);
	/* a USSD session is gone with it: said now, not 30 s later as
	 * "no answer from the network" */
	modem_ussd_abort(m, "the modem restarted");
	if (m->port != NULL && !m->dead)
		modem_init_start(m);
}

void
modem_reset(struct modem *m, const char *why)
{
	if (m->info.state == MODEM_RESETTING || m->port == NULL || m->dead)
		return;
	modem_error(m, "resetting: %s", why);
	/* the state first: a send failing in the flush below is then
	 * requeued at once for another modem */
	modem_set_state(m, MODEM_RESETTING);
	modem_flush_cmds(m);
	if (m->port == NULL || m->dead)
		return;	/* a callback gave the modem up meanwhile */
	modem_sms_forget(m);
	modem_ussd_abort(m, "the modem is being reset");
	m->stalls = 0;
	m->sending = 0;
	evtimer_del(m->ev_health);
	evtimer_del(m->ev_retry);
	modem_write(m, "\x1b", 1);
	modem_cmd(m, m->quirks && m->quirks->reset ? m->quirks->reset :
	    "AT+CFUN=1,1", NULL, 0, 10000, NULL, modem_reset_done);
}

static void
modem_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem	*m = arg;

	(void)fd;
	(void)what;
	switch (m->info.state) {
	case MODEM_BACKOFF:
	case MODEM_FAILED:
	case MODEM_CLOSED:
		if (m->port == NULL) {
			modem_open(m);
			break;
		}
		modem_init_start(m);
		break;
	case MODEM_RESETTING:
		at_lexer_reset(m->lx);
		modem_init_start(m);
		break;
	case MODEM_SIM_WAIT:
		modem_init_sim(m);
		break;
	case MODEM_INIT:
		modem_init_start(m);
		break;
	case MODEM_REGISTERING:
		modem_init_registration(m);
		break;
	default:
		break;
	}
}

static void
modem_health_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem	*m = arg;
	struct timeval	 tv = { m->cfg.health_sec, 0 };

	(void)fd;
	(void)what;
	if (m->info.state == MODEM_READY)
		modem_init_health(m);
	evtimer_add(m->ev_health, &tv);
}

struct modem_flush {
	void	(*done)(struct modem *, void *);
	void	*arg;
};

static void
modem_flush_done(struct modem *m, struct modem_cmd *c,
    const struct at_event *ev)
{
	struct modem_flush	*f = c->ptr;

	(void)ev;
	f->done(m, f->arg);
	free(f);
}

void
modem_flush(struct modem *m, void (*done)(struct modem *, void *), void *arg)
{
	struct modem_flush	*f;
	struct modem_cmd	*c;

	if (m->port == NULL) {
		done(m, arg);
		return;
	}
	f = xmalloc(sizeof *f);
	f->done = done;
	f->arg = arg;
	c = modem_cmd(m, "AT", NULL, 0, 0, NULL, modem_flush_done);
	c->ptr = f;
}

void
modem_poll(struct modem *m)
{
	if (m->info.state == MODEM_READY)
		modem_init_health(m);
}

/* ---- input ------------------------------------------------------------- */

static void
modem_urc(struct modem *m, const struct at_event *ev)
{
	const struct at_resp	*r = &ev->resp;

	/* time reports first: vendor profiles drop some as chatter */
	if ((r->urc == AT_URC_NOISE || r->urc == AT_URC_OTHER) &&
	    modem_clock_urc(m, ev))
		return;
	if (modem_quirks_ignored(m->quirks, ev->line))
		return;
	if (m->ussd_partial != NULL && r->urc == AT_URC_OTHER) {
		/* the rest of a multi-line +CUSD answer; recognised URCs
		 * (+CMTI, RDY...) are still handled below */
		modem_ussd_urc(m, ev);
		return;
	}
	switch (r->urc) {
	case AT_URC_NEW_MSG_INDEX:
	case AT_URC_MSG:
	case AT_URC_STATUS_REPORT:
	case AT_URC_STATUS_REPORT_INDEX:
	case AT_URC_MEM_FULL:
		modem_sms_urc(m, ev);
		break;
	case AT_URC_USSD:
		modem_ussd_urc(m, ev);
		break;
	case AT_URC_REG:
		modem_init_reg_urc(m, r);
		break;
	case AT_URC_BOOT:
		/* RDY, SMS Ready, +QIND: SMS DONE, +CFUN: 1: the modem
		 * restarted and forgot its settings */
		if (m->info.state == MODEM_PROBING ||
		    m->info.state == MODEM_INIT)
			break;
		log_info("modem=%s event=reboot urc=\"%.*s\"", m->name,
		    (int)ev->len, ev->line);
		if (m->info.state == MODEM_RESETTING)
			evtimer_del(m->ev_retry);
		modem_restart(m);
		break;
	case AT_URC_SIM_STATUS:
		if (m->info.state == MODEM_READY &&
		    strstr(ev->line, "READY") == NULL &&
		    strstr(ev->line, "1") == NULL) {
			modem_error(m, "SIM status changed: %.*s",
			    (int)ev->len, ev->line);
			modem_restart(m);
		}
		break;
	default:
		log_debug("%s: modem=%s ignored \"%.*s\"", __func__, m->name,
		    (int)ev->len, ev->line);
		break;
	}
}

static void
modem_event(struct modem *m, const struct at_event *ev)
{
	struct modem_cmd	*c = m->busy ? TAILQ_FIRST(&m->cmds) : NULL;

	switch (ev->type) {
	case AT_EV_ECHO:
		break;
	case AT_EV_OVERFLOW:
		log_warnx("modem=%s overlong line dropped", m->name);
		break;
	case AT_EV_PROMPT:
		if (c != NULL && c->prompted)
			break;
		if (c == NULL || c->data == NULL) {
			/* a late or stray "> ": the modem waits for a PDU
			 * and would swallow the next command; cancel it */
			log_debug("%s: modem=%s unexpected prompt", __func__,
			    m->name);
			modem_write(m, "\x1b", 1);
			m->resync = 1;
			break;
		}
		c->prompted = 1;
		modem_write(m, c->data, strlen(c->data));
		modem_write(m, "\x1a", 1);
		evtimer_del(m->ev_timeout);
		modem_arm(m, MODEM_T_SUBMIT);
		break;
	case AT_EV_INTERMEDIATE:
		if (c == NULL)
			break;
		if (c->first[0] == '\0')
			snprintf(c->first, sizeof c->first, "%.*s",
			    (int)ev->len, ev->line);
		if (c->on_line != NULL)
			c->on_line(m, c, ev);
		break;
	case AT_EV_FINAL:
		m->stalls = 0;
		if (c == NULL) {
			/* a stray OK: a late answer, or one too many */
			log_debug("%s: modem=%s unsolicited \"%.*s\"",
			    __func__, m->name, (int)ev->len, ev->line);
			m->resync = 1;
			break;
		}
		if (c->sync && c->first[0] == '\0') {
			/* an answer to something before the resync: its
			 * own (the +CMGF: line, then a final) is to come */
			if (c->late_mr >= 0 && modem_final_ok(ev))
				c->late_ok = 1;
			log_debug("%s: modem=%s resync: skipped \"%.*s\"",
			    __func__, m->name, (int)ev->len, ev->line);
			(void)at_lexer_cmd(m->lx, c->line, c->prefix,
			    c->flags);
			break;
		}
		modem_finish(m, ev);
		break;
	case AT_EV_URC:
		if (c != NULL && c->sync)
			modem_sms_sync_urc(m, ev);
		modem_urc(m, ev);
		break;
	}
}

static void
modem_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem	*m = arg;
	struct at_event	 ev;
	unsigned char	 buf[1024];
	char		 esc[2048];
	ssize_t		 n;
	size_t		 off, k;

	(void)fd;
	(void)what;
	n = serial_read(m->port, buf, sizeof buf);
	if (n == 0) {
		modem_lost(m, "end of file (device unplugged?)");
		return;
	}
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		modem_lost(m, strerror(errno));
		return;
	}
	log_trace(TRACE_AT, "modem=%s < %s", m->name,
	    log_escape(buf, (size_t)n, esc, sizeof esc));
	for (off = 0;;) {
		int drained = 0;

		k = at_lexer_push(m->lx, buf + off, (size_t)n - off);
		off += k;
		while (at_lexer_next(m->lx, &ev)) {
			drained = 1;
			modem_event(m, &ev);
			if (m->port == NULL || m->dead)
				return;
		}
		if (off >= (size_t)n || (k == 0 && !drained))
			break;
	}
}
