/*
 * gateway/ctl.c — the control socket: live state and wake-ups for the
 * CLI.  The protocol itself (framing, verbs, arity) is the pure codec in
 * ctl_proto.c; this file owns the listener and the clients.
 *
 * Hardening, as OpenSMTPD and tmux do it: the daemon refuses to start
 * when the socket path answers a connect (another daemon is live) or
 * holds anything but a stale socket (never delete a file that is not
 * ours), and removes at exit only the socket it bound; the socket is
 * created mode 0660 under a restrictive umask; the peer's credentials
 * (SO_PEERCRED) decide whether state-changing verbs are allowed (root,
 * the daemon's user, or the configured group) and how many connections
 * a uid may hold; accept backs off on EMFILE instead of dying.  A
 * malformed request gets a 400 line; one line too long, or a client
 * speaking another version, is answered and closed, and never affects the
 * daemon.  A client is dropped when idle for client_timeout or when its
 * unread replies pass CTL_OUTPUT_MAX, so no client holds a slot or the
 * daemon's memory for ever.
 */
#define _GNU_SOURCE	/* SO_PEERCRED, struct ucred, accept4 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "ctl_proto.h"
#include "gateway.h"
#include "log.h"
#include "nettime.h"

/* what the organizers hear before a WIPE ... destroy */
#define CTL_WIPE_NOTICE	"Panic wipe: the SMS gateway is destroying its " \
	"data now (members, texts, history). It stops sending after this."

/*
 * Connection slots.  One uid may hold CTL_CLIENTS_PER_UID of them, and
 * the last CTL_CLIENTS_RESERVED are kept for root and the daemon's own
 * user, so one user (or a runaway script) can neither lock out the
 * others nor the administrator.  Over the limit a connection is accepted,
 * told why in one final line, and closed: the listen backlog never fills
 * while the daemon runs, so a CLI never waits in connect().
 */
#define CTL_CLIENTS_MAX		64
#define CTL_CLIENTS_PER_UID	16
#define CTL_CLIENTS_RESERVED	4
/* A client that does not read its replies is dropped past this. */
#define CTL_OUTPUT_MAX		(1024 * 1024)

struct ctl_client {
	TAILQ_ENTRY(ctl_client)	 entry;
	struct ctl		*ctl;
	struct bufferevent	*bev;
	uid_t			 uid;
	gid_t			 gid;
	int			 hello;
	unsigned long long	 reqno;
	int			 closing;
	int			 eof;		/* it sends no more: answer
						 * what it sent, then close */
	int			 dead;		/* freed by the reaper */
	struct event		*ev_idle;
	/* an answer that arrives later (USSD) */
	struct gw_modem		*ussd;
	unsigned long long	 ussd_reqno;
	char			 ussd_modem[64];
	/* tambuli balance: the modems asked (bits) and those not answered */
	unsigned		 balance_mask, balance_wait;
	unsigned long long	 balance_reqno;
	int64_t			 watch;		/* broadcast id, or 0 */
};
TAILQ_HEAD(ctl_clients, ctl_client);

struct ctl {
	struct gw		*gw;
	char			*path;
	dev_t			 dev;		/* of the socket we bound */
	ino_t			 ino;
	int			 fd;
	struct event		*ev_accept;
	struct event		*ev_resume;
	struct event		*ev_reap;	/* frees dead clients */
	int64_t			 refused_at;	/* last refusal logged */
	unsigned long		 refused;	/* refusals not logged */
	struct ctl_clients	 clients;
	int			 nclients;
	gid_t			 group;
	int			 has_group;
};

static void	ctl_read_cb(struct bufferevent *, void *);
static void	ctl_event_cb(struct bufferevent *, short, void *);
static void	ctl_drop(struct ctl_client *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* ---- output ------------------------------------------------------------ */

static void
ctl_send(struct ctl_client *c, const char *line)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);

	if (c->dead)
		return;
	bufferevent_write(c->bev, line, strlen(line));
	if (evbuffer_get_length(out) > CTL_OUTPUT_MAX)
		ctl_drop(c, "unread", "pending=%zu", evbuffer_get_length(out));
}

