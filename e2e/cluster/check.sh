#!/usr/bin/env bash
# Self-check of the e2e cluster: up.sh, then assert the behaviour the e2e tests
# rely on (RBAC, PodSecurity, ResourceQuota, SA token Secrets, namespace
# finalization, CRDs), then down.sh. Exits non-zero with one "FAIL:" line on
# the first failed assertion.
#
#   check.sh [state-dir]   (default: a fresh temp dir, removed on success)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

NS_PSA=e2e-check-psa
NS_QUOTA=e2e-check-quota
NS_TOKEN=e2e-check-token
CRDS=(rollouts.argoproj.io analysistemplates.argoproj.io prometheusrules.monitoring.coreos.com
  podmonitors.monitoring.coreos.com servicemonitors.monitoring.coreos.com alertmanagerconfigs.monitoring.coreos.com)
# Never pulled (no kubelet); any valid image reference works.
IMAGE=registry.k8s.io/pause:3.10

ok() { printf 'ok   %s\n' "$*"; }

# poll <seconds> <cmd...>: retry until cmd succeeds; non-zero on timeout.
poll() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

# New namespace + wait for its default ServiceAccount: the ServiceAccount
# admission plugin rejects Pods until the controller-manager has created it.
make_ns() { # <name> [label...]
  local ns=$1; shift
  kubectl create namespace "$ns" >/dev/null
  [ $# -eq 0 ] || kubectl label namespace "$ns" "$@" >/dev/null
  poll 30 kubectl -n "$ns" get serviceaccount default || die "namespace $ns: default ServiceAccount not created within 30s"
}

pod_yaml() { # <name> <privileged:true|false>; false = compliant with "restricted"
  local sc
  if [ "$2" = true ]; then
    sc='{"privileged": true}'
  else
    sc='{"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": true, "runAsUser": 65534, "seccompProfile": {"type": "RuntimeDefault"}}'
  fi
  cat <<EOF
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "$1"},
 "spec": {"containers": [{"name": "c", "image": "$IMAGE", "securityContext": $sc}]}}
EOF
}

check_crds() {
  local c st
  for c in "${CRDS[@]}"; do
    st=$(kubectl get crd "$c" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>&1) || die "CRD $c: $st"
    [ "$st" = True ] || die "CRD $c not Established (status '$st')"
  done
  ok "CRDs Established: ${CRDS[*]}"
}

check_rbac() {
  local sa=system:serviceaccount:default:default out
  out=$(kubectl auth can-i list secrets -n default --as="$sa" 2>&1) || true
  [ "$out" = no ] || die "RBAC: '$sa' can list secrets (got '$out'); authorization is not RBAC?"
  out=$(kubectl auth can-i create pods -n default --as="$sa" 2>&1) || true
  [ "$out" = no ] || die "RBAC: '$sa' can create pods (got '$out')"
  # Control: the admin identity (system:masters) is allowed everything.
  out=$(kubectl auth can-i '*' '*' --all-namespaces 2>&1) || true
  [ "$out" = yes ] || die "RBAC: admin kubeconfig is not cluster-admin (got '$out')"
  ok "RBAC: plain ServiceAccount denied, admin allowed"
}

check_pod_security() {
  local out
  make_ns "$NS_PSA" pod-security.kubernetes.io/enforce=restricted
  if out=$(pod_yaml bad true | kubectl -n "$NS_PSA" create -f - 2>&1); then
    die "PodSecurity: privileged Pod was admitted in a restricted namespace"
  fi
  grep -q 'violates PodSecurity "restricted' <<<"$out" || die "PodSecurity: rejected for another reason: $out"
  # Control: a compliant Pod is admitted, so the rejection above was PodSecurity's.
  out=$(pod_yaml good false | kubectl -n "$NS_PSA" create -f - 2>&1) || die "PodSecurity: compliant Pod rejected: $out"
  ok "PodSecurity: privileged Pod rejected in enforce=restricted namespace, compliant Pod admitted"
}

