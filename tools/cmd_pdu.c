/*
 * tools/cmd_pdu.c — "tambuli pdu encode|decode|plan": the SMS codec from
 * the command line.
 *
 * The output of encode and decode is a contract other tools depend on:
 *   encode: one line per segment, "<tpdu_length> <HEX>", HEX being the
 *           whole PDU as written after AT+CMGS=<tpdu_length> in PDU mode
 *           (SMSC information first, "00" for the modem's own SMSC);
 *   decode: one JSON object per line per PDU (keys in README.md).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "compat.h"
#include "json.h"
#include "pdu.h"
#include "phone.h"
#include "plan.h"
#include "utf8.h"

static int	cmd_pdu_encode_exec(struct cmd_ctx *);
static int	cmd_pdu_decode_exec(struct cmd_ctx *);
static int	cmd_pdu_plan_exec(struct cmd_ctx *);

static const struct cmd_opt cmd_pdu_plan_opts[] = {
	{ "encoding", "auto|gsm7|ucs2|8bit",
	  "encoding (default auto: the cheapest exact one)", 0 },
	{ "smart", NULL,
	  "replace typographic characters with plain look-alikes", 0 },
	{ "strip-accents", NULL,
	  "drop accents where that makes the text fit GSM 7-bit", 0 },
	{ "shift", "es|pt|tr",
	  "allow a national language shift table (TS 23.038 Annex A)", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_pdu_encode_opts[] = {
	{ "to", "NUMBER", "destination (+E.164 or national digits)", 0 },
	{ "encoding", "auto|gsm7|ucs2|8bit",
	  "encoding (default auto: the cheapest exact one)", 0 },
	{ "report", NULL, "request a status report (TP-SRR)", 0 },
	{ "smsc", "NUMBER", "SMSC to use instead of the modem's", 0 },
	{ "smart", NULL,
	  "replace typographic characters with plain look-alikes", 0 },
	{ "strip-accents", NULL,
	  "drop accents where that makes the text fit GSM 7-bit", 0 },
	{ "shift", "es|pt|tr",
	  "allow a national language shift table (TS 23.038 Annex A)", 0 },
	{ "validity", "DURATION",
	  "relative validity period: 30m, 12h, 2d, 3w (default none)", 0 },
	{ "ref", "N",
	  "concatenation reference 0-255 (default derived from the text)",
	  0 },
	{ NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_pdu_encode_entry = {
	.name = "pdu encode",
	.args = "TEXT",
	.help = "encode TEXT as SMS-SUBMIT PDUs, one \"<length> <HEX>\" line "
	    "per segment",
	.opts = cmd_pdu_encode_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_pdu_encode_exec,
};

const struct cmd_entry cmd_pdu_decode_entry = {
	.name = "pdu decode",
	.args = "[[LENGTH ]HEX...]",
	.help = "decode PDUs (arguments, or one per line on stdin) to JSON "
	    "lines; a TPDU LENGTH before HEX tells whether SMSC information "
	    "is there",
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_pdu_decode_exec,
};

const struct cmd_entry cmd_pdu_plan_entry = {
	.name = "pdu plan",
	.args = "TEXT",
	.help = "explain how TEXT would be sent: encoding, segments, what "
	    "makes it expensive",
	.opts = cmd_pdu_plan_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_OFFLINE_OK,
	.exec = cmd_pdu_plan_exec,
};

static const struct {
	const char	*name;
	int		 lang;
	const char	*desc;
} cmd_pdu_shifts[] = {
	{ "tr", 1, "Turkish" },
	{ "es", 2, "Spanish" },
	{ "pt", 3, "Portuguese" },
};

static int
cmd_pdu_opts(const struct cmd_ctx *ctx, struct plan_opts *o)
{
	const char	*v;
	size_t		 i;

	memset(o, 0, sizeof *o);
	o->smart = cmd_isset(ctx, "smart");
	o->strip_accents = cmd_isset(ctx, "strip-accents");
	if ((v = cmd_get(ctx, "encoding")) == NULL || strcmp(v, "auto") == 0)
		o->force = PLAN_AUTO;
	else if (strcmp(v, "gsm7") == 0)
		o->force = PLAN_FORCE_GSM7;
	else if (strcmp(v, "ucs2") == 0)
		o->force = PLAN_FORCE_UCS2;
	else if (strcmp(v, "8bit") == 0)
		o->force = PLAN_FORCE_8BIT;
	else {
		cmd_error("%s: unknown encoding %s (expected auto, gsm7, ucs2 "
		    "or 8bit)", ctx->entry->name, v);
		return CMD_USAGE;
	}
	if ((v = cmd_get(ctx, "shift")) != NULL) {
		for (i = 0; i < sizeof cmd_pdu_shifts /
		    sizeof cmd_pdu_shifts[0]; i++) {
			if (strcmp(v, cmd_pdu_shifts[i].name) == 0)
				o->shift = cmd_pdu_shifts[i].lang;
		}
		if (o->shift == 0) {
			cmd_error("%s: unknown shift table %s (expected es, pt "
			    "or tr)", ctx->entry->name, v);
			return CMD_USAGE;
		}
	}
	return CMD_OK;
}

/*
 * A destination for the PDU: international forms ("+", "00") normalized
 * to E.164, anything else kept as national digits (short codes too).
 */
