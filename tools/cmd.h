/*
 * tools/cmd.h — the tambuli command table.
 *
 * Every CLI command is one declarative struct cmd_entry: its name (one or
 * two words), usage, help, options, positional-argument arity, flags and
 * exec function.  Argument checking, usage messages and "tambuli help" all
 * come from the table (tools/cmd.c), so no command parses its own argv.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

/* Exit codes. */
#define CMD_OK		0
#define CMD_FAIL	1
#define CMD_USAGE	2

#define CMD_MAX_OPTS	32
#define CMD_MAX_REPEAT	16

struct cmd_opt {
	const char	*name;		/* long name without "--" */
	const char	*arg;		/* argument name, NULL for a flag */
	const char	*help;
	int		 flags;
#define CMD_OPT_REPEAT	0x1		/* may be given several times */
};

struct cmd_ctx;

struct cmd_entry {
	const char		*name;	/* "pdu encode" */
	const char		*args;	/* positional usage: "TEXT" */
	const char		*help;	/* one line */
	const struct cmd_opt	*opts;	/* NULL-terminated, or NULL */
	int			 min_args;
	int			 max_args;	/* -1: unlimited */
	int			 flags;
#define CMD_NEEDS_DAEMON 0x1		/* talks to tambulid */
#define CMD_OFFLINE_OK	 0x2		/* works without the daemon */
#define CMD_PRIVILEGED	 0x4		/* changes state */
	int			(*exec)(struct cmd_ctx *);
};

/* Global options, valid before or after the command words. */
struct cmd_global {
	const char	*config;	/* -c FILE */
	const char	*db;		/* --db PATH */
	const char	*socket;	/* --socket PATH */
};

struct cmd_ctx {
	const struct cmd_entry	*entry;
	struct cmd_global	 global;
	int			 argc;		/* positional arguments */
	char			**argv;
	/* option values, indexed like entry->opts */
	const char		*val[CMD_MAX_OPTS][CMD_MAX_REPEAT];
	int			 count[CMD_MAX_OPTS];
};

/* cmd.c */
extern const struct cmd_entry *cmd_table[];
int		 cmd_run(int, char **);
int		 cmd_isset(const struct cmd_ctx *, const char *);
const char	*cmd_get(const struct cmd_ctx *, const char *);
int		 cmd_get_all(const struct cmd_ctx *, const char *,
		    const char ***);
int		 cmd_number(const struct cmd_ctx *, const char *, long long,
		    long long, long long, long long *);
void		 cmd_usage(const struct cmd_entry *);
int		 cmd_error(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
char		*cmd_join_args(const struct cmd_ctx *);

/* cmd_admin.c */
extern const struct cmd_entry cmd_admin_backup_entry;
extern const struct cmd_entry cmd_admin_doctor_entry;
extern const struct cmd_entry cmd_admin_wipe_entry;

/* cmd_modem.c */
extern const struct cmd_entry cmd_modem_list_entry;
extern const struct cmd_entry cmd_modem_probe_entry;
extern const struct cmd_entry cmd_modem_ussd_entry;
extern const struct cmd_entry cmd_modem_send_entry;
extern const struct cmd_entry cmd_modem_read_entry;

/* cmd_send.c */
extern const struct cmd_entry cmd_send_entry;
extern const struct cmd_entry cmd_send_list_entry;
extern const struct cmd_entry cmd_send_show_entry;
extern const struct cmd_entry cmd_send_cancel_entry;
extern const struct cmd_entry cmd_send_watch_entry;
extern const struct cmd_entry cmd_send_answers_entry;

/* cmd_status.c */
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_status_ussd_entry;
extern const struct cmd_entry cmd_status_balance_entry;

/* cmd_sub.c */
extern const struct cmd_entry cmd_sub_list_entry;
extern const struct cmd_entry cmd_sub_add_entry;
extern const struct cmd_entry cmd_sub_remove_entry;
extern const struct cmd_entry cmd_sub_forget_entry;
extern const struct cmd_entry cmd_sub_import_entry;
extern const struct cmd_entry cmd_sub_export_entry;
extern const struct cmd_entry cmd_sub_lists_entry;

/* cmd_org.c */
extern const struct cmd_entry cmd_org_add_entry;
extern const struct cmd_entry cmd_org_list_entry;
extern const struct cmd_entry cmd_org_remove_entry;
extern const struct cmd_entry cmd_org_pin_entry;

/* cmd_inbox.c */
extern const struct cmd_entry cmd_inbox_entry;
extern const struct cmd_entry cmd_inbox_reply_entry;

/* cmd_pdu.c */
extern const struct cmd_entry cmd_pdu_encode_entry;
extern const struct cmd_entry cmd_pdu_decode_entry;
extern const struct cmd_entry cmd_pdu_plan_entry;

#endif
