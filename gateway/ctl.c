/*
 * gateway/ctl.c — the control socket: live state and wake-ups for the
 * CLI.  The protocol itself (framing, verbs, arity) is the pure codec in
 * ctl_proto.c; this file owns the listener and the clients.
 *
 * Hardening, as OpenSMTPD and tmux do it: the daemon refuses to start
 * when the socket path answers a connect (another daemon is live); the
 * socket is created mode 0660 under a restrictive umask; the peer's
 * credentials (SO_PEERCRED) decide whether state-changing verbs are
 * allowed (root, the daemon's user, or the configured group); at most
 * CTL_CLIENTS_MAX clients; accept backs off on EMFILE instead of dying.
 * A malformed request gets a 400 line; one line too long, or a client
 * speaking another version, is answered and closed, and never affects the
 * daemon.
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

#define CTL_CLIENTS_MAX	32

struct ctl_client {
	TAILQ_ENTRY(ctl_client)	 entry;
	struct ctl		*ctl;
	struct bufferevent	*bev;
	uid_t			 uid;
	gid_t			 gid;
	int			 hello;
	unsigned long long	 reqno;
	int			 closing;
	/* an answer that arrives later (USSD) */
	struct gw_modem		*ussd;
	unsigned long long	 ussd_reqno;
	char			 ussd_modem[64];
	int64_t			 watch;		/* broadcast id, or 0 */
};
TAILQ_HEAD(ctl_clients, ctl_client);

struct ctl {
	struct gw		*gw;
	char			*path;
	int			 fd;
	struct event		*ev_accept;
	struct event		*ev_resume;
	struct ctl_clients	 clients;
	int			 nclients;
	gid_t			 group;
	int			 has_group;
};

static void	ctl_read_cb(struct bufferevent *, void *);
static void	ctl_event_cb(struct bufferevent *, short, void *);

/* ---- output ------------------------------------------------------------ */

static void
ctl_send(struct ctl_client *c, const char *line)
{
	bufferevent_write(c->bev, line, strlen(line));
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

/* Close once what was written has drained. */
static void
ctl_close_client(struct ctl_client *c)
{
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		ctl_event_cb(c->bev, BEV_EVENT_EOF, c);
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

/* One body line per modem: "modem NAME key value ...", quoted. */
static void
ctl_status_modem(struct ctl_client *c, struct gw_modem *gm)
{
	const struct modem_info	*i = modem_info(gm->m);
	char			 line[CTL_PROTO_LINE_MAX];
	const char		*kv[64];
	size_t			 n = 0, k, o = 0;
	char			 nums[6][32], caps[8][32];
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
#undef CTL_KV
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

static void
ctl_do_status(struct ctl_client *c, const struct ctl_request *req)
{
	struct gw_modem	*gm;
	char		 line[128];
	long		 depth = 0, bcs = 0;

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
		if (c->ussd == gm && c->ussd_reqno != 0 && !c->closing) {
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

static void
ctl_dispatch(struct ctl_client *c, const char *line, size_t len)
{
	struct ctl_request		*req;
	const struct ctl_proto_verb	*v;
	const char			*err, *bad;
	struct gw			*gw = c->ctl->gw;
	int				 mask;

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
	if (v != NULL && (v->flags & CTL_PROTO_F_PRIVILEGED) && c->uid != 0 &&
	    c->uid != geteuid() && !(c->ctl->has_group &&
	    c->gid == c->ctl->group)) {
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
		log_set_debug(strcmp(req->argv[0].s, "on") == 0);
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
	bufferevent_free(c->bev);
	free(c);
	/* a slot is free: accept again if we had stopped */
	if (ctl->nclients == CTL_CLIENTS_MAX - 1)
		event_add(ctl->ev_accept, NULL);
}

static void
ctl_read_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_client	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	char			*line;
	size_t			 len;

	while (!c->closing && c->ussd_reqno == 0 &&
	    (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		ctl_dispatch(c, line, len);
		free(line);
	}
	if (!c->closing && evbuffer_get_length(in) > CTL_PROTO_LINE_MAX) {
		c->reqno++;
		ctl_final(c, CTL_CODE_BAD_REQUEST, "line too long");
		ctl_close_client(c);
	}
}

static void
ctl_write_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_client	*c = arg;

	(void)bev;
	if (c->closing)
		ctl_free_client(c);
}

static void
ctl_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_client	*c = arg;

	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		ctl_free_client(c);
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
	int			 s;

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
	TAILQ_INSERT_TAIL(&ctl->clients, c, entry);
	if (++ctl->nclients >= CTL_CLIENTS_MAX)
		event_del(ctl->ev_accept);
}

struct ctl *
ctl_open(struct gw *gw, const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	struct ctl		*ctl;
	struct group		*gr;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof sun.sun_path) >=
	    sizeof sun.sun_path) {
		xasprintf(cause, "%s: socket path too long", path);
		return NULL;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return NULL;
	}
	/* another daemon answering here: refuse to start */
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
		close(fd);
		xasprintf(cause, "another tambulid is running (it answers on "
		    "%s)", path);
		return NULL;
	}
	close(fd);
	if (unlink(path) == -1 && errno != ENOENT) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
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
	TAILQ_INIT(&ctl->clients);
	if (gw->conf->group != NULL && *gw->conf->group != '\0') {
		if ((gr = getgrnam(gw->conf->group)) == NULL)
			log_warnx("control socket: no group %s",
			    gw->conf->group);
		else {
			ctl->group = gr->gr_gid;
			ctl->has_group = 1;
			if (chown(path, (uid_t)-1, gr->gr_gid) == -1)
				log_warn("control socket: chown %s", path);
		}
	}
	ctl->ev_accept = event_new(gw->base, fd, EV_READ | EV_PERSIST,
	    ctl_accept_cb, ctl);
	ctl->ev_resume = evtimer_new(gw->base, ctl_resume_cb, ctl);
	event_add(ctl->ev_accept, NULL);
	return ctl;
}

void
ctl_close(struct ctl *ctl)
{
	struct ctl_client	*c;

	if (ctl == NULL)
		return;
	while ((c = TAILQ_FIRST(&ctl->clients)) != NULL)
		ctl_free_client(c);
	event_free(ctl->ev_accept);
	event_free(ctl->ev_resume);
	close(ctl->fd);
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
