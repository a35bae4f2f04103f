#!/usr/bin/env bats
# Bad input is reported as FILE:LINE, skipped and counted; nothing else
# is lost, and no input can break the output's lines or objects.

load helpers

good='type=AVC msg=audit(1795430005.731:115): apparmor="DENIED" operation="open" profile="p" name="/etc/x" pid=1 comm="c" requested_mask="r" denied_mask="r"'

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "a malformed audit id is reported with file and line, others go on" {
	printf '%s\n' "$good" 'type=AVC msg=audit(17954===30005.731:116): apparmor="DENIED" operation="open"' \
	    "${good/:115/:117}" > "$T/log"
	run --separate-stderr evtparse "$T/log"
	[ "$status" -eq 1 ]
	[ "$(grep -c . <<<"$output")" -eq 2 ]
	[ "$stderr" = "$T/log:2: malformed audit record id, expected msg=audit(SECONDS.MS:SERIAL)" ]
}

@test "--strict stops at the first malformed line with status 2" {
	printf '%s\n' "$good" 'type=AVC msg=audit(x): y' "${good/:115/:117}" > "$T/log"
	run --separate-stderr evtparse --strict "$T/log"
	[ "$status" -eq 2 ]
	assert_output --partial '"serial":115'
	refute_output --partial '"serial":117'
	[[ $stderr == *"$T/log:2: "* ]]
}

@test "a record cut short inside a quoted value is reported" {
	printf '%s\n' 'type=AVC msg=audit(1.000:1): apparmor="DENIED" operation="open" name="/etc/pass' > "$T/log"
	run --separate-stderr evtparse "$T/log"
	[ "$status" -eq 1 ]
	assert_output ''
	[ "$(sed -n 1p <<<"$stderr")" = "$T/log:1: truncated record: a quoted value is never closed" ]
	[ "$(sed -n 2p <<<"$stderr")" = "aa-evtparse: no AppArmor or seccomp event in 1 lines (1 audit records)" ]
}

@test "NUL bytes and binary lines neither crash nor corrupt output" {
	{ printf '%s\n' "$good"; printf 'type=AVC \0\001\377 garbage\n'; head -c 4096 /dev/urandom | tr -d '\n'; echo; printf '%s\n' "${good/:115/:117}"; } > "$T/log"
	run --separate-stderr evtparse "$T/log"
	[ "$status" -eq 1 ]
	[[ $stderr == *"$T/log:2: binary data (NUL byte) in line"* ]]
	evtparse "$T/log" > "$T/out" 2>/dev/null || true
	assert_ndjson "$T/out"
	[ "$(wc -l < "$T/out")" -eq 2 ]
}

@test "invalid UTF-8 in a hex-encoded name becomes U+FFFD, the line stays valid" {
	# name= is hex for "/tmp/a\xff\xfeb c" (the kernel hex-encodes names with spaces)
	printf '%s\n' 'type=AVC msg=audit(1.000:1): apparmor="DENIED" operation="open" profile="p" name=2F746D702F61FFFE622063 pid=1' > "$T/log"
	run evtparse "$T/log"
	assert_success
	assert_output --partial '"name":"/tmp/a\ufffd\ufffdb c"'
	evtparse "$T/log" > "$T/out"
	assert_ndjson "$T/out"
}

@test "a crafted name cannot add a line or a field" {
	local evil hex
	evil=$'/tmp/x"\n{"event":"apparmor","apparmor":"ALLOWED","name":"/'
	hex=$(printf '%s' "$evil" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
	printf 'type=AVC msg=audit(1.000:1): apparmor="DENIED" operation="open" profile="p" name=%s pid=1 apparmor="ALLOWED" action="x"\n' "$hex" > "$T/log"
	evtparse "$T/log" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 1 ]
	assert_ndjson "$T/out"
	run jq -r '.name' "$T/out"
	assert_output "$evil"
	run jq -r '.apparmor' "$T/out"
	assert_output DENIED
	# each key once
	run jq -r 'keys_unsorted | length' "$T/out"
	[ "$output" -eq "$(grep -o '"[a-z_]*":' "$T/out" | sort -u | wc -l)" ]
}