check_resource_quota() {
  local out
  make_ns "$NS_QUOTA"
  kubectl -n "$NS_QUOTA" create quota pods-one --hard=pods=1 >/dev/null
  # Admission refuses all Pods ("status unknown for quota") until the
  # controller-manager's quota controller has written status.hard.
  poll 30 sh -c "[ \"\$(kubectl -n $NS_QUOTA get quota pods-one -o jsonpath='{.status.hard.pods}')\" = 1 ]" \
    || die "ResourceQuota: status.hard not populated within 30s (quota controller running?)"
  out=$(pod_yaml first false | kubectl -n "$NS_QUOTA" create -f - 2>&1) || die "ResourceQuota: first Pod rejected: $out"
  if out=$(pod_yaml second false | kubectl -n "$NS_QUOTA" create -f - 2>&1); then
    die "ResourceQuota: second Pod admitted despite pods=1"
  fi
  grep -q 'exceeded quota' <<<"$out" || die "ResourceQuota: second Pod rejected for another reason: $out"
  ok "ResourceQuota: pods=1 admits one Pod, rejects the second"
}

check_sa_token() {
  local t0=$SECONDS
  make_ns "$NS_TOKEN"
  # The token controller deletes token Secrets whose ServiceAccount does not
  # exist, so the SA (here: default) must exist first.
  kubectl -n "$NS_TOKEN" apply -f - >/dev/null <<EOF
{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
 "metadata": {"name": "default-token", "annotations": {"kubernetes.io/service-account.name": "default"}}}
EOF
  poll 30 sh -c "[ -n \"\$(kubectl -n $NS_TOKEN get secret default-token -o jsonpath='{.data.token}')\" ]" \
    || die "SA token: Secret data.token not filled within 30s (controller-manager --service-account-private-key-file?)"
  [ -n "$(kubectl -n "$NS_TOKEN" get secret default-token -o jsonpath='{.data.ca\.crt}')" ] \
    || die "SA token: data.ca.crt empty (controller-manager --root-ca-file?)"
  ok "SA token: kubernetes.io/service-account-token Secret filled in $((SECONDS - t0))s (incl. namespace setup)"
}

check_namespace_deletion() {
  local t0=$SECONDS ns
  # Includes the quota namespace, which still holds a Pod and a ResourceQuota.
  kubectl delete namespace "$NS_PSA" "$NS_QUOTA" "$NS_TOKEN" --wait=false >/dev/null
  for ns in "$NS_PSA" "$NS_QUOTA" "$NS_TOKEN"; do
    poll $((60 - (SECONDS - t0))) sh -c "! kubectl get namespace $ns" \
      || die "namespace $ns still present 60s after delete: $(kubectl get namespace "$ns" -o jsonpath='{.status}' 2>&1)"
  done
  ok "namespace deletion: 3 namespaces finalized in $((SECONDS - t0))s"
}

cleanup() {
  local rc=$?
  "$here/down.sh" "$STATE" >/dev/null 2>&1 || log "down.sh failed for $STATE"
  if [ "$rc" -eq 0 ] && [ "$OWN_STATE" = 1 ]; then rm -rf "$STATE"
  elif [ "$rc" -ne 0 ]; then log "kept $STATE (logs in $STATE/logs)"; fi
}

main() {
  OWN_STATE=0
  if [ $# -ge 1 ]; then STATE=$(state_dir_arg "$1"); else STATE=$(mktemp -d -t e2e-cluster-check.XXXXXX); OWN_STATE=1; fi
  trap cleanup EXIT
  "$here/up.sh" "$STATE"
  # shellcheck disable=SC1091 # written by up.sh
  set -a; . "$STATE/env"; set +a
  load_tools
  check_crds
  check_rbac
  check_pod_security
  check_resource_quota
  check_sa_token
  check_namespace_deletion
  echo "check.sh: all checks passed"
}

main "$@"
