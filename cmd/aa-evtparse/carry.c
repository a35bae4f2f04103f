/*
 * With --checkpoint, an event still open when the run ends (its EOE or
 * context not yet written, and not timed out) must not be cut: its lines
 * are carried in the checkpoint to the next run, which reads them first
 * and writes the event whole.  Here are the lines of the events not yet
 * written, in arrival order, each with its event's key and a sequence
 * number; the lines before the oldest queued event are let go.
 */
#include <stdlib.h>
#include <string.h>

#include "evtparse.h"
#include "util.h"

struct cline {
	uint64_t		 key;
	unsigned long long	 seq;
	size_t			 at, len;	/* in text */
};

int			 carrying;
static struct cline	*lines;
static size_t		 nlines, cap, first;	/* lines[first..nlines) live */
static char		*text;			/* their bytes, in order */
static size_t		 tlen, tcap;
static unsigned long long next_seq;

unsigned long long
carry_seq(void)
{
	return next_seq;
}

/* Slide the live lines and their bytes down over those let go. */
static void
compact(void)
{
	size_t base = first < nlines ? lines[first].at : tlen, i;

	if (first == 0)
		return;		/* nothing let go */
	memmove(text, text + base, tlen - base);
	tlen -= base;
	memmove(lines, lines + first, (nlines - first) * sizeof(*lines));
	nlines -= first;
	first = 0;
	for (i = 0; i < nlines; i++)
		lines[i].at -= base;
}

void
carry_keep(uint64_t key, const char *line, size_t len)
{
	struct cline *c;

	/*
	 * Full: first let go of the lines of events written; grow only if
	 * what is live still fills half, so that memory follows the events
	 * open, not the log, and each byte is slid a bounded number of times.
	 */
	if (nlines == cap || tlen + len > tcap) {
		compact();
		if (nlines >= cap / 2) {
			cap = cap ? 2 * cap : 256;
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		while (tlen + len > tcap / 2) {
			tcap = tcap ? 2 * tcap : 65536;
			text = xrealloc(text, tcap);
		}
	}
	c = &lines[nlines++];
	c->key = key;
	c->seq = next_seq++;
	c->at = tlen;
	c->len = len;
	memcpy(text + tlen, line, len);
	tlen += len;
}

/* The lines before seq belong to events already written. */
void
carry_drop_before(unsigned long long seq)
{
	while (first < nlines && lines[first].seq < seq)
		first++;
	if (first == nlines)
		first = nlines = tlen = 0;	/* nothing live: start over */
}

/* Whether the line is one of those kept for the event key. */
int
carry_has(uint64_t key, const char *line, size_t len)
{
	size_t i;

	for (i = first; i < nlines; i++)
		if (lines[i].key == key && lines[i].len == len &&
		    memcmp(text + lines[i].at, line, len) == 0)
			return 1;
	return 0;
}

/* fn for each line of an event whose key open() says is still queued. */
void
carry_each(int (*open)(uint64_t), void (*fn)(const char *, size_t, void *),
    void *arg)
{
	size_t i;

	for (i = first; i < nlines; i++)
		if (open(lines[i].key))
			fn(text + lines[i].at, lines[i].len, arg);
}

void
carry_free(void)
{
	free(lines);
	free(text);
	lines = NULL;
	text = NULL;
	nlines = cap = first = tlen = tcap = 0;
}
