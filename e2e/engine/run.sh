#!/usr/bin/env bash
# Real-engine spike: the program's `pulumi preview` / `pulumi up` / no-change
# preview / `pulumi destroy` with the real Pulumi CLI, language host and
# providers against a real local kube-apiserver (e2e/cluster), with kwok
# (a fake kubelet: pods become Running/Ready) and the Argo Rollouts controller
# (makes ReplicaSets from Rollouts) on 127.0.0.1.
#
#   e2e/engine/run.sh            exit 0 when every step passed; else exit 1 and one
#                                "e2e-engine: FAIL: <step>: <reason>" line on stderr
#
# Env: E2E_ENGINE_KEEP=1        keep the temp dir (logs, state, stack file) on success too
#                               (it is always kept on failure; its path is printed)
#      E2E_ENGINE_LIFETIME      seconds every background process may live (default 1500)
#      E2E_ENGINE_STEP_TIMEOUT  seconds per pulumi step (default 900)
#      E2E_ENGINE_FAKE_KUBELET=0  no kwok / Argo controller (diagnosis: what needs them)
#      E2E_ENGINE_RANDOM        path to a real pulumi-resource-random binary (else the
#                               cache is searched)
#      E2E_TOOLS_ENV            env.sh of e2e/tools (default ~/.cache/agent-hive-e2e-tools/env.sh)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
STACK=e2e
LIFETIME=${E2E_ENGINE_LIFETIME:-1500}
STEP_TIMEOUT=${E2E_ENGINE_STEP_TIMEOUT:-900}

T=$(mktemp -d /tmp/agent-hive-e2e-engine.XXXXXX)
E2E_NAME=e2e-engine
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$root/e2e/lib.sh" # log, step, fail, start_bg/stop_bg, e2e_tools, e2e_cluster_up, kwok_and_argo_up, e2e_stack_init, offline
CONFIG_FILE=$T/project/Pulumi.$STACK.yaml # beside a copy of Pulumi.yaml: the offline plan of this stack runs there
T0=$(date +%s.%N)

GIT_BEFORE=$T/git-status.before
(cd "$root" && git status --short --untracked-files=all) >"$GIT_BEFORE" 2>/dev/null || true

