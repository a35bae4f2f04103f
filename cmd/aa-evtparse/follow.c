/*
 * -f: like tail -F.  Poll the files for more lines; when a path names a
 * new file (rotation), finish the old one and start the new one from its
 * first line; when it shrank (copytruncate), start again at its top.
 * Events still waiting for context go out once the input is idle.
 */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "evtparse.h"
#include "out.h"

#define POLL_NS		200000000L	/* 0.2 s */
#define IDLE_POLLS	5		/* settle open events after 1 s idle */

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
reopen_if_rotated(struct input *in)
{
	struct input fresh;
	struct stat st;

	if (strcmp(in->path, "-") == 0 || stat(in->path, &st) < 0)
		return;
	if (st.st_dev == in->dev && st.st_ino == in->ino) {
		if (st.st_size < in->lr.offset)
			lr_seek(&in->lr, 0);
		return;
	}
	lr_rewind_eof(&in->lr);
	read_lines(in);
	if (!input_open(&fresh, in->path))
		return;
	lr_close(&in->lr);
	fresh.lr.hold_partial = 1;
	*in = fresh;
}

void
follow(struct input *in, size_t n)
{
	struct timespec poll = { 0, POLL_NS };
	struct sigaction sa;
	unsigned long before;
	int idle = 0;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (!stopping) {
		before = stats.lines;
		for (i = 0; i < n && !stopping; i++) {
			lr_rewind_eof(&in[i].lr);
			read_lines(&in[i]);
			reopen_if_rotated(&in[i]);
		}
		if (stats.lines != before)
			idle = 0;
		else if (++idle >= IDLE_POLLS)	/* what the kernel finished */
			events_settle(settle_time());
		out_flush();
		if (stats.lines == before)
			nanosleep(&poll, NULL);
	}
}
