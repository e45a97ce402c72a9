/*
 * tests/unit/test_pdu.c — the TPDU codec (modem/pdu.c).
 *
 * Decoding vectors are PDUs as modems print them, with fields worked out
 * by hand from TS 23.040 §9.2; encoding is checked byte for byte against
 * hand-built PDUs and by round trips through the decoder.
 */
#include <stdlib.h>

#include "gsm7.h"
#include "pdu.h"
#include "plan.h"
#include "tt.h"

static int
hex(const char *h, uint8_t *out)
{
	const char	*err;
	long		 n = pdu_from_hex(h, strlen(h), out, PDU_MAX_OCTETS, &err);

	return (int)n;
}

static void
fmt_time(const struct sms_time *t, char *buf, size_t len)
{
	int	q = t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters;

	if (!t->present) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    t->year, t->month, t->day, t->hour, t->minute, t->second,
	    t->tz_quarters < 0 ? '-' : '+', q / 4, (q % 4) * 15);
}

static const struct {
	const char	*hex;
	enum sms_type	 type;
	const char	*smsc;
	const char	*addr;
	enum sms_encoding enc;
	const char	*text;
	const char	*time;
	int		 ref, parts, part;	/* -1: no concat */
} decode_cases[] = {
	/* GSM 7-bit deliver, national numbering plan, 1999 timestamp */
	{ "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697"
	  "D9EC37", SMS_DELIVER, "+27381000015", "27838890001", SMS_ENC_GSM7,
	  "hellohello", "1999-03-29T15:16:59+02:00", -1, 0, 0 },
	/* international originator, +08:00 */
	{ "07919730071111F1000B919746121611F10000811170021222230DC8329BFD6681"
	  "EE6F399B1C02", SMS_DELIVER, "+79037011111", "+79642161111",
	  SMS_ENC_GSM7, "Hello, world!", "2018-11-07T20:21:22+08:00", -1, 0,
	  0 },
	/* negative time zone: -08:00 is 32 quarters, sign bit 0x08 */
	{ "0791448720003023040C9141515505010000007121819000002B03C87408", SMS_DELIVER, "+447802000332", "+141555501000",
	  SMS_ENC_GSM7, "Hi!", "2017-12-18T09:00:00-08:00", -1, 0, 0 },
	/* UCS-2 with a surrogate pair (U+1F600) */
	{ "00040B914151550100F00008712181900000000A00480069D83DDE000021",
	  SMS_DELIVER, NULL, "+14155510000", SMS_ENC_UCS2,
	  "Hi\xf0\x9f\x98\x80!", "2017-12-18T09:00:00+00:00", -1, 0, 0 },
	/* alphanumeric sender "Movistar" (TON 5) */
	{ "00040ED0CDB73D3DA787E500007121819000000003C87408",
	  SMS_DELIVER, NULL, "Movistar", SMS_ENC_GSM7, "Hi!",
	  "2017-12-18T09:00:00+00:00", -1, 0, 0 },
	/* concatenated part 2 of 3, 8-bit reference 0x42, 7 header
	 * septets then "ok" */
	{ "00440B914151550100F000007121819000000009050003420302DE6B",
	  SMS_DELIVER, NULL, "+14155510000", SMS_ENC_GSM7, "ok",
	  "2017-12-18T09:00:00+00:00", 0x42, 3, 2 },
	/* 16-bit reference 0x1234, UCS-2 "A" */
	{ "00440B914151550100F000087121819000000009060804123402010041", SMS_DELIVER, NULL, "+14155510000", SMS_ENC_UCS2, "A",
	  "2017-12-18T09:00:00+00:00", 0x1234, 2, 1 },
	/* submit: VP relative, SRR */
	{ "0031000B914151550501F00000AA0BC8329BFD06DDDF723619", SMS_SUBMIT,
	  NULL, "+14155550100", SMS_ENC_GSM7, "Hello world", "-", -1, 0, 0 },
	/* status report: delivered (TP-ST 0) */
	{ "0006050B914151550501F0712181900000007121819001000000",
	  SMS_STATUS_REPORT, NULL, "+14155550100", SMS_ENC_GSM7, "",
	  "2017-12-18T09:00:00+00:00", -1, 0, 0 },
	/* escape: "{€}" in the extension table */
	{ "00040B914151550100F0000071218190000000061BD4A6BC4901",
	  SMS_DELIVER, NULL, "+14155510000", SMS_ENC_GSM7,
	  "{\xe2\x82\xac}", "2017-12-18T09:00:00+00:00", -1, 0, 0 },
	/* invalid timestamp digits: the message still decodes */
	{ "00040B914151550100F00000FF21819000000003C87408", SMS_DELIVER,
	  NULL, "+14155510000", SMS_ENC_GSM7, "Hi!", "-", -1, 0, 0 },
	/* reserved DCS group 0x8x: GSM 7-bit */
	{ "00040B914151550100F000807121819000000003C87408", SMS_DELIVER,
	  NULL, "+14155510000", SMS_ENC_GSM7, "Hi!",
	  "2017-12-18T09:00:00+00:00", -1, 0, 0 },
	/* DCS 0xF4: 8-bit data, class 0 */
	{ "00040B914151550100F000F4712181900000000201FF", SMS_DELIVER,
	  NULL, "+14155510000", SMS_ENC_8BIT, "",
	  "2017-12-18T09:00:00+00:00", -1, 0, 0 },
};

