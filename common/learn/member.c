/*
 * The members of an event that learning reads, each in its slot: read
 * from the line without a tree when it is an event's usual one line
 * (jsonflat.c), else from cJSON's tree, to the same typed values; a
 * member of the wrong type is reported, not guessed.
 */
#include <math.h>
#include <string.h>

#include "bytes.h"
#include "learn.h"
#include "util.h"

/* By enum member; the last, a model's, are had only from a tree. */
static const char *const names[NMEMBERS] = {
	"action", "addr", "apparmor", "arch", "bus", "capname", "class",
	"comm", "count", "data", "denied", "denied_mask", "event", "exe",
	"faddr", "family", "flags", "fport", "fstype", "fsuid", "interface",
	"label", "laddr", "lport", "mask", "member", "method", "name",
	"new_root", "operation", "options", "ouid", "path", "peer",
	"peer_addr", "peer_label", "peer_profile", "pid", "profile",
	"protocol", "put_old", "requested", "requested_mask", "serial", "ses",
	"signal", "sock_type", "source", "srcname", "subj", "syscall",
	"syscall_nr", "target", "tcontext", "time",
	"apiVersion", "kind"
};

/* names by a hash of length and ends: a slot in a few instructions */
#define NBUCKETS	256
static signed char	bucket[NBUCKETS];
static size_t		namelen[NMEMBERS];
static uint64_t		nameword[NMEMBERS][2];	/* the name, 0-padded */
static int		filled;

static unsigned
bucket_of(const char *k, size_t n)
{
	return (unsigned)(n * 37 + (unsigned char)k[0] * 11 +
	    (unsigned char)k[n - 1] * 3 + (unsigned char)k[n / 2]) %
	    NBUCKETS;
}

static void
fill_buckets(void)
{
	unsigned b;
	int i;

	memset(bucket, -1, sizeof(bucket));
	for (i = 0; i < NMEMBERS; i++) {
		namelen[i] = strlen(names[i]);
		memcpy(nameword[i], names[i], namelen[i]);	/* < 16 */
		b = bucket_of(names[i], namelen[i]);
		while (bucket[b] >= 0)
			b = (b + 1) % NBUCKETS;
		bucket[b] = (signed char)i;
	}
}

/* The first n bytes of 8 (n below 8) as a word, the rest 0. */
static uint64_t
low(uint64_t w, size_t n)
{
	return n >= 8 ? w : w & ((1ULL << (8 * n)) - 1);
}

/*
 * A key's slot.  With 16 bytes to read at k (a line's key has its
 * value after it), compared as two words: a name is shorter than 16.
 */
static int
member_slot(const char *k, size_t n, size_t avail)
{
	uint64_t w0, w1;
	unsigned b;
	int i;

	if (n == 0 || n >= 16)
		return -1;
	b = bucket_of(k, n);
	if (avail >= 16) {
		w0 = low(bytes_load(k), n);
		w1 = n > 8 ? low(bytes_load(k + 8), n - 8) : 0;
		for (; (i = bucket[b]) >= 0; b = (b + 1) % NBUCKETS)
			if (nameword[i][0] == w0 && nameword[i][1] == w1 &&
			    namelen[i] == n)
				return i;
		return -1;
	}
	for (; (i = bucket[b]) >= 0; b = (b + 1) % NBUCKETS)
		if (namelen[i] == n && memcmp(names[i], k, n) == 0)
			return i;
	return -1;
}

void
event_init(struct event *ev)
{
	if (!filled)
		fill_buckets();
	filled = 1;
	jf_init(&ev->m, NMEMBERS, M_APIVERSION, member_slot);
	ev->tree = NULL;
}

/* An object's members from cJSON's tree, typed as jsonflat.c types them. */
void
event_from_tree(struct event *ev, cJSON *v)
{
	struct jf_val m;
	cJSON *c;
	int slot;

	ev->tree = v;		/* the members: all absent, as jf_parse left them */
	cJSON_ArrayForEach(c, v) {
		if (c->string == NULL || (slot = member_slot(c->string,
		    strlen(c->string), 0)) < 0)
			continue;
		memset(&m, 0, sizeof(m));
		m.tree = c;
		if (cJSON_IsString(c)) {
			m.type = JF_STRING;
			m.s = c->valuestring;
		} else if (cJSON_IsNumber(c)) {
			m.type = JF_NUMBER;
			m.num = c->valuedouble;
		} else if (cJSON_IsNull(c))
			m.type = JF_NULL;
		else if (cJSON_IsTrue(c))
			m.type = JF_TRUE;
		else if (cJSON_IsFalse(c))
			m.type = JF_FALSE;
		else
			m.type = JF_TREE;
		jf_set(&ev->m, slot, &m);
	}
}

void
event_free(struct event *ev)
{
	jf_free(&ev->m);
}

const struct jf_val *
event_member(const struct event *ev, enum member m)
{
	const struct jf_val *v = &ev->m.val[m];

	return v->type == JF_ABSENT ? NULL : v;
}

const char *
get_str(const struct event *ev, enum member m, const struct src *src,
    int *bad)
{
	const struct jf_val *v = &ev->m.val[m];

	if (v->type == JF_STRING)
		return v->s;
	if (v->type == JF_ABSENT || v->type == JF_NULL)
		return NULL;
	if (!*bad)
		bad_input(src->file, src->line,
		    "field \"%s\": expected a string", names[m]);
	*bad = 1;
	return NULL;
}

/* 1 with *n set, 0 when absent. */
int
get_num(const struct event *ev, enum member m, long long *n,
    const struct src *src, int *bad)
{
	const struct jf_val *v = &ev->m.val[m];

	if (v->type == JF_ABSENT || v->type == JF_NULL)
		return 0;
	if (v->type == JF_NUMBER && v->num == floor(v->num) &&
	    fabs(v->num) < 9.2e18) {
		*n = (long long)v->num;
		return 1;
	}
	if (!*bad)
		bad_input(src->file, src->line,
		    "field \"%s\": expected a whole number", names[m]);
	*bad = 1;
	return 0;
}
