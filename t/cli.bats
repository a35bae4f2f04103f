#!/usr/bin/env bats
# Command-line conventions shared by every tool, and aa-evtparse's filters.

load helpers

@test "aa-evtparse: --help, --version, and one usage line for bad options" {
	assert_cli aa-evtparse --bogus '--event selinux' '--since sometime' '--mode ,'
}

@test "-o writes the events to a file" {
	run evtparse -o "$BATS_TEST_TMPDIR/out" "$DATA/sample.log"
	assert_success
	assert_output ''
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -eq 8 ]
	run diff "$BATS_TEST_TMPDIR/out" <(evtparse "$DATA/sample.log")
	assert_success
}

@test "--event and --mode choose events" {
	run jq -r .serial <(evtparse --event seccomp "$DATA/sample.log")
	assert_output 131
	run jq -r .serial <(evtparse --mode allowed,STATUS "$DATA/sample.log")
	assert_output '102
118'
	run jq -r .serial <(evtparse --mode denied,log "$DATA/sample.log")
	assert_output '115
121
125
131
140
141'
}

@test "--profile takes the profile and its children, not its namesakes" {
	printf '%s\n' \
	    'type=AVC msg=audit(1.000:1): apparmor="DENIED" operation="open" profile="web" name="/a" pid=1' \
	    'type=AVC msg=audit(1.000:2): apparmor="DENIED" operation="open" profile="web//null-/bin/sh" name="/a" pid=1' \
	    'type=AVC msg=audit(1.000:3): apparmor="DENIED" operation="open" profile="webby" name="/a" pid=1' \
	    'type=AVC msg=audit(1.000:4): apparmor="DENIED" operation="open" profile=77656220 name="/a" pid=1' \
	    'type=SECCOMP msg=audit(1.000:5): pid=1 subj=web (enforce) arch=c000003e syscall=1 code=0x7ffc0000' \
	    'type=SECCOMP msg=audit(1.000:6): pid=1 subj=unconfined arch=c000003e syscall=1 code=0x7ffc0000' > "$BATS_TEST_TMPDIR/log"
	run jq -r .serial <(evtparse --profile web "$BATS_TEST_TMPDIR/log")
	assert_output '1
2
5'
}

@test "--since and --until take epoch seconds or ISO 8601 dates" {
	run jq -r .serial <(evtparse --since 1795430006 --until 1795430010.100 "$DATA/sample.log")
	assert_output '118
121
125
131'
	run jq -r .serial <(evtparse --since 2026-11-23T10:33:30Z "$DATA/sample.log")
	assert_output '140
141'
}

@test "--since and --until take times as people type them, against a fixed clock and zone" {
	command -v faketime >/dev/null || skip "faketime missing (scripts/deps.sh installs it)"
	local log=$BATS_TEST_TMPDIR/every10m.log t form want
	# an event every 10 minutes, at :05, :15, ..., from 2026-11-21 00:05
	# to 2026-11-23 11:55 UTC, named by its UTC time
	for t in $(seq 1795219500 600 1795434900); do
		printf 'type=AVC msg=audit(%s.000:%s): apparmor="DENIED" operation="open" profile="p" name="/%s" pid=1 comm="c"\n' \
		    "$t" "$((t / 600))" "$(date -u -d "@$t" +%d.%H:%M)"
	done > "$log"
	# the clock at 2026-11-23 12:00 UTC, 07:00 in New York (EST, -5);
	# faketime is preloaded, before an AddressSanitizer build's runtime
	first() {
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		    TZ=America/New_York faketime '2026-11-23 12:00:00 UTC' \
		    "$BIN/aa-evtparse" "$@" "$log" | jq -r .name | head -n 1
	}
	while IFS='|' read -r form want; do
		run first --since "$form"
		assert_output "$want" || fail "--since '$form': $output, not $want"
	done <<-'EOF2'
	-2h|/23.10:05
	-30m|/23.11:35
	-1h30m|/23.10:35
	-2d|/21.12:05
	1 hour ago|/23.11:05
	2 days ago|/21.12:05
	90 minutes ago|/23.10:35
	recent|/23.11:55
	today|/23.05:05
	yesterday|/22.05:05
	@1795420800|/23.08:05
	@1795420800.5|/23.08:05
	2026-11-23 01:00|/23.06:05
	2026-11-23 01:00:00|/23.06:05
	2026-11-23T01:00|/23.06:05
	2026-11-23|/23.05:05
	EOF2
	run first --until now
	assert_output /21.00:05
	run first --since now
	assert_output --partial 'no event passed the filters: 360 filtered out'
	for form in '@' '@2026-11-23' '-' '-h' '1 fortnight ago' ' ago' 'tomorrow' \
	    '-0h' '2026-11-23 25:00'; do
		run evtparse --since "$form" "$log"
		assert_failure 2
		assert_output --partial "--since $form: not a time"
	done
}

