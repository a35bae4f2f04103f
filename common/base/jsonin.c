#include <ctype.h>
#include <err.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "jsonin.h"
#include "util.h"

#define VALUE_MAX_BYTES	JSON_MAX_BYTES	/* a longer value is skipped */

struct rline {
	char		*text;
	size_t		 len;
	unsigned long	 lineno;
};

int
ji_open(struct jsonin *ji, const char *path)
{
	memset(ji, 0, sizeof(*ji));
	if (lr_open(&ji->lr, path) < 0)
		return -1;
	ji->lr.max = JSON_MAX_BYTES;
	return 0;
}

#define ARENA_BLOCK	(64u << 10)

struct block {
	struct block	*next;
	size_t		 cap, used;
	max_align_t	 data[];
};

static struct block	*arena;		/* the newest block first */

static void *
arena_alloc(size_t n)
{
	struct block *b;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (arena == NULL || arena->cap - arena->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = xmalloc(sizeof(*b) + cap);
		b->next = arena;
		b->cap = cap;
		b->used = 0;
		arena = b;
	}
	p = (char *)arena->data + arena->used;
	arena->used += n;
	return p;
}

static void
arena_free(void *p)
{
	(void)p;		/* all of it goes at once, in arena_reset */
}

/* Keep one ordinary block for the next value; the rest go. */
static void
arena_reset(void)
{
	struct block *b, *next, *keep = NULL;

	for (b = arena; b != NULL; b = next) {
		next = b->next;
		if (keep == NULL && b->cap == ARENA_BLOCK)
			keep = b;
		else
			free(b);
	}
	if ((arena = keep) != NULL) {
		arena->next = NULL;
		arena->used = 0;
	}
}

static void
free_replay(struct jsonin *ji)
{
	size_t i;

	for (i = 0; i < ji->nreplay; i++)
		free(ji->replay[i].text);
	ji->nreplay = ji->replay_at = 0;
}

/* The next line, from the lines to read again first; 0 at the end. */
static int
next_line(struct jsonin *ji, char **line, size_t *len, unsigned long *no)
{
	if (ji->replay_at == ji->nreplay)
		free_replay(ji);
	ji->replayed = ji->replay_at < ji->nreplay;
	if (ji->replayed) {
		struct rline *r = &ji->replay[ji->replay_at++];

		*line = r->text;
		*len = r->len;
		*no = r->lineno;
		return 1;
	}
	for (;;) {
		switch (lr_next(&ji->lr, line, len)) {
		case LR_LINE:
			*no = ji->lr.lineno;
			return 1;
		case LR_TOOLONG:
			bad_input(ji->lr.name, ji->lr.lineno,
			    "line longer than %u bytes skipped", JSON_MAX_BYTES);
			continue;
		case LR_ERROR:
			bad_input(ji->lr.name, ji->lr.lineno + 1, "%s",
			    ji->lr.error);
			return 0;
		default:
			return 0;
		}
	}
}

/*
 * cJSON ends strings at NUL: a \u0000 escape would cut a value short
 * unseen.  It becomes U+FFFD, as an invalid byte does on output.
 */
static void
replace_nul_escapes(char *s, size_t n)
{
	size_t i, slashes = 0;

	if (memchr(s, '\\', n) == NULL || memmem(s, n, "u0000", 5) == NULL)
		return;		/* the usual line: no escape at all */
	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			slashes = 0;
			continue;
		}
		if (++slashes % 2 == 1 && n - i >= 6 &&
		    memcmp(s + i + 1, "u0000", 5) == 0) {
			memcpy(s + i + 2, "fffd", 4);
			slashes = 0;
			i += 5;
		}
	}
}

