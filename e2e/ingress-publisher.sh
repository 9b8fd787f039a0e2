#!/usr/bin/env bash
# The one act of an ingress controller the engine waits for: publishing the Ingress's
# address. The kubernetes provider awaits an Ingress until .status.loadBalancer.ingress has a
# hostname or IP (ingress-nginx publishes its Service's), so without a controller `pulumi up`
# would wait its full timeout. This stands in for it, as kwok stands in for the kubelet: every
# Ingress of every namespace gets 127.0.0.1, once a second (an unchanged status is no write).
# Run by start_bg (e2e/lib.sh): its own process group, ended by PID, dead after LIFETIME.
set -u
while :; do
  kubectl get ingresses.networking.k8s.io -A --no-headers \
    -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name 2>/dev/null |
    while read -r ns name; do
      kubectl patch ingresses.networking.k8s.io "$name" -n "$ns" --subresource=status --type=merge \
        -p '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1"}]}}}' >/dev/null ||
        echo "patch $ns/$name failed" >&2
    done
  sleep 1
done
