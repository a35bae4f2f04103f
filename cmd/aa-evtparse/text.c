/*
 * Events for people at an incident: --format text, one line per event
 * in local time, and --summary, the events counted by profile, mode,
 * operation and object (as aureport --avc --summary counts), as JSON or
 * as a table.  What an event is called here is what its JSON says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evtparse.h"
#include "hash.h"
#include "jsonw.h"
#include "out.h"
#include "util.h"

#define VALMAX	4096
#define MODEMAX	64

/* An event in four words, and who did it. */
struct shown {
	const char	*profile, *mode, *op, *object, *comm;
	char		 pbuf[VALMAX], obuf[VALMAX], cbuf[VALMAX], opbuf[64];
	long long	 pid;
};

/* The first of keys the event has, in buf; NULL if none. */
static const char *
first_of(const struct event *ev, const char *const *keys, char *buf)
{
	const char *v = NULL;

	for (; *keys != NULL && v == NULL; keys++)
		v = event_text(ev, *keys, buf, VALMAX);
	return v;
}

static const char *
seccomp_call(const struct event *ev, struct shown *s)
{
	char arch[32], nr[32];
	unsigned long a;
	long long n;
	const char *name;
	int machine = -1;

	if (event_text(ev, "arch", arch, sizeof(arch)) != NULL &&
	    parse_hex(arch, strlen(arch), &a))
		arch_name(a, &machine);
	if (event_text(ev, "syscall", nr, sizeof(nr)) == NULL ||
	    !parse_long(nr, strlen(nr), &n))
		return NULL;
	if ((name = syscall_name((long)n, machine)) != NULL)
		return name;
	snprintf(s->opbuf, sizeof(s->opbuf), "unknown(%lld)", n);
	return s->opbuf;
}

static void
describe(const struct event *ev, struct shown *s, char *modebuf)
{
	static const char *const who[] = { "profile", "label", "subj", NULL };
	static const char *const what[] = { "name", "capname", "peer", "addr",
	    "path", "family", NULL };
	char pid[32];
	size_t n;

	if ((s->profile = first_of(ev, who, s->pbuf)) == NULL)
		s->profile = "-";
	if (ev->kind == EV_SECCOMP) {
		s->mode = event_action(ev);
		s->op = "syscall";
		s->object = seccomp_call(ev, s);
	} else {
		n = ev->modelen < MODEMAX - 1 ? ev->modelen : MODEMAX - 1;
		memcpy(modebuf, ev->text + ev->mode, n);
		modebuf[n] = '\0';
		s->mode = modebuf;
		s->op = event_text(ev, "operation", s->opbuf, sizeof(s->opbuf));
		s->object = first_of(ev, what, s->obuf);
	}
	if (s->op == NULL)
		s->op = "-";
	if (s->object == NULL)
		s->object = "-";
	s->comm = event_text(ev, "comm", s->cbuf, sizeof(s->cbuf));
	s->pid = -1;
	if (event_text(ev, "pid", pid, sizeof(pid)) != NULL)
		parse_long(pid, strlen(pid), &s->pid);
}

/*
 * s for a terminal: a control character (C0, DEL, C1), a backslash or
 * a byte that is not UTF-8 as \xNN or \\, so no value can move the
 * cursor or start a line.  How many characters that took.
 */
/* The length of the printable character at p, or 0: escape its byte. */
static size_t
printable(const unsigned char *p, size_t n)
{
	if (*p < 0x80)
		return *p >= 0x20 && *p < 0x7f && *p != '\\';
	/* C1 controls (U+0080 to U+009F: CSI is U+009B) too */
	if (p[0] == 0xc2 && n > 1 && p[1] < 0xa0)
		return 0;
	return utf8_len(p, n);
}

static size_t
put_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k, chars = 0;
	char esc[8];

	for (; n > 0; p += k, n -= k, chars++) {
		if ((k = printable(p, n)) > 0) {
			out_write(p, k);
			continue;
		}
		k = 1;
		snprintf(esc, sizeof(esc), *p == '\\' ? "\\\\" : "\\x%02x", *p);
		out_write(esc, strlen(esc));
		chars += strlen(esc) - 1;
	}
	return chars;
}

/* s, then blanks to width characters, and one more even past it. */
static void
put_col(const char *s, size_t width)
{
	size_t n = put_text(s);

	do
		out_write(" ", 1);
	while (++n <= width);
}

/* YYYY-MM-DD hh:mm:ss.mmm, local time. */
static void
put_when(long long sec, int ms)
{
	char buf[64];
	time_t t = (time_t)sec;
	struct tm tm;
	size_t n;

	if (sec < 0 || localtime_r(&t, &tm) == NULL)
		n = (size_t)snprintf(buf, sizeof(buf), "%-23s", "-");
	else {
		n = strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%03d", ms);
	}
	out_write(buf, n);
}