static void
ctl_final(struct ctl_client *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ctl_final(struct ctl_client *c, int code, const char *fmt, ...)
{
	char	text[1024], line[1100];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (ctl_proto_format_final(code, text, line, sizeof line) == -1)
		ctl_proto_format_final(code, "(reply too long)", line,
		    sizeof line);
	ctl_send(c, line);
}

static void
ctl_body(struct ctl_client *c, const char *text)
{
	char	line[CTL_PROTO_LINE_MAX + 8];

	if (ctl_proto_format_body(text, strlen(text), line, sizeof line) ==
	    -1)
		return;
	ctl_send(c, line);
}

static void
ctl_begin(struct ctl_client *c, unsigned long long reqno)
{
	char	line[64];

	ctl_proto_format_begin(reqno, line, sizeof line);
	ctl_send(c, line);
}

static void
ctl_end(struct ctl_client *c, unsigned long long reqno)
{
	char	line[64];

	ctl_proto_format_end(reqno, line, sizeof line);
	ctl_send(c, line);
}

/*
 * Free the client from the reaper, a callback of its own: the caller may
 * be in the middle of a loop over the clients or a read callback that
 * still looks at this one.
 */
static void
ctl_kill(struct ctl_client *c)
{
	c->closing = c->dead = 1;
	bufferevent_disable(c->bev, EV_READ | EV_WRITE);
	event_active(c->ctl->ev_reap, EV_TIMEOUT, 1);
}

/* Drop a client at once, whatever it has not read; logged once. */
static void
ctl_drop(struct ctl_client *c, const char *reason, const char *fmt, ...)
{
	char	detail[128];
	va_list	ap;

	if (c->dead)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	log_info("control client dropped uid=%u reason=%s %s",
	    (unsigned)c->uid, reason, detail);
	ctl_kill(c);
}

/* Close once what was written has drained. */
static void
ctl_close_client(struct ctl_client *c)
{
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		ctl_kill(c);
}

/*
 * The idle timer: a client that sent no complete request for
 * client_timeout is dropped, unless it waits for something the daemon
 * owes it (a USSD answer, the progress of a broadcast still to be sent:
 * watching one that does not exist or is over is idle).  A client closing
 * with replies it never reads is dropped the same way.
 */
static void
ctl_idle_arm(struct ctl_client *c)
{
	struct timeval	tv = { 30, 0 };

	if (c->ctl->gw->conf != NULL && c->ctl->gw->conf->client_timeout > 0)
		tv.tv_sec = (time_t)c->ctl->gw->conf->client_timeout;
	evtimer_add(c->ev_idle, &tv);
}

/* Does the client watch a broadcast that will still make progress? */
static int
ctl_watch_live(struct ctl_client *c)
{
	struct broadcast	b;
	int			rc, live;

	if (c->watch == 0)
		return 0;
	rc = broadcast_get(c->ctl->gw->db, c->watch, &b);
	if (rc == -1)
		return 1;	/* not the client's fault; ask again later */
	if (rc == 1)
		return 0;
	live = strcmp(b.state, "done") != 0 && strcmp(b.state,
	    "cancelled") != 0;
	broadcast_clear(&b);
	return live;
}

static void
ctl_idle_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_client	*c = arg;

	(void)fd;
	(void)what;
	if (c->dead)
		return;
	if (c->closing) {
		ctl_drop(c, "unread", "pending=%zu",
		    evbuffer_get_length(bufferevent_get_output(c->bev)));
		return;
	}
	if (c->ussd_reqno != 0 || c->balance_reqno != 0 ||
	    ctl_watch_live(c)) {
		ctl_idle_arm(c);
		return;
	}
	ctl_drop(c, "idle", "timeout=%llds", c->ctl->gw->conf != NULL ?
	    c->ctl->gw->conf->client_timeout : 30LL);
}

/* ---- verbs ------------------------------------------------------------- */

static struct gw_modem *
ctl_modem(struct ctl *ctl, const char *name, int ready)
{
	struct gw_modem	*gm;

	TAILQ_FOREACH(gm, &ctl->gw->modems, entry) {
		if (name != NULL && strcmp(name, "-") != 0 &&
		    strcmp(gm->name, name) != 0)
			continue;
		if (ready && modem_info(gm->m)->state != MODEM_READY)
			continue;
		return gm;
	}
	return NULL;
}

/* The credit watch keys of a modem, appended to kv (status, balance). */
static size_t
ctl_credit_kv(struct gw_modem *gm, const char **kv, size_t n,
    char nums[3][32])
{
	const struct gw_credit	*cr = &gm->credit;

	kv[n++] = "balance_code";
	kv[n++] = gm->cm != NULL && gm->cm->balance != NULL ?
	    gm->cm->balance : "";
	if (cr->has_amount)
		snprintf(nums[0], sizeof nums[0], "%.2f", cr->amount);
	else
		nums[0][0] = '\0';
	kv[n++] = "balance_amount";
	kv[n++] = nums[0];
	kv[n++] = "balance_text";
	kv[n++] = cr->text != NULL ? cr->text : "";
	snprintf(nums[1], sizeof nums[1], "%lld", (long long)cr->checked_at);
	kv[n++] = "balance_checked_at";
	kv[n++] = nums[1];
	kv[n++] = "balance_low";
	kv[n++] = cr->low ? "yes" : "no";
	snprintf(nums[2], sizeof nums[2], "%lld", (long long)cr->no_credit_at);
	kv[n++] = "no_credit_at";
	kv[n++] = nums[2];
	kv[n++] = "balance_error";
	kv[n++] = cr->error;
	return n;
}

/* Quote kv[0..n) into one body line. */
static void
ctl_body_kv(struct ctl_client *c, const char **kv, size_t n)
{
	char	line[CTL_PROTO_LINE_MAX];
	size_t	k, o = 0;

	for (k = 0; k < n && o < sizeof line - 1; k++) {
		if (k > 0)
			line[o++] = ' ';
		if (ctl_proto_quote(kv[k], line + o, sizeof line - o) == -1)
			break;
		o += strlen(line + o);
	}
	line[o] = '\0';
	ctl_body(c, line);
}

