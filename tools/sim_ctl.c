/*
 * tools/sim_ctl.c — modemsim's control socket: tests and the demo drive
 * the simulated phones and faults through it.
 *
 * A line protocol on a Unix stream socket: one command per line; the
 * reply is zero or more lines, then "OK" or "ERR <message>".  Reply lines
 * are JSON objects or plain words, never "OK" or "ERR", so a client reads
 * up to the final line without knowing the command.  The socket is
 * created under umask 077 and refused if another simulator answers on it.
 * A line over SIM_CTL_LINE_MAX gets an error and the client is closed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "compat.h"
#include "sim.h"

#define SIM_CTL_LINE_MAX	4096
#define SIM_CTL_ARGS		32

struct sim_ctl_client {
	TAILQ_ENTRY(sim_ctl_client) entry;
	struct sim		*sim;
	struct bufferevent	*bev;
	struct event		*ev_wait;
	size_t			 wait_n;	/* wait-sent target, 0 = none */
	int			 wait_ready;	/* wait-ready pending */
	int			 closing;	/* close once flushed */
};

struct sim_ctl_cmd {
	const char	*name;
	int		 min, max;	/* arguments after the name */
	const char	*usage;
	void		(*fn)(struct sim_ctl_client *, int, char **,
			    char **);
};

static void	sim_ctl_dispatch(struct sim_ctl_client *, char *);
static void	sim_ctl_read_cb(struct bufferevent *, void *);

static void
sim_ctl_line(struct sim_ctl_client *c, const char *s)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);

	evbuffer_add(out, s, strlen(s));
	evbuffer_add(out, "\n", 1);
}

static void
sim_ctl_ok(struct sim_ctl_client *c)
{
	sim_ctl_line(c, "OK");
}

