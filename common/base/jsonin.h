/*
 * JSON values from a file or stdin, one per line (NDJSON) or spread over
 * several lines (a pretty-printed model, as kubectl and jq write them).
 * A value that does not parse is reported with its file and first line,
 * skipped and counted (bad_input); the lines after its first are read
 * again, so one broken value never hides the good ones behind it.
 *
 * A value is the reader's: it lives in an arena until the next ji_next
 * or ji_close (of any reader), so parsing costs no malloc or free per
 * node.  Keep one longer with cJSON_Duplicate.
 */
#ifndef BM_JSONIN_H
#define BM_JSONIN_H

#include <cjson/cJSON.h>

#include "lineio.h"

struct jsonin {
	struct lines	 lr;
	char		*text;		/* a value's lines so far */
	size_t		 len, cap;
	unsigned long	 first;		/* its first line; 0: none pending */
	int		 again;		/* that line was one read again */
	int		 depth;		/* open braces and brackets in text */
	int		 in_str, esc;	/* scanner state inside a string */
	struct rline	*replay;	/* lines to read again, in order */
	int		 replayed;	/* the last line came from there */
	size_t		 nreplay, replay_at, replay_cap;
	size_t		*starts;	/* offset of each pending line in text */
	size_t		 nstarts, starts_cap;
};

/* A whole model may be one long line: up to JSON_MAX_BYTES. */
#define JSON_MAX_BYTES	(1024u << 20)

int	ji_open(struct jsonin *, const char *path);	/* -1 with errno */
/* The next value and its first line; 0 at the end. */
int	ji_next(struct jsonin *, cJSON **, unsigned long *line);
void	ji_close(struct jsonin *);
/*
 * A file of exactly one JSON value, as a copy of one's own: anything
 * else ends the tool (exit 2), saying the file should hold one WHAT.
 */
cJSON	*ji_read_one(const char *path, const char *what, const char *hint);

/*
 * jsonflat.c: a one-line object of strings, numbers, true, false and
 * null (an event), read to typed values without a tree; any other
 * value is left to cJSON.  slot(key, len, avail: bytes that may be read
 * from key on) names the member's place in val[],
 * or -1 when it is not read; a key whose slot is nflat or more wants
 * the tree (a model's kind).  Strings point into the line, which they
 * change.  Of a name given twice, the first counts, as in cJSON.
 */
enum jf_type { JF_ABSENT, JF_NULL, JF_FALSE, JF_TRUE, JF_NUMBER, JF_STRING,
	JF_TREE };
struct jf_val {
	enum jf_type	 type;
	const char	*s;		/* JF_STRING */
	double		 num;		/* JF_NUMBER */
	cJSON		*tree;		/* read from a tree: its node */
};
struct jf_span;
struct jflat {
	int		(*slot)(const char *key, size_t len, size_t avail);
	int		 nflat;
	struct jf_val	*val;		/* by slot */
	int		*set, nset;	/* the slots set */
	struct jf_span	*spans;
};
void	jf_init(struct jflat *, int nslots, int nflat,
	    int (*slot)(const char *, size_t, size_t));
int	jf_parse(struct jflat *, char *line, size_t len);	/* 0: not flat */
int	jf_set(struct jflat *, int slot, const struct jf_val *);
void	jf_clear(struct jflat *);	/* every slot absent again */
void	jf_free(struct jflat *);

/* ji_next, each line first offered to f: *val is NULL when f took it. */
int	ji_next_flat(struct jsonin *, struct jflat *f, cJSON **val,
	    unsigned long *line);

#endif