/* One body line per modem: "modem NAME key value ...", quoted. */
static void
ctl_status_modem(struct ctl_client *c, struct gw_modem *gm)
{
	const struct modem_info	*i = modem_info(gm->m);
	char			 line[CTL_PROTO_LINE_MAX];
	const char		*kv[96];
	size_t			 n = 0, k, o = 0;
	char			 nums[6][32], caps[8][32], cred[3][32];
	char			 clk[3][32];
	struct modem_time	 mt;
	int64_t			 now;

	kv[n++] = "modem";
	kv[n++] = gm->name;
#define CTL_KV(k, v) do { kv[n++] = (k); kv[n++] = (v); } while (0)
	CTL_KV("state", modem_state_name(i->state));
	CTL_KV("manufacturer", i->manufacturer);
	CTL_KV("model", i->model);
	CTL_KV("operator", i->operator_name);
	snprintf(nums[0], sizeof nums[0], "%d", i->signal_dbm);
	CTL_KV("signal", nums[0]);
	CTL_KV("registration", i->reg >= 0 ? modem_reg_name(i->reg) : "");
	snprintf(nums[1], sizeof nums[1], "%d", i->storage_used);
	CTL_KV("storage_used", nums[1]);
	snprintf(nums[2], sizeof nums[2], "%d", i->storage_total);
	CTL_KV("storage_total", nums[2]);
	snprintf(nums[3], sizeof nums[3], "%lu", i->sent);
	CTL_KV("sent", nums[3]);
	snprintf(nums[4], sizeof nums[4], "%lu", i->failed);
	CTL_KV("failed", nums[4]);
	snprintf(nums[5], sizeof nums[5], "%lu", i->received);
	CTL_KV("received", nums[5]);
	CTL_KV("busy", gm->busy ? "yes" : "no");
	CTL_KV("last_error", i->last_error);
	now = gw_now();
	(void)sched_cap_wait(gm, now);	/* rolls the windows */
	snprintf(caps[0], sizeof caps[0], "%.1f", sched_rate(gm, now));
	CTL_KV("rate", caps[0]);
	snprintf(caps[1], sizeof caps[1], "%ld", gm->used_day);
	CTL_KV("today", caps[1]);
	snprintf(caps[2], sizeof caps[2], "%ld", gm->used_hour);
	CTL_KV("this_hour", caps[2]);
	snprintf(caps[3], sizeof caps[3], "%ld", gm->used_min);
	CTL_KV("this_minute", caps[3]);
	snprintf(caps[4], sizeof caps[4], "%d", gm->cm ? gm->cm->per_day : 0);
	CTL_KV("cap_day", caps[4]);
	snprintf(caps[5], sizeof caps[5], "%d", gm->cm ? gm->cm->per_hour : 0);
	CTL_KV("cap_hour", caps[5]);
	snprintf(caps[6], sizeof caps[6], "%d", gm->cm ? gm->cm->per_minute :
	    0);
	CTL_KV("cap_minute", caps[6]);
	snprintf(caps[7], sizeof caps[7], "%lld", gm->capped_until > now ?
	    (long long)(gm->capped_until - now) : 0LL);
	CTL_KV("capped_for", caps[7]);
	if (modem_network_time(gm->m, &mt) == 0) {
		/* the system clock minus the network's time */
		snprintf(clk[0], sizeof clk[0], "%lld", (long long)mt.network);
		CTL_KV("clock_network", clk[0]);
		snprintf(clk[1], sizeof clk[1], "%lld",
		    (long long)(now - mt.network));
		CTL_KV("clock_offset", clk[1]);
		snprintf(clk[2], sizeof clk[2], "%d", mt.tz);
		CTL_KV("clock_tz", clk[2]);
		CTL_KV("clock_source", nettime_source_name(mt.source));
		CTL_KV("clock_confirmed", mt.confirmed ? "yes" : "no");
	}
#undef CTL_KV
	n = ctl_credit_kv(gm, kv, n, cred);
	for (k = 0; k < n && o < sizeof line - 1; k++) {
		if (k > 0)
			line[o++] = ' ';
		if (ctl_proto_quote(kv[k], line + o, sizeof line - o) == -1)
			break;
		o += strlen(line + o);
	}
	line[o] = '\0';
	ctl_body(c, line);
}

/*
 * Texts, reports and outcomes the database has not taken yet.  A held
 * text counts while it is being tried (it failed in the last
 * GW_ORDER_WAIT seconds): one that left the SIM some other way, or came
 * without a slot, stays held for its sender but is not a failing write.
 */