static int
cmd_pdu_number(const char *in, char *out, size_t outlen, const char *what)
{
	const char	*err;
	size_t		 i, o = 0;

	for (i = 0; in[i] != '\0'; i++) {
		if (strchr(" \t-./()", in[i]) != NULL)
			continue;
		if (o + 1 >= outlen)
			return cmd_error("invalid %s '%s': too long", what,
			    in);
		out[o++] = in[i];
	}
	out[o] = '\0';
	if (out[0] == '+' || strncmp(out, "00", 2) == 0) {
		if (phone_normalize(in, NULL, out, outlen, &err) == -1)
			return cmd_error("invalid %s '%s': %s", what, in, err);
		return CMD_OK;
	}
	if (o == 0)
		return cmd_error("invalid %s '%s': empty number", what, in);
	if (o > 20)
		return cmd_error("invalid %s '%s': more than 20 digits", what,
		    in);
	for (i = 0; i < o; i++) {
		if (!isdigit((unsigned char)out[i]))
			return cmd_error("invalid %s '%s': invalid character "
			    "'%c' in number", what, in, out[i]);
	}
	return CMD_OK;
}

/* A reference that is the same for the same text: reproducible output. */
static unsigned
cmd_pdu_ref(const char *text)
{
	uint32_t	h = 2166136261u;

	for (; *text != '\0'; text++)
		h = (h ^ (unsigned char)*text) * 16777619u;
	return (h ^ (h >> 8) ^ (h >> 16) ^ (h >> 24)) & 0xff;
}