void
text_event(const struct event *ev)
{
	static struct shown s;
	char mode[MODEMAX], pid[32];
	size_t n;

	describe(ev, &s, mode);
	put_when(ev->sec, ev->ms);
	out_write("  ", 2);
	put_col(s.mode, 8);
	put_col(s.profile, 20);
	put_col(s.op, 14);
	n = put_text(s.comm != NULL ? s.comm : "-");
	snprintf(pid, sizeof(pid), "[%lld]", s.pid);
	put_col(s.pid >= 0 ? pid : "", n < 16 ? 16 - n : 0);
	put_text(s.object);
	out_write("\n", 1);
}

void
text_lost(const struct lost *l)
{
	char count[64];

	put_when(l->sec, l->ms);
	out_write("  ", 2);
	put_col("LOST", 8);
	put_col("-", 20);
	put_col(l->reason, 14);
	put_col(l->source, 16);
	snprintf(count, sizeof(count), l->count >= 0 ? "%lld records" :
	    "records, how many not said", l->count);
	put_text(count);
	out_write("\n", 1);
}

/* --summary: the events of each profile, mode, operation and object. */
struct group {
	char		*key;		/* the four, each NUL-ended */
	size_t		 len;
	unsigned long	 count;
};

static struct htab	 groups;
static struct group	**all;
static size_t		 nall, allcap;

static void
count_in(const char *profile, const char *mode, const char *op,
    const char *object)
{
	const char *part[4] = { profile, mode, op, object };
	struct jw k = { 0 };
	struct group *g;
	int i;

	for (i = 0; i < 4; i++)
		jw_raw(&k, part[i], strlen(part[i]) + 1);
	if ((g = htab_sget(&groups, k.buf, k.len)) == NULL) {
		g = xcalloc(1, sizeof(*g));
		g->key = k.buf;
		g->len = k.len;
		htab_sput(&groups, g->key, g->len, g);
		all = xgrow(all, &allcap, nall + 1, sizeof(*all), 64);
		all[nall++] = g;
	} else
		free(k.buf);
	g->count++;
}

void
summary_event(const struct event *ev)
{
	static struct shown s;
	char mode[MODEMAX];

	describe(ev, &s, mode);
	count_in(s.profile, s.mode, s.op, s.object);
}

void
summary_lost(const struct lost *l)
{
	count_in("-", "LOST", l->reason, l->source);
}

/* Most first; then by the four, bytewise: any input order, one output. */
static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a;
	const struct group *y = *(struct group *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = memcmp(x->key, y->key, n)) != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* The four parts of a group's key. */
static void
parts(const struct group *g, const char *part[4])
{
	const char *p = g->key;
	int i;

	for (i = 0; i < 4; i++, p += strlen(p) + 1)
		part[i] = p;
}

static void
summary_json(void)
{
	static const char *const name[4] = { "profile", "mode", "operation",
	    "object" };
	struct jw w = { 0 };
	const char *part[4];
	size_t i;
	int j;

	for (i = 0; i < nall; i++) {
		parts(all[i], part);
		jw_begin(&w);
		jw_key_plain(&w, "count", 5);
		jw_int(&w, (long long)all[i]->count);
		for (j = 0; j < 4; j++) {
			jw_key_plain(&w, name[j], strlen(name[j]));
			jw_str(&w, part[j], strlen(part[j]));
		}
		jw_end(&w);
	}
	free(w.buf);
}

/* Columns as wide as their widest value (profile up to 40). */
static void
summary_table(void)
{
	static const char *const head[5] = { "count", "profile", "mode",
	    "operation", "object" };
	size_t width[5] = { 5, 7, 4, 9, 0 }, i, n;
	const char *part[4];
	char count[32];
	int j;

	for (i = 0; i < nall; i++) {
		parts(all[i], part);
		for (j = 0; j < 3; j++)
			if ((n = strlen(part[j])) > width[j + 1])
				width[j + 1] = n < 40 ? n : 40;
	}
	for (j = 0; j < 4; j++)
		put_col(head[j], width[j] + 1);
	put_text(head[4]);
	out_write("\n", 1);
	for (i = 0; i < nall; i++) {
		parts(all[i], part);
		n = (size_t)snprintf(count, sizeof(count), "%*lu  ",
		    (int)width[0], all[i]->count);
		out_write(count, n);
		for (j = 0; j < 3; j++)
			put_col(part[j], width[j + 1] + 1);
		put_text(part[3]);
		out_write("\n", 1);
	}
}

/* The groups, as JSON or a table; how many. */
size_t
summary_put(int text)
{
	size_t i, n = nall;

	if (nall > 1)
		qsort(all, nall, sizeof(*all), cmp_group);
	if (text)
		summary_table();
	else
		summary_json();
	for (i = 0; i < nall; i++) {
		free(all[i]->key);
		free(all[i]);
	}
	free(all);
	htab_free(&groups);
	all = NULL;
	nall = allcap = 0;
	return n;
}
