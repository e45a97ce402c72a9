/*
 * tests/fuzz/fuzz_ctl_proto.c — libFuzzer harness for the control protocol
 * codec.
 *
 * The input is split at LF into lines.  Each line is parsed as a request
 * (a parsed request must survive format_request -> parse unchanged), fed
 * to a reply reader (a request is "sent" before each line whose first
 * byte is odd, so the outstanding count varies), and quoted then split
 * back as one argument.  Any disagreement aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct ctl_request	fuzz_ctl_req, fuzz_ctl_req2;
static struct ctl_proto_item	fuzz_ctl_item;
static char			fuzz_ctl_buf[4 * CTL_PROTO_LINE_MAX + 16];
static char			fuzz_ctl_arg[CTL_PROTO_LINE_MAX + 1];
static volatile unsigned	fuzz_ctl_sink;

static void
fuzz_ctl_touch(const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		fuzz_ctl_sink += (unsigned char)p[i];
}

static void
fuzz_ctl_request(const char *line, size_t len)
{
	const char	*argv[CTL_PROTO_ARGS_MAX + 1], *err;
	size_t		 i;
	int		 n;

	if (ctl_proto_parse(line, len, &fuzz_ctl_req, &err) != 0) {
		fuzz_ctl_touch(err, strlen(err));
		return;
	}
	for (i = 0; i < fuzz_ctl_req.argc; i++) {
		if (fuzz_ctl_req.argv[i].s[fuzz_ctl_req.argv[i].len] != '\0')
			abort();
		argv[i] = fuzz_ctl_req.argv[i].s;
	}
	argv[i] = NULL;
	n = ctl_proto_format_request(fuzz_ctl_req.verb, argv, fuzz_ctl_buf,
	    sizeof fuzz_ctl_buf, &err);
	if (n < 0)
		abort();	/* what parses must format */
	if (ctl_proto_parse(fuzz_ctl_buf, (size_t)n - 1, &fuzz_ctl_req2,
	    &err) != 0 || fuzz_ctl_req2.verb != fuzz_ctl_req.verb ||
	    fuzz_ctl_req2.argc != fuzz_ctl_req.argc)
		abort();
	for (i = 0; i < fuzz_ctl_req.argc; i++) {
		if (strcmp(fuzz_ctl_req.argv[i].s, fuzz_ctl_req2.argv[i].s) != 0
		    || fuzz_ctl_req.argv[i].n != fuzz_ctl_req2.argv[i].n)
			abort();
	}
}

static void
fuzz_ctl_quote(const char *line, size_t len)
{
	struct ctl_arg	 a[2];
	size_t		 argc;
	const char	*err;
	int		 n;

	if (len > CTL_PROTO_LINE_MAX || memchr(line, '\0', len) != NULL)
		return;
	memcpy(fuzz_ctl_arg, line, len);
	fuzz_ctl_arg[len] = '\0';
	n = ctl_proto_quote(fuzz_ctl_arg, fuzz_ctl_buf, sizeof fuzz_ctl_buf);
	if (n < 0 || ctl_proto_split(fuzz_ctl_buf, (size_t)n,
	    fuzz_ctl_req2.buf, sizeof fuzz_ctl_req2.buf, a, 2, &argc,
	    &err) != 0 || argc != 1 || a[0].len != len ||
	    memcmp(a[0].s, line, len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_proto_reader	 r;
	const char		*p = (const char *)data, *nl, *err;
	size_t			 len;

	ctl_proto_reader_init(&r);
	while (size > 0) {
		nl = memchr(p, '\n', size);
		len = nl != NULL ? (size_t)(nl - p) : size;
		fuzz_ctl_request(p, len);
		fuzz_ctl_quote(p, len);
		if (len > 0 && (p[0] & 1))
			ctl_proto_reader_sent(&r);
		if (ctl_proto_reader_line(&r, p, len, &fuzz_ctl_item,
		    &err) == 0) {
			if (fuzz_ctl_item.text != NULL)
				fuzz_ctl_touch(fuzz_ctl_item.text,
				    fuzz_ctl_item.len + 1);
			if (fuzz_ctl_item.name != NULL)
				fuzz_ctl_touch(fuzz_ctl_item.name,
				    strlen(fuzz_ctl_item.name));
		} else
			fuzz_ctl_touch(err, strlen(err));
		fuzz_ctl_sink += (unsigned)ctl_proto_reader_idle(&r);
		if (nl == NULL)
			break;
		p += len + 1;
		size -= len + 1;
	}
	return 0;
}