cleanup() {
  local rc=$? t
  set +e
  t=$(date +%s.%N)
  # shellcheck disable=SC2119 # no extra processes here
  e2e_stop_processes
  printf '%s\t%s\t%s\n' "teardown" "$(elapsed "$t")" ok >>"$T/timings.tsv"
  # Other people may edit the checkout meanwhile: a difference in git status is shown, and
  # only Pulumi files this run could write fail it (e2e_finish).
  (cd "$root" && git status --short --untracked-files=all) >"$T/git-status.after" 2>/dev/null
  if ! diff -q "$GIT_BEFORE" "$T/git-status.after" >/dev/null; then
    log "note: git status of $root changed during the run (not by this script's pulumi files):"
    diff "$GIT_BEFORE" "$T/git-status.after" | grep '^[<>]' >&2
  fi
  e2e_finish "$rc" "${E2E_ENGINE_KEEP:-0}" "logs/, state/, Pulumi.$STACK.yaml, timings.tsv"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

# ---------------------------------------------------------------- tools
e2e_tools
cd "$root"

# ---------------------------------------------------------------- cluster, kwok + Argo Rollouts
e2e_cluster_up

FAKE_KUBELET=${E2E_ENGINE_FAKE_KUBELET:-1}
if [ "$FAKE_KUBELET" = 1 ]; then
  step "kwok + argo up" "$T/logs/kwok-argo-up.log" kwok_and_argo_up
else
  log "E2E_ENGINE_FAKE_KUBELET=0: no kwok, no Argo Rollouts controller (pods stay Pending)"
fi

# ---------------------------------------------------------------- backend, stack, config
stack_setup() { # staging's config made local (e2e/lib.sh), protected like production's
  e2e_stack_init "$STACK" || return 1
  # Protected like production's: the rename and destroy steps show the protection holding.
  pulumi config set --config-file "$CONFIG_FILE" -s "$STACK" --path namespace.protect true || return 1
  show_config
}
step "pulumi login + stack init + config" "$T/logs/stack-setup.log" stack_setup

# -v=3 --logflow: the engine's and plugins' glog files (which plugin died, if one does) go
# to $TMPDIR = $T/tmp/pulumi.*; kept with the rest of $T when a step fails.
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp
PF=(--config-file "$CONFIG_FILE" -s "$STACK" --non-interactive --color never -v=3 --logflow)
# The program's own directory is the working directory (Pulumi.yaml, main: stacks/index.ts).
step "pulumi preview" "$T/logs/preview.log" timeout "$STEP_TIMEOUT" pulumi preview "${PF[@]}" --diff
step "pulumi up" "$T/logs/up.log" timeout "$STEP_TIMEOUT" pulumi up "${PF[@]}" --yes --skip-preview
rollouts_healthy() { # kwok pods of the program's pod spec admitted (PSA restricted, quota) and Ready
  local r
  for r in $(kubectl get rollouts.argoproj.io -n agent-hive-staging -o name); do
    kubectl argo rollouts status "${r#*/}" -n agent-hive-staging --timeout 180s || return 1
  done
  kubectl get rollouts.argoproj.io,replicasets,pods,endpointslices -n agent-hive-staging -o wide
}
# Which plugin builds the engine really ran (it warns when they differ from the SDKs' versions).
grep -ho 'resource plugin [a-z]* is expected to have version [^,]*, but has [0-9.]*' "$T/logs/up.log" | sort -u \
  | sed 's/^/plugin version mismatch (engine warning): /' | tee -a "$T/logs/tools.txt" >&2 || true
[ "$FAKE_KUBELET" = 1 ] && step "rollouts Healthy (kwok pods Ready)" "$T/logs/rollouts-healthy.log" rollouts_healthy
step "pulumi preview --expect-no-changes" "$T/logs/preview-no-changes.log" \
  timeout "$STEP_TIMEOUT" pulumi preview "${PF[@]}" --diff --expect-no-changes
step "pulumi up --expect-no-changes" "$T/logs/up-again.log" \
  timeout "$STEP_TIMEOUT" pulumi up "${PF[@]}" --yes --skip-preview --expect-no-changes
snapshot() { # what the up left in the cluster (for the README / debugging)
  kubectl get ns --show-labels
  kubectl get all,ingresses,rollouts,analysistemplates,prometheusrules,podmonitors,alertmanagerconfigs,pdb,networkpolicies,resourcequotas,limitranges,secrets,configmaps,serviceaccounts,roles,rolebindings,endpointslices -n agent-hive-staging -o wide
  pulumi stack output -s "$STACK"
}
step "cluster snapshot" "$T/logs/snapshot.log" snapshot
api_key_check() { # the RandomPassword's value reached the namespace: 48 letters and digits
  local v
  v=$(kubectl get secret agent-hive-api-key -n agent-hive-staging -o json \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s).data||{};const k=Object.keys(d);if(k.length!==1)process.exit(1);process.stdout.write(Buffer.from(d[k[0]],"base64").toString())})') || return 1
  [[ "$v" =~ ^[A-Za-z0-9]{48}$ ]] || { echo "agent-hive-api-key: value is not 48 letters/digits (length ${#v})"; return 1; }
  echo "agent-hive-api-key: 48 letters/digits"
}
step "API key Secret from RandomPassword" "$T/logs/api-key.log" api_key_check
registry_user() { pulumi config get --config-file "$CONFIG_FILE" -s "$STACK" --path registry.username; }
pull_secret_check() { # the kubelet's view: the pods run as a ServiceAccount that lists a pull secret with the password
  local server sa want got
  server=$(pulumi config get --config-file "$CONFIG_FILE" -s "$STACK" --path registry.server) || return 1
  want=$(printf '%s' "$(registry_user):$E2E_REGISTRY_PASSWORD" | base64 -w0)
  got=$(kubectl get secret agent-hive-registry -n agent-hive-staging -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).auths[process.argv[1]]?.auth??""))' "$server") || return 1
  [ "$got" = "$want" ] || { echo "agent-hive-registry: no auth for $server with the configured user and password"; return 1; }
  echo "agent-hive-registry: $server auth = base64(user:password) of the secret config"
  sa=$(kubectl get pods -n agent-hive-staging -l app.kubernetes.io/name=agent-hive-orchestrator -o jsonpath='{.items[*].spec.serviceAccountName}' | tr ' ' '\n' | sort -u) || return 1
  [ "$sa" = agent-hive-orchestrator ] || { echo "orchestrator pods run as '${sa:-none}', not agent-hive-orchestrator"; return 1; }
  kubectl get serviceaccount agent-hive-orchestrator -n agent-hive-staging -o jsonpath='{.imagePullSecrets[*].name}' | grep -qx agent-hive-registry \
    || { echo "ServiceAccount agent-hive-orchestrator does not list agent-hive-registry"; return 1; }
  echo "orchestrator pods run as agent-hive-orchestrator, which lists agent-hive-registry"
}
[ "$FAKE_KUBELET" = 1 ] && step "registry pull secret on the pods' ServiceAccount" "$T/logs/pull-secret.log" pull_secret_check

