/*
 * modem/modem_int.h — the driver's private state, shared by modem.c,
 * modem_init.c, modem_sms.c, modem_ussd.c and modem_quirks.c.
 */
#ifndef MODEM_INT_H
#define MODEM_INT_H

#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "at_error.h"
#include "at_lexer.h"
#include "modem.h"
#include "nettime.h"
#include "serial.h"
#include "ussd.h"

/* Timeouts (milliseconds). */
#define MODEM_T_CMD		5000	/* an ordinary command */
#define MODEM_T_PROBE		1000	/* AT while probing */
#define MODEM_T_PROMPT		10000	/* AT+CMGS to "> " */
#define MODEM_T_SUBMIT		60000	/* ^Z to +CMGS: (network) */
#define MODEM_T_READ		15000	/* CMGR, CMGL */
#define MODEM_T_USSD		30000	/* an answer from the network */
#define MODEM_PROBE_TRIES	6
#define MODEM_REG_TRIES		40	/* x 3 s */
#define MODEM_SIM_TRIES		15	/* x 2 s */
#define MODEM_HEALTH_SEC	60
#define MODEM_STALLS_RESET	2	/* timeouts in a row before a reset */
#define MODEM_BACKOFF_MAX	30
#define MODEM_SLOTS		1024	/* storage indexes tracked */
#define MODEM_READS_MAX		4	/* single reads queued; beyond, a sweep */
#define MODEM_REPORTS_MAX	2	/* +CDSI reads in another memory */

/* A quirk profile (modem_quirks.c). */
struct modem_quirks {
	const char		*name;
	const char		*manufacturer;	/* case-insensitive substring */
	const char		*model;		/* or NULL for any */
	const char		*init[4];	/* vendor init, NULL-ended */
	const char		*ignore[6];	/* URC prefixes to drop */
	int			 index_base;	/* first SIM slot */
	enum ussd_req_coding	 ussd_req;
	enum ussd_str_coding	 ussd_str;	/* AUTO: from +CSCS */
	int			 no_ds2;	/* +CNMI ds=2 rejected */
	int			 cmgl_hangs;	/* read slots one by one */
	const char		*reset;		/* reset command */
};

struct modem_cmd;
typedef void (*modem_line_cb)(struct modem *, struct modem_cmd *,
    const struct at_event *);
typedef void (*modem_done_cb)(struct modem *, struct modem_cmd *,
    const struct at_event *);

struct modem_cmd {
	TAILQ_ENTRY(modem_cmd)	 entry;
	char			*line;		/* without CR */
	char			*prefix;
	unsigned		 flags;		/* AT_RESP_CTX_* */
	int			 timeout;	/* ms */
	modem_line_cb		 on_line;	/* each intermediate line */
	modem_done_cb		 on_done;	/* final, or NULL ev: timeout */
	char			*data;		/* written after "> " */
	uint64_t		 job;
	int			 arg;
	void			*ptr;		/* owned by on_done */
	char			 first[256];	/* first intermediate line */
	int			 prompted;
	int			 sync;		/* a resync: only its own answer ends it */
	int			 has_job;	/* sync: a submission awaits its verdict */
	int			 late_mr;	/* sync: +CMGS: <mr> seen, or -1 */
	int			 late_ok;	/* sync: ... followed by OK */
	int			 passable;	/* a text's read may go ahead of it:
						 * a report's read, a delete */
	int			 in_step;	/* a storage command: a late answer
						 * to an earlier one would be taken
						 * for its own (resync first) */
	int			 seen;		/* a recheck's read: 1 the same
						 * message, 2 another, 0 none */
};
TAILQ_HEAD(modem_cmds, modem_cmd);

/* A text listed by a sweep, kept until the sweep is over (modem_sms.c) */
struct modem_listed {
	int64_t		 when;		/* service centre time stamp, UTC
					 * seconds; 0 when it has none */
	int		 index;
	int		 tpdu_len;	/* the header's <length>, or -1 */
	char		*hex;
	size_t		 len;
};

struct modem {
	struct event_base	*base;
	struct modem_config	 cfg;
	char			*name;
	char			*device;	/* the port in use */
	char			*conf_device;	/* the configured path */
	char			*pin;
	char			*open_error;	/* last reason the port did not
						 * open, logged once */
	struct modem_cb		 cb;
	void			*arg;
	struct modem_info	 info;
	const struct modem_quirks *quirks;

	struct serial		*port;
	struct event		*ev_read;
	struct event		*ev_write;
	struct evbuffer		*out;
	struct at_lexer		*lx;

	struct modem_cmds	 cmds;		/* head is in flight */
	int			 busy;		/* head was written */
	int			 flushing;	/* modem_flush_cmds() runs: write nothing */
	struct event		*ev_timeout;	/* in-flight deadline */
	struct event		*ev_retry;	/* backoff, SIM, registration */
	struct event		*ev_health;
	struct event		*ev_ussd;	/* USSD answer deadline */
	int			 stalls;	/* timeouts in a row */
	int			 tries;
	int			 backoff;	/* seconds */
	int			 dead;		/* freed from the loop */

