#!/usr/bin/env bash
# Start a throw-away Kubernetes control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler; no kubelet, no nodes) on 127.0.0.1
# for the e2e tier, and install the Argo Rollouts + prometheus-operator CRDs.
#
#   up.sh <state-dir>      -> <state-dir>/kubeconfig, <state-dir>/env, one summary line on stdout
#   down.sh <state-dir>    stops it again
#
# Everything (PKI, etcd data, logs, PID files) lives in <state-dir>. Each
# process runs under `timeout` so a crashed test run cannot leak it for longer
# than E2E_CLUSTER_LIFETIME seconds (default 1800).
#
# Env: E2E_CLUSTER_LIFETIME (s, default 1800), E2E_CLUSTER_READY_TIMEOUT (s, default 180),
#      E2E_CRDS_ARGO_ROLLOUTS, E2E_CRDS_PROMETHEUS_OPERATOR (CRD yaml dirs, from e2e/tools env.sh),
#      E2E_CLUSTER_KEEP_ON_FAILURE=1 (do not stop the processes when up.sh fails).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

LIFETIME=${E2E_CLUSTER_LIFETIME:-1800}
READY_TIMEOUT=${E2E_CLUSTER_READY_TIMEOUT:-180}
SERVICE_CIDR=10.96.0.0/16
# In-cluster name of the API server; tokens carry it as "iss".
SA_ISSUER=https://kubernetes.default.svc.cluster.local

# ------------------------------------------------------------------ ports
# N distinct free loopback ports. All sockets are held open together so the
# kernel cannot hand out the same port twice; the window between closing them
# and the components binding is small (and each run gets fresh ports, so
# parallel runs on one machine do not collide on fixed defaults like 2379/6443).
pick_ports() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
  else
    # Fallback: random ports from the high range not currently listening.
    local used p out=()
    used=$(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -u)
    while [ ${#out[@]} -lt "$1" ]; do
      p=$((20000 + RANDOM % 30000))
      grep -qx "$p" <<<"$used" || [[ " ${out[*]} " == *" $p "* ]] || out+=("$p")
    done
    echo "${out[*]}"
  fi
}

# ------------------------------------------------------------------ PKI
# Minimal openssl config so the system openssl.cnf (which may add its own
# extensions) does not influence the certificates.
write_openssl_cnf() {
  cat >"$PKI/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
EOF
}

gen_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; chmod 600 "$1"; }

gen_ca() {
  gen_key "$PKI/ca.key"
  openssl req -x509 -new -config "$PKI/openssl.cnf" -extensions v3_ca -key "$PKI/ca.key" \
    -subj "/CN=e2e-cluster-ca" -days 7 -out "$PKI/ca.crt"
}

