#!/usr/bin/env bash
# Records one deployment for the DORA metrics through a port-forward to the
# in-cluster Pushgateway, with the DORA recorder (`npm run dora -- record`):
#   stacks/release/record-dora.sh <stack> <status> <commit time> <pushgateway namespace> <service> <port>
# <status> is success or a failure reason (canary_aborted, timeout, ...);
# <commit time> is the released commit's committer time (ISO 8601 or unix s).
# Run from the platform checkout: the recorder reads Pulumi.<stack>.yaml there.
# Uses GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT: one deployment per run, whatever
# its attempts (the recorder exits 0 when the run is already recorded).
set -euo pipefail

[ "$#" -eq 6 ] || { echo "usage: $0 <stack> <status> <commit time> <pushgateway namespace> <service> <port>" >&2; exit 2; }
stack=$1 status=$2 commit_time=$3 pg_namespace=$4 pg_service=$5 pg_port=$6
: "${GITHUB_RUN_ID:?record-dora: GITHUB_RUN_ID is not set (run it in GitHub Actions, or export the run id)}"
local_port=9091

# The deployer may port-forward only in the Pushgateway's own namespace (infra/deployer/builders.ts).
kubectl -n "$pg_namespace" port-forward "svc/$pg_service" "$local_port:$pg_port" >"${RUNNER_TEMP:-/tmp}/pushgateway-port-forward.log" 2>&1 &
forward=$!
trap 'kill "$forward" 2>/dev/null || true' EXIT

for _ in $(seq 1 30); do
  if curl -fsS "http://127.0.0.1:$local_port/-/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$forward" 2>/dev/null; then
    echo "::error::port-forward to svc/$pg_service in $pg_namespace failed:" >&2
    cat "${RUNNER_TEMP:-/tmp}/pushgateway-port-forward.log" >&2
    exit 1
  fi
  sleep 1
done

npm run -s dora -- record --stack "$stack" --run "$GITHUB_RUN_ID" --attempt "${GITHUB_RUN_ATTEMPT:-1}" \
  --status "$status" --commit-time "$commit_time" --pushgateway "http://127.0.0.1:$local_port"
