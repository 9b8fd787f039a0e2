import type { Severity } from "../../infra/catalogue/alerts";
import { APP, defaultNamespace, prometheusAddress } from "../../infra/catalogue/names";
import { thresholdChecks } from "../../infra/catalogue/quality";
import { SLACK_ROUTING_TABLE, SlackDestinationKey } from "../../infra/catalogue/slack";
import { defaultStableServiceName } from "../../infra/delivery/builders/names";
import type { ImagePin } from "../../infra/delivery/spec";
import type { ParsedStackConfig } from "./schema";

/**
 * The defaults no key can state on its own, resolved once: each is derived
 * from other keys (the namespace from `environment`, a service's resources
 * from the namespace's container defaults, Prometheus's address from the
 * add-on's namespace), so the schema cannot write them as `.default()`. The
 * rest of the program reads only the resolved config: no `??` fallbacks
 * downstream, and the types say what the checks proved (a canary has steps,
 * blue-green has a measurement count, every service is pinned, each Slack
 * destination of the routing has its channel).
 *
 * Runs only on a config the schema and rules.ts accepted.
 */

/** Readonly all the way down; lists stay lists and non-empty lists stay non-empty. */
type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

type NonEmpty<T> = [T, ...T[]];

type ParsedService = ParsedStackConfig["services"][number];
type ParsedDelivery = ParsedStackConfig["delivery"];
type ParsedSlack = ParsedStackConfig["observability"]["slack"];
type CanaryStep = NonNullable<ParsedDelivery["canary"]>["steps"][number];

/** A service with its defaults resolved: the image pin, resources and stable Service name. */
type Service = Omit<ParsedService, "tag" | "digest" | "resources" | "stableServiceName"> & {
  /** The pinned image: the digest when one is set (it wins over a tag), else the tag. */
  pin: ImagePin;
  /** The service's own resources, else the namespace's container defaults. */
  resources: NonNullable<ParsedService["resources"]>;
  /** `stableServiceName`, else `agent-hive-<name>`. */
  stableServiceName: string;
};

type Analysis = Omit<ParsedDelivery["analysis"], "prometheusAddress" | "count"> & {
  /** `delivery.analysis.prometheusAddress`, else the kube-prometheus-stack add-on's Prometheus. */
  prometheusAddress: string;
};

/** Blue-green's settings: a delay before auto-promotion exists only with auto-promotion. */
type BlueGreen = { scaleDownDelaySeconds: number } & ({ autoPromotionEnabled: false } | { autoPromotionEnabled: true; autoPromotionSeconds?: number });

/** The delivery settings, by strategy: what each strategy needs is there. */
type Delivery = Omit<ParsedDelivery, "strategy" | "canary" | "analysis" | "blueGreen"> &
  (
    | { strategy: "canary"; canary: { steps: NonEmpty<CanaryStep> }; analysis: Analysis & { count?: number }; blueGreen: ParsedDelivery["blueGreen"] }
    | { strategy: "blueGreen"; canary?: ParsedDelivery["canary"]; analysis: Analysis & { count: number }; blueGreen: BlueGreen }
  );

/** One Slack destination of the routing, with the channel its webhook posts to and the severities it takes. */
export interface ResolvedSlackDestination {
  destination: SlackDestinationKey;
  channel: string;
  severities: readonly Severity[];
}

type Slack = ParsedSlack & {
  /** The routing's destinations in the order of `SLACK_ROUTING_TABLE`; the last takes what no severity route matches. */
  destinations: NonEmpty<ResolvedSlackDestination>;
};

type ParsedIngress = NonNullable<ParsedStackConfig["ingress"]>;

/** The Ingress with its route and issuer resolved. */
type Ingress = Omit<ParsedIngress, "service" | "tls"> & {
  /** `ingress.service`, else the first service, with the stable Service and port the Ingress sends to. */
  backend: { service: string; stableServiceName: string; port: number };
  /** `tls.clusterIssuer`, else `addons.certManager.acme.issuerName` where an ACME issuer is configured, else none. */
  tls: { secretName: string; clusterIssuer?: string };
};

/** One stack's config, parsed, checked and resolved once; everything downstream reads only this. */
export type PlatformConfig = DeepReadonly<
  Omit<ParsedStackConfig, "namespace" | "services" | "delivery" | "kubernetes" | "observability" | "addons" | "ingress"> & {
    /** The stack name (`pulumi stack select <stack>`). */
    stack: string;
    /** `namespace.name`, else `agent-hive-<environment>`. */
    namespace: ParsedStackConfig["namespace"] & { name: string };
    services: NonEmpty<Service>;
    delivery: Delivery;
    /** `kubernetes.clusterName`, else `agent-hive-<environment>`. */
    kubernetes: ParsedStackConfig["kubernetes"] & { clusterName: string };
    observability: Omit<ParsedStackConfig["observability"], "slack"> & { slack: Slack };
    addons: Addons;
    ingress?: Ingress;
  }
>;

type ParsedAddons = ParsedStackConfig["addons"];

/** The add-ons, the log shipper's namespaces resolved. */
type Addons = Omit<ParsedAddons, "logShipper"> & {
  /** `namespaces`, else the environment's own namespace. */
  logShipper: Omit<ParsedAddons["logShipper"], "namespaces"> & { namespaces: NonEmpty<string> };
};

/**
 * A fact the schema or rules.ts has already proved. Undefined here is a bug
 * of the config layer (a check missing), never a problem of the stack file.
 */
