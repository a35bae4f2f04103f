#!/bin/sh
# The DaemonSet's loop: this node's model of one workload, grown every
# INTERVAL seconds by the audit events written since the last round.
#
#   PROFILE   the workload's AppArmor profile: vArmor names a policy's
#             varmor-NAMESPACE-POLICY (required)
#   LOGS      the host's /var/log, mounted (default /host/var/log)
#   STATE     the checkpoint and events not yet merged (default /var/lib/bm)
#   MODELS    this node's directory of models (default /models: the
#             DaemonSet mounts the node's own directory of the volume there)
#   INTERVAL  seconds between rounds (default 60); ROUNDS: stop after so many
#
# The log is audit/audit.log if the node has it, else kern.log, as
# vArmor's agent looks for them.  aa-evtparse --checkpoint reads on from
# where the last round stopped, rotated files included.  New events are
# kept until the model that holds them is in place, so a round killed
# half way loses nothing: the next merges them again, and a merge twice
# is a merge once.
set -u
: "${PROFILE:?PROFILE: the workload's AppArmor profile}"
logs=${LOGS:-/host/var/log}
state=${STATE:-/var/lib/bm}
dir=${MODELS:-/models}
interval=${INTERVAL:-60}
rounds=${ROUNDS:-0}
model=$dir/$PROFILE.json
pending=$state/$PROFILE.pending

mkdir -p "$state" "$dir" || exit 2
n=0
while :; do
	log=$logs/audit/audit.log
	[ -e "$log" ] || log=$logs/kern.log
	aa-evtparse --checkpoint "$state/$PROFILE.checkpoint" "$log" >> "$pending"
	[ $? -le 1 ] || echo "node-model: aa-evtparse failed; next round retries" >&2
	if [ -e "$model" ]; then set -- "$model" "$pending"; else set -- "$pending"; fi
	bm-merge --profile "$PROFILE" --name "$PROFILE" "$@" > "$model.tmp"
	rc=$?
	if [ $rc -le 1 ] && [ -s "$model.tmp" ]; then
		mv "$model.tmp" "$model" && : > "$pending"
	elif [ $rc -le 1 ]; then	# nothing of the workload's yet: said
		rm -f "$model.tmp" && : > "$pending"
	else
		echo "node-model: bm-merge failed; the events wait for the next round" >&2
	fi
	n=$((n + 1))
	[ "$rounds" -gt 0 ] && [ "$n" -ge "$rounds" ] && exit 0
	sleep "$interval"
done
