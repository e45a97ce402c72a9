/*
 * tests/fuzz/fuzz_modem.c — libFuzzer harness for the modem driver
 * (modem.c, modem_init.c, modem_sms.c, modem_ussd.c, modem_clock.c,
 * modem_quirks.c): the fuzz input is what the modem says.
 *
 * Each input gets its own event base and a pseudo-terminal; the driver
 * opens the slave by its path, as it opens modemsim's, through the tty
 * backend.  The harness writes the input to the master and runs the
 * loop with EVLOOP_NONBLOCK, and reads and drops whatever the driver
 * writes.  Nothing waits on a clock: the driver's timers (a command's
 * deadline, the retry, health and USSD timers) fire only when the input
 * says so, by event_active() on the pending timer, so an input plays
 * the same way every time (the shortest real deadline, the 1 s probe,
 * is far longer than an input takes).
 *
 * Input: one byte of settings, then the modem's bytes.  0xff starts a
 * two-byte action (0xff 0xff is a 0xff byte):
 *	'.'	deliver what came before now (a chunk boundary)
 *	'T'	the command in flight times out
 *	'R' 'H' 'U'	the retry, health or USSD timer fires (if armed)
 *	'S'	queue a send (modem_send, a real SMS-SUBMIT)
 *	'D' 'r'	the owner stored (modem_sms_done) or could not store
 *		(modem_sms_retry) every text delivered so far
 *	'W'	modem_sweep	'P' modem_poll	'F' modem_flush
 *	'u' 'y' 'c'	modem_ussd("*123#"), modem_ussd_reply("1"), cancel
 *	'N'	modem_network_time and modem_info
 *	'E'	the device goes away (the master is closed)
 * Settings, bit by bit: 0 sweep at start, 1 keep_sms, 2 once (the CLI),
 * 3 a SIM PIN, 4 texts acknowledged from within the sms callback, 5 the
 * bytes delivered line by line (else in the chunks the actions make).
 *
 * The driver logs at debug level with the AT trace, into /dev/null:
 * FUZZ_MODEM_VERBOSE=1 in the environment shows the conversation on
 * stderr, to read a seed or a finding.
 *
 * Besides the sanitizers, the callbacks check what the owner is handed
 * (a failure says why, texts are terminated), and after every step the
 * driver must not be stuck (fuzz_modem_check()).
 */
/* posix_openpt(), grantpt(), unlockpt(), ptsname() are XSI */
#define _XOPEN_SOURCE 700

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "modem_int.h"

#define FUZZ_MODEM_ESC		0xff
#define FUZZ_MODEM_CHUNK	1024	/* the pty holds 4096 unread */
#define FUZZ_MODEM_PENDING	64	/* texts awaiting done/retry */
#define FUZZ_MODEM_PASSES	256	/* loop runs per chunk, at most */

/* to +46708251358, "hellohello" (SMSC from the SIM, 23 octets) */
#define FUZZ_MODEM_PDU	"0011000B916407281553F80000AA0AE8329BFD4697D9EC37"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_modem {
	struct event_base	*base;
	struct modem		*m;
	int			 master;
	int			 ack_inline;
	int			 pending[FUZZ_MODEM_PENDING];
	size_t			 npending;
	uint64_t		 job;
	unsigned		 flushed;
	unsigned char		 buf[FUZZ_MODEM_CHUNK];
	size_t			 len;
};

static int	fuzz_modem_verbose;

static void
fuzz_modem_state(struct modem *m, enum modem_state s, void *arg)
{
	(void)m;
	(void)arg;
	if (strlen(modem_state_name(s)) == 0)
		abort();
}

static void
fuzz_modem_sent(struct modem *m, uint64_t job, enum modem_result r, int mr,
    int cms, const char *err, void *arg)
{
	(void)m;
	(void)arg;
	if (fuzz_modem_verbose)
		fprintf(stderr, "fuzz_modem: sent job=%llu result=%d mr=%d "
		    "cms=%d err=%s\n", (unsigned long long)job, (int)r, mr,
		    cms, err != NULL ? err : "-");
	/* a failure always says why */
	if (r != MODEM_SENT && (err == NULL || *err == '\0'))
		abort();
}

static void
fuzz_modem_sms(struct modem *m, const struct modem_sms *s, void *arg)
{
	struct fuzz_modem	*f = arg;

	if (s->pdu_hex == NULL || strlen(s->pdu_hex) > 4096)
		abort();
	if (s->msg == NULL && (s->error == NULL || *s->error == '\0'))
		abort();
	if (s->msg != NULL && strlen(s->msg->text) >= sizeof s->msg->text)
		abort();
	if (fuzz_modem_verbose)
		fprintf(stderr, "fuzz_modem: sms index=%d text=\"%s\"%s%s\n",
		    s->index, s->msg != NULL ? s->msg->text : "",
		    s->error != NULL ? " error=" : "",
		    s->error != NULL ? s->error : "");
	if (s->index < 0)
		return;
	if (f->ack_inline) {
		modem_sms_done(m, s->index);
		return;
	}
	if (f->npending < FUZZ_MODEM_PENDING)
		f->pending[f->npending++] = s->index;
}

