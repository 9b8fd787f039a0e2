import { PROMETHEUS_DURATION, durationSeconds } from "../../infra/catalogue/duration";
import { CLUSTER_ISSUER_ANNOTATION, plainHttpAnnotation } from "../../infra/catalogue/public-endpoint";
import { defaultNamespace } from "../../infra/catalogue/names";
import { DEPLOYMENTS_WEBHOOK, SLACK_DESTINATIONS, SLACK_ROUTING_TABLE } from "../../infra/catalogue/slack";
import { DeliveryNames, defaultStableServiceName, deliveryNames } from "../../infra/delivery/builders/names";
import { DEPLOYER } from "../../infra/deployer/builders/identity";
import { Quantity, addQuantities, compareQuantities, formatQuantity, parseQuantity, scaleQuantity } from "./quantity";
import { ADDON_DEFAULT_NAMESPACES, AddonName, MAX_REPLICAS, MAX_REVIEWERS, isFloatingTag } from "./schema";
import { SECRET_KEYS, slackRoutingOf } from "./secrets";

/**
 * The one home of the rules across fields of one stack: what one key's schema
 * cannot see because it depends on another key. The schema (schema.ts) owns
 * every rule of a single key and every default; these own the rest:
 * - delivery: each service's image pin, the strategy's own settings, canary weights and pauses;
 * - GitHub: reviewers, and what only the owner of repository settings manages;
 * - Slack: the channels each routing needs, and webhooks that would collapse;
 * - Kubernetes: resources against the LimitRange and quota, generated names
 *   and namespaces, which the API server would refuse or two objects fight over.
 * They read the decoded input defensively (any field may be missing or of the
 * wrong type: the schema reports those), so they run even when other keys are
 * broken. What no single stack can decide (two stacks' namespaces, one owner of
 * the repository settings) is in cross-stack.ts.
 */

type Input = Readonly<Record<string, unknown>>;
export interface RuleProblem {
  readonly path: PropertyKey[];
  readonly problem: string;
}

const RESOURCES = ["cpu", "memory"] as const;
type Resource = (typeof RESOURCES)[number];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const field = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((cur, p) => (isRecord(cur) && Object.hasOwn(cur, p) ? cur[p] : undefined), v);
const quantityAt = (v: unknown, ...path: string[]): Quantity | undefined => {
  const t = field(v, ...path);
  return typeof t === "string" ? parseQuantity(t) : undefined;
};
const gt = (a: Quantity | undefined, b: Quantity | undefined): boolean => a !== undefined && b !== undefined && compareQuantities(a, b) > 0;

export function platformRules(input: Input): RuleProblem[] {
  return [
    ...imagePinRules(input),
    ...deliveryRules(input),
    ...githubRules(input),
    ...slackRules(input),
    ...podQuotaRules(input),
    ...limitRangeRules(input),
    ...serviceResourceRules(input),
    ...quotaRules(input),
    ...generatedNameRules(input),
    ...namespaceRules(input),
    ...logRules(input),
    ...ingressRules(input),
    ...registryRules(input),
  ];
}

/** The service the Ingress routes to: `ingress.service`, else the first service. */
export function ingressServiceIndex(input: Input): number | undefined {
  const services = input.services;
  if (!Array.isArray(services)) return undefined;
  const wanted = field(input, "ingress", "service");
  if (wanted === undefined) return services.length > 0 ? 0 : undefined;
  const i = services.findIndex((s: unknown) => field(s, "name") === wanted);
  return i === -1 ? undefined : i;
}

/**
 * The Ingress routes to a service of this stack; its cluster issuer is named
 * once (`ingress.tls.clusterIssuer`, not also as an annotation); the ACME
 * issuer's HTTP-01 solver answers through the Ingress's class, so it needs one.
 */
