/*
 * tools/sim.h — modemsim, the simulated GSM modem on a pseudo-terminal.
 *
 * One struct sim holds the whole simulated device: the pty, the AT
 * interpreter state, the SIM storage, the phones it simulates, the faults
 * and the control socket.  It is passed explicitly; there are no globals.
 *
 * Files: modemsim.c (main, options, client mode, logging), sim_pty.c (the
 * pty: plug, unplug, bytes in and out), sim_at.c (the AT interpreter, TS
 * 27.007 / 27.005 in PDU mode, personalities), sim_sms.c (SIM storage,
 * inbound texts, submitted texts, status reports), sim_ussd.c (the USSD
 * menus), sim_ctl.c (the control socket).
 */
#ifndef SIM_H
#define SIM_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pdu.h"

struct event_base;
struct event;
struct evbuffer;

#define SIM_LINE_MAX		1024	/* AT command line, as V.250 S3 */
#define SIM_BALANCE_CODE	"*100#"	/* answered with --balance */
#define SIM_PDU_HEX_MAX		(PDU_MAX_OCTETS * 2)
#define SIM_INBUF_MAX		8192	/* unprocessed input while busy */
#define SIM_OUTBUF_MAX		(256 * 1024) /* nobody reading: drop */
#define SIM_URCQ_MAX		64	/* indications buffered in the TA */
#define SIM_HELD_MAX		1000	/* inbound held by the "network" */
#define SIM_FAILQ_MAX		64
#define SIM_SENT_MAX		10000	/* records kept in memory */

/* A vendor personality: what the modem says and how it behaves. */
struct sim_pers {
	const char	*name;
	const char	*manufacturer;	/* +CGMI */
	const char	*model;		/* +CGMM */
	const char	*revision;	/* +CGMR */
	const char	*ati;		/* ATI text, lines joined by \r\n */
	const char	*imei;
	const char	*cnmi_test;	/* +CNMI=? */
	int		 cnmi_ds2;	/* accepts <ds>=2 */
	int		 cnmi_default[5];
	int		 index_base;
	int		 storage;	/* default slots */
	int		 act;		/* +COPS <AcT>: 0 GSM, 2 UTRAN, 7 LTE */
	const char	*cscs;		/* power-on character set */
	int		 huawei;	/* ^RSSI spam, packed-hex USSD */
	const char	*boot_urcs;	/* after power-on, \n separated */
	const char	*ready_urcs;	/* once the SIM is ready */
};

enum sim_sim {				/* the SIM card */
	SIM_SIM_READY,
	SIM_SIM_PIN,
	SIM_SIM_BUSY,
	SIM_SIM_ABSENT,
};

enum sim_state {			/* the AT interpreter */
	SIM_ST_OFF,			/* unplugged, or booting: silent */
	SIM_ST_CMD,			/* command mode */
	SIM_ST_PROMPT,			/* after "> ": PDU or text */
	SIM_ST_BUSY,			/* a command's result is pending */
	SIM_ST_HUNG,			/* answers nothing but AT+CFUN=1,1 */
};

/* A message as the simulated network hands it to the modem. */
struct sim_msg {
	TAILQ_ENTRY(sim_msg) entry;
	int		 report;	/* SMS-STATUS-REPORT, not DELIVER */
	size_t		 tpdu_len;
	char		 hex[SIM_PDU_HEX_MAX + 1];
	char		 from[PDU_ADDR_MAX * 3 + 2]; /* or recipient */
	char		 text[PDU_TEXT_MAX];	/* this part's text */
};
TAILQ_HEAD(sim_msgq, sim_msg);

struct sim_slot {
	int		 used;
	int		 stat;		/* 0 unread, 1 read, 2 unsent, 3 sent */
	struct sim_msg	 msg;
};

/* A submitted multipart message being put back together. */
struct sim_asm {
	TAILQ_ENTRY(sim_asm) entry;
	char		 to[PDU_ADDR_MAX * 3 + 2];
	unsigned	 ref, parts, have;
	int		 report;
	enum sms_encoding encoding;
	char		*text[256];	/* by part number */
	int		 mr[256];
};
TAILQ_HEAD(sim_asmq, sim_asm);

struct sim_ctl_client;
TAILQ_HEAD(sim_ctl_clients, sim_ctl_client);

