/*
 * modem/at_resp.c — classify one AT response line.
 *
 * Implements the result codes of ITU-T V.250 §5.7 (OK, ERROR, NO CARRIER,
 * BUSY, NO ANSWER, NO DIALTONE), +CME ERROR (3GPP TS 27.007 §9.2),
 * +CMS ERROR (TS 27.005 §3.2.5), and the unsolicited result codes of
 * TS 27.005 §3.4.1 (+CMTI, +CMT, +CDSI, +CDS) and TS 27.007 (+CREG §7.2,
 * +CGREG §10.1.20, +CEREG §10.1.22, +CUSD §7.15, RING/+CRING §6.11,
 * +CLIP §7.6, +CPIN §8.3, +CIEV §8.10), plus vendor chatter.
 *
 * Deviations, all lenient, because modems are:
 * - matching is case-insensitive, and ignores leading control bytes and
 *   bytes that never occur in UTF-8 (0xf8..0xff: SIM800 autobaud garbage
 *   before "RDY"), leading and trailing blanks;
 * - vendor final results "COMMAND NOT SUPPORT" (ZTE, Huawei) and "TOO MANY
 *   PARAMETERS" (Huawei) are finals like ERROR;
 * - "+CME ERROR" / "+CMS ERROR" are accepted without the colon;
 * - Huawei ^BOOT is a periodic heartbeat, not a restart: noise;
 * - "+CREG: <n>,<stat>..." (answer to AT+CREG?) and "+CREG: <stat>..."
 *   (URC) share a prefix; a line is the answer only when the driver
 *   expects +CREG: and its second field is an unquoted number (a URC's
 *   second field is a quoted <lac>), so a URC that arrives between
 *   AT+CREG? and its OK is still a URC.  Same for +CGREG/+CEREG/+C5GREG.
 * - two-line results (+CMT/+CDS/+CMGR/+CMGL) assume PDU mode (AT+CMGF=0);
 *   a text-mode body would come out as a separate AT_URC_OTHER line.
 */
#include <stddef.h>
#include <string.h>

#include "at_error.h"
#include "at_resp.h"

struct at_resp_urc_entry {
	const char	*name;
	int		 exact;		/* the whole line, not a prefix */
	enum at_urc	 urc;
	unsigned	 flags;
};