function ingressRules(input: Input): RuleProblem[] {
  const out: RuleProblem[] = [];
  const ingress = field(input, "ingress");
  const acme = field(input, "addons", "certManager", "acme");
  if (isRecord(acme) && field(input, "addons", "certManager", "install") !== true) {
    out.push({
      path: ["addons", "certManager", "acme"],
      problem: "is created only with the cert-manager add-on, and addons.certManager.install is not true: the Ingress would name an issuer nothing creates, and no certificate would be issued. Set addons.certManager.install: true, or remove addons.certManager.acme and set ingress.tls.clusterIssuer to an issuer the cluster has",
    });
  }
  if (isRecord(acme) && field(input, "addons", "certManager", "install") === true && ingress === undefined) {
    out.push({
      path: ["addons", "certManager", "acme"],
      problem: "the ACME issuer answers HTTP-01 challenges through the ingress class of ingress.className, and this stack has no ingress: set ingress, or remove addons.certManager.acme",
    });
  }
  if (!isRecord(ingress)) return out;
  const services = input.services;
  const wanted = ingress.service;
  if (typeof wanted === "string" && Array.isArray(services) && ingressServiceIndex(input) === undefined) {
    const names = services.map((s: unknown) => field(s, "name")).filter((n): n is string => typeof n === "string");
    out.push({ path: ["ingress", "service"], problem: `is not a service of this stack; the Ingress can route to: ${names.join(", ")} (services[].name)` });
  }
  const annotations = field(ingress, "annotations");
  for (const [annotation, value] of isRecord(annotations) ? Object.entries(annotations) : []) {
    const plain = plainHttpAnnotation(annotation, value);
    if (plain) {
      out.push({
        path: ["ingress", "annotations", annotation],
        problem: `turns ${plain.controller}'s HTTP-to-HTTPS redirect off, so the hosts (and the API key sent to them) would be served over plain HTTP too: remove it`,
      });
    }
  }
  if (isRecord(annotations) && Object.hasOwn(annotations, CLUSTER_ISSUER_ANNOTATION)) {
    out.push({
      path: ["ingress", "annotations", CLUSTER_ISSUER_ANNOTATION],
      problem: "names the cluster issuer a second time: set ingress.tls.clusterIssuer instead, the one key the Ingress's certificate is issued by",
    });
  }
  return out;
}