# sign_cert <name> <subject> <extendedKeyUsage> [subjectAltName]
# Short-lived (7 days) is fine: a cluster lives at most E2E_CLUSTER_LIFETIME.
sign_cert() {
  local name=$1 subj=$2 eku=$3 san=${4:-}
  gen_key "$PKI/$name.key"
  openssl req -new -config "$PKI/openssl.cnf" -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr"
  {
    echo "basicConstraints = critical, CA:FALSE"
    echo "keyUsage = critical, digitalSignature, keyEncipherment"
    echo "extendedKeyUsage = $eku"
    [ -z "$san" ] || echo "subjectAltName = $san"
  } >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 7 -extfile "$PKI/$name.ext" \
    -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

gen_pki() {
  mkdir -p "$PKI"
  write_openssl_cnf
  gen_ca
  sign_cert apiserver "/CN=kube-apiserver" serverAuth \
    "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1"
  # O=system:masters is bound to cluster-admin by the RBAC bootstrap policy.
  sign_cert admin "/O=system:masters/CN=e2e-admin" clientAuth
  # The bootstrap policy has ClusterRoles/Bindings for exactly these user names.
  sign_cert controller-manager "/CN=system:kube-controller-manager" clientAuth
  sign_cert scheduler "/CN=system:kube-scheduler" clientAuth
  # ServiceAccount token key pair: apiserver signs with sa.key and verifies with
  # sa.pub; controller-manager signs legacy Secret-based tokens with sa.key.
  gen_key "$PKI/sa.key"
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
}

# write_kubeconfig <file> <user> <cert-name>; certs embedded so the file is self-contained.
write_kubeconfig() {
  local f=$1 user=$2 cert=$3
  rm -f "$f"
  kubectl config --kubeconfig="$f" set-cluster e2e --server="$SERVER" \
    --certificate-authority="$PKI/ca.crt" --embed-certs=true >/dev/null
  kubectl config --kubeconfig="$f" set-credentials "$user" --embed-certs=true \
    --client-certificate="$PKI/$cert.crt" --client-key="$PKI/$cert.key" >/dev/null
  kubectl config --kubeconfig="$f" set-context e2e --cluster=e2e --user="$user" >/dev/null
  kubectl config --kubeconfig="$f" use-context e2e >/dev/null
  chmod 600 "$f"
}

# ------------------------------------------------------------------ processes
# start_component <name> <lifetime-s> <cmd> [args...]
# setsid: own process group (id = PID in <name>.pid) so down.sh can signal the
# timeout wrapper and the component together. The outer ( ... & ) detaches it
# from this shell, so up.sh exiting does not leave zombies or hold the caller's
# stdout pipe open (stdio all redirected).
start_component() {
  local name=$1 lifetime=$2; shift 2
  rm -f "$STATE/$name.pid"
  # shellcheck disable=SC2016 # $$/$0/$@ expand in the inner bash
  ( setsid bash -c 'echo $$ >"$0"; exec timeout --signal=TERM --kill-after=10 "$@"' \
      "$STATE/$name.pid" "$lifetime" "$@" \
      </dev/null >"$STATE/logs/$name.log" 2>&1 & )
  local i
  for ((i = 0; i < 50; i++)); do [ -s "$STATE/$name.pid" ] && return 0; sleep 0.1; done
  die "$name: no PID file after 5s"
}

# wait_until <what> <component-that-must-stay-alive> <cmd...>: poll until cmd
# succeeds; fail early (with the log tail) if the component died.
wait_until() {
  local what=$1 comp=$2; shift 2
  local deadline=$((SECONDS + READY_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    component_alive "$STATE" "$comp" || { tail -n 30 "$STATE/logs/$comp.log" >&2; die "$comp exited while waiting for $what"; }
    [ $SECONDS -lt $deadline ] || die "timed out after ${READY_TIMEOUT}s waiting for $what (logs: $STATE/logs)"
    sleep 0.5
  done
}

start_etcd() {
  # Plain http on loopback: only the API server talks to etcd. No fsync: the
  # data is thrown away after the run and fsync latency dominates on shared disks.
  # etcd gets 20 s more than the rest: an API server that loses etcd while
  # shutting down hangs until timeout's --kill-after.
  start_component etcd $((LIFETIME + 20)) etcd \
    --name=e2e --data-dir="$STATE/etcd-data" \
    --listen-client-urls="$ETCD_URL" --advertise-client-urls="$ETCD_URL" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="e2e=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state=new \
    --unsafe-no-fsync=true --log-level=warn
  wait_until "etcd /health" etcd sh -c "curl -fsS '$ETCD_URL/health' | grep -q '\"health\":\"true\"'"
}

start_apiserver() {
  # --enable-admission-plugins ADDS to the default set; in 1.36 the defaults
  # already include NamespaceLifecycle, LimitRanger, ServiceAccount,
  # DefaultStorageClass, PodSecurity, ResourceQuota, Validating/Mutating
  # webhooks+policies (see `kube-apiserver -h`). PodSecurity and ResourceQuota
  # are listed anyway so the tests' dependence on them is explicit;
  # NodeRestriction is what a real cluster adds on top.
  # --allow-privileged=true as on kubeadm clusters, so privileged Pods are
  # rejected by PodSecurity (what the tests exercise), not by this flag.
  start_component kube-apiserver "$LIFETIME" kube-apiserver \
    --etcd-servers="$ETCD_URL" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,NodeRestriction,ResourceQuota,PodSecurity \
    --allow-privileged=true \
    --service-account-issuer="$SA_ISSUER" \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --profiling=false
  wait_until "kube-apiserver /readyz" kube-apiserver kubectl --kubeconfig="$STATE/kubeconfig" get --raw /readyz
}

start_controller_manager() {
  # --service-account-private-key-file turns on the legacy token controller,
  # which fills kubernetes.io/service-account-token Secrets (the Pulumi program
  # waits for that). --use-service-account-credentials: each controller acts as
  # its own kube-system ServiceAccount, as in kubeadm, so RBAC is exercised
  # realistically. '*' = all on-by-default controllers (quoted: no globbing).
  # --cluster-signing-*: CSR signing works too (cheap, uses the run's CA).
  local kc=$STATE/controller-manager.kubeconfig
  start_component kube-controller-manager "$LIFETIME" kube-controller-manager \
    --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
    --root-ca-file="$PKI/ca.crt" \
    --service-account-private-key-file="$PKI/sa.key" \
    --use-service-account-credentials=true \
    '--controllers=*' \
    --leader-elect=false \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR"
}

start_scheduler() {
  # No nodes exist, so Pods stay Pending; the scheduler is here so Pods get
  # real "Unschedulable" conditions instead of none at all.
  local kc=$STATE/scheduler.kubeconfig
  start_component kube-scheduler "$LIFETIME" kube-scheduler \
    --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" \
    --leader-elect=false
}

# ------------------------------------------------------------------ CRDs
crd_files() { # <dir>: the CRD yamls (build.sh drops kustomization.yaml, but be safe)
  find "$1" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) ! -name 'kustomization.y*ml' | sort
}

# Resolve the CRD files before starting anything, so a missing tools build
# fails in a second instead of after the control plane is up.
collect_crd_files() {
  local var dir f
  CRD_ARGS=()
  for var in E2E_CRDS_ARGO_ROLLOUTS E2E_CRDS_PROMETHEUS_OPERATOR; do
    dir=${!var:-}
    [ -n "$dir" ] || die "$var is not set (source the env.sh written by e2e/tools/build.sh)"
    [ -d "$dir" ] || die "$var=$dir does not exist (run: e2e/tools/build.sh crds)"
    while IFS= read -r f; do CRD_ARGS+=(-f "$f"); done < <(crd_files "$dir")
  done
  [ ${#CRD_ARGS[@]} -gt 0 ] || die "no CRD yaml files in $E2E_CRDS_ARGO_ROLLOUTS / $E2E_CRDS_PROMETHEUS_OPERATOR"
}

apply_crds() {
  local names
  # Server-side: several prometheus-operator CRDs are >256 KiB, over the limit
  # of the last-applied-configuration annotation that client-side apply writes.
  names=$(kubectl --kubeconfig="$STATE/kubeconfig" apply --server-side --force-conflicts \
    --field-manager=e2e-cluster -o name "${CRD_ARGS[@]}")
  # shellcheck disable=SC2086 # one name per word
  kubectl --kubeconfig="$STATE/kubeconfig" wait --for=condition=Established \
    --timeout="${READY_TIMEOUT}s" $names >/dev/null
  CRD_COUNT=$(wc -w <<<"$names")
}

# ------------------------------------------------------------------ outputs
write_env() {
  {
    echo "KUBECONFIG=$STATE/kubeconfig"
    echo "E2E_KUBE_SERVER=$SERVER"
    echo "E2E_KUBE_CA_B64=$(base64 -w0 <"$PKI/ca.crt")"
    echo "E2E_CLUSTER_STATE_DIR=$STATE"
  } >"$STATE/env"
}

versions() {
  local kv ev
  kv=$(kubectl --kubeconfig="$STATE/kubeconfig" get --raw /version | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p')
  ev=$(etcd --version | sed -n 's/^etcd Version: //p')
  echo "kube-apiserver=$kv kube-controller-manager=$(kube-controller-manager --version | awk '{print $2}') kube-scheduler=$(kube-scheduler --version | awk '{print $2}') etcd=$ev kubectl=$(kubectl version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -1)"
}

on_error() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  log "up.sh failed (rc=$rc); logs in $STATE/logs"
  if [ "${E2E_CLUSTER_KEEP_ON_FAILURE:-0}" != 1 ]; then "$here/down.sh" "$STATE" || true; fi
}

main() {
  local t0 c
  STATE=$(state_dir_arg "${1:-}")
  load_tools
  for c in "${COMPONENTS[@]}"; do
    component_alive "$STATE" "$c" && die "$c already running for $STATE (run down.sh first)"
  done
  collect_crd_files
  PKI=$STATE/pki
  mkdir -p "$STATE/logs"
  rm -rf "$STATE/etcd-data"
  trap on_error EXIT
  t0=$(date +%s.%N)

  read -r ETCD_PORT ETCD_PEER_PORT API_PORT KCM_PORT SCHED_PORT <<<"$(pick_ports 5)"
  ETCD_URL=http://127.0.0.1:$ETCD_PORT
  SERVER=https://127.0.0.1:$API_PORT

  gen_pki
  write_kubeconfig "$STATE/kubeconfig" e2e-admin admin
  write_kubeconfig "$STATE/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
  write_kubeconfig "$STATE/scheduler.kubeconfig" system:kube-scheduler scheduler
  log "pki + kubeconfigs ready; ports etcd=$ETCD_PORT/$ETCD_PEER_PORT apiserver=$API_PORT kcm=$KCM_PORT scheduler=$SCHED_PORT"

  start_etcd
  start_apiserver
  log "kube-apiserver ready"
  start_controller_manager
  start_scheduler
  # The ServiceAccount controller creates default/default; Pods cannot be
  # admitted in a namespace before its default ServiceAccount exists.
  wait_until "ServiceAccount default/default" kube-controller-manager \
    kubectl --kubeconfig="$STATE/kubeconfig" -n default get serviceaccount default
  # /healthz is in the always-allowed paths, so no client cert is needed.
  wait_until "kube-controller-manager /healthz" kube-controller-manager curl -fsk "https://127.0.0.1:$KCM_PORT/healthz"
  wait_until "kube-scheduler /healthz" kube-scheduler curl -fsk "https://127.0.0.1:$SCHED_PORT/healthz"
  log "controller-manager + scheduler ready"
  apply_crds
  log "$CRD_COUNT CRDs established"
  write_env
  trap - EXIT
  printf 'e2e-cluster ready in %ss: server=%s %s crds=%s state=%s\n' \
    "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')" \
    "$SERVER" "$(versions)" "$CRD_COUNT" "$STATE"
}

main "$@"
