/*
 * tools/cmd_admin.c — the operator's commands: "tambuli backup" (a
 * consistent snapshot while the daemon runs, its path recorded for the
 * wipe), "tambuli doctor" (one line per check of what usually goes wrong
 * on a Pi, with what to do) and "tambuli wipe" (the panic wipe).
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include <sys/timex.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compat.h"
#include "ctl_proto.h"
#include "nettime.h"

#define CMD_ADMIN_FREE_FAIL	(10LL << 20)	/* bytes */
#define CMD_ADMIN_FREE_WARN	(100LL << 20)
#define CMD_ADMIN_CLOCK_MIN	1767225600	/* 2026-01-01: older is wrong */
#define CMD_ADMIN_CLOCK_SLACK	300		/* seconds */
#define CMD_ADMIN_NETCLOCK_MAX	120		/* seconds from the network time */
#define CMD_ADMIN_WIPE_WORDS	"destroy everything"
#define CMD_ADMIN_WIPE_WAIT_MS	10000	/* for the daemon to let go */

static int	cmd_admin_backup_exec(struct cmd_ctx *);
static int	cmd_admin_doctor_exec(struct cmd_ctx *);
static int	cmd_admin_wipe_exec(struct cmd_ctx *);

const struct cmd_entry cmd_admin_backup_entry = {
	.name = "backup",
	.args = "FILE",
	.help = "write a consistent snapshot of the database to FILE (mode "
	    "0600), safe while the daemon runs and sends",
	.opts = NULL,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_admin_backup_exec,
};

const struct cmd_entry cmd_admin_doctor_entry = {
	.name = "doctor",
	.args = "",
	.help = "check the configuration, database, daemon, modems and clock; "
	    "one line each (ok, warn, fail) with what to do; exit 1 on a fail",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_admin_doctor_exec,
};