static size_t
ctl_held(const struct gw *gw)
{
	const struct gw_modem	*gm;
	size_t			 i, n = gw->nreports + gw->nshown +
				    (gw->held_overflow ? 1 : 0);

	/* a text without a slot counts as a shown one while tried */
	for (i = 0; i < gw->nheld; i++)
		if (gw->held[i].index >= 0 &&
		    gw_mono() - gw->held[i].failed_at <= gw->order_wait)
			n++;
	TAILQ_FOREACH(gm, &gw->modems, entry)
		if (gm->ev_pending != NULL &&
		    evtimer_pending(gm->ev_pending, NULL))
			n++;
	return n;
}

static void
ctl_do_status(struct ctl_client *c, const struct ctl_request *req)
{
	struct gw_modem	*gm;
	char		 line[512];
	long		 depth = 0, bcs = 0;
	size_t		 held;

	if (req->argc == 1 && ctl_modem(c->ctl, req->argv[0].s, 0) == NULL) {
		ctl_final(c, CTL_CODE_NOT_FOUND, "no modem called %s",
		    req->argv[0].s);
		return;
	}
	(void)outbox_depth(c->ctl->gw->db, &depth, &bcs);
	ctl_begin(c, c->reqno);
	TAILQ_FOREACH(gm, &c->ctl->gw->modems, entry) {
		if (req->argc == 1 && strcmp(gm->name, req->argv[0].s) != 0)
			continue;
		ctl_status_modem(c, gm);
	}
	snprintf(line, sizeof line, "queue %ld broadcasts %ld", depth, bcs);
	ctl_body(c, line);
	/* commits failing (the disk full): texts wait on the SIM, nothing
	 * is sent; the one place an organizer sees it without the log */
	if ((held = ctl_held(c->ctl->gw)) > 0) {
		snprintf(line, sizeof line, "database held %zu error ", held);
		if (ctl_proto_quote(c->ctl->gw->held_err, line + strlen(line),
		    sizeof line - strlen(line)) != -1)
			ctl_body(c, line);
	}
	purge_status(c->ctl->gw, line, sizeof line);
	ctl_body(c, line);
	ctl_end(c, c->reqno);
	ctl_final(c, CTL_CODE_OK, "ok");
}

static void
ctl_ussd_answer(struct ctl_client *c, int status, const char *text)
{
	char		 buf[4096];
	const char	*p, *nl;

	if (c->ussd != NULL)
		strlcpy(c->ussd_modem, c->ussd->name, sizeof c->ussd_modem);
	c->ussd = status == 1 ? c->ussd : NULL;
	if (status < 0) {
		ctl_final(c, CTL_CODE_UNAVAILABLE, "%s", text);
	} else {
		ctl_begin(c, c->ussd_reqno);
		for (p = text ? text : ""; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (nl == NULL)
				nl = p + strlen(p);
			snprintf(buf, sizeof buf, "%.*s", (int)(nl - p), p);
			ctl_body(c, buf);
			if (*nl == '\0')
				break;
		}
		ctl_end(c, c->ussd_reqno);
		ctl_final(c, CTL_CODE_OK, "%d %s %s", status,
		    status == 1 ? "menu" : "done", c->ussd_modem);
	}
	c->ussd_reqno = 0;
	if (c->dead)
		return;
	ctl_idle_arm(c);	/* its time to answer starts now */
	if (!c->eof)
		bufferevent_enable(c->bev, EV_READ);
	/* requests that arrived meanwhile wait in the input buffer */
	ctl_read_cb(c->bev, c);
}

/* A USSD answer from a modem: to the client waiting on it. */
static void
ctl_ussd_cb(struct modem *m, int status, const char *text, void *arg)
{
	struct gw_modem		*gm = arg;
	struct ctl		*ctl = gm->gw->ctl;
	struct ctl_client	*c;

	(void)m;
	if (ctl == NULL)
		return;
	TAILQ_FOREACH(c, &ctl->clients, entry) {
		if (c->ussd == gm && c->ussd_reqno != 0 && !c->dead) {
			ctl_ussd_answer(c, status, text);
			return;
		}
	}
	log_info("modem=%s ussd answer with nobody waiting", gm->name);
}

static void
ctl_do_ussd(struct ctl_client *c, const struct ctl_request *req)
{
	struct gw_modem	*gm;
	struct ctl_client *o;

	gm = ctl_modem(c->ctl, req->argv[0].s, 1);
	if (gm == NULL) {
		ctl_final(c, CTL_CODE_UNAVAILABLE, "no ready modem%s%s",
		    strcmp(req->argv[0].s, "-") ? " called " : "",
		    strcmp(req->argv[0].s, "-") ? req->argv[0].s : "");
		return;
	}
	TAILQ_FOREACH(o, &c->ctl->clients, entry) {
		if (o != c && o->ussd == gm) {
			ctl_final(c, CTL_CODE_BUSY, "modem %s is in another "
			    "USSD session", gm->name);
			return;
		}
	}
	if (gm->credit.state == CREDIT_ASKING) {
		ctl_final(c, CTL_CODE_BUSY, "modem %s is checking its balance; "
		    "try again in a moment", gm->name);
		return;
	}
	if (req->verb == CTL_VERB_USSD_CANCEL) {
		modem_ussd_cancel(gm->m);
		c->ussd = NULL;
		ctl_final(c, CTL_CODE_OK, "cancelled");
		return;
	}
	c->ussd = gm;
	c->ussd_reqno = c->reqno;
	/* hold further requests: replies must come in order */
	bufferevent_disable(c->bev, EV_READ);
	if (req->verb == CTL_VERB_USSD)
		modem_ussd(gm->m, req->argv[1].s);
	else
		modem_ussd_reply(gm->m, req->argv[1].s);
}