/** The registry a Docker image reference is pulled from: its first path part when that is a host, else Docker Hub. */
export function imageRegistry(image: string): string {
  const first = image.split("/")[0];
  return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

/** A pull secret for a registry no service pulls from would be dead weight, and the images' registry would get none. */
function registryRules(input: Input): RuleProblem[] {
  const server = field(input, "registry", "server");
  const services = input.services;
  if (typeof server !== "string" || !Array.isArray(services)) return [];
  const registries = services.map((s: unknown) => field(s, "image")).filter((i): i is string => typeof i === "string").map(imageRegistry);
  if (registries.length === 0 || registries.includes(server)) return [];
  return [
    {
      path: ["registry", "server"],
      problem: `is not the registry of any service's image (${[...new Set(registries)].join(", ")}): the kubelet would never use the pull secret. Set it to the registry the images are pulled from`,
    },
  ];
}

/**
 * Every service runs a pinned image: a digest, or a release tag. A tag that
 * moves with every build (`latest`, a branch name) pins nothing, unless a
 * digest beside it does: Argo Rollouts starts a canary only when the pod
 * template changes, so a moving tag would ship unanalysed on a pod restart.
 */
function imagePinRules(input: Input): RuleProblem[] {
  const services = input.services;
  if (!Array.isArray(services)) return [];
  return services.flatMap((s: unknown, i): RuleProblem[] => {
    if (!isRecord(s) || s.digest !== undefined) return [];
    const at = ["services", i, "tag"];
    if (s.tag === undefined) return [{ path: at, problem: "set a pinned tag (such as 1.4.2) or a digest (sha256:...)" }];
    if (typeof s.tag === "string" && isFloatingTag(s.tag)) {
      return [{ path: at, problem: `\`${s.tag}\` is not a pinned version: it moves with every build; set a release tag such as 1.4.2, or a digest (sha256:...)` }];
    }
    return [];
  });
}

/** The strategy's own settings: a canary's steps, blue-green's measurement count and auto-promotion. */
function deliveryRules(input: Input): RuleProblem[] {
  const delivery = field(input, "delivery");
  if (!isRecord(delivery)) return [];
  const out: RuleProblem[] = [];
  const strategy = delivery.strategy;
  if (strategy === "canary" && delivery.canary === undefined) {
    out.push({ path: ["delivery", "canary"], problem: "strategy canary needs delivery.canary.steps" });
  }
  if (strategy === "blueGreen") {
    if (field(delivery, "analysis", "count") === undefined) {
      out.push({ path: ["delivery", "analysis", "count"], problem: "blue-green needs a measurement count: a pre-promotion analysis without one never finishes" });
    }
    if (field(delivery, "blueGreen", "autoPromotionSeconds") !== undefined && field(delivery, "blueGreen", "autoPromotionEnabled") !== true) {
      out.push({ path: ["delivery", "blueGreen", "autoPromotionSeconds"], problem: "has no effect while autoPromotionEnabled is false: drop it or enable auto-promotion" });
    }
  }
  const steps = field(delivery, "canary", "steps");
  if (Array.isArray(steps)) {
    let last = 0;
    steps.forEach((step: unknown, i) => {
      const w = field(step, "setWeight");
      if (typeof w !== "number" || w < 1 || w > 100) return; // the schema reports those
      if (w <= last) out.push({ path: ["delivery", "canary", "steps", i, "setWeight"], problem: `weights must strictly increase (previous step is ${last})` });
      last = w;
      if (field(step, "pauseSeconds") === undefined && delivery.allowIndefinitePause === false) {
        out.push({ path: ["delivery", "canary", "steps", i, "pauseSeconds"], problem: "this stack forbids pauses without duration (delivery.allowIndefinitePause: false): set pauseSeconds" });
      }
    });
  }
  return out;
}

/** Reviewers the environment's approval needs and GitHub accepts, and what only the owner of repository settings manages. */
function githubRules(input: Input): RuleProblem[] {
  const github = field(input, "github");
  if (!isRecord(github)) return [];
  const out: RuleProblem[] = [];
  const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  const reviewers = count(field(github, "reviewers", "users")) + count(field(github, "reviewers", "teams"));
  if (github.requireDeploymentApproval === true && reviewers === 0) {
    out.push({ path: ["github", "reviewers"], problem: "this environment requires deployment approval (github.requireDeploymentApproval) but names no reviewers: add users or teams" });
  }
  if (reviewers > MAX_REVIEWERS) {
    out.push({ path: ["github", "reviewers"], problem: `names ${reviewers} users and teams; GitHub allows at most ${MAX_REVIEWERS} reviewers of an environment in total: name a team instead of its members` });
  }
  const alerts = field(github, "security", "vulnerabilityAlerts") === true;
  const updates = field(github, "security", "dependabotSecurityUpdates") === true;
  if (github.ownsRepositorySettings !== true) {
    for (const [key, on] of [["vulnerabilityAlerts", alerts], ["dependabotSecurityUpdates", updates]] as const) {
      if (on) {
        out.push({
          path: ["github", "security", key],
          problem: "is a repository-wide setting, managed only by the stack that owns repository settings (github.ownsRepositorySettings): set it there, or remove it here",
        });
      }
    }
  } else if (updates && !alerts) {
    out.push({ path: ["github", "security", "dependabotSecurityUpdates"], problem: "needs github.security.vulnerabilityAlerts: true: GitHub refuses security updates without vulnerability alerts" });
  }
  return out;
}

/** The channel fields each Slack routing needs, and two distinct channels for routing by severity. */
function slackRules(input: Input): RuleProblem[] {
  const s = field(input, "observability", "slack");
  if (!isRecord(s)) return [];
  const at = (f: string) => ["observability", "slack", f];
  const out: RuleProblem[] = [];
  if (slackRoutingOf(input) === "single") {
    if (s.channel === undefined) out.push({ path: at("channel"), problem: "routing single needs the channel its webhook (slackWebhookAlerts) posts to" });
    for (const f of ["channelCritical", "channelWarning"]) {
      if (s[f] !== undefined) out.push({ path: at(f), problem: "is only for routing bySeverity: with routing single, set channel" });
    }
    return out;
  }
  for (const f of ["channelCritical", "channelWarning"]) {
    if (s[f] === undefined) out.push({ path: at(f), problem: "routing bySeverity needs the channels of both webhooks (slackWebhookCritical, slackWebhookWarning)" });
  }
  if (s.channel !== undefined) out.push({ path: at("channel"), problem: "is only for routing single: with routing bySeverity, set channelCritical and channelWarning" });
  if (typeof s.channelCritical === "string" && s.channelCritical === s.channelWarning) {
    out.push({
      path: at("channelWarning"),
      problem: `is the same channel as channelCritical: routing by severity needs two channels, each with its own webhook. For one channel, set routing: single and channel: ${s.channelCritical}`,
    });
  }
  return out;
}

/** A rollout runs up to twice the replicas while old and new ReplicaSets overlap: the pod quota must hold them. */
function podQuotaRules(input: Input): RuleProblem[] {
  const services = input.services;
  const pods = field(input, "namespace", "quota", "pods");
  if (!Array.isArray(services) || typeof pods !== "number") return [];
  const replicas = services.map((s: unknown) => field(s, "replicas")).filter((r): r is number => typeof r === "number" && r > 0);
  // Replicas beyond the cap are reported by the schema; the quota is not the fix then.
  if (replicas.some((r) => r > MAX_REPLICAS)) return [];
  const total = replicas.reduce((n, r) => n + r, 0);
  if (2 * total <= pods) return [];
  return [{ path: ["namespace", "quota", "pods"], problem: `must be at least ${2 * total}: twice the services' ${total} replicas, for old and new pods during a rollout` }];
}

/** How a rule about a secret key shows its value: never the value itself. */
export type SecretShown = "absent" | "hidden";

/**
 * Rules about the secret keys: each one the config needs (its routing, the
 * repository settings it owns) is set, and no two destinations share one
 * webhook. `secretValue` reads a secret key's value; a value is compared,
 * never returned.
 */
export function secretRules(input: Input, secretValue: (key: string) => string | undefined): (RuleProblem & { readonly shown: SecretShown })[] {
  const missing = SECRET_KEYS.flatMap((spec) => {
    const why = spec.neededFor(input);
    if (why === undefined || secretValue(spec.key) !== undefined) return [];
    return [{ path: [spec.key], shown: "absent" as const, problem: `is required for ${why}; run: pulumi config set --secret ${spec.key} <value>` }];
  });
  return [...missing, ...sharedWebhooks(input, secretValue)];
}

/**
 * Two destinations on one webhook would post to one channel: critical and
 * warning alerts together, or alerts in #deployments. Compared without ever
 * showing either value (offline, each key has its own placeholder).
 */
function sharedWebhooks(input: Input, secretValue: (key: string) => string | undefined): (RuleProblem & { readonly shown: SecretShown })[] {
  const keys = [...SLACK_ROUTING_TABLE[slackRoutingOf(input)].map((r) => SLACK_DESTINATIONS[r.destination].configKey), DEPLOYMENTS_WEBHOOK.configKey];
  return keys.flatMap((key, i) => {
    const value = secretValue(key);
    const earlier = keys.slice(0, i).find((k) => value !== undefined && value.trim() !== "" && secretValue(k) === value);
    if (earlier === undefined) return [];
    const fix =
      key === DEPLOYMENTS_WEBHOOK.configKey
        ? "create a separate webhook for #deployments"
        : "a Slack webhook posts only to the channel it was made for, so both severities would land in one channel: create a webhook for observability.slack.channelWarning, or set observability.slack.routing: single";
    return [{ path: [key], shown: "hidden" as const, problem: `is the same webhook as ${earlier}; ${fix}` }];
  });
}

/** Kubernetes refuses a LimitRange whose default limit exceeds its max, or whose default request exceeds the default limit or max. */
function limitRangeRules(input: Input): RuleProblem[] {
  const cd = field(input, "namespace", "containerDefaults");
  const at = (part: string, r: Resource) => ["namespace", "containerDefaults", part, r];
  return RESOURCES.flatMap((r) => {
    const request = quantityAt(cd, "request", r);
    const limit = quantityAt(cd, "limit", r);
    const max = quantityAt(cd, "max", r);
    const out: RuleProblem[] = [];
    if (gt(limit, max)) {
      out.push({ path: at("limit", r), problem: `is above max.${r} (${String(field(cd, "max", r))}): the LimitRange's default limit must not exceed its max, and the API server refuses it` });
    }
    if (gt(request, limit)) {
      out.push({ path: at("request", r), problem: `is above limit.${r} (${String(field(cd, "limit", r))}): the LimitRange's default request must not exceed its default limit, and the API server refuses it` });
    } else if (gt(request, max)) {
      out.push({ path: at("request", r), problem: `is above max.${r} (${String(field(cd, "max", r))}): the API server refuses the LimitRange` });
    }
    return out;
  });
}

/** A container whose request exceeds its limit, or whose resources exceed the namespace's max, is refused at admission. */
function serviceResourceRules(input: Input): RuleProblem[] {
  const services = input.services;
  if (!Array.isArray(services)) return [];
  const cd = field(input, "namespace", "containerDefaults");
  return services.flatMap((s: unknown, i) => {
    const res = field(s, "resources");
    if (!isRecord(res)) return [];
    const at = (part: string, r: Resource) => ["services", i, "resources", part, r];
    return RESOURCES.flatMap((r) => {
      const request = quantityAt(res, "request", r);
      const limit = quantityAt(res, "limit", r);
      const max = quantityAt(cd, "max", r);
      const maxText = `namespace.containerDefaults.max.${r} = ${String(field(cd, "max", r))}`;
      const out: RuleProblem[] = [];
      if (gt(request, limit)) {
        out.push({ path: at("request", r), problem: `is above resources.limit.${r} (${String(field(res, "limit", r))}): Kubernetes refuses a container whose request exceeds its limit` });
      }
      if (gt(limit, max)) out.push({ path: at("limit", r), problem: `is above the namespace's LimitRange max (${maxText}): the API server refuses the pods; lower it or raise the max` });
      if (gt(request, max)) out.push({ path: at("request", r), problem: `is above the namespace's LimitRange max (${maxText}): the API server refuses the pods; lower it or raise the max` });
      return out;
    });
  });
}

/**
 * During a rollout old and new pods overlap, so the quota must hold twice each
 * service's replicas times its requests and limits (its own resources, else
 * the namespace's container defaults); otherwise new pods are refused midway.
 */
function quotaRules(input: Input): RuleProblem[] {
  const services = input.services;
  const ns = field(input, "namespace");
  if (!Array.isArray(services)) return [];
  const out: RuleProblem[] = [];
  for (const part of ["request", "limit"] as const) {
    for (const r of RESOURCES) {
      const quotaKey = `${part}s${r === "cpu" ? "Cpu" : "Memory"}`;
      const hard = quantityAt(ns, "quota", quotaKey);
      let total: Quantity | undefined = { mantissa: 0n, exponent: 0 };
      for (const s of services) {
        const replicas = field(s, "replicas");
        const each = isRecord(field(s, "resources")) ? quantityAt(s, "resources", part, r) : quantityAt(ns, "containerDefaults", part, r);
        if (typeof replicas !== "number" || !Number.isSafeInteger(replicas) || replicas < 1 || replicas > 1_000_000 || each === undefined || total === undefined) {
          total = undefined;
          break;
        }
        total = addQuantities(total, scaleQuantity(each, 2 * replicas));
      }
      if (gt(total, hard)) {
        out.push({
          path: ["namespace", "quota", quotaKey],
          problem: `must be at least ${formatQuantity(total!, r)}: twice each service's replicas times its ${r} ${part} (resources.${part}, else containerDefaults.${part}), for old and new pods during a rollout`,
        });
      }
    }
  }
  return out;
}

type NameRole = keyof Omit<DeliveryNames, "container">;
/** The kind of object each generated name is, since names only collide within a kind. */
const KIND_OF: Readonly<Record<NameRole, string>> = {
  rollout: "Rollout",
  clientService: "Service",
  stableService: "Service",
  canaryService: "Service",
  previewService: "Service",
  analysisTemplate: "AnalysisTemplate",
  podDisruptionBudget: "PodDisruptionBudget",
  serviceAccount: "ServiceAccount",
};
const ROLE_TEXT: Readonly<Record<NameRole, string>> = {
  rollout: "Rollout",
  clientService: "clients' Service",
  stableService: "stable Service",
  canaryService: "canary Service",
  previewService: "preview Service",
  analysisTemplate: "AnalysisTemplate",
  podDisruptionBudget: "PodDisruptionBudget",
  serviceAccount: "ServiceAccount",
};

/**
 * Every object a service generates, named by the delivery module's own name
 * functions, must be unique within its kind across the stack. All four
 * Service roles count whatever the strategy, so switching strategy later
 * cannot reveal a collision.
 */
function generatedNameRules(input: Input): RuleProblem[] {
  const services = input.services;
  if (!Array.isArray(services)) return [];
  const owners = new Map<string, { index: number; role: NameRole }>();
  const out: RuleProblem[] = [];
  services.forEach((s: unknown, i) => {
    const name = field(s, "name");
    if (typeof name !== "string" || name === "") return;
    const explicitStable = field(s, "stableServiceName");
    const stableServiceName = typeof explicitStable === "string" && explicitStable !== "" ? explicitStable : defaultStableServiceName(name);
    const names = deliveryNames({ name, stableServiceName });
    if (names.serviceAccount === DEPLOYER.serviceAccount) {
      out.push({
        path: ["services", i, "name"],
        problem: `generates ServiceAccount "${names.serviceAccount}" (the service's pods' identity), which is the deployer's, the identity CI deploys as: the pods would run as the deployer. Rename the service`,
      });
    }
    const reported = new Set<number>();
    for (const role of Object.keys(KIND_OF) as NameRole[]) {
      const kind = KIND_OF[role];
      const id = `${kind}/${names[role]}`;
      const owner = owners.get(id);
      if (owner === undefined) {
        owners.set(id, { index: i, role });
        continue;
      }
      const fieldName = role === "clientService" && typeof explicitStable === "string" ? "stableServiceName" : "name";
      if (owner.index === i) {
        // Only stableServiceName can make one service's names meet.
        const other = role === "clientService" ? owner.role : role;
        out.push({ path: ["services", i, "stableServiceName"], problem: `makes the clients' Service "${names[role]}" also this service's own ${ROLE_TEXT[other]}: Argo and the clients would share one Service. Pick another stableServiceName` });
        continue;
      }
      const otherName = field(services[owner.index], "name");
      if (otherName === name || reported.has(owner.index)) continue; // a duplicate name is reported by the schema; one problem per pair
      reported.add(owner.index);
      out.push({
        path: ["services", i, fieldName],
        problem: `generates ${kind} "${names[role]}" (its ${ROLE_TEXT[role]}), which is already services[${owner.index}] (${String(otherName)})'s ${ROLE_TEXT[owner.role]}: one namespace holds one ${kind} of a name, so the two would overwrite each other. Rename the service or set another stableServiceName`,
      });
    }
  });
  return out;
}

const ADDON_LABEL: Readonly<Record<AddonName, string>> = {
  argoRollouts: "Argo Rollouts",
  kubePrometheusStack: "kube-prometheus-stack",
  pushgateway: "Pushgateway",
  loki: "Loki",
  logShipper: "log shipper (Grafana Alloy)",
  certManager: "cert-manager",
};

/** `kube-system`, `kube-public`, `kube-node-lease`, any `kube-*`, and `default`. */
export function isSystemNamespace(name: string): boolean {
  return name === "default" || name.startsWith("kube-");
}

/**
 * Whether a stack creates an add-on, from each add-on's `install` (undefined
 * where a raw input lacks it): the Pushgateway is installed with
 * kube-prometheus-stack, and by default when that is.
 */
export function installsAddon(addon: AddonName, install: (addon: AddonName) => unknown): boolean {
  return addon === "pushgateway" ? install("kubePrometheusStack") === true && install("pushgateway") !== false : install(addon) === true;
}

/** Each add-on's namespace as configured, else its default; `installed` as the platform decides it. */
export function addonNamespaces(input: Input): { addon: AddonName; namespace: string; installed: boolean }[] {
  const addons = field(input, "addons");
  return (Object.keys(ADDON_DEFAULT_NAMESPACES) as AddonName[]).map((addon) => {
    const ns = field(addons, addon, "namespace");
    const installed = installsAddon(addon, (a) => field(addons, a, "install"));
    return { addon, namespace: typeof ns === "string" && ns !== "" ? ns : ADDON_DEFAULT_NAMESPACES[addon], installed };
  });
}

/** The environment's namespace and the key that sets it: `namespace.name`, else derived from `environment`. */
export function environmentNamespace(input: Input): { namespace: string; path: PropertyKey[] } | undefined {
  const name = field(input, "namespace", "name");
  if (typeof name === "string" && name !== "") return { namespace: name, path: ["namespace", "name"] };
  const environment = field(input, "environment");
  if (typeof environment === "string" && environment !== "") return { namespace: defaultNamespace(environment), path: ["environment"] };
  return undefined;
}

const SYSTEM_FOR_ENVIRONMENT =
  "is a Kubernetes system namespace: the environment applies default-deny NetworkPolicies, a ResourceQuota and a LimitRange to its namespace, which would cut off cluster DNS and the control plane's pods there, and a destroy would delete it. Use a namespace of its own, such as agent-hive-<environment>";

function namespaceRules(input: Input): RuleProblem[] {
  const out: RuleProblem[] = [];
  const env = environmentNamespace(input);
  const addons = addonNamespaces(input);
  if (env !== undefined && isSystemNamespace(env.namespace)) out.push({ path: env.path, problem: SYSTEM_FOR_ENVIRONMENT });
  for (const a of addons) {
    if (env !== undefined && env.namespace === a.namespace) {
      out.push({
        path: env.path,
        problem: `is the ${ADDON_LABEL[a.addon]} add-on's namespace (addons.${a.addon}.namespace${field(input, "addons", a.addon, "namespace") === undefined ? ", by default" : ""}): the environment would apply its default-deny NetworkPolicies, quota and LimitRange there and cut the add-on off. Give the environment a namespace of its own`,
      });
    }
    if (a.installed && isSystemNamespace(a.namespace)) {
      out.push({ path: ["addons", a.addon, "namespace"], problem: `is a Kubernetes system namespace: the ${ADDON_LABEL[a.addon]} add-on creates and owns its namespace, so a destroy would delete it. Use a namespace of its own` });
    }
  }
  const explicit = (addon: AddonName) => field(input, "addons", addon, "namespace") !== undefined;
  addons.forEach((a, i) => {
    const earlier = addons.slice(0, i).find((b) => b.installed && a.installed && b.namespace === a.namespace);
    if (earlier === undefined) return;
    // Name each key someone set (either may be the mistake), not one left at its default.
    for (const [named, other] of [[earlier, a], [a, earlier]] as const) {
      if (!explicit(named.addon)) continue;
      out.push({
        path: ["addons", named.addon, "namespace"],
        problem: `is also addons.${other.addon}.namespace (${a.namespace}${explicit(other.addon) ? "" : ", its default"}): each installed add-on creates and owns its namespace, so two would fight over it (and the Pushgateway's must hold nothing else). Give each add-on its own namespace`,
      });
    }
  });
  return out;
}

/** Loki indexes by 24h periods and keeps at least a day: retention is asked for in whole days, so what is kept is what was asked. */
const DAY_SECONDS = 86400;

/**
 * The log add-ons: a shipper pushes to this stack's Loki, so it needs it; and
 * Loki's retention is whole days of at least one (Loki's minimum is 24h, and
 * its index is cut in 24h periods).
 */
function logRules(input: Input): RuleProblem[] {
  const out: RuleProblem[] = [];
  const shipper = field(input, "addons", "logShipper", "install");
  const loki = field(input, "addons", "loki", "install");
  if (shipper === true && loki !== true) {
    out.push({
      path: ["addons", "logShipper", "install"],
      problem: `ships logs to the Loki add-on, which this stack does not install (addons.loki.install is ${loki === undefined ? "unset, so false" : String(loki)}): set addons.loki.install: true, or install the shipper from the stack that installs Loki`,
    });
  }
  const retention = field(input, "addons", "loki", "retention");
  if (typeof retention === "string" && PROMETHEUS_DURATION.test(retention)) {
    const seconds = durationSeconds(retention);
    if (seconds < DAY_SECONDS || seconds % DAY_SECONDS !== 0) {
      out.push({ path: ["addons", "loki", "retention"], problem: `\`${retention}\` is not a whole number of days: Loki keeps at least 24h and indexes by 24h periods; use at least 24h, in whole days, such as 168h, 744h or 31d` });
    }
  }
  return out;
}
