/*
 * Join the records of one audit event.  An AppArmor or seccomp record
 * opens an event; SYSCALL, CWD and PROCTITLE records of the same serial
 * add who did it; EOE closes it.  Records that never get an EOE (a lone
 * AVC or SECCOMP, the usual case) close once the log has moved on by
 * LONE_MS of its own time, or when too many events are open, so memory
 * stays flat in a denial storm.  Events leave in the order they arrived.
 */
#include <stdlib.h>
#include <string.h>

#include "evtparse.h"
#include "hash.h"
#include "util.h"

#define LONE_MS		2000	/* log time an event waits for context */
/*
 * Once the log has closed an event of ours with an EOE, it is one that
 * writes them (auditd with syscall auditing): an event may then wait for
 * its SYSCALL and EOE, which the kernel writes when the syscall returns,
 * behind the records of other events (a blocked connect(2), an exec).
 */
#define EOE_MS		60000
#define MAX_OPEN	4096	/* events held open at most */
/*
 * One syscall writes a few records of one id; a log with thousands (a
 * crafted or corrupt one) must not join each to each: past these, an
 * AppArmor or seccomp record is an event of its own, and context joins
 * no more.  Memory and time stay linear in the records.
 */
#define MAX_JOINED	64	/* events of one id */
#define MAX_CONTEXT	8	/* context records joined to one event */

static struct htab	 open_by_key;	/* key -> first event of serial */
static struct event	*head, *tail;
static size_t		 nopen;
static struct event	*spare;		/* emitted events, buffers kept */
static long long	 log_now;	/* the newest log time, as last told */
static int		 eoe_seen;	/* the log ends our events with EOE */

static struct event *
event_new(void)
{
	struct event *ev = spare;
	char *text;
	struct efield *f;
	size_t cap, capf;

	if (ev == NULL)
		return xcalloc(1, sizeof(*ev));
	spare = ev->next;
	text = ev->text;
	cap = ev->cap;
	f = ev->f;
	capf = ev->capf;
	memset(ev, 0, sizeof(*ev));
	ev->text = text;
	ev->cap = cap;
	ev->f = f;
	ev->capf = capf;
	return ev;
}

uint64_t
record_key(const struct record *r)
{
	uint64_t t = (uint64_t)(r->sec * 1000 + r->ms);

	return hash_mix(hash_mix(r->serial) ^ t) ^
	    hash_bytes(r->node, r->nodelen, 0);
}

/* A key is a hash: the event found must be the record's own. */
static int
same_event(const struct event *ev, const struct record *r)
{
	return ev->serial == r->serial && ev->sec == r->sec &&
	    ev->ms == r->ms && ev->nodelen == r->nodelen &&
	    (r->nodelen == 0 ||
	    memcmp(ev->text + ev->node, r->node, r->nodelen) == 0);
}

static struct event *
open_event(const struct record *r)
{
	struct event *ev = htab_get(&open_by_key, record_key(r));

	return ev != NULL && same_event(ev, r) ? ev : NULL;
}

static uint32_t
keep(struct event *ev, const char *s, size_t n)
{
	uint32_t off = (uint32_t)ev->len;

	if (n == 0)
		return off;
	if (ev->len + n > ev->cap) {
		while (ev->len + n > ev->cap)
			ev->cap = ev->cap ? ev->cap * 2 : 512;
		ev->text = xrealloc(ev->text, ev->cap);
	}
	memcpy(ev->text + ev->len, s, n);
	ev->len += n;
	return off;
}

/*
 * Fields of a record (those in set, or all).  kv_parse leaves them in
 * line order, so their text is one span of the line: one copy.
 */
static void
keep_fields(struct event *ev, const struct kvs *fs, struct nameset *set)
{
	const char *lo, *hi;
	struct efield *e;
	uint32_t base;
	size_t i;

	if (fs->n == 0)
		return;
	lo = fs->v[0].key;
	hi = fs->v[fs->n - 1].val + fs->v[fs->n - 1].vlen;
	base = keep(ev, lo, (size_t)(hi - lo));
	if (ev->nf + fs->n > ev->capf) {
		ev->capf = ev->nf + fs->n;
		ev->f = xrealloc(ev->f, ev->capf * sizeof(*ev->f));
	}
	for (i = 0; i < fs->n; i++) {
		if (set != NULL && !in_set(set, fs->v[i].key, fs->v[i].klen))
			continue;
		e = &ev->f[ev->nf++];
		e->k = base + (uint32_t)(fs->v[i].key - lo);
		e->kl = fs->v[i].klen;
		e->v = base + (uint32_t)(fs->v[i].val - lo);
		e->vl = fs->v[i].vlen;
		e->flags = fs->v[i].flags;
	}
}

static void
enqueue(struct event *ev)
{
	if (tail != NULL)
		tail->next = ev;
	else
		head = ev;
	tail = ev;
	nopen++;
}

