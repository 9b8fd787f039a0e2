# Shared by the real-engine runs (e2e/engine/run.sh, e2e/canary/run.sh). Sourced, not run.
# shellcheck shell=bash
#
# The caller sets, before sourcing:
#   E2E_NAME   prefix of log and FAIL lines (e2e-engine, e2e-canary)
#   T          the run's temp dir; logs/, bin/, state/, project/, pulumi-home/ are made in it
#   LIFETIME   seconds every background process may live (they run under `timeout`)
#   root       the checkout
# and gets:
#   log, elapsed, fail, step          one timed step per command; one FAIL line on the first failure
#   start_bg, bg_alive, stop_bg       background processes in their own process group, ended by PID
#   free_ports <n>                    n free loopback ports
#   e2e_tools                         the pinned tools on PATH, Pulumi switched to local state and no downloads
#   e2e_cluster_up                    e2e/cluster/up.sh in $T/cluster, its env exported (KUBECONFIG, ...)
#   kwok_and_argo_up                  a kwok node (pods become Running and Ready) and the Argo Rollouts controller
#   e2e_stop_processes                stops what the three above started
#   e2e_stack_init <stack>            a file backend and a stack made from Pulumi.staging.yaml by config alone
#   offline <cli> <args...>           one of stacks/offline/*-cli.ts, run where the stack file is

: "${root:?set root before sourcing e2e/lib.sh}" "${T:?set T}" "${E2E_NAME:?set E2E_NAME}" "${LIFETIME:?set LIFETIME}"
mkdir -p "$T/logs" "$T/bin" "$T/state" "$T/project" "$T/pulumi-home"
STEP=setup
FAIL_LINE=
CLUSTER=$T/cluster
CLUSTER_STARTED=0
: >>"$T/timings.tsv"

