/*
 * modem/modem_hunt.c — finding a modem that came back under another name.
 *
 * A USB stick that is unplugged, or resets hard, re-enumerates, often as
 * another /dev/ttyUSBn.  When the port a modem was using is gone and the
 * modem's IMEI is known, the candidates are probed one by one — the USB
 * serial ports of modem vendors, and the other serial devices in the
 * directory of the configured path (/dev/serial/by-id, or the
 * simulator's) — with AT+CGSN; the port that answers with the same IMEI
 * is the modem.  Ports held by another program (our other modems hold a
 * lock on theirs) cannot be opened and are skipped.  Each probe is a
 * non-blocking open, a write, reads driven by the event loop, and a
 * timer: nothing blocks.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "log.h"
#include "modem_int.h"

#define MODEM_HUNT_MAX		64
#define MODEM_HUNT_MS		2000

struct modem_hunt {
	char		*paths[MODEM_HUNT_MAX];
	size_t		 n, i;
	struct serial	*port;
	struct event	*ev_read;
	struct event	*ev_timeout;
	char		 buf[512];
	size_t		 len;
};

static void	modem_hunt_next(struct modem *);

static void
modem_hunt_add(struct modem_hunt *h, const char *path, const char *skip)
{
	char	real[PATH_MAX], other[PATH_MAX];
	size_t	i;

	if (h->n == MODEM_HUNT_MAX || strcmp(path, skip) == 0)
		return;
	if (realpath(path, real) == NULL)
		return;
	for (i = 0; i < h->n; i++) {
		if (realpath(h->paths[i], other) != NULL &&
		    strcmp(other, real) == 0)
			return;
	}
	h->paths[h->n++] = xstrdup(path);
}

static void
modem_hunt_candidates(struct modem *m, struct modem_hunt *h)
{
	struct serial_port	*ports;
	struct dirent		*de;
	struct stat		 st;
	DIR			*d;
	char			*cause = NULL, dir[PATH_MAX], path[PATH_MAX];
	const char		*slash;
	int			 n, i;

	if ((n = serial_list(&ports, &cause)) >= 0) {
		for (i = 0; i < n; i++) {
			if (!ports[i].usb || (ports[i].vendor == NULL &&
			    ports[i].hint == NULL))
				continue;
			modem_hunt_add(h, ports[i].by_id[0] ? ports[i].by_id :
			    ports[i].path, m->cfg.device);
		}
		free(ports);
	}
	free(cause);

	/* siblings of the configured path: /dev/serial/by-id/..., or a
	 * directory of links; never all of /dev */
	if ((slash = strrchr(m->cfg.device, '/')) == NULL ||
	    slash == m->cfg.device)
		return;
	if (!bsnprintf(dir, sizeof dir, "%.*s", (int)(slash - m->cfg.device),
	    m->cfg.device) || strcmp(dir, "/dev") == 0)
		return;
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!bsnprintf(path, sizeof path, "%s/%s", dir, de->d_name))
			continue;
		if (stat(path, &st) == 0 && S_ISCHR(st.st_mode))
			modem_hunt_add(h, path, m->cfg.device);
	}
	closedir(d);
}

static void
modem_hunt_close_port(struct modem_hunt *h)
{
	if (h->ev_read != NULL) {
		event_free(h->ev_read);
		h->ev_read = NULL;
	}
	evtimer_del(h->ev_timeout);
	serial_close(h->port);
	h->port = NULL;
	h->len = 0;
}

static void
modem_hunt_end(struct modem *m)
{
	struct modem_hunt	*h = m->hunt;
	size_t			 i;

	if (h == NULL)
		return;
	modem_hunt_close_port(h);
	event_free(h->ev_timeout);
	for (i = 0; i < h->n; i++)
		free(h->paths[i]);
	free(h);
	m->hunt = NULL;
}

/* The IMEI answered on this port? */
static int
modem_hunt_match(struct modem *m, struct modem_hunt *h)
{
	h->buf[h->len] = '\0';
	return m->info.imei[0] != '\0' && strstr(h->buf, m->info.imei) != NULL;
}