int
events_add(const struct record *r, int kind, const char *mode,
    size_t modelen, const struct kvs *fs)
{
	struct event *ev = event_new(), *first;

	ev->kind = kind;
	ev->seq = carry_seq();		/* its first line's, if carried */
	ev->has_id = r->has_id;
	ev->sec = r->sec;
	ev->ms = r->ms;
	ev->serial = r->serial;
	/* an event read late (its id older than the log) waits from now */
	ev->arrived_ms = r->sec * 1000 + r->ms > log_now ?
	    r->sec * 1000 + r->ms : log_now;
	ev->nodelen = (uint32_t)r->nodelen;
	ev->node = keep(ev, r->node, r->nodelen);
	ev->modelen = (uint32_t)modelen;
	ev->mode = keep(ev, mode, modelen);
	keep_fields(ev, fs, NULL);
	enqueue(ev);
	if (!r->has_id) {
		ev->done = 1;
		return 0;
	}
	ev->key = record_key(r);
	if ((first = htab_get(&open_by_key, ev->key)) == NULL) {
		htab_put(&open_by_key, ev->key, ev);
		return 0;
	}
	/* another event's key, or too many of this one: stay lone */
	if (!same_event(first, r) || first->njoined >= MAX_JOINED) {
		ev->done = 1;
		return same_event(first, r) && first->njoined++ == MAX_JOINED;
	}
	first->njoined++;
	while (first->sibling != NULL)
		first = first->sibling;
	first->sibling = ev;
	return 0;
}

/* Fields of SYSCALL, CWD and PROCTITLE that say who acted. */
static const struct name context_names[] = {
	NAME("ppid"), NAME("uid"), NAME("gid"), NAME("euid"), NAME("suid"),
	NAME("fsuid"), NAME("egid"), NAME("sgid"), NAME("fsgid"),
	NAME("auid"), NAME("ses"), NAME("tty"), NAME("exe"), NAME("subj"),
	NAME("syscall"), NAME("arch"), NAME("success"), NAME("exit"),
	NAME("key"), NAME("cwd"), NAME("proctitle"), NAME("AUID"),
	NAME("UID"), NAME("GID"), NAME("EUID"), NAME("SUID"), NAME("FSUID"),
	NAME("EGID"), NAME("SGID"), NAME("FSGID"), { NULL, 0 }
};
static struct nameset context_keys = { context_names, { 0 } };

struct event *
events_waiting(const struct record *r)
{
	return nopen > 0 && r->has_id ? open_event(r) : NULL;
}

int
events_context(struct event *ev, const struct kvs *fs)
{
	int cut = 0;

	for (; ev != NULL; ev = ev->sibling) {
		if (ev->ncontext >= MAX_CONTEXT) {
			cut |= ev->ncontext++ == MAX_CONTEXT;
			continue;
		}
		ev->ncontext++;
		keep_fields(ev, fs, &context_keys);
	}
	return cut;
}

void
events_end(struct event *ev)
{
	for (; ev != NULL; ev = ev->sibling)
		ev->done = eoe_seen = 1;
}

/* An event will get no more records by now_ms. */
static int
waited(const struct event *ev, long long now_ms)
{
	return ev->arrived_ms + (eoe_seen ? EOE_MS : LONE_MS) <= now_ms;
}

/* Out with ev, which follows prev in the queue (NULL: ev is the head). */
static void
unqueue(struct event *prev, struct event *ev)
{
	if (prev == NULL)
		head = ev->next;
	else
		prev->next = ev->next;
	if (tail == ev)
		tail = prev;
	nopen--;
	if (ev->has_id && htab_get(&open_by_key, ev->key) == ev) {
		if (ev->sibling != NULL) {	/* the bound is the id's */
			ev->sibling->njoined = ev->njoined;
			htab_put(&open_by_key, ev->key, ev->sibling);
		} else
			htab_del(&open_by_key, ev->key);
	}
	if (event_passes(ev))
		emit_event(ev);
	ev->next = spare;
	spare = ev;
	if (carrying)
		carry_drop_before(head != NULL ? head->seq : carry_seq());
}

static void
pop(void)
{
	unqueue(NULL, head);
}

void
events_pump(long long now_ms)
{
	log_now = now_ms;
	while (head != NULL && (head->done || nopen > MAX_OPEN ||
	    waited(head, now_ms)))
		pop();
}

/*
 * What is complete by now_ms goes out, also from behind an event still
 * open: at the end of a run with a checkpoint the open ones stay queued,
 * their lines carried to the next run, and nothing else may wait.
 */
void
events_settle(long long now_ms)
{
	struct event *prev = NULL, *ev, *next;

	for (ev = head; ev != NULL; ev = next) {
		next = ev->next;
		if (ev->done || waited(ev, now_ms))
			unqueue(prev, ev);
		else
			prev = ev;
	}
}

int
events_queued(uint64_t key)
{
	return htab_get(&open_by_key, key) != NULL;
}

/* Everything out, or with discard set, dropped unwritten (carried). */
void
events_flush_or_drop(int discard)
{
	struct event *ev;

	while (!discard && head != NULL)
		pop();
	for (; head != NULL; head = ev) {
		ev = head->next;
		free(head->text);
		free(head->f);
		free(head);
	}
	tail = NULL;
	nopen = 0;
	htab_free(&open_by_key);
	while ((ev = spare) != NULL) {
		spare = ev->next;
		free(ev->text);
		free(ev->f);
		free(ev);
	}
}

void
events_flush(void)
{
	events_flush_or_drop(0);
}
