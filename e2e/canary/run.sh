#!/usr/bin/env bash
# Canary releases on the real Argo Rollouts controller, judged by the stack's own SLO
# analysis against a real Prometheus (issue 16). One local cluster (e2e/cluster, kwok,
# rollouts-controller) serves four scenarios in sequence, each a `pulumi config set` of
# the image tag (or the strategy) and a `pulumi up` of the test stack:
#   healthy    1.0.1        the steps are walked, the analysis passes, wait-rollouts.sh succeeds
#   bad        1.0.2-bad    the canary breaks the error-rate SLO: aborted, wait-rollouts.sh fails
#   blind      1.0.3-blind  the canary exposes no metrics: the `scraped` check aborts it
#   bluegreen  1.0.4        strategy blueGreen: preview first, promoted after its analysis
# The metrics source serves each pod's metrics by its image tag (canary-cli.ts metrics-source).
#
#   e2e/canary/run.sh     exit 0 when every scenario passed; else exit 1 and one
#                         "e2e-canary: FAIL: <step>: <reason>" line on stderr (also the last line)
#
# Env: E2E_CANARY_SCENARIOS   which scenarios, in order (default "healthy bad blind bluegreen")
#      E2E_CANARY_KEEP=1      keep the temp dir on success too (always kept on failure)
#      E2E_CANARY_LIFETIME    seconds every background process may live (default 900)
#      E2E_CANARY_STEP_TIMEOUT  seconds per pulumi step (default 300)
#      E2E_CANARY_PROMETHEUS  the prometheus binary, promtool beside it (default: a prometheus-v*/bin
#                             build in the tool cache, else Debian's /usr/bin/prometheus)
#      E2E_TOOLS_ENV, E2E_ENGINE_RANDOM   as for e2e/engine/run.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
STACK=canary
LIFETIME=${E2E_CANARY_LIFETIME:-900}
STEP_TIMEOUT=${E2E_CANARY_STEP_TIMEOUT:-300}
SCENARIOS=${E2E_CANARY_SCENARIOS:-healthy bad blind bluegreen}

T=$(mktemp -d /tmp/agent-hive-e2e-canary.XXXXXX)
E2E_NAME=e2e-canary
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$root/e2e/lib.sh"
T0=$(date +%s.%N)

# ---------------------------------------------------------------- the test stack's release settings (config, not code)
NS=agent-hive-staging                # staging's namespace.name
ROLLOUT=agent-hive-orchestrator      # the Rollout of services[0] (orchestrator)
ACTIVE_SVC=agent-hive-service        # its stableServiceName: the active Service under blue-green
PREVIEW_SVC=agent-hive-orchestrator-preview
REPLICAS=4                           # 25/50/75 % are then 1/2/3 canary pods
WEIGHTS=(25 50 75)
PAUSE_SECONDS=12                     # per step: longer than a breach takes to abort (about 3 intervals)
INTERVAL=5s                          # analysis interval
FAILURE_LIMIT=1
RATE_WINDOW=20s                      # slo.rateWindow: 10 scrapes at SCRAPE_INTERVAL
SCRAPE_INTERVAL=2s
BG_COUNT=3                           # blue-green analysis.count
STABLE_TAG=1.0.0                     # staging's services[0].tag: the first version

OBSERVERS=()
cleanup() {
  local rc=$? t n
  set +e
  t=$(date +%s.%N)
  for n in "${OBSERVERS[@]}"; do
    stop_bg "$n"
    # The scenario that failed: what was observed of its release, before the FAIL line.
    if [ "$rc" != 0 ] && [ "$n" = "${OBSERVERS[-1]}" ] && [ -s "$T/logs/$n.log" ]; then
      log "${n#observe-}: observed until the failure (one line per change):"
      cut -c1-400 "$T/logs/$n.log" | sed 's/^/    /' >&2
    fi
  done
  if [ -n "${WAIT_PID:-}" ]; then pkill -TERM -P "$WAIT_PID" 2>/dev/null; kill -TERM "$WAIT_PID" 2>/dev/null; fi
  e2e_stop_processes discover metrics-source prometheus
  printf '%s\t%s\t%s\n' "teardown" "$(elapsed "$t")" ok >>"$T/timings.tsv"
  e2e_finish "$rc" "${E2E_CANARY_KEEP:-0}" "logs/, *.jsonl observations, project/Pulumi.$STACK.yaml, prometheus/, timings.tsv"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

for s in $SCENARIOS; do
  case $s in healthy | bad | blind | bluegreen) ;; *) fail "E2E_CANARY_SCENARIOS: unknown scenario '$s' (healthy bad blind bluegreen)" ;; esac