/* Every modem asked has answered: one body line each, then the final. */
static void
ctl_balance_reply(struct ctl_client *c)
{
	struct gw_modem	*gm;
	const char	*kv[32], *err = NULL;
	char		 nums[3][32];
	size_t		 n;
	int		 nmodems = 0, nerr = 0;

	ctl_begin(c, c->balance_reqno);
	TAILQ_FOREACH(gm, &c->ctl->gw->modems, entry) {
		if (!(c->balance_mask & gm->credit.bit))
			continue;
		n = 0;
		kv[n++] = "balance";
		kv[n++] = gm->name;
		n = ctl_credit_kv(gm, kv, n, nums);
		ctl_body_kv(c, kv, n);
		nmodems++;
		if (gm->credit.error[0] != '\0') {
			nerr++;
			err = gm->credit.error;
		}
	}
	ctl_end(c, c->balance_reqno);
	if (nmodems == 1 && nerr == 1)
		ctl_final(c, CTL_CODE_UNAVAILABLE, "%s", err);
	else if (nerr > 0)
		ctl_final(c, CTL_CODE_UNAVAILABLE, "%d of %d balance checks "
		    "failed", nerr, nmodems);
	else
		ctl_final(c, CTL_CODE_OK, "ok");
	c->balance_reqno = 0;
	c->balance_mask = c->balance_wait = 0;
	if (c->dead)
		return;
	ctl_idle_arm(c);
	if (!c->eof)
		bufferevent_enable(c->bev, EV_READ);
	ctl_read_cb(c->bev, c);
}

/* A modem's balance check is over: to the clients waiting on it. */
void
ctl_balance_done(struct ctl *ctl, struct gw_modem *gm)
{
	struct ctl_client	*c;

	if (ctl == NULL)
		return;
	TAILQ_FOREACH(c, &ctl->clients, entry) {
		if (c->dead || c->balance_reqno == 0 ||
		    !(c->balance_wait & gm->credit.bit))
			continue;
		c->balance_wait &= ~gm->credit.bit;
		if (c->balance_wait == 0)
			ctl_balance_reply(c);
	}
}

/*
 * BALANCE MODEM|-: check now; the reply comes when every modem asked has
 * answered (a modem sending a message checks right after it).  "-" asks
 * every modem with a balance code.
 */
static void
ctl_do_balance(struct ctl_client *c, const struct ctl_request *req)
{
	struct gw_modem	*gm;
	const char	*name = req->argv[0].s, *err;
	int		 all = strcmp(name, "-") == 0;

	c->balance_mask = c->balance_wait = 0;
	TAILQ_FOREACH(gm, &c->ctl->gw->modems, entry) {
		if (all ? gm->cm == NULL || gm->cm->balance == NULL :
		    strcmp(gm->name, name) != 0)
			continue;
		c->balance_mask |= gm->credit.bit;
		if (credit_ask(gm, &err) == -1) {
			if (!all) {
				ctl_final(c, gm->cm == NULL ||
				    gm->cm->balance == NULL ?
				    CTL_CODE_NOT_FOUND : CTL_CODE_UNAVAILABLE,
				    "modem %s: %s", gm->name, err);
				c->balance_mask = 0;
				return;
			}
			snprintf(gm->credit.error, sizeof gm->credit.error,
			    "%s", err);
		} else
			c->balance_wait |= gm->credit.bit;
	}
	if (c->balance_mask == 0) {
		if (all)
			ctl_final(c, CTL_CODE_NOT_FOUND, "no modem has a "
			    "balance code (balance = in a [modem] section)");
		else
			ctl_final(c, CTL_CODE_NOT_FOUND, "no modem called %s",
			    name);
		return;
	}
	c->balance_reqno = c->reqno;
	if (c->balance_wait == 0) {
		ctl_balance_reply(c);
		return;
	}
	/* hold further requests: replies must come in order */
	bufferevent_disable(c->bev, EV_READ);
}

/*
 * May this client change state?  Root, the daemon's own user, or a member
 * of the organizers' group: SO_PEERCRED gives only the primary group, so
 * the peer's supplementary groups are looked up too.
 */
static int
ctl_allowed(const struct ctl_client *c)
{
	const struct passwd	*pw;
	gid_t			 groups[64];
	int			 n = 64, i;

	if (c->uid == 0 || c->uid == geteuid())
		return 1;
	if (!c->ctl->has_group)
		return 0;
	if (c->gid == c->ctl->group)
		return 1;
	if ((pw = getpwuid(c->uid)) == NULL ||
	    getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == c->ctl->group)
			return 1;
	return 0;
}

