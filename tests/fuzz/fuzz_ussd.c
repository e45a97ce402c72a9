/*
 * tests/fuzz/fuzz_ussd.c — libFuzzer harness for modem/ussd.c.
 *
 * The input is a +CUSD line as the modem printed it (any bytes, NULs
 * included).  It goes through ussd_parse() and, when that succeeds,
 * through ussd_decode() in every presentation with a large and a tiny
 * output buffer; lines without the "+CUSD:" prefix are tried again with
 * it, so the fuzzer need not rediscover it.  Every output must be valid
 * UTF-8 of the promised length.  The input is also tried as a USSD code:
 * whatever ussd_encode() packs must decode back to the same text (except
 * the two endings §6.1.2.3.1 leaves ambiguous, see ussd.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ussd.h"
#include "utf8.h"

#define FUZZ_USSD_MAX	4096

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_ussd_check_utf8(const char *s, size_t len)
{
	static uint32_t	cp[FUZZ_USSD_MAX * 4];
	size_t		n, pos;

	if (strlen(s) != len)
		abort();
	if (utf8_decode(s, len, cp, sizeof cp / sizeof cp[0], &n, &pos) != 0)
		abort();
}

static void
fuzz_ussd_decode_all(const char *line, size_t len)
{
	static char		 out[FUZZ_USSD_MAX * 4];
	struct ussd_resp	 r;
	const char		*err = NULL;
	char			 small[4];
	int			 mode, n;

	if (ussd_parse(line, len, &r, &err) != 0) {
		if (err == NULL)
			abort();
		return;
	}
	if (r.status < 0 || r.status > 5 || r.dcs < -1 || r.dcs > 255)
		abort();
	if (r.has_str && (r.str < line || r.str + r.len > line + len))
		abort();
	for (mode = USSD_STR_AUTO; mode <= USSD_STR_CSCS_IRA; mode++) {
		n = ussd_decode(&r, (enum ussd_str_coding)mode, out,
		    sizeof out, &err);
		if (n >= 0)
			fuzz_ussd_check_utf8(out, (size_t)n);
		else if (err == NULL)
			abort();
		n = ussd_decode(&r, (enum ussd_str_coding)mode, small,
		    sizeof small, &err);
		fuzz_ussd_check_utf8(small, strlen(small));
	}
}

/* The code's packed form must decode back to the code. */
static void
fuzz_ussd_roundtrip(const char *code, size_t len)
{
	char			 hex[2 * USSD_MAX_OCTETS + 1];
	char			 line[2 * USSD_MAX_OCTETS + 32];
	char			 out[USSD_MAX_SEPTETS * 3 + 1];
	char			 plain[FUZZ_USSD_MAX + 1];
	struct ussd_resp	 r;
	const char		*err = NULL;
	int			 n, k;

	n = ussd_encode(code, USSD_REQ_PLAIN, plain, sizeof plain, &err);
	if (n >= 0 && ((size_t)n != len || strcmp(plain, code) != 0))
		abort();
	n = ussd_encode(code, USSD_REQ_PACKED_HEX, hex, sizeof hex, &err);
	if (n < 0) {
		if (err == NULL)
			abort();
		return;
	}
	k = snprintf(line, sizeof line, "+CUSD: 0,\"%s\",15", hex);
	if (k < 0 || (size_t)k >= sizeof line)
		abort();
	if (ussd_parse(line, (size_t)k, &r, &err) != 0)
		abort();
	if (ussd_decode(&r, USSD_STR_PACKED_HEX, out, sizeof out, &err) < 0)
		abort();
	if (strcmp(out, code) == 0)
		return;
	/* a final '@' on an octet boundary reads as zero padding */
	if (strlen(out) + 1 == len && code[len - 1] == '@' &&
	    strncmp(out, code, len - 1) == 0 && (n / 2) % 7 == 0)
		return;
	/* a final CR CR after 8k septets reads as a CR and its stuffing */
	if (strlen(out) + 1 == len && len >= 2 && code[len - 1] == '\r' &&
	    code[len - 2] == '\r' && strncmp(out, code, len - 1) == 0)
		return;
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 prefix[] = "+CUSD: ";
	char			*buf;

	if (size > FUZZ_USSD_MAX)
		return 0;

	/* exact-size copies: any overread is caught by ASan */
	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	fuzz_ussd_decode_all(buf, size);
	free(buf);

	if ((buf = malloc(sizeof prefix - 1 + size)) == NULL)
		return 0;
	memcpy(buf, prefix, sizeof prefix - 1);
	memcpy(buf + sizeof prefix - 1, data, size);
	fuzz_ussd_decode_all(buf, sizeof prefix - 1 + size);
	free(buf);

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (memchr(data, '\0', size) == NULL && size > 0)
		fuzz_ussd_roundtrip(buf, size);
	free(buf);
	return 0;
}
