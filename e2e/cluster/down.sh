#!/usr/bin/env bash
# Stop the control plane started by up.sh <state-dir>. Leaves <state-dir> in place
# (logs stay readable; the caller removes the directory).
#
# Each component runs in its own session/process group whose id is the PID in
# <state-dir>/<name>.pid (up.sh starts it via setsid), so signalling the group
# reaches both the `timeout` wrapper and the component itself.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

GRACE=${E2E_CLUSTER_STOP_GRACE:-10}

signal_group() { # <state> <name> <signal>
  local pid
  component_alive "$1" "$2" || return 0
  pid=$(cat "$1/$2.pid")
  kill "-$3" -- "-$pid" 2>/dev/null || true
}

any_alive() { # <state> <names...>
  local state=$1 c; shift
  for c in "$@"; do component_alive "$state" "$c" && return 0; done
  return 1
}

# stop_phase <state> <names...>: TERM all, wait up to GRACE s, then KILL leftovers.
stop_phase() {
  local state=$1 i c; shift
  for c in "$@"; do signal_group "$state" "$c" TERM; done
  for ((i = 0; i < GRACE * 5; i++)); do any_alive "$state" "$@" || return 0; sleep 0.2; done
  for c in "$@"; do
    if component_alive "$state" "$c"; then
      log "$c did not stop within ${GRACE}s; sending KILL"
      signal_group "$state" "$c" KILL
    fi
  done
  for ((i = 0; i < 25; i++)); do any_alive "$state" "$@" || return 0; sleep 0.2; done
  die "still running after KILL: $* (see $state/*.pid)"
}

main() {
  local state c
  [ $# -ge 1 ] && [ -d "$1" ] || die "usage: down.sh <state-dir> (existing directory)"
  state=$(cd "$1" && pwd)
  # Two phases: etcd last. An API server whose etcd is already gone hangs in
  # its graceful shutdown until KILLed, so etcd must outlive it.
  stop_phase "$state" kube-scheduler kube-controller-manager kube-apiserver
  stop_phase "$state" etcd
  for c in "${COMPONENTS[@]}"; do rm -f "$state/$c.pid"; done
  log "stopped ($state)"
}

main "$@"