static void
fuzz_modem_report(struct modem *m, const struct sms_msg *msg, void *arg)
{
	(void)m;
	(void)arg;
	if (msg == NULL || strlen(msg->text) >= sizeof msg->text)
		abort();
}

static void
fuzz_modem_ussd(struct modem *m, int status, const char *text, void *arg)
{
	(void)m;
	(void)arg;
	if (status < -1 || status > 5)
		abort();
	if (fuzz_modem_verbose)
		fprintf(stderr, "fuzz_modem: ussd status=%d text=%s\n",
		    status, text != NULL ? text : "-");
	if (status == -1 && (text == NULL || *text == '\0'))
		abort();
	if (text != NULL)
		(void)strlen(text);
}

static void
fuzz_modem_clock(struct modem *m, void *arg)
{
	struct modem_time	t;

	(void)arg;
	(void)modem_network_time(m, &t);
}

static void
fuzz_modem_flushed(struct modem *m, void *arg)
{
	struct fuzz_modem	*f = arg;

	(void)m;
	f->flushed++;
}

static int
fuzz_modem_unread(const struct fuzz_modem *f)
{
	int	n = 0;

	if (f->m->port == NULL ||
	    ioctl(serial_fd(f->m->port), FIONREAD, &n) == -1)
		return 0;
	return n;
}

/*
 * The driver is never left waiting for nothing: a command in flight has
 * its deadline, nothing is queued while the port is closed, and a modem
 * with nothing queued has a timer armed to act again (the retry, or the
 * health check when ready), unless the CLI gave up (once) or it was
 * never started.  A modem that breaks this would sit there until the
 * daemon is restarted.
 */
static void
fuzz_modem_check(const struct fuzz_modem *f)
{
	const struct modem	*m = f->m;
	enum modem_state	 s = m->info.state;
	const char		*why = NULL;

	if (m->dead)
		return;
	if (!TAILQ_EMPTY(&m->cmds)) {
		if (m->port == NULL)
			why = "commands queued with the port closed";
		else if (!m->busy || !evtimer_pending(m->ev_timeout, NULL))
			why = "a command waits with no deadline";
	} else if (evtimer_pending(m->ev_retry, NULL))
		;
	else if (s == MODEM_READY) {
		if (!evtimer_pending(m->ev_health, NULL))
			why = "ready with no health check armed";
	} else if (!(s == MODEM_FAILED && m->cfg.once) && s != MODEM_CLOSED)
		why = "nothing queued and no timer armed";
	if (why != NULL) {
		fprintf(stderr, "fuzz_modem: stuck in state %s: %s\n",
		    modem_state_name(s), why);
		abort();
	}
}

/* Run the loop until the driver has read everything and is idle. */
static void
fuzz_modem_pump(struct fuzz_modem *f)
{
	char	sink[4096];
	int	i;

	for (i = 0; i < FUZZ_MODEM_PASSES; i++) {
		event_base_loop(f->base, EVLOOP_NONBLOCK);
		if (fuzz_modem_unread(f) == 0 && i >= 2)
			break;
	}
	/* the commands the driver wrote: nobody answers them but the input */
	if (f->master != -1)
		while (read(f->master, sink, sizeof sink) > 0)
			;
	fuzz_modem_check(f);
}

/*
 * Write the bytes gathered so far to the modem's side and wait until the
 * pty has passed them on (the kernel does it from a work queue), so the
 * driver reads the same chunks on every run.
 */