@test "--pid, --uid, --comm and --exe choose events by the whole event, as jq would" {
	local f opt jqsel n=0
	for f in "$DATA"/sample.log "$DATA"/formats/*.log "$DATA"/children/*.log; do
		while IFS='|' read -r opt jqsel; do
			# shellcheck disable=SC2086
			run diff <(evtparse $opt "$f" 2>/dev/null | jq -c .) \
			    <(evtparse "$f" 2>/dev/null | jq -c "select($jqsel)")
			assert_success || fail "$f $opt"
			n=$((n + $(evtparse $opt "$f" 2>/dev/null | wc -l)))
		done <<-'EOF2'
		--pid 1301,1|.pid == 1301 or .pid == 1
		--uid 33|(.uid // .fsuid) == 33
		--uid 0,1000|(.uid // .fsuid) == 0 or (.uid // .fsuid) == 1000
		--comm nginx,sh|.comm == "nginx" or .comm == "sh"
		--exe /usr/sbin/nginx|.exe == "/usr/sbin/nginx"
		--comm nginx --uid 33|.comm == "nginx" and (.uid // .fsuid) == 33
		EOF2
	done
	[ "$n" -gt 30 ] || fail "only $n events chosen in all"
	# none chosen: said, exit 1; a number as no log writes one: usage
	run evtparse --exe /nope "$DATA/sample.log"
	assert_failure 1
	assert_output --partial 'no event passed the filters: 8 filtered out by --event, --mode, --since, --until, --pid, --uid, --comm or --exe'
	run evtparse --pid 01 "$DATA/sample.log"
	assert_failure 2
}

# The summary's groups as jq makes them from the events.
JQ_GROUPS='def s: if . == null then "-" else tostring end;
  [.[] | if .event == "lost" then ["-", "LOST", .reason, .source]
    elif .event == "seccomp" then [(.profile // .subj | s), (.action | s),
      "syscall", (.syscall | s)]
    else [(.profile // .label // .subj | s), .apparmor, (.operation | s),
      (.name // .capname // .peer // .addr // .path // .family | s)] end]
  | group_by(.) | map({count: length, profile: .[0][0], mode: .[0][1],
      operation: .[0][2], object: .[0][3]})
  | sort_by(-.count, .profile, .mode, .operation, .object) | .[] | tojson'

@test "--summary counts events by profile, mode, operation and object, as jq counts them" {
	local f n=0
	for f in "$DATA"/sample.log "$DATA"/formats/*.log "$DATA"/lost/*.log \
	    "$DATA"/children/*.log "$CORPUS"/apparmor-test_multi/*.in; do
		run diff <(evtparse --summary "$f" 2>/dev/null | jq -c .) \
		    <(evtparse "$f" 2>/dev/null | jq -rs "$JQ_GROUPS" | jq -c .)
		assert_success || fail "$f"
		n=$((n + 1))
	done
	# all at once: groups across files, most first
	run diff <(evtparse --summary "$DATA"/formats/*.log | jq -c .) \
	    <(evtparse "$DATA"/formats/*.log | jq -rs "$JQ_GROUPS" | jq -c .)
	assert_success
	run bash -c "'$BIN/aa-evtparse' --summary '$DATA'/formats/*.log | head -n 1 | jq -c '[.count, .object]'"
	assert_output "[$(grep -l site.key "$DATA"/formats/*.log | wc -l),\"/etc/ssl/private/site.key\"]"
	[ "$n" -gt 100 ]
	# the table: a header, then the same counts, aligned
	run evtparse --summary --format text "$DATA/sample.log"
	assert_success
	assert_line --index 0 --regexp '^count  profile +mode +operation +object$'
	assert_line --index 1 --regexp '^    1  unconfined +STATUS +profile_load +web-nginx$'
	[ "${#lines[@]}" -eq 9 ]
	run evtparse --summary -f "$DATA/sample.log"
	assert_failure 2
}

@test "--format text: one line per event in local time; a crafted value cannot move the cursor or add a line" {
	local f=$BATS_TEST_TMPDIR/crafted.log
	run env TZ=Asia/Tokyo "$BIN/aa-evtparse" --format text "$DATA/sample.log"
	assert_success
	[ "${#lines[@]}" -eq 8 ]
	assert_line --index 1 '2026-11-23 19:33:25.731  DENIED   web-nginx            open           nginx[1301]      /etc/ssl/private/site.key'
	assert_line --index 5 --regexp '^2026-11-23 19:33:29\.512  log      web-nginx \(enforce\)  syscall        nginx\[1301\] +mount$'
	# a name with a newline and an escape, hex-encoded as the kernel writes it
	printf 'type=AVC msg=audit(1795430001.000:1): apparmor="DENIED" operation="open" profile="p" name=%s pid=1 comm="c"\n' \
	    "$(printf '/a\nb\033[2J\\\xff\xc2\x9b' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" > "$f"
	run evtparse --format text "$f"
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial '/a\x0ab\x1b[2J\\\xff\xc2\x9b'
}

@test "--stats counts on stderr" {
	run --separate-stderr evtparse --stats --event apparmor "$DATA/sample.log"
	assert_success
	[ "$stderr" = "aa-evtparse: 17 lines, 17 audit records, 7 apparmor events, 0 seccomp events, 1 filtered out, 0 loss reports, 0 by untrusted programs, 0 malformed" ]
}

@test "files in a different order give the same events" {
	local a=$DATA/formats/auditd.log b=$DATA/sample.log
	run diff <(evtparse "$a" "$b" | sort) <(evtparse "$b" "$a" | sort)
	assert_success
	run diff <(evtparse "$b") <(evtparse "$b")
	assert_success
}

@test "files in any order are read oldest first, by their first records; with stdin, as given" {
	local d=$BATS_TEST_TMPDIR/logs
	mkdir -p "$d"
	head -n 10 "$DATA/sample.log" > "$d/audit.log.2"	# whole events
	sed -n '11,13p' "$DATA/sample.log" | gzip > "$d/audit.log.1.gz"
	sed -n '14,$p' "$DATA/sample.log" > "$d/audit.log"
	touch "$d/audit.log.2"			# mtimes say nothing
	run diff <(evtparse "$d"/audit.log*) <(evtparse "$DATA/sample.log")
	assert_success
	# the standard input cannot be looked into first: as given
	run bash -c "'$BIN/aa-evtparse' '$d/audit.log' - < '$d/audit.log.2' | jq -r .serial | head -n 1"
	assert_output "$(evtparse "$d/audit.log" | jq -r .serial | head -n 1)"
}

@test "-f follows a growing, rotated log like tail -F" {
	local log=$BATS_TEST_TMPDIR/audit.log out=$BATS_TEST_TMPDIR/out
	: > "$log"
	"$BIN/aa-evtparse" -f "$log" > "$out" &
	local pid=$!
	line='type=AVC msg=audit(1795430001.000:%d): apparmor="DENIED" operation="open" profile="p" name="/x" pid=1'
	# wait until it has the file open
	for _ in $(seq 100); do
		ls -l /proc/$pid/fd 2>/dev/null | grep -q "$log" && break
		sleep 0.1
	done
	printf "$line\n" 1 >> "$log"
	printf "$line\n" 2 >> "$log"
	for _ in $(seq 50); do [ "$(wc -l < "$out")" -ge 2 ] && break; sleep 0.1; done
	mv "$log" "$log.1"
	printf "$line\n" 3 >> "$log.1"	# written to the old file after rotation
	printf "$line\n" 4 > "$log"
	for _ in $(seq 50); do [ "$(wc -l < "$out")" -ge 4 ] && break; sleep 0.1; done
	kill -TERM "$pid"
	wait "$pid"
	run jq -r .serial "$out"
	assert_output '1
2
3
4'
}

@test "the man page documents every option and renders cleanly" {
	local opt
	run mandoc -T lint -W warning "$ROOT/man/aa-evtparse.1"
	assert_success
	for opt in event mode profile since until checkpoint lock-wait trust follow stats strict output help version; do
		grep -q -- "$opt" "$ROOT/man/aa-evtparse.1" || fail "--$opt not in the man page"
	done
}
