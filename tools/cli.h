/*
 * tools/cli.h — what the gateway commands of the CLI share: the
 * configuration and database they work on, and the client side of the
 * control socket.
 *
 * The database is the source of truth for queued work: commands that
 * change it (send, subscribers, reply) write to it directly through the
 * same db/ functions the daemon uses, then nudge the daemon over the
 * socket if it is up (KICK).  Live state (modem status, USSD) needs the
 * socket.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "conf.h"
#include "ctl_proto.h"
#include "db.h"
#include "plan.h"

#define CLI_CONF_DEFAULT	"/etc/tambuli/tambuli.conf"

/* cli.c */
/*
 * Load the configuration (-c FILE, else the default path if it exists,
 * else defaults) and apply --db/--socket.  Prints the errors and returns
 * -1.
 */
int		 cli_conf(const struct cmd_ctx *, struct conf *);
/* Open the database of the configuration; NULL after an error message
 * (a missing database is an error: only tambulid creates one). */
struct db	*cli_db(const struct conf *);
/* Normalize a number with the configured country code; -1 after an
 * error message naming the number. */
int		 cli_phone(const struct conf *, const char *, char *, size_t);
int64_t		 cli_now(void);
int		 cli_duration(const char *, int64_t, int64_t, int64_t *);
/* "2026-11-29 09:15" in local time */
const char	*cli_time(int64_t, char *, size_t);
/* Text from the store made safe for a terminal, in place: control
 * characters (C0, DEL, C1) become '?', line breaks too unless keep_lines
 * (then CRLF is a line break; a lone CR, which would let a line overwrite
 * itself, is a '?'). */
char		*cli_safe(char *, int keep_lines);
/* 1 when typed text has a control character (C0 but line breaks, DEL,
 * C1), with its code point and 1-based character position; else 0. */
int		 cli_control(const char *, unsigned *, size_t *);
/* Plan options from the configured encoding policy. */
void		 cli_plan_opts(const struct conf *, struct plan_opts *);

/* client.c: the control socket */
struct client;
/* seconds to connect, to write a request and for each reply line */
#define CLIENT_TIMEOUT_S	5
enum client_failure {
	CLIENT_OK = 0,
	CLIENT_DOWN,		/* no daemon: no socket, connection refused */
	CLIENT_NO_ANSWER,	/* a daemon that did not answer in time */
	CLIENT_REFUSED,		/* it answered no (too many connections) */
};
/* How the last attempt to reach the daemon failed, and why (a sentence). */
enum client_failure client_failure(const char **);
/* Connect and say HELLO; NULL (with *cause) when no daemon answers. */
struct client	*client_open(const char *, char **);
void		 client_close(struct client *);
/*
 * Send a request and read its reply: body lines through body_cb (may be
 * NULL), events through event_cb (may be NULL).  Returns the final code,
 * or -1 on a broken connection; *text gets the final text (static buffer).
 */
int		 client_request(struct client *, enum ctl_verb,
		    const char *const *, void (*)(const char *, void *),
		    void (*)(const struct ctl_proto_item *, void *), void *,
		    const char **);
/* Wait for the next event (blocking, up to ms; 0: none in time, -1). */
int		 client_event(struct client *, int,
		    void (*)(const struct ctl_proto_item *, void *), void *);
/* Best effort: tell a running daemon there is new work; -1 when no
 * daemon runs, -2 when one did not answer or refused us (the work waits
 * in the database either way; client_failure() says why). */
int		 client_kick(const char *);
/* Modems of the running daemon that are ready now, or -1. */
int		 client_ready_modems(const char *);

#endif
