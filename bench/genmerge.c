/*
 * genmerge: write an auditd log (raw format) of N lone AppArmor AVC
 * records over D distinct file paths on stdout, for benchmarking
 * bm-merge (after aa-evtparse) and AppArmor's own log parser.
 *
 *	genmerge N D [PROFILE]	N "open" denials by PROFILE (default
 *				/usr/bin/app) of D distinct paths
 *
 * Path i is /srv/data/dA/sB/fC.txt (A = i / 1000, B = i / 100 % 10,
 * C = i % 100): short numbers split over components, so no component
 * looks random and none is generalised away.  The first D records name
 * every path once, in a scattered order; the rest pick one at random.
 * Each path always comes with the same mask (r, w or rw) and owner
 * (fsuid == ouid, or ouid 0), so a path is one file entry whatever a
 * merger keys files by.  1000 records per second of log time, a few
 * pids.  The output is the same on every run.  "events N distinct D"
 * goes to stderr.
 */
#include <err.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: deterministic, good enough to scatter paths */
static uint64_t
rnd64(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 0x2545f4914f6cdd1dULL;
}

static uint64_t
num(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v == 0)
		errx(2, "%s: not a positive number: %s", what, s);
	return v;
}

int
main(int argc, char *argv[])
{
	static const char *const masks[] = { "r", "r", "w", "rw" };
	static const uint64_t strides[] = { 7919, 104729, 1299709, 15485863 };
	const char *profile = "/usr/bin/app";
	uint64_t n, d, k, i, stride = 0;
	size_t s;

	if (argc < 3 || argc > 4)
		errx(2, "usage: genmerge N D [PROFILE]");
	n = num(argv[1], "N");
	d = num(argv[2], "D");
	if (argc == 4)
		profile = argv[3];
	if (d > n)
		errx(2, "D (%" PRIu64 ") is more than N (%" PRIu64 ")", d, n);
	/* a prime that does not divide D: k * stride % D visits every path */
	for (s = 0; s < sizeof(strides) / sizeof(strides[0]); s++)
		if (d % strides[s] != 0) {
			stride = strides[s];
			break;
		}
	if (stride == 0)
		errx(2, "D (%" PRIu64 ") too awkward", d);

	for (k = 0; k < n; k++) {
		uint64_t ms = 123 + k, pid = 1234 + rnd64() % 8;
		int ouid;

		i = k < d ? k * stride % d : rnd64() % d;
		ouid = i % 7 == 3 ? 0 : 1000;
		if (printf("type=AVC msg=audit(%" PRIu64 ".%03" PRIu64 ":%" PRIu64
		    "): apparmor=\"ALLOWED\" operation=\"open\" profile=\"%s\""
		    " name=\"/srv/data/d%" PRIu64 "/s%" PRIu64 "/f%" PRIu64
		    ".txt\" pid=%" PRIu64 " comm=\"app\" requested_mask=\"%s\""
		    " denied_mask=\"%s\" fsuid=1000 ouid=%d\n",
		    1700000000 + ms / 1000, ms % 1000, 42 + k, profile,
		    i / 1000, i / 100 % 10, i % 100, pid, masks[i % 4],
		    masks[i % 4], ouid) < 0)
			err(1, "stdout");
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	fprintf(stderr, "events %" PRIu64 " distinct %" PRIu64 "\n", n, d);
	return 0;
}