log() { printf '[%s %s] %s\n' "$E2E_NAME" "$(date -u +%H:%M:%S)" "$*" >&2; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
fail() {
  FAIL_LINE=$(printf '%s: FAIL: %s: %s' "$E2E_NAME" "$STEP" "$*")
  printf '%s\n' "$FAIL_LINE" >&2
  exit 1
}

# step <name> <log-file-or-"-"> <cmd...>: run, log wall time; on failure print the
# log's last lines and fail with the first error line found in it.
step() {
  local name=$1 logf=$2 t rc=0; shift 2
  STEP=$name
  t=$(date +%s.%N)
  log "step '$name' ..."
  if [ "$logf" = - ]; then
    "$@" || rc=$?
  else
    "$@" >"$logf" 2>&1 || rc=$?
  fi
  local took; took=$(elapsed "$t")
  printf '%s\t%s\t%s\n' "$name" "$took" "$([ $rc = 0 ] && echo ok || echo "FAIL($rc)")" >>"$T/timings.tsv"
  if [ $rc != 0 ]; then
    log "step '$name' failed after ${took}s (exit $rc)"
    if [ "$logf" != - ]; then
      tail -n 60 "$logf" >&2 || true
      local first
      # The first error line; if it ends in ":" (Pulumi's "failed with an unhandled
      # exception:"), the line after it says what the error is.
      first=$(grep -m1 -E 'error TS[0-9]+:' "$logf" | sed 's/^ *//' | cut -c1-500 || true)
      [ -n "$first" ] || first=$(grep -m1 -A1 -E '^ *error: |Error: |FAIL' "$logf" \
        | awk 'NR == 1 { l = $0; sub(/^ +/, "", l); if (l !~ /:$/) { print l; exit } next } { sub(/^ +/, ""); print l " " $0; exit }' \
        | cut -c1-500 || true)
      fail "${first:-exit $rc} (log: $logf)"
    fi
    fail "exit $rc"
  fi
  log "step '$name' ok in ${took}s"
}

# ---------------------------------------------------------------- background processes
# start_bg <name> <cmd...>: own session/process group (id = PID in $T/<name>.pid), under
# `timeout` so it dies on its own after LIFETIME s; stdio to $T/logs/<name>.log.
start_bg() {
  local name=$1; shift
  # shellcheck disable=SC2016 # $$/$0/$@ expand in the inner bash
  ( setsid bash -c 'echo $$ >"$0"; exec timeout --signal=TERM --kill-after=10 "$@"' \
      "$T/$name.pid" "$LIFETIME" "$@" </dev/null >"$T/logs/$name.log" 2>&1 & )
  local i
  for ((i = 0; i < 50; i++)); do [ -s "$T/$name.pid" ] && return 0; sleep 0.1; done
  fail "$name: no PID file after 5s"
}
bg_alive() { # <name>: a live (non-zombie) member of its process group
  local pid
  [ -s "$T/$1.pid" ] || return 1
  pid=$(cat "$T/$1.pid")
  ps -e -o pgid=,stat= | awk -v g="$pid" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'
}
stop_bg() { # <name>: TERM the group, KILL after 10 s
  local pid i
  bg_alive "$1" || return 0
  pid=$(cat "$T/$1.pid")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do bg_alive "$1" || return 0; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

free_ports() { # <n>: n distinct free loopback ports, held together while picked
  python3 -c '
import socket, sys
s = [socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])' "$1"
}

# ---------------------------------------------------------------- tools
# e2e_tools: the pinned builds of e2e/tools on PATH (newest build dir of each, first, so the run
# does not depend on env.sh's order), Pulumi on local state with no downloads; versions to
# $T/logs/tools.txt. Env: E2E_TOOLS_ENV, E2E_TOOLS_CACHE, E2E_ENGINE_RANDOM (a random provider binary).
e2e_tools() {
  STEP=tools
  local tools_env=${E2E_TOOLS_ENV:-$HOME/.cache/agent-hive-e2e-tools/env.sh} d b
  [ -f "$tools_env" ] || fail "$tools_env missing: run e2e/tools/build.sh first"
  # shellcheck disable=SC1090
  . "$tools_env" # etcd + kubernetes bins, CRD dirs, kwok stages, PULUMI_* switches
  C=${E2E_TOOLS_CACHE:-$HOME/.cache/agent-hive-e2e-tools} # global: newest() reads it
  newest() { find "$C" -maxdepth 1 -type d -name "$1" 2>/dev/null | sort -V | tail -n1; }
  PULUMI_DIR=$(newest 'pulumi-v*')
  K8S_PROVIDER_DIR=$(newest 'pulumi-resource-kubernetes-v*')
  KWOK_DIR=$(newest 'kwok-v*')
  ARGO_DIR=$(newest 'argo-rollouts-v*')
  for d in PULUMI_DIR K8S_PROVIDER_DIR KWOK_DIR ARGO_DIR; do
    if [ -z "${!d}" ] || [ ! -d "${!d}/bin" ]; then fail "$d: no such build in $C"; fi
  done
  [ -d "${E2E_KWOK_STAGES:-}" ] || fail "E2E_KWOK_STAGES not set or missing"

  # The random provider: a real build from e2e/tools/build.sh, nothing else.
  local random_bin=${E2E_ENGINE_RANDOM:-}
  if [ -z "$random_bin" ]; then
    d=$(newest 'pulumi-resource-random-v*')
    if [ -n "$d" ] && [ -x "$d/bin/pulumi-resource-random" ]; then random_bin=$d/bin/pulumi-resource-random; fi
  fi
  [ -n "$random_bin" ] || fail "no pulumi-resource-random build in the tool cache: run e2e/tools/build.sh pulumi-random"
  ln -sf "$random_bin" "$T/bin/pulumi-resource-random"
  export PATH="$T/bin:$PULUMI_DIR/bin:$K8S_PROVIDER_DIR/bin:$KWOK_DIR/bin:$ARGO_DIR/bin:$PATH"
  export PULUMI_HOME=$T/pulumi-home                 # no ~/.pulumi: credentials, workspace, plugins
  export PULUMI_CONFIG_PASSPHRASE=$E2E_NAME-not-a-secret
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  unset PULUMI_IGNORE_AMBIENT_PLUGINS PULUMI_BACKEND_URL PULUMI_ACCESS_TOKEN GITHUB_TOKEN || true
  export PULUMI_SKIP_CONFIRMATIONS=true
  # The Node.js host compiles the program with the tsconfig.json of main's
  # directory: stacks/tsconfig.json (e2e/engine/README.md, finding 1, fixed).

  for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-random kwok rollouts-controller kubectl kubectl-argo-rollouts node python3; do
    command -v "$b" >/dev/null || fail "'$b' not on PATH"
  done
  local sdk_k8s sdk_random
  sdk_k8s=$(node -p 'require("@pulumi/kubernetes/package.json").version' 2>/dev/null || echo '?')
  sdk_random=$(node -p 'require("@pulumi/random/package.json").version' 2>/dev/null || echo '?')
  {
    echo "pulumi $(pulumi version) at $(command -v pulumi)"
    echo "pulumi-resource-kubernetes: $(command -v pulumi-resource-kubernetes) (build dir $(basename "$K8S_PROVIDER_DIR")); npm @pulumi/kubernetes $sdk_k8s"
    echo "pulumi-resource-random: real ($random_bin); npm @pulumi/random $sdk_random"
    echo "kwok $(basename "$KWOK_DIR"), rollouts-controller $(basename "$ARGO_DIR"), $(kubectl version --client 2>/dev/null | head -n1)"
  } | tee "$T/logs/tools.txt" >&2
}

# ---------------------------------------------------------------- cluster, kwok, Argo Rollouts
e2e_cluster_up() { # as a step: e2e/cluster/up.sh in $CLUSTER; exports KUBECONFIG, E2E_KUBE_SERVER, E2E_KUBE_CA_B64; sets KCTX
  step "cluster up" "$T/logs/cluster-up.log" env E2E_CLUSTER_LIFETIME="$LIFETIME" "$root/e2e/cluster/up.sh" "$CLUSTER"
  CLUSTER_STARTED=1
  set -a
  # shellcheck disable=SC1091
  . "$CLUSTER/env"
  set +a
  KCTX=$(kubectl config current-context)
}

kwok_and_argo_up() {
  # One fake node, managed by kwok because of its annotation; no taint, so the
  # scheduler places every pod there. Capacity far above the stack's quota.
  kubectl apply -f - <<'EOF' || return 1
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-0
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    type: kwok
status:
  allocatable: { cpu: "32", memory: 256Gi, pods: "110" }
  capacity: { cpu: "32", memory: 256Gi, pods: "110" }
EOF
  local stages=() f mport hport
  for f in "$E2E_KWOK_STAGES"/*.yaml; do stages+=(-c "$f"); done
  # The node's heartbeat is its Lease (kwok's node-heartbeat-with-lease stage updates the
  # node's status only every 10 min): without --node-lease-duration-seconds there is no
  # Lease, the node-lifecycle controller finds the node silent after its grace period
  # (about 50 s), and marks every pod on it NotReady, which stalls any rollout after that.
  start_bg kwok kwok --kubeconfig "$KUBECONFIG" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds 40 \
    --node-ip 127.0.0.1 --cidr 10.0.0.0/24 "${stages[@]}"
  read -r mport hport < <(free_ports 2)
  # Its metrics and healthz servers listen on 0.0.0.0:<port> (hard-coded "0.0.0.0:%d" in
  # argo-rollouts v1.8.3 controller/controller.go; no bind flag): free ports, bounded lifetime.
  start_bg rollouts-controller rollouts-controller --kubeconfig "$KUBECONFIG" --leader-elect=false \
    --metricsport "$mport" --healthzPort "$hport" --loglevel info
  # The stack's Ingress: `pulumi up` waits for its published address (e2e/ingress-publisher.sh).
  start_bg ingress-publisher bash "$root/e2e/ingress-publisher.sh"
  local i
  for ((i = 0; i < 120; i++)); do
    bg_alive kwok || { tail -n 20 "$T/logs/kwok.log" >&2; return 1; }
    bg_alive rollouts-controller || { tail -n 20 "$T/logs/rollouts-controller.log" >&2; return 1; }
    bg_alive ingress-publisher || { tail -n 20 "$T/logs/ingress-publisher.log" >&2; return 1; }
    if [ "$(kubectl get node kwok-node-0 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] \
      && curl -fsS "http://127.0.0.1:$hport/healthz" >/dev/null 2>&1; then
      echo "node kwok-node-0 Ready; rollouts-controller healthz ok on :$hport"
      return 0
    fi
    sleep 0.5
  done
  echo "timeout: node Ready=$(kubectl get node kwok-node-0 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
  return 1
}

# e2e_stop_processes [extra bg names...]: the extras first, then Argo, kwok and the cluster.
e2e_stop_processes() {
  local n
  for n in "$@" ingress-publisher rollouts-controller kwok; do stop_bg "$n"; done
  if [ "$CLUSTER_STARTED" = 1 ]; then "$root/e2e/cluster/down.sh" "$CLUSTER" >"$T/logs/down.log" 2>&1; fi
}

# ---------------------------------------------------------------- backend, stack, config
# e2e_stack_init <stack>: sets CONFIG_FILE ($T/project/Pulumi.<stack>.yaml). Functions run by
# `step` are called as `fn || rc=$?`, where bash ignores `set -e`: each command that may
# fail carries its own `|| return 1`.
e2e_stack_init() {
  local stack=$1
  CONFIG_FILE=$T/project/Pulumi.$stack.yaml
  pulumi login "file://$T/state" || return 1
  # `pulumi stack init` has no --config-file and writes Pulumi.<stack>.yaml (the
  # passphrase salt) into the project dir: run it in a copy of Pulumi.yaml (same
  # project name, same backend), then build $CONFIG_FILE from that salt + staging's config.
  cp "$root/Pulumi.yaml" "$T/project/Pulumi.yaml" || return 1
  (cd "$T/project" && pulumi stack init "$stack" --secrets-provider passphrase --non-interactive) || return 1
  grep -q '^encryptionsalt:' "$CONFIG_FILE" || { echo "stack init wrote no encryptionsalt"; return 1; }
  sed -n '/^config:/,$p' "$root/Pulumi.staging.yaml" >>"$CONFIG_FILE" || return 1
  local cf=(--config-file "$CONFIG_FILE" -s "$stack")
  pulumi config set "${cf[@]}" --path github.manage false || return 1
  pulumi config set "${cf[@]}" --path addons.argoRollouts.install false || return 1
  pulumi config set "${cf[@]}" --path addons.kubePrometheusStack.install false || return 1
  pulumi config set "${cf[@]}" --path addons.pushgateway.install false || return 1
  pulumi config set "${cf[@]}" --path addons.loki.install false || return 1
  pulumi config set "${cf[@]}" --path addons.logShipper.install false || return 1
  # No chart repository here: no cert-manager, so no ACME ClusterIssuer (the config refuses
  # an acme block the stack does not install). The Ingress stays, with its TLS Secret name and
  # no issuer: the API server judges it.
  pulumi config set "${cf[@]}" --path addons.certManager.install false || return 1
  pulumi config rm "${cf[@]}" --path addons.certManager.acme || return 1
  pulumi config set "${cf[@]}" --path kubernetes.apiServer "$E2E_KUBE_SERVER" || return 1
  pulumi config set "${cf[@]}" --path kubernetes.context "$KCTX" || return 1
  # Secrets on stdin, never on a command line (ps would show them).
  pulumi config set "${cf[@]}" --secret kubeconfig <"$KUBECONFIG" || return 1
  pulumi config set "${cf[@]}" --secret slackWebhookAlerts http://127.0.0.1:9/e2e-slack-sink || return 1
  # Staging's registry needs its password; kwok's pods pull nothing, so a dummy one.
  printf '%s' "$E2E_REGISTRY_PASSWORD" | pulumi config set "${cf[@]}" --secret registryPassword || return 1
}

# e2e_finish <rc> <keep: 1 keeps the temp dir on success> <what the temp dir holds>: the end of
# every run's EXIT trap. A run that wrote Pulumi files into the checkout fails; the timings and
# total are printed; $T is removed on success unless kept; the first FAIL line is repeated last.
e2e_finish() {
  local rc=$1 keep=$2 holds=$3
  # shellcheck disable=SC2153 # STACK is set by the script that sources this file
  if [ -e "$root/Pulumi.$STACK.yaml" ] || [ -e "$root/.pulumi" ] || [ -e "$root/stacks/Pulumi.$STACK.yaml" ]; then
    printf '%s: FAIL: cleanup: the run wrote into %s: %s\n' "$E2E_NAME" "$root" \
      "$(find "$root" "$root/stacks" -maxdepth 1 \( -name "Pulumi.$STACK.yaml" -o -name .pulumi \) | tr '\n' ' ')" >&2
    rc=1
  fi
  log "timings (s):"
  column -t -s $'\t' "$T/timings.tsv" >&2 2>/dev/null || cat "$T/timings.tsv" >&2
  log "total ${T0:+$(elapsed "$T0")}s"
  if [ "$rc" = 0 ] && [ "$keep" != 1 ]; then rm -rf "$T"; else log "kept $T ($holds)"; fi
  [ -z "$FAIL_LINE" ] || printf '%s\n' "$FAIL_LINE" >&2
  exit "$rc"
}

# The private registry's password of the e2e stacks: a secret config value the runs look for in
# plain text (engine) and in the pull secret the kubelet would use.
E2E_REGISTRY_PASSWORD=e2e-registry-password-$$

show_config() { grep -v -E '^\s+secure:' "$CONFIG_FILE" | sed 's/^/  | /'; }

offline() { # offline <cli> <args...>: one of the offline commands, in $T/project (the stack file's project)
  local cli=$1; shift
  (cd "$T/project" && TS_NODE_PROJECT="$root/tsconfig.json" "$root/node_modules/.bin/ts-node" --transpile-only "$root/stacks/offline/$cli.ts" "$@")
}
