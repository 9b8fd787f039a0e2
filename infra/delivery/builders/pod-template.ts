import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { API_KEY_SECRET } from "../../catalogue/names";
import type { DeliverySpec } from "../spec";
import { imageReference } from "./image";
import { selectorLabels } from "./labels";
import { deliveryNames } from "./names";

/**
 * A numeric, non-root user: Pod Security `restricted` can only prove
 * `runAsNonRoot` for a numeric UID, and the image must not need root anyway.
 */
export const RUN_AS_USER = 10001;

/**
 * The environment's API key (the Secret the platform generates, also the
 * GitHub environment's `<ENV>_API_KEY`), as the service reads it.
 */
export const API_KEY_ENV = "AGENT_HIVE_API_KEY";

/** The port name both probes and the Services target, so a port change is one field. */
export const HTTP_PORT_NAME = "http";

/**
 * The pod every version runs: pinned image, requests and limits, probes on the
 * health path, and the Pod Security `restricted` profile (the namespace
 * enforces it, so a pod without it would be refused at admission, mid-rollout).
 * The service container is the first and only one: the pipeline-owned image
 * path (`containers[0].image`) relies on it.
 */
export function buildPodTemplate(spec: DeliverySpec): IPodTemplateSpec {
  const s = spec.service;
  const names = deliveryNames(s);
  const httpGet = { path: s.healthPath, port: HTTP_PORT_NAME };
  return {
    metadata: { labels: selectorLabels(spec) },
    spec: {
      // Its own ServiceAccount, which lists the registry's pull secrets; the
      // service calls no Kubernetes API, so a mounted token would only be loot.
      serviceAccountName: names.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS_USER,
        runAsGroup: RUN_AS_USER,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: names.container,
          image: imageReference(s),
          ports: [{ name: HTTP_PORT_NAME, containerPort: s.port, protocol: "TCP" }],
          env: [{ name: API_KEY_ENV, valueFrom: { secretKeyRef: { name: API_KEY_SECRET.name, key: API_KEY_SECRET.key } } }],
          resources: {
            requests: { cpu: s.resources.request.cpu, memory: s.resources.request.memory },
            limits: { cpu: s.resources.limit.cpu, memory: s.resources.limit.memory },
          },
          // Readiness reacts fast (traffic leaves a sick pod); liveness slowly, so a
          // busy pod is not killed for one slow answer.
          readinessProbe: { httpGet, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
          livenessProbe: { httpGet, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          // The root filesystem is read-only; Python and its libraries still want a scratch dir.
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        },
      ],
      // Bounded, so a runaway temp file evicts one pod instead of filling the node's disk.
      volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
      // Spread over nodes so one node's loss takes few replicas; ScheduleAnyway so a
      // small cluster still schedules the canary instead of stalling the rollout.
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: selectorLabels(spec) },
        },
      ],
    },
  };
}
