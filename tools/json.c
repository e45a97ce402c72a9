/*
 * tools/json.c — a small streaming JSON writer (RFC 8259).
 */
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

void
json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = 1;
	j->after_key = 0;
}

/* Write the separator a new value needs at the current depth. */
static void
json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = 0;
}

static void
json_open(struct json *j, int c)
{
	json_sep(j);
	fputc(c, j->f);
	if (j->depth < JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = 1;
}

static void
json_close(struct json *j, int c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void
json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void
json_object_end(struct json *j)
{
	json_close(j, '}');
}

void
json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void
json_array_end(struct json *j)
{
	json_close(j, ']');
}

static void
json_escape(FILE *f, const char *s, size_t len)
{
	uint32_t	cp;
	size_t		i = 0, n, pos;
	unsigned char	c;

	fputc('"', f);
	while (i < len) {
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			/* copy a valid sequence, replace an invalid byte */
			n = (c >= 0xf0) ? 4 : (c >= 0xe0) ? 3 : 2;
			if (n > len - i)
				n = len - i;
			if (utf8_decode(s + i, n, &cp, 1, &pos, &pos) == 0) {
				fwrite(s + i, 1, n, f);
				i += n;
			} else {
				fputs("\xef\xbf\xbd", f);
				i++;
			}
			continue;
		}
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
			break;
		}
		i++;
	}
	fputc('"', f);
}

void
json_key(struct json *j, const char *k)
{
	json_sep(j);
	json_escape(j->f, k, strlen(k));
	fputc(':', j->f);
	j->after_key = 1;
}

void
json_string_len(struct json *j, const char *s, size_t len)
{
	json_sep(j);
	json_escape(j->f, s, len);
}

void
json_string(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_string_len(j, s, strlen(s));
}

void
json_int(struct json *j, long long v)
{
	json_sep(j);
	fprintf(j->f, "%lld", v);
}

void
json_bool(struct json *j, int v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->f);
}

void
json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->f);
}

void
json_kv_string(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_string(j, v);
}

void
json_kv_int(struct json *j, const char *k, long long v)
{
	json_key(j, k);
	json_int(j, v);
}

void
json_kv_bool(struct json *j, const char *k, int v)
{
	json_key(j, k);
	json_bool(j, v);
}

void
json_kv_null(struct json *j, const char *k)
{
	json_key(j, k);
	json_null(j);
}

void
json_raw(struct json *j, const char *num)
{
	const char	*p = num;

	if (*p == '-')
		p++;
	if (*p == '\0' || strspn(p, "0123456789.") != strlen(p) ||
	    *p == '.') {
		json_null(j);
		return;
	}
	json_sep(j);
	fputs(num, j->f);
}