struct sim_opts {
	const char	*link;		/* -l: symlink to the slave */
	const char	*out;		/* -o: JSON lines of sent messages */
	const char	*sock;		/* -s: control socket */
	const char	*pers;		/* -p */
	const char	*pin;		/* --pin */
	const char	*smsc;		/* --smsc */
	const char	*oper;		/* --operator */
	const char	*number;	/* --number: the SIM's own (+CNUM) */
	const char	*imei;		/* --imei: +CGSN */
	const char	*imsi;		/* --imsi: +CIMI */
	const char	*ussd_script;
	int		 storage;	/* --storage, 0 = personality's */
	int		 index_base;	/* -1 = personality's */
	int		 latency_ms;	/* per +CMGS */
	int		 report_ms;	/* status report delay */
	int		 report_status;	/* TP-ST of reports */
	int		 boot_ms;	/* silence after reset */
	int		 urc_ms;	/* huawei ^RSSI period */
	int		 ussd_ms;	/* USSD answer delay */
	int		 ussd_timeout_s;
	int		 cnma_ms;	/* +CNMA deadline */
	int		 sim_busy_s;
	int		 reg_delay_s;
	int		 no_sim;
	int		 cnmi_direct;	/* --cnmi-direct: no <mt> 1, +CMT */
	int		 rssi;
	int		 temp_pct, perm_pct;	/* random +CMS errors */
	unsigned	 seed;
	int		 verbose;
};

struct sim {
	struct event_base	*base;
	const struct sim_pers	*pers;
	struct sim_opts		 o;

	/* sim_pty.c */
	int			 master, slave;	/* slave kept open: no EIO */
	char			 path[64];	/* /dev/pts/N */
	char			*link;
	int			 plugged;
	struct event		*ev_read, *ev_write;
	struct evbuffer		*out;
	struct evbuffer		*in;		/* not yet interpreted */

	/* sim_at.c: volatile settings, reset at power-on and ATZ */
	enum sim_state		 state;
	int			 echo, cmee, cmgf, cscs; /* cscs: SIM_CSCS_* */
	int			 cnmi[5];	/* mode, mt, bm, ds, bfr */
	int			 csms;
	int			 creg_n, cereg_n, cgreg_n, cops_fmt;
	int			 curc, cusd_n, ussdmode;
	int			 cfun;
	char			 mem[3][3];	/* +CPMS names */
	int			 processing;	/* inside sim_at_input */
	char			 line[SIM_LINE_MAX + 1];
	size_t			 linelen;
	int			 overflow;
	char			 pdu[SIM_PDU_HEX_MAX + 1];
	size_t			 pdulen;
	int			 pdu_bad;	/* overlong */
	size_t			 cmgs_len;	/* PDU mode: TPDU length */
	int			 cmgs_text;	/* text mode */
	char			 cmgs_da[PDU_ADDR_MAX + 2];
	char			*rest;		/* commands after +CMGS */
	struct event		*ev_boot, *ev_simready, *ev_reg;
	struct event		*ev_urc, *ev_submit, *ev_cnma;
	struct event		*ev_slow;	/* a late +CMGR answer */
	uint8_t			 submit[PDU_MAX_OCTETS];
	size_t			 submit_len;
	int			 submit_result;	/* -1 ok, else +CMS code */

	/* the SIM and the network */
	enum sim_sim		 sim;
	int			 reg;		/* +CREG <stat> */
	int			 reg_hold;	/* forced <stat>, -1 = auto */
	int			 cops_dereg;	/* AT+COPS=2 */
	unsigned		 urc_tick;
	int			 rssi;
	char			 smsc[PDU_ADDR_MAX + 2];
	unsigned		 mr;		/* next TP-MR */
	unsigned		 inref;		/* next inbound concat ref */
	uint64_t		 rng;

	/* sim_sms.c */
	struct sim_slot		*slots;
	int			 nslots;
	int			 index_base;
	struct sim_msgq		 held;		/* network retries these */
	int			 nheld;
	struct sim_msg		*unacked;	/* +CMT/+CDS awaiting +CNMA */
	char			*urcq[SIM_URCQ_MAX];	/* TA-buffered */
	int			 nurcq;
	struct sim_asmq		 asm;
	int			 nasm;
	FILE			*outf;
	char			**sent;		/* JSON records */
	size_t			 nsent, nsent_total;

	/* faults */
	int			 failq[SIM_FAILQ_MAX];	/* 0 = succeed */
	int			 nfailq;
	int			 no_credit;	/* every submission: +CMS ERROR: 8 */
	char			*balance;	/* answer to SIM_BALANCE_CODE, or NULL */
	int			 race_cmti;
	int			 hang_cmgl;
	int			 slow_cmgr_ms;	/* the next AT+CMGR answers late */
	int			 slow_slot;
	int			 rep_fault_status, rep_fault_count;
	int			 stray_ok;	/* OK at once after ^Z, +CMGS later */
	int			 ok_no_cmgs;	/* OK, no +CMGS:, nothing sent */
	int			 ok_prompt;	/* OK before the "> " */
	int			 garbled_cmgs;	/* sent, "+CMGS:" line garbled */
	int			 lose_cmti;	/* texts stored unannounced */
	int			 cmgd_fail;	/* deletes refused, text kept */
	int			 cmgd_lie;	/* deleted, but +CMS ERROR: 500 */
	char			*cnmi_test;	/* AT+CNMI=? answer, or NULL */
	char			*hang_at;	/* hang when this command comes */
	long			 flood_left;	/* +CMTI URCs still to write */
	struct event		*ev_flood;

