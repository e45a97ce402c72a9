/*
 * tools/client.c — the CLI's side of the control socket.  A
 * non-blocking socket with poll() timeouts: a short-lived command has
 * nothing else to do, and it must never hang on a daemon that does not
 * answer.  Connecting, writing a request and each reply line have
 * CLIENT_TIMEOUT_S (the connect retries while the listen backlog is
 * full); a USSD request waits for the network as long as the modem may.
 * The framing rules are enforced by the pure reader in ctl_proto.c; a
 * daemon that breaks them is an error, not a crash.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compat.h"

#define CLIENT_TIMEOUT_MS	(CLIENT_TIMEOUT_S * 1000)
/* the modem gives up on the network sooner than this */
#define CLIENT_USSD_MS		120000
#define CLIENT_RETRY_MS		50

/*
 * How the last attempt to reach the daemon failed.  A daemon that did not
 * answer once in this process is not asked again: a command that talks
 * to it twice (send: the preview, then the kick) waits only once.
 */
static enum client_failure	 client_failed;
static char			 client_why[512];

static void
client_fail(enum client_failure f, char **cause, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
client_fail(enum client_failure f, char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(client_why, sizeof client_why, fmt, ap);
	va_end(ap);
	client_failed = f;
	if (cause != NULL)
		*cause = xstrdup(client_why);
}

enum client_failure
client_failure(const char **why)
{
	if (why != NULL)
		*why = client_why;
	return client_failed;
}

static long long
client_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll one fd until deadline (ms, monotonic); 1 ready, 0 timeout, -1 */
static int
client_poll(int fd, short events, long long deadline)
{
	struct pollfd	pfd;
	long long	left;
	int		n;

	for (;;) {
		left = deadline - client_ms();
		if (left < 0)
			left = 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		return n;
	}
}

struct client {
	int			 fd;
	struct ctl_proto_reader	 r;
	char			 buf[CTL_PROTO_LINE_MAX * 2];
	size_t			 len;
	struct ctl_proto_item	 it;
};

/* Read one line (without LF) into out; 1, 0 on timeout, -1 on error. */
static int
client_line(struct client *c, char *out, size_t outlen, int ms)
{
	long long	 deadline = client_ms() + ms;
	char		*nl;
	size_t		 n;
	ssize_t		 k;

	for (;;) {
		if ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
			n = (size_t)(nl - c->buf);
			if (n >= outlen)
				return -1;
			memcpy(out, c->buf, n);
			out[n] = '\0';
			memmove(c->buf, nl + 1, c->len - n - 1);
			c->len -= n + 1;
			return 1;
		}
		if (c->len == sizeof c->buf)
			return -1;
		k = client_poll(c->fd, POLLIN, deadline);
		if (k <= 0)
			return (int)k;
		k = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
		if (k <= 0) {
			if (k == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			return -1;
		}
		c->len += (size_t)k;
	}
}

/* 0, -1 when the daemon closed, -2 when it reads nothing in time */
static int
client_write(struct client *c, const char *s, size_t len)
{
	long long	deadline = client_ms() + CLIENT_TIMEOUT_MS;
	ssize_t		n;
	int		k;

	while (len > 0) {
		if ((n = send(c->fd, s, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -1;
			if ((k = client_poll(c->fd, POLLOUT, deadline)) <= 0)
				return k == 0 ? -2 : -1;
			continue;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int
client_request(struct client *c, enum ctl_verb verb, const char *const *argv,
    void (*body)(const char *, void *),
    void (*event)(const struct ctl_proto_item *, void *), void *arg,
    const char **text)
{
	static char	 final[CTL_PROTO_LINE_MAX + 1];
	char		 line[CTL_PROTO_LINE_MAX + 2];
	const char	*err;
	int		 rc, ussd, wrc;

	*text = "";
	if (ctl_proto_format_request(verb, argv, line, sizeof line, &err) ==
	    -1) {
		*text = err;
		return -1;
	}
	if ((wrc = client_write(c, line, strlen(line))) == -2) {
		client_fail(CLIENT_NO_ANSWER, NULL, "the daemon did not answer "
		    "within %d s", CLIENT_TIMEOUT_S);
		*text = client_why;
		return -1;
	}
	/* when the write failed, the daemon may still have said why it
	 * closed (too many connections): read that */
	ctl_proto_reader_sent(&c->r);
	ussd = verb == CTL_VERB_USSD || verb == CTL_VERB_USSD_REPLY;
	for (;;) {
		rc = client_line(c, line, sizeof line, ussd ? CLIENT_USSD_MS :
		    CLIENT_TIMEOUT_MS);
		if (rc == 0 && ussd) {
			client_fail(CLIENT_NO_ANSWER, NULL, "no USSD answer "
			    "within %d s", CLIENT_USSD_MS / 1000);
			*text = client_why;
			return -1;
		}
		if (rc == 0) {
			client_fail(CLIENT_NO_ANSWER, NULL, "the daemon did not "
			    "answer within %d s", CLIENT_TIMEOUT_S);
			*text = client_why;
			return -1;
		}
		if (rc < 0) {
			*text = "the daemon closed the connection";
			return -1;
		}
		if (ctl_proto_reader_line(&c->r, line, strlen(line), &c->it,
		    &err) == -1) {
			*text = err;
			return -1;
		}
		switch (c->it.type) {
		case CTL_ITEM_BODY:
			if (body != NULL)
				body(c->it.text, arg);
			break;
		case CTL_ITEM_EVENT:
			if (event != NULL)
				event(&c->it, arg);
			break;
		case CTL_ITEM_FINAL:
			strlcpy(final, c->it.text, sizeof final);
			*text = final;
			return c->it.code;
		default:
			break;
		}
	}
}

int
client_event(struct client *c, int ms,
    void (*event)(const struct ctl_proto_item *, void *), void *arg)
{
	char		 line[CTL_PROTO_LINE_MAX + 2];
	const char	*err;
	int		 rc;

	if ((rc = client_line(c, line, sizeof line, ms)) <= 0)
		return rc;
	if (ctl_proto_reader_line(&c->r, line, strlen(line), &c->it, &err) ==
	    -1)
		return -1;
	if (c->it.type == CTL_ITEM_EVENT && event != NULL)
		event(&c->it, arg);
	return 1;
}

struct client *
client_open(const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	struct client		*c;
	const char		*text;
	const char		*argv[] = { "tambuli", "1", NULL };
	long long		 deadline;
	socklen_t		 len;
	char			 why[sizeof client_why];
	int			 fd, code, err;

	if (client_failed == CLIENT_NO_ANSWER) {
		*cause = xstrdup(client_why);
		return NULL;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof sun.sun_path) >=
	    sizeof sun.sun_path) {
		client_fail(CLIENT_DOWN, cause, "%s: socket path too long",
		    path);
		return NULL;
	}
	/*
	 * A blocking connect to a daemon that does not accept waits for
	 * ever once its backlog is full; Linux answers EAGAIN to a
	 * non-blocking one then, so retry until the deadline.
	 */
	deadline = client_ms() + CLIENT_TIMEOUT_MS;
	for (;;) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1) {
			client_fail(CLIENT_DOWN, cause, "socket: %s",
			    strerror(errno));
			return NULL;
		}
		if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0)
			break;
		err = errno;
		if (err == EINPROGRESS) {
			if (client_poll(fd, POLLOUT, deadline) <= 0)
				err = ETIMEDOUT;
			else {
				len = sizeof err;
				if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
				    &len) == -1)
					err = errno;
			}
			if (err == 0)
				break;
		}
		close(fd);
		if (err == EAGAIN || err == EINTR) {
			if (client_ms() >= deadline)
				err = ETIMEDOUT;
			else {
				(void)poll(NULL, 0, CLIENT_RETRY_MS);
				continue;
			}
		}
		if (err == ETIMEDOUT)
			client_fail(CLIENT_NO_ANSWER, cause, "the daemon did "
			    "not answer within %d s (%s: it accepts no "
			    "connection)", CLIENT_TIMEOUT_S, path);
		else
			client_fail(CLIENT_DOWN, cause, "the daemon is not "
			    "running (%s: %s)", path, strerror(err));
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	ctl_proto_reader_init(&c->r);
	code = client_request(c, CTL_VERB_HELLO, argv, NULL, NULL, NULL,
	    &text);
	if (code != CTL_CODE_HELLO) {
		if (code == -1 && client_failed == CLIENT_NO_ANSWER) {
			strlcpy(why, text, sizeof why);	/* text is client_why */
			client_fail(CLIENT_NO_ANSWER, cause, "%s (%s)", why,
			    path);
		} else if (code == -1)
			client_fail(CLIENT_REFUSED, cause, "no greeting from the "
			    "daemon: %s", text);
		else
			client_fail(CLIENT_REFUSED, cause, "the daemon refused "
			    "the connection: %d %s", code, text);
		client_close(c);
		return NULL;
	}
	return c;
}

void
client_close(struct client *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	free(c);
}

int
client_kick(const char *path)
{
	struct client	*c;
	const char	*text;
	char		*cause = NULL;
	int		 code;

	if ((c = client_open(path, &cause)) == NULL) {
		free(cause);
		/* the daemon picks it up when it starts */
		return client_failed == CLIENT_DOWN ? -1 : -2;
	}
	code = client_request(c, CTL_VERB_KICK, NULL, NULL, NULL, NULL, &text);
	if (code >= 0 && code != CTL_CODE_OK)
		client_fail(CLIENT_REFUSED, NULL, "the daemon refused to look "
		    "for new work: %d %s", code, text);
	else if (code == -1 && client_failed != CLIENT_NO_ANSWER)
		client_fail(CLIENT_REFUSED, NULL, "%s", text);
	client_close(c);
	return code == CTL_CODE_OK ? 0 : -2;
}

static void
client_count_ready(const char *line, void *arg)
{
	int	*n = arg;

	/* "modem NAME state ready ..." */
	if (strncmp(line, "modem ", 6) == 0 && strstr(line, " state ready ") !=
	    NULL)
		(*n)++;
}

int
client_ready_modems(const char *path)
{
	struct client	*c;
	const char	*text;
	char		*cause = NULL;
	int		 n = 0, code;

	if ((c = client_open(path, &cause)) == NULL) {
		free(cause);
		return -1;
	}
	code = client_request(c, CTL_VERB_STATUS, NULL, client_count_ready,
	    NULL, &n, &text);
	client_close(c);
	return code == CTL_CODE_OK ? n : -1;
}