static void
test_decode_table(void)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS];
	const char	*err;
	char		 t[64];
	size_t		 i;
	int		 n;

	for (i = 0; i < TT_NELEM(decode_cases); i++) {
		n = hex(decode_cases[i].hex, buf);
		tt_int_op(n, >, 0);
		err = NULL;
		if (pdu_decode(buf, (size_t)n, &m, &err) != 0) {
			tt_fail(__FILE__, __LINE__, "case %zu: %s", i, err);
			goto end;
		}
		tt_int_op(m.type, ==, decode_cases[i].type);
		if (decode_cases[i].smsc == NULL)
			tt_int_op(m.has_smsc, ==, 0);
		else
			tt_str_op(m.smsc.text, ==, decode_cases[i].smsc);
		tt_str_op(m.addr.text, ==, decode_cases[i].addr);
		tt_int_op(m.encoding, ==, decode_cases[i].enc);
		tt_str_op(m.text, ==, decode_cases[i].text);
		fmt_time(&m.scts, t, sizeof t);
		tt_str_op(t, ==, decode_cases[i].time);
		if (decode_cases[i].ref == -1)
			tt_int_op(m.concat.present, ==, 0);
		else {
			tt_int_op(m.concat.present, ==, 1);
			tt_int_op(m.concat.ref, ==, decode_cases[i].ref);
			tt_int_op(m.concat.parts, ==, decode_cases[i].parts);
			tt_int_op(m.concat.part, ==, decode_cases[i].part);
		}
	}
end:
	;
}

static void
test_decode_fields(void)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS];
	const char	*err;
	char		 t[64];
	int		 n;

	/* submit with VP 0xAA (4 days) and SRR */
	n = hex("0031000B914151550501F00000AA0BC8329BFD06DDDF723619", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.srr, ==, 1);
	tt_int_op(m.vp_minutes, ==, 4 * 24 * 60);
	tt_int_op(m.mr, ==, 0);
	tt_int_op(m.ud_units, ==, 11);

	/* status report fields */
	n = hex("0006050B914151550501F0712181900000007121819001000000", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.mr, ==, 5);
	tt_int_op(m.status, ==, 0);
	fmt_time(&m.discharge, t, sizeof t);
	tt_str_op(t, ==, "2017-12-18T09:10:00+00:00");
	tt_int_op(m.has_ud, ==, 0);

	/* 8-bit class 0 */
	n = hex("00040B914151550100F000F4712181900000000201FF", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.msg_class, ==, 0);
	tt_int_op(m.data_len, ==, 2);
	tt_int_op(m.data[0], ==, 0x01);
	tt_int_op(m.data[1], ==, 0xff);

	/* DCS 0x11: GSM 7-bit class 1 */
	n = hex("00040B914151550100F000117121819000000003C87408", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.msg_class, ==, 1);
	tt_int_op(m.encoding, ==, SMS_ENC_GSM7);

	/* DCS 0x28 compressed UCS-2: reported, raw data kept */
	n = hex("00040B914151550100F000287121819000000002" "01FF", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.compressed, ==, 1);
	tt_int_op(m.data_len, ==, 2);

	/* DCS 0xE0: MWI store, UCS-2 */
	n = hex("00040B914151550100F000E07121819000000002"
	    "0041", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.encoding, ==, SMS_ENC_UCS2);
	tt_str_op(m.text, ==, "A");

	/* TP-MMS clear = more messages; TP-SRI set */
	n = hex("00200B914151550100F000007121819000000003C87408", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.more, ==, 1);
	tt_int_op(m.srr, ==, 1);

	/* port addressing (16-bit) and an unknown IE skipped */
	n = hex("00440B914151550100F0000471218190000000"
	    "0D" "0A" "0504 0B84 23F0" "7002 AABB" "CC", buf);
	tt_int_op(n, <, 0);	/* spaces are not hex */
	n = hex("00440B914151550100F00004712181900000000D0A05040B8423F07002"
	    "AABBAABB", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.has_ports, ==, 1);
	tt_int_op(m.dst_port, ==, 0x0b84);
	tt_int_op(m.src_port, ==, 0x23f0);
	tt_int_op(m.data_len, ==, 2);
	tt_int_op(m.data[0], ==, 0xaa);

	/* concat IE with part 0 is ignored (§9.2.3.24.1) */
	n = hex("00440B914151550100F000007121819000000009050003420300DE6B", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.concat.present, ==, 0);
	tt_str_op(m.text, ==, "ok");

	/* national language IEs: Turkish single shift selected */
	n = hex("00440B914151550100F0000071218190000000070324010178AF01", buf);
	tt_int_op(pdu_decode(buf, (size_t)n, &m, &err), ==, 0);
	tt_int_op(m.single, ==, 1);
