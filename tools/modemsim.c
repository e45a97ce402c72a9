/*
 * tools/modemsim.c — a simulated GSM modem on a pseudo-terminal, the
 * fixture of the end-to-end tests and of the demo.
 *
 *	modemsim [options]			run the simulator
 *	modemsim ctl SOCKET COMMAND [ARG...]	send one control command
 *
 * The simulator prints the slave path (/dev/pts/N) on stdout once the pty,
 * the link and the control socket are ready; the host opens it like a USB
 * modem.  See sim.h for the files and README.md ("modemsim") for the
 * options and the control commands.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "compat.h"
#include "sim.h"

static struct sim	*modemsim_logsim;	/* for modemsim_fatal only */

static void
modemsim_usage(void)
{
	fprintf(stderr,
"usage: modemsim [-v] [-l LINK] [-o FILE] [-s SOCKET] [-p PERSONALITY]\n"
"                [--storage N] [--index-base 0|1] [--latency MS]\n"
"                [--report-delay MS] [--report-status N] [--boot-delay MS]\n"
"                [--urc-interval MS] [--ussd-delay MS] [--ussd-timeout S]\n"
"                [--ussd-script FILE] [--cnma-timeout MS] [--sim-busy S]\n"
"                [--reg-delay S] [--pin PIN] [--no-sim] [--rssi N]\n"
"                [--smsc NUMBER] [--operator NAME] [--temp-fail PCT]\n"
"                [--perm-fail PCT] [--seed N] [--number NUMBER]\n"
"                [--network-time none|now|+-N[smhd]|YYYY-MM-DDTHH:MM:SS[+HH:MM]]\n"
"                [--imei DIGITS] [--imsi DIGITS] [--balance TEXT]\n"
"                [--no-credit] [--cnmi-direct]\n"
"       modemsim ctl SOCKET COMMAND [ARG...]\n"
"personalities: generic (default), huawei, simcom, quectel\n");
	exit(2);
}

void
modemsim_log(struct sim *sim, const char *fmt, ...)
{
	va_list	ap;

	if (sim == NULL || sim->o.verbose == 0)
		return;
	va_start(ap, fmt);
	fputs("modemsim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Bytes on the serial line, escaped, with -vv. */
void
modemsim_trace(struct sim *sim, const char *dir, const char *buf,
    size_t len)
{
	size_t		i;
	unsigned char	c;

	if (sim->o.verbose < 2)
		return;
	fprintf(stderr, "modemsim: %s \"", dir);
	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		if (c == '\r')
			fputs("\\r", stderr);
		else if (c == '\n')
			fputs("\\n", stderr);
		else if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputs("\"\n", stderr);
}

void
modemsim_fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("modemsim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (modemsim_logsim != NULL && modemsim_logsim->link != NULL)
		(void)unlink(modemsim_logsim->link);
	exit(1);
}

/* xorshift64*: reproducible faults from --seed. */
unsigned
modemsim_rand(struct sim *sim)
{
	uint64_t	x = sim->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	sim->rng = x;
	return (unsigned)((x * 2685821657736338717ULL) >> 32);
}

/* ===== client mode ===== */

static int
modemsim_ctl(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	FILE			*f;
	char			*line = NULL, *cmd = NULL, *tmp;
	size_t			 cap = 0;
	ssize_t			 n;
	int			 fd, i, rc = 1;

	if (argc < 2)
		modemsim_usage();
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, argv[0], sizeof sun.sun_path) >=
	    sizeof sun.sun_path) {
		fprintf(stderr, "modemsim ctl: socket path too long\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (strchr(argv[i], '\n') != NULL) {
			fprintf(stderr, "modemsim ctl: newline in argument\n");
			return 1;
		}
		xasprintf(&tmp, "%s%s%s", cmd ? cmd : "", cmd ? " " : "",
		    argv[i]);
		free(cmd);
		cmd = tmp;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		fprintf(stderr, "modemsim ctl: %s: %s\n", argv[0],
		    strerror(errno));
		free(cmd);
		return 1;
	}
	if ((f = fdopen(fd, "r+")) == NULL)
		modemsim_fatal("fdopen: %s", strerror(errno));
	fprintf(f, "%s\n", cmd);
	fflush(f);
	free(cmd);
	while ((n = getline(&line, &cap, f)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (strcmp(line, "OK") == 0) {
			rc = 0;
			break;
		}
		if (strncmp(line, "ERR", 3) == 0) {
			fprintf(stderr, "modemsim ctl: %s\n",
			    line[3] == ' ' ? line + 4 : line + 3);
			break;
		}
		printf("%s\n", line);
	}
	if (n == -1)
		fprintf(stderr, "modemsim ctl: connection closed\n");
	free(line);
	fclose(f);
	return rc;
}

/* ===== the simulator ===== */

static int
modemsim_num(const char *name, const char *s, long long min, long long max)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(s, min, max, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "modemsim: --%s %s is %s (%lld..%lld)\n",
		    name, s, errstr, min, max);
		exit(2);
	}
	return (int)v;
}