# ---------------------------------------------------------------- the plan is what the engine made
# The offline plan of this same stack file (`npm run plan`, run where the stack file is),
# against what `pulumi up` left in the API server.
CHECKS=(env TS_NODE_PROJECT="$root/tsconfig.json" "$root/node_modules/.bin/ts-node" --transpile-only "$root/e2e/engine/checks-cli.ts")
step "offline plan of the stack" "$T/logs/plan.log" offline plan-cli --stack "$STACK" --out out/applied
step "planned objects live with the planned spec" "$T/logs/live-objects.log" "${CHECKS[@]}" live-objects "$T/project/out/applied/$STACK/manifests"

# ---------------------------------------------------------------- a config change: engine and npm run diff agree
cp "$CONFIG_FILE" "$T/config.applied"
restore_config() { cp "$T/config.applied" "$CONFIG_FILE"; }
cf=(--config-file "$CONFIG_FILE" -s "$STACK")
parity_check() { # a quota and a canary step: both tools update the same resources, and nothing else
  pulumi config set "${cf[@]}" --path namespace.quota.pods 41 || return 1
  pulumi config set "${cf[@]}" --path 'delivery.canary.steps[0].pauseSeconds' 61 || return 1
  offline plan-cli --stack "$STACK" --out out/changed || return 1
  offline diff-cli --base out/applied --head out/changed --stack "$STACK" --format json >"$T/diff-change.json" || return 1
  timeout "$STEP_TIMEOUT" pulumi preview "${PF[@]}" --json >"$T/preview-change.json" || return 1
  "${CHECKS[@]}" parity "$T/preview-change.json" "$T/diff-change.json" || return 1
  restore_config
}
step "config change: pulumi preview = npm run diff" "$T/logs/parity.log" parity_check
rename_refused() { # a namespace rename replaces the namespace: the diff warns and the engine refuses
  local rc=0
  pulumi config set "${cf[@]}" --path namespace.name agent-hive-e2e-renamed || return 1
  offline plan-cli --stack "$STACK" --out out/renamed || return 1
  offline diff-cli --base out/applied --head out/renamed --stack "$STACK" >"$T/diff-rename.txt" 2>&1 || rc=$?
  cat "$T/diff-rename.txt"
  [ "$rc" = 1 ] || { echo "npm run diff exited $rc on a protected namespace's replacement, not 1"; return 1; }
  grep -q 'WARNING: replaces kubernetes:core/v1:Namespace .*protected' "$T/diff-rename.txt" || { echo "npm run diff gave no replacement warning"; return 1; }
  rc=0
  timeout "$STEP_TIMEOUT" pulumi preview "${PF[@]}" --diff >"$T/preview-rename.txt" 2>&1 || rc=$?
  grep -E 'protect|replace' "$T/preview-rename.txt" | head -n 20
  [ "$rc" != 0 ] || { echo "pulumi preview of a protected namespace's rename succeeded"; return 1; }
  grep -q 'marked for protection' "$T/preview-rename.txt" || { echo "pulumi preview failed, but not because of the protection"; return 1; }
  restore_config
}
step "namespace rename: replacement refused by protection" "$T/logs/rename.log" rename_refused