end:
	;
}

static const struct {
	const char	*hex;
	const char	*err;
} bad_cases[] = {
	{ "", "empty PDU" },
	{ "0A", "PDU truncated in SMSC address" },
	{ "00", "PDU truncated before first octet" },
	{ "0004", "PDU truncated in originating address" },
	{ "00040B91", "PDU truncated in originating address" },
	{ "00040B914151550100F0", "PDU truncated before data coding scheme" },
	{ "00040B914151550100F00000", "PDU truncated in service centre "
	  "timestamp" },
	{ "00040B914151550100F00000712181900000", "PDU truncated in service "
	  "centre timestamp" },
	{ "00040B914151550100F0000071218190000000", "PDU truncated before "
	  "user data length" },
	{ "00040B914151550100F000007121819000000005C834", "user data shorter "
	  "than its length says" },
	{ "00040B914151550100F0000071218190000000A1", "user data length "
	  "exceeds 160 septets" },
	{ "00040B914151550100F0000871218190000000" "8D", "user data length "
	  "exceeds 140 octets" },
	/* UDHL 9 with only 3 octets of user data */
	{ "00440B914151550100F000047121819000000003090003", "user data header "
	  "length exceeds user data" },
	/* IE length runs past the header */
	{ "00440B914151550100F0000471218190000000040300080142",
	  "user data header element longer than header" },
	{ "00070B914151550100F0", "reserved message type indicator 3" },
	{ "00040F914151550100F0", "PDU truncated in originating address" },
	{ "00041791", "address longer than 20 digits" },
	{ "FF", "SMSC address length exceeds 12 octets" },
	{ "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "SMSC address length "
	  "exceeds 12 octets" },
	{ "0BFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "reserved message type "
	  "indicator 3" },
	/* UCS-2 of 3 octets: malformed, not trimmed to "A" */
	{ "00040B914151550100F00008712181900000000300410042", "UCS-2 user "
	  "data has an odd number of octets" },
	/* the same after a concatenation header (6 + 3 octets) */
	{ "00440B914151550100F000087121819000000009050003420201004100",
	  "UCS-2 user data has an odd number of octets" },
	/* a status report's user data, present but odd */
	{ "0006050B914151550501F0712181900000007121819001000000"
	  "070008030041FF", "UCS-2 user data has an odd number of octets" },
};

static void
test_decode_bad(void)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS];
	const char	*err;
	size_t		 i;
	int		 n;

	for (i = 0; i < TT_NELEM(bad_cases); i++) {
		n = hex(bad_cases[i].hex, buf);
		tt_int_op(n, >=, 0);
		err = NULL;
		if (pdu_decode(buf, (size_t)n, &m, &err) != -1) {
			tt_fail(__FILE__, __LINE__, "case %zu decoded", i);
			goto end;
		}
		tt_str_op(err, ==, bad_cases[i].err);
	}