/* First match wins: exact lines come before their prefix. */
static const struct at_resp_urc_entry at_resp_urcs[] = {
	{ "+CMTI:", 0, AT_URC_NEW_MSG_INDEX, 0 },
	{ "+CMT:", 0, AT_URC_MSG, AT_RESP_PDU },
	{ "+CDSI:", 0, AT_URC_STATUS_REPORT_INDEX, 0 },
	{ "+CDS:", 0, AT_URC_STATUS_REPORT, AT_RESP_PDU },
	{ "+CREG:", 0, AT_URC_REG, 0 },
	{ "+CGREG:", 0, AT_URC_REG, 0 },
	{ "+CEREG:", 0, AT_URC_REG, 0 },
	{ "+C5GREG:", 0, AT_URC_REG, 0 },
	{ "+CUSD:", 0, AT_URC_USSD, 0 },
	{ "RING", 1, AT_URC_RING, 0 },
	{ "+CRING:", 0, AT_URC_RING, 0 },

	/* boot: SIM800 "RDY"/"Call Ready"/"SMS Ready", Quectel "RDY" and
	 * "+QIND: SMS DONE", "+CFUN: 1" after a reset, Cinterion ^SYSSTART */
	{ "RDY", 1, AT_URC_BOOT, 0 },
	{ "Call Ready", 1, AT_URC_BOOT, 0 },
	{ "SMS Ready", 1, AT_URC_BOOT, 0 },
	{ "+QIND: SMS DONE", 1, AT_URC_BOOT, 0 },
	{ "+CFUN: 1", 1, AT_URC_BOOT, 0 },
	{ "^SYSSTART", 1, AT_URC_BOOT, 0 },

	{ "+CPIN:", 0, AT_URC_SIM_STATUS, 0 },
	{ "^SIMST:", 0, AT_URC_SIM_STATUS, 0 },
	{ "+QUSIM:", 0, AT_URC_SIM_STATUS, 0 },
	{ "+SIMCARD:", 0, AT_URC_SIM_STATUS, 0 },

	{ "^SMMEMFULL", 0, AT_URC_MEM_FULL, 0 },

	/* SIMCom (the "WARNNING" spelling is theirs) and Quectel */
	{ "NORMAL POWER DOWN", 1, AT_URC_POWER, 0 },
	{ "UNDER-VOLTAGE POWER DOWN", 1, AT_URC_POWER, 0 },
	{ "OVER-VOLTAGE POWER DOWN", 1, AT_URC_POWER, 0 },
	{ "UNDER-VOLTAGE WARNNING", 1, AT_URC_POWER, 0 },
	{ "OVER-VOLTAGE WARNNING", 1, AT_URC_POWER, 0 },
	{ "UNDER-VOLTAGE WARNING", 1, AT_URC_POWER, 0 },
	{ "OVER-VOLTAGE WARNING", 1, AT_URC_POWER, 0 },
	{ "POWERED DOWN", 1, AT_URC_POWER, 0 },

	{ "+CFUN:", 0, AT_URC_NOISE, 0 },
	{ "+CLIP:", 0, AT_URC_NOISE, 0 },
	{ "+QIND:", 0, AT_URC_NOISE, 0 },
	{ "PB DONE", 1, AT_URC_NOISE, 0 },
	{ "*PSUTTZ:", 0, AT_URC_NOISE, 0 },
	{ "DST:", 0, AT_URC_NOISE, 0 },
	{ "+CTZV:", 0, AT_URC_NOISE, 0 },
	{ "+CTZE:", 0, AT_URC_NOISE, 0 },
	{ "+CIEV:", 0, AT_URC_NOISE, 0 },
	{ "+PACSP", 0, AT_URC_NOISE, 0 },
	{ "+CGEV:", 0, AT_URC_NOISE, 0 },
	{ "^RSSI:", 0, AT_URC_NOISE, 0 },
	{ "^BOOT:", 0, AT_URC_NOISE, 0 },
	{ "^MODE:", 0, AT_URC_NOISE, 0 },
	{ "^SRVST:", 0, AT_URC_NOISE, 0 },
	{ "^HCSQ:", 0, AT_URC_NOISE, 0 },
	{ "^CEND:", 0, AT_URC_NOISE, 0 },
	{ "^ORIG:", 0, AT_URC_NOISE, 0 },
	{ "^CONF:", 0, AT_URC_NOISE, 0 },
	{ "^CONN:", 0, AT_URC_NOISE, 0 },
	{ "^DSFLOWRPT:", 0, AT_URC_NOISE, 0 },
	{ "^STIN:", 0, AT_URC_NOISE, 0 },
	{ "^NDISSTAT:", 0, AT_URC_NOISE, 0 },
	{ "^SYSINFOEX:", 0, AT_URC_NOISE, 0 },
	{ "^RFSWITCH:", 0, AT_URC_NOISE, 0 },
};

static const char *at_resp_final_names[] = {
	"OK", "ERROR", "+CME ERROR", "+CMS ERROR", "NO CARRIER", "BUSY",
	"NO ANSWER", "NO DIALTONE", "COMMAND NOT SUPPORT",
	"TOO MANY PARAMETERS",
};

static const char *at_resp_urc_names[] = {
	"NEW_MSG_INDEX", "MSG", "STATUS_REPORT", "STATUS_REPORT_INDEX",
	"REG", "USSD", "RING", "BOOT", "SIM_STATUS", "MEM_FULL", "POWER",
	"NOISE", "OTHER",
};

static int
at_resp_blank(unsigned char c)
{
	/* blanks, control bytes, and bytes UTF-8 never uses */
	return c <= 0x20 || c == 0x7f || c >= 0xf8;
}

