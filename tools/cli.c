/*
 * tools/cli.c — configuration, database and number handling shared by
 * the gateway commands of the CLI.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compat.h"
#include "phone.h"

/*
 * The database the configuration (or the default) names, kept when --db
 * overrides it: a mistyped --db is told apart from a database not made
 * yet.
 */
static char	*cli_conf_db;
static int	 cli_conf_file;

int
cli_conf(const struct cmd_ctx *ctx, struct conf *c)
{
	const char	*path = ctx->global.config;

	if (path == NULL && access(CLI_CONF_DEFAULT, F_OK) == 0)
		path = CLI_CONF_DEFAULT;
	if (path == NULL)
		conf_defaults(c);
	else if (conf_file_load(path, 1, "tambuli", c) == -1)
		return -1;
	cli_conf_file = path != NULL;
	free(cli_conf_db);
	cli_conf_db = NULL;
	if (ctx->global.db != NULL) {
		if (c->database != NULL &&
		    strcmp(c->database, ctx->global.db) != 0)
			cli_conf_db = xstrdup(c->database);
		free(c->database);
		c->database = xstrdup(ctx->global.db);
	}
	if (ctx->global.socket != NULL) {
		free(c->socket);
		c->socket = xstrdup(ctx->global.socket);
	}
	return 0;
}

struct db *
cli_db(const struct conf *c)
{
	struct db	*db;
	char		*cause;

	int		 status;

	/* the daemon holds the write lock only for short transactions;
	 * a CLI never creates a database (a typo would make an empty one,
	 * and a send to it would reach nobody): tambulid does */
	db = db_open_mode(c->database, 5000, 0, &status, &cause);
	if (db != NULL)
		return db;
	if (status != DB_OPEN_MISSING)
		cmd_error("database %s", cause);
	else if (cli_conf_db != NULL)
		cmd_error("%s (the %s %s); tambulid creates it on its first "
		    "start", cause, cli_conf_file ? "configuration names" :
		    "default is", cli_conf_db);
	else
		cmd_error("%s; tambulid creates it on its first start", cause);
	free(cause);
	return NULL;
}

int
cli_phone(const struct conf *c, const char *in, char *out, size_t len)
{
	char		 cc[8];
	const char	*err;

	snprintf(cc, sizeof cc, "%d", c->country);
	if (phone_normalize(in, cc, out, len, &err) == -1) {
		cmd_error("invalid number '%s': %s", in, err);
		return -1;
	}
	return 0;
}

int64_t
cli_now(void)
{
	return (int64_t)time(NULL);
}

const char *
cli_time(int64_t t, char *buf, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (t == 0 || localtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

/*
 * A control character in valid UTF-8 text (C0 but line breaks, DEL,
 * C1): a pasted escape sequence would reach every phone, force UCS-2 and
 * replay on the terminal of whoever lists what was sent.
 */
int
cli_control(const char *s, unsigned *cp, size_t *at)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n = 0;

	for (i = 0; u[i] != '\0'; i++) {
		if ((u[i] & 0xc0) != 0x80)
			n++;
		if ((u[i] < 0x20 && u[i] != '\n' && u[i] != '\r') ||
		    u[i] == 0x7f) {
			*cp = u[i];
			*at = n;
			return 1;
		}
		if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) {
			*cp = u[i + 1];
			*at = n;
			return 1;
		}
	}
	return 0;
}

char *
cli_safe(char *s, int keep_lines)
{
	unsigned char	*u = (unsigned char *)s;
	size_t		 i, o = 0;

	for (i = 0; u[i] != '\0'; i++) {
		if (keep_lines && u[i] == '\r' && u[i + 1] == '\n')
			continue;	/* CRLF: one line break */
		if (keep_lines && u[i] == '\n')
			u[o++] = u[i];
		else if (u[i] < 0x20 || u[i] == 0x7f)
			u[o++] = '?';
		else if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) {
			u[o++] = '?';
			i++;
		} else
			u[o++] = u[i];
	}
	u[o] = '\0';
	return s;
}

void
cli_plan_opts(const struct conf *c, struct plan_opts *o)
{
	memset(o, 0, sizeof *o);
	o->force = PLAN_AUTO;
	if (c->encoding != CONF_ENC_EXACT)
		o->smart = 1;
	if (c->encoding == CONF_ENC_STRIP_ACCENTS)
		o->strip_accents = 1;
}

/*
 * A duration: "45s", "30m", "12h", "2d", "3w", or a plain number of unit
 * seconds.  At least one unit, at most max seconds.  -1 when malformed.
 */
int
cli_duration(const char *s, int64_t unit, int64_t max, int64_t *secs)
{
	const char	*err;
	char		 buf[24];
	size_t		 len = strlen(s);
	long long	 v, mult = unit;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len + 1);
	switch (buf[len - 1]) {
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	case 'w':
		mult = 7 * 86400;
		break;
	default:
		len++;	/* no suffix to cut */
		break;
	}
	buf[len - 1] = '\0';
	v = strtonum(buf, 1, max, &err);
	if (err != NULL || v > max / mult)
		return -1;
	*secs = v * mult;
	return 0;
}
