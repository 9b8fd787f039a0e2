import { defaultNamespace } from "../../infra/catalogue/names";
import { DeliveryNames, defaultStableServiceName, deliveryNames } from "../../infra/delivery/builders/names";
import { Quantity, addQuantities, compareQuantities, formatQuantity, parseQuantity, scaleQuantity } from "./quantity";
import { ADDON_DEFAULT_NAMESPACES, AddonName } from "./schema";

/**
 * Rules across fields of one stack that Kubernetes would refuse or that would
 * make two objects of the stack fight: resources against the LimitRange and
 * quota, generated names, and namespaces. They read the decoded input
 * defensively (any field may be missing or of the wrong type: the schema
 * reports those), so they run even when other keys are broken.
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
  return [...limitRangeRules(input), ...serviceResourceRules(input), ...quotaRules(input), ...generatedNameRules(input), ...namespaceRules(input)];
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
};
const ROLE_TEXT: Readonly<Record<NameRole, string>> = {
  rollout: "Rollout",
  clientService: "clients' Service",
  stableService: "stable Service",
  canaryService: "canary Service",
  previewService: "preview Service",
  analysisTemplate: "AnalysisTemplate",
  podDisruptionBudget: "PodDisruptionBudget",
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

const ADDON_LABEL: Readonly<Record<AddonName, string>> = { argoRollouts: "Argo Rollouts", kubePrometheusStack: "kube-prometheus-stack", pushgateway: "Pushgateway" };

/** `kube-system`, `kube-public`, `kube-node-lease`, any `kube-*`, and `default`. */
export function isSystemNamespace(name: string): boolean {
  return name === "default" || name.startsWith("kube-");
}

/** Each add-on's namespace as configured, else its default; `installed` as the platform decides it. */
export function addonNamespaces(input: Input): { addon: AddonName; namespace: string; installed: boolean }[] {
  const addons = field(input, "addons");
  const kpsInstalled = field(addons, "kubePrometheusStack", "install") === true;
  return (Object.keys(ADDON_DEFAULT_NAMESPACES) as AddonName[]).map((addon) => {
    const ns = field(addons, addon, "namespace");
    const install = field(addons, addon, "install");
    // The Pushgateway is installed with kube-prometheus-stack, and by default when that is.
    const installed = addon === "pushgateway" ? kpsInstalled && install !== false : install === true;
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
