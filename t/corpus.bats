#!/usr/bin/env bats
# AppArmor's own libapparmor test cases: every line it parses must give
# exactly one event with the same fields; lines it rejects may give
# nothing, never a wrong event.

load helpers

CASES=$CORPUS/apparmor-test_multi

# The JSON keys that may hold what libapparmor calls LABEL, in order.
keys_for() {
	case $1 in
	Operation) echo operation ;;
	Mask) echo requested_mask requested ;;
	'Denied Mask') echo denied_mask denied mask ;;
	fsuid|ouid) echo "$1" ;;
	Profile) echo profile label ;;
	'Peer profile') echo peer_profile peer_label tcontext ;;
	Peer) echo peer ;;
	Name) echo name capname ;;
	Name2) echo name2 target ;;
	Command) echo comm exe ;;
	Parent) echo parent ;;
	PID) echo pid ;;
	'Peer PID') echo peer_pid ;;
	Task) echo task ;;
	Token) echo magic_token ;;
	Info) echo info ;;
	ErrorCode) echo error ;;
	Class) echo class ;;
	'Network family') echo family ;;
	'Socket type') echo sock_type ;;
	Protocol) echo protocol ;;
	'Local addr') echo laddr ;;
	'Foreign addr') echo faddr ;;
	'Local port') echo lport ;;
	'Foreign port') echo fport ;;
	'Peer Addr') echo peer_addr ;;
	'Net Addr') echo addr ;;
	'DBus bus') echo bus ;;
	'DBus path') echo path ;;
	'DBus interface') echo interface ;;
	'DBus member') echo member ;;
	Signal) echo signal ;;
	Namespace) echo namespace ;;
	'Src name') echo srcname ;;
	Flags) echo flags ;;
	'FS Type') echo fstype ;;
	Execpath) echo execpath ;;
	Attribute) echo attribute ;;
	Epoch) echo time ;;
	'Audit subid') echo serial ;;
	'Audit ID') echo time ;;
	*) return 1 ;;
	esac
}

# The event's value for LABEL, as libapparmor would print it.
value_for() {
	local label=$1 event=$2 k
	for k in $(keys_for "$label"); do
		if jq -e --arg k "$k" 'has($k)' <<<"$event" >/dev/null; then
			case $label in
			ErrorCode) jq -r '.error | fabs' <<<"$event" ;;
			Epoch) jq -r '.time | floor' <<<"$event" ;;
			'Audit ID')
				# the time exactly as written, not as jq rounds it
				sed -E 's/.*"time":([0-9.]+).*"serial":([0-9]+).*/\1:\2/' \
				    <<<"$event" ;;
			*) jq -r --arg k "$k" '.[$k] | tostring' <<<"$event" ;;
			esac
			return 0
		fi
	done
	echo "<no key for $label>"
}

# Some cases are lines the dbus daemon wrote to syslog itself, a program
# aa-evtparse reads records of only when asked.
TRUST='--trust dbus'

# Compare one case; print a line per mismatch.
check_case() {
	local name=$1 out=$CASES/$1.out event label value want
	event=$(evtparse $TRUST "$CASES/$name.in" 2>/dev/null)
	if grep -q 'AA_RECORD_INVALID' "$out"; then
		[ -z "$event" ] && return 0
	else
		[ "$(grep -c . <<<"$event")" -eq 1 ] ||
		    { echo "$name: $(grep -c . <<<"$event") events, want 1"; return; }
	fi
	while IFS= read -r line; do
		label=${line%%: *}
		want=${line#*: }
		case $label in START|File) continue ;; esac
		if [ "$label" = 'Event type' ]; then
			case $want in AA_RECORD_INVALID) continue ;; esac
			value=$(jq -r .apparmor <<<"$event")
			want=${want#AA_RECORD_}
		elif keys_for "$label" >/dev/null; then
			value=$(value_for "$label" "$event")
		else
			echo "$name: no mapping for label '$label'"
			continue
		fi
		[ "$value" = "$want" ] ||
		    echo "$name: $label: got '$value', want '$want'"
	done < "$out"
}

@test "every case libapparmor parses gives one event with its fields" {
	local f name bad= n=0
	for f in "$CASES"/*.out; do
		name=$(basename "$f" .out)
		grep -q AA_RECORD_INVALID "$f" && continue
		n=$((n + 1))
		bad+=$(check_case "$name")
	done
	[ "$n" -gt 80 ] || fail "only $n valid cases found in $CASES"
	[ -z "$bad" ] || fail "$bad"
}

@test "cases libapparmor rejects give no event, or one that is right" {
	local f name bad= n=0
	for f in "$CASES"/*.out; do
		grep -q AA_RECORD_INVALID "$f" || continue
		n=$((n + 1))
		bad+=$(check_case "$(basename "$f" .out)")
	done
	[ "$n" -gt 5 ] || fail "only $n invalid cases found"
	[ -z "$bad" ] || fail "$bad"
}

@test "the whole corpus in one stream gives one event per valid case" {
	local valid events
	valid=$(grep -L AA_RECORD_INVALID "$CASES"/*.out | wc -l)
	# each .in is one record (some lack a final newline)
	events=$(for f in "$CASES"/*.in; do cat "$f"; echo; done |
	    evtparse $TRUST 2>/dev/null | jq -c . | wc -l)
	[ "$events" -ge "$valid" ] || fail "$events events for $valid valid cases"
}