static int
cmd_pdu_encode_exec(struct cmd_ctx *ctx)
{
	struct plan		*p;
	struct plan_opts	 o;
	struct pdu_submit	 s;
	uint8_t			 ud[PDU_UD_MAX * 8 / 7 + 1], udh[16];
	uint8_t			 out[PDU_MAX_OCTETS];
	char			 hex[PDU_MAX_OCTETS * 2 + 1], to[64];
	char			 smsc[64], *text;
	const char		*err, *v;
	size_t			 i, len, tpdu_len;
	long long		 ref;
	int64_t			 vp;
	int			 rc;

	if ((rc = cmd_pdu_opts(ctx, &o)) != CMD_OK)
		return rc;
	memset(&s, 0, sizeof s);
	s.vp_minutes = -1;
	s.msg_class = -1;
	s.srr = cmd_isset(ctx, "report");
	if ((v = cmd_get(ctx, "to")) != NULL) {
		if (cmd_pdu_number(v, to, sizeof to, "number") != CMD_OK)
			return CMD_FAIL;
		s.to = to;
	}
	if ((v = cmd_get(ctx, "smsc")) != NULL) {
		if (cmd_pdu_number(v, smsc, sizeof smsc, "SMSC number") !=
		    CMD_OK)
			return CMD_FAIL;
		s.smsc = smsc;
	}
	/* plain numbers are minutes; at most 63 weeks (TS 23.040) */
	if ((v = cmd_get(ctx, "validity")) != NULL) {
		if (cli_duration(v, 60, 63LL * 7 * 86400, &vp) == -1) {
			cmd_error("pdu encode: invalid --validity %s (expected "
			    "e.g. 30m, 12h, 2d, 3w; at most 63 weeks)", v);
			return CMD_USAGE;
		}
		s.vp_minutes = (int)((vp + 59) / 60);
	}

	text = cmd_join_args(ctx);
	if (cmd_number(ctx, "ref", 0, 255, cmd_pdu_ref(text), &ref) == -1) {
		free(text);
		return CMD_USAGE;
	}
	p = xmalloc(sizeof *p);
	if (plan_make(p, text, strlen(text), &o, &err) == -1) {
		cmd_error("pdu encode: %s", err);
		free(p);
		free(text);
		return CMD_FAIL;
	}
	s.encoding = p->encoding;
	for (i = 0; i < p->nseg; i++) {
		s.ud = ud;
		s.udh = udh;
		s.ud_units = plan_segment(p, i, (unsigned)ref, ud, udh,
		    &s.udh_len);
		if (pdu_encode_submit(&s, out, &len, &tpdu_len, &err) == -1) {
			cmd_error("pdu encode: segment %zu: %s", i + 1, err);
			rc = CMD_FAIL;
			break;
		}
		pdu_to_hex(out, len, hex);
		printf("%zu %s\n", tpdu_len, hex);
	}
	plan_free(p);
	free(p);
	free(text);
	return rc;
}

static void
cmd_pdu_time(struct json *j, const char *key, const struct sms_time *t)
{
	char	buf[40];
	int	q = t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters;

	if (!t->present) {
		json_kv_null(j, key);
		return;
	}
	xsnprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    t->year, t->month, t->day, t->hour, t->minute, t->second,
	    t->tz_quarters < 0 ? '-' : '+', q / 4, (q % 4) * 15);
	json_kv_string(j, key, buf);
}

static const char *
cmd_pdu_type_name(enum sms_type t)
{
	switch (t) {
	case SMS_DELIVER:
		return "deliver";
	case SMS_SUBMIT:
		return "submit";
	case SMS_STATUS_REPORT:
		return "status-report";
	}
	return "unknown";
}

static void
cmd_pdu_body(struct json *j, const struct sms_msg *m, int pid, int dcs)
{
	char	hex[PDU_UD_MAX * 2 + 1];

	if (pid)
		json_kv_int(j, "pid", m->pid);
	if (dcs)
		json_kv_int(j, "dcs", m->dcs);
	if (m->msg_class >= 0)
		json_kv_int(j, "class", m->msg_class);
	else
		json_kv_null(j, "class");
	json_kv_string(j, "encoding", plan_encoding_name(m->encoding));
	if (m->encoding == SMS_ENC_8BIT) {
		pdu_to_hex(m->data, m->data_len, hex);
		json_kv_string(j, "data", hex);
	} else
		json_kv_string(j, "text", m->text);
}

static void
cmd_pdu_concat(struct json *j, const struct sms_msg *m)
{
	json_key(j, "concat");
	if (!m->concat.present) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_int(j, "ref", m->concat.ref);
	json_kv_int(j, "parts", m->concat.parts);
	json_kv_int(j, "part", m->concat.part);
	json_object_end(j);
}

/*
 * Decode one hex PDU and print its JSON line; returns 0 or -1.  tpdu_len
 * is the length printed before it (the TPDU octets, TS 27.005), or -1
 * when none was: then the PDU starts with SMSC information.
 */
