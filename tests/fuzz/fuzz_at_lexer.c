/*
 * tests/fuzz/fuzz_at_lexer.c — libFuzzer harness for the AT engine.
 *
 * Input: one control byte, then what the modem "sent".  The low 3 bits of
 * the control byte pick the first command in flight, the rest the size
 * of the chunks the bytes are pushed in.  Each final result moves on to
 * the next command of the table, so echo, prompt, bare-line and two-line
 * paths all get exercised.  Any invariant failure aborts.  The classifier
 * and the error tables are also run on the raw input directly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "at_error.h"
#include "at_lexer.h"
#include "at_resp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct {
	const char	*cmd;
	const char	*prefix;
	unsigned	 flags;
} fuzz_at_cmds[] = {
	{ NULL, NULL, 0 },
	{ "AT+CSQ", "+CSQ:", 0 },
	{ "AT+CGSN", NULL, AT_RESP_CTX_BARE },
	{ "AT+CMGS=23", "+CMGS:", AT_RESP_CTX_PROMPT },
	{ "AT+CMGL=4", "+CMGL:", 0 },
	{ "AT+CREG?", "+CREG:", 0 },
	{ "AT+CMGR=1", "+CMGR:", 0 },
	{ "AT+CUSD=1,\"*100#\",15", NULL, 0 },
};
#define FUZZ_AT_NCMDS	(sizeof fuzz_at_cmds / sizeof fuzz_at_cmds[0])

static volatile unsigned fuzz_at_sink;

/* Read every byte the event points at, so ASan sees any overrun. */
static void
fuzz_at_touch(const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		fuzz_at_sink += (unsigned char)p[i];
}

static void
fuzz_at_resp(const struct at_resp *r)
{
	struct at_error_info	info;

	if (r->value != NULL)
		fuzz_at_touch(r->value, r->valuelen);
	if (r->name != NULL)
		fuzz_at_touch(r->name, strlen(r->name));
	fuzz_at_touch(r->mem, strlen(r->mem));
	if (r->kind == AT_RESP_FINAL && (r->final == AT_FINAL_CME ||
	    r->final == AT_FINAL_CMS)) {
		at_error_classify(r->final == AT_FINAL_CME ? AT_ERROR_CME :
		    AT_ERROR_CMS, r->err, &info);
		fuzz_at_touch(info.name, strlen(info.name));
	}
}

static size_t
fuzz_at_drain(struct at_lexer *lx, size_t *cmd)
{
	struct at_event	ev;
	size_t		n = 0;

	while (at_lexer_next(lx, &ev)) {
		n++;
		if (at_lexer_check(lx) != 0 || ev.line == NULL ||
		    ev.line[ev.len] != '\0' || ev.len > AT_LEXER_LINE_MAX)
			abort();
		fuzz_at_touch(ev.line, ev.len + 1);
		if (ev.pdu != NULL)
			fuzz_at_touch(ev.pdu, ev.pdulen + 1);
		fuzz_at_resp(&ev.resp);
		if (ev.type == AT_EV_FINAL) {
			*cmd = (*cmd + 1) % FUZZ_AT_NCMDS;
			if (at_lexer_cmd(lx, fuzz_at_cmds[*cmd].cmd,
			    fuzz_at_cmds[*cmd].prefix,
			    fuzz_at_cmds[*cmd].flags) != NULL)
				abort();
		}
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct at_lexer		*lx;
	struct at_resp_ctx	 ctx;
	struct at_resp		 r;
	size_t			 cmd, chunk, n, k, got;

	if (size < 1)
		return 0;
	cmd = data[0] % FUZZ_AT_NCMDS;
	chunk = (size_t)(data[0] >> 3) + 1;
	data++;
	size--;

	/* the pure pieces alone, on the raw bytes */
	for (k = 0; k < FUZZ_AT_NCMDS; k++) {
		ctx.cmd = fuzz_at_cmds[k].cmd;
		ctx.prefix = fuzz_at_cmds[k].prefix;
		ctx.flags = fuzz_at_cmds[k].flags | (k & 1 ?
		    AT_RESP_CTX_DATA : 0);
		at_resp_classify((const char *)data, size, k ? &ctx : NULL,
		    &r);
		fuzz_at_resp(&r);
	}
	fuzz_at_sink += (unsigned)at_resp_is_pdu((const char *)data, size);
	fuzz_at_sink += (unsigned)at_error_from_text(AT_ERROR_CME,
	    (const char *)data, size);
	fuzz_at_sink += (unsigned)at_error_from_text(AT_ERROR_CMS,
	    (const char *)data, size);

	if ((lx = at_lexer_new()) == NULL)
		return 0;
	if (at_lexer_cmd(lx, fuzz_at_cmds[cmd].cmd, fuzz_at_cmds[cmd].prefix,
	    fuzz_at_cmds[cmd].flags) != NULL)
		abort();
	while (size > 0) {
		k = size < chunk ? size : chunk;
		while (k > 0) {
			got = fuzz_at_drain(lx, &cmd);
			n = at_lexer_push(lx, data, k);
			if (at_lexer_check(lx) != 0)
				abort();
			if (n == 0 && got == 0)
				abort();	/* stuck */
			data += n;
			size -= n;
			k -= n;
		}
		/* now and then the driver's timer fires */
		if (size > 0 && data[0] == 0x1a && chunk > 16)
			at_lexer_flush(lx);
	}
	fuzz_at_drain(lx, &cmd);
	at_lexer_flush(lx);
	fuzz_at_drain(lx, &cmd);
	if (at_lexer_check(lx) != 0 || at_lexer_next(lx, &(struct at_event){
	    0 }) != 0)
		abort();
	at_lexer_free(lx);
	return 0;
}