static int
at_resp_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Length of name if s starts with it (case-insensitively), else 0. */
static size_t
at_resp_prefix(const char *s, size_t len, const char *name)
{
	size_t	i;

	for (i = 0; name[i] != '\0'; i++) {
		if (i >= len || at_resp_lower((unsigned char)s[i]) !=
		    at_resp_lower((unsigned char)name[i]))
			return 0;
	}
	return i;
}

static int
at_resp_equal(const char *s, size_t len, const char *name)
{
	return at_resp_prefix(s, len, name) == len && strlen(name) == len;
}

/* Set out->value to s after n bytes, leading blanks skipped. */
static void
at_resp_value(struct at_resp *out, const char *s, size_t len, size_t n)
{
	while (n < len && (s[n] == ' ' || s[n] == '\t'))
		n++;
	out->value = s + n;
	out->valuelen = len - n;
}

/* A decimal number of 1..6 digits filling exactly len bytes. */
static int
at_resp_int(const char *s, size_t len, int *v)
{
	size_t	i;
	int	n = 0;

	if (len == 0 || len > 6)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	*v = n;
	return 0;
}

/*
 * Find field idx of a comma-separated parameter list, quotes respected.
 * Returns 0 and sets *f and *flen (blanks trimmed, quotes kept), or -1.
 */
static int
at_resp_field(const char *s, size_t len, unsigned idx, const char **f,
    size_t *flen)
{
	size_t		i = 0, start;
	unsigned	n = 0;
	int		q = 0;

	for (;;) {
		start = i;
		while (i < len && (q || s[i] != ',')) {
			if (s[i] == '"')
				q = !q;
			i++;
		}
		if (n == idx) {
			while (start < i && (s[start] == ' ' ||
			    s[start] == '\t'))
				start++;
			*f = s + start;
			*flen = i - start;
			while (*flen > 0 && ((*f)[*flen - 1] == ' ' ||
			    (*f)[*flen - 1] == '\t'))
				(*flen)--;
			return 0;
		}
		if (i >= len)
			return -1;
		i++;		/* the comma */
		n++;
	}
}

static int
at_resp_int_field(const char *s, size_t len, unsigned idx, int *v)
{
	const char	*f;
	size_t		 flen;

	if (at_resp_field(s, len, idx, &f, &flen) == -1)
		return -1;
	return at_resp_int(f, flen, v);
}

/* +CMTI: <mem>,<index> and +CDSI: <mem>,<index> (TS 27.005 §3.4.1). */
static void
at_resp_index(struct at_resp *out)
{
	const char	*f;
	size_t		 flen;
	int		 v;

	if (at_resp_field(out->value, out->valuelen, 0, &f, &flen) == 0) {
		if (flen >= 2 && f[0] == '"' && f[flen - 1] == '"') {
			f++;
			flen -= 2;
		}
		if (flen < sizeof out->mem && memchr(f, '"', flen) == NULL) {
			memcpy(out->mem, f, flen);
			out->mem[flen] = '\0';
		}
	}
	if (at_resp_int_field(out->value, out->valuelen, 1, &v) == 0)
		out->index = v;
}

/*
 * +CxREG.  Returns 1 if the line has the solicited form <n>,<stat>[,...]
 * (second field an unquoted number; <n> is 0..5 and <stat> 0..11 in
 * TS 27.007 §7.2 and §10.1.22), 0 for the URC form <stat>[,<lac>...].
 */
static int
at_resp_reg(struct at_resp *out, const char *name)
{
	int	n, stat;

	if (name[2] == 'G')
		out->reg = AT_REG_GPRS;
	else if (name[2] == 'E')
		out->reg = AT_REG_EPS;
	else if (name[2] == '5')
		out->reg = AT_REG_5GS;
	else
		out->reg = AT_REG_CS;
	if (at_resp_int_field(out->value, out->valuelen, 0, &n) == 0 &&
	    at_resp_int_field(out->value, out->valuelen, 1, &stat) == 0 &&
	    n <= 5 && stat <= 11) {
		out->stat = stat;
		return 1;
	}
	if (at_resp_int_field(out->value, out->valuelen, 0, &stat) == 0)
		out->stat = stat;
	return 0;
}

