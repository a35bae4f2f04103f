#!/bin/sh
# The merge job: every node's model of one workload merged into one, as
# the ArmorProfileModel vArmor's CRD takes, for kubectl apply.
#
#   PROFILE   the workload's profile, varmor-NAMESPACE-POLICY (required)
#   NAMESPACE the policy's namespace (required)
#   MODELS    the node models, MODELS/NODE/PROFILE.json (default /models)
#   OUT       the file written (default /out/PROFILE.json)
#   ALLOW_BROAD  1: take node models with entries learning never writes
#             (/**, sys_module, init_module, a mount of /), which a node
#             taken over could plant; by default such a model fails the
#             job, naming it, and nothing is applied (bm-merge(1))
set -eu
set -o pipefail
: "${PROFILE:?PROFILE: the workload's AppArmor profile}"
: "${NAMESPACE:?NAMESPACE: the policy's namespace}"
models=${MODELS:-/models}
out=${OUT:-/out/$PROFILE.json}

set -- "$models"/*/"$PROFILE.json"
[ -e "$1" ] || { echo "merge-models: no node model of $PROFILE in $models" >&2; exit 1; }
echo "merge-models: $# node models of $PROFILE" >&2
broad=--refuse-broad
[ "${ALLOW_BROAD:-0}" = 1 ] && broad=
# shellcheck disable=SC2086
bm-merge $broad --strict --name "$PROFILE" "$@" |
    bm-profile --varmor --namespace "$NAMESPACE" --name "$PROFILE" -o "$out.tmp"
mv "$out.tmp" "$out"
