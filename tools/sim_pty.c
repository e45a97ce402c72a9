/*
 * tools/sim_pty.c — the simulated modem's "USB port": a pseudo-terminal.
 *
 * modemsim holds the master side; the host opens the slave (/dev/pts/N)
 * through a stable symlink, like a udev /dev/serial/by-id name.  Unplug
 * closes the master (the host's fd sees a hangup) and removes the link;
 * replug creates a new pty, always under a new /dev/pts/N as a real
 * re-enumeration does, and points the link at it.
 *
 * We keep our own fd of the slave open.  On Linux, reading the master while
 * no process has the slave open fails with EIO at once, again and again;
 * holding the slave ourselves means that state never happens and the host
 * can close and reopen the port at will.  The slave starts in raw mode so
 * that nothing we write is echoed back by the line discipline before the
 * host configures it.
 *
 * Output goes through an evbuffer and EV_WRITE is armed only while data is
 * queued.  When nobody reads, the kernel queue fills and the rest is
 * dropped beyond SIM_OUTBUF_MAX, as a UART would drop it.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "compat.h"
#include "sim.h"

#define SIM_PTY_OUT_CAP	(16 * 1024)

static void	sim_pty_read_cb(int, short, void *);
static void	sim_pty_write_cb(int, short, void *);

static int
sim_pty_link(const char *link, const char *target, const char **err)
{
	char	tmp[1024];

	if (!bsnprintf(tmp, sizeof tmp, "%s.new", link)) {
		*err = "link path too long";
		return -1;
	}
	(void)unlink(tmp);
	if (symlink(target, tmp) == -1) {
		*err = strerror(errno);
		return -1;
	}
	/* rename is atomic: the host never sees a missing link */
	if (rename(tmp, link) == -1) {
		*err = strerror(errno);
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

static int
sim_pty_open(int *m, int *s, char *name, size_t namelen)
{
	struct termios	 t;

	if (openpty(m, s, NULL, NULL, NULL) == -1)
		return -1;
	if (ttyname_r(*s, name, namelen) != 0) {
		close(*m);
		close(*s);
		return -1;
	}
	if (tcgetattr(*s, &t) == 0) {
		cfmakeraw(&t);
		(void)tcsetattr(*s, TCSANOW, &t);
	}
	(void)fcntl(*m, F_SETFL, fcntl(*m, F_GETFL) | O_NONBLOCK);
	(void)fcntl(*m, F_SETFD, FD_CLOEXEC);
	(void)fcntl(*s, F_SETFD, FD_CLOEXEC);
	return 0;
}

/*
 * Create the pty and the link (link NULL: keep the current one).  Prints
 * the slave path on stdout.  Returns 0, or -1 with *err set.
 */
int
sim_pty_plug(struct sim *sim, const char *link, const char **err)
{
	char	name[64], name2[64];
	int	m, s, m2, s2;

	if (sim->plugged) {
		*err = "already plugged";
		return -1;
	}
	if (sim_pty_open(&m, &s, name, sizeof name) == -1) {
		*err = strerror(errno);
		return -1;
	}
	/*
	 * If the host closed the old slave, the kernel may hand out the same
	 * number again; re-enumeration gives a new name, so take another.
	 */
	if (sim->path[0] != '\0' && strcmp(name, sim->path) == 0) {
		if (sim_pty_open(&m2, &s2, name2, sizeof name2) == -1) {
			*err = strerror(errno);
			close(m);
			close(s);
			return -1;
		}
		close(m);
		close(s);
		m = m2;
		s = s2;
		memcpy(name, name2, sizeof name);
	}
	if (link != NULL) {
		free(sim->link);
		sim->link = xstrdup(link);
	}
	if (sim->link != NULL && sim_pty_link(sim->link, name, err) == -1) {
		close(m);
		close(s);
		return -1;
	}
	sim->master = m;
	sim->slave = s;
	strlcpy(sim->path, name, sizeof sim->path);
	sim->ev_read = event_new(sim->base, m, EV_READ | EV_PERSIST,
	    sim_pty_read_cb, sim);
	sim->ev_write = event_new(sim->base, m, EV_WRITE, sim_pty_write_cb,
	    sim);
	if (sim->ev_read == NULL || sim->ev_write == NULL)
		modemsim_fatal("event_new failed");
	event_add(sim->ev_read, NULL);
	sim->plugged = 1;
	modemsim_log(sim, "plugged %s%s%s", name, sim->link ? " as " : "",
	    sim->link ? sim->link : "");
	printf("%s\n", name);
	fflush(stdout);
	return 0;
}

void
sim_pty_unplug(struct sim *sim)
{
	if (!sim->plugged)
		return;
	event_free(sim->ev_read);
	event_free(sim->ev_write);
	sim->ev_read = sim->ev_write = NULL;
	close(sim->master);
	close(sim->slave);
	sim->master = sim->slave = -1;
	if (sim->link != NULL)
		(void)unlink(sim->link);
	evbuffer_drain(sim->out, evbuffer_get_length(sim->out));
	evbuffer_drain(sim->in, evbuffer_get_length(sim->in));
	sim->plugged = 0;
	modemsim_log(sim, "unplugged %s", sim->path);
}

void
sim_pty_free(struct sim *sim)
{
	sim_pty_unplug(sim);
	free(sim->link);
	sim->link = NULL;
}

static void
sim_pty_flush(struct sim *sim)
{
	int	n;

	while (evbuffer_get_length(sim->out) > 0) {
		n = evbuffer_write(sim->out, sim->master);
		if (n > 0)
			continue;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
			modemsim_log(sim, "write %s: %s", sim->path,
			    strerror(errno));
			evbuffer_drain(sim->out, evbuffer_get_length(sim->out));
			return;
		}
		break;
	}
	if (evbuffer_get_length(sim->out) > 0)
		event_add(sim->ev_write, NULL);
}

/* Queue bytes for the host.  Dropped when unplugged or nobody reads. */
void
sim_pty_write(struct sim *sim, const void *buf, size_t len)
{
	if (!sim->plugged || len == 0)
		return;
	if (evbuffer_get_length(sim->out) + len > SIM_PTY_OUT_CAP) {
		modemsim_log(sim, "host not reading: %zu bytes dropped", len);
		return;
	}
	modemsim_trace(sim, "tx", buf, len);
	evbuffer_add(sim->out, buf, len);
	sim_pty_flush(sim);
}

static void
sim_pty_write_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)fd;
	(void)what;
	sim_pty_flush(sim);
}

static void
sim_pty_read_cb(int fd, short what, void *arg)
{
	struct sim	*sim = arg;
	char		 buf[512];
	ssize_t		 n;

	(void)what;
	n = read(fd, buf, sizeof buf);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		/*
		 * Cannot happen while we hold the slave; if it does, stop
		 * reading rather than spin on EIO.
		 */
		modemsim_log(sim, "read %s: %s", sim->path,
		    n == 0 ? "end of file" : strerror(errno));
		event_del(sim->ev_read);
		return;
	}
	modemsim_trace(sim, "rx", buf, (size_t)n);
	if (evbuffer_get_length(sim->in) + (size_t)n > SIM_INBUF_MAX) {
		modemsim_log(sim, "input overflow: %zd bytes dropped", n);
		return;
	}
	evbuffer_add(sim->in, buf, (size_t)n);
	sim_at_input(sim);
}
