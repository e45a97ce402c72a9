/*
 * tools/cmd.c — command lookup, option parsing and help, from the table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compat.h"

#define CMD_VERSION	TAMBULI_VERSION	/* from debian/changelog, by the Makefile */

static int	cmd_help_exec(struct cmd_ctx *);

static const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.args = "[COMMAND]",
	.help = "show the commands, or one command's usage and options",
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_help_exec,
};

const struct cmd_entry *cmd_table[] = {
	&cmd_send_entry,
	&cmd_send_list_entry,
	&cmd_send_show_entry,
	&cmd_send_cancel_entry,
	&cmd_send_watch_entry,
	&cmd_send_answers_entry,
	&cmd_status_entry,
	&cmd_status_ussd_entry,
	&cmd_status_balance_entry,
	&cmd_pdu_encode_entry,
	&cmd_pdu_decode_entry,
	&cmd_pdu_plan_entry,
	&cmd_modem_list_entry,
	&cmd_modem_probe_entry,
	&cmd_modem_ussd_entry,
	&cmd_modem_send_entry,
	&cmd_modem_read_entry,
	&cmd_sub_list_entry,
	&cmd_sub_add_entry,
	&cmd_sub_remove_entry,
	&cmd_sub_forget_entry,
	&cmd_sub_import_entry,
	&cmd_sub_export_entry,
	&cmd_sub_lists_entry,
	&cmd_org_list_entry,
	&cmd_org_add_entry,
	&cmd_org_remove_entry,
	&cmd_org_pin_entry,
	&cmd_inbox_entry,
	&cmd_inbox_reply_entry,
	&cmd_admin_backup_entry,
	&cmd_admin_doctor_entry,
	&cmd_admin_wipe_entry,
	&cmd_help_entry,
	NULL
};

int
cmd_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("tambuli: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CMD_FAIL;
}

static size_t
cmd_words(const char *name)
{
	size_t	n = 1;

	for (; *name != '\0'; name++)
		n += *name == ' ';
	return n;
}

/* Does argv[0..] start with the words of name? */
static int
cmd_matches(const char *name, char **argv, int argc)
{
	size_t	 len;
	int	 i = 0;

	while (*name != '\0') {
		if (i >= argc)
			return 0;
		len = strcspn(name, " ");
		if (strlen(argv[i]) != len || strncmp(name, argv[i], len) != 0)
			return 0;
		name += len;
		if (*name == ' ')
			name++;
		i++;
	}
	return 1;
}

static const struct cmd_entry *
cmd_find(char **argv, int argc, int *used)
{
	const struct cmd_entry	**e;

	for (e = cmd_table; *e != NULL; e++) {
		if (cmd_matches((*e)->name, argv, argc)) {
			*used = (int)cmd_words((*e)->name);
			return *e;
		}
	}
	return NULL;
}

static void
cmd_usage_line(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_opt	*o;

	fprintf(f, "usage: tambuli %s", e->name);
	for (o = e->opts; o != NULL && o->name != NULL; o++) {
		if (o->arg != NULL)
			fprintf(f, " [--%s %s]", o->name, o->arg);
		else
			fprintf(f, " [--%s]", o->name);
	}
	if (e->args != NULL && *e->args != '\0')
		fprintf(f, " %s", e->args);
	fputc('\n', f);
}

