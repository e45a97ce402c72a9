/*
 * tests/fuzz/fuzz_plan.c — arbitrary bytes as a text through the planner
 * and the SUBMIT encoder, under every option; whatever is encoded must
 * decode again to the planned text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdu.h"
#include "plan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct plan fuzz_plan_p;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct plan		*p = &fuzz_plan_p;
	struct plan_opts	 o;
	struct pdu_submit	 s;
	struct sms_msg		 m;
	uint8_t			 ud[PDU_UD_MAX * 8 / 7 + 1], udh[16];
	uint8_t			 out[PDU_MAX_OCTETS];
	const char		*err;
	size_t			 i, olen, tl;
	unsigned		 flags;

	if (len < 1)
		return 0;
	/* the first byte picks the options */
	flags = data[0];
	memset(&o, 0, sizeof o);
	o.smart = flags & 1;
	o.strip_accents = (flags >> 1) & 1;
	o.shift = (flags >> 2) & 3;
	o.force = (enum plan_force)((flags >> 4) & 3);
	if (plan_make(p, (const char *)data + 1, len - 1, &o, &err) == -1) {
		if (err == NULL)
			__builtin_trap();
		return 0;
	}
	memset(&s, 0, sizeof s);
	s.to = "+14155550100";
	s.vp_minutes = flags & 0x40 ? 1440 : -1;
	s.msg_class = -1;
	s.srr = (flags >> 7) & 1;
	s.encoding = p->encoding;
	for (i = 0; i < p->nseg; i++) {
		s.ud = ud;
		s.udh = udh;
		s.ud_units = plan_segment(p, i, 1, ud, udh, &s.udh_len);
		if (pdu_encode_submit(&s, out, &olen, &tl, &err) == -1)
			__builtin_trap();	/* the plan promised it fits */
		if (pdu_decode(out, olen, &m, &err) == -1)
			__builtin_trap();
		if (p->nseg > 1 && (!m.concat.present ||
		    m.concat.part != i + 1))
			__builtin_trap();
	}
	plan_free(p);
	return 0;
}