static void
sim_ctl_err(struct sim_ctl_client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sim_ctl_err(struct sim_ctl_client *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	evbuffer_add_printf(bufferevent_get_output(c->bev), "ERR %s\n", s);
	free(s);
}

/* Lines written by f (a memstream), sent as reply lines. */
static void
sim_ctl_lines(struct sim_ctl_client *c, const char *s)
{
	evbuffer_add(bufferevent_get_output(c->bev), s, strlen(s));
}

static int
sim_ctl_num(struct sim_ctl_client *c, const char *s, long long min,
    long long max, int *v)
{
	const char	*errstr;

	*v = (int)strtonum(s, min, max, &errstr);
	if (errstr != NULL) {
		sim_ctl_err(c, "number %s is %s (%lld..%lld)", s, errstr,
		    min, max);
		return -1;
	}
	return 0;
}

/* ===== commands ===== */

static void
sim_ctl_sms(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	const char	*err;
	int		 parts;

	(void)argc;
	if (sim_sms_inject(c->sim, argv[1], rest[2], &parts, &err) == -1) {
		sim_ctl_err(c, "sms: %s", err);
		return;
	}
	evbuffer_add_printf(bufferevent_get_output(c->bev), "parts %d\n",
	    parts);
	sim_ctl_ok(c);
}

/* pdu [LENGTH] HEX: the network delivers this PDU as it is */
static void
sim_ctl_pdu(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	const char	*err;
	int		 len = -1;

	(void)rest;
	if (argc == 3 && sim_ctl_num(c, argv[1], 0, PDU_MAX_OCTETS, &len) ==
	    -1)
		return;
	if (sim_sms_inject_pdu(c->sim, len, argv[argc - 1], &err) == -1) {
		sim_ctl_err(c, "pdu: %s", err);
		return;
	}
	sim_ctl_ok(c);
}

/* The same text N times (a flood), as fast as the network takes them. */
static void
sim_ctl_sms_flood(struct sim_ctl_client *c, int argc, char **argv,
    char **rest)
{
	const char	*err;
	int		 n, i, parts;

	(void)argc;
	if (sim_ctl_num(c, argv[1], 1, SIM_HELD_MAX, &n) == -1)
		return;
	for (i = 0; i < n; i++) {
		if (sim_sms_inject(c->sim, argv[2], rest[3], &parts,
		    &err) == -1) {
			sim_ctl_err(c, "sms-flood: %d of %d queued: %s", i, n,
			    err);
			return;
		}
	}
	evbuffer_add_printf(bufferevent_get_output(c->bev), "texts %d\n", n);
	sim_ctl_ok(c);
}

static void
sim_ctl_sent_cmd(struct sim_ctl_client *c, int argc, char **argv,
    char **rest)
{
	size_t	i;

	(void)argc;
	(void)argv;
	(void)rest;
	for (i = 0; i < c->sim->nsent; i++)
		sim_ctl_line(c, c->sim->sent[i]);
	sim_ctl_ok(c);
}

static void
sim_ctl_wait_cb(int fd, short what, void *arg)
{
	struct sim_ctl_client	*c = arg;

	(void)fd;
	(void)what;
	if (c->wait_ready)
		sim_ctl_err(c, "timeout: modem %s, SIM %d, registration %d",
		    sim_at_state_name(c->sim->state), (int)c->sim->sim,
		    c->sim->reg);
	else
		sim_ctl_err(c, "timeout: %zu sent, waited for %zu",
		    c->sim->nsent_total, c->wait_n);
	c->wait_n = 0;
	c->wait_ready = 0;
	sim_ctl_read_cb(c->bev, c);	/* commands queued meanwhile */
}

static void
sim_ctl_wait(struct sim_ctl_client *c, int seconds)
{
	struct timeval	tv;

	if (c->ev_wait == NULL && (c->ev_wait = evtimer_new(c->sim->base,
	    sim_ctl_wait_cb, c)) == NULL)
		modemsim_fatal("evtimer_new failed");
	tv.tv_sec = seconds;
	tv.tv_usec = 0;
	event_add(c->ev_wait, &tv);
}

/* Booted, SIM ready and registered: the host can send. */
static int
sim_ctl_is_ready(struct sim *sim)
{
	return sim->plugged && sim->state == SIM_ST_CMD &&
	    sim->sim == SIM_SIM_READY && (sim->reg == 1 || sim->reg == 5);
}

static void
sim_ctl_wait_ready(struct sim_ctl_client *c, int argc, char **argv,
    char **rest)
{
	int	t = 10;

	(void)rest;
	if (argc > 1 && sim_ctl_num(c, argv[1], 1, 86400, &t) == -1)
		return;
	if (sim_ctl_is_ready(c->sim)) {
		sim_ctl_ok(c);
		return;
	}
	c->wait_ready = 1;
	sim_ctl_wait(c, t);
}

static void
sim_ctl_wait_sent(struct sim_ctl_client *c, int argc, char **argv,
    char **rest)
{
	int	n, t = 10;

	(void)rest;
	if (sim_ctl_num(c, argv[1], 1, 1000000, &n) == -1)
		return;
	if (argc > 2 && sim_ctl_num(c, argv[2], 1, 86400, &t) == -1)
		return;
	if (c->sim->nsent_total >= (size_t)n) {
		sim_ctl_ok(c);
		return;
	}
	c->wait_n = (size_t)n;
	sim_ctl_wait(c, t);
}

static void
sim_ctl_storage(struct sim_ctl_client *c, int argc, char **argv,
    char **rest)
{
	FILE	*f;
	char	*s = NULL;
	size_t	 len = 0;

	(void)rest;
	if (argc == 2) {
		if (strcmp(argv[1], "clear") != 0) {
			sim_ctl_err(c, "storage: clear, or nothing");
			return;
		}
		evbuffer_add_printf(bufferevent_get_output(c->bev),
		    "cleared %d\n", sim_sms_clear(c->sim));
		sim_ctl_ok(c);
		return;
	}
	if ((f = open_memstream(&s, &len)) == NULL)
		modemsim_fatal("open_memstream failed");
	sim_sms_storage_json(c->sim, f);
	fclose(f);
	sim_ctl_lines(c, s);
	free(s);
	sim_ctl_ok(c);
}

static void
sim_ctl_status(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	struct sim	*sim = c->sim;
	static const char *sims[] = { "ready", "pin", "busy", "absent" };

	(void)argc;
	(void)argv;
	(void)rest;
	evbuffer_add_printf(bufferevent_get_output(c->bev),
	    "{\"personality\":\"%s\",\"plugged\":%s,\"path\":\"%s\","
	    "\"link\":\"%s\",\"state\":\"%s\",\"sim\":\"%s\",\"reg\":%d,"
	    "\"echo\":%d,\"cmee\":%d,\"cmgf\":%d,"
	    "\"cnmi\":[%d,%d,%d,%d,%d],\"csms\":%d,"
	    "\"storage\":{\"used\":%d,\"total\":%d,\"base\":%d},"
	    "\"held\":%d,\"sent\":%zu,\"mr\":%u,\"ussd_session\":%s,"
	    "\"flood_left\":%ld}\n",
	    sim->pers->name, sim->plugged ? "true" : "false", sim->path,
	    sim->link ? sim->link : "", sim_at_state_name(sim->state),
	    sims[sim->sim], sim->reg, sim->echo, sim->cmee, sim->cmgf,
	    sim->cnmi[0], sim->cnmi[1], sim->cnmi[2], sim->cnmi[3],
	    sim->cnmi[4], sim->csms, sim_sms_used(sim), sim->nslots,
	    sim->index_base, sim->nheld, sim->nsent_total, sim->mr,
	    sim->ussd_path[0] != '\0' ? "true" : "false",
	    sim->flood_left);
	sim_ctl_ok(c);
}

static void
sim_ctl_fault(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	struct sim	*sim = c->sim;
	const char	*k = argv[1];
	int		 v, i, n;

	(void)rest;
	if (strcmp(k, "latency") == 0 && argc == 3) {
		if (sim_ctl_num(c, argv[2], 0, 600000, &v) == -1)
			return;
		sim->o.latency_ms = v;
	} else if (strcmp(k, "fail-next") == 0 && argc >= 3) {
		for (i = 2; i < argc; i++) {
			if (sim_ctl_num(c, argv[i], 0, 999, &v) == -1)
				return;
			if (sim->nfailq == SIM_FAILQ_MAX) {
				sim_ctl_err(c, "fail-next: queue full");
				return;
			}
			sim->failq[sim->nfailq++] = v;
		}
	} else if (strcmp(k, "fail-rate") == 0 && argc == 4 &&
	    (strcmp(argv[2], "temp") == 0 || strcmp(argv[2], "perm") == 0)) {
		if (sim_ctl_num(c, argv[3], 0, 100, &v) == -1)
			return;
		if (argv[2][0] == 't')
			sim->o.temp_pct = v;
		else
			sim->o.perm_pct = v;
	} else if (strcmp(k, "storage-full") == 0 && argc == 2) {
		n = sim_sms_fill(sim);
		evbuffer_add_printf(bufferevent_get_output(c->bev),
		    "filled %d\n", n);
	} else if (strcmp(k, "hang") == 0 && argc == 2) {
		sim_at_hang(sim);
	} else if (strcmp(k, "hang-cmgl") == 0 && argc == 2) {
		sim->hang_cmgl = 1;
	} else if (strcmp(k, "slow-cmgr") == 0 && argc == 3) {
		if (sim_ctl_num(c, argv[2], 1, 600000, &v) == -1)
			return;
		sim->slow_cmgr_ms = v;
	} else if (strcmp(k, "garbage") == 0 && argc <= 3) {
		v = 16;
		if (argc == 3 && sim_ctl_num(c, argv[2], 1, 65536, &v) == -1)
			return;
		sim_at_garbage(sim, (size_t)v);
	} else if (strcmp(k, "cmti-race") == 0 && argc == 2) {
		sim->race_cmti = 1;
	} else if ((strcmp(k, "stray-ok") == 0 ||
	    strcmp(k, "ok-no-cmgs") == 0 ||
	    strcmp(k, "garbled-cmgs") == 0 ||
	    strcmp(k, "ok-before-prompt") == 0) && argc <= 3) {
		v = 1;
		if (argc == 3 && sim_ctl_num(c, argv[2], 1, 1000000, &v) == -1)
			return;
		if (k[0] == 's')
			sim->stray_ok = v;
		else if (strcmp(k, "ok-no-cmgs") == 0)
			sim->ok_no_cmgs = v;
		else if (k[0] == 'g')
			sim->garbled_cmgs = v;
		else
			sim->ok_prompt = v;
	} else if (strcmp(k, "lose-cmti") == 0 && argc <= 3) {
		v = 1;
		if (argc == 3 && sim_ctl_num(c, argv[2], 1, 1000000, &v) == -1)
			return;
		sim->lose_cmti = v;
	} else if (strcmp(k, "cmgd-fail") == 0 && argc <= 3) {
		v = 1;
		if (argc == 3 && sim_ctl_num(c, argv[2], 1, 1000000, &v) == -1)
			return;
		sim->cmgd_fail = v;
	} else if (strcmp(k, "cmgd-lie") == 0 && argc <= 3) {
		v = 1;
		if (argc == 3 && sim_ctl_num(c, argv[2], 1, 1000000, &v) == -1)
			return;
		sim->cmgd_lie = v;
	} else if (strcmp(k, "hang-at") == 0 && argc == 3) {
		free(sim->hang_at);
		sim->hang_at = xstrdup(argv[2]);
	} else if (strcmp(k, "cnmi-test") == 0 && argc == 3) {
		free(sim->cnmi_test);
		sim->cnmi_test = xstrdup(argv[2]);
	} else if (strcmp(k, "cmti-flood") == 0 && argc == 3) {
		if (sim_ctl_num(c, argv[2], 1, 100000000, &v) == -1)
			return;
		sim_at_flood(sim, v);
	} else if (strcmp(k, "report") == 0 && (argc == 3 || argc == 4)) {
		if (sim_ctl_num(c, argv[2], 0, 255, &v) == -1)
			return;
		n = 1;
		if (argc == 4 && sim_ctl_num(c, argv[3], 1, 1000000, &n) ==
		    -1)
			return;
		sim->rep_fault_status = v;
		sim->rep_fault_count = n;
	} else if (strcmp(k, "signal") == 0 && argc == 3) {
		if (sim_ctl_num(c, argv[2], 0, 99, &v) == -1)
			return;
		sim->rssi = v;
	} else if (strcmp(k, "register") == 0 && argc == 3) {
		static const char *names[] = { "none", "home", "searching",
		    "denied", "unknown", "roaming" };

		for (v = 0; v < 6; v++)
			if (strcmp(argv[2], names[v]) == 0)
				break;
		if (v == 6 && strcmp(argv[2], "auto") != 0) {
			sim_ctl_err(c, "register: none, home, searching, "
			    "denied, unknown, roaming or auto");
			return;
		}
		sim->reg_hold = v == 6 ? -1 : v;
		if (sim->state != SIM_ST_OFF)
			sim_at_set_reg(sim, v < 6 ? v :
			    sim->sim == SIM_SIM_READY && sim->cfun == 1 ? 1 :
			    0);
	} else if (strcmp(k, "sim-busy") == 0 && argc == 3) {
		if (sim_ctl_num(c, argv[2], 1, 3600, &v) == -1)
			return;
		sim->o.sim_busy_s = v;
		sim_at_reboot(sim);
	} else if (strcmp(k, "no-credit") == 0 && argc <= 3) {
		/* every submission refused: +CMS ERROR: 8 */
		if (argc == 3 && strcmp(argv[2], "off") != 0 &&
		    strcmp(argv[2], "on") != 0) {
			sim_ctl_err(c, "no-credit: on or off");
			return;
		}
		sim->no_credit = argc == 2 || strcmp(argv[2], "on") == 0;
	} else if (strcmp(k, "clear") == 0 && argc == 2) {
		sim->nfailq = 0;
		sim->no_credit = 0;
		sim->o.temp_pct = sim->o.perm_pct = 0;
		sim->race_cmti = sim->hang_cmgl = 0;
		sim->slow_cmgr_ms = 0;
		sim->rep_fault_count = 0;
		sim->o.sim_busy_s = 0;
		sim->stray_ok = sim->ok_no_cmgs = sim->ok_prompt = 0;
		sim->garbled_cmgs = 0;
		sim->lose_cmti = 0;
		sim->cmgd_fail = sim->cmgd_lie = 0;
		free(sim->cnmi_test);
		sim->cnmi_test = NULL;
		free(sim->hang_at);
		sim->hang_at = NULL;
		sim->flood_left = 0;
		if (sim->reg_hold >= 0) {
			sim->reg_hold = -1;
			if (sim->sim == SIM_SIM_READY && sim->cfun == 1)
				sim_at_set_reg(sim, 1);
		}
	} else {
		sim_ctl_err(c, "fault: unknown kind or arguments: %s (try "
		    "help)", k);
		return;
	}
	sim_ctl_ok(c);
}

static void
sim_ctl_unplug(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	(void)argc;
	(void)argv;
	(void)rest;
	if (!c->sim->plugged) {
		sim_ctl_err(c, "not plugged");
		return;
	}
	sim_at_power_on(c->sim, 0);
	sim_pty_unplug(c->sim);
	sim_ctl_ok(c);
}

static void
sim_ctl_replug(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	const char	*err;

	(void)rest;
	if (c->sim->plugged) {
		sim_at_power_on(c->sim, 0);
		sim_pty_unplug(c->sim);
	}
	if (sim_pty_plug(c->sim, argc > 1 ? argv[1] : NULL, &err) == -1) {
		sim_ctl_err(c, "replug: %s", err);
		return;
	}
	sim_at_power_on(c->sim, 1);
	sim_ctl_line(c, c->sim->path);
	sim_ctl_ok(c);
}

static void
sim_ctl_reboot(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	(void)argc;
	(void)argv;
	(void)rest;
	sim_at_reboot(c->sim);
	sim_ctl_ok(c);
}

static void
sim_ctl_ussd(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	(void)argc;
	(void)argv;
	sim_ussd_notify(c->sim, 0, rest[1]);
	sim_ctl_ok(c);
}

static void
sim_ctl_balance(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	(void)argc;
	(void)argv;
	free(c->sim->balance);
	c->sim->balance = xstrdup(rest[1]);
	sim_ctl_ok(c);
}

static void
sim_ctl_quit(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	(void)argc;
	(void)argv;
	(void)rest;
	c->sim->quitting = 1;
	c->closing = 1;
	sim_ctl_ok(c);
}

/* A new network time; the network sends it at once when registered. */
static void
sim_ctl_network_time(struct sim_ctl_client *c, int argc, char **argv,
    char **rest)
{
	const char	*err;

	(void)argc;
	(void)rest;
	if (sim_clock_set(c->sim, argv[1], &err) == -1) {
		sim_ctl_err(c, "%s", err);
		return;
	}
	if (c->sim->reg == 1 || c->sim->reg == 5)
		sim_clock_nitz(c->sim);
	sim_ctl_ok(c);
}

static void	sim_ctl_help(struct sim_ctl_client *, int, char **, char **);

static const struct sim_ctl_cmd sim_ctl_cmds[] = {
	{ "balance", 1, SIM_CTL_ARGS, "balance TEXT (the answer to " SIM_BALANCE_CODE
	  ")", sim_ctl_balance },
	{ "fault", 1, SIM_CTL_ARGS, "fault KIND [ARGS] (kinds: latency MS, "
	  "fail-next CODE..., fail-rate temp|perm PCT, storage-full, hang, "
	  "hang-cmgl, hang-at CMD, slow-cmgr MS, garbage [N], cmti-race, "
	  "cmti-flood N, lose-cmti [N], cmgd-fail [N], cmgd-lie [N], "
	  "cnmi-test RANGES, stray-ok [N], "
	  "ok-no-cmgs [N], ok-before-prompt [N], garbled-cmgs [N], "
	  "report STATUS [COUNT], "
	  "signal N, register STATE, sim-busy S, no-credit [on|off], clear)",
	  sim_ctl_fault },
	{ "help", 0, 0, "help", sim_ctl_help },
	{ "network-time", 1, 1, "network-time none|now|+-N[smhd]|"
	  "YYYY-MM-DDTHH:MM:SS[+HH:MM] (sent as NITZ when registered)",
	  sim_ctl_network_time },
	{ "pdu", 1, 2, "pdu [LENGTH] HEX (raw, as the modem prints it)",
	  sim_ctl_pdu },
	{ "quit", 0, 0, "quit", sim_ctl_quit },
	{ "reboot", 0, 0, "reboot", sim_ctl_reboot },
	{ "replug", 0, 1, "replug [LINK]", sim_ctl_replug },
	{ "sent", 0, 0, "sent", sim_ctl_sent_cmd },
	{ "sms", 2, SIM_CTL_ARGS, "sms FROM TEXT...", sim_ctl_sms },
	{ "sms-flood", 3, SIM_CTL_ARGS, "sms-flood N FROM TEXT...",
	  sim_ctl_sms_flood },
	{ "status", 0, 0, "status", sim_ctl_status },
	{ "storage", 0, 1, "storage [clear] (clear: every slot emptied, "
	  "as another program would)", sim_ctl_storage },
	{ "unplug", 0, 0, "unplug", sim_ctl_unplug },
	{ "ussd", 1, SIM_CTL_ARGS, "ussd TEXT (network-initiated)",
	  sim_ctl_ussd },
	{ "wait-ready", 0, 1, "wait-ready [TIMEOUT_S]", sim_ctl_wait_ready },
	{ "wait-sent", 1, 2, "wait-sent N [TIMEOUT_S]", sim_ctl_wait_sent },
};

static void
sim_ctl_help(struct sim_ctl_client *c, int argc, char **argv, char **rest)
{
	size_t	i;

	(void)argc;
	(void)argv;
	(void)rest;
	for (i = 0; i < sizeof sim_ctl_cmds / sizeof sim_ctl_cmds[0]; i++)
		sim_ctl_line(c, sim_ctl_cmds[i].usage);
	sim_ctl_ok(c);
}

static void
sim_ctl_dispatch(struct sim_ctl_client *c, char *line)
{
	char	*argv[SIM_CTL_ARGS + 2], *rest[SIM_CTL_ARGS + 2], *p;
	char	*orig;
	int	 argc = 0;
	size_t	 i;

	orig = xstrdup(line);
	p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		/* a long text: the rest of the line stays in rest[] */
		if (argc == SIM_CTL_ARGS + 1)
			break;
		rest[argc] = orig + (p - line);
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	if (argc == 0) {
		free(orig);
		return;
	}
	rest[argc] = orig + strlen(orig);
	for (i = 0; i < sizeof sim_ctl_cmds / sizeof sim_ctl_cmds[0]; i++) {
		const struct sim_ctl_cmd *cmd = &sim_ctl_cmds[i];

		if (strcmp(cmd->name, argv[0]) != 0)
			continue;
		if (argc - 1 < cmd->min || argc - 1 > cmd->max)
			sim_ctl_err(c, "usage: %s", cmd->usage);
		else
			cmd->fn(c, argc, argv, rest);
		free(orig);
		return;
	}
	sim_ctl_err(c, "unknown command %s (try help)", argv[0]);
	free(orig);
}

static void
sim_ctl_free(struct sim_ctl_client *c)
{
	TAILQ_REMOVE(&c->sim->clients, c, entry);
	if (c->ev_wait != NULL)
		event_free(c->ev_wait);
	bufferevent_free(c->bev);
	free(c);
}

static void
sim_ctl_read_cb(struct bufferevent *bev, void *arg)
{
	struct sim_ctl_client	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	char			*line;
	size_t			 n;

	while (!c->closing && c->wait_n == 0 && !c->wait_ready &&
	    (line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		if (n > SIM_CTL_LINE_MAX) {
			sim_ctl_err(c, "line too long");
			c->closing = 1;
		} else
			sim_ctl_dispatch(c, line);
		free(line);
	}
	if (!c->closing && evbuffer_get_length(in) > SIM_CTL_LINE_MAX) {
		sim_ctl_err(c, "line too long");
		c->closing = 1;
	}
	if (c->closing) {
		bufferevent_disable(bev, EV_READ);
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
			struct sim *sim = c->sim;

			sim_ctl_free(c);
			if (sim->quitting)
				event_base_loopbreak(sim->base);
		}
	}
}

static void
sim_ctl_write_cb(struct bufferevent *bev, void *arg)
{
	struct sim_ctl_client	*c = arg;
	struct sim		*sim = c->sim;

	(void)bev;
	if (!c->closing)
		return;
	sim_ctl_free(c);
	if (sim->quitting)
		event_base_loopbreak(sim->base);
}

static void
sim_ctl_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		sim_ctl_free(arg);
}