/* Any byte below 0x20, eight at a time: the usual line has none. */
static int
has_control(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		if (bytes_below(bytes_load(s + i), 0x20))
			return 1;
	for (; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return 1;
	return 0;
}

/*
 * The offset + 1 of a control byte inside a string, which JSON's grammar
 * forbids (cJSON takes it, and a NUL would cut the value short); 0 if
 * none.  Outside strings, tabs and line ends are white space.
 */
static size_t
raw_control(const char *s, size_t n)
{
	size_t i;
	int in_str = 0, esc = 0;

	if (!has_control(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && (in_str || c == '\0'))
			return i + 1;
		if (esc)
			esc = 0;
		else if (in_str && c == '\\')
			esc = 1;
		else if (c == '"')
			in_str = !in_str;
	}
	return 0;
}

static cJSON *
parse(char *s, size_t n, char *why, size_t whylen)
{
	static cJSON_Hooks in_arena = { arena_alloc, arena_free };
	const char *end = NULL;
	cJSON *v;
	size_t at;

	if ((at = raw_control(s, n)) > 0) {
		snprintf(why, whylen, "malformed JSON at byte %zu: raw 0x%02x "
		    "in a string", at, (unsigned char)s[at - 1]);
		return NULL;
	}
	replace_nul_escapes(s, n);
	cJSON_InitHooks(&in_arena);
	v = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	cJSON_InitHooks(NULL);
	if (v == NULL) {
		end = cJSON_GetErrorPtr();
		snprintf(why, whylen, "malformed JSON at byte %zu",
		    end != NULL && end >= s && end <= s + n ?
		    (size_t)(end - s) + 1 : n);
		return NULL;
	}
	while (end < s + n && isspace((unsigned char)*end))
		end++;
	if (end < s + n) {
		snprintf(why, whylen, "text after the JSON value at byte %zu",
		    (size_t)(end - s) + 1);
		return NULL;
	}
	return v;
}

/* Follow braces and brackets outside strings. */
static void
scan_depth(struct jsonin *ji, const char *s, size_t n)
{
	for (; n > 0; s++, n--) {
		if (ji->in_str) {
			if (ji->esc)
				ji->esc = 0;
			else if (*s == '\\')
				ji->esc = 1;
			else if (*s == '"')
				ji->in_str = 0;
		} else if (*s == '"')
			ji->in_str = 1;
		else if (*s == '{' || *s == '[')
			ji->depth++;
		else if (*s == '}' || *s == ']')
			ji->depth--;
	}
}

static void
append(struct jsonin *ji, const char *line, size_t len)
{
	ji->starts = xgrow(ji->starts, &ji->starts_cap, ji->nstarts + 1,
	    sizeof(*ji->starts), 64);
	ji->starts[ji->nstarts++] = ji->len;
	ji->text = xgrow(ji->text, &ji->cap, ji->len + len + 1, 1, 4096);
	memcpy(ji->text + ji->len, line, len);
	ji->len += len;
	ji->text[ji->len++] = '\n';
	scan_depth(ji, line, len);
}

static void
reset_pending(struct jsonin *ji)
{
	ji->len = ji->nstarts = 0;
	ji->first = 0;
	ji->depth = ji->in_str = ji->esc = 0;
}

/*
 * A value spread over lines failed: report it, read its other lines
 * again.  Not those of a value that began on a line read again: each
 * line is read at most twice, so that lines of [ cost linear time.
 */
static void
fail_pending(struct jsonin *ji, const char *why)
{
	size_t i, nnew = ji->nstarts - 1, rest = ji->nreplay - ji->replay_at;
	struct rline *r;

	if (ji->again) {
		bad_input(ji->lr.name, ji->first, "%s; its %zu other line%s "
		    "not read again", why, nnew, nnew == 1 ? " is" : "s are");
		reset_pending(ji);
		return;
	}
	r = xcalloc(nnew + rest, sizeof(*r));
	bad_input(ji->lr.name, ji->first, "%s", why);
	for (i = 1; i < ji->nstarts; i++) {
		size_t from = ji->starts[i], to = i + 1 < ji->nstarts ?
		    ji->starts[i + 1] : ji->len;

		r[i - 1].len = to - from - 1;	/* without the newline */
		r[i - 1].text = xmalloc(r[i - 1].len + 1);
		memcpy(r[i - 1].text, ji->text + from, r[i - 1].len);
		r[i - 1].lineno = ji->first + i;
	}
	if (rest > 0)
		memcpy(r + nnew, ji->replay + ji->replay_at, rest * sizeof(*r));
	for (i = 0; i < ji->replay_at; i++)
		free(ji->replay[i].text);
	free(ji->replay);
	ji->replay = r;
	ji->nreplay = ji->replay_cap = nnew + rest;
	ji->replay_at = 0;
	reset_pending(ji);
}

static int
blank(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	return n == 0;
}

/* A line that opens an object or array it does not close. */
static int
opens_value(struct jsonin *ji, const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	if (n == 0 || (*s != '{' && *s != '['))
		return 0;
	ji->depth = ji->in_str = ji->esc = 0;
	scan_depth(ji, s, n);
	return ji->depth > 0;
}

int
ji_next(struct jsonin *ji, cJSON **val, unsigned long *lineno)
{
	return ji_next_flat(ji, NULL, val, lineno);
}

int
ji_next_flat(struct jsonin *ji, struct jflat *f, cJSON **val,
    unsigned long *lineno)
{
	char *line, why[80];
	size_t len;
	unsigned long no;

	arena_reset();		/* the last value is gone */
	for (;;) {
		if (!next_line(ji, &line, &len, &no)) {
			if (ji->first == 0)
				return 0;
			fail_pending(ji, "unterminated JSON value");
			continue;
		}
		if (ji->first == 0) {
			if (f != NULL && jf_parse(f, line, len)) {
				*val = NULL;
				*lineno = no;
				return 1;
			}
			if ((*val = parse(line, len, why, sizeof(why))) != NULL) {
				*lineno = no;
				return 1;
			}
			if (blank(line, len))
				continue;
			if (!opens_value(ji, line, len)) {
				bad_input(ji->lr.name, no, "%s", why);
				continue;
			}
			ji->depth = ji->in_str = ji->esc = 0;
			ji->first = no;
			ji->again = ji->replayed;
		}
		append(ji, line, len);
		if (ji->depth > 0 && ji->len <= VALUE_MAX_BYTES)
			continue;
		if (ji->depth > 0) {
			fail_pending(ji, "JSON value too long");
			continue;
		}
		if ((*val = parse(ji->text, ji->len, why, sizeof(why))) != NULL) {
			*lineno = ji->first;
			reset_pending(ji);
			return 1;
		}
		fail_pending(ji, why);
	}
}

cJSON *
ji_read_one(const char *path, const char *what, const char *hint)
{
	struct jsonin ji;
	unsigned long line, bad_before = bad_input_count;
	cJSON *v, *copy = NULL;

	if (ji_open(&ji, path) < 0)
		err(EXIT_FATAL, "%s", path);
	if (ji_next(&ji, &v, &line) && (copy = cJSON_Duplicate(v, 1)) == NULL)
		errx(EXIT_FATAL, "out of memory");
	if (copy != NULL && ji_next(&ji, &v, &line))
		errx(EXIT_FATAL, "%s:%lu: one %s only%s", path, line, what, hint);
	ji_close(&ji);
	if (copy == NULL || bad_input_count != bad_before)
		errx(EXIT_FATAL, "%s: not a JSON %s", path, what);
	return copy;
}

void
ji_close(struct jsonin *ji)
{
	lr_close(&ji->lr);
	arena_reset();
	free(arena);
	arena = NULL;
	free_replay(ji);
	free(ji->replay);
	free(ji->text);
	free(ji->starts);
	memset(ji, 0, sizeof(*ji));
}