static void
modemsim_signal_cb(int sig, short what, void *arg)
{
	struct sim	*sim = arg;

	(void)sig;
	(void)what;
	event_base_loopbreak(sim->base);
}

enum {
	OPT_STORAGE = 256, OPT_INDEX_BASE, OPT_LATENCY, OPT_REPORT_DELAY,
	OPT_REPORT_STATUS, OPT_BOOT_DELAY, OPT_URC_INTERVAL, OPT_USSD_DELAY,
	OPT_USSD_TIMEOUT, OPT_USSD_SCRIPT, OPT_CNMA_TIMEOUT, OPT_SIM_BUSY,
	OPT_REG_DELAY, OPT_PIN, OPT_NO_SIM, OPT_RSSI, OPT_SMSC, OPT_OPERATOR,
	OPT_TEMP_FAIL, OPT_PERM_FAIL, OPT_SEED, OPT_NUMBER, OPT_NETWORK_TIME,
	OPT_IMEI, OPT_IMSI, OPT_BALANCE, OPT_NO_CREDIT, OPT_CNMI_DIRECT,
};

static const struct option modemsim_longopts[] = {
	{ "storage", required_argument, NULL, OPT_STORAGE },
	{ "index-base", required_argument, NULL, OPT_INDEX_BASE },
	{ "latency", required_argument, NULL, OPT_LATENCY },
	{ "report-delay", required_argument, NULL, OPT_REPORT_DELAY },
	{ "report-status", required_argument, NULL, OPT_REPORT_STATUS },
	{ "boot-delay", required_argument, NULL, OPT_BOOT_DELAY },
	{ "urc-interval", required_argument, NULL, OPT_URC_INTERVAL },
	{ "ussd-delay", required_argument, NULL, OPT_USSD_DELAY },
	{ "ussd-timeout", required_argument, NULL, OPT_USSD_TIMEOUT },
	{ "ussd-script", required_argument, NULL, OPT_USSD_SCRIPT },
	{ "cnma-timeout", required_argument, NULL, OPT_CNMA_TIMEOUT },
	{ "sim-busy", required_argument, NULL, OPT_SIM_BUSY },
	{ "reg-delay", required_argument, NULL, OPT_REG_DELAY },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "no-sim", no_argument, NULL, OPT_NO_SIM },
	{ "cnmi-direct", no_argument, NULL, OPT_CNMI_DIRECT },
	{ "rssi", required_argument, NULL, OPT_RSSI },
	{ "smsc", required_argument, NULL, OPT_SMSC },
	{ "operator", required_argument, NULL, OPT_OPERATOR },
	{ "temp-fail", required_argument, NULL, OPT_TEMP_FAIL },
	{ "perm-fail", required_argument, NULL, OPT_PERM_FAIL },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "number", required_argument, NULL, OPT_NUMBER },
	{ "network-time", required_argument, NULL, OPT_NETWORK_TIME },
	{ "imei", required_argument, NULL, OPT_IMEI },
	{ "imsi", required_argument, NULL, OPT_IMSI },
	{ "balance", required_argument, NULL, OPT_BALANCE },
	{ "no-credit", no_argument, NULL, OPT_NO_CREDIT },
	{ NULL, 0, NULL, 0 },
};