static int
cmd_pdu_decode_one(const char *hex, size_t hexlen, long tpdu_len)
{
	struct sms_msg	 m;
	struct json	 j;
	uint8_t		 buf[PDU_MAX_OCTETS];
	const char	*err = NULL;
	long		 n;
	int		 rc = 0;

	json_init(&j, stdout);
	json_object_begin(&j);
	if ((n = pdu_from_hex(hex, hexlen, buf, sizeof buf, &err)) == -1 ||
	    (tpdu_len < 0 ? pdu_decode(buf, (size_t)n, &m, &err) :
	    pdu_decode_len(buf, (size_t)n, (size_t)tpdu_len, &m, &err)) ==
	    -1) {
		json_kv_string(&j, "error", err);
		json_key(&j, "pdu");
		json_string_len(&j, hex, hexlen);
		json_object_end(&j);
		fputc('\n', stdout);
		return -1;
	}
	if (m.compressed) {
		json_kv_string(&j, "error", "compressed user data (TS 23.042) "
		    "is not supported");
		rc = -1;
	}
	json_kv_string(&j, "type", cmd_pdu_type_name(m.type));
	json_kv_string(&j, "smsc", m.has_smsc ? m.smsc.text : NULL);
	switch (m.type) {
	case SMS_DELIVER:
		json_kv_string(&j, "from", m.addr.text);
		if (!m.compressed)
			cmd_pdu_body(&j, &m, 1, 1);
		cmd_pdu_time(&j, "timestamp", &m.scts);
		cmd_pdu_concat(&j, &m);
		json_kv_bool(&j, "report", m.srr);
		break;
	case SMS_SUBMIT:
		json_kv_string(&j, "to", m.addr.text);
		json_kv_int(&j, "reference", m.mr);
		if (!m.compressed)
			cmd_pdu_body(&j, &m, 1, 1);
		cmd_pdu_concat(&j, &m);
		json_kv_bool(&j, "report", m.srr);
		if (m.vp_minutes >= 0)
			json_kv_int(&j, "validity_minutes", m.vp_minutes);
		else
			json_kv_null(&j, "validity_minutes");
		break;
	case SMS_STATUS_REPORT:
		json_kv_string(&j, "to", m.addr.text);
		json_kv_string(&j, "recipient", m.addr.text);
		json_kv_int(&j, "reference", m.mr);
		json_kv_int(&j, "status", m.status);
		cmd_pdu_time(&j, "timestamp", &m.scts);
		cmd_pdu_time(&j, "discharge_time", &m.discharge);
		/* TP-PID and TP-DCS whenever TP-PI announces them */
		if (m.has_pid)
			json_kv_int(&j, "pid", m.pid);
		if (m.has_dcs)
			json_kv_int(&j, "dcs", m.dcs);
		if (m.has_ud && !m.compressed)
			cmd_pdu_body(&j, &m, !m.has_pid, !m.has_dcs);
		cmd_pdu_concat(&j, &m);
		break;
	}
	if (m.single || m.locking) {
		json_key(&j, "shift");
		json_object_begin(&j);
		json_kv_int(&j, "locking", m.locking);
		json_kv_int(&j, "single", m.single);
		json_object_end(&j);
	}
	if (m.has_ports) {
		json_key(&j, "ports");
		json_object_begin(&j);
		json_kv_int(&j, "source", m.src_port);
		json_kv_int(&j, "destination", m.dst_port);
		json_object_end(&j);
	}
	json_object_end(&j);
	fputc('\n', stdout);
	return rc;
}

/* Trim surrounding whitespace in place; returns the length. */
static size_t
cmd_pdu_trim(char **s)
{
	char	*p = *s;
	size_t	 len;

	while (isspace((unsigned char)*p))
		p++;
	len = strlen(p);
	while (len > 0 && isspace((unsigned char)p[len - 1]))
		len--;
	*s = p;
	return len;
}

/*
 * "<tpdu_length> <HEX>" as "pdu encode" prints it (or a modem's "+CMGS"
 * log, or the <length> of its +CMT/+CMGR header): keep the HEX, and
 * return the length (-1 when there is none).
 */
static long
cmd_pdu_strip_length(char **s, size_t *len)
{
	char	*p = *s, *sp = memchr(p, ' ', *len);
	size_t	 n;
	long	 v;

	if (sp == NULL)
		return -1;
	n = (size_t)(sp - p);
	if (n == 0 || n > 4 || strspn(p, "0123456789") != n)
		return -1;
	v = strtol(p, NULL, 10);
	while ((size_t)(sp - p) < *len && (*sp == ' ' || *sp == '\t'))
		sp++;
	*len -= (size_t)(sp - p);
	*s = sp;
	return v;
}