end:
	;
}

/* Every prefix of a valid PDU decodes or fails cleanly (ASan watches). */
static void
test_decode_truncated(void)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS], *copy = NULL;
	const char	*err;
	size_t		 i, k;
	int		 n, ok;

	for (k = 0; k < TT_NELEM(decode_cases); k++) {
		n = hex(decode_cases[k].hex, buf);
		for (i = 0; i < (size_t)n; i++) {
			/* an exact-size heap copy so overreads are caught */
			copy = malloc(i ? i : 1);
			memcpy(copy, buf, i);
			ok = pdu_decode(copy, i, &m, &err) == 0;
			free(copy);
			copy = NULL;
			/* the status report ends in optional fields */
			if (ok && decode_cases[k].type != SMS_STATUS_REPORT)
				tt_fail(__FILE__, __LINE__, "case %zu prefix "
				    "%zu decoded", k, i);
		}
	}
	free(copy);
}

static void
test_hex(void)
{
	uint8_t		 buf[4];
	const char	*err;
	char		 out[9];

	tt_int_op(pdu_from_hex("0aFf", 4, buf, sizeof buf, &err), ==, 2);
	tt_int_op(buf[0], ==, 0x0a);
	tt_int_op(buf[1], ==, 0xff);
	tt_int_op(pdu_from_hex("abc", 3, buf, sizeof buf, &err), ==, -1);
	tt_str_op(err, ==, "odd number of hex digits");
	tt_int_op(pdu_from_hex("0g", 2, buf, sizeof buf, &err), ==, -1);
	tt_str_op(err, ==, "invalid hex digit 'g' at position 2");
	tt_int_op(pdu_from_hex("0 ", 2, buf, sizeof buf, &err), ==, -1);
	tt_str_op(err, ==, "invalid hex digit \\x20 at position 2");
	tt_int_op(pdu_from_hex("0011223344", 10, buf, sizeof buf, &err), ==,
	    -1);
	tt_str_op(err, ==, "PDU too long");
	pdu_to_hex((const uint8_t *)"\x00\x1f\xa0\xff", 4, out);
	tt_str_op(out, ==, "001FA0FF");
end:
	;
}

static void
test_encode_submit(void)
{
	struct pdu_submit s;
	uint8_t		  out[PDU_MAX_OCTETS], sept[16];
	char		  h[PDU_MAX_OCTETS * 2 + 1];
	const char	 *err;
	size_t		  len, tl;

	/* "Hello world" to +14155550100, no VP: the classic minimal SUBMIT */
	memset(&s, 0, sizeof s);
	s.to = "+14155550100";
	s.vp_minutes = -1;
	s.msg_class = -1;
	memcpy(sept, "Hello world", 11);
	s.ud = sept;
	s.ud_units = 11;
	tt_int_op(pdu_encode_submit(&s, out, &len, &tl, &err), ==, 0);
	pdu_to_hex(out, len, h);
	tt_str_op(h, ==, "0001000B914151550501F000000BC8329BFD06DDDF723619");
	tt_int_op(tl, ==, 23);

	/* SMSC, national number, SRR, VP 4 days */
	s.smsc = "+447802000332";
	s.to = "4155550100";
	s.srr = 1;
	s.vp_minutes = 4 * 24 * 60;
	tt_int_op(pdu_encode_submit(&s, out, &len, &tl, &err), ==, 0);
	pdu_to_hex(out, len, h);
	tt_str_op(h, ==, "07914487200030233100"
	    "0A8114555510000000AA0BC8329BFD06DDDF723619");
	tt_int_op(tl, ==, len - 8);

	/* bad destination */
	s.to = "+1415x";
	tt_int_op(pdu_encode_submit(&s, out, &len, &tl, &err), ==, -1);
	tt_str_op(err, ==, "invalid character in destination number");
	s.to = "123456789012345678901";
	tt_int_op(pdu_encode_submit(&s, out, &len, &tl, &err), ==, -1);

	/* no destination: empty address */
	s.to = NULL;
	s.smsc = NULL;
	s.srr = 0;
	s.vp_minutes = -1;
	tt_int_op(pdu_encode_submit(&s, out, &len, &tl, &err), ==, 0);
	pdu_to_hex(out, len, h);
	tt_str_op(h, ==, "00010000810000" "0BC8329BFD06DDDF723619");
end:
	;
}

