# Shared by every test file: where the tools and the reference corpus are.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BIN=${BIN:-$ROOT/bin}
CORPUS=$ROOT/../shared/corpus
DATA=$ROOT/t/data
export TZ=UTC

# Run a tool, under valgrind when VALGRIND=1 (make valgrind): any memory
# error or leak makes the tool exit 99, which no test accepts.
tool() {
	local name=$1
	shift
	if [ "${VALGRIND:-0}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite "$BIN/$name" "$@"
	else
		"$BIN/$name" "$@"
	fi
}

evtparse() { tool aa-evtparse "$@"; }

# Every line of a file is one JSON object.
assert_ndjson() {
	local file=$1 n
	n=$(wc -l < "$file")
	run jq -c 'select(type == "object")' "$file"
	assert_success
	[ "$(printf '%s\n' "$output" | grep -c .)" -eq "$n" ] ||
	    fail "$file: $n lines but not as many JSON objects"
}

merge() { tool bm-merge "$@"; }

# bm-merge is a semilattice on the values of file $1: for each seed, the
# values shuffled and cut in three, merged in any order and grouping, a
# model with values, and a model with itself, give the merge of all.
assert_semilattice() {
	local in=$1 seed n d=$BATS_TEST_TMPDIR/semilattice
	shift
	mkdir -p "$d"
	merge "$in" > "$d/all"
	for seed in "$@"; do
		shuf --random-source=<(yes "$seed") "$in" > "$d/s"
		n=$(wc -l < "$d/s")
		head -n $((n / 3)) "$d/s" | merge > "$d/a"
		sed -n "$((n / 3 + 1)),$((2 * n / 3))p" "$d/s" | merge > "$d/b"
		tail -n +$((2 * n / 3 + 1)) "$d/s" > "$d/c.in"
		merge "$d/c.in" > "$d/c"
		cat "$d/a" "$d/b" | merge > "$d/ab"
		cat "$d/b" "$d/a" | merge > "$d/ba"
		cmp "$d/ab" "$d/ba"
		cat "$d/ab" "$d/c" | merge > "$d/ab_c"
		cat "$d/b" "$d/c" | merge > "$d/bc"
		cat "$d/a" "$d/bc" | merge > "$d/a_bc"
		cmp "$d/ab_c" "$d/a_bc"
		cmp "$d/ab_c" "$d/all"
		# a model and values fold the same as the values alone
		cat "$d/ab" "$d/c.in" | merge > "$d/mixed"
		cmp "$d/mixed" "$d/all"
		cat "$d/a" "$d/a" | merge > "$d/aa"
		cmp "$d/aa" "$d/a"
		merge "$d/a" > "$d/a2"
		cmp "$d/a2" "$d/a"
	done
}

# One AppArmor event as aa-evtparse writes it; fields from jq arguments.
aa_event() {
	jq -cn --argjson extra "${2:-{\}}" --arg name "$1" \
	    '{event: "apparmor", apparmor: "ALLOWED", operation: "open",
	      profile: "web", name: $name, pid: 7, comm: "app",
	      requested_mask: "r", denied_mask: "r", fsuid: 1, ouid: 1} + $extra'
}

# The conventions of every tool: --help and --version on stdout, exit 0;
# each bad argument list (word-split) prints on stderr a line that names
# one of its words and says why, then the one usage line, and exits 2.
# Whether the line holds one of the words after it.
named() {
	local line=$1 word
	shift
	for word in "$@"; do
		[[ $line == *"$word"* ]] && return 0
	done
	return 1
}

assert_cli() {
	local name=$1 bad
	shift
	run --separate-stderr tool "$name" --help
	assert_success
	assert_line --index 0 --partial "usage: $name"
	[ -z "$stderr" ] || fail "--help wrote on stderr: $stderr"
	run --separate-stderr tool "$name" --version
	assert_success
	assert_output --regexp "^$name [0-9]+\\.[0-9]+\\.[0-9]+\$"
	for bad in "$@"; do
		run --separate-stderr tool "$name" $bad
		[ "$status" -eq 2 ] || fail "$bad: status $status"
		[ -z "$output" ] || fail "$bad: wrote $output"
		[ "$(grep -c . <<<"$stderr")" -eq 2 ] || fail "$bad: $stderr"
		[[ $(sed -n 1p <<<"$stderr") == "$name: "* ]] || fail "$bad: $stderr"
		[[ $(sed -n 2p <<<"$stderr") == "usage: $name"* ]] || fail "$bad: $stderr"
		[ -z "$bad" ] || named "$(sed -n 1p <<<"$stderr")" $bad ||
		    fail "$bad: not named in $stderr"
	done
}

profile() { tool bm-profile "$@"; }
diff_() { tool bm-diff "$@"; }

# apparmor_parser compiles the profile in $1 without loading it.
assert_compiles() {
	run apparmor_parser -Q -K "$1"
	[ "$status" -eq 0 ] || fail "$(cat "$1"; echo "$output")"
}

advise() { tool bm-advise "$@"; }

# A man page is lint-clean and names every long option of the tool's
# --help (as Fl) and each of the words given.
assert_man_page() {
	local page=$1 name=$2 opt word
	shift 2
	run mandoc -T lint -W warning "$page"
	assert_success
	assert_output ''
	for opt in $(tool "$name" --help | grep -o -- '--[a-z-]*' | sort -u); do
		grep -q -- "Fl ${opt#-}" "$page" || fail "$opt not in $page"
	done
	for word in "$@"; do
		grep -qw -- "$word" "$page" || fail "$word not in $page"
	done
}

# The kernel's seccomp records whose line matches the regex $1, once
# their count stops growing: from the kernel log (dmesg; needs root), or
# from audit.log where a system auditd takes the records instead.
seccomp_records() {
	local re=$1 n=-1 now i
	for i in $(seq 50); do
		if pgrep -x auditd >/dev/null; then
			grep -E "^type=SECCOMP .*$re" /var/log/audit/audit.log
		else
			dmesg | grep -E "type=1326 .*$re"
		fi > "$BATS_TEST_TMPDIR/records" || true
		now=$(wc -l < "$BATS_TEST_TMPDIR/records")
		[ "$now" -gt 0 ] && [ "$now" -eq "$n" ] && break
		n=$now
		sleep 0.2
	done
	[ "$now" -gt 0 ] && cat "$BATS_TEST_TMPDIR/records"
}