static int
cmd_pdu_decode_exec(struct cmd_ctx *ctx)
{
	char	*line = NULL, *p;
	size_t	 cap = 0, len;
	long	 tl;
	int	 i, bad = 0;

	if (ctx->argc > 0) {
		for (i = 0; i < ctx->argc; i++) {
			p = ctx->argv[i];
			len = cmd_pdu_trim(&p);
			tl = cmd_pdu_strip_length(&p, &len);
			/* "LENGTH HEX" as two arguments: 1-3 digits are no
			 * PDU (one octet at most) */
			if (tl < 0 && len >= 1 && len <= 3 &&
			    strspn(p, "0123456789") == len &&
			    i + 1 < ctx->argc) {
				tl = strtol(p, NULL, 10);
				p = ctx->argv[++i];
				len = cmd_pdu_trim(&p);
			}
			bad |= cmd_pdu_decode_one(p, len, tl) == -1;
		}
		return bad ? CMD_FAIL : CMD_OK;
	}
	while (getline(&line, &cap, stdin) != -1) {
		p = line;
		if ((len = cmd_pdu_trim(&p)) == 0)
			continue;
		tl = cmd_pdu_strip_length(&p, &len);
		bad |= cmd_pdu_decode_one(p, len, tl) == -1;
		fflush(stdout);
	}
	free(line);
	return bad ? CMD_FAIL : CMD_OK;
}

static const char *
cmd_pdu_unit_name(enum sms_encoding e, size_t n)
{
	switch (e) {
	case SMS_ENC_GSM7:
		return n == 1 ? "septet" : "septets";
	case SMS_ENC_UCS2:
		return n == 1 ? "UTF-16 unit" : "UTF-16 units";
	default:
		return n == 1 ? "octet" : "octets";
	}
}

static const char *
cmd_pdu_lang_name(int lang)
{
	size_t	i;

	for (i = 0; i < sizeof cmd_pdu_shifts / sizeof cmd_pdu_shifts[0];
	    i++)
		if (cmd_pdu_shifts[i].lang == lang)
			return cmd_pdu_shifts[i].desc;
	return "default";
}

static void
cmd_pdu_describe_encoding(const struct plan *p, char *buf, size_t len)
{
	if (p->encoding != SMS_ENC_GSM7) {
		bsnprintf(buf, len, "%s", p->encoding == SMS_ENC_UCS2 ?
		    "UCS-2 (UTF-16)" : "8-bit data");
		return;
	}
	if (p->locking && p->single)
		bsnprintf(buf, len, "GSM 7-bit, %s locking and single shift "
		    "tables", cmd_pdu_lang_name(p->locking));
	else if (p->locking)
		bsnprintf(buf, len, "GSM 7-bit, %s locking shift table",
		    cmd_pdu_lang_name(p->locking));
	else if (p->single)
		bsnprintf(buf, len, "GSM 7-bit, %s single shift table",
		    cmd_pdu_lang_name(p->single));
	else
		bsnprintf(buf, len, "GSM 7-bit");
}

/* One line of the "what the options give" table. */
static void
cmd_pdu_alternative(const char *label, const char *text,
    const struct plan_opts *o, const struct plan *base)
{
	struct plan	*p = xmalloc(sizeof *p);
	const char	*err;
	char		 enc[80];
	long		 diff;

	if (plan_make(p, text, strlen(text), o, &err) == -1) {
		printf("  %-26s %s\n", label, err);
		free(p);
		return;
	}
	cmd_pdu_describe_encoding(p, enc, sizeof enc);
	diff = (long)base->nseg - (long)p->nseg;
	printf("  %-26s %s, %zu segment%s", label, enc, p->nseg,
	    p->nseg == 1 ? "" : "s");
	if (diff > 0)
		printf(" (saves %ld)", diff);
	else if (diff == 0 && p->encoding == base->encoding &&
	    p->replaced + p->stripped == base->replaced + base->stripped)
		printf(" (no change)");
	if (p->replaced)
		printf(", %zu character%s replaced", p->replaced,
		    p->replaced == 1 ? "" : "s");
	if (p->stripped)
		printf(", %zu accent%s dropped", p->stripped,
		    p->stripped == 1 ? "" : "s");
	fputc('\n', stdout);
	plan_free(p);
	free(p);
}