static void
sim_ctl_accept_cb(int fd, short what, void *arg)
{
	struct sim		*sim = arg;
	struct sim_ctl_client	*c;
	int			 s;

	(void)what;
	if ((s = accept(fd, NULL, NULL)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			modemsim_log(sim, "accept: %s", strerror(errno));
		return;
	}
	(void)fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
	(void)fcntl(s, F_SETFD, FD_CLOEXEC);
	c = xcalloc(1, sizeof *c);
	c->sim = sim;
	c->bev = bufferevent_socket_new(sim->base, s, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL)
		modemsim_fatal("bufferevent_socket_new failed");
	bufferevent_setcb(c->bev, sim_ctl_read_cb, sim_ctl_write_cb,
	    sim_ctl_event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&sim->clients, c, entry);
}

/* Something changed: answer the waiting clients now satisfied. */
void
sim_ctl_poke(struct sim *sim)
{
	struct sim_ctl_client	*c, *next;

	for (c = TAILQ_FIRST(&sim->clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->wait_ready && sim_ctl_is_ready(sim))
			c->wait_ready = 0;
		else if (c->wait_n != 0 && sim->nsent_total >= c->wait_n)
			c->wait_n = 0;
		else
			continue;
		event_del(c->ev_wait);
		sim_ctl_ok(c);
		sim_ctl_read_cb(c->bev, c);
	}
}

int
sim_ctl_open(struct sim *sim, const char *path, const char **err)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	TAILQ_INIT(&sim->clients);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof sun.sun_path) >=
	    sizeof sun.sun_path) {
		*err = "socket path too long";
		return -1;
	}
	/* refuse to steal the socket of a live simulator */
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		*err = strerror(errno);
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
		close(fd);
		*err = "socket in use by a running modemsim";
		return -1;
	}
	close(fd);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		*err = strerror(errno);
		return -1;
	}
	(void)unlink(path);
	old = umask(077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    listen(fd, 16) == -1) {
		umask(old);
		*err = strerror(errno);
		close(fd);
		return -1;
	}
	umask(old);
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	sim->ctl_fd = fd;
	sim->ev_accept = event_new(sim->base, fd, EV_READ | EV_PERSIST,
	    sim_ctl_accept_cb, sim);
	if (sim->ev_accept == NULL)
		modemsim_fatal("event_new failed");
	event_add(sim->ev_accept, NULL);
	return 0;
}

void
sim_ctl_close(struct sim *sim)
{
	while (!TAILQ_EMPTY(&sim->clients))
		sim_ctl_free(TAILQ_FIRST(&sim->clients));
	if (sim->ev_accept != NULL) {
		event_free(sim->ev_accept);
		close(sim->ctl_fd);
		sim->ev_accept = NULL;
		if (sim->o.sock != NULL)
			(void)unlink(sim->o.sock);
	}
}