static const char *
at_resp_reg_name(const char *s, size_t len)
{
	static const char	*names[] = {
		"+CREG:", "+CGREG:", "+CEREG:", "+C5GREG:"
	};
	size_t			 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (at_resp_prefix(s, len, names[i]) != 0)
			return names[i];
	}
	return NULL;
}

/* OK, ERROR, +CME/+CMS ERROR and friends.  Returns 1 if final. */
static int
at_resp_final(const char *s, size_t len, struct at_resp *out)
{
	static const struct {
		const char	*name;
		enum at_final	 final;
	} exact[] = {
		{ "OK", AT_FINAL_OK },
		{ "ERROR", AT_FINAL_ERROR },
		{ "NO CARRIER", AT_FINAL_NO_CARRIER },
		{ "BUSY", AT_FINAL_BUSY },
		{ "NO ANSWER", AT_FINAL_NO_ANSWER },
		{ "NO DIALTONE", AT_FINAL_NO_DIALTONE },
		{ "NO DIAL TONE", AT_FINAL_NO_DIALTONE },
		{ "COMMAND NOT SUPPORT", AT_FINAL_NOT_SUPPORTED },
		{ "TOO MANY PARAMETERS", AT_FINAL_TOO_MANY_PARAMS },
	};
	enum at_error_kind	kind;
	size_t			i, n;
	int			v;

	for (i = 0; i < sizeof exact / sizeof exact[0]; i++) {
		if (at_resp_equal(s, len, exact[i].name)) {
			out->kind = AT_RESP_FINAL;
			out->final = exact[i].final;
			out->name = at_resp_final_names[exact[i].final];
			at_resp_value(out, s, len, len);
			return 1;
		}
	}
	if ((n = at_resp_prefix(s, len, "+CME ERROR")) != 0) {
		out->final = AT_FINAL_CME;
		kind = AT_ERROR_CME;
	} else if ((n = at_resp_prefix(s, len, "+CMS ERROR")) != 0) {
		out->final = AT_FINAL_CMS;
		kind = AT_ERROR_CMS;
	} else
		return 0;
	if (n < len && s[n] == ':')
		n++;
	else if (n < len && s[n] != ' ')
		return 0;	/* "+CME ERRORS..." is something else */
	out->kind = AT_RESP_FINAL;
	out->name = at_resp_final_names[out->final];
	at_resp_value(out, s, len, n);
	if (at_resp_int(out->value, out->valuelen, &v) == 0)
		out->err = v;
	else
		out->err = at_error_from_text(kind, out->value, out->valuelen);
	return 1;
}

/*
 * The <length> of a two-line result header, its last field: "22" of
 * "+CMT: ,22", "+CMT: \"Anna\",22", "+CDS: 25", "+CMGR: 0,,22" and
 * "+CMGL: 1,0,,22".
 */
static void
at_resp_pdu_len(struct at_resp *out)
{
	const char	*v = out->value;
	size_t		 n = out->valuelen, i = n, j;
	int		 x;

	out->pdu_len = -1;
	while (i > 0 && v[i - 1] >= '0' && v[i - 1] <= '9')
		i--;
	if (at_resp_int(v + i, n - i, &x) == -1)
		return;
	j = i;
	while (j > 0 && (v[j - 1] == ' ' || v[j - 1] == '\t'))
		j--;
	if (j > 0 && v[j - 1] != ',')
		return;
	out->pdu_len = x;
}

static int
at_resp_echo(const char *s, size_t len, const char *cmd)
{
	size_t	clen = strlen(cmd), i;

	while (clen > 0 && at_resp_blank((unsigned char)cmd[clen - 1]))
		clen--;
	if (clen != len)
		return 0;
	for (i = 0; i < len; i++) {
		if (at_resp_lower((unsigned char)s[i]) !=
		    at_resp_lower((unsigned char)cmd[i]))
			return 0;
	}
	return 1;
}