# ---------------------------------------------------------------- the policy pack under the real engine
# Staging's policy config, less the branch protection: this stack manages no GitHub (github.manage
# false), so it protects no branch. Everything else is staging's, mandatory where staging's is.
policy_config() { # policy_config <out> <js editing c>: staging.json, edited
  node -e 'const c = require(process.argv[1]); c["deploy-branches-must-be-protected"] = { branches: [] }; eval(process.argv[2]); console.log(JSON.stringify(c, null, 2))' \
    "$root/policies/config/staging.json" "$2" >"$1"
}
policy_config "$T/policy-e2e.json" ""
POLICY=(--policy-pack "$root/policies" --policy-pack-config "$T/policy-e2e.json")
step "pulumi preview --policy-pack" "$T/logs/policy-preview.log" \
  timeout "$STEP_TIMEOUT" pulumi preview "${PF[@]}" "${POLICY[@]}" --expect-no-changes
policy_blocks() { # a mandatory violation blocks the update: nothing of it reaches the cluster
  local rc=0 pods
  policy_config "$T/policy-digest.json" 'c["images-must-be-pinned"] = { requireDigest: true }' || return 1
  pulumi config set "${cf[@]}" --path namespace.quota.pods 42 || return 1
  # With its preview, as a user runs it: the violation fails the preview and nothing is applied.
  # (`--skip-preview`, which the Automation API and so pulumi/actions' `up` use, checks each
  # resource as it goes: the quota, which violates nothing, was applied. The deploy workflow
  # therefore runs a policy preview before its up.)
  timeout "$STEP_TIMEOUT" pulumi up "${PF[@]}" --yes --policy-pack "$root/policies" \
    --policy-pack-config "$T/policy-digest.json" >"$T/up-blocked.txt" 2>&1 || rc=$?
  grep -E 'mandatory|images-must-be-pinned|not pinned' "$T/up-blocked.txt" | head -n 10
  [ "$rc" != 0 ] || { echo "pulumi up with a mandatory violation succeeded"; return 1; }
  grep -q 'images-must-be-pinned' "$T/up-blocked.txt" || { echo "pulumi up failed, but not on images-must-be-pinned"; return 1; }
  pods=$(kubectl get resourcequota -n agent-hive-staging -o jsonpath='{.items[0].spec.hard.pods}') || return 1
  echo "quota pods in the cluster after the blocked up: $pods"
  [ "$pods" = 40 ] || { echo "the blocked update reached the cluster (pods=$pods)"; return 1; }
  restore_config
}
step "mandatory policy violation blocks pulumi up" "$T/logs/policy-blocks.log" policy_blocks

