/*
 * tests/fuzz/fuzz_pdu_decode.c — any bytes through the PDU decoder, both
 * as raw octets and as the hex text a modem prints; and length-guided,
 * the first octet standing for the <length> a modem prints before the
 * rest (a bare TPDU, SMSC information first, or neither).
 */
#include <stdint.h>
#include <string.h>

#include "pdu.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS];
	const char	*err;
	long		 n;

	if (pdu_decode(data, len, &m, &err) == 0) {
		/* the text must be a terminated string within bounds */
		if (strnlen(m.text, sizeof m.text) == sizeof m.text)
			__builtin_trap();
	} else if (err == NULL)
		__builtin_trap();
	if (len > 0) {
		err = NULL;
		if (pdu_decode_len(data + 1, len - 1, data[0], &m, &err) == 0) {
			if (strnlen(m.text, sizeof m.text) == sizeof m.text)
				__builtin_trap();
		} else if (err == NULL)
			__builtin_trap();
	}
	n = pdu_from_hex((const char *)data, len, buf, sizeof buf, &err);
	if (n >= 0)
		(void)pdu_decode(buf, (size_t)n, &m, &err);
	return 0;
}
