import { z } from "zod";
import { PIPELINE_DEPLOY_BRANCHES, PIPELINE_QUALITY_GATES } from "../../infra/catalogue/pipeline";
import { ALERTS, ALERT_KEYS, AlertKey, AlertPolicy, SEVERITIES } from "../../infra/catalogue/alerts";
import { RATE_WINDOW } from "../../infra/catalogue/metrics";
import { SLACK_ROUTINGS } from "../../infra/catalogue/slack";
import { MAX_QUANTITY_TEXT, QUANTITY_PATTERN, compareQuantities, parseQuantity } from "./quantity";

/**
 * The schema of one stack's config (`Pulumi.<stack>.yaml`, keys
 * `agent-hive-platform:<key>`). Every difference between environments is a
 * field here; defaults are the guide's values. Messages say what is allowed,
 * because the parser prints them next to the key and the bad value.
 */

// Kubernetes' own patterns (apimachinery validation and resource.Quantity).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// An image reference without tag or digest: registry/path, lowercase.
const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
// GitHub: owner logins and repository names.
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
// git check-ref-format, the parts that matter for branch names people type.
// Control characters are exactly what git refuses in a ref name.
// eslint-disable-next-line no-control-regex
const BRANCH = /^(?!\/|.*\/$|.*\.\.|.*\/\.|.*\.lock$|.*@\{|.*\/\/)[^\s~^:?*[\\\x00-\x1f\x7f]+$/;

const dnsLabel = (what: string) =>
  z
    .string()
    .max(63, `${what} must be at most 63 characters (a DNS-1123 label)`)
    .regex(DNS_LABEL, `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`);

const MAX_QUANTITY = parseQuantity(MAX_QUANTITY_TEXT)!;

const quantity = z
  .string()
  .regex(QUANTITY_PATTERN, { error: "must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi", abort: true })
  .refine((t) => {
    const q = parseQuantity(t);
    return q !== undefined && compareQuantities(q, MAX_QUANTITY) <= 0;
  }, `is beyond what Kubernetes stores (${MAX_QUANTITY_TEXT}): the API server would silently cap it`);

/** The largest value of a Kubernetes int32 field (replicas, Argo's counts and durations). */
export const INT32_MAX = 2147483647;
/** More replicas than this in one service is a typo, not a plan: the quota would need twice as many pods. */
export const MAX_REPLICAS = 1000;

const INT32_MESSAGE = `is beyond ${INT32_MAX}, the largest int32: the Kubernetes API refuses it`;

/** A whole number at least `min`, refused beyond int32 (the API refuses it) and beyond `cap` when one is given. */
const boundedInt = (min: number, minMessage: string, cap?: { max: number; message: string }) =>
  z
    .number()
    .int({ error: (issue) => (issue.code === "too_big" ? INT32_MESSAGE : "must be a whole number"), abort: true })
    .min(min, minMessage)
    .superRefine((n, ctx) => {
      if (n > INT32_MAX) ctx.addIssue({ code: "custom", message: INT32_MESSAGE });
      else if (cap !== undefined && n > cap.max) ctx.addIssue({ code: "custom", message: cap.message });
    });

const labels = z.record(
  z.string().regex(LABEL_NAME, "label keys must be [prefix/]name, name of letters, digits, '-', '_', '.' (at most 63)"),
  z.string().max(63, "label values are at most 63 characters").regex(LABEL_VALUE, "label values are letters, digits, '-', '_', '.' and start and end alphanumeric"),
);

const resourceList = z.strictObject({
  cpu: quantity,
  memory: quantity,
});

const quota = z.strictObject({
  requestsCpu: quantity,
  requestsMemory: quantity,
  limitsCpu: quantity,
  limitsMemory: quantity,
  pods: boundedInt(1, "must be at least 1"),
  services: boundedInt(1, "must be at least 1").default(20),
  persistentVolumeClaims: boundedInt(0, "must be 0 or more").default(0),
});

const containerDefaults = z.strictObject({
  request: resourceList,
  limit: resourceList,
  max: resourceList,
});

const network = z.strictObject({
  /** Namespaces whose pods may reach the services' ports (ingress controllers). */
  ingressNamespaces: z.array(dnsLabel("a namespace")).default(["ingress-nginx"]),
  /** Whether pods may open HTTPS connections outside the cluster (model APIs, webhooks). */
  allowHttpsEgress: z.boolean().default(true),
  /** Whether Services of type LoadBalancer or NodePort may be created in the namespace. */
  allowExternalServices: z.boolean().default(false),
});

const namespace = z.strictObject({
  /** Defaults to `agent-hive-<environment>`. Renaming replaces the namespace and everything in it. */
  name: dnsLabel("namespace.name").optional(),
  /** `protect` the namespace: `pulumi destroy` and a rename then fail instead of deleting it. */
  protect: z.boolean().default(false),
  /** Extra labels on the namespace, next to environment, app and Pod Security Admission. */
  labels: labels.default({}),
  quota,
  containerDefaults,
  network: network.default(() => network.parse({})),
});

const service = z.strictObject({
  /** Short name: the Rollout is `agent-hive-<name>`, the container `<name>`. */
  name: dnsLabel("services[].name").max(40, "service names are at most 40 characters so derived names fit 63"),
  image: z.string().regex(IMAGE_REPOSITORY, "must be an image repository without tag or digest, such as ghcr.io/leanvibe/agent-hive"),
  /** A pinned version tag; `latest` is refused. Ignored when `digest` is set. */
  tag: z
    .string()
    .regex(IMAGE_TAG, "must be a Docker tag: letters, digits, '_', '.', '-', at most 128")
    .refine((t) => t.toLowerCase() !== "latest", "`latest` is not a pinned version: set a release tag such as 1.4.2 or a digest")
    .optional(),
  /** `sha256:<64 hex>`: the strongest pin. */
  digest: z.string().regex(IMAGE_DIGEST, "must be sha256: followed by 64 lowercase hex digits").optional(),
  port: z.number().int().min(1, "must be a port 1-65535").max(65535, "must be a port 1-65535"),
  replicas: boundedInt(1, "must be at least 1", {
    max: MAX_REPLICAS,
    message: `must be at most ${MAX_REPLICAS}: more replicas of one service is almost certainly a typo (the quota would need twice as many pods)`,
  }),
  healthPath: z.string().startsWith("/", "must be an HTTP path starting with /").default("/health"),
  resources: z.strictObject({ request: resourceList, limit: resourceList }).optional(),
  /** The stable Service clients use: an external contract (the guide's orchestrator is `agent-hive-service`). Default `agent-hive-<name>`. */
  stableServiceName: dnsLabel("services[].stableServiceName").optional(),
});

const canaryStep = z.strictObject({
  setWeight: z.number().int().min(1, "weights are 1-100").max(100, "weights are 1-100"),
  /** Pause after the weight is set; omit for an indefinite pause (manual promotion). */
  pauseSeconds: boundedInt(1, "must be at least 1 second").optional(),
});

const delivery = z.strictObject({
  strategy: z.enum(["canary", "blueGreen"], "must be canary or blueGreen"),
  /** Who sets the running image tag: this stack, or the application's pipeline. */
  imageOwner: z.enum(["stack", "pipeline"], "must be stack or pipeline").default("stack"),
  /** Whether a pause without duration (manual promotion) is allowed in this stack. */
  allowIndefinitePause: z.boolean().default(true),
  canary: z
    .strictObject({
      steps: z.array(canaryStep).min(1, "at least one step"),
    })
    .optional(),
  /** The SLO analysis that gates every new version. */
  analysis: z
    .strictObject({
      /** Time between measurements, an Argo duration. */
      interval: z.string().regex(/^([0-9]+(ms|s|m|h))+$/, "must be a duration such as 30s, 1m or 1h").default("1m"),
      /** Failed measurements tolerated before the rollout aborts. */
      failureLimit: boundedInt(0, "must be 0 or more").default(1),
      /** Measurements to take; required for blue-green, unset for a background canary analysis. */
      count: boundedInt(1, "must be at least 1").optional(),
      /** Prometheus the analysis queries; default: the kube-prometheus-stack add-on's. */
      prometheusAddress: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://prometheus.monitoring.svc:9090" }).optional(),
    })
    .default({ interval: "1m", failureLimit: 1 }),
  blueGreen: z
    .strictObject({
      autoPromotionEnabled: z.boolean().default(false),
      autoPromotionSeconds: boundedInt(1, "must be at least 1 second").optional(),
      scaleDownDelaySeconds: boundedInt(0, "must be 0 or more").default(30),
    })
    .default({ autoPromotionEnabled: false, scaleDownDelaySeconds: 30 }),
});

const PROM_DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const promDuration = z.string().regex(PROM_DURATION, "must be a Prometheus duration such as 30s, 5m or 1h");

/** What each SLO measures is decided once, in infra/catalogue/metrics.ts: per pod, on the worst pod. */
const slo = z.strictObject({
  /** Errors per second of the worst pod, over `rateWindow`, above which the service is unhealthy (guide: 0.1). */
  errorRatePerSecond: z.number().gt(0, "must be greater than 0"),
  /** p95 response time in seconds of the worst pod above which the service is unhealthy (guide: 1.0). */
  latencyP95Seconds: z.number().gt(0, "must be greater than 0").max(60, "must be at most 60 seconds"),
  /** Active agents (the replica reporting fewest; none reporting is 0) below which the hive is degraded (guide: 3). */
  minActiveAgents: z.number().int().min(0, "must be 0 or more"),
  /** The window rates are taken over, in alerts, canary analysis and dashboards (guide: 5m). */
  rateWindow: promDuration.default(RATE_WINDOW),
});

const githubLogin = z.string().regex(GITHUB_OWNER, "must be a GitHub login: letters, digits and single '-', at most 39");

const github = z.strictObject({
  /**
   * Whether this stack manages GitHub at all (environment, secrets, branch
   * protection). `false` leaves GitHub alone: for a stack whose cluster CI
   * cannot reach GitHub from, such as the real-engine test's; the GitHub
   * fields are still checked.
   */
  manage: z.boolean().default(true),
  owner: githubLogin.default("leanvibe"),
  repository: z
    .string()
    .regex(GITHUB_REPO, "must be a GitHub repository name: letters, digits, '.', '_', '-', at most 100")
    .refine((r) => r !== "." && r !== "..", "cannot be . or .."),
  /** GitHub environment name the deploy jobs use (`environment: staging`). */
  environment: z
    .string()
    .min(1, "must not be empty")
    .max(255, "at most 255 characters")
    .refine((e) => e.trim() === e, "must not start or end with spaces: GitHub would treat it as another name than the one the workflows use"),
  /** The branch this environment deploys from: one the pipeline deploys from. */
  deployBranch: z
    .string()
    .regex(BRANCH, "must be a valid git branch name such as main or develop")
    .refine((b) => (PIPELINE_DEPLOY_BRANCHES as readonly string[]).includes(b), `must be a branch the pipeline deploys from: ${PIPELINE_DEPLOY_BRANCHES.join(", ")}`),
  /**
   * Whether this stack protects its deploy branch. One stack per branch: a
   * second environment deploying from the same branch (qa from develop) sets
   * false, since GitHub refuses a second protection and two stacks would fight.
   */
  protectDeployBranch: z.boolean().default(true),
  /** Exactly one stack manages repository-wide settings (security, the other branch). */
  ownsRepositorySettings: z.boolean().default(false),
  /** Required status checks: the pipeline's job names, matched exactly by GitHub. */
  requiredChecks: z
    .array(z.string().trim().min(1, "check names must not be empty"))
    .min(1, "at least one required check")
    .default([...PIPELINE_QUALITY_GATES])
    .superRefine((checks, ctx) => {
      const seen = new Set<string>();
      checks.forEach((c, i) => {
        if (seen.has(c)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate check "${c}": each check once` });
        seen.add(c);
      });
    }),
  requiredApprovals: z.number().int().min(1, "must be 1-6: a protected deploy branch needs at least one approval").max(6, "must be 1-6"),
  dismissStaleReviews: z.boolean().default(true),
  requireCodeOwnerReviews: z.boolean().default(true),
  /** Admins follow the rules too: no bypass of branch protection or of the environment's reviewers. */
  enforceAdmins: z.boolean().default(true),
  /** Whether deployments to this environment need a reviewer's approval; then reviewers must be set. */
  requireDeploymentApproval: z.boolean().default(false),
  /** The person who triggered a deployment cannot approve it. */
  preventSelfReview: z.boolean().default(true),
  /** `protect` and `retainOnDelete` the environment and branch protections. */
  protect: z.boolean().default(false),
  /** Repository security settings, managed only by the stack that owns repository settings. */
  security: z
    .strictObject({ vulnerabilityAlerts: z.boolean().default(false), dependabotSecurityUpdates: z.boolean().default(false) })
    .default({ vulnerabilityAlerts: false, dependabotSecurityUpdates: false }),
  reviewers: z
    .strictObject({
      users: z.array(z.union([githubLogin, z.number().int().positive()])).default([]),
      teams: z.array(z.union([z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "team slugs are lowercase letters, digits, '-' and '_'"), z.number().int().positive()])).default([]),
    })
    .default({ users: [], teams: [] }),
  waitTimerMinutes: z.number().int().min(0, "must be 0-43200").max(43200, "must be 0-43200").default(0),
});

/** Each add-on's namespace when `addons.<name>.namespace` is not set. */
export const ADDON_DEFAULT_NAMESPACES = { argoRollouts: "argo-rollouts", kubePrometheusStack: "monitoring", pushgateway: "pushgateway" } as const;
export type AddonName = keyof typeof ADDON_DEFAULT_NAMESPACES;

const addon = (defaultNamespace: string) =>
  z.strictObject({
    install: z.boolean(),
    namespace: dnsLabel("the add-on namespace").default(defaultNamespace),
  });

const addons = z.strictObject({
  argoRollouts: addon(ADDON_DEFAULT_NAMESPACES.argoRollouts),
  kubePrometheusStack: addon(ADDON_DEFAULT_NAMESPACES.kubePrometheusStack),
  /**
   * A Pushgateway where pipeline jobs push the DORA metrics, in a namespace of
   * its own (pipelines port-forward to it). Installed with kube-prometheus-stack.
   */
  pushgateway: addon(ADDON_DEFAULT_NAMESPACES.pushgateway)
    .extend({
      /** A volume for the pushed DORA runs, so a Pushgateway restart loses none. */
      storageSize: quantity.default("1Gi"),
    })
    .default({ install: true, namespace: ADDON_DEFAULT_NAMESPACES.pushgateway, storageSize: "1Gi" }),
});

const alertPolicy = (defaults: AlertPolicy) =>
  z
    .strictObject({
      for: promDuration.default(defaults.for),
      severity: z.enum(SEVERITIES, "must be critical, warning or info").default(defaults.severity),
    })
    .prefault({});

/** One entry per alert of the catalogue's table, each defaulting to its `for` and severity there. */
const alerts = z
  .strictObject(
    Object.fromEntries(ALERT_KEYS.map((k) => [k, alertPolicy(ALERTS[k].defaults)])) as Record<AlertKey, ReturnType<typeof alertPolicy>>,
  )
  .prefault({});

const slackChannel = z.string().regex(/^#[a-z0-9][a-z0-9_-]{0,79}$/, "must be a Slack channel such as #agent-hive-alerts");

/**
 * Where alerts go. `bySeverity`: critical alerts to the slackWebhookCritical
 * webhook (its channel `channelCritical`), the rest to slackWebhookWarning
 * (`channelWarning`). `single`: everything to slackWebhookAlerts (`channel`).
 * Which fields each routing needs is checked in the cross-checks.
 */
const slack = z.strictObject({
  routing: z.enum(SLACK_ROUTINGS, "must be bySeverity or single").default("bySeverity"),
  channelCritical: slackChannel.optional(),
  channelWarning: slackChannel.optional(),
  channel: slackChannel.optional(),
  sendResolved: z.boolean().default(true),
});

/** How Alertmanager batches and repeats notifications (its route timers). */
const notifications = z
  .strictObject({
    groupWait: promDuration.default("30s"),
    groupInterval: promDuration.default("5m"),
    repeatInterval: z
      .strictObject({ critical: promDuration.default("1h"), warning: promDuration.default("4h"), info: promDuration.default("4h") })
      .prefault({}),
  })
  .prefault({});

const observability = z.strictObject({
  /** `for` and severity per alert; each defaults to the guide's value (infra/catalogue/alerts.ts). */
  alerts,
  /** Base of each alert's runbook_url (`<base><AlertName>`). */
  runbookBaseUrl: z.url({ protocol: /^https$/, error: "must be an https:// URL" }),
  /** Grafana folder of the environment's dashboards. */
  grafanaFolder: z.string().min(1, "must not be empty").max(100, "at most 100 characters"),
  slack,
  notifications,
  /**
   * How often the DORA recording rules run. Seven-day windows move slowly:
   * every 5 minutes reads a fifth of the samples of Prometheus's usual minute.
   */
  doraEvaluationInterval: promDuration.default("5m"),
});

const kubernetes = z.strictObject({
  /** kubeconfig context to use; without it the kubeconfig's current context. */
  context: z.string().min(1, "must not be empty").optional(),
  /** The API server as CI reaches it: written into the deployer kubeconfig. */
  apiServer: z.url({ protocol: /^https$/, error: "must be the https:// URL of the API server that CI can reach" }),
  /** Cluster name inside the deployer kubeconfig; default `agent-hive-<environment>`. */
  clusterName: z.string().min(1, "must not be empty").optional(),
  /** The API server's CA as base64 PEM; default: the CA in the deployer's token Secret. */
  caData: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64 (certificate-authority-data)").optional(),
});

const environmentName = dnsLabel("environment").max(30, "environment names are at most 30 characters");

/** The whole stack config, keyed like `Pulumi.<stack>.yaml` without the project prefix. */
export const stackConfigSchema = z.strictObject({
  environment: environmentName,
  kubernetes,
  namespace,
  services: z
    .array(service)
    .min(1, "at least one service")
    // Generated names that collide (Services, Rollouts, ...) are checked in rules.ts, on the raw input.
    .superRefine((services, ctx) => {
      const seen = new Set<string>();
      services.forEach((s, i) => {
        if (seen.has(s.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate service name "${s.name}": names must be unique` });
        seen.add(s.name);
        if (s.tag === undefined && s.digest === undefined) {
          ctx.addIssue({ code: "custom", path: [i, "tag"], message: "set a pinned tag (such as 1.4.2) or a digest (sha256:...)" });
        }
      });
    }),
  delivery,
  slo,
  github,
  observability,
  addons,
});

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type ParsedStackConfig = z.output<typeof stackConfigSchema>;
