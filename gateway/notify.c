/*
 * gateway/notify.c — tell systemd how the daemon is doing (the sd_notify
 * protocol): READY=1 once the database is open and the control socket
 * listens, STATUS= lines ("2 modems ready, 340 queued") when they change,
 * WATCHDOG=1 from the event loop at half of $WATCHDOG_USEC, STOPPING=1
 * at shutdown.
 *
 * Why not libsystemd's sd_notify(): the protocol is one datagram of
 * "KEY=value" lines sent to the AF_UNIX socket named in $NOTIFY_SOCKET
 * ('@' first: the abstract namespace), documented by systemd as a stable
 * interface meant to be reimplemented; a few lines here save a build
 * dependency on every target (32-bit cross builds, systems without
 * systemd).  Without $NOTIFY_SOCKET every function is a no-op and no
 * timer is armed, so an idle daemon still never wakes up.
 *
 * The socket is non-blocking: a full receive queue drops a datagram
 * instead of stalling the loop.  Status lines are coalesced: a change
 * arms a one-shot timer and the text (one indexed COUNT) is computed
 * when it fires, and sent only when it differs from the last one.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "gateway.h"
#include "log.h"

#define NOTIFY_COALESCE_MS	1000	/* status at most once a second */

struct notify {
	struct gw		*gw;
	int			 fd;
	struct sockaddr_un	 sun;
	socklen_t		 sunlen;
	struct event		*ev_watchdog;
	struct event		*ev_status;
	char			 status[128];	/* the last one sent */
};

static void
notify_send(struct notify *n, const char *msg)
{
	if (sendto(n->fd, msg, strlen(msg), MSG_NOSIGNAL,
	    (struct sockaddr *)&n->sun, n->sunlen) == -1)
		log_debug("%s: %s: %s", __func__, msg, strerror(errno));
}

static void
notify_watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	notify_send(arg, "WATCHDOG=1");
}

/* "2 modems ready, 340 queued" */
static void
notify_status_text(struct notify *n, char *buf, size_t len)
{
	struct gw_modem	*gm;
	long		 ready = 0, total = 0, queued = 0, bcs = 0;

	TAILQ_FOREACH(gm, &n->gw->modems, entry) {
		total++;
		if (modem_info(gm->m)->state == MODEM_READY)
			ready++;
	}
	if (outbox_depth(n->gw->db, &queued, &bcs) == -1)
		queued = -1;
	if (total == 0)
		snprintf(buf, len, "no modems configured, ");
	else if (ready == total)
		snprintf(buf, len, "%ld modem%s ready, ", ready,
		    ready == 1 ? "" : "s");
	else
		snprintf(buf, len, "%ld of %ld modems ready, ", ready, total);
	if (queued < 0)
		strlcat(buf, "queue unknown (database error)", len);
	else
		snprintf(buf + strlen(buf), len - strlen(buf), "%ld queued",
		    queued);
}

static void
notify_status_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify	*n = arg;
	char		 text[sizeof n->status], msg[sizeof text + 8];

	(void)fd;
	(void)what;
	if (n->gw->stopping)
		return;
	notify_status_text(n, text, sizeof text);
	if (strcmp(text, n->status) == 0)
		return;
	strlcpy(n->status, text, sizeof n->status);
	snprintf(msg, sizeof msg, "STATUS=%s", text);
	notify_send(n, msg);
}

/* NULL when not started by systemd (no $NOTIFY_SOCKET). */
struct notify *
notify_open(struct gw *gw)
{
	struct notify	*n;
	const char	*path, *s;
	struct timeval	 tv;
	long long	 usec;
	char		*end;
	size_t		 len;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL || *path == '\0')
		return NULL;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof n->sun.sun_path) {
		log_warnx("NOTIFY_SOCKET %s: not a unix socket path", path);
		return NULL;
	}
	n = xcalloc(1, sizeof *n);
	n->gw = gw;
	n->sun.sun_family = AF_UNIX;
	memcpy(n->sun.sun_path, path, len);
	if (path[0] == '@')
		n->sun.sun_path[0] = '\0';	/* abstract: no trailing NUL */
	n->sunlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
	    (path[0] == '/'));
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->fd == -1) {
		log_warn("NOTIFY_SOCKET: socket");
		free(n);
		return NULL;
	}
	if ((n->ev_status = evtimer_new(gw->base, notify_status_cb, n)) ==
	    NULL)
		fatalx("notify: out of memory");
	/* the watchdog, if systemd asks for one (and asks this process) */
	s = getenv("WATCHDOG_PID");
	if (s != NULL && *s != '\0' && strtoll(s, &end, 10) != getpid())
		return n;
	if ((s = getenv("WATCHDOG_USEC")) == NULL || *s == '\0')
		return n;
	errno = 0;
	usec = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || usec <= 0) {
		log_warnx("WATCHDOG_USEC %s: not a number of microseconds", s);
		return n;
	}
	usec /= 2;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	n->ev_watchdog = event_new(gw->base, -1, EV_PERSIST,
	    notify_watchdog_cb, n);
	if (n->ev_watchdog == NULL)
		fatalx("notify: out of memory");
	evtimer_add(n->ev_watchdog, &tv);
	log_debug("%s: watchdog every %lld us", __func__, usec);
	return n;
}

/* The database is open and the control socket listens. */
void
notify_ready(struct notify *n)
{
	char	text[sizeof n->status], msg[sizeof text + 32];

	if (n == NULL)
		return;
	notify_status_text(n, text, sizeof text);
	strlcpy(n->status, text, sizeof n->status);
	snprintf(msg, sizeof msg, "READY=1\nSTATUS=%s", text);
	notify_send(n, msg);
}

/* Something shown in the status (a modem, the queue) may have changed. */
void
notify_changed(struct notify *n)
{
	struct timeval	tv = { 0, NOTIFY_COALESCE_MS * 1000 };

	if (n == NULL || evtimer_pending(n->ev_status, NULL))
		return;
	evtimer_add(n->ev_status, &tv);
}

void
notify_stopping(struct notify *n)
{
	if (n == NULL)
		return;
	notify_send(n, "STOPPING=1\nSTATUS=stopping: messages in flight "
	    "finish first");
}

void
notify_close(struct notify *n)
{
	if (n == NULL)
		return;
	if (n->ev_watchdog != NULL)
		event_free(n->ev_watchdog);
	event_free(n->ev_status);
	close(n->fd);
	free(n);
}