static void
ctl_dispatch(struct ctl_client *c, const char *line, size_t len)
{
	struct ctl_request		*req;
	const struct ctl_proto_verb	*v;
	const char			*err, *bad;
	struct gw			*gw = c->ctl->gw;
	int				 mask, destroy;

	c->reqno++;
	req = xmalloc(sizeof *req);
	if (ctl_proto_parse(line, len, req, &err) == -1) {
		ctl_final(c, CTL_CODE_BAD_REQUEST, "%s", err);
		goto out;
	}
	log_trace(TRACE_CTL, "ctl uid=%u %s", (unsigned)c->uid,
	    ctl_proto_verb_name(req->verb));
	if (req->verb != CTL_VERB_HELLO && !c->hello) {
		ctl_final(c, CTL_CODE_BAD_REQUEST, "say HELLO first");
		goto out;
	}
	v = ctl_proto_verb(req->verb);
	if (v != NULL && (v->flags & CTL_PROTO_F_PRIVILEGED) &&
	    !ctl_allowed(c)) {
		ctl_final(c, CTL_CODE_NOT_ALLOWED, "%s is not allowed for uid "
		    "%u", v->name, (unsigned)c->uid);
		goto out;
	}
	switch (req->verb) {
	case CTL_VERB_HELLO:
		if (req->argv[1].n != CTL_PROTO_VERSION) {
			ctl_final(c, CTL_CODE_VERSION, "tambulid speaks version "
			    "%d", CTL_PROTO_VERSION);
			ctl_close_client(c);
			goto out;
		}
		c->hello = 1;
		ctl_final(c, CTL_CODE_HELLO, "tambulid %d", CTL_PROTO_VERSION);
		break;
	case CTL_VERB_STATUS:
		/* a health check: is the database still the file opened? */
		dbfile_poll(gw->dbf);
		ctl_do_status(c, req);
		break;
	case CTL_VERB_KICK:
		sched_kick(gw);
		ctl_final(c, CTL_CODE_OK, "ok");
		break;
	case CTL_VERB_WATCH:
		c->watch = req->argv[0].n;
		ctl_final(c, CTL_CODE_OK, "watching broadcast %lld",
		    (long long)c->watch);
		break;
	case CTL_VERB_USSD:
	case CTL_VERB_USSD_REPLY:
	case CTL_VERB_USSD_CANCEL:
		ctl_do_ussd(c, req);
		break;
	case CTL_VERB_BALANCE:
		ctl_do_balance(c, req);
		break;
	case CTL_VERB_TRACE:
		if (strcmp(req->argv[0].s, "none") == 0)
			mask = 0;
		else if ((mask = log_parse_traces(req->argv[0].s, &bad)) ==
		    -1) {
			ctl_final(c, CTL_CODE_BAD_REQUEST, "unknown trace %s "
			    "(at, db, ctl, sched, all, none)", bad);
			break;
		}
		log_set_traces(mask);
		ctl_final(c, CTL_CODE_OK, "traces set");
		break;
	case CTL_VERB_LOG_DEBUG:
		gw_debug(gw, strcmp(req->argv[0].s, "on") == 0,
		    "LOG-DEBUG request");
		ctl_final(c, CTL_CODE_OK, "debug %s", req->argv[0].s);
		break;
	case CTL_VERB_RELOAD:
		raise(SIGHUP);
		ctl_final(c, CTL_CODE_OK, "reloading");
		break;
	case CTL_VERB_QUIT:
		ctl_final(c, CTL_CODE_OK, "bye");
		ctl_close_client(c);
		break;
	case CTL_VERB_WIPE:
		/* the caller destroys what it names: it must be ours */
		if (!dbfile_same(gw->dbf, req->argv[0].s)) {
			ctl_final(c, CTL_CODE_NOT_FOUND, "%s is not the "
			    "database of this tambulid (%s)", req->argv[0].s,
			    gw->conf->database);
			break;
		}
		destroy = req->argc > 1 &&
		    strcmp(req->argv[1].s, "destroy") == 0;
		ctl_final(c, CTL_CODE_OK, "%s", destroy ? "telling the "
		    "organizers, then destroying the database" :
		    "stopping for the wipe");
		if (destroy)
			gw_wipe_told(gw, CTL_WIPE_NOTICE, NULL);
		else
			gw_wipe(gw, GW_WIPE_STOP);
		break;
	}
out:
	free(req);
}

/* ---- events to watchers ------------------------------------------------ */

/* Is anyone watching this broadcast? */
int
ctl_watching(struct ctl *ctl, int64_t broadcast)
{
	struct ctl_client	*c;

	if (ctl == NULL)
		return 0;
	TAILQ_FOREACH(c, &ctl->clients, entry)
		if (c->watch == broadcast && !c->closing)
			return 1;
	return 0;
}

