import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { CLUSTER_ISSUER_ANNOTATION, INGRESS_NAME } from "../catalogue/public-endpoint";
import { platformLabels } from "../catalogue/labels";
import type { IngressSpec } from "./spec";

/**
 * The environment's Ingress: one host, TLS for it always (the policy pack
 * refuses an Ingress without), everything under `/` to one service's stable
 * Service. With a cluster issuer cert-manager's ingress-shim reads the
 * annotation and keeps `tls.secretName` filled with a valid certificate.
 */
export function buildIngress(spec: IngressSpec): IIngress {
  const issuer = spec.tls.clusterIssuer;
  const annotations = { ...spec.annotations, ...(issuer === undefined ? {} : { [CLUSTER_ISSUER_ANNOTATION]: issuer }) };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name: INGRESS_NAME,
      namespace: spec.namespace,
      labels: { ...spec.labels, ...platformLabels(spec.environment), "app.kubernetes.io/component": "ingress" },
      ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
    },
    spec: {
      ingressClassName: spec.className,
      tls: [{ hosts: [spec.host], secretName: spec.tls.secretName }],
      rules: [
        {
          host: spec.host,
          http: {
            paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: spec.backend.serviceName, port: { number: spec.backend.port } } } }],
          },
        },
      ],
    },
  };
}