/* encode -> decode for each encoding, with and without a header */
static void
test_roundtrip(void)
{
	struct plan	*p = NULL;
	struct plan_opts o;
	struct pdu_submit s;
	struct sms_msg	 m;
	uint8_t		 out[PDU_MAX_OCTETS], ud[PDU_UD_MAX * 8 / 7 + 1];
	uint8_t		 udh[16];
	const char	*err;
	size_t		 len, tl, i, k;
	char		 joined[2048];
	static const struct {
		const char	*text;
		enum plan_force	 force;
		int		 shift;
	} cases[] = {
		{ "Rally Dec 18, 5pm, City Hall. Text STOP to stop.", PLAN_AUTO,
		  0 },
		{ "Reunión mañana — ¡vengan todos! ¿Sí?", PLAN_AUTO, 0 },
		{ "Tawag sa amin: 555-0100 [urgent] {info} ~ | \\ ^ \xe2\x82\xac",
		  PLAN_AUTO, 0 },
		{ "Cuộc họp lúc 5 giờ chiều tại Tòa thị chính.", PLAN_AUTO, 0 },
		{ "移民权利会议 🎉 明天下午五点", PLAN_AUTO, 0 },
		{ "Toplantı yarın saat beşte, Şehir Meclisi'nde. İyi günler.",
		  PLAN_AUTO, 1 },
		{ "Reunião amanhã às cinco horas na Câmara. Atenção!",
		  PLAN_AUTO, 3 },
		{ "plain as 8-bit", PLAN_FORCE_8BIT, 0 },
		{ "ASCII forced to UCS-2", PLAN_FORCE_UCS2, 0 },
	};

	p = malloc(sizeof *p);
	for (k = 0; k < TT_NELEM(cases); k++) {
		memset(&o, 0, sizeof o);
		o.force = cases[k].force;
		o.shift = cases[k].shift;
		/* long enough for several segments */
		joined[0] = '\0';
		for (i = 0; i < 10; i++) {
			strcat(joined, cases[k].text);
			strcat(joined, " ");
		}
		tt_int_op(plan_make(p, joined, strlen(joined), &o, &err), ==, 0);
		tt_int_op(p->nseg, >, 1);
		memset(&s, 0, sizeof s);
		s.to = "+639171234567";
		s.vp_minutes = -1;
		s.msg_class = -1;
		s.encoding = p->encoding;
		for (i = 0; i < p->nseg; i++) {
			s.ud = ud;
			s.udh = udh;
			s.ud_units = plan_segment(p, i, 0x9c, ud, udh,
			    &s.udh_len);
			tt_int_op(pdu_encode_submit(&s, out, &len, &tl, &err),
			    ==, 0);
			tt_int_op(pdu_decode(out, len, &m, &err), ==, 0);
			tt_int_op(m.type, ==, SMS_SUBMIT);
			tt_str_op(m.addr.text, ==, "+639171234567");
			tt_int_op(m.encoding, ==, p->encoding);
			tt_int_op(m.concat.present, ==, 1);
			tt_int_op(m.concat.ref, ==, 0x9c);
			tt_int_op(m.concat.parts, ==, p->nseg);
			tt_int_op(m.concat.part, ==, i + 1);
			tt_int_op(m.locking, ==, p->locking);
			tt_int_op(m.single, ==, p->single);
			if (p->encoding == SMS_ENC_8BIT) {
				tt_mem_op(m.data, ==, ud, s.ud_units);
				continue;
			}
			/* the decoded segment is the planned slice */
			{
				char want[1024];
				struct plan one = *p;
				one.cp = p->cp + p->seg[i].start;
				one.nchars = p->seg[i].end - p->seg[i].start;
				plan_text(&one, want, sizeof want);
				tt_str_op(m.text, ==, want);
			}
		}
		plan_free(p);
	}
end:
	if (p != NULL)
		plan_free(p);
	free(p);
}