/* A broadcast's progress, to the clients watching it. */
void
ctl_event(struct ctl *ctl, int64_t broadcast, const char *args)
{
	struct ctl_client	*c;
	char			 line[CTL_PROTO_LINE_MAX];

	if (ctl == NULL || broadcast == 0)
		return;
	snprintf(line, sizeof line, "%%event progress %lld %s\n",
	    (long long)broadcast, args);
	TAILQ_FOREACH(c, &ctl->clients, entry) {
		/* never inside a %begin/%end block: blocks are written
		 * whole, within one callback */
		if (c->hello && !c->closing && c->watch == broadcast)
			ctl_send(c, line);
	}
}

/* ---- connections ------------------------------------------------------- */

static void
ctl_free_client(struct ctl_client *c)
{
	struct ctl	*ctl = c->ctl;

	/* a session the client left open (or was waiting on) ends with it */
	if (c->ussd != NULL)
		modem_ussd_cancel(c->ussd->m);
	TAILQ_REMOVE(&ctl->clients, c, entry);
	ctl->nclients--;
	event_free(c->ev_idle);
	bufferevent_free(c->bev);
	free(c);
}

static void
ctl_reap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl		*ctl = arg;
	struct ctl_client	*c, *next;

	(void)fd;
	(void)what;
	for (c = TAILQ_FIRST(&ctl->clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->dead)
			ctl_free_client(c);
	}
}

static void
ctl_read_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_client	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	char			*line;
	size_t			 len;

	while (!c->closing && c->ussd_reqno == 0 && c->balance_reqno == 0 &&
	    (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		ctl_idle_arm(c);
		ctl_dispatch(c, line, len);
		free(line);
	}
	if (!c->closing && evbuffer_get_length(in) > CTL_PROTO_LINE_MAX) {
		c->reqno++;
		ctl_final(c, CTL_CODE_BAD_REQUEST, "line too long");
		ctl_close_client(c);
	}
	/* half-closed, every request answered: close once they are sent */
	if (c->eof && !c->closing && !c->dead && c->ussd_reqno == 0 &&
	    c->balance_reqno == 0)
		ctl_close_client(c);
}

static void
ctl_write_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_client	*c = arg;

	(void)bev;
	if (c->closing && !c->dead)
		ctl_kill(c);
}

static void
ctl_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_client	*c = arg;

	if (what & BEV_EVENT_ERROR)
		ctl_kill(c);
	else if ((what & BEV_EVENT_EOF) && !c->dead) {
		/*
		 * A client that sends its requests and half-closes (socat,
		 * nc -N) still gets every answer: stop reading, answer what
		 * is buffered, close when the output has drained.
		 */
		c->eof = 1;
		bufferevent_disable(bev, EV_READ);
		ctl_read_cb(bev, c);
	}
}

/*
 * Over a limit: say why in one final line and close.  Refusals are
 * logged at most once a minute, with how many there were, so a client
 * hammering the socket cannot flood the log.
 */
static void
ctl_refuse(struct ctl *ctl, int s, uid_t uid, int code, const char *why)
{
	char	line[256], text[200];
	int64_t	now = gw_mono();	/* a step of the clock: no silence */

	snprintf(text, sizeof text, "%s", why);
	if (ctl_proto_format_final(code, text, line, sizeof line) > 0)
		(void)send(s, line, strlen(line), MSG_DONTWAIT | MSG_NOSIGNAL);
	close(s);
	ctl->refused++;
	if (now - ctl->refused_at >= 60) {
		log_info("control client refused uid=%u reason=\"%s\" "
		    "refused=%lu", (unsigned)uid, why, ctl->refused);
		ctl->refused_at = now;
		ctl->refused = 0;
	}
}

/* May this uid have one more connection? NULL, or why not. */
static const char *
ctl_admit(struct ctl *ctl, uid_t uid, char *buf, size_t len, int *code)
{
	struct ctl_client	*c;
	int			 n = 0;

	*code = CTL_CODE_UNAVAILABLE;
	if (ctl->nclients >= CTL_CLIENTS_MAX) {
		snprintf(buf, len, "too many control connections (%d)",
		    ctl->nclients);
		return buf;
	}
	if (uid == 0 || uid == geteuid())
		return NULL;
	if (ctl->nclients >= CTL_CLIENTS_MAX - CTL_CLIENTS_RESERVED) {
		snprintf(buf, len, "too many control connections (%d); the "
		    "last %d are kept for root", ctl->nclients,
		    CTL_CLIENTS_RESERVED);
		return buf;
	}
	TAILQ_FOREACH(c, &ctl->clients, entry)
		if (c->uid == uid)
			n++;
	if (n >= CTL_CLIENTS_PER_UID) {
		*code = CTL_CODE_BUSY;
		snprintf(buf, len, "too many control connections from uid %u "
		    "(at most %d)", (unsigned)uid, CTL_CLIENTS_PER_UID);
		return buf;
	}
	return NULL;
}

static void
ctl_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl	*ctl = arg;

	(void)fd;
	(void)what;
	event_add(ctl->ev_accept, NULL);
}