	int			 sending;	/* a CMGS in flight */
	int			 cnmi_ok;
	char			 cnmi[24];	/* the +CNMI values set */
	int			 cscs_ucs2;	/* +CSCS="UCS2" selected */
	int			 cscs_known;	/* +CSCS set by us */
	int			 ussd_active;
	char			*ussd_partial;	/* unterminated +CUSD text */
	uint8_t			 slots[MODEM_SLOTS / 8]; /* delivered, not
					 * deleted yet (modem_sms.c) */
	uint8_t			 kept[MODEM_SLOTS / 8]; /* read and left
					 * in storage (keep_sms, outgoing) */
	int			 unannounced;	/* storage count last swept
					 * for unannounced texts */
	uint8_t			 undeleted[MODEM_SLOTS / 8]; /* handed
					 * over, its delete refused: read and
					 * deleted again at each check */
	int			 undeleted_told;
	uint32_t		 pdu_hash[MODEM_SLOTS];	/* of the message
					 * handed over from each slot */
	struct modem_hunt	*hunt;		/* looking for our IMEI */
	int			 sweeping;
	int			 sweep_again;	/* more arrived: sweep once more */
	int			 sweep_slot;	/* slot by slot: next index */
	struct modem_listed	*listed;	/* this sweep's texts, handed
					 * over oldest first when it ends */
	size_t			 nlisted;	/* at most MODEM_SLOTS */
	uint8_t			 inlist[MODEM_SLOTS / 8];
	uint8_t			 reading[MODEM_SLOTS / 8]; /* announced, its
					 * read waiting or queued */
	int			 nreads;	/* single reads of texts queued */
	int			 nrreads;	/* ... of reports (+CDSI) */
	struct modem_slotq {		/* announced, in the order announced */
		uint16_t	 idx[MODEM_SLOTS];
		size_t		 head, len;
	}			 textq, reportq;
	int			 nreports;	/* +CDSI reads queued elsewhere */
	int			 resync;	/* the line may be out of step */
	int			 syncing;	/* a resync is queued */
	int			 reg_cs, reg_eps; /* last stat, -1 unknown */
	/* modem_clock.c: the last network time read */
	struct nettime		 clk;
	int64_t			 clk_mono;	/* monotonic ms when read */
	int64_t			 clk_polled;	/* monotonic ms of the last read */
	int			 clk_confirmed;	/* two readings agreed */
	int			 clk_auto;	/* +CTZU=1 or +CLTS=1 accepted */
	int			 clk_nitz;	/* a NITZ time seen since opening */
	int			 clk_zone;	/* from +CTZV, or unknown */
	int			 clk_queued;
	int			 clk_unset_logged;
};

/* modem.c */
void	modem_set_state(struct modem *, enum modem_state);
struct modem_cmd *modem_cmd(struct modem *, const char *, const char *,
	    unsigned, int, modem_line_cb, modem_done_cb);
struct modem_cmd *modem_cmd_new(const char *, const char *, unsigned, int,
	    modem_line_cb, modem_done_cb);
void	modem_cmd_queue(struct modem *, struct modem_cmd *);
void	modem_cmd_first(struct modem *, struct modem_cmd *);
void	modem_cmd_turn(struct modem *, struct modem_cmd *);
void	modem_cmd_read(struct modem *, struct modem_cmd *, int);
void	modem_error(struct modem *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	modem_fail(struct modem *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	modem_retry_in(struct modem *, int);
void	modem_reset(struct modem *, const char *);
void	modem_restart(struct modem *);
int	modem_final_ok(const struct at_event *);
int	modem_cmd_dropped(const struct modem *, const struct at_event *);
const char *modem_final_text(const struct at_event *, char *, size_t);
char	*modem_unquote(const char *, size_t, char *, size_t);

/* modem_init.c */
void	modem_init_start(struct modem *);
void	modem_init_sim(struct modem *);
void	modem_init_registration(struct modem *);
void	modem_init_health(struct modem *);
void	modem_init_reg_urc(struct modem *, const struct at_resp *);

/* modem_sms.c */
void	modem_sms_urc(struct modem *, const struct at_event *);
void	modem_sms_sweep(struct modem *);
void	modem_sms_storage(struct modem *);
void	modem_sms_count(struct modem *);
int	modem_sms_resync(struct modem *, struct modem_cmd *,
	    const char *);
void	modem_sms_sync_urc(struct modem *, const struct at_event *);
void	modem_sms_forget(struct modem *);

/* modem_ussd.c */
void	modem_ussd_urc(struct modem *, const struct at_event *);
void	modem_ussd_timeout_cb(evutil_socket_t, short, void *);
void	modem_ussd_abort(struct modem *, const char *);

/* modem_clock.c */
void	modem_clock_init(struct modem *);
void	modem_clock_read(struct modem *);
void	modem_clock_tick(struct modem *);
int	modem_clock_urc(struct modem *, const struct at_event *);

/* modem_hunt.c */
int	modem_hunt_start(struct modem *);
void	modem_hunt_stop(struct modem *);

/* modem_quirks.c */
const struct modem_quirks *modem_quirks_find(const char *, const char *);
int	modem_quirks_ignored(const struct modem_quirks *, const char *);

#endif