static void
test_deliver_roundtrip(void)
{
	struct pdu_deliver d;
	struct pdu_report  r;
	struct sms_msg	   m;
	uint8_t		   out[PDU_MAX_OCTETS], sept[8];
	const char	  *err;
	size_t		   len, tl;
	int		   n;

	memset(&d, 0, sizeof d);
	d.from = "BANCO";
	d.msg_class = -1;
	d.scts = (struct sms_time){ 1, 2026, 11, 29, 9, 15, 0, -20 };
	n = gsm7_encode_char('O', 0, 0, sept);
	tt_int_op(n, ==, 1);
	sept[1] = 'K';
	d.ud = sept;
	d.ud_units = 2;
	tt_int_op(pdu_encode_deliver(&d, out, &len, &tl, &err), ==, 0);
	tt_int_op(pdu_decode(out, len, &m, &err), ==, 0);
	tt_int_op(m.type, ==, SMS_DELIVER);
	tt_int_op(m.addr.ton, ==, SMS_TON_ALPHANUMERIC);
	tt_str_op(m.addr.text, ==, "BANCO");
	tt_str_op(m.text, ==, "OK");
	tt_int_op(m.scts.year, ==, 2026);
	tt_int_op(m.scts.tz_quarters, ==, -20);

	d.from = "+14155550100";
	d.smsc = "+14155559999";
	tt_int_op(pdu_encode_deliver(&d, out, &len, &tl, &err), ==, 0);
	tt_int_op(pdu_decode(out, len, &m, &err), ==, 0);
	tt_str_op(m.addr.text, ==, "+14155550100");
	tt_str_op(m.smsc.text, ==, "+14155559999");

	d.from = "TwelveChars!";
	tt_int_op(pdu_encode_deliver(&d, out, &len, &tl, &err), ==, -1);

	memset(&r, 0, sizeof r);
	r.mr = 77;
	r.recipient = "+14155550100";
	r.scts = d.scts;
	r.discharge = d.scts;
	r.discharge.minute = 20;
	r.status = 0x46;
	tt_int_op(pdu_encode_report(&r, out, &len, &tl, &err), ==, 0);
	tt_int_op(pdu_decode(out, len, &m, &err), ==, 0);
	tt_int_op(m.type, ==, SMS_STATUS_REPORT);
	tt_int_op(m.mr, ==, 77);
	tt_int_op(m.status, ==, 0x46);
	tt_int_op(m.discharge.minute, ==, 20);
	tt_str_op(m.addr.text, ==, "+14155550100");
end:
	;
}

static void
test_vp(void)
{
	static const struct {
		int		minutes;
		unsigned	vp;
		int		back;
	} c[] = {
		{ 1, 0, 5 }, { 5, 0, 5 }, { 6, 1, 10 }, { 60, 11, 60 },
		{ 720, 143, 720 }, { 721, 144, 750 }, { 1440, 167, 1440 },
		{ 1441, 168, 2880 }, { 4 * 1440, 170, 4 * 1440 },
		{ 30 * 1440, 196, 30 * 1440 }, { 30 * 1440 + 1, 197, 35 * 1440 },
		{ 63 * 7 * 1440, 255, 63 * 7 * 1440 },
		{ 100 * 7 * 1440, 255, 63 * 7 * 1440 },
	};
	size_t	i;

	for (i = 0; i < TT_NELEM(c); i++) {
		tt_uint_op(pdu_vp_relative(c[i].minutes), ==, c[i].vp);
		tt_int_op(pdu_vp_minutes(c[i].vp), ==, c[i].back);
	}
end:
	;
}

/*
 * The <length> a modem prints before a PDU (TS 27.005: TPDU octets, the
 * SMSC information not counted) tells whether the SMSC information is
 * there at all.
 */
