/*
 * tests/tt.h — a tiny table-driven unit test runner.
 *
 * Each test program defines an array of struct tt_case ending in TT_END and
 * calls tt_main().  Assertions print both sides and jump to the test's
 * single "end:" label, where the test frees what it allocated.  Any test
 * can be run alone by name: "./bin/test_pdu decode/deliver".  The runner
 * ends with the line "N passed, N failed".
 */
#ifndef TT_H
#define TT_H

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct tt_case {
	const char	*name;
	void		(*fn)(void);
};
#define TT_END { NULL, NULL }

extern int tt_failed_now;	/* set when the running test failed */

int	tt_main(int, char **, const struct tt_case *);
void	tt_fail(const char *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	tt_hexdump(const char *, const void *, size_t);
unsigned tt_seed(void);	/* seed for randomised tests (TT_SEED=n) */

#define tt_assert(c) do {						\
	if (!(c)) {							\
		tt_fail(__FILE__, __LINE__, "assert(%s)", #c);		\
		goto end;						\
	}								\
} while (0)

#define tt_int_op(a, op, b) do {					\
	long long tt_a_ = (long long)(a), tt_b_ = (long long)(b);	\
	if (!(tt_a_ op tt_b_)) {					\
		tt_fail(__FILE__, __LINE__, "%s %s %s: %lld vs %lld",	\
		    #a, #op, #b, tt_a_, tt_b_);				\
		goto end;						\
	}								\
} while (0)

#define tt_uint_op(a, op, b) do {					\
	unsigned long long tt_a_ = (unsigned long long)(a);		\
	unsigned long long tt_b_ = (unsigned long long)(b);		\
	if (!(tt_a_ op tt_b_)) {					\
		tt_fail(__FILE__, __LINE__, "%s %s %s: %llu vs %llu",	\
		    #a, #op, #b, tt_a_, tt_b_);				\
		goto end;						\
	}								\
} while (0)

#define tt_str_op(a, op, b) do {					\
	const char *tt_a_ = (a), *tt_b_ = (b);				\
	if (tt_a_ == NULL || tt_b_ == NULL ||				\
	    !(strcmp(tt_a_, tt_b_) op 0)) {				\
		tt_fail(__FILE__, __LINE__, "%s %s %s: \"%s\" vs \"%s\"", \
		    #a, #op, #b, tt_a_ ? tt_a_ : "(null)",		\
		    tt_b_ ? tt_b_ : "(null)");				\
		goto end;						\
	}								\
} while (0)

#define tt_mem_op(a, op, b, n) do {					\
	const void *tt_a_ = (a), *tt_b_ = (b);				\
	size_t tt_n_ = (n);						\
	if (!(memcmp(tt_a_, tt_b_, tt_n_) op 0)) {			\
		tt_fail(__FILE__, __LINE__, "%s %s %s (%zu bytes)",	\
		    #a, #op, #b, tt_n_);				\
		tt_hexdump(#a, tt_a_, tt_n_);				\
		tt_hexdump(#b, tt_b_, tt_n_);				\
		goto end;						\
	}								\
} while (0)

/* Record a failure with a message and continue. */
#define tt_want(c) do {							\
	if (!(c))							\
		tt_fail(__FILE__, __LINE__, "want(%s)", #c);		\
} while (0)

#define TT_NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif
