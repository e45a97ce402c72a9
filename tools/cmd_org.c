/*
 * tools/cmd_org.c — "tambuli organizers add|list|remove|pin": the phones
 * that may command the gateway by SMS (ALERT, URGENT, ASK, STATUS,
 * CANCEL, WIPE with a PIN; see gateway/organizer.c).
 *
 * Like the subscriber commands these work on the database directly (the
 * daemon looks the sender up in it for every text), so they work whether
 * the daemon runs or not.  The PIN is hashed here (db/organizer.c,
 * Argon2id) and only the hash is stored; "--pin -" reads it from standard
 * input so that it never shows in ps or the shell's history (asked for,
 * and not echoed, on a terminal).  Nothing
 * prints a hash.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "cmd.h"
#include "compat.h"
#include "json.h"
#include "phone.h"

static int	cmd_org_add_exec(struct cmd_ctx *);
static int	cmd_org_list_exec(struct cmd_ctx *);
static int	cmd_org_remove_exec(struct cmd_ctx *);
static int	cmd_org_pin_exec(struct cmd_ctx *);

static const struct cmd_opt cmd_org_add_opts[] = {
	{ "name", "NAME", "who the organizer is (shown as the author of "
	  "their broadcasts)", 0 },
	{ "pin", "PIN", "4 to 8 digits; \"-\" reads it from standard input "
	  "(on a terminal: asked for, not echoed)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_org_pin_opts[] = {
	{ "pin", "PIN", "the new PIN, 4 to 8 digits; \"-\" reads it from "
	  "standard input (on a terminal: asked for, not echoed)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_org_list_opts[] = {
	{ "json", NULL, "one JSON array instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_org_add_entry = {
	.name = "organizers add",
	.args = "NUMBER",
	.help = "let a phone command the gateway by SMS with a PIN",
	.opts = cmd_org_add_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_org_add_exec,
};

const struct cmd_entry cmd_org_list_entry = {
	.name = "organizers list",
	.args = "",
	.help = "show the organizers' phones: number, name, added, locked",
	.opts = cmd_org_list_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_org_list_exec,
};

const struct cmd_entry cmd_org_remove_entry = {
	.name = "organizers remove",
	.args = "NUMBER",
	.help = "take a phone's right to command the gateway away",
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_org_remove_exec,
};

const struct cmd_entry cmd_org_pin_entry = {
	.name = "organizers pin",
	.args = "NUMBER",
	.help = "set a new PIN for an organizer (and lift a lock-out)",
	.opts = cmd_org_pin_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_org_pin_exec,
};

/* Configuration and database; CMD_OK, or CMD_FAIL after a message. */
static int
cmd_org_open(const struct cmd_ctx *ctx, struct conf *c, struct db **db)
{
	if (cli_conf(ctx, c) == -1)
		return CMD_FAIL;
	if ((*db = cli_db(c)) == NULL) {
		conf_free(c);
		return CMD_FAIL;
	}
	return CMD_OK;
}

/* The terminal's settings while the PIN is typed unechoed. */
static struct termios		cmd_org_tty;
static volatile sig_atomic_t	cmd_org_tty_saved;