static const struct {
	const char	*hex;
	size_t		 tpdu_len;
	const char	*smsc;		/* NULL: none */
	const char	*text;		/* NULL: an error */
	const char	*err;
} len_cases[] = {
	/* SMSC information then the TPDU: 8 + 22 octets */
	{ "0791448720003023040C9141515505010000007121819000002B03C87408", 22,
	  "+447802000332", "Hi!", NULL },
	/* the same TPDU bare, as some modems print it */
	{ "040C9141515505010000007121819000002B03C87408", 22, NULL, "Hi!",
	  NULL },
	/* "00": the modem's own SMSC, an empty field */
	{ "00040C9141515505010000007121819000002B03C87408", 22, NULL, "Hi!",
	  NULL },
	/* a bare deliver whose first octet 0x04 read as an SMSC length
	 * would swallow the originator */
	{ "040B914151550100F00000712181900000000CC8329BFD06DDDF72363904",
	  30, NULL, "Hello world!", NULL },
	/* a bare status report */
	{ "06050B914151550501F0712181900000007121819001000000", 25, NULL,
	  "", NULL },
	/* neither reading */
	{ "040C9141515505010000007121819000002B03C87408", 21, NULL, NULL,
	  "PDU of 22 octets does not match the announced TPDU length 21, "
	  "with or without SMSC information" },
	{ "0791448720003023040C9141515505010000007121819000002B03C87408", 23,
	  NULL, NULL, "PDU of 30 octets does not match the announced TPDU "
	  "length 23, with or without SMSC information" },
	{ "0791448720003023040C9141515505010000007121819000002B03C87408", 40,
	  NULL, NULL, "PDU of 30 octets does not match the announced TPDU "
	  "length 40, with or without SMSC information" },
	{ "", 0, NULL, NULL, "empty PDU" },
};

static void
test_decode_len(void)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS], *copy;
	const char	*err;
	size_t		 i;
	int		 n, rc;

	for (i = 0; i < TT_NELEM(len_cases); i++) {
		n = hex(len_cases[i].hex, buf);
		tt_int_op(n, >=, 0);
		/* exact size: an overread is caught by ASan */
		copy = malloc(n ? (size_t)n : 1);
		memcpy(copy, buf, (size_t)n);
		err = NULL;
		rc = pdu_decode_len(copy, (size_t)n, len_cases[i].tpdu_len, &m,
		    &err);
		free(copy);
		if (len_cases[i].text == NULL) {
			if (rc != -1) {
				tt_fail(__FILE__, __LINE__, "case %zu decoded",
				    i);
				goto end;
			}
			tt_str_op(err, ==, len_cases[i].err);
			continue;
		}
		if (rc != 0) {
			tt_fail(__FILE__, __LINE__, "case %zu: %s", i, err);
			goto end;
		}
		tt_str_op(m.text, ==, len_cases[i].text);
		tt_int_op(m.has_smsc, ==, len_cases[i].smsc != NULL);
		if (len_cases[i].smsc != NULL)
			tt_str_op(m.smsc.text, ==, len_cases[i].smsc);
	}
	/* the bare deliver read SMSC-first is garbage or an error, never
	 * the message: why the length matters */
	n = hex("040B914151550100F00000712181900000000CC8329BFD06DDDF72363904",
	    buf);
	rc = pdu_decode(buf, (size_t)n, &m, &err);
	tt_assert(rc == -1 || strcmp(m.text, "Hello world!") != 0);
end:
	;
}

/*
 * Status reports: TP-PID and TP-DCS are reported whenever TP-PI announces
 * them; user data announced but cut off does not lose the status.
 */
static const struct {
	const char	*tail;		/* after TP-ST */
	unsigned	 status;
	int		 has_pid, pid, has_dcs, dcs, has_ud;
	const char	*text;
} report_cases[] = {
	{ "", 0, 0, 0, 0, 0, 0, "" },
	{ "00", 0, 0, 0, 0, 0, 0, "" },			/* TP-PI 0 */
	{ "0141", 0, 1, 0x41, 0, 0, 0, "" },		/* pid only */
	{ "0208", 0, 0, 0, 1, 8, 0, "" },		/* dcs only */
	{ "034108", 0, 1, 0x41, 1, 8, 0, "" },		/* both, no UD */
	/* UD announced, the PDU ends before TP-UDL */
	{ "074108", 0, 1, 0x41, 1, 8, 0, "" },
	/* UD announced, TP-UDL 4 but 3 octets */
	{ "07410804004100", 0, 1, 0x41, 1, 8, 0, "" },
	/* pid announced but missing: TP-PI alone */
	{ "07", 0, 0, 0, 0, 0, 0, "" },
	/* complete: UCS-2 "AB" */
	{ "0700080400410042", 0, 1, 0, 1, 8, 1, "AB" },
	/* GSM 7-bit UD without TP-DCS: the default alphabet */
	{ "0503C87408", 0, 1, 3, 0, 0, 0, "" },
	{ "0403C87408", 0, 0, 0, 0, 0, 1, "Hi!" },
};