void
at_resp_classify(const char *line, size_t linelen,
    const struct at_resp_ctx *ctx, struct at_resp *out)
{
	const struct at_resp_urc_entry	*u;
	const char			*s = line, *reg;
	size_t				 len = linelen, i, n = 0;

	memset(out, 0, sizeof *out);
	out->err = -1;
	out->index = -1;
	out->stat = -1;
	out->pdu_len = -1;

	while (len > 0 && at_resp_blank((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && at_resp_blank((unsigned char)s[len - 1]))
		len--;

	if (ctx != NULL && ctx->cmd != NULL && len > 0 &&
	    at_resp_echo(s, len, ctx->cmd)) {
		out->kind = AT_RESP_ECHO;
		at_resp_value(out, s, len, 0);
		return;
	}
	if (at_resp_final(s, len, out))
		return;

	if (ctx != NULL && ctx->prefix != NULL && ctx->prefix[0] != '\0' &&
	    (n = at_resp_prefix(s, len, ctx->prefix)) != 0) {
		out->kind = AT_RESP_INTERMEDIATE;
		out->name = NULL;
		at_resp_value(out, s, len, n);
		if ((reg = at_resp_reg_name(s, len)) == NULL ||
		    at_resp_reg(out, reg)) {
			if (at_resp_prefix(s, len, "+CMGR:") != 0 ||
			    at_resp_prefix(s, len, "+CMGL:") != 0) {
				out->flags |= AT_RESP_PDU;
				at_resp_pdu_len(out);
			}
			return;
		}
		/* a +CxREG URC while AT+CxREG? is in flight */
		out->stat = -1;
	}

	/* after "> " with echo on, the modem echoes the PDU and ^Z */
	if (ctx != NULL && (ctx->flags & AT_RESP_CTX_DATA) && linelen > 0 &&
	    (memchr(line, 0x1a, linelen) != NULL ||
	    memchr(line, 0x1b, linelen) != NULL || at_resp_is_pdu(s, len))) {
		out->kind = AT_RESP_ECHO;
		at_resp_value(out, s, len, 0);
		return;
	}

	for (i = 0; i < sizeof at_resp_urcs / sizeof at_resp_urcs[0]; i++) {
		u = &at_resp_urcs[i];
		if (u->exact ? !at_resp_equal(s, len, u->name) :
		    (n = at_resp_prefix(s, len, u->name)) == 0)
			continue;
		out->kind = AT_RESP_URC;
		out->urc = u->urc;
		out->flags = u->flags;
		out->name = u->name;
		at_resp_value(out, s, len, u->exact ? len : n);
		if (u->urc == AT_URC_NEW_MSG_INDEX ||
		    u->urc == AT_URC_STATUS_REPORT_INDEX)
			at_resp_index(out);
		else if (u->urc == AT_URC_REG)
			(void)at_resp_reg(out, u->name);
		if (out->flags & AT_RESP_PDU)
			at_resp_pdu_len(out);
		return;
	}

	if (ctx != NULL && (ctx->flags & AT_RESP_CTX_BARE) && len > 0) {
		out->kind = AT_RESP_INTERMEDIATE;
		at_resp_value(out, s, len, 0);
		return;
	}
	out->kind = AT_RESP_URC;
	out->urc = AT_URC_OTHER;
	if (len == 0)
		at_resp_value(out, line, linelen, 0);	/* all garbage */
	else
		at_resp_value(out, s, len, 0);
}

int
at_resp_is_pdu(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++) {
		if ((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'F') ||
		    (s[i] >= 'a' && s[i] <= 'f'))
			n++;
		else if (s[i] != ' ' && s[i] != '\t')
			return 0;
		else if (n != 0 && i + 1 < len && s[i + 1] != ' ' &&
		    s[i + 1] != '\t')
			return 0;	/* a blank inside the hex */
	}
	return n > 0;
}

const char *
at_resp_final_name(enum at_final f)
{
	if ((size_t)f >= sizeof at_resp_final_names /
	    sizeof at_resp_final_names[0])
		return "?";
	return at_resp_final_names[f];
}

const char *
at_resp_urc_name(enum at_urc u)
{
	if ((size_t)u >= sizeof at_resp_urc_names /
	    sizeof at_resp_urc_names[0])
		return "?";
	return at_resp_urc_names[u];
}