static void
modem_hunt_found(struct modem *m, const char *path)
{
	log_info("modem=%s event=found imei=%s port=%s", m->name,
	    m->info.imei, path);
	free(m->device);
	m->device = xstrdup(path);
	modem_hunt_end(m);
	modem_retry_in(m, 0);
}

static void
modem_hunt_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem		*m = arg;
	struct modem_hunt	*h = m->hunt;
	ssize_t			 n;

	(void)fd;
	(void)what;
	n = serial_read(h->port, h->buf + h->len, sizeof h->buf - 1 - h->len);
	if (n <= 0) {
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		modem_hunt_close_port(h);
		h->i++;
		modem_hunt_next(m);
		return;
	}
	h->len += (size_t)n;
	if (modem_hunt_match(m, h)) {
		char *path = xstrdup(h->paths[h->i]);
		modem_hunt_found(m, path);
		free(path);
		return;
	}
	if (h->len >= sizeof h->buf - 1 || strstr(h->buf, "\r\nOK") != NULL ||
	    strstr(h->buf, "ERROR") != NULL) {
		modem_hunt_close_port(h);
		h->i++;
		modem_hunt_next(m);
	}
}

static void
modem_hunt_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem		*m = arg;
	struct modem_hunt	*h = m->hunt;

	(void)fd;
	(void)what;
	modem_hunt_close_port(h);
	h->i++;
	modem_hunt_next(m);
}

static void
modem_hunt_next(struct modem *m)
{
	struct modem_hunt	*h = m->hunt;
	struct serial_cfg	 c = { m->cfg.baud, m->cfg.rtscts };
	struct timeval		 tv = { MODEM_HUNT_MS / 1000,
				    (MODEM_HUNT_MS % 1000) * 1000 };
	char			*cause = NULL;
	static const char	 probe[] = "\x1b\rAT+CGSN\r";

	for (; h->i < h->n; h->i++) {
		if ((h->port = serial_open(h->paths[h->i], &c, &cause)) ==
		    NULL) {
			free(cause);
			cause = NULL;
			continue;
		}
		log_debug("%s: modem=%s trying %s", __func__, m->name,
		    h->paths[h->i]);
		h->ev_read = event_new(m->base, serial_fd(h->port),
		    EV_READ | EV_PERSIST, modem_hunt_read_cb, m);
		event_add(h->ev_read, NULL);
		evtimer_add(h->ev_timeout, &tv);
		/* a tty write of a few bytes does not block */
		if (serial_write(h->port, probe, sizeof probe - 1) == -1) {
			modem_hunt_close_port(h);
			continue;
		}
		return;
	}
	/* nothing answered with our IMEI: wait and try again */
	modem_hunt_end(m);
	modem_set_state(m, MODEM_BACKOFF);
	modem_retry_in(m, m->backoff * 1000);
	if (m->backoff < MODEM_BACKOFF_MAX)
		m->backoff *= 2;
}

/*
 * The port failed to open: hunt for the modem elsewhere if its IMEI is
 * known.  Returns 1 when a hunt started (it ends in a retry either way),
 * 0 when there is nothing to hunt with.
 */
int
modem_hunt_start(struct modem *m)
{
	struct modem_hunt	*h;

	if (m->info.imei[0] == '\0' || m->hunt != NULL || m->cfg.once)
		return 0;
	h = xcalloc(1, sizeof *h);
	h->ev_timeout = evtimer_new(m->base, modem_hunt_timeout_cb, m);
	m->hunt = h;
	/* the configured path first: a by-id link may be back */
	if (strcmp(m->device, m->cfg.device) != 0)
		modem_hunt_add(h, m->cfg.device, "");
	modem_hunt_candidates(m, h);
	if (h->n == 0) {
		modem_hunt_end(m);
		return 0;
	}
	log_debug("%s: modem=%s %zu candidate ports", __func__, m->name,
	    h->n);
	modem_hunt_next(m);
	return 1;
}

void
modem_hunt_stop(struct modem *m)
{
	modem_hunt_end(m);
}