done


e2e_tools
# Debian's prometheus, unless a build in the tool cache (prometheus-v*/bin, with Kubernetes
# discovery) or E2E_CANARY_PROMETHEUS names another; its promtool is the one beside it.
PROMETHEUS=${E2E_CANARY_PROMETHEUS:-}
if [ -z "$PROMETHEUS" ]; then
  d=$(newest 'prometheus-v*')
  if [ -n "$d" ] && [ -x "$d/bin/prometheus" ]; then PROMETHEUS=$d/bin/prometheus; else PROMETHEUS=/usr/bin/prometheus; fi
fi
PROMTOOL=$(dirname "$PROMETHEUS")/promtool
{ [ -x "$PROMETHEUS" ] && [ -x "$PROMTOOL" ]; } || fail "$PROMETHEUS or $PROMTOOL missing: apt-get install prometheus"
cd "$root"
TSN=(env TS_NODE_PROJECT="$root/tsconfig.json" "$root/node_modules/.bin/ts-node" --transpile-only)
CLI=("${TSN[@]}" "$root/e2e/canary/canary-cli.ts")

e2e_cluster_up
step "kwok + argo up" "$T/logs/kwok-argo-up.log" kwok_and_argo_up
read -r PROM_PORT SOURCE_PORT < <(free_ports 2) || fail "no free loopback ports"
[ -n "${SOURCE_PORT:-}" ] || fail "no free loopback ports"

# ---------------------------------------------------------------- the stack: staging's config, scaled down by config
stack_setup() {
  e2e_stack_init "$STACK" || return 1
  local cf=(--config-file "$CONFIG_FILE" -s "$STACK") i
  pulumi config set "${cf[@]}" --path 'services[0].replicas' "$REPLICAS" || return 1
  for i in "${!WEIGHTS[@]}"; do
    pulumi config set "${cf[@]}" --path "delivery.canary.steps[$i].setWeight" "${WEIGHTS[$i]}" || return 1
    pulumi config set "${cf[@]}" --path "delivery.canary.steps[$i].pauseSeconds" "$PAUSE_SECONDS" || return 1
  done
  pulumi config set "${cf[@]}" --path delivery.analysis.interval "$INTERVAL" || return 1
  pulumi config set "${cf[@]}" --path delivery.analysis.failureLimit "$FAILURE_LIMIT" || return 1
  # The analysis queries the Prometheus of this run (it and the controller both run on this host).
  pulumi config set "${cf[@]}" --path delivery.analysis.prometheusAddress "http://127.0.0.1:$PROM_PORT" || return 1
  pulumi config set "${cf[@]}" --path slo.rateWindow "$RATE_WINDOW" || return 1
  show_config
}
step "pulumi login + stack init + config" "$T/logs/stack-setup.log" stack_setup
cf=(--config-file "$CONFIG_FILE" -s "$STACK")
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp
# The program is type-checked by `npm test` and compiled in full by e2e/engine; here each of the six
# `pulumi up`s would spend seconds on it, so the Node.js host only transpiles it.
export PULUMI_NODEJS_TRANSPILE_ONLY=true
PF=(--config-file "$CONFIG_FILE" -s "$STACK" --non-interactive --color never)

