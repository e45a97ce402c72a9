/*
 * tests/bench/bench_codec.c — codec throughput, in segments per second,
 * over a mixed corpus of alerts in the members' languages.
 *
 * Three figures:
 *   plan+encode  a whole message planned and encoded (one text per send);
 *   encode       segments of an already planned text (a broadcast: one
 *                plan, a PDU per recipient), no heap allocation;
 *   decode       PDUs as a modem prints them back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pdu.h"
#include "plan.h"

static const char *bench_corpus[] = {
	"ICE checkpoint reported at 5th & Main - avoid the area, know your "
	"rights: text INFO",
	"Rally for International Migrants Day, Dec 18, 5pm, City Hall. Bring "
	"your family and friends. Text STOP to stop.",
	"Retén de ICE reportado en la 5ta y Main: eviten la zona. Conozcan sus "
	"derechos: envíen INFO. ¡Compartan!",
	"May checkpoint ng ICE sa 5th at Main — iwasan ang lugar. Alamin ang "
	"iyong karapatan: i-text ang INFO",
	"第五街和主街报告有移民局检查站，请避开该区域。了解您的权利：发送INFO",
	"Có trạm kiểm soát ICE tại đường 5 và Main — tránh khu vực này. Biết "
	"quyền của bạn: nhắn INFO",
	"Rasanbleman pou Jounen Entènasyonal Migran yo, 18 desanm, 5è, Lakay "
	"Vil la 📣✊",
	"تم الإبلاغ عن نقطة تفتيش في الشارع الخامس — تجنبوا المنطقة. اعرفوا "
	"حقوقكم: أرسلوا INFO",
};

#define BENCH_N	(sizeof bench_corpus / sizeof bench_corpus[0])

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(void)
{
	static struct plan	 plans[BENCH_N];
	struct plan		*p;
	struct plan_opts	 o = { PLAN_AUTO, 1, 0, 0 };
	struct pdu_submit	 s;
	struct sms_msg		 m;
	static uint8_t		 pdus[64][PDU_MAX_OCTETS];
	size_t			 pdulen[64], npdu = 0;
	uint8_t			 ud[PDU_UD_MAX * 8 / 7 + 1], udh[16];
	uint8_t			 out[PDU_MAX_OCTETS];
	const char		*err;
	size_t			 i, k, len, tl, segs;
	double			 t0, t, sink = 0;
	long			 iter;

	memset(&s, 0, sizeof s);
	s.to = "+14155550100";
	s.vp_minutes = 1440;
	s.msg_class = -1;

	/* plan + encode */
	segs = 0;
	t0 = bench_now();
	for (iter = 0; iter < 20000; iter++) {
		for (i = 0; i < BENCH_N; i++) {
			p = &plans[i];
			if (plan_make(p, bench_corpus[i],
			    strlen(bench_corpus[i]), &o, &err) == -1) {
				fprintf(stderr, "bench: %s\n", err);
				return 1;
			}
			s.encoding = p->encoding;
			for (k = 0; k < p->nseg; k++) {
				s.ud = ud;
				s.udh = udh;
				s.ud_units = plan_segment(p, k, 1, ud, udh,
				    &s.udh_len);
				pdu_encode_submit(&s, out, &len, &tl, &err);
				sink += out[len - 1];
				segs++;
			}
			plan_free(p);
		}
	}
	t = bench_now() - t0;
	printf("plan+encode: %zu segments in %.3f s: %.0f segments/s "
	    "(%.0f messages/s)\n", segs, t, (double)segs / t,
	    20000.0 * BENCH_N / t);

	/* encode only: one plan per text, PDUs per recipient */
	for (i = 0; i < BENCH_N; i++)
		plan_make(&plans[i], bench_corpus[i], strlen(bench_corpus[i]),
		    &o, &err);
	segs = 0;
	t0 = bench_now();
	for (iter = 0; iter < 100000; iter++) {
		for (i = 0; i < BENCH_N; i++) {
			p = &plans[i];
			s.encoding = p->encoding;
			for (k = 0; k < p->nseg; k++) {
				s.ud = ud;
				s.udh = udh;
				s.ud_units = plan_segment(p, k, 1, ud, udh,
				    &s.udh_len);
				pdu_encode_submit(&s, out, &len, &tl, &err);
				if (npdu < 64 && iter == 0) {
					memcpy(pdus[npdu], out, len);
					pdulen[npdu++] = len;
				}
				sink += out[len - 1];
				segs++;
			}
		}
	}
	t = bench_now() - t0;
	printf("encode:      %zu segments in %.3f s: %.0f segments/s\n", segs,
	    t, (double)segs / t);

	/* decode */
	segs = 0;
	t0 = bench_now();
	for (iter = 0; iter < 100000; iter++) {
		for (i = 0; i < npdu; i++) {
			if (pdu_decode(pdus[i], pdulen[i], &m, &err) == -1) {
				fprintf(stderr, "bench: decode: %s\n", err);
				return 1;
			}
			sink += (unsigned char)m.text[0];
			segs++;
		}
	}
	t = bench_now() - t0;
	printf("decode:      %zu segments in %.3f s: %.0f segments/s\n", segs,
	    t, (double)segs / t);
	printf("corpus: %zu texts, %zu segments per pass (English, Spanish, "
	    "Tagalog, Chinese, Vietnamese, Haitian Creole + emoji, Arabic)\n",
	    BENCH_N, npdu);
	for (i = 0; i < BENCH_N; i++)
		plan_free(&plans[i]);
	return sink < 0;
}