static void
modemsim_options(struct sim *sim, int argc, char **argv)
{
	struct sim_opts	*o = &sim->o;
	const char	*err;
	int		 ch;

	o->pers = "generic";
	o->index_base = -1;
	o->latency_ms = 100;
	o->report_ms = 500;
	o->boot_ms = 100;
	o->urc_ms = 5000;
	o->ussd_ms = 200;
	o->ussd_timeout_s = 60;
	o->cnma_ms = 15000;
	o->rssi = 20;
	o->smsc = "+15550100999";
	o->oper = "SimNet";
	sim->net_tz = 32;	/* +08:00 */
	o->seed = 1;
	while ((ch = getopt_long(argc, argv, "l:o:p:s:v", modemsim_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'l':
			o->link = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'p':
			o->pers = optarg;
			break;
		case 's':
			o->sock = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case OPT_STORAGE:
			o->storage = modemsim_num("storage", optarg, 1, 255);
			break;
		case OPT_INDEX_BASE:
			o->index_base = modemsim_num("index-base", optarg, 0,
			    1);
			break;
		case OPT_LATENCY:
			o->latency_ms = modemsim_num("latency", optarg, 0,
			    600000);
			break;
		case OPT_REPORT_DELAY:
			o->report_ms = modemsim_num("report-delay", optarg, 0,
			    86400000);
			break;
		case OPT_REPORT_STATUS:
			o->report_status = modemsim_num("report-status",
			    optarg, 0, 255);
			break;
		case OPT_BOOT_DELAY:
			o->boot_ms = modemsim_num("boot-delay", optarg, 0,
			    600000);
			break;
		case OPT_URC_INTERVAL:
			o->urc_ms = modemsim_num("urc-interval", optarg, 0,
			    3600000);
			break;
		case OPT_USSD_DELAY:
			o->ussd_ms = modemsim_num("ussd-delay", optarg, 0,
			    600000);
			break;
		case OPT_USSD_TIMEOUT:
			o->ussd_timeout_s = modemsim_num("ussd-timeout",
			    optarg, 1, 3600);
			break;
		case OPT_USSD_SCRIPT:
			o->ussd_script = optarg;
			break;
		case OPT_CNMA_TIMEOUT:
			o->cnma_ms = modemsim_num("cnma-timeout", optarg, 1,
			    600000);
			break;
		case OPT_SIM_BUSY:
			o->sim_busy_s = modemsim_num("sim-busy", optarg, 0,
			    3600);
			break;
		case OPT_REG_DELAY:
			o->reg_delay_s = modemsim_num("reg-delay", optarg, 0,
			    3600);
			break;
		case OPT_PIN:
			if (strlen(optarg) < 4 || strlen(optarg) > 8 ||
			    strspn(optarg, "0123456789") != strlen(optarg)) {
				fprintf(stderr, "modemsim: --pin: 4 to 8 "
				    "digits\n");
				exit(2);
			}
			o->pin = optarg;
			break;
		case OPT_NO_SIM:
			o->no_sim = 1;
			break;
		case OPT_CNMI_DIRECT:
			o->cnmi_direct = 1;
			break;
		case OPT_RSSI:
			o->rssi = modemsim_num("rssi", optarg, 0, 99);
			break;
		case OPT_SMSC:
			if (strlen(optarg) > PDU_ADDR_MAX || strspn(optarg +
			    (optarg[0] == '+'), "0123456789") !=
			    strlen(optarg + (optarg[0] == '+'))) {
				fprintf(stderr, "modemsim: --smsc: digits, "
				    "optionally after '+'\n");
				exit(2);
			}
			o->smsc = optarg;
			break;
		case OPT_OPERATOR:
			if (strchr(optarg, '"') != NULL) {
				fprintf(stderr, "modemsim: --operator: no '\"'"
				    "\n");
				exit(2);
			}
			o->oper = optarg;
			break;
		case OPT_NETWORK_TIME:
			if (sim_clock_set(sim, optarg, &err) == -1) {
				fprintf(stderr, "modemsim: --%s\n", err);
				exit(2);
			}
			break;
		case OPT_IMEI:
			if (optarg[strspn(optarg, "0123456789")] != '\0' ||
			    strlen(optarg) != 15) {
				fprintf(stderr, "modemsim: --imei: 15 "
				    "digits\n");
				exit(2);
			}
			o->imei = optarg;
			break;
		case OPT_IMSI:
			if (optarg[strspn(optarg, "0123456789")] != '\0' ||
			    strlen(optarg) < 5 || strlen(optarg) > 15) {
				fprintf(stderr, "modemsim: --imsi: 5 to 15 "
				    "digits\n");
				exit(2);
			}
			o->imsi = optarg;
			break;
		case OPT_BALANCE:
			free(sim->balance);
			sim->balance = xstrdup(optarg);
			break;
		case OPT_NO_CREDIT:
			sim->no_credit = 1;
			break;
		case OPT_NUMBER:
			if (optarg[strspn(optarg, "+0123456789")] != '\0' ||
			    strlen(optarg) > 20) {
				fprintf(stderr, "modemsim: --number: + and "
				    "digits\n");
				exit(2);
			}
			o->number = optarg;
			break;
		case OPT_TEMP_FAIL:
			o->temp_pct = modemsim_num("temp-fail", optarg, 0,
			    100);
			break;
		case OPT_PERM_FAIL:
			o->perm_pct = modemsim_num("perm-fail", optarg, 0,
			    100);
			break;
		case OPT_SEED:
			o->seed = (unsigned)modemsim_num("seed", optarg, 0,
			    2147483647);
			break;
		default:
			modemsim_usage();
		}
	}
	if (optind != argc)
		modemsim_usage();
	if ((sim->pers = sim_at_personality(o->pers)) == NULL) {
		fprintf(stderr, "modemsim: unknown personality %s (generic, "
		    "huawei, simcom, quectel)\n", o->pers);
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	struct sim	*sim;
	struct event	*ev_term, *ev_int;
	const char	*err;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return modemsim_ctl(argc - 2, argv + 2);

	sim = xcalloc(1, sizeof *sim);
	sim->master = sim->slave = sim->ctl_fd = -1;
	modemsim_options(sim, argc, argv);
	modemsim_logsim = sim;
	sim->rng = ((uint64_t)sim->o.seed << 1) | 1;
	strlcpy(sim->smsc, sim->o.smsc, sizeof sim->smsc);
	if ((sim->base = event_base_new()) == NULL)
		modemsim_fatal("event_base_new failed");
	if ((sim->out = evbuffer_new()) == NULL ||
	    (sim->in = evbuffer_new()) == NULL)
		modemsim_fatal("evbuffer_new failed");

	sim_at_init(sim);
	sim_sms_init(sim);
	if (sim->o.ussd_script != NULL) {
		if (sim_ussd_load(sim, sim->o.ussd_script, &err) == -1)
			modemsim_fatal("%s", err);
	} else
		sim_ussd_builtin(sim);
	TAILQ_INIT(&sim->clients);
	if (sim->o.sock != NULL && sim_ctl_open(sim, sim->o.sock, &err) == -1)
		modemsim_fatal("%s: %s", sim->o.sock, err);
	if (sim_pty_plug(sim, sim->o.link, &err) == -1)
		modemsim_fatal("pty: %s", err);
	sim_at_power_on(sim, 1);

	ev_term = evsignal_new(sim->base, SIGTERM, modemsim_signal_cb, sim);
	ev_int = evsignal_new(sim->base, SIGINT, modemsim_signal_cb, sim);
	if (ev_term == NULL || ev_int == NULL)
		modemsim_fatal("evsignal_new failed");
	event_add(ev_term, NULL);
	event_add(ev_int, NULL);

	event_base_dispatch(sim->base);

	modemsim_log(sim, "exiting");
	event_free(ev_term);
	event_free(ev_int);
	sim_ctl_close(sim);
	sim_at_power_on(sim, 0);
	sim_pty_free(sim);
	sim_ussd_free(sim);
	free(sim->balance);
	free(sim->cnmi_test);
	free(sim->hang_at);
	sim_sms_free(sim);
	sim_at_free(sim);
	evbuffer_free(sim->in);
	evbuffer_free(sim->out);
	event_base_free(sim->base);
	free(sim);
	return 0;
}