function proved<T>(value: T | undefined, rule: string): T {
  if (value === undefined) throw new Error(`config layer bug: ${rule}, which the config checks should have refused`);
  return value;
}

function nonEmpty<T>(items: readonly T[], rule: string): NonEmpty<T> {
  const [first, ...rest] = items;
  return [proved(first, rule), ...rest];
}

function resolveService(config: ParsedStackConfig, s: ParsedService): Service {
  const { tag, digest, resources, stableServiceName, ...rest } = s;
  const defaults = config.namespace.containerDefaults;
  return {
    ...rest,
    pin: digest !== undefined ? { digest } : { tag: proved(tag, `services.${s.name} has neither tag nor digest`) },
    resources: resources ?? { request: defaults.request, limit: defaults.limit },
    stableServiceName: stableServiceName ?? defaultStableServiceName(s.name),
  };
}

function resolveDelivery(config: ParsedStackConfig): Delivery {
  const { strategy, canary, analysis, blueGreen, ...rest } = config.delivery;
  const { prometheusAddress: address, count, ...timing } = analysis;
  const resolved = { ...timing, prometheusAddress: address ?? prometheusAddress(config.addons.kubePrometheusStack.namespace) };
  if (strategy === "canary") {
    const steps = nonEmpty(proved(canary, "strategy canary without delivery.canary").steps, "a canary without steps");
    return { ...rest, strategy, canary: { steps }, analysis: { ...resolved, ...(count === undefined ? {} : { count }) }, blueGreen };
  }
  const { autoPromotionEnabled, autoPromotionSeconds, scaleDownDelaySeconds } = blueGreen;
  // rules.ts refuses autoPromotionSeconds while auto-promotion is off.
  const promotion: BlueGreen = autoPromotionEnabled
    ? { scaleDownDelaySeconds, autoPromotionEnabled, ...(autoPromotionSeconds === undefined ? {} : { autoPromotionSeconds }) }
    : { scaleDownDelaySeconds, autoPromotionEnabled };
  return {
    ...rest,
    strategy,
    ...(canary === undefined ? {} : { canary }),
    analysis: { ...resolved, count: proved(count, "blue-green without delivery.analysis.count") },
    blueGreen: promotion,
  };
}

function resolveSlack(slack: ParsedSlack): Slack {
  const channels: Readonly<Record<SlackDestinationKey, string | undefined>> = { critical: slack.channelCritical, warning: slack.channelWarning, alerts: slack.channel };
  const destinations = SLACK_ROUTING_TABLE[slack.routing].map(({ destination, severities }) => ({
    destination,
    channel: proved(channels[destination], `routing ${slack.routing} without the channel of ${destination}`),
    severities,
  }));
  return { ...slack, destinations: nonEmpty(destinations, `routing ${slack.routing} without destinations`) };
}

/**
 * The deploy branch's required checks: the stated ones, then each quality
 * threshold's check that runs on pull requests into the branch
 * (infra/catalogue/quality.ts), each once. A threshold is enforced only by a
 * required check, so no stack can leave one out by listing its own checks.
 */
function resolveRequiredChecks(github: ParsedStackConfig["github"]): string[] {
  return [...new Set([...github.requiredChecks, ...thresholdChecks(github.deployBranch)])];
}

function resolveIngress(config: ParsedStackConfig, services: readonly Service[]): Ingress | undefined {
  if (config.ingress === undefined) return undefined;
  const { service: wanted, tls, ...rest } = config.ingress;
  const routed = proved(wanted === undefined ? services[0] : services.find((s) => s.name === wanted), `ingress.service ${String(wanted)} is not a service`);
  // rules.ts refuses an ACME issuer the stack does not install; the guard keeps the default to what exists.
  const clusterIssuer = tls.clusterIssuer ?? (config.addons.certManager.install ? config.addons.certManager.acme?.issuerName : undefined);
  return {
    ...rest,
    backend: { service: routed.name, stableServiceName: routed.stableServiceName, port: routed.port },
    tls: { secretName: tls.secretName, ...(clusterIssuer === undefined ? {} : { clusterIssuer }) },
  };
}

/** The config with every default resolved; `config` has passed the schema and rules.ts. */
export function resolveStackConfig(stack: string, config: ParsedStackConfig): PlatformConfig {
  const namespaceName = config.namespace.name ?? defaultNamespace(config.environment);
  const { namespaces, ...shipper } = config.addons.logShipper;
  const services = nonEmpty(
    config.services.map((s) => resolveService(config, s)),
    "no services",
  );
  const { ingress: _parsedIngress, ...rest } = config;
  const ingress = resolveIngress(config, services);
  return {
    ...rest,
    ...(ingress === undefined ? {} : { ingress }),
    stack,
    namespace: { ...config.namespace, name: namespaceName },
    services,
    delivery: resolveDelivery(config),
    kubernetes: { ...config.kubernetes, clusterName: config.kubernetes.clusterName ?? `${APP}-${config.environment}` },
    observability: { ...config.observability, slack: resolveSlack(config.observability.slack) },
    github: { ...config.github, requiredChecks: resolveRequiredChecks(config.github) },
    addons: { ...config.addons, logShipper: { ...shipper, namespaces: namespaces === undefined ? [namespaceName] : nonEmpty(namespaces, "addons.logShipper.namespaces empty") } },
  };
}
