/*
 * tools/client.c — the CLI's side of the control socket.  Blocking I/O
 * with poll() timeouts: a short-lived command has nothing else to do.
 * The framing rules are enforced by the pure reader in ctl_proto.c; a
 * daemon that breaks them is an error, not a crash.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compat.h"

#define CLIENT_TIMEOUT_MS	15000

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
	struct pollfd	 pfd;
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
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		k = poll(&pfd, 1, ms);
		if (k == 0)
			return 0;
		if (k == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		k = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
		if (k <= 0) {
			if (k == -1 && errno == EINTR)
				continue;
			return -1;
		}
		c->len += (size_t)k;
	}
}

static int
client_write(struct client *c, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(c->fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
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
	int		 rc;

	*text = "";
	if (ctl_proto_format_request(verb, argv, line, sizeof line, &err) ==
	    -1) {
		*text = err;
		return -1;
	}
	if (client_write(c, line, strlen(line)) == -1) {
		*text = "the daemon closed the connection";
		return -1;
	}
	ctl_proto_reader_sent(&c->r);
	for (;;) {
		rc = client_line(c, line, sizeof line, verb == CTL_VERB_USSD ||
		    verb == CTL_VERB_USSD_REPLY ? 120000 : CLIENT_TIMEOUT_MS);
		if (rc <= 0) {
			*text = rc == 0 ? "no answer from the daemon" :
			    "the daemon closed the connection";
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
	int			 fd, code;

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
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		xasprintf(cause, "the daemon is not running (%s: %s)", path,
		    strerror(errno));
		close(fd);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	ctl_proto_reader_init(&c->r);
	code = client_request(c, CTL_VERB_HELLO, argv, NULL, NULL, NULL,
	    &text);
	if (code != CTL_CODE_HELLO) {
		xasprintf(cause, "the daemon refused us: %d %s", code, text);
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

	if ((c = client_open(path, &cause)) == NULL) {
		free(cause);
		return -1;	/* the daemon picks it up when it starts */
	}
	(void)client_request(c, CTL_VERB_KICK, NULL, NULL, NULL, NULL, &text);
	client_close(c);
	return 0;
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