static const struct cmd_opt cmd_admin_wipe_opts[] = {
	{ "yes-destroy-everything", NULL, "do not ask on the terminal", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_admin_wipe_entry = {
	.name = "wipe",
	.args = "",
	.help = "panic wipe: stop the daemon (kill it if it hangs), "
	    "overwrite and remove the "
	    "database, its -wal/-shm, its recorded backups and migration "
	    "snapshots; asks for the words \"" CMD_ADMIN_WIPE_WORDS "\"",
	.opts = cmd_admin_wipe_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_admin_wipe_exec,
};

/* ===== backup ===== */

static int
cmd_admin_backup_exec(struct cmd_ctx *ctx)
{
	struct conf	 c;
	struct db	*db;
	struct stat	 st;
	char		*cause, real[PATH_MAX];
	int		 rc = CMD_OK;

	memset(&c, 0, sizeof c);
	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if ((db = cli_db(&c)) == NULL) {
		conf_free(&c);
		return CMD_FAIL;
	}
	if (backup_db(db, ctx->argv[0], &cause) == -1) {
		rc = cmd_error("backup %s", cause);
		free(cause);
	} else if (realpath(ctx->argv[0], real) == NULL ||
	    backup_record(db, real, cli_now()) == -1) {
		/* the wipe would miss it: not a success */
		rc = cmd_error("backup written to %s, but not recorded for "
		    "tambuli wipe (%s): remove it, or destroy it by hand after "
		    "a wipe", ctx->argv[0], db_error(db)[0] != '\0' ?
		    db_error(db) : strerror(errno));
	} else if (stat(ctx->argv[0], &st) == 0)
		printf("backup of %s written to %s (%lld bytes)\n", c.database,
		    ctx->argv[0], (long long)st.st_size);
	db_close(db);
	conf_free(&c);
	return rc;
}

/* ===== doctor ===== */

struct cmd_admin_doc {
	int	fails;
	int	warns;
};

static void
cmd_admin_say(struct cmd_admin_doc *d, const char *level, const char *what,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
cmd_admin_say(struct cmd_admin_doc *d, const char *level, const char *what,
    const char *fmt, ...)
{
	va_list	ap;

	if (strcmp(level, "fail") == 0)
		d->fails++;
	else if (strcmp(level, "warn") == 0)
		d->warns++;
	printf("%-4s  %-13s ", level, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * The user the daemon runs as: "user =" in [gateway] (what a daemon
 * started as root becomes; the service unit starts it as that user
 * already).  Without one the daemon stays the user it was started as,
 * which doctor cannot know: then whoever runs doctor, and *who says so.
 * NULL, with a fail line, when the configured user does not exist.
 */
static const struct passwd *
cmd_admin_daemon_user(struct cmd_admin_doc *d, const struct conf *c,
    const char **who)
{
	const struct passwd	*pw;

	if (c->user != NULL && *c->user != '\0') {
		*who = "user = in [gateway]";
		if ((pw = getpwnam(c->user)) == NULL)
			cmd_admin_say(d, "fail", "user", "there is no user %s "
			    "(user = in [gateway]) for tambulid to run as: "
			    "create it (systemd-sysusers, or adduser --system "
			    "--ingroup dialout %s), or name another",
			    c->user, c->user);
		return pw;
	}
	*who = "who runs doctor: no user = in [gateway], tambulid stays "
	    "the user it is started as";
	return getpwuid(geteuid());
}

/* May user pw open path for reading and writing (mode bits, groups)? */
static int
cmd_admin_user_rw(const struct passwd *pw, const struct stat *st)
{
	gid_t	groups[256];
	int	n = (int)(sizeof groups / sizeof groups[0]), i;

	if (pw->pw_uid == 0)
		return 1;
	if (st->st_uid == pw->pw_uid)
		return (st->st_mode & 0600) == 0600;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		n = 0;
	for (i = 0; i < n; i++)
		if (groups[i] == st->st_gid)
			return (st->st_mode & 0060) == 0060;
	return (st->st_mode & 0006) == 0006;
}

/*
 * What process pid is: its command name, or, for a program run by an
 * emulator (qemu-user, as on a cross-built test run), tambulid or
 * modemsim when that is what it runs.
 */
static void
cmd_admin_proc_name(const char *pid, char *name, size_t len)
{
	char	 path[300], args[4096], *a, *base;
	size_t	 n;
	FILE	*fp;

	strlcpy(name, "?", len);
	snprintf(path, sizeof path, "/proc/%s/comm", pid);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(name, (int)len, fp) != NULL)
			name[strcspn(name, "\n")] = '\0';
		fclose(fp);
	}
	if (strncmp(name, "qemu-", 5) != 0)
		return;
	snprintf(path, sizeof path, "/proc/%s/cmdline", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	n = fread(args, 1, sizeof args - 1, fp);
	fclose(fp);
	args[n] = '\0';
	for (a = args; a < args + n; a += strlen(a) + 1) {
		base = strrchr(a, '/');
		base = base != NULL ? base + 1 : a;
		if (strcmp(base, "tambulid") == 0 ||
		    strcmp(base, "modemsim") == 0) {
			strlcpy(name, base, len);
			return;
		}
	}
}

/*
 * Processes that have path open, as "name (pid N)" joined by ", ", into
 * buf; the count.  Only what /proc lets us see: other users' open files
 * only to root, so *hidden counts the processes we could not look into
 * (and is set too when /proc hides other users' processes altogether,
 * mounted with hidepid).  *daemon is set when tambulid is one of them.
 */
static int
cmd_admin_holders(const char *path, int *daemon, int *hidden, char *buf,
    size_t len)
{
	DIR		*proc, *fds;
	struct dirent	*p, *f;
	char		 dir[300], link[PATH_MAX], fd[PATH_MAX + 300];
	char		 name[64];
	ssize_t		 n;
	int		 count = 0, hit;

	buf[0] = '\0';
	*daemon = 0;
	/* pid 1 is always there, unless /proc hides it from us */
	*hidden = access("/proc/1", F_OK) == -1;
	if ((proc = opendir("/proc")) == NULL) {
		*hidden = 1;
		return 0;
	}
	while ((p = readdir(proc)) != NULL) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(dir, sizeof dir, "/proc/%s/fd", p->d_name);
		if ((fds = opendir(dir)) == NULL) {
			if (errno != ENOENT)	/* not just gone */
				(*hidden)++;
			continue;
		}
		hit = 0;
		while (!hit && (f = readdir(fds)) != NULL) {
			snprintf(fd, sizeof fd, "%s/%s", dir, f->d_name);
			if ((n = readlink(fd, link, sizeof link - 1)) <= 0)
				continue;
			link[n] = '\0';
			hit = strcmp(link, path) == 0;
		}
		closedir(fds);
		if (!hit)
			continue;
		cmd_admin_proc_name(p->d_name, name, sizeof name);
		if (strcmp(name, "tambulid") == 0)
			*daemon = 1;
		/* the simulator keeps its own pty's other end open: it is
		 * the modem, not a program competing for it */
		if (strcmp(name, "modemsim") == 0)
			continue;
		if (count++ > 0)
			strlcat(buf, ", ", len);
		snprintf(fd, sizeof fd, "%s (pid %s)", name, p->d_name);
		strlcat(buf, fd, len);
	}
	closedir(proc);
	return count;
}

static void
cmd_admin_doc_db(struct cmd_admin_doc *d, const struct conf *c)
{
	struct stat	 st;
	struct statvfs	 vfs;
	struct db	*db;
	char		*cause, *dir, *slash;
	long long	 avail;
	int64_t		 newest, now = cli_now();
	int		 status;

	if (stat(c->database, &st) == -1) {
		cmd_admin_say(d, "fail", "database", "%s: %s: start tambulid "
		    "(it creates the database), or restore a backup there",
		    c->database, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		cmd_admin_say(d, "fail", "database", "%s is not a regular file",
		    c->database);
		return;
	}
	if (st.st_mode & 0007)
		cmd_admin_say(d, "fail", "permissions", "%s is mode %04o: "
		    "anyone on this machine can read members' numbers; "
		    "chmod o-rwx %s", c->database, (unsigned)(st.st_mode &
		    07777), c->database);
	else
		cmd_admin_say(d, "ok", "permissions", "%s is mode %04o",
		    c->database, (unsigned)(st.st_mode & 07777));
	if (access(c->database, R_OK | W_OK) == -1)
		cmd_admin_say(d, "fail", "database", "%s: %s for this user: "
		    "join the group that owns it (usermod -aG GROUP $USER, "
		    "then log in again)", c->database, strerror(errno));
	else if ((db = db_open_mode(c->database, 5000, DB_OPEN_CHECK, &status,
	    &cause)) == NULL) {
		cmd_admin_say(d, "fail", "database", "%s%s", cause,
		    status == DB_OPEN_CORRUPT ? ": restore a backup (README: "
		    "\"When the database is lost or damaged\")" : "");
		free(cause);
	} else {
		cmd_admin_say(d, "ok", "database", "%s (%lld kB)", c->database,
		    (long long)st.st_size / 1024);
		if (db_latest_time(db, &newest) == 0 && newest >
		    now + CMD_ADMIN_CLOCK_SLACK)
			cmd_admin_say(d, "fail", "clock", "the database holds "
			    "records from %lld s in the future: the clock is "
			    "behind (a Pi without a network clock boots with "
			    "its last shutdown time); set it: date -s "
			    "'YYYY-MM-DD HH:MM'", (long long)(newest - now));
		db_close(db);
	}
	dir = xstrdup(c->database);
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[slash == dir ? 1 : 0] = '\0';
	else
		strlcpy(dir, ".", 2);
	if (statvfs(dir, &vfs) == 0) {
		avail = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
		cmd_admin_say(d, avail < CMD_ADMIN_FREE_FAIL ? "fail" :
		    avail < CMD_ADMIN_FREE_WARN ? "warn" : "ok", "disk",
		    "%lld MB free on the database's filesystem%s",
		    avail >> 20, avail < CMD_ADMIN_FREE_WARN ? ": free some "
		    "space (old logs: journalctl --vacuum-size=50M)" : "");
	}
	free(dir);
}

static void
cmd_admin_doc_daemon(struct cmd_admin_doc *d, const struct conf *c)
{
	int	n;

	if ((n = client_ready_modems(c->socket)) == -1)
		cmd_admin_say(d, "fail", "daemon", "no tambulid answers on %s: "
		    "systemctl start tambulid; journalctl -u tambulid says why "
		    "it stopped", c->socket);
	else
		cmd_admin_say(d, n > 0 ? "ok" : "warn", "daemon", "tambulid "
		    "answers on %s; %d modem%s ready%s", c->socket, n,
		    n == 1 ? "" : "s", n > 0 ? "" : ": messages wait in the "
		    "queue (tambuli status says why)");
}

static void
cmd_admin_doc_modem(struct cmd_admin_doc *d, const struct conf_modem *m,
    const struct passwd *pw, const char *who)
{
	struct stat	 st;
	char		 real[PATH_MAX], holders[512], what[64];
	int		 n, daemon, hidden;

	snprintf(what, sizeof what, "modem %s", m->name);
	if (realpath(m->device, real) == NULL || stat(real, &st) == -1) {
		cmd_admin_say(d, "fail", what, "%s: %s: is it plugged in (a "
		    "powered hub)? tambuli modem list shows the ports",
		    m->device, strerror(errno));
		return;
	}
	if (!S_ISCHR(st.st_mode)) {
		cmd_admin_say(d, "fail", what, "%s is not a serial device",
		    m->device);
		return;
	}
	if (pw != NULL && !cmd_admin_user_rw(pw, &st)) {
		cmd_admin_say(d, "fail", what, "%s (%s) cannot be opened by "
		    "user %s (%s): add it to the device's group (usermod -aG "
		    "dialout %s) or install the udev rule", m->device, real,
		    pw->pw_name, who, pw->pw_name);
		return;
	}
	n = cmd_admin_holders(real, &daemon, &hidden, holders,
	    sizeof holders);
	if (n > (daemon ? 1 : 0))
		cmd_admin_say(d, "fail", what, "%s is held by %s: %s", real,
		    holders, strstr(holders, "ModemManager") != NULL ?
		    "stop ModemManager (systemctl disable --now "
		    "ModemManager) or install tambuli's udev rule" :
		    "stop that program");
	else if (hidden)
		cmd_admin_say(d, "warn", what, "%s (%s)%s; could not check "
		    "whether another program (ModemManager?) holds it: only "
		    "root sees other users' open files; run sudo tambuli "
		    "doctor", m->device, real, daemon ? ", in use by "
		    "tambulid" : "");
	else
		cmd_admin_say(d, "ok", what, "%s (%s)%s", m->device, real,
		    daemon ? ", in use by tambulid" : "");
}

static void
cmd_admin_doc_clock(struct cmd_admin_doc *d)
{
	struct timex	tx;
	time_t		now = time(NULL);
	char		buf[64];
	int		state;

	memset(&tx, 0, sizeof tx);
	state = adjtimex(&tx);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %Z", localtime(&now));
	if ((int64_t)now < CMD_ADMIN_CLOCK_MIN)
		cmd_admin_say(d, "fail", "clock", "the system clock says %s: "
		    "set it (date -s 'YYYY-MM-DD HH:MM'); scheduled alerts and "
		    "daily caps depend on it", buf);
	else if (state == TIME_ERROR)
		cmd_admin_say(d, "warn", "clock", "%s, not synchronized to a "
		    "time source: compare it with a phone", buf);
	else
		cmd_admin_say(d, "ok", "clock", "%s, synchronized", buf);
}

/* What the daemon's status says of each modem's network time. */
struct cmd_admin_net {
	int	 modems, with;		/* modems; those with a time */
	int	 have;			/* the one chosen below */
	char	 name[64];
	int64_t	 network, offset;
	int	 tz, confirmed;
	char	 source[16];
};

static void
cmd_admin_net_body(const char *line, void *arg)
{
	struct cmd_admin_net	*n = arg;
	struct ctl_arg		 av[CTL_PROTO_ARGS_MAX * 8];
	char			 buf[CTL_PROTO_LINE_MAX + 1];
	const char		*err, *net = NULL, *off = NULL, *tz = NULL;
	const char		*src = "", *conf = "";
	size_t			 ac, i;

	if (ctl_proto_split(line, strlen(line), buf, sizeof buf, av,
	    sizeof av / sizeof av[0], &ac, &err) == -1 || ac < 2 ||
	    strcmp(av[0].s, "modem") != 0)
		return;
	n->modems++;
	for (i = 2; i + 1 < ac; i += 2) {
		if (strcmp(av[i].s, "clock_network") == 0)
			net = av[i + 1].s;
		else if (strcmp(av[i].s, "clock_offset") == 0)
			off = av[i + 1].s;
		else if (strcmp(av[i].s, "clock_tz") == 0)
			tz = av[i + 1].s;
		else if (strcmp(av[i].s, "clock_source") == 0)
			src = av[i + 1].s;
		else if (strcmp(av[i].s, "clock_confirmed") == 0)
			conf = av[i + 1].s;
	}
	if (net == NULL || off == NULL)
		return;
	n->with++;
	/* the first confirmed one, else the first */
	if (n->have && (n->confirmed || strcmp(conf, "yes") != 0))
		return;
	n->have = 1;
	strlcpy(n->name, av[1].s, sizeof n->name);
	n->network = strtoll(net, NULL, 10);
	n->offset = strtoll(off, NULL, 10);
	n->tz = tz != NULL ? (int)strtol(tz, NULL, 10) : NETTIME_TZ_UNKNOWN;
	n->confirmed = strcmp(conf, "yes") == 0;
	strlcpy(n->source, src, sizeof n->source);
}

/*
 * The system clock against the network's time, as the modems heard it
 * (NITZ): a Pi without a battery clock boots with its last shutdown time.
 */
static void
cmd_admin_doc_netclock(struct cmd_admin_doc *d, const struct conf *c)
{
	struct cmd_admin_net	 n;
	struct client		*cl;
	const char		*text;
	char			*cause = NULL, when[48], off[48];
	int			 code;

	memset(&n, 0, sizeof n);
	if ((cl = client_open(c->socket, &cause)) == NULL) {
		free(cause);
		return;	/* the daemon line says so */
	}
	code = client_request(cl, CTL_VERB_STATUS, NULL, cmd_admin_net_body,
	    NULL, &n, &text);
	client_close(cl);
	if (code != CTL_CODE_OK || n.modems == 0)
		return;
	if (!n.have) {
		cmd_admin_say(d, "warn", "network time", "no modem has the "
		    "network's time (the network sends none, or not yet): "
		    "compare the clock with a phone");
		return;
	}
	nettime_format(n.network, n.tz, when, sizeof when);
	nettime_offset_words(n.offset, off, sizeof off);
	if (n.offset > CMD_ADMIN_NETCLOCK_MAX ||
	    n.offset < -CMD_ADMIN_NETCLOCK_MAX)
		cmd_admin_say(d, "fail", "network time", "the system clock is "
		    "%s: the network says %s (modem %s, %s); scheduled alerts, "
		    "daily caps and retention use the system clock: set "
		    "set_clock = yes in [gateway] (tambulid sets it when "
		    "nothing else does), or fix the time source (timedatectl)",
		    off, when, n.name, strcmp(n.source, "nitz") == 0 ? "NITZ" :
		    "modem clock");
	else
		cmd_admin_say(d, "ok", "network time", "the system clock is "
		    "%s (network %s, modem %s)", off, when, n.name);
}

static int
cmd_admin_doctor_exec(struct cmd_ctx *ctx)
{
	struct cmd_admin_doc	 d = { 0, 0 };
	struct conf		 c;
	const struct passwd	*pw;
	const char		*who;
	size_t			 i;

	memset(&c, 0, sizeof c);
	if (cli_conf(ctx, &c) == -1) {
		cmd_admin_say(&d, "fail", "configuration", "errors above: fix "
		    "them (tambulid -n -c FILE checks a file)");
		return CMD_FAIL;
	}
	cmd_admin_say(&d, "ok", "configuration", "%s, %zu modem%s",
	    ctx->global.config != NULL ? ctx->global.config :
	    access(CLI_CONF_DEFAULT, F_OK) == 0 ? CLI_CONF_DEFAULT :
	    "(no file: defaults)", c.nmodems, c.nmodems == 1 ? "" : "s");
	cmd_admin_doc_db(&d, &c);
	cmd_admin_doc_daemon(&d, &c);
	pw = cmd_admin_daemon_user(&d, &c, &who);
	for (i = 0; i < c.nmodems; i++)
		cmd_admin_doc_modem(&d, &c.modems[i], pw, who);
	if (c.nmodems == 0)
		cmd_admin_say(&d, "warn", "modems", "none configured: add a "
		    "[modem NAME] section with device = /dev/serial/by-id/...");
	cmd_admin_doc_clock(&d);
	cmd_admin_doc_netclock(&d, &c);
	conf_free(&c);
	printf("%d failed, %d warning%s\n", d.fails, d.warns,
	    d.warns == 1 ? "" : "s");
	return d.fails > 0 ? CMD_FAIL : CMD_OK;
}

/* ===== wipe ===== */

/*
 * The words, typed on the terminal (never read from stdin: a script
 * piping "yes" into tambuli must not wipe by accident).  0 when given.
 */
static int
cmd_admin_wipe_confirm(struct cmd_ctx *ctx, const struct conf *c)
{
	char	 line[128], prompt[1400];
	size_t	 n = 0;
	ssize_t	 r;
	int	 fd;

	if (cmd_isset(ctx, "yes-destroy-everything"))
		return 0;
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		cmd_error("wipe: no terminal to confirm on: give "
		    "--yes-destroy-everything to wipe without asking; nothing "
		    "destroyed");
		return -1;
	}
	snprintf(prompt, sizeof prompt, "This destroys %s, its -wal/-shm, "
	    "its recorded backups and migration snapshots, for good.\n"
	    "Type \"" CMD_ADMIN_WIPE_WORDS "\" to go on: ", c->database);
	if (write(fd, prompt, strlen(prompt)) == -1) {
		close(fd);
		return cmd_error("wipe: /dev/tty: %s", strerror(errno)), -1;
	}
	while (n < sizeof line - 1 && (r = read(fd, line + n, 1)) == 1 &&
	    line[n] != '\n')
		n++;
	close(fd);
	line[n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	if (strcmp(line, CMD_ADMIN_WIPE_WORDS) != 0) {
		cmd_error("wipe: not confirmed: nothing destroyed");
		return -1;
	}
	return 0;
}

static void
cmd_admin_wipe_nap(void)
{
	struct timespec	ts = { 0, 50 * 1000000 };

	nanosleep(&ts, NULL);
}

/* Take the lock, waiting up to ms for its holder to let go; 0 or -1. */
static int
cmd_admin_wipe_take(int fd, long long ms)
{
	long long	waited;

	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB) == -1; waited += 50) {
		if (errno != EWOULDBLOCK || waited >= ms)
			return -1;
		cmd_admin_wipe_nap();
	}
	return 0;
}

/*
 * The pid holding the flock on the file st describes, from /proc/locks
 * ("1: FLOCK  ADVISORY  WRITE 1234 08:02:131 0 EOF"; lines of waiters
 * have "->"); 0 when none is listed (not Linux, or let go meanwhile).
 */
static long
cmd_admin_wipe_holder(const struct stat *st)
{
	FILE		*f;
	char		 line[256], type[16];
	unsigned int	 maj, min;
	unsigned long	 ino;
	long		 pid, found = 0;

	if ((f = fopen("/proc/locks", "re")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strstr(line, "->") != NULL ||
		    sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%lu", type, &pid,
		    &maj, &min, &ino) != 5 || strcmp(type, "FLOCK") != 0)
			continue;
		if (major(st->st_dev) == maj && minor(st->st_dev) == min &&
		    st->st_ino == (ino_t)ino && pid > 0) {
			found = pid;
			break;
		}
	}
	fclose(f);
	return found;
}

/* The basename of a path. */
static const char *
cmd_admin_wipe_base(const char *p)
{
	const char	*b = strrchr(p, '/');

	return b != NULL ? b + 1 : p;
}

/*
 * 1 when pid is a tambulid: its name (/proc/PID/comm), or under
 * qemu-user (tests/run.sh cross) the program qemu runs (/proc/PID/cmdline).
 */
static int
cmd_admin_wipe_is_daemon(long pid)
{
	char	 path[64], buf[4096];
	size_t	 n, i;
	FILE	*f;

	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, "tambulid") == 0)
		return 1;
	snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (strncmp(cmd_admin_wipe_base(buf), "qemu-", 5) != 0)
		return 0;
	for (i = strlen(buf) + 1; i < n; i += strlen(buf + i) + 1) {
		if (strcmp(cmd_admin_wipe_base(buf + i), "tambulid") == 0)
			return 1;
	}
	return 0;
}