static int
cmd_pdu_plan_exec(struct cmd_ctx *ctx)
{
	struct plan		*p;
	struct plan_opts	 o, alt;
	const char		*err;
	char			*text, enc[80], ch[5];
	size_t			 i, k, total, single_cap, hdr;
	int			 rc;

	if ((rc = cmd_pdu_opts(ctx, &o)) != CMD_OK)
		return rc;
	text = cmd_join_args(ctx);
	p = xmalloc(sizeof *p);
	if (plan_make(p, text, strlen(text), &o, &err) == -1) {
		cmd_error("pdu plan: %s", err);
		free(p);
		free(text);
		return CMD_FAIL;
	}
	cmd_pdu_describe_encoding(p, enc, sizeof enc);
	printf("characters: %zu\n", p->nchars);
	printf("encoding:   %s\n", enc);
	printf("segments:   %zu\n", p->nseg);
	hdr = (p->nseg > 1 ? 5 : 0) + (p->locking ? 3 : 0) +
	    (p->single ? 3 : 0);
	printf("units:      %zu %s, %zu per segment", p->units,
	    cmd_pdu_unit_name(p->encoding, p->units), p->capacity);
	if (hdr > 0)
		printf(" (each part carries a %zu-octet header)", hdr + 1);
	printf("\n");
	printf("last:       %zu used, %zu left in the last segment\n",
	    p->last_used, p->last_left);
	if (p->replaced || p->stripped)
		printf("changed:    %zu replaced by look-alikes, %zu accents "
		    "dropped\n", p->replaced, p->stripped);

	if (p->encoding == SMS_ENC_UCS2 && p->nforcing > 0) {
		printf("expensive:  UCS-2 (70 characters per segment instead "
		    "of 160) because of:");
		k = p->nforcing < PLAN_MAX_FORCING ? p->nforcing :
		    PLAN_MAX_FORCING;
		for (i = 0; i < k; i++) {
			ch[utf8_encode(p->forcing[i].cp, ch)] = '\0';
			printf("%s '%s' (U+%04X) at %zu", i ? "," : "", ch,
			    p->forcing[i].cp, p->forcing[i].pos);
		}
		if (p->nforcing > k)
			printf(", and %zu more", p->nforcing - k);
		fputc('\n', stdout);
	} else if (p->nseg > 1) {
		single_cap = p->encoding == SMS_ENC_GSM7 ? 160 :
		    p->encoding == SMS_ENC_UCS2 ? 70 : 140;
		total = p->units;
		printf("expensive:  %zu %s do not fit one segment (%zu); "
		    "%zu over\n", total, cmd_pdu_unit_name(p->encoding, total),
		    single_cap, total - single_cap);
	}

	printf("options:\n");
	alt = o;
	alt.smart = 1;
	if (!o.smart)
		cmd_pdu_alternative("--smart", text, &alt, p);
	alt = o;
	alt.strip_accents = 1;
	if (!o.strip_accents)
		cmd_pdu_alternative("--strip-accents", text, &alt, p);
	if (!o.smart && !o.strip_accents) {
		alt = o;
		alt.smart = alt.strip_accents = 1;
		cmd_pdu_alternative("--smart --strip-accents", text, &alt, p);
	}
	for (i = 0; i < sizeof cmd_pdu_shifts / sizeof cmd_pdu_shifts[0];
	    i++) {
		char label[32];
		if (o.shift == cmd_pdu_shifts[i].lang)
			continue;
		alt = o;
		alt.shift = cmd_pdu_shifts[i].lang;
		bsnprintf(label, sizeof label, "--shift %s",
		    cmd_pdu_shifts[i].name);
		cmd_pdu_alternative(label, text, &alt, p);
		if (o.smart)
			continue;
		/* a shift table often needs --smart for the punctuation */
		alt.smart = 1;
		bsnprintf(label, sizeof label, "--smart --shift %s",
		    cmd_pdu_shifts[i].name);
		cmd_pdu_alternative(label, text, &alt, p);
	}
	plan_free(p);
	free(p);
	free(text);
	return CMD_OK;
}