	/* sim_ussd.c */
	struct sim_ussd_entry	*ussd;		/* the script */
	char			 ussd_path[256];	/* "" = no session */
	struct event		*ev_ussd, *ev_ussd_to;
	int			 ussd_m;
	char			 ussd_text[512];
	int			 ussd_answer_pending;

	/* sim_clock.c: the network's time and the modem's clock */
	int64_t			 net_offset;	/* network minus real, s */
	int			 net_tz;	/* quarter hours */
	int			 net_none;	/* the network sends no NITZ */
	int64_t			 rtc_boot;	/* real time at power-on */
	int			 rtc_synced;	/* the clock follows the network */
	int			 nitz_seen;
	int			 ctzu, ctzr, clts;

	/* sim_ctl.c */
	int			 ctl_fd;
	struct event		*ev_accept;
	struct sim_ctl_clients	 clients;
	int			 quitting;
};

/* +CSCS */
#define SIM_CSCS_GSM	0
#define SIM_CSCS_IRA	1
#define SIM_CSCS_UCS2	2

/* modemsim.c */
void	 modemsim_log(struct sim *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 modemsim_trace(struct sim *, const char *, const char *, size_t);
void	 modemsim_fatal(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
unsigned modemsim_rand(struct sim *);

/* sim_pty.c */
int	 sim_pty_plug(struct sim *, const char *, const char **);
void	 sim_pty_unplug(struct sim *);
void	 sim_pty_write(struct sim *, const void *, size_t);
void	 sim_pty_free(struct sim *);

/* sim_at.c */
const struct sim_pers *sim_at_personality(const char *);
void	 sim_at_init(struct sim *);
void	 sim_at_free(struct sim *);
void	 sim_at_input(struct sim *);
void	 sim_at_power_on(struct sim *, int);
void	 sim_at_reboot(struct sim *);
void	 sim_at_hang(struct sim *);
void	 sim_at_urc(struct sim *, const char *);
void	 sim_at_urc_len(struct sim *, const char *, size_t);
int	 sim_at_indicate(struct sim *, const char *, size_t, int);
int	 sim_at_can_deliver(struct sim *);
int	 sim_at_reserved(struct sim *);
void	 sim_at_flush_urcs(struct sim *);
void	 sim_at_set_reg(struct sim *, int);
void	 sim_at_garbage(struct sim *, size_t);
void	 sim_at_flood(struct sim *, long);
const char *sim_at_state_name(enum sim_state);

/* sim_sms.c */
void	 sim_sms_init(struct sim *);
void	 sim_sms_free(struct sim *);
void	 sim_sms_reset(struct sim *);
int	 sim_sms_inject(struct sim *, const char *, const char *, int *,
	    const char **);
int	 sim_sms_inject_pdu(struct sim *, long, const char *, const char **);
int	 sim_sms_submitted(struct sim *, const uint8_t *, size_t,
	    const struct sms_msg *, unsigned);
void	 sim_sms_release(struct sim *);
void	 sim_sms_ack(struct sim *, int);
int	 sim_sms_used(struct sim *);
int	 sim_sms_slot(struct sim *, int);	/* index -> slot, or -1 */
int	 sim_sms_fill(struct sim *);
int	 sim_sms_clear(struct sim *);
void	 sim_sms_storage_json(struct sim *, FILE *);
void	 sim_sms_read_mark(struct sim *, int);

/* sim_ussd.c */
int	 sim_ussd_load(struct sim *, const char *, const char **);
void	 sim_ussd_builtin(struct sim *);
void	 sim_ussd_free(struct sim *);
int	 sim_ussd_request(struct sim *, const char *, int);
void	 sim_ussd_cancel(struct sim *);
void	 sim_ussd_notify(struct sim *, int, const char *);

/* sim_clock.c */
int	 sim_clock_set(struct sim *, const char *, const char **);
void	 sim_clock_power_on(struct sim *);
void	 sim_clock_nitz(struct sim *);
int	 sim_clock_cmd(struct sim *, const char *, int, int, char **, char *,
	    size_t);

/* sim_ctl.c */
int	 sim_ctl_open(struct sim *, const char *, const char **);
void	 sim_ctl_close(struct sim *);
void	 sim_ctl_poke(struct sim *);	/* state changed: wake waiters */

#endif