# ---------------------------------------------------------------- secrets stay encrypted in the state
secrets_not_in_state() {
  local api_key kc_key found=0 f
  api_key=$(kubectl get secret agent-hive-api-key -n agent-hive-staging -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s).data;process.stdout.write(Buffer.from(Object.values(d)[0],"base64").toString())})') || return 1
  kc_key=$(kubectl config view --raw -o jsonpath='{.users[0].user.client-key-data}') || return 1
  if [ -z "$api_key" ] || [ -z "$kc_key" ]; then echo "could not read the secrets to look for"; return 1; fi
  # The plain values, one per line (never printed): the generated API key, the kubeconfig's
  # private key, the Slack webhook set as secret config,
  # the registry password, and the base64 user:password a dockerconfigjson carries it as.
  printf '%s\n' "$api_key" "${kc_key:0:60}" "http://127.0.0.1:9/e2e-slack-sink" "$E2E_REGISTRY_PASSWORD" \
    "$(printf '%s' "$(registry_user):$E2E_REGISTRY_PASSWORD" | base64 -w0)" >"$T/needles"
  # Self-check: the needles find the private key in the kubeconfig it was read from.
  grep -q -F -f "$T/needles" "$KUBECONFIG" || { rm -f "$T/needles"; echo "self-check failed: the needles miss the kubeconfig"; return 1; }
  pulumi stack export -s "$STACK" >"$T/state-export.json" || return 1
  for f in "$T/state-export.json" $(find "$T/state" -type f) "$CONFIG_FILE" "$T"/logs/*.log "$T"/*.txt "$T"/*.json; do
    [ -f "$f" ] || continue
    if grep -q -F -f "$T/needles" "$f"; then echo "PLAIN TEXT SECRET in ${f#"$T"/}"; found=1; fi
  done
  rm -f "$T/needles"
  grep -c '"ciphertext"' "$T/state-export.json" | sed 's/^/encrypted values in the state: /'
  [ "$found" = 0 ]
}
step "secrets not in plain text (state, stack file, logs)" "$T/logs/secrets.log" secrets_not_in_state

# ---------------------------------------------------------------- destroy: protected stays, the rest goes
destroy_refused() {
  local rc=0
  timeout "$STEP_TIMEOUT" pulumi destroy "${PF[@]}" --yes >"$T/destroy-refused.txt" 2>&1 || rc=$?
  grep -E 'protect|deleted|errored' "$T/destroy-refused.txt" | head -n 8
  [ "$rc" != 0 ] || { echo "pulumi destroy of a stack with a protected namespace succeeded"; return 1; }
  grep -q 'Namespace::agent-hive-namespace" cannot be deleted' "$T/destroy-refused.txt" \
    || { echo "pulumi destroy failed, but not because of the protected namespace"; return 1; }
  # Refused in its preview, so nothing at all was deleted (with --skip-preview the engine
  # deletes everything else first and fails only on the namespace).
  if grep -E '^ +- [0-9]+ deleted' "$T/destroy-refused.txt"; then echo "the refused destroy deleted resources"; return 1; fi
  kubectl get ns agent-hive-staging -o name || return 1
}
step "pulumi destroy refuses the protected namespace" "$T/logs/destroy-refused.log" destroy_refused
step "pulumi destroy --exclude-protected" "$T/logs/destroy.log" \
  timeout "$STEP_TIMEOUT" pulumi destroy "${PF[@]}" --yes --skip-preview --exclude-protected
protected_kept() { # only the namespace (and its provider and parents) is left, in the state and the cluster
  local left
  left=$(pulumi stack export -s "$STACK" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const r of JSON.parse(s).deployment.resources||[])console.log(r.type, r.protect?"protected":"")})') || return 1
  echo "$left"
  echo "$left" | grep -q '^kubernetes:core/v1:Namespace protected$' || { echo "the protected namespace left the state"; return 1; }
  if echo "$left" | grep -v -E '^(kubernetes:core/v1:Namespace protected|pulumi:providers:kubernetes|pulumi:pulumi:Stack|agent-hive:environment:Environment) *$' | grep -q .; then
    echo "resources other than the protected namespace survived --exclude-protected"; return 1
  fi
  kubectl get ns agent-hive-staging -o jsonpath='{.status.phase}{"\n"}' || return 1
  [ -z "$(kubectl get rollouts.argoproj.io,services,secrets,configmaps -n agent-hive-staging -l app.kubernetes.io/managed-by=pulumi -o name)" ] \
    || { echo "objects the stack made are still in the namespace"; return 1; }
}
step "protected namespace kept, the rest removed" "$T/logs/protected-kept.log" protected_kept
unprotect_destroy() {
  pulumi state unprotect --all --yes -s "$STACK" || return 1
  timeout "$STEP_TIMEOUT" pulumi destroy "${PF[@]}" --yes --skip-preview
}
step "pulumi state unprotect + destroy" "$T/logs/destroy-all.log" unprotect_destroy
destroyed_check() { # the namespace is gone (or going) and the stack is empty
  local i phase
  for ((i = 0; i < 120; i++)); do
    phase=$(kubectl get ns agent-hive-staging -o jsonpath='{.status.phase}' 2>/dev/null || echo gone)
    [ "$phase" = gone ] && break
    sleep 1
  done
  echo "namespace agent-hive-staging: $phase"
  [ "$phase" = gone ] || return 1
  local n
  n=$(pulumi stack export -s "$STACK" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s).deployment.resources||[];console.log(r.length)})')
  echo "resources left in state: $n"
  [ "$n" = 0 ]
}
step "destroyed: namespace gone, state empty" "$T/logs/destroy-check.log" destroyed_check
# Finding 2 (README): pulumi-resource-kubernetes writes the `kubeconfig` provider input to
# $TMPDIR/kubeconfig<N> on every Configure and never deletes it. Here TMPDIR is $T/tmp.
n_kc=$(find "$T/tmp" -maxdepth 1 -name 'kubeconfig*' | wc -l)
log "note: the kubernetes provider left $n_kc kubeconfig copies in \$TMPDIR (one per pulumi command; removed with $T)"
STEP=teardown
log "PASS: preview, up, plan = cluster, no-change preview + up, preview = npm run diff, rename refused, policy pack, secrets encrypted, destroy"
