#!/usr/bin/env bash
# Waits for Argo Rollouts to finish, the way release.yml and platform-deploy.yml
# both judge a release:
#   stacks/release/wait-rollouts.sh <namespace> <timeout seconds> <rollout>...
# The Rollouts progress at the same time (one `pulumi up` or `set image`), so
# they share one deadline. Each is waited on with `kubectl argo rollouts
# status`, which returns 0 on Healthy and non-zero on Degraded (an aborted
# canary) or on its timeout. Every Rollout is waited on even after one fails,
# so the log and the reason cover the whole release.
#
# Exit 0 when all are Healthy; 1 otherwise, after printing `kubectl argo
# rollouts get rollout` of each failed one. The reason, for the DORA record,
# is printed as `reason=<r>` and appended to $GITHUB_OUTPUT when set:
#   success, or for the most telling failure among the Rollouts:
#   canary_aborted (the analysis failed, or someone aborted) over
#   degraded (such as a progress deadline exceeded) over
#   timeout (still progressing or paused at the deadline) over
#   wait_failed (the Rollout could not be read at all).
set -euo pipefail

usage() { echo "usage: $0 <namespace> <timeout seconds> <rollout>..." >&2; exit 2; }
[ "$#" -ge 3 ] || usage
namespace=$1 timeout=$2
shift 2
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || { echo "wait-rollouts: timeout \"$timeout\" must be whole seconds above 0 (release info's timeoutSeconds)" >&2; exit 2; }

deadline=$(( $(date +%s) + timeout ))
reason=success
rank() { case "$1" in success) echo 0 ;; wait_failed) echo 1 ;; timeout) echo 2 ;; degraded) echo 3 ;; *) echo 4 ;; esac; }
worse() { [ "$(rank "$1")" -gt "$(rank "$reason")" ] && reason=$1 || true; }

for rollout in "$@"; do
  left=$(( deadline - $(date +%s) ))
  [ "$left" -ge 1 ] || left=1
  echo "== waiting for rollout $rollout in $namespace (up to ${left}s)"
  if kubectl argo rollouts status "$rollout" -n "$namespace" --timeout "${left}s"; then
    echo "== $rollout is Healthy"
    continue
  fi
  # Why it failed, from the Rollout itself rather than the plugin's wording.
  aborted=$(kubectl get rollout "$rollout" -n "$namespace" -o 'jsonpath={.status.abort}' 2>/dev/null || echo unknown)
  phase=$(kubectl get rollout "$rollout" -n "$namespace" -o 'jsonpath={.status.phase}' 2>/dev/null || echo unknown)
  if [ "$aborted" = "true" ]; then this=canary_aborted
  elif [ "$phase" = "Degraded" ]; then this=degraded
  elif [ "$aborted" = "unknown" ]; then this=wait_failed
  else this=timeout
  fi
  [ "$this" = "timeout" ] && [ "$phase" = "Paused" ] && echo "== $rollout is Paused: a step without a duration waits for kubectl argo rollouts promote" >&2
  echo "::error::rollout $rollout in $namespace: $this (phase ${phase:-unknown})"
  kubectl argo rollouts get rollout "$rollout" -n "$namespace" || true
  worse "$this"
done

echo "reason=$reason"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "reason=$reason" >> "$GITHUB_OUTPUT"; fi
[ "$reason" = "success" ]