static void
test_decode_report(void)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS];
	char		 h[256];
	const char	*err;
	size_t		 i;
	int		 n;

	for (i = 0; i < TT_NELEM(report_cases); i++) {
		snprintf(h, sizeof h, "0006050B914151550501F07121819000000071"
		    "21819001000000%s", report_cases[i].tail);
		n = hex(h, buf);
		tt_int_op(n, >, 0);
		if (pdu_decode(buf, (size_t)n, &m, &err) != 0) {
			tt_fail(__FILE__, __LINE__, "case %zu: %s", i, err);
			goto end;
		}
		tt_int_op(m.type, ==, SMS_STATUS_REPORT);
		tt_uint_op(m.status, ==, report_cases[i].status);
		tt_uint_op(m.mr, ==, 5);
		if (m.has_pid != report_cases[i].has_pid ||
		    m.has_dcs != report_cases[i].has_dcs ||
		    m.has_ud != report_cases[i].has_ud ||
		    (m.has_pid && (int)m.pid != report_cases[i].pid) ||
		    (m.has_dcs && (int)m.dcs != report_cases[i].dcs) ||
		    strcmp(m.text, report_cases[i].text) != 0) {
			tt_fail(__FILE__, __LINE__, "case %zu: pid %d/%u dcs "
			    "%d/%u ud %d \"%s\"", i, m.has_pid, m.pid,
			    m.has_dcs, m.dcs, m.has_ud, m.text);
			goto end;
		}
	}
end:
	;
}

/* Random bytes never crash the decoder; repeated with a printed seed. */
static void
test_decode_random(void)
{
	struct sms_msg	 m;
	uint8_t		 buf[PDU_MAX_OCTETS];
	const char	*err;
	size_t		 len, i;
	int		 k;

	for (k = 0; k < 20000; k++) {
		len = (size_t)rand() % sizeof buf;
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();
		if (len > 0 && k % 2 == 0)
			buf[0] = 0;	/* get past the SMSC more often */
		if (pdu_decode(buf, len, &m, &err) == -1)
			tt_assert(err != NULL && *err != '\0');
		else
			tt_assert(strlen(m.text) < sizeof m.text);
		/* length-guided: both readings, and neither */
		if (pdu_decode_len(buf, len, len - (len > 0 && k % 3 == 0 ?
		    (size_t)buf[0] + 1 : 0) % (len + 1), &m, &err) == -1)
			tt_assert(err != NULL && *err != '\0');
		else
			tt_assert(strlen(m.text) < sizeof m.text);
	}
end:
	;
}

/* time stamps to seconds since the epoch (date -u -d ... +%s) */
static void
test_time_epoch(void)
{
	static const struct {
		struct sms_time	t;
		int64_t		want;
	} c[] = {
		{ { 1, 1990, 1, 1, 0, 0, 0, 0 }, 631152000 },
		{ { 1, 2000, 2, 29, 12, 0, 0, 0 }, 951825600 },
		{ { 1, 2024, 2, 29, 23, 59, 59, 0 }, 1709251199 },
		{ { 1, 2024, 3, 1, 0, 0, 0, 0 }, 1709251200 },
		/* 2026-12-05 10:00 at +08:00 is 02:00 UTC */
		{ { 1, 2026, 12, 5, 10, 0, 0, 32 }, 1796436000 },
		/* 2026-12-31 20:30 at -05:00 is 2027-01-01 01:30 UTC */
		{ { 1, 2026, 12, 31, 20, 30, 0, -20 }, 1798767000 },
		{ { 1, 2089, 12, 31, 23, 59, 59, 0 }, 3786911999 },
		{ { 0, 2026, 12, 5, 10, 0, 0, 0 }, 0 },
	};
	size_t	i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		tt_int_op(pdu_time_epoch(&c[i].t), ==, c[i].want);
end:
	;
}

static const struct tt_case cases[] = {
	{ "decode/table", test_decode_table },
	{ "decode/fields", test_decode_fields },
	{ "decode/bad", test_decode_bad },
	{ "decode/truncated", test_decode_truncated },
	{ "decode/random", test_decode_random },
	{ "decode/len", test_decode_len },
	{ "decode/report", test_decode_report },
	{ "hex", test_hex },
	{ "encode/submit", test_encode_submit },
	{ "encode/roundtrip", test_roundtrip },
	{ "encode/deliver", test_deliver_roundtrip },
	{ "vp", test_vp },
	{ "time/epoch", test_time_epoch },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