# ---------------------------------------------------------------- Prometheus from the planned PodMonitor
step "offline plan of the stack" "$T/logs/plan.log" offline plan-cli --stack "$STACK" --out out/plan
# Debian's prometheus (2.42.0+ds) is built without Kubernetes discovery; a build with it
# (E2E_CANARY_PROMETHEUS, its promtool beside it) discovers the pods itself.
has_kubernetes_sd() {
  printf 'scrape_configs:\n- job_name: probe\n  kubernetes_sd_configs: [{role: pod}]\n' >"$T/k8s-sd-probe.yml"
  "$PROMTOOL" check config "$T/k8s-sd-probe.yml" >/dev/null 2>&1
}
prometheus_up() {
  local p=$T/prometheus monitor i sd
  mkdir -p "$p/data" || return 1
  monitor=$(find "$T/project/out/plan/$STACK/manifests" -name '*-podmonitor-*.yaml' | head -n1)
  [ -n "$monitor" ] || { echo "the plan has no PodMonitor"; return 1; }
  echo "PodMonitor: $monitor"
  "$PROMETHEUS" --version 2>&1 | head -n1
  if has_kubernetes_sd; then
    echo "discovery: kubernetes_sd_configs (role pod) on $E2E_KUBE_SERVER, as the admin kubeconfig's client"
    (umask 077
      kubectl config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d >"$p/ca.crt"
      kubectl config view --raw -o jsonpath='{.users[0].user.client-certificate-data}' | base64 -d >"$p/client.crt"
      kubectl config view --raw -o jsonpath='{.users[0].user.client-key-data}' | base64 -d >"$p/client.key") || return 1
    sd=(--api-server "$E2E_KUBE_SERVER" --ca "$p/ca.crt" --cert "$p/client.crt" --key "$p/client.key")
  else
    echo "discovery: $PROMETHEUS has no kubernetes_sd_configs; file_sd of the API server's pods as Kubernetes discovery labels them (e2e/canary/discovery.ts)"
    start_bg discover "${CLI[@]}" discover --namespace "$NS" --out "$p/pods.json"
    sd=(--sd-file "$p/pods.json")
  fi
  "${CLI[@]}" scrape-config --podmonitor "$monitor" "${sd[@]}" --metrics-source "127.0.0.1:$SOURCE_PORT" --interval "$SCRAPE_INTERVAL" >"$p/prometheus.yml" || return 1
  cat "$p/prometheus.yml"
  "$PROMTOOL" check config "$p/prometheus.yml" || return 1
  start_bg metrics-source "${CLI[@]}" metrics-source --port "$SOURCE_PORT"
  start_bg prometheus "$PROMETHEUS" --config.file="$p/prometheus.yml" --storage.tsdb.path="$p/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --storage.tsdb.retention.time=1h
  for ((i = 0; i < 120; i++)); do
    bg_alive prometheus || { tail -n 20 "$T/logs/prometheus.log"; return 1; }
    bg_alive metrics-source || { tail -n 20 "$T/logs/metrics-source.log"; return 1; }
    if [ "${sd[0]}" = --sd-file ] && ! bg_alive discover; then tail -n 20 "$T/logs/discover.log"; return 1; fi
    if curl -fsS "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null 2>&1 && curl -sS -o /dev/null "http://127.0.0.1:$SOURCE_PORT/" 2>/dev/null; then
      echo "prometheus ready on 127.0.0.1:$PROM_PORT, metrics source on 127.0.0.1:$SOURCE_PORT"
      return 0
    fi
    sleep 0.5
  done
  echo "timeout waiting for prometheus / the metrics source"
  return 1
}
step "prometheus + metrics source up" "$T/logs/prometheus-up.log" prometheus_up

promql() { # promql <expr>: the instant vector as "labels value" lines
  curl -fsS --get "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const r of JSON.parse(s).data.result)console.log(JSON.stringify(r.metric),r.value[1])})'
}

