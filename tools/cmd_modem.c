/*
 * tools/cmd_modem.c — "tambuli modem list|probe|ussd|send|read": talking
 * to one modem directly, without the daemon, to test a SIM and a stick
 * before deployment.
 *
 * Each command runs the same driver as the daemon (modem/modem.c) in a
 * private event loop, in "once" mode: the first failure ends the command
 * with the reason in words instead of being retried.
 */
#include <event2/event.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "compat.h"
#include "log.h"
#include "modem.h"
#include "pdu.h"
#include "phone.h"
#include "plan.h"
#include "serial.h"

static int	cmd_modem_list_exec(struct cmd_ctx *);
static int	cmd_modem_probe_exec(struct cmd_ctx *);
static int	cmd_modem_ussd_exec(struct cmd_ctx *);
static int	cmd_modem_send_exec(struct cmd_ctx *);
static int	cmd_modem_read_exec(struct cmd_ctx *);

static const struct cmd_opt cmd_modem_port_opts[] = {
	{ "baud", "N", "serial speed (default 115200)", 0 },
	{ "pin", "PIN", "SIM PIN, if the SIM asks for one", 0 },
	{ "verbose", NULL, "log every AT command and answer", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_modem_read_opts[] = {
	{ "baud", "N", "serial speed (default 115200)", 0 },
	{ "pin", "PIN", "SIM PIN, if the SIM asks for one", 0 },
	{ "delete", NULL, "delete each message from the SIM once printed", 0 },
	{ "verbose", NULL, "log every AT command and answer", 0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_modem_list_entry = {
	.name = "modem list",
	.args = "",
	.help = "list the serial ports that look like modems, with their "
	    "stable by-id paths",
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_modem_list_exec,
};

const struct cmd_entry cmd_modem_probe_entry = {
	.name = "modem probe",
	.args = "DEVICE",
	.help = "initialize a modem and print what it is and whether it can "
	    "send SMS",
	.opts = cmd_modem_port_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_modem_probe_exec,
};

const struct cmd_entry cmd_modem_ussd_entry = {
	.name = "modem ussd",
	.args = "DEVICE CODE [REPLY...]",
	.help = "run a USSD session (balance *100#, menus), answering menus "
	    "with the REPLY arguments in order",
	.opts = cmd_modem_port_opts,
	.min_args = 2,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_modem_ussd_exec,
};

const struct cmd_entry cmd_modem_send_entry = {
	.name = "modem send",
	.args = "DEVICE NUMBER TEXT",
	.help = "send TEXT exactly (no substitutions; multipart when long) "
	    "through one modem",
	.opts = cmd_modem_port_opts,
	.min_args = 3,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK | CMD_PRIVILEGED,
	.exec = cmd_modem_send_exec,
};

const struct cmd_entry cmd_modem_read_entry = {
	.name = "modem read",
	.args = "DEVICE",
	.help = "print every message stored on the SIM with sender, time and "
	    "text",
	.opts = cmd_modem_read_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_modem_read_exec,
};

/* One run of the driver for one command. */
struct cmd_modem_run {
	struct event_base	*base;
	struct modem		*m;
	struct event		*deadline;
	int			 rc;
	int			 done;
	/* ussd */
	const char		*code;
	char			**replies;
	int			 nreplies;
	/* send */
	struct plan		*plan;
	struct pdu_submit	 sub;
	const char		*to;
	size_t			 seg;
	unsigned		 ref;
	/* read */
	int			 delete;
	int			 count;
};

static void
cmd_modem_stop(struct cmd_modem_run *r, int rc)
{
	if (r->done)
		return;
	r->done = 1;
	r->rc = rc;
	event_base_loopexit(r->base, NULL);
}

static void
cmd_modem_stop_cb(struct modem *m, void *arg)
{
	struct cmd_modem_run	*r = arg;

	(void)m;
	r->done = 1;
	event_base_loopexit(r->base, NULL);
}

/* Stop once the commands already queued (a cancel, a delete) are done. */
static void
cmd_modem_finish(struct cmd_modem_run *r, int rc)
{
	if (r->done)
		return;
	r->rc = rc;
	modem_flush(r->m, cmd_modem_stop_cb, r);
}

static void
cmd_modem_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cmd_modem_run	*r = arg;

	(void)fd;
	(void)what;
	cmd_error("no result in time from %s (state: %s%s%s)",
	    modem_name(r->m), modem_state_name(modem_info(r->m)->state),
	    modem_info(r->m)->last_error[0] ? "; " : "",
	    modem_info(r->m)->last_error);
	cmd_modem_stop(r, CMD_FAIL);
}

static void
cmd_modem_failed(struct cmd_modem_run *r)
{
	const struct modem_info	*i = modem_info(r->m);

	cmd_error("%s", i->last_error[0] ? i->last_error :
	    "the modem failed");
	cmd_modem_stop(r, CMD_FAIL);
}

/*
 * Set up the loop and the modem.  Returns -1 (after an error message)
 * on bad options.
 */
static int
cmd_modem_setup(struct cmd_ctx *ctx, struct cmd_modem_run *r,
    const struct modem_cb *cb, int sweep, int keep, int seconds)
{
	struct modem_config	 cfg;
	struct timeval		 tv = { seconds, 0 };
	long long		 baud;

	memset(r, 0, sizeof *r);
	r->rc = CMD_FAIL;
	if (cmd_number(ctx, "baud", 1200, 4000000, 115200, &baud) == -1)
		return -1;
	log_init("tambuli", cmd_isset(ctx, "verbose"), LOG_TO_STDERR);
	if (cmd_isset(ctx, "verbose"))
		log_set_traces(TRACE_AT);
	else
		log_set_quiet(1);	/* the command reports its failure */
	memset(&cfg, 0, sizeof cfg);
	cfg.name = ctx->argv[0];
	cfg.device = ctx->argv[0];
	cfg.baud = (int)baud;
	cfg.pin = cmd_get(ctx, "pin");
	cfg.once = 1;
	cfg.sweep = sweep;
	cfg.keep_sms = keep;
	if ((r->base = event_base_new()) == NULL) {
		cmd_error("cannot create an event loop");
		return -1;
	}
	r->m = modem_new(r->base, &cfg, cb, r);
	r->deadline = evtimer_new(r->base, cmd_modem_deadline_cb, r);
	evtimer_add(r->deadline, &tv);
	return 0;
}

static int
cmd_modem_run(struct cmd_modem_run *r)
{
	modem_start(r->m);
	if (!r->done)
		event_base_dispatch(r->base);
	modem_free(r->m);
	/* let the deferred free run */
	event_base_loop(r->base, EVLOOP_NONBLOCK);
	event_free(r->deadline);
	event_base_free(r->base);
	return r->rc;
}

/* ---- list -------------------------------------------------------------- */

static int
cmd_modem_list_exec(struct cmd_ctx *ctx)
{
	struct serial_port	*ports;
	char			*cause;
	int			 n, i, shown = 0;

	(void)ctx;
	if ((n = serial_list(&ports, &cause)) == -1) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_FAIL;
	}
	for (i = 0; i < n; i++) {
		struct serial_port *p = &ports[i];
		/* USB ports of modem vendors, and CDC-ACM modems */
		if (!p->usb || (p->vendor == NULL && p->hint == NULL))
			continue;
		shown++;
		printf("%s\n", p->path);
		printf("  vendor:  %s (%04x:%04x)\n", p->vendor ? p->vendor :
		    (p->manufacturer[0] ? p->manufacturer : "unknown"),
		    p->vid, p->pid);
		if (p->product[0])
			printf("  model:   %s\n", p->product);
		if (p->interface >= 0)
			printf("  port:    interface %d%s%s\n", p->interface,
			    p->hint ? ", " : "", p->hint ? p->hint : "");
		else if (p->hint)
			printf("  port:    %s\n", p->hint);
		if (p->serial[0])
			printf("  serial:  %s\n", p->serial);
		if (p->by_id[0])
			printf("  by-id:   %s\n", p->by_id);
	}
	free(ports);
	if (shown == 0)
		printf("no modems found (%d serial port%s checked); plug in a "
		    "USB modem, or try \"tambuli modem probe DEVICE\"\n", n,
		    n == 1 ? "" : "s");
	return CMD_OK;
}

/* ---- probe ------------------------------------------------------------- */

static void
cmd_modem_print_info(const struct modem_info *i)
{
	if (i->manufacturer[0])
		printf("manufacturer: %s\n", i->manufacturer);
	if (i->model[0])
		printf("model: %s\n", i->model);
	if (i->revision[0])
		printf("revision: %s\n", i->revision);
	if (i->imei[0])
		printf("imei: %s\n", i->imei);
	if (i->imsi[0])
		printf("imsi: %s\n", i->imsi);
	if (i->sim[0])
		printf("sim: %s\n", i->sim);
	if (i->reg >= 0)
		printf("registration: %s\n", modem_reg_name(i->reg));
	if (i->operator_name[0])
		printf("operator: %s\n", i->operator_name);
	if (i->signal_dbm != 0)
		printf("signal: %d dBm\n", i->signal_dbm);
	else if (i->state == MODEM_READY)
		printf("signal: unknown\n");
	if (i->storage_total > 0)
		printf("storage: %d/%d\n", i->storage_used, i->storage_total);
	if (i->smsc[0])
		printf("smsc: %s\n", i->smsc);
	if (i->profile[0])
		printf("profile: %s\n", i->profile);
}

static void
cmd_modem_probe_state(struct modem *m, enum modem_state s, void *arg)
{
	struct cmd_modem_run	*r = arg;

	if (s == MODEM_READY) {
		cmd_modem_print_info(modem_info(m));
		cmd_modem_stop(r, CMD_OK);
	} else if (s == MODEM_FAILED) {
		cmd_modem_print_info(modem_info(m));
		cmd_modem_failed(r);
	}
}

static int
cmd_modem_probe_exec(struct cmd_ctx *ctx)
{
	struct cmd_modem_run	r;
	struct modem_cb		cb = { .state = cmd_modem_probe_state };

	if (cmd_modem_setup(ctx, &r, &cb, 0, 1, 90) == -1)
		return CMD_USAGE;
	return cmd_modem_run(&r);
}

/* ---- ussd -------------------------------------------------------------- */

static void
cmd_modem_ussd_answer(struct modem *m, int status, const char *text,
    void *arg)
{
	struct cmd_modem_run	*r = arg;

	if (status < 0) {
		cmd_error("USSD: %s", text);
		cmd_modem_finish(r, CMD_FAIL);
		return;
	}
	if (text != NULL && *text != '\0')
		printf("%s\n", text);
	fflush(stdout);
	switch (status) {
	case 1:
		if (r->nreplies > 0) {
			r->nreplies--;
			modem_ussd_reply(m, *r->replies++);
			return;
		}
		/* a menu is left open and nothing more to answer */
		modem_ussd_cancel(m);
		cmd_modem_finish(r, CMD_OK);
		return;
	case 0:
	case 2:
	case 3:
		if (r->nreplies > 0)
			fprintf(stderr, "tambuli: USSD: the session ended; "
			    "%d reply argument%s not used\n", r->nreplies,
			    r->nreplies == 1 ? "" : "s");
		cmd_modem_finish(r, CMD_OK);
		return;
	case 4:
		cmd_error("USSD: the network does not support this code");
		cmd_modem_finish(r, CMD_FAIL);
		return;
	default:
		cmd_error("USSD: the network timed out");
		cmd_modem_finish(r, CMD_FAIL);
		return;
	}
}

static void
cmd_modem_ussd_state(struct modem *m, enum modem_state s, void *arg)
{
	struct cmd_modem_run	*r = arg;

	if (s == MODEM_FAILED)
		cmd_modem_failed(r);
	else if (s == MODEM_READY && !r->done && r->count++ == 0)
		modem_ussd(m, r->code);
}

static int
cmd_modem_ussd_exec(struct cmd_ctx *ctx)
{
	struct cmd_modem_run	r;
	struct modem_cb		cb = { .state = cmd_modem_ussd_state,
				    .ussd = cmd_modem_ussd_answer };

	if (cmd_modem_setup(ctx, &r, &cb, 0, 1, 180) == -1)
		return CMD_USAGE;
	r.code = ctx->argv[1];
	r.replies = ctx->argv + 2;
	r.nreplies = ctx->argc - 2;
	return cmd_modem_run(&r);
}

/* ---- send -------------------------------------------------------------- */

static void
cmd_modem_send_next(struct cmd_modem_run *r)
{
	uint8_t		 ud[PDU_UD_MAX * 8 / 7 + 1], udh[16];
	uint8_t		 out[PDU_MAX_OCTETS];
	char		 hex[PDU_MAX_OCTETS * 2 + 1];
	const char	*err;
	size_t		 len, tpdu;

	r->sub.ud = ud;
	r->sub.udh = udh;
	r->sub.ud_units = plan_segment(r->plan, r->seg, r->ref, ud, udh,
	    &r->sub.udh_len);
	if (pdu_encode_submit(&r->sub, out, &len, &tpdu, &err) == -1) {
		cmd_error("segment %zu: %s", r->seg + 1, err);
		cmd_modem_finish(r, CMD_FAIL);
		return;
	}
	pdu_to_hex(out, len, hex);
	if (modem_send(r->m, r->seg, hex, tpdu) == -1) {
		cmd_error("the modem cannot send now");
		cmd_modem_finish(r, CMD_FAIL);
	}
}

static void
cmd_modem_send_result(struct modem *m, uint64_t job, enum modem_result res,
    int mr, int cms, const char *err, void *arg)
{
	struct cmd_modem_run	*r = arg;

	(void)m;
	(void)cms;
	if (res != MODEM_SENT) {
		cmd_error("segment %llu/%zu to %s not sent (%s failure): %s",
		    (unsigned long long)job + 1, r->plan->nseg, r->to,
		    res == MODEM_PERMFAIL ? "permanent" : "temporary", err);
		cmd_modem_finish(r, CMD_FAIL);
		return;
	}
	printf("sent segment %llu/%zu to %s (message reference %d)\n",
	    (unsigned long long)job + 1, r->plan->nseg, r->to, mr);
	fflush(stdout);
	if (++r->seg < r->plan->nseg)
		cmd_modem_send_next(r);
	else
		cmd_modem_finish(r, CMD_OK);
}

static void
cmd_modem_send_state(struct modem *m, enum modem_state s, void *arg)
{
	struct cmd_modem_run	*r = arg;

	(void)m;
	if (s == MODEM_FAILED)
		cmd_modem_failed(r);
	else if (s == MODEM_READY && !r->done && r->count++ == 0)
		cmd_modem_send_next(r);
}

static int
cmd_modem_send_exec(struct cmd_ctx *ctx)
{
	struct cmd_modem_run	 r;
	struct modem_cb		 cb = { .state = cmd_modem_send_state,
				    .sent = cmd_modem_send_result };
	struct plan_opts	 o = { PLAN_AUTO, 0, 0, 0 };
	struct plan		*p;
	struct cmd_ctx		 tctx;
	char			 to[PHONE_MAX + 8], *text;
	const char		*err;
	size_t			 i, o_ = 0;
	int			 rc;

	/* the number: "+..." / "00..." international, or national digits */
	for (i = 0; ctx->argv[1][i] != '\0' && o_ + 1 < sizeof to; i++) {
		if (strchr(" \t-./()", ctx->argv[1][i]) == NULL)
			to[o_++] = ctx->argv[1][i];
	}
	to[o_] = '\0';
	if (to[0] == '+' || strncmp(to, "00", 2) == 0) {
		if (phone_normalize(ctx->argv[1], NULL, to, sizeof to,
		    &err) == -1)
			return cmd_error("invalid number '%s': %s",
			    ctx->argv[1], err);
	} else if (o_ == 0 || o_ > 20 || strspn(to, "0123456789") != o_)
		return cmd_error("invalid number '%s': only digits, or "
		    "+ and digits", ctx->argv[1]);

	tctx = *ctx;
	tctx.argc = ctx->argc - 2;
	tctx.argv = ctx->argv + 2;
	text = cmd_join_args(&tctx);
	p = xmalloc(sizeof *p);
	if (plan_make(p, text, strlen(text), &o, &err) == -1) {
		cmd_error("modem send: %s", err);
		free(p);
		free(text);
		return CMD_FAIL;
	}
	if (cmd_modem_setup(ctx, &r, &cb, 0, 1, 120 + 60 * (int)p->nseg) ==
	    -1) {
		plan_free(p);
		free(p);
		free(text);
		return CMD_USAGE;
	}
	r.plan = p;
	r.to = to;
	r.ref = (unsigned)(getpid() ^ (unsigned)time(NULL)) & 0xff;
	r.sub.to = to;
	r.sub.vp_minutes = -1;
	r.sub.msg_class = -1;
	r.sub.encoding = p->encoding;
	rc = cmd_modem_run(&r);
	plan_free(p);
	free(p);
	free(text);
	return rc;
}

/* ---- read -------------------------------------------------------------- */

static void
cmd_modem_read_sms(struct modem *m, const struct modem_sms *s, void *arg)
{
	struct cmd_modem_run	*r = arg;
	const struct sms_msg	*msg = s->msg;
	const struct sms_time	*t;
	int			 q;

	r->count++;
	printf("message %d", r->count);
	if (s->index >= 0)
		printf(" (slot %d)", s->index);
	printf("\n");
	if (msg == NULL) {
		printf("  error: %s\n  pdu:   %s\n", s->error, s->pdu_hex);
	} else {
		printf("  from:  %s\n", msg->addr.text);
		t = &msg->scts;
		if (t->present) {
			q = t->tz_quarters < 0 ? -t->tz_quarters :
			    t->tz_quarters;
			printf("  time:  %04d-%02d-%02dT%02d:%02d:%02d%c%02d:"
			    "%02d\n", t->year, t->month, t->day, t->hour,
			    t->minute, t->second, t->tz_quarters < 0 ? '-' :
			    '+', q / 4, (q % 4) * 15);
		}
		if (msg->concat.present)
			printf("  part:  %u of %u (reference %u)\n",
			    msg->concat.part, msg->concat.parts,
			    msg->concat.ref);
		if (msg->encoding == SMS_ENC_8BIT)
			printf("  data:  %zu octets of 8-bit data\n",
			    msg->data_len);
		else
			printf("  text:  %s\n", msg->text);
	}
	fflush(stdout);
	if (r->delete)
		modem_sms_done(m, s->index);
}

static void
cmd_modem_read_swept(struct modem *m, void *arg)
{
	struct cmd_modem_run	*r = arg;

	(void)m;
	if (r->count == 0)
		printf("no messages stored\n");
	cmd_modem_finish(r, CMD_OK);
}

static void
cmd_modem_read_state(struct modem *m, enum modem_state s, void *arg)
{
	struct cmd_modem_run	*r = arg;

	(void)m;
	if (s == MODEM_FAILED)
		cmd_modem_failed(r);
}

static int
cmd_modem_read_exec(struct cmd_ctx *ctx)
{
	struct cmd_modem_run	r;
	struct modem_cb		cb = { .state = cmd_modem_read_state,
				    .sms = cmd_modem_read_sms,
				    .swept = cmd_modem_read_swept };
	int			del = cmd_isset(ctx, "delete");

	if (cmd_modem_setup(ctx, &r, &cb, 1, !del, 120) == -1)
		return CMD_USAGE;
	r.delete = del;
	return cmd_modem_run(&r);
}