static void
cmd_describe(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_opt	*o;
	char			 left[64];

	cmd_usage_line(f, e);
	fprintf(f, "\n%s\n", e->help);
	if (e->opts == NULL || e->opts[0].name == NULL)
		return;
	fputs("\noptions:\n", f);
	for (o = e->opts; o->name != NULL; o++) {
		if (o->arg != NULL)
			bsnprintf(left, sizeof left, "--%s %s", o->name,
			    o->arg);
		else
			bsnprintf(left, sizeof left, "--%s", o->name);
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
}

void
cmd_usage(const struct cmd_entry *e)
{
	cmd_usage_line(stderr, e);
}

static void
cmd_list(FILE *f)
{
	const struct cmd_entry	**e;
	char			  left[64];

	fputs("usage: tambuli [-c FILE] [--db PATH] [--socket PATH] "
	    "COMMAND [ARGS]\n\ncommands:\n", f);
	for (e = cmd_table; *e != NULL; e++) {
		bsnprintf(left, sizeof left, "%s %s", (*e)->name,
		    (*e)->args ? (*e)->args : "");
		fprintf(f, "  %-34s %s\n", left, (*e)->help);
	}
	fputs("\nglobal options:\n"
	    "  -c FILE                  configuration file "
	    "(default /etc/tambuli/tambuli.conf)\n"
	    "  --db PATH                database path\n"
	    "  --socket PATH            daemon control socket\n"
	    "  --version                print the version\n"
	    "\n\"tambuli help COMMAND\" shows a command's options.\n"
	    "Exit status: 0 ok, 1 failure, 2 usage error.\n", f);
}

static int
cmd_help_exec(struct cmd_ctx *ctx)
{
	const struct cmd_entry	**e;
	int			  used, found = 0;
	size_t			  len;

	if (ctx->argc == 0) {
		cmd_list(stdout);
		return CMD_OK;
	}
	/* exact command, or every command of a family ("help pdu") */
	for (e = cmd_table; *e != NULL; e++) {
		if (cmd_matches((*e)->name, ctx->argv, ctx->argc) &&
		    (int)cmd_words((*e)->name) == ctx->argc) {
			cmd_describe(stdout, *e);
			return CMD_OK;
		}
	}
	len = strlen(ctx->argv[0]);
	for (e = cmd_table; *e != NULL; e++) {
		if (ctx->argc == 1 && strncmp((*e)->name, ctx->argv[0],
		    len) == 0 && (*e)->name[len] == ' ') {
			if (found++)
				fputc('\n', stdout);
			cmd_describe(stdout, *e);
		}
	}
	if (found)
		return CMD_OK;
	(void)used;
	cmd_error("unknown command: %s (try \"tambuli help\")",
	    ctx->argv[0]);
	return CMD_USAGE;
}

/* "unknown command", naming the subcommands of a family ("pdu"). */
static void
cmd_unknown(char **words, int nwords)
{
	const struct cmd_entry	**e;
	char			  subs[256] = "";
	size_t			  len = strlen(words[0]);

	for (e = cmd_table; *e != NULL; e++) {
		if (strncmp((*e)->name, words[0], len) == 0 &&
		    (*e)->name[len] == ' ') {
			if (subs[0] != '\0')
				strlcat(subs, ", ", sizeof subs);
			strlcat(subs, (*e)->name + len + 1, sizeof subs);
		}
	}
	if (subs[0] != '\0')
		cmd_error("%s: %s%s (one of: %s)", words[0], nwords > 1 ?
		    "unknown subcommand " : "missing subcommand",
		    nwords > 1 ? words[1] : "", subs);
	else
		cmd_error("unknown command: %s (try \"tambuli help\")",
		    words[0]);
}

static int
cmd_opt_index(const struct cmd_entry *e, const char *name, size_t len)
{
	int	i;

	for (i = 0; e->opts != NULL && e->opts[i].name != NULL; i++) {
		if (strlen(e->opts[i].name) == len &&
		    strncmp(e->opts[i].name, name, len) == 0)
			return i;
	}
	return -1;
}

/*
 * Global options are accepted anywhere; returns the number of argv
 * entries consumed (1 or 2), 0 if arg is not a global option, -1 on a
 * missing value.
 */
static int
cmd_global_opt(struct cmd_global *g, char **argv, int argc, int i)
{
	const char	**slot = NULL, *a = argv[i], *eq;
	size_t		  len;

	if (strcmp(a, "-c") == 0)
		slot = &g->config;
	else if (strncmp(a, "--", 2) == 0) {
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if (len == 8 && strncmp(a, "--config", 8) == 0)
			slot = &g->config;
		else if (len == 4 && strncmp(a, "--db", 4) == 0)
			slot = &g->db;
		else if (len == 8 && strncmp(a, "--socket", 8) == 0)
			slot = &g->socket;
		if (slot != NULL && eq != NULL) {
			*slot = eq + 1;
			return 1;
		}
	}
	if (slot == NULL)
		return 0;
	if (i + 1 >= argc) {
		cmd_error("option %s needs a value", a);
		return -1;
	}
	*slot = argv[i + 1];
	return 2;
}

int
cmd_run(int argc, char **argv)
{
	const struct cmd_entry	*e;
	struct cmd_ctx		*ctx;
	struct cmd_global	 g = { NULL, NULL, NULL };
	char			**words, **pos;
	const char		*a, *eq, *v;
	int			 i, k, n, nwords = 0, npos = 0, used, idx, rc;
	int			 dashdash = 0;
	size_t			 len;

	/* leading global options, then the command words */
	words = xcalloc((size_t)argc + 1, sizeof *words);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("tambuli %s\n", CMD_VERSION);
			free(words);
			return CMD_OK;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			cmd_list(stdout);
			free(words);
			return CMD_OK;
		}
		if ((n = cmd_global_opt(&g, argv, argc, i)) < 0) {
			free(words);
			return CMD_USAGE;
		}
		if (n == 0)
			break;
		i += n - 1;
	}
	for (k = i; k < argc; k++)
		words[nwords++] = argv[k];
	if (nwords == 0) {
		cmd_list(stderr);
		free(words);
		return CMD_USAGE;
	}
	if ((e = cmd_find(words, nwords, &used)) == NULL) {
		cmd_unknown(words, nwords);
		free(words);
		return CMD_USAGE;
	}

	ctx = xcalloc(1, sizeof *ctx);
	ctx->entry = e;
	pos = xcalloc((size_t)nwords + 1, sizeof *pos);
	for (i = used; i < nwords; i++) {
		a = words[i];
		if (dashdash || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = words[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if ((n = cmd_global_opt(&g, words, nwords, i)) < 0)
			goto usage;
		if (n > 0) {
			i += n - 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cmd_describe(stdout, e);
			rc = CMD_OK;
			goto out;
		}
		if (a[1] != '-') {
			cmd_error("%s: unknown option %s", e->name, a);
			goto usage;
		}
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if ((idx = cmd_opt_index(e, a + 2, len)) == -1) {
			cmd_error("%s: unknown option --%.*s", e->name,
			    (int)len, a + 2);
			goto usage;
		}
		if (e->opts[idx].arg == NULL) {
			if (eq != NULL) {
				cmd_error("%s: option --%s takes no value",
				    e->name, e->opts[idx].name);
				goto usage;
			}
			v = "";
		} else if (eq != NULL)
			v = eq + 1;
		else if (i + 1 < nwords)
			v = words[++i];
		else {
			cmd_error("%s: option --%s needs %s", e->name,
			    e->opts[idx].name, e->opts[idx].arg);
			goto usage;
		}
		if (ctx->count[idx] > 0 &&
		    !(e->opts[idx].flags & CMD_OPT_REPEAT)) {
			/* the last one wins, as with most tools */
			ctx->count[idx] = 0;
		}
		if (ctx->count[idx] >= CMD_MAX_REPEAT) {
			cmd_error("%s: option --%s given too often", e->name,
			    e->opts[idx].name);
			goto usage;
		}
		ctx->val[idx][ctx->count[idx]++] = v;
	}
	if (npos < e->min_args || (e->max_args >= 0 && npos > e->max_args)) {
		if (npos < e->min_args)
			cmd_error("%s: missing %s", e->name, e->args);
		else
			cmd_error("%s: too many arguments", e->name);
		goto usage;
	}
	ctx->argc = npos;
	ctx->argv = pos;
	ctx->global = g;
	rc = e->exec(ctx);
	goto out;
usage:
	cmd_usage(e);
	rc = CMD_USAGE;
out:
	free(pos);
	free(ctx);
	free(words);
	return rc;
}

static int
cmd_lookup(const struct cmd_ctx *ctx, const char *name)
{
	return cmd_opt_index(ctx->entry, name, strlen(name));
}

int
cmd_isset(const struct cmd_ctx *ctx, const char *name)
{
	int	i = cmd_lookup(ctx, name);

	return i >= 0 && ctx->count[i] > 0;
}

const char *
cmd_get(const struct cmd_ctx *ctx, const char *name)
{
	int	i = cmd_lookup(ctx, name);

	if (i < 0 || ctx->count[i] == 0)
		return NULL;
	return ctx->val[i][ctx->count[i] - 1];
}

int
cmd_get_all(const struct cmd_ctx *ctx, const char *name, const char ***vals)
{
	int	i = cmd_lookup(ctx, name);

	if (i < 0)
		return 0;
	*vals = (const char **)ctx->val[i];
	return ctx->count[i];
}

/*
 * A numeric option in [min, max], or def when absent.  Returns -1 after
 * printing an error naming the option.
 */
int
cmd_number(const struct cmd_ctx *ctx, const char *name, long long min,
    long long max, long long def, long long *out)
{
	const char	*v = cmd_get(ctx, name), *errstr;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	*out = strtonum(v, min, max, &errstr);
	if (errstr != NULL) {
		cmd_error("%s: --%s %s is %s (expected %lld to %lld)",
		    ctx->entry->name, name, v, errstr, min, max);
		return -1;
	}
	return 0;
}

/* The positional arguments joined by single spaces. */
char *
cmd_join_args(const struct cmd_ctx *ctx)
{
	size_t	len = 1;
	char	*s;
	int	i;

	for (i = 0; i < ctx->argc; i++)
		len += strlen(ctx->argv[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; i < ctx->argc; i++) {
		if (i > 0)
			strlcat(s, " ", len);
		strlcat(s, ctx->argv[i], len);
	}
	return s;
}