# ---------------------------------------------------------------- the release workflow's own commands
# As platform-deploy.yml: `npm run release -- info` before the up, then pulumi up, then
# wait-rollouts.sh with the namespace, timeout and Rollouts the info gives, on the stack's kubeconfig.
release_info() {
  (cd "$T/project" && "${TSN[@]}" "$root/stacks/release/release-cli.ts" info --stack "$STACK") >"$T/info.json" || return 1
  cat "$T/info.json"
  read -r WAIT_NS WAIT_TIMEOUT WAIT_ROLLOUTS < <(node -e 'const i=require(process.argv[1]);console.log(i.namespace,i.timeoutSeconds,i.rollouts.map(r=>r.name).join(" "))' "$T/info.json") || return 1
}
# run_wait <name>: the workflow's wait command; its exit code is judged by check_wait, after the
# release itself has been judged (a wrong outcome then fails with what the release did).
run_wait() {
  local rc=0 rollouts
  (umask 077; pulumi config get "${cf[@]}" kubeconfig >"$T/wait.kubeconfig") || return 1
  read -ra rollouts <<<"$WAIT_ROLLOUTS"
  echo "+ bash stacks/release/wait-rollouts.sh $WAIT_NS $WAIT_TIMEOUT ${rollouts[*]}"
  # In the background, so that an interrupt is handled at once rather than after the wait.
  # Its PID is kept so that cleanup ends it (and its kubectl) if the run is interrupted meanwhile.
  KUBECONFIG=$T/wait.kubeconfig bash "$root/stacks/release/wait-rollouts.sh" "$WAIT_NS" "$WAIT_TIMEOUT" "${rollouts[@]}" >"$T/$1-wait.txt" 2>&1 &
  WAIT_PID=$!
  wait "$WAIT_PID" || rc=$?
  WAIT_PID=
  cat "$T/$1-wait.txt"
  echo "wait-rollouts.sh exit $rc"
  echo "$rc" >"$T/$1-wait.rc"
}
check_wait() { # check_wait <name> success|<reason>: wait-rollouts.sh ended so
  local rc
  rc=$(cat "$T/$1-wait.rc") || return 1
  grep -E '^reason=|^::error::' "$T/$1-wait.txt"
  echo "wait-rollouts.sh exit $rc"
  if [ "$2" = success ]; then
    [ "$rc" = 0 ] || { echo "FAIL: the wait command failed (exit $rc) on a release that should succeed"; return 1; }
  else
    [ "$rc" = 1 ] || { echo "FAIL: the wait command exited $rc on a release that should fail"; return 1; }
    grep -qx "reason=$2" "$T/$1-wait.txt" || { echo "FAIL: the wait command failed, but not with reason=$2"; return 1; }
  fi
}
wait_rollouts() { run_wait "$1" && check_wait "$1" "$2"; } # <name> success|<reason>: both at once

# release <name> <tag> [observe flags...]: the tag by config, an observer, pulumi up
release() {
  local name=$1 tag=$2; shift 2
  pulumi config set "${cf[@]}" --path 'services[0].tag' "$tag" >/dev/null || fail "config set tag $tag"
  OBSERVERS+=("observe-$name")
  start_bg "observe-$name" "${CLI[@]}" observe --namespace "$NS" --rollout "$ROLLOUT" --out "$T/$name.jsonl" "$@"
  step "$name: pulumi up (services[0].tag = $tag)" "$T/logs/$name-up.log" timeout "$STEP_TIMEOUT" pulumi up "${PF[@]}" --yes --skip-preview
}
# show <name>: the observer's timeline and the judge's verdict, in the run's log
show() {
  log "$1: observed (one line per change):"
  sed 's/^/    /' "$T/logs/observe-$1.log" >&2
  log "$1: verdict:"
  sed 's/^/    /' "$T/logs/$1-judge.log" >&2
}
end_observer() { stop_bg "observe-$1"; }

# ---------------------------------------------------------------- the first version
step "first up: pulumi up ($STABLE_TAG)" "$T/logs/first-up.log" timeout "$STEP_TIMEOUT" pulumi up "${PF[@]}" --yes --skip-preview
# The info depends on the stack's config (strategy, steps, analysis), not on the tag: read again after a strategy switch.
step "npm run release -- info" "$T/logs/first-info.log" release_info
step "first up: wait-rollouts.sh succeeds" "$T/logs/first-wait.log" wait_rollouts first success
scraped_stable() { # Prometheus discovered the stable pods through the PodMonitor, with the hash label
  local hash i n
  hash=$(kubectl get rollout "$ROLLOUT" -n "$NS" -o jsonpath='{.status.stableRS}') || return 1
  for ((i = 0; i < 60; i++)); do
    n=$(promql "count(up{namespace=\"$NS\",rollouts_pod_template_hash=\"$hash\"} == 1)" | awk '{print $2}')
    [ "${n:-0}" = "$REPLICAS" ] && break
    sleep 1
  done
  promql "up{namespace=\"$NS\"}"
  promql "rate(agent_hive_errors_total{namespace=\"$NS\"}[$RATE_WINDOW])"
  [ "${n:-0}" = "$REPLICAS" ] || { echo "FAIL: $REPLICAS stable pods (hash $hash) should be scraped up, found ${n:-0}"; return 1; }
  echo "ok: the $REPLICAS stable pods ($hash) are scraped targets with their pod-template hash"
}
step "first up: Prometheus scrapes the stable pods by the planned PodMonitor" "$T/logs/first-scraped.log" scraped_stable