@test "a seccomp record cannot bring a second action" {
	printf '%s\n' 'type=SECCOMP msg=audit(1.000:1): action="allow" pid=1 arch=c000003e syscall=1 code=0x80000000' > "$T/log"
	run evtparse "$T/log"
	assert_success
	[ "$(grep -o '"action"' <<<"$output" | wc -l)" -eq 1 ]
}

@test "a 1 MiB line is read; a line over 16 MiB is reported and skipped" {
	{ printf 'type=AVC msg=audit(1.000:1): apparmor="DENIED" operation="open" profile="p" name="/'; head -c 1048576 /dev/zero | tr '\0' a; printf '" pid=1\n'; } > "$T/log"
	run evtparse "$T/log"
	assert_success
	[ "$(jq -r '.name | length' <<<"$output")" -eq 1048577 ]
	{ head -c 17000000 /dev/zero | tr '\0' b; echo; printf '%s\n' "$good"; } > "$T/long"
	run --separate-stderr evtparse "$T/long"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/long:1: line longer than 16777216 bytes" ]
	assert_output --partial '"serial":115'
}

@test "an unreadable file is reported and the others still read" {
	printf '%s\n' "$good" > "$T/log"
	run --separate-stderr evtparse "$T/missing" "$T/log"
	[ "$status" -eq 1 ]
	assert_output --partial '"serial":115'
	[[ $stderr == *"$T/missing: No such file or directory"* ]]
}

@test "a corrupt gzip file is reported, not silently cut" {
	for i in $(seq 200); do printf '%s\n' "${good/:115/:$i}"; done | gzip -c > "$T/log.gz"
	head -c 300 "$T/log.gz" > "$T/cut.gz"
	run --separate-stderr evtparse "$T/cut.gz"
	[ "$status" -eq 1 ]
	[[ $stderr == *"$T/cut.gz:"*"compressed data cut short"* ]]
	printf 'x' | dd of="$T/log.gz" bs=1 seek=100 conv=notrunc 2>/dev/null
	run --separate-stderr evtparse "$T/log.gz"
	[ "$status" -eq 1 ]
	[[ $stderr == *"$T/log.gz:"*"corrupt compressed data"* ]]
}

@test "gzip members are read one after another; bytes after the last are reported" {
	printf '%s\n' "$good" | gzip -c > "$T/one.gz"
	printf '%s\n' "${good/:115/:116}" | gzip -c >> "$T/one.gz"
	run --separate-stderr evtparse "$T/one.gz"
	assert_success
	assert_line --index 0 --partial '"serial":115'
	assert_line --index 1 --partial '"serial":116'
	for tail in "${good/:115/:117}" '\0\0\0\0' '\037'; do
		cp "$T/one.gz" "$T/tail.gz"
		printf "$tail\n" >> "$T/tail.gz"
		run --separate-stderr evtparse "$T/tail.gz"
		[ "$status" -eq 1 ]
		assert_line --index 1 --partial '"serial":116'
		[[ $stderr == *"$T/tail.gz:3: data after the end of the compressed data"* ]]
	done
	cp "$T/one.gz" "$T/tail.gz"; printf '%s\n' "$good" >> "$T/tail.gz"
	run --separate-stderr merge "$T/tail.gz"
	[ "$status" -eq 1 ]
	[[ $stderr == *"$T/tail.gz:3: data after the end of the compressed data"* ]]
}

@test "a reader that stops early ends it quietly" {
	for i in $(seq 50000); do printf '%s\n' "${good/:115/:$i}"; done > "$T/log"
	run bash -c "'$BIN/aa-evtparse' '$T/log' 2>'$T/err' | head -1"
	assert_success
	assert_output --partial '"serial":1,'
	[ ! -s "$T/err" ]
}

@test "a failed write is an error (status 2), not a silent truncation" {
	printf '%s\n' "$good" > "$T/log"
	run --separate-stderr evtparse -o /dev/full "$T/log"
	[ "$status" -eq 2 ]
	[[ $stderr == *"No space left on device"* ]]
	run --separate-stderr bash -c "'$BIN/aa-evtparse' '$T/log' > /dev/full"
	[ "$status" -eq 2 ]
	[[ $stderr == *"No space left on device"* ]]
}
