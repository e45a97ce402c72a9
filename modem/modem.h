/*
 * modem/modem.h — the modem driver: one state machine per modem, driven
 * by libevent, talking AT commands (3GPP TS 27.007, TS 27.005 PDU mode)
 * over a serial port.
 *
 * The owner (the daemon, or the CLI for "tambuli modem ...") creates a
 * modem with callbacks, starts it, and hands it one SMS segment at a time.
 * Everything is asynchronous: results come back through the callbacks,
 * never by blocking.  Inbound messages are acknowledged by the owner once
 * they are stored (modem_sms_done); only then does the driver delete them
 * from the SIM.
 */
#ifndef MODEM_H
#define MODEM_H

#include <stddef.h>
#include <stdint.h>

#include "pdu.h"

struct event_base;
struct modem;

enum modem_state {
	MODEM_CLOSED,		/* not started, or stopped */
	MODEM_OPENING,		/* opening the port */
	MODEM_PROBING,		/* ESC, AT until the modem answers */
	MODEM_INIT,		/* identity, SIM, settings */
	MODEM_SIM_WAIT,		/* SIM busy or absent: retrying */
	MODEM_REGISTERING,	/* waiting for network registration */
	MODEM_READY,		/* can send and receive */
	MODEM_RESETTING,	/* reset sent, waiting for it to come back */
	MODEM_BACKOFF,		/* port lost or failed: retry on a timer */
	MODEM_FAILED,		/* needs an operator (PIN, PUK, no answer) */
};

enum modem_result {
	MODEM_SENT,
	MODEM_TEMPFAIL,
	MODEM_PERMFAIL,
};

struct modem_config {
	const char	*name;		/* for logs and status: "modem1" */
	const char	*device;	/* /dev/serial/by-id/..., /dev/ttyUSB2 */
	int		 baud;		/* 0: 115200 */
	int		 rtscts;
	const char	*pin;		/* SIM PIN or NULL */
	int		 once;		/* CLI: stop at the first failure
					 * instead of retrying */
	int		 sweep;		/* read stored messages at start */
	int		 keep_sms;	/* never delete from the SIM */
	int		 health_sec;	/* 0: every 60 s; the periodic check of
					 * signal, registration and settings */
};

struct modem_info {
	enum modem_state state;
	char		 manufacturer[64];
	char		 model[64];
	char		 revision[96];
	char		 imei[32];
	char		 imsi[32];
	char		 sim[32];	/* "ready", "PIN required", ... */
	int		 reg;		/* registration stat, -1 unknown */
	char		 operator_name[64];
	int		 signal_dbm;	/* 0 unknown */
	int		 storage_used, storage_total; /* -1 unknown */
	char		 smsc[32];
	char		 number[24];	/* the SIM's own, from +CNUM ("" unknown) */
	char		 profile[16];	/* quirk profile */
	char		 last_error[160];
	unsigned long	 sent, failed, received;
};

/* An inbound message as read from the modem. */
struct modem_sms {
	int		 index;		/* SIM slot, or -1 (+CMT) */
	const char	*pdu_hex;
	struct sms_msg	*msg;		/* decoded, or NULL if undecodable */
	const char	*error;		/* why it could not be decoded */
};

struct modem_cb {
	/* every state change */
	void	(*state)(struct modem *, enum modem_state, void *);
	/* the result of modem_send(): mr is TP-MR on success; err names
	 * the failure; cms is the +CMS code or -1 */
	void	(*sent)(struct modem *, uint64_t, enum modem_result, int,
		    int, const char *, void *);
	/* an inbound message; call modem_sms_done() once it is stored */
	void	(*sms)(struct modem *, const struct modem_sms *, void *);
	/* a status report (+CDS or stored) */
	void	(*report)(struct modem *, const struct sms_msg *, void *);
	/* a USSD answer: status is +CUSD <m> (0 done, 1 more, 2..5 end),
	 * text UTF-8 or NULL; or status -1 with text the error */
	void	(*ussd)(struct modem *, int, const char *, void *);
	/* the initial sweep of stored messages is over */
	void	(*swept)(struct modem *, void *);
	/* a new network time was read (modem_network_time()) */
	void	(*clock)(struct modem *, void *);
};

struct modem	*modem_new(struct event_base *, const struct modem_config *,
		    const struct modem_cb *, void *);
void		 modem_start(struct modem *);
/* Close the port and free the modem from the event loop (safe to call
 * from a callback). */
void		 modem_free(struct modem *);

const struct modem_info *modem_info(const struct modem *);
const char	*modem_name(const struct modem *);
const char	*modem_state_name(enum modem_state);
/* 1 when a new modem_send() would be accepted now */
int		 modem_can_send(const struct modem *);

/*
 * Send one segment: the PDU in hex (SMSC information first) and its TPDU
 * length.  Returns 0 (the result comes through cb->sent) or -1 when the
 * modem cannot take it now (not ready, or a send in flight).
 */
int		 modem_send(struct modem *, uint64_t, const char *, size_t);

/* The owner stored the message read from this slot: delete it. */
void		 modem_sms_done(struct modem *, int);
/* The owner could not store it: it stays on the SIM for a later sweep. */
void		 modem_sms_retry(struct modem *, int);
/* Read every stored message again (CMGL). */
void		 modem_sweep(struct modem *);

/* USSD: start a session, answer a menu, cancel. -1 when not possible. */
int		 modem_ussd(struct modem *, const char *);
int		 modem_ussd_reply(struct modem *, const char *);
void		 modem_ussd_cancel(struct modem *);

/* Refresh signal, registration and operator now. */
void		 modem_poll(struct modem *);

/* Call done once every command queued so far has finished. */
void		 modem_flush(struct modem *, void (*)(struct modem *, void *),
		    void *);

/*
 * The network's time now, as this modem last heard it (modem_clock.c):
 * -1 when it has none (no NITZ from the network, a modem clock nobody
 * set).
 */
struct modem_time {
	int64_t		 network;	/* UTC seconds, now */
	int		 tz;		/* quarter hours, or NETTIME_TZ_UNKNOWN */
	int		 source;	/* enum nettime_source */
	int		 confirmed;	/* two readings agreed */
};
int		 modem_network_time(const struct modem *, struct modem_time *);

/* Words for a registration status (TS 27.007 +CREG <stat>). */
const char	*modem_reg_name(int);

#endif