# ---------------------------------------------------------------- scenarios
weights_csv=$(IFS=,; echo "${WEIGHTS[*]}")
healthy() {
  release healthy 1.0.1
  step "healthy: wait-rollouts.sh" "$T/logs/healthy-wait.log" run_wait healthy
  step "healthy: steps walked, analysis Successful, Healthy on 1.0.1" "$T/logs/healthy-judge.log" \
    "${CLI[@]}" judge completed --observations "$T/healthy.jsonl" --from "$STABLE_TAG" --to 1.0.1 --replicas "$REPLICAS" --weights "$weights_csv"
  step "healthy: wait-rollouts.sh succeeded (reason=success)" "$T/logs/healthy-wait-check.log" check_wait healthy success
  end_observer healthy; show healthy
  STABLE_TAG=1.0.1
}
bad() {
  release bad 1.0.2-bad
  step "bad: wait-rollouts.sh" "$T/logs/bad-wait.log" run_wait bad
  step "bad: error-rate fails the analysis, aborted to the stable version at full scale" "$T/logs/bad-judge.log" \
    "${CLI[@]}" judge aborted --observations "$T/bad.jsonl" --from "$STABLE_TAG" --to 1.0.2-bad --replicas "$REPLICAS" --failure-limit "$FAILURE_LIMIT" --metric error-rate
  step "bad: wait-rollouts.sh failed (reason=canary_aborted)" "$T/logs/bad-wait-check.log" check_wait bad canary_aborted
  end_observer bad; show bad
}
blind() {
  release blind 1.0.3-blind
  step "blind: wait-rollouts.sh" "$T/logs/blind-wait.log" run_wait blind
  step "blind: the scraped check fails the analysis, aborted" "$T/logs/blind-judge.log" \
    "${CLI[@]}" judge aborted --observations "$T/blind.jsonl" --from "$STABLE_TAG" --to 1.0.3-blind --replicas "$REPLICAS" --failure-limit "$FAILURE_LIMIT" --metric scraped
  step "blind: wait-rollouts.sh failed (reason=canary_aborted)" "$T/logs/blind-wait-check.log" check_wait blind canary_aborted
  end_observer blind; show blind
}
to_blue_green() { # by config: the strategy, its settings, and the stable version's tag (no new version)
  pulumi config set "${cf[@]}" --path delivery.strategy blueGreen || return 1
  pulumi config set "${cf[@]}" --path delivery.blueGreen.autoPromotionEnabled true || return 1
  pulumi config set "${cf[@]}" --path delivery.blueGreen.scaleDownDelaySeconds 5 || return 1
  pulumi config set "${cf[@]}" --path delivery.analysis.count "$BG_COUNT" || return 1
  pulumi config set "${cf[@]}" --path 'services[0].tag' "$STABLE_TAG" || return 1
  timeout "$STEP_TIMEOUT" pulumi up "${PF[@]}" --yes --skip-preview
}
bluegreen() {
  step "bluegreen: pulumi up (strategy blueGreen, tag $STABLE_TAG)" "$T/logs/bluegreen-switch.log" to_blue_green
  step "bluegreen: npm run release -- info" "$T/logs/bluegreen-info.log" release_info
  step "bluegreen: Healthy on $STABLE_TAG, active Service pinned" "$T/logs/bluegreen-switch-wait.log" wait_rollouts bluegreen-switch success
  release bluegreen 1.0.4 --active "$ACTIVE_SVC" --preview "$PREVIEW_SVC"
  step "bluegreen: wait-rollouts.sh" "$T/logs/bluegreen-wait.log" run_wait bluegreen
  step "bluegreen: preview first, promoted only after the pre-promotion analysis" "$T/logs/bluegreen-judge.log" \
    "${CLI[@]}" judge blue-green --observations "$T/bluegreen.jsonl" --from "$STABLE_TAG" --to 1.0.4 --replicas "$REPLICAS"
  step "bluegreen: wait-rollouts.sh succeeded (reason=success)" "$T/logs/bluegreen-wait-check.log" check_wait bluegreen success
  end_observer bluegreen; show bluegreen
  STABLE_TAG=1.0.4
}
for s in $SCENARIOS; do "$s"; done
STEP=teardown
log "PASS: $SCENARIOS"