/*
 * Hold "<db>.lock", as the daemon does, so that nothing opens the store
 * while it is destroyed.  A running tambulid holds it: asked (over the
 * socket, naming the database) to stop for the wipe, it exits, and the
 * lock is ours once it has closed everything.  A tambulid that does not
 * answer (stopped, hung) or does not let go within
 * CMD_ADMIN_WIPE_WAIT_MS is killed (SIGKILL): a panic wipe must not wait
 * on it, and the kernel drops its lock when it dies.  The holder is the
 * one /proc/locks names (the pid in the lock file is information only),
 * and only a process named tambulid is killed: a lock held by anything
 * else is refused.  The lock's descriptor, or -1 after an error message
 * (nothing destroyed); *killed is the pid killed, or 0.
 */
static int
cmd_admin_wipe_lock(const struct conf *c, long *killed)
{
	struct client	*cl;
	struct stat	 st, pst;
	const char	*argv[2], *text;
	char		*path, *cause = NULL, *why = NULL, buf[32];
	ssize_t		 n;
	long		 pid;
	int		 fd, code, asked = 0;

	*killed = 0;
	xasprintf(&path, "%s.lock", c->database);
	if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC)) == -1 && errno == ENOENT)
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	if (fd == -1) {
		cmd_error("wipe: %s: %s; nothing destroyed", path, errno ==
		    ELOOP ? "a symbolic link" : strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		cmd_error("wipe: %s: not a plain file of its own; nothing "
		    "destroyed", path);
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		goto locked;
	if (errno != EWOULDBLOCK) {
		cmd_error("wipe: %s: lock: %s; nothing destroyed", path,
		    strerror(errno));
		goto fail;
	}
	n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	/* ask; a daemon that does not answer within CLIENT_TIMEOUT_S is
	 * dealt with below */
	if ((cl = client_open(c->socket, &cause)) != NULL) {
		argv[0] = c->database;
		argv[1] = NULL;
		code = client_request(cl, CTL_VERB_WIPE, argv, NULL, NULL,
		    NULL, &text);
		if (code == CTL_CODE_OK)
			asked = 1;
		else
			xasprintf(&why, "it did not agree to stop: %s", text);
		client_close(cl);
	} else {
		xasprintf(&why, "no tambulid answers on %s: %s", c->socket,
		    cause);
		free(cause);
	}
	if (asked) {
		if (cmd_admin_wipe_take(fd, CMD_ADMIN_WIPE_WAIT_MS) == 0)
			goto locked;
		xasprintf(&why, "it did not let go of %s within %d s", path,
		    CMD_ADMIN_WIPE_WAIT_MS / 1000);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		goto locked;	/* it exited meanwhile */
	pid = cmd_admin_wipe_holder(&st);
	if (pid == 0)
		pid = strtol(buf, NULL, 10);	/* without /proc/locks */
	if (pid <= 0 || !cmd_admin_wipe_is_daemon(pid)) {
		cmd_error("wipe: %s is in use (%s held by %s%s) and %s: stop "
		    "that process, then wipe again; nothing destroyed",
		    c->database, path, buf[0] ? "pid " : "another process",
		    buf, why);
		goto fail;
	}
	if (kill((pid_t)pid, SIGKILL) == -1) {
		cmd_error("wipe: tambulid (pid %ld) holds %s and %s; killing "
		    "it: %s; nothing destroyed", pid, path, why,
		    strerror(errno));
		goto fail;
	}
	*killed = pid;
	if (cmd_admin_wipe_take(fd, CMD_ADMIN_WIPE_WAIT_MS) == -1) {
		cmd_error("wipe: tambulid (pid %ld) was killed but %s is still "
		    "held after %d s; nothing destroyed", pid, path,
		    CMD_ADMIN_WIPE_WAIT_MS / 1000);
		goto fail;
	}
locked:
	/* still the lock file that a daemon would take */
	if (stat(path, &pst) == -1 || pst.st_dev != st.st_dev ||
	    pst.st_ino != st.st_ino) {
		cmd_error("wipe: %s was replaced meanwhile; nothing destroyed",
		    path);
		goto fail;
	}
	free(why);
	free(path);
	return fd;
fail:
	if (fd != -1)
		close(fd);
	free(why);
	free(path);
	return -1;
}

static void
cmd_admin_wipe_err(const char *msg, void *arg)
{
	(void)arg;
	cmd_error("wipe: %s", msg);
}

static int
cmd_admin_wipe_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct wipe_report	 r;
	char			 line[2048];
	long			 killed;
	int			 fd, rc;

	memset(&c, 0, sizeof c);
	if (cli_conf(ctx, &c) == -1)
		return CMD_FAIL;
	if (cmd_admin_wipe_confirm(ctx, &c) == -1 ||
	    (fd = cmd_admin_wipe_lock(&c, &killed)) == -1) {
		conf_free(&c);
		return CMD_FAIL;
	}
	rc = wipe_store(c.database, &r, cmd_admin_wipe_err, NULL);
	close(fd);	/* the lock file is gone: the next start is a first */
	wipe_summary(&r, line, sizeof line);
	if (killed != 0)
		printf("%s; tambulid (pid %ld) did not stop when asked: "
		    "killed\n", line, killed);
	else
		printf("%s\n", line);
	conf_free(&c);
	return rc == 0 ? CMD_OK : CMD_FAIL;
}