/* Interrupted while the PIN is typed: echo back on, then die as asked. */
static void
cmd_org_tty_signal(int sig)
{
	if (cmd_org_tty_saved)
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &cmd_org_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * One line of standard input.  On a terminal, "PIN: " is asked on
 * standard error and what is typed is not echoed (the settings are put
 * back on every path, also on ^C).
 */
static ssize_t
cmd_org_pin_line(char **line, size_t *cap)
{
	struct termios		 t;
	struct sigaction	 sa, old[3];
	static const int	 sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	ssize_t			 n;
	int			 i, tty;

	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &cmd_org_tty) ==
	    0;
	if (!tty)
		return getline(line, cap, stdin);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cmd_org_tty_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	cmd_org_tty_saved = 1;
	t = cmd_org_tty;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
	t.c_lflag |= ECHONL;
	(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
	/* asked once echo is off: what is typed after it never shows */
	fputs("PIN: ", stderr);
	fflush(stderr);
	n = getline(line, cap, stdin);
	(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &cmd_org_tty);
	cmd_org_tty_saved = 0;
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return n;
}

/*
 * The PIN of --pin (or one line of standard input for "-") into pin,
 * checked: CMD_OK, or CMD_USAGE after a message that never repeats it.
 */
static int
cmd_org_pin_arg(const struct cmd_ctx *ctx, char *pin, size_t len)
{
	const char	*v = cmd_get(ctx, "pin");
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;

	if (v == NULL) {
		cmd_error("%s: --pin PIN is required (\"--pin -\" reads it "
		    "from standard input)", ctx->entry->name);
		return CMD_USAGE;
	}
	if (strcmp(v, "-") == 0) {
		if ((n = cmd_org_pin_line(&line, &cap)) < 0) {
			free(line);
			cmd_error("%s: no PIN on standard input",
			    ctx->entry->name);
			return CMD_USAGE;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		v = line;
	}
	if (!organizer_pin_valid(v) || strlcpy(pin, v, len) >= len) {
		if (line != NULL)
			sodium_memzero(line, cap);
		free(line);
		cmd_error("%s: the PIN must be 4 to 8 digits",
		    ctx->entry->name);
		return CMD_USAGE;
	}
	if (line != NULL)
		sodium_memzero(line, cap);
	free(line);
	return CMD_OK;
}

/* A name: 1 to 63 bytes, no control characters. */
static int
cmd_org_name_ok(const char *name)
{
	const unsigned char	*p;

	if (name[0] == '\0' || strlen(name) >= ORGANIZER_NAME_MAX)
		return 0;
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	}
	return 1;
}

static int
cmd_org_add_exec(struct cmd_ctx *ctx)
{
	struct conf	 c;
	struct db	*db;
	const char	*name = cmd_get(ctx, "name");
	char		 phone[PHONE_MAX], pin[ORGANIZER_PIN_MAX + 1];
	char		 hash[ORGANIZER_HASH_MAX];
	int		 rc;

	if (name == NULL) {
		cmd_error("organizers add: --name NAME is required");
		return CMD_USAGE;
	}
	if (!cmd_org_name_ok(name)) {
		cmd_error("organizers add: --name: 1 to %d characters, no "
		    "control characters", ORGANIZER_NAME_MAX - 1);
		return CMD_USAGE;
	}
	if ((rc = cmd_org_pin_arg(ctx, pin, sizeof pin)) != CMD_OK)
		return rc;
	if ((rc = cmd_org_open(ctx, &c, &db)) != CMD_OK)
		goto wipe;
	if (cli_phone(&c, ctx->argv[0], phone, sizeof phone) == -1) {
		rc = CMD_FAIL;
		goto out;
	}
	if (organizer_pin_hash(pin, hash) == -1) {
		rc = cmd_error("organizers add: cannot hash the PIN (out of "
		    "memory)");
		goto out;
	}
	switch (organizer_add(db, phone, name, hash, cli_now())) {
	case 0:
		printf("organizer %s (%s) added\n", phone, name);
		rc = CMD_OK;
		break;
	case 1:
		rc = cmd_error("%s is an organizer already (\"tambuli "
		    "organizers pin\" sets a new PIN)", phone);
		break;
	default:
		rc = cmd_error("database: %s", db_error(db));
		break;
	}
out:
	db_close(db);
	conf_free(&c);
wipe:
	sodium_memzero(pin, sizeof pin);
	return rc;
}

static int
cmd_org_pin_exec(struct cmd_ctx *ctx)
{
	struct conf	 c;
	struct db	*db;
	char		 phone[PHONE_MAX], pin[ORGANIZER_PIN_MAX + 1];
	char		 hash[ORGANIZER_HASH_MAX];
	int		 rc;

	if ((rc = cmd_org_pin_arg(ctx, pin, sizeof pin)) != CMD_OK)
		return rc;
	if ((rc = cmd_org_open(ctx, &c, &db)) != CMD_OK)
		goto wipe;
	if (cli_phone(&c, ctx->argv[0], phone, sizeof phone) == -1) {
		rc = CMD_FAIL;
		goto out;
	}
	if (organizer_pin_hash(pin, hash) == -1) {
		rc = cmd_error("organizers pin: cannot hash the PIN (out of "
		    "memory)");
		goto out;
	}
	switch (organizer_set_pin(db, phone, hash)) {
	case 0:
		printf("organizer %s: new PIN set\n", phone);
		rc = CMD_OK;
		break;
	case 1:
		rc = cmd_error("%s is not an organizer", phone);
		break;
	default:
		rc = cmd_error("database: %s", db_error(db));
		break;
	}
out:
	db_close(db);
	conf_free(&c);
wipe:
	sodium_memzero(pin, sizeof pin);
	return rc;
}

static int
cmd_org_remove_exec(struct cmd_ctx *ctx)
{
	struct conf	 c;
	struct db	*db;
	char		 phone[PHONE_MAX];
	int		 rc;

	if ((rc = cmd_org_open(ctx, &c, &db)) != CMD_OK)
		return rc;
	if (cli_phone(&c, ctx->argv[0], phone, sizeof phone) == -1) {
		rc = CMD_FAIL;
		goto out;
	}
	switch (organizer_remove(db, phone)) {
	case 0:
		printf("organizer %s removed\n", phone);
		rc = CMD_OK;
		break;
	case 1:
		rc = cmd_error("%s is not an organizer", phone);
		break;
	default:
		rc = cmd_error("database: %s", db_error(db));
		break;
	}
out:
	db_close(db);
	conf_free(&c);
	return rc;
}

/* ISO 8601 UTC, as the JSON of every command writes times. */
static const char *
cmd_org_iso(int64_t at, char *buf, size_t len)
{
	time_t		tt = (time_t)at;
	struct tm	tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	return buf;
}

struct cmd_org_walk {
	struct json	 j;
	int		 json;
	long		 n;
	int64_t		 now;
};

static int
cmd_org_print(const struct organizer *o, void *arg)
{
	struct cmd_org_walk	*w = arg;
	char			 added[32], until[32];
	int			 locked = o->locked_until > w->now;

	w->n++;
	if (w->json) {
		json_object_begin(&w->j);
		json_kv_string(&w->j, "number", o->number);
		json_kv_string(&w->j, "name", o->name);
		json_kv_string(&w->j, "added", cmd_org_iso(o->created_at,
		    added, sizeof added));
		if (locked)
			json_kv_string(&w->j, "locked_until",
			    cmd_org_iso(o->locked_until, until, sizeof until));
		else
			json_kv_null(&w->j, "locked_until");
		json_object_end(&w->j);
		return 0;
	}
	printf("%-16s %-24s added %s%s%s\n", o->number, o->name,
	    cli_time(o->created_at, added, sizeof added),
	    locked ? ", locked until " : "",
	    locked ? cli_time(o->locked_until, until, sizeof until) : "");
	return 0;
}

static int
cmd_org_list_exec(struct cmd_ctx *ctx)
{
	struct conf		 c;
	struct db		*db;
	struct cmd_org_walk	 w;
	int			 rc;

	if ((rc = cmd_org_open(ctx, &c, &db)) != CMD_OK)
		return rc;
	memset(&w, 0, sizeof w);
	w.json = cmd_isset(ctx, "json");
	w.now = cli_now();
	if (w.json) {
		json_init(&w.j, stdout);
		json_array_begin(&w.j);
	}
	if (organizer_foreach(db, cmd_org_print, &w) == -1) {
		rc = cmd_error("database: %s", db_error(db));
		goto out;
	}
	if (w.json) {
		json_array_end(&w.j);
		putchar('\n');
	} else if (w.n == 0)
		printf("no organizers (\"tambuli organizers add NUMBER --name "
		    "NAME --pin -\" adds one)\n");
	rc = CMD_OK;
out:
	db_close(db);
	conf_free(&c);
	return rc;
}