static void
fuzz_modem_deliver(struct fuzz_modem *f)
{
	struct timespec	 ts = { 0, 20000 };
	size_t		 off = 0;
	ssize_t		 n;
	int		 want, tries;

	if (f->len == 0)
		return;
	if (f->master == -1 || f->m->port == NULL) {
		f->len = 0;	/* nobody listens: the bytes are lost */
		return;
	}
	want = fuzz_modem_unread(f) + (int)f->len;
	while (off < f->len) {
		n = write(f->master, f->buf + off, f->len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	f->len = 0;
	for (tries = 0; tries < 5000 && fuzz_modem_unread(f) < want; tries++)
		nanosleep(&ts, NULL);
	fuzz_modem_pump(f);
}

static void
fuzz_modem_byte(struct fuzz_modem *f, unsigned char c, int by_line)
{
	f->buf[f->len++] = c;
	if (f->len == sizeof f->buf || (by_line && c == '\n'))
		fuzz_modem_deliver(f);
}

/* Fire a timer the driver armed, as its deadline would. */
static void
fuzz_modem_fire(struct fuzz_modem *f, struct event *ev)
{
	if (ev != NULL && evtimer_pending(ev, NULL))
		event_active(ev, EV_TIMEOUT, 1);
	fuzz_modem_pump(f);
}

static void
fuzz_modem_action(struct fuzz_modem *f, unsigned char a)
{
	struct modem		*m = f->m;
	struct modem_time	 t;
	size_t			 i;

	fuzz_modem_deliver(f);
	switch (a) {
	case 'T':
		fuzz_modem_fire(f, m->ev_timeout);
		break;
	case 'R':
		/* a reopen needs the pty (else the driver would hunt for
		 * its IMEI in /sys) */
		if (f->master != -1)
			fuzz_modem_fire(f, m->ev_retry);
		break;
	case 'H':
		fuzz_modem_fire(f, m->ev_health);
		break;
	case 'U':
		fuzz_modem_fire(f, m->ev_ussd);
		break;
	case 'S':
		(void)modem_send(m, ++f->job, FUZZ_MODEM_PDU, 23);
		break;
	case 'D':
	case 'r':
		for (i = 0; i < f->npending; i++) {
			if (a == 'D')
				modem_sms_done(m, f->pending[i]);
			else
				modem_sms_retry(m, f->pending[i]);
		}
		f->npending = 0;
		break;
	case 'W':
		modem_sweep(m);
		break;
	case 'P':
		modem_poll(m);
		break;
	case 'F':
		modem_flush(m, fuzz_modem_flushed, f);
		break;
	case 'u':
		(void)modem_ussd(m, "*123#");
		break;
	case 'y':
		(void)modem_ussd_reply(m, "1");
		break;
	case 'c':
		modem_ussd_cancel(m);
		break;
	case 'N':
		(void)modem_network_time(m, &t);
		(void)modem_can_send(m);
		if (strlen(modem_info(m)->last_error) >=
		    sizeof modem_info(m)->last_error)
			abort();
		break;
	case 'E':
		if (f->master != -1) {
			close(f->master);
			f->master = -1;
		}
		break;
	default:
		break;
	}
	fuzz_modem_pump(f);
}

static int
fuzz_modem_pty(char *path, size_t len)
{
	const char	*name;
	int		 fd;

	if ((fd = posix_openpt(O_RDWR | O_NOCTTY)) == -1)
		return -1;
	if (grantpt(fd) == -1 || unlockpt(fd) == -1 ||
	    (name = ptsname(fd)) == NULL || strlen(name) >= len ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		close(fd);
		return -1;
	}
	memcpy(path, name, strlen(name) + 1);
	return fd;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE		*devnull;
	static int		 logged;
	struct fuzz_modem	 f;
	struct modem_config	 cfg;
	struct modem_cb		 cb;
	char			 path[128];
	size_t			 i;
	int			 by_line, pass;

	if (!logged) {
		/* every line is formatted, debug and the AT trace too (they
		 * quote the modem's bytes), and dropped unless asked for */
		fuzz_modem_verbose = getenv("FUZZ_MODEM_VERBOSE") != NULL;
		log_init("fuzz_modem", 1, LOG_TO_STDERR);
		log_set_traces(TRACE_AT);
		if (!fuzz_modem_verbose) {
			if ((devnull = fopen("/dev/null", "w")) == NULL)
				abort();
			log_set_stream(devnull);
		}
		logged = 1;
	}
	if (size < 1)
		return 0;
	memset(&f, 0, sizeof f);
	if ((f.master = fuzz_modem_pty(path, sizeof path)) == -1) {
		perror("fuzz_modem: pty");
		abort();
	}
	if ((f.base = event_base_new()) == NULL)
		abort();
	memset(&cfg, 0, sizeof cfg);
	cfg.name = "fuzz";
	cfg.device = path;
	cfg.sweep = (data[0] & 0x01) != 0;
	cfg.keep_sms = (data[0] & 0x02) != 0;
	cfg.once = (data[0] & 0x04) != 0;
	cfg.pin = (data[0] & 0x08) ? "1234" : NULL;
	f.ack_inline = (data[0] & 0x10) != 0;
	by_line = (data[0] & 0x20) != 0;
	memset(&cb, 0, sizeof cb);
	cb.state = fuzz_modem_state;
	cb.sent = fuzz_modem_sent;
	cb.sms = fuzz_modem_sms;
	cb.report = fuzz_modem_report;
	cb.ussd = fuzz_modem_ussd;
	cb.clock = fuzz_modem_clock;
	f.m = modem_new(f.base, &cfg, &cb, &f);
	modem_start(f.m);
	fuzz_modem_pump(&f);

	for (i = 1; i < size; i++) {
		if (data[i] != FUZZ_MODEM_ESC || i + 1 == size) {
			fuzz_modem_byte(&f, data[i], by_line);
			continue;
		}
		i++;
		if (data[i] == FUZZ_MODEM_ESC)
			fuzz_modem_byte(&f, data[i], by_line);
		else
			fuzz_modem_action(&f, data[i]);
	}
	fuzz_modem_deliver(&f);

	modem_free(f.m);
	/* modem_free() frees from the loop */
	for (pass = 0; pass < 4; pass++)
		event_base_loop(f.base, EVLOOP_NONBLOCK);
	event_base_free(f.base);
	if (f.master != -1)
		close(f.master);
	return 0;
}