static void
ctl_accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl		*ctl = arg;
	struct ctl_client	*c;
	struct ucred		 cred;
	socklen_t		 len = sizeof cred;
	struct timeval		 tv = { 1, 0 };
	const char		*why;
	char			 buf[160];
	int			 s, code;

	(void)what;
	if ((s = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno == EMFILE || errno == ENFILE) {
			/* out of fds: stop accepting for a second */
			log_warn("control socket accept");
			event_del(ctl->ev_accept);
			evtimer_add(ctl->ev_resume, &tv);
		}
		return;
	}
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		close(s);
		return;
	}
	if ((why = ctl_admit(ctl, cred.uid, buf, sizeof buf, &code)) !=
	    NULL) {
		ctl_refuse(ctl, s, cred.uid, code, why);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->ctl = ctl;
	c->uid = cred.uid;
	c->gid = cred.gid;
	c->bev = bufferevent_socket_new(ctl->gw->base, s,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		close(s);
		free(c);
		return;
	}
	bufferevent_setcb(c->bev, ctl_read_cb, ctl_write_cb, ctl_event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->ev_idle = evtimer_new(ctl->gw->base, ctl_idle_cb, c);
	ctl_idle_arm(c);
	TAILQ_INSERT_TAIL(&ctl->clients, c, entry);
	ctl->nclients++;
}

/* What a path is, for a message: "a regular file", "a directory" ... */
static const char *
ctl_file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISFIFO(mode))
		return "a named pipe";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a socket";
}

/*
 * Make way for the socket: nothing there, or a stale socket of a daemon
 * that is gone (a socket whose connect is refused), which is removed.
 * Anything else is refused and left alone: a live daemon, and above all
 * a file that is not a socket (--socket naming the database by mistake
 * must never delete it).  A symbolic link is refused too, whatever it
 * points to.
 */
static int
ctl_stale(const struct sockaddr_un *sun, const char *path, char **cause)
{
	struct stat	st;
	int		fd, rc;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		xasprintf(cause, "%s is %s, not a socket: refusing to replace "
		    "it (choose another --socket or socket = path)", path,
		    ctl_file_kind(st.st_mode));
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	close(fd);
	if (rc == 0) {
		/* another daemon answering here: refuse to start */
		xasprintf(cause, "another tambulid is running (it answers on "
		    "%s)", path);
		return -1;
	}
	if (errno != ECONNREFUSED) {
		/* EAGAIN: a live listener with a full backlog; EACCES ... */
		xasprintf(cause, "%s: a socket that may be in use (%s): "
		    "refusing to replace it", path, strerror(errno));
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

struct ctl *
ctl_open(struct gw *gw, const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	struct ctl		*ctl;
	char			*err;
	gid_t			 gid;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof sun.sun_path) >=
	    sizeof sun.sun_path) {
		xasprintf(cause, "%s: socket path too long", path);
		return NULL;
	}
	if (ctl_stale(&sun, path, cause) == -1)
		return NULL;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return NULL;
	}
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		umask(old);
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	umask(old);
	if (chmod(path, 0660) == -1 || listen(fd, 16) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	ctl = xcalloc(1, sizeof *ctl);
	ctl->gw = gw;
	ctl->fd = fd;
	ctl->path = xstrdup(path);
	if (lstat(path, &st) == 0) {
		ctl->dev = st.st_dev;
		ctl->ino = st.st_ino;
	}
	TAILQ_INIT(&ctl->clients);
	switch (priv_group(gw->conf, &gid, &err)) {
	case -1:
		log_warnx("control socket: %s", err);
		free(err);
		break;
	case 0:
		ctl->group = gid;
		ctl->has_group = 1;
		if (chown(path, (uid_t)-1, gid) == -1)
			log_warn("control socket: chown %s", path);
		break;
	}
	ctl->ev_accept = event_new(gw->base, fd, EV_READ | EV_PERSIST,
	    ctl_accept_cb, ctl);
	ctl->ev_resume = evtimer_new(gw->base, ctl_resume_cb, ctl);
	ctl->ev_reap = evtimer_new(gw->base, ctl_reap_cb, ctl);
	ctl->refused_at = -60;
	event_add(ctl->ev_accept, NULL);
	return ctl;
}

void
ctl_close(struct ctl *ctl)
{
	struct ctl_client	*c;
	struct stat		 st;

	if (ctl == NULL)
		return;
	while ((c = TAILQ_FIRST(&ctl->clients)) != NULL)
		ctl_free_client(c);
	event_free(ctl->ev_accept);
	event_free(ctl->ev_resume);
	event_free(ctl->ev_reap);
	close(ctl->fd);
	/* only our own socket: the path may have been replaced since */
	if (lstat(ctl->path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == ctl->dev && st.st_ino == ctl->ino)
		unlink(ctl->path);
	free(ctl->path);
	free(ctl);
}

/* The modem callback for USSD answers: route to the control clients. */
void
ctl_ussd(struct modem *m, int status, const char *text, void *arg)
{
	ctl_ussd_cb(m, status, text, arg);
}
