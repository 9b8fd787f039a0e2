import { z } from "zod";
import { REGISTRY_PULL_SECRET } from "../../infra/catalogue/names";
import { ARGO_DURATION, PROMETHEUS_DURATION } from "../../infra/catalogue/duration";
import { IMAGE_OWNERS, PIPELINE_DEPLOY_BRANCHES, PIPELINE_PRODUCTION_BRANCH, PIPELINE_QUALITY_GATES, REQUIRED_APPROVALS, environmentSecretNames, isSecretName } from "../../infra/catalogue/pipeline";
import { ALERTS, ALERT_KEYS, AlertKey, AlertPolicy, SEVERITIES } from "../../infra/catalogue/alerts";
import { RATE_WINDOW } from "../../infra/catalogue/metrics";
import { BENCHMARK_STATISTIC, GUIDE_QUALITY, QUALITY_FILES, SNYK_SEVERITIES } from "../../infra/catalogue/quality";
import { SLACK_DESTINATIONS, SLACK_ROUTINGS } from "../../infra/catalogue/slack";
import { DEFAULT_INGRESS_CONTROLLER_NAMESPACE, LETS_ENCRYPT_PRODUCTION } from "../../infra/catalogue/public-endpoint";
import { ADDON_DEFAULT_NAMESPACES } from "../../infra/catalogue/addons";
import { MAX_QUANTITY_TEXT, QUANTITY_PATTERN, compareQuantities, parseQuantity } from "./quantity";

/**
 * The schema of one stack's config (`Pulumi.<stack>.yaml`, keys
 * `agent-hive-platform:<key>`). Every difference between environments is a
 * field here; defaults are the guide's values. Messages say what is allowed,
 * because the parser prints them next to the key and the bad value.
 *
 * Every key says what it is with `.describe()`, and a reusable format says what
 * it is with `.meta({ title })`: docs/configuration.md is generated from them
 * (stacks/config/reference.ts), so the reference cannot drift from the schema.
 * Where a refinement narrows what JSON Schema can say (an int32 cap, a branch
 * list), `.meta()` states the narrowed bound from the same constant.
 *
 * The schema owns every rule of a single key and every default a key can
 * state; rules across keys are in rules.ts, defaults derived from other keys
 * in resolve.ts. Nothing downstream checks or defaults again.
 */

// Kubernetes' own patterns (apimachinery validation and resource.Quantity).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// Docker's image grammar (distribution/reference), the parts a registry path and tag use;
// the release tool reads `--image` with the same patterns.
/** An image reference without tag or digest: registry/path, lowercase. */
export const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
/**
 * Tags that name a moving target by convention: `latest`, and the branch
 * names a build tags its image with on a branch push. They pin nothing, so
 * only a digest beside one pins the image (rules.ts). Compared case-insensitively.
 */
export const FLOATING_TAGS: readonly string[] = ["latest", "main", "master", "develop", "edge", "stable", "nightly"];
export const isFloatingTag = (tag: string): boolean => FLOATING_TAGS.includes(tag.toLowerCase());
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
    .regex(DNS_LABEL, `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`)
    .meta({ title: "DNS-1123 label" });

// Kubernetes' DNS-1123 subdomain: object names such as Secrets, IngressClasses and ClusterIssuers.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsSubdomain = (what: string) =>
  z
    .string()
    .max(253, `${what} must be at most 253 characters (a DNS-1123 subdomain)`)
    .regex(DNS_SUBDOMAIN, `${what} must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`)
    .meta({ title: "DNS-1123 subdomain" });

const MAX_QUANTITY = parseQuantity(MAX_QUANTITY_TEXT)!;

const quantity = z
  .string()
  .regex(QUANTITY_PATTERN, { error: "must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi", abort: true })
  .refine((t) => {
    const q = parseQuantity(t);
    return q !== undefined && compareQuantities(q, MAX_QUANTITY) <= 0;
  }, `is beyond what Kubernetes stores (${MAX_QUANTITY_TEXT}): the API server would silently cap it`)
  .meta({ title: "Kubernetes quantity (500m, 2, 512Mi, 4Gi)" });

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
    })
    .meta({ maximum: Math.min(INT32_MAX, cap?.max ?? INT32_MAX) });

const labels = z.record(
  z.string().regex(LABEL_NAME, "label keys must be [prefix/]name, name of letters, digits, '-', '_', '.' (at most 63)").meta({ title: "label name" }),
  z
    .string()
    .max(63, "label values are at most 63 characters")
    .regex(LABEL_VALUE, "label values are letters, digits, '-', '_', '.' and start and end alphanumeric")
    .meta({ title: "label value" }),
);

const resourceList = z.strictObject({
  cpu: quantity.describe("CPU, in cores (500m is half a core)."),
  memory: quantity.describe("Memory, in bytes (512Mi, 4Gi)."),
});

/** Quota totals must hold every service twice over: old and new pods overlap during a rollout. */
const TWICE = "at least twice every service's replicas times its";

const quota = z.strictObject({
  requestsCpu: quantity.describe(`Total CPU requests of the namespace's pods; ${TWICE} CPU request.`),
  requestsMemory: quantity.describe(`Total memory requests of the namespace's pods; ${TWICE} memory request.`),
  limitsCpu: quantity.describe(`Total CPU limits of the namespace's pods; ${TWICE} CPU limit.`),
  limitsMemory: quantity.describe(`Total memory limits of the namespace's pods; ${TWICE} memory limit.`),
  pods: boundedInt(1, "must be at least 1").describe("Pods in the namespace; at least twice the services' replicas, for old and new pods during a rollout."),
  services: boundedInt(1, "must be at least 1").default(20).describe("Services in the namespace."),
  persistentVolumeClaims: boundedInt(0, "must be 0 or more").default(0).describe("PersistentVolumeClaims in the namespace."),
});

const containerDefaults = z.strictObject({
  request: resourceList.describe("Request of a container that sets none; at most `limit`."),
  limit: resourceList.describe("Limit of a container that sets none; at most `max`."),
  max: resourceList.describe("The most any container may request or be limited to."),
});

const network = z.strictObject({
  allowHttpsEgress: z
    .boolean()
    .default(true)
    .describe("Whether pods may open HTTPS connections outside the cluster (model APIs, webhooks); never to private address ranges."),
  allowExternalServices: z
    .boolean()
    .default(false)
    .describe("Whether Services of type LoadBalancer or NodePort may be created in the namespace; `false` sets their quota to 0."),
});

const namespace = z.strictObject({
  name: dnsLabel("namespace.name")
    .optional()
    .describe("Namespace name; without it `agent-hive-<environment>`. Renaming replaces the namespace and everything in it; `default` and `kube-*` are refused."),
  protect: z.boolean().default(false).describe("`protect` the namespace: `pulumi destroy` and a rename then fail instead of deleting it."),
  labels: labels.default({}).describe("Extra labels on the namespace; they cannot override the environment, app and Pod Security Admission labels."),
  quota: quota.describe("The namespace's ResourceQuota."),
  containerDefaults: containerDefaults.describe("The namespace's LimitRange, and the resources of a service that sets none."),
  network: network
    .default(() => network.parse({}))
    .describe(
      "The namespace's NetworkPolicies: everything denied but DNS, traffic inside the namespace and what these allow. The Prometheus pods of `addons.kubePrometheusStack.namespace` may always reach the services' ports, and so may the pods of `ingress.controllerNamespace` where the stack has an Ingress.",
    ),
});

const service = z.strictObject({
  name: dnsLabel("services[].name")
    .max(40, "service names are at most 40 characters so derived names fit 63")
    .describe("Short name, unique in the stack: the Rollout is `agent-hive-<name>`, the container `<name>`."),
  image: z
    .string()
    .regex(IMAGE_REPOSITORY, "must be an image repository without tag or digest, such as ghcr.io/leanvibe/agent-hive")
    .meta({ title: "image repository" })
    .describe("The image without tag or digest, such as ghcr.io/leanvibe/agent-hive."),
  tag: z
    .string()
    .regex(IMAGE_TAG, "must be a Docker tag: letters, digits, '_', '.', '-', at most 128")
    .meta({ title: "image tag" })
    .optional()
    .describe(
      `A pinned version tag such as 1.4.2; a tag that moves with every build (${FLOATING_TAGS.join(", ")}) is refused unless \`digest\` pins the image. A service sets \`tag\` or \`digest\`; \`digest\` wins.`,
    ),
  digest: z
    .string()
    .regex(IMAGE_DIGEST, "must be sha256: followed by 64 lowercase hex digits")
    .meta({ title: "sha256:<64 hex>" })
    .optional()
    .describe("The image digest: the strongest pin."),
  port: z.number().int().min(1, "must be a port 1-65535").max(65535, "must be a port 1-65535").describe("The container's HTTP port, which the Services expose."),
  replicas: boundedInt(1, "must be at least 1", {
    max: MAX_REPLICAS,
    message: `must be at most ${MAX_REPLICAS}: more replicas of one service is almost certainly a typo (the quota would need twice as many pods)`,
  }).describe("Pods of the service; `namespace.quota` must hold twice as many, for old and new pods during a rollout."),
  healthPath: z
    .string()
    .startsWith("/", "must be an HTTP path starting with /")
    .meta({ title: "HTTP path" })
    .default("/health")
    .describe("Path of the readiness and liveness probes."),
  resources: z
    .strictObject({ request: resourceList.describe("The container's requests."), limit: resourceList.describe("The container's limits.") })
    .optional()
    .describe("The container's requests and limits; without it `namespace.containerDefaults`. Requests at most limits, both at most `namespace.containerDefaults.max`."),
  stableServiceName: dnsLabel("services[].stableServiceName")
    .optional()
    .describe("The stable Service clients use, an external contract (the guide's orchestrator: `agent-hive-service`); without it `agent-hive-<name>`."),
});

const canaryStep = z.strictObject({
  setWeight: z
    .number()
    .int()
    .min(1, "weights are 1-100")
    .max(100, "weights are 1-100")
    .describe("Percentage of pods on the new version (replicas approximate it without traffic routing); strictly increasing from step to step."),
  pauseSeconds: boundedInt(1, "must be at least 1 second")
    .optional()
    .describe("Pause after the weight is set; omit for an indefinite pause (a manual gate), if `delivery.allowIndefinitePause`."),
});

const delivery = z.strictObject({
  strategy: z.enum(["canary", "blueGreen"], "must be canary or blueGreen").describe("How a new version replaces the running one."),
  imageOwner: z
    .enum(IMAGE_OWNERS, `must be ${IMAGE_OWNERS.join(" or ")}`)
    .default("stack")
    .describe(
      "Who sets the running image: `stack` (a deploy is `pulumi config set` of the tag, then `pulumi up`) or `pipeline` (the application's pipeline sets the image; `pulumi up` leaves it).",
    ),
  allowIndefinitePause: z.boolean().default(true).describe("Whether a canary step may pause without `pauseSeconds` (manual promotion); `false` refuses such a step."),
  canary: z
    .strictObject({
      steps: z.array(canaryStep).min(1, "at least one step").describe("The canary's steps, in order."),
    })
    .optional()
    .describe("The canary; required when `strategy` is canary."),
  analysis: z
    .strictObject({
      interval: z
        .string()
        .regex(ARGO_DURATION, "must be a duration such as 30s, 1m or 1h")
        .meta({ title: "Argo duration (30s, 1m, 1h)" })
        .default("1m")
        .describe("Time between measurements."),
      failureLimit: boundedInt(0, "must be 0 or more").default(1).describe("Failed measurements tolerated before the rollout aborts."),
      count: boundedInt(1, "must be at least 1")
        .optional()
        .describe("Measurements to take; required for blue-green, unset for a background canary analysis."),
      prometheusAddress: z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://prometheus.monitoring.svc:9090" })
        .meta({ title: "http(s) URL" })
        .optional()
        .describe("Prometheus the analysis queries; without it the kube-prometheus-stack add-on's."),
    })
    .default({ interval: "1m", failureLimit: 1 })
    .describe("The SLO analysis that gates every new version."),
  blueGreen: z
    .strictObject({
      autoPromotionEnabled: z.boolean().default(false).describe("Whether the new version is promoted without a manual step once its analysis passes."),
      autoPromotionSeconds: boundedInt(1, "must be at least 1 second")
        .optional()
        .describe("Promote this long after the new version is ready; only with `autoPromotionEnabled`."),
      scaleDownDelaySeconds: boundedInt(0, "must be 0 or more").default(30).describe("How long the old version keeps running after a promotion."),
    })
    .default({ autoPromotionEnabled: false, scaleDownDelaySeconds: 30 })
    .describe("The blue-green settings, read when `strategy` is blueGreen."),
});

const promDuration = z
  .string()
  .regex(PROMETHEUS_DURATION, "must be a Prometheus duration such as 30s, 5m or 1h")
  .meta({ title: "Prometheus duration (30s, 5m, 1h)" });

const slo = z.strictObject({
  errorRatePerSecond: z
    .number()
    .gt(0, "must be greater than 0")
    .describe("Errors per second of the worst pod, over `slo.rateWindow`, above which the service is unhealthy (guide: 0.1)."),
  latencyP95Seconds: z
    .number()
    .gt(0, "must be greater than 0")
    .max(60, "must be at most 60 seconds")
    .describe("p95 response time in seconds of the worst pod above which the service is unhealthy (guide: 1.0)."),
  minActiveAgents: z
    .number()
    .int()
    .min(0, "must be 0 or more")
    .describe("Active agents (the replica reporting fewest; none reporting is 0) below which the hive is degraded (guide: 3)."),
  rateWindow: promDuration.default(RATE_WINDOW).describe("The window every rate is taken over, in alerts, canary analysis and dashboards (the guide's)."),
});

/** GitHub's limit on an environment's required reviewers, users and teams together. */
export const MAX_REVIEWERS = 6;

/** A list whose entries must each appear once: the second of two equal entries is reported, at its index. */
const eachOnce =
  (what: string) =>
  (values: readonly (string | number)[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string | number>();
    values.forEach((v, i) => {
      if (seen.has(v)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate ${what} ${JSON.stringify(v)}: list each once` });
      seen.add(v);
    });
  };

/**
 * The quality thresholds (infra/catalogue/quality.ts). The schema checks only
 * what a value can be; whether it is as strict as the guide is the policy
 * pack's call (deploy-branches-must-enforce-quality-thresholds), so a weaker
 * value still plans and the gate that fails names it in the plan's review.
 */
const quality = z
  .strictObject({
    coverageTarget: z
      .number()
      .gt(0, "must be a percentage above 0 and at most 100")
      .max(100, "must be a percentage above 0 and at most 100")
      .default(GUIDE_QUALITY.coverageTarget)
      .describe(
        `Codecov's project coverage target in percent (\`codecov/project\` fails below it); the guide's is ${GUIDE_QUALITY.coverageTarget}. Codecov reads codecov.yml from ${PIPELINE_PRODUCTION_BRANCH} only (\`strict_yaml_branch\`), so the target of the stack whose deploy branch is ${PIPELINE_PRODUCTION_BRANCH} applies to every pull request.`,
      ),
    snykSeverityThreshold: z
      .enum(SNYK_SEVERITIES, `must be one of ${SNYK_SEVERITIES.join(", ")}`)
      .default(GUIDE_QUALITY.snykSeverityThreshold)
      .describe(`The lowest severity that fails Snyk's scan (\`--severity-threshold\`); the guide's is ${GUIDE_QUALITY.snykSeverityThreshold}, and low or medium are stricter.`),
    benchmarkMaxRegressionPercent: z
      .number()
      .min(0, "must be a percentage 0-100")
      .max(100, "must be a percentage 0-100")
      .default(GUIDE_QUALITY.benchmarkMaxRegressionPercent)
      .describe(
        `How much slower (in percent, on pytest-benchmark's \`${BENCHMARK_STATISTIC}\`) a benchmark may get before the performance tests fail (\`--benchmark-compare-fail=${BENCHMARK_STATISTIC}:<n>%\`); the guide's is ${GUIDE_QUALITY.benchmarkMaxRegressionPercent}.`,
      ),
  })
  .prefault({});

const githubLogin = z.string().regex(GITHUB_OWNER, "must be a GitHub login: letters, digits and single '-', at most 39").meta({ title: "GitHub login" });

const github = z.strictObject({
  manage: z
    .boolean()
    .default(true)
    .describe(
      "Whether this stack manages GitHub at all (environment, secrets, branch protection). `false` registers no GitHub provider or resource and needs no repository secret: for a stack whose cluster CI cannot reach GitHub from, such as the real-engine test's. The GitHub keys are still checked.",
    ),
  owner: githubLogin.default("leanvibe").describe("Owner of the application repository."),
  repository: z
    .string()
    .regex(GITHUB_REPO, "must be a GitHub repository name: letters, digits, '.', '_', '-', at most 100")
    .refine((r) => r !== "." && r !== "..", "cannot be . or ..")
    .meta({ title: "GitHub repository name" })
    .describe("The application repository (`agent-hive`)."),
  environment: z
    .string()
    .min(1, "must not be empty")
    .max(255, "at most 255 characters")
    .refine((e) => e.trim() === e, { error: "must not start or end with spaces: GitHub would treat it as another name than the one the workflows use", abort: true })
    .superRefine((e, ctx) => {
      const names = environmentSecretNames(e);
      const bad = Object.values(names).filter((n) => !isSecretName(n));
      if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `gives the environment secret names ${Object.values(names).join(" and ")}, and GitHub refuses ${bad.join(", ")} (secret names are A-Z, 0-9 and _, not starting with a digit or GITHUB_): start the name with a letter, and not with "github"`,
        });
      }
    })
    .describe(
      "The GitHub environment the deploy jobs use (`environment: staging`); one stack per environment, compared case-insensitively. It names the environment's secrets (`KUBE_CONFIG_<ENVIRONMENT>`, `<ENVIRONMENT>_API_KEY`), so it starts with a letter.",
    ),
  deployBranch: z
    .string()
    .regex(BRANCH, "must be a valid git branch name such as main or develop")
    .refine((b) => (PIPELINE_DEPLOY_BRANCHES as readonly string[]).includes(b), `must be a branch the pipeline deploys from: ${PIPELINE_DEPLOY_BRANCHES.join(", ")}`)
    .meta({ enum: [...PIPELINE_DEPLOY_BRANCHES] })
    .describe("The branch this environment deploys from: one the pipeline deploys from."),
  protectDeployBranch: z
    .boolean()
    .default(true)
    .describe(
      "Whether this stack protects its deploy branch. One stack per branch: a second environment deploying from the same branch (qa from develop) sets `false`, since GitHub refuses a second protection and two stacks would fight.",
    ),
  ownsRepositorySettings: z
    .boolean()
    .default(false)
    .describe("Whether this stack manages what is repository-wide: the repository secrets and the security settings. At most one stack of a repository does; the others leave both to it."),
  requiredChecks: z
    .array(z.string().trim().min(1, "check names must not be empty"))
    .min(1, "at least one required check")
    .default([...PIPELINE_QUALITY_GATES])
    .superRefine(eachOnce("check"))
    .describe("Required status checks on the deploy branch: the pipeline's job names, matched exactly by GitHub, each once. The checks of `github.quality`'s thresholds that run on pull requests into the branch (`codecov/project` and `Performance Tests`; `Security Analysis` on main only) are added."),
  requiredApprovals: z
    .number()
    .int()
    .min(REQUIRED_APPROVALS.min, `must be ${REQUIRED_APPROVALS.min}-${REQUIRED_APPROVALS.max}: a protected deploy branch needs at least one approval`)
    .max(REQUIRED_APPROVALS.max, `must be ${REQUIRED_APPROVALS.min}-${REQUIRED_APPROVALS.max}: GitHub allows at most ${REQUIRED_APPROVALS.max}`)
    .describe("Approving reviews a pull request into the deploy branch needs."),
  dismissStaleReviews: z.boolean().default(true).describe("A new commit dismisses the approvals given before it."),
  requireCodeOwnerReviews: z.boolean().default(true).describe("A change to code with an owner (CODEOWNERS) needs that owner's approval."),
  enforceAdmins: z.boolean().default(true).describe("Admins follow the rules too: no bypass of branch protection or of the environment's reviewers."),
  requireDeploymentApproval: z
    .boolean()
    .default(false)
    .describe("Whether deployments to this environment need a reviewer's approval; then `github.reviewers` must name someone: the reviewers are the gate."),
  preventSelfReview: z.boolean().default(true).describe("The person who triggered a deployment cannot approve it."),
  protect: z.boolean().default(false).describe("`protect` and `retainOnDelete` the environment and the branch protections."),
  security: z
    .strictObject({
      vulnerabilityAlerts: z.boolean().default(false).describe("Dependabot alerts on vulnerable dependencies."),
      dependabotSecurityUpdates: z.boolean().default(false).describe("Dependabot pull requests that update vulnerable dependencies."),
    })
    .default({ vulnerabilityAlerts: false, dependabotSecurityUpdates: false })
    .describe("Repository security settings, managed only by the stack that owns repository settings."),
  reviewers: z
    .strictObject({
      users: z
        .array(z.union([githubLogin, z.number().int().positive()]))
        .superRefine(eachOnce("reviewer"))
        .default([])
        .describe("Reviewers by GitHub login or numeric user ID, each once."),
      teams: z
        .array(z.union([z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "team slugs are lowercase letters, digits, '-' and '_'").meta({ title: "team slug" }), z.number().int().positive()]))
        .superRefine(eachOnce("team"))
        .default([])
        .describe("Reviewing teams by slug or numeric team ID, each once."),
    })
    .default({ users: [], teams: [] })
    .describe(`Who may approve a deployment to this environment: at most ${MAX_REVIEWERS} users and teams together (GitHub's limit).`),
  waitTimerMinutes: z
    .number()
    .int()
    .min(0, "must be 0-43200")
    .max(43200, "must be 0-43200")
    .default(0)
    .describe("Minutes a deployment to this environment waits before it starts."),
  quality: quality.describe(
    `The application's quality thresholds, written into \`${QUALITY_FILES.codecov}\` and \`${QUALITY_FILES.gates}\` on the deploy branch by the stack that protects it; each threshold's status check joins the branch's required checks. Defaults are the guide's; the schema checks ranges, the policy pack refuses anything weaker than the guide.`,
  ),
});

/** Loki's retention and volume when the stack file sets none: a month of logs on a modest disk. */
export const LOKI_DEFAULTS = { retention: "744h", storageSize: "10Gi" } as const;

export { ADDON_DEFAULT_NAMESPACES, type AddonName } from "../../infra/catalogue/addons";

const addon = (defaultNamespace: string) =>
  z.strictObject({
    install: z.boolean().describe("Whether this stack installs the add-on; `false` on a cluster another stack already equipped."),
    namespace: dnsLabel("the add-on namespace").default(defaultNamespace).describe("The add-on's own namespace, which it creates and owns."),
  });

const addons = z.strictObject({
  argoRollouts: addon(ADDON_DEFAULT_NAMESPACES.argoRollouts).describe("The Argo Rollouts controller and its CRDs."),
  kubePrometheusStack: addon(ADDON_DEFAULT_NAMESPACES.kubePrometheusStack).describe(
    "kube-prometheus-stack: Prometheus (whose pods in this namespace scrape the services), Alertmanager and Grafana.",
  ),
  pushgateway: addon(ADDON_DEFAULT_NAMESPACES.pushgateway)
    .extend({
      storageSize: quantity.default("1Gi").describe("A volume for the pushed DORA runs, so a Pushgateway restart loses none."),
    })
    .default({ install: true, namespace: ADDON_DEFAULT_NAMESPACES.pushgateway, storageSize: "1Gi" })
    .describe("A Pushgateway where pipeline jobs push the DORA metrics, in a namespace of its own (pipelines port-forward to it); installed with kube-prometheus-stack."),
  loki: addon(ADDON_DEFAULT_NAMESPACES.loki)
    .extend({
      retention: promDuration
        .default(LOKI_DEFAULTS.retention)
        .describe("How long Loki keeps logs (its compactor deletes older chunks): whole days, at least 24h, such as 744h or 31d."),
      storageSize: quantity.default(LOKI_DEFAULTS.storageSize).describe("The PersistentVolumeClaim Loki keeps its chunks and index on (filesystem storage, single binary)."),
    })
    .default({ install: false, namespace: ADDON_DEFAULT_NAMESPACES.loki, ...LOKI_DEFAULTS })
    .describe("Loki in single-binary mode, the log store; Grafana gets it as a datasource and the service dashboard a logs panel. Not installed unless set."),
  logShipper: addon(ADDON_DEFAULT_NAMESPACES.logShipper)
    .extend({
      namespaces: z
        .array(dnsLabel("a namespace"))
        .min(1, "at least one namespace")
        .superRefine(eachOnce("namespace"))
        .optional()
        .describe("Namespaces whose pods' logs are shipped, each once; without it the environment's own namespace (`namespace.name`). Nothing else in the cluster is read."),
    })
    .default({ install: false, namespace: ADDON_DEFAULT_NAMESPACES.logShipper })
    .describe("Grafana Alloy as a DaemonSet: tails the environment's pods through the Kubernetes API and pushes them to the Loki add-on, labelled by namespace, pod, container, app and revision. Needs `addons.loki`."),
  certManager: addon(ADDON_DEFAULT_NAMESPACES.certManager)
    .extend({
      acme: z
        .strictObject({
          email: z.email("must be an email address: the ACME account's, where the CA sends expiry warnings").describe("The ACME account's email: the CA sends expiry and policy notices there."),
          server: z
            .url({ protocol: /^https$/, error: "must be the https:// URL of an ACME directory" })
            .meta({ title: "https URL" })
            .default(LETS_ENCRYPT_PRODUCTION)
            .describe("The ACME directory; the default is Let's Encrypt's production one, whose certificates clients trust (its staging directory's are trusted by none)."),
          issuerName: dnsSubdomain("addons.certManager.acme.issuerName").default("letsencrypt").describe("The ClusterIssuer's name, which `ingress.tls.clusterIssuer` defaults to."),
        })
        .optional()
        .describe(
          "An ACME ClusterIssuer created with the add-on (only where `install` is true), answering HTTP-01 challenges through `ingress.className`; so it needs `ingress`. Without it, issuers are yours to create.",
        ),
    })
    .default({ install: false, namespace: ADDON_DEFAULT_NAMESPACES.certManager })
    .describe("cert-manager (its CRDs included), which issues the Ingress's certificate; optional, once per cluster."),
});

const alertPolicy = (defaults: AlertPolicy) =>
  z
    .strictObject({
      for: promDuration.default(defaults.for).describe("How long the alert's condition must hold before it fires."),
      severity: z.enum(SEVERITIES, "must be critical, warning or info").default(defaults.severity).describe("The alert's severity: its Slack route and repeat interval."),
    })
    .prefault({});

const alertSource = { guide: "the guide's", platform: "this platform's own" } as const;

/** One entry per alert of the catalogue's table, each defaulting to its `for` and severity there. */
const alerts = z
  .strictObject(
    Object.fromEntries(
      ALERT_KEYS.map((k) => [k, alertPolicy(ALERTS[k].defaults).describe(`The ${ALERTS[k].alert} alert; its defaults are ${alertSource[ALERTS[k].source]}.`)]),
    ) as Record<AlertKey, ReturnType<typeof alertPolicy>>,
  )
  .prefault({});

const slackChannel = z.string().regex(/^#[a-z0-9][a-z0-9_-]{0,79}$/, "must be a Slack channel such as #agent-hive-alerts").meta({ title: "Slack channel (#name)" });

const webhook = (d: keyof typeof SLACK_DESTINATIONS) => `\`${SLACK_DESTINATIONS[d].configKey}\``;

/** Which fields each routing needs is checked in rules.ts. */
const slack = z.strictObject({
  routing: z
    .enum(SLACK_ROUTINGS, "must be bySeverity or single")
    .default("bySeverity")
    .describe(
      `Where alerts go. \`bySeverity\`: critical alerts to the ${webhook("critical")} webhook (its channel \`channelCritical\`), warning and info to ${webhook("warning")} (\`channelWarning\`): two distinct channels and webhooks. \`single\`: everything to ${webhook("alerts")} (\`channel\`).`,
    ),
  channelCritical: slackChannel.optional().describe(`The channel of the ${webhook("critical")} webhook; routing bySeverity only.`),
  channelWarning: slackChannel.optional().describe(`The channel of the ${webhook("warning")} webhook, not \`channelCritical\`; routing bySeverity only.`),
  channel: slackChannel.optional().describe(`The channel of the ${webhook("alerts")} webhook; routing single only.`),
  sendResolved: z.boolean().default(true).describe("Whether Slack also hears when an alert resolves."),
});

const notifications = z
  .strictObject({
    groupWait: promDuration.default("30s").describe("Wait before the first notification of a new group of alerts."),
    groupInterval: promDuration.default("5m").describe("Wait before notifying of new alerts in a group already notified."),
    repeatInterval: z
      .strictObject({
        critical: promDuration.default("1h").describe("Repeat interval of critical alerts."),
        warning: promDuration.default("4h").describe("Repeat interval of warning alerts."),
        info: promDuration.default("4h").describe("Repeat interval of info alerts."),
      })
      .prefault({})
      .describe("Wait before repeating a notification of an alert still firing, per severity."),
  })
  .prefault({});

const observability = z.strictObject({
  alerts: alerts.describe("`for` and severity per alert; each field defaults to the catalogue's value (infra/catalogue/alerts.ts), so a stack file lists only its own choices."),
  runbookBaseUrl: z
    .url({ protocol: /^https$/, error: "must be an https:// URL" })
    .meta({ title: "https URL" })
    .describe("Base of each alert's runbook_url (`<base><AlertName>`)."),
  grafanaFolder: z.string().min(1, "must not be empty").max(100, "at most 100 characters").describe("Grafana folder of the environment's dashboards."),
  slack: slack.describe("Slack notifications of the alerts. Each webhook is a secret key (below); a Slack webhook posts only to the channel it was made for."),
  notifications: notifications.describe("How Alertmanager batches and repeats notifications (its route timers)."),
  doraEvaluationInterval: promDuration
    .default("5m")
    .describe("How often the DORA recording rules run. Their seven-day windows move slowly: a few minutes apart loses nothing and reads a fraction of the samples of Prometheus's usual minute."),
});

const kubernetes = z.strictObject({
  context: z
    .string()
    .min(1, "must not be empty")
    .optional()
    .describe("kubeconfig context of the explicit Kubernetes provider; without it the kubeconfig's current context."),
  apiServer: z
    .url({ protocol: /^https$/, error: "must be the https:// URL of the API server that CI can reach" })
    .meta({ title: "https URL" })
    .describe("The API server as CI reaches it, written into the deployer kubeconfig. Stacks with the same apiServer share a cluster."),
  clusterName: z.string().trim().min(1, "must not be empty").optional().describe("Cluster name inside the deployer kubeconfig; without it `agent-hive-<environment>`."),
  caData: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "must be base64 (certificate-authority-data)", abort: true })
    .refine(
      (t) => Buffer.from(t, "base64").toString("utf8").includes("-----BEGIN CERTIFICATE-----"),
      "must be a base64-encoded PEM certificate (the kubeconfig's certificate-authority-data): it does not decode to -----BEGIN CERTIFICATE-----; use base64 -w0 ca.crt",
    )
    .meta({ title: "base64 PEM certificate" })
    .optional()
    .describe("The API server's CA as base64 PEM (certificate-authority-data) in the deployer kubeconfig; without it the CA in the deployer's token Secret."),
});

/**
 * A public host name: a DNS-1123 subdomain of at least two labels, each at most
 * 63 characters. No wildcard: a wildcard certificate needs a DNS-01 solver,
 * and the ACME issuer here answers HTTP-01 challenges for one host.
 */
const hostName = z
  .string()
  .max(253, "a host name is at most 253 characters")
  .regex(DNS_SUBDOMAIN, { error: "must be a DNS name such as staging.agent-hive.com: lowercase letters, digits, '-' and '.', no wildcard, no scheme or path", abort: true })
  .refine((h) => h.includes("."), "must be a fully qualified DNS name such as staging.agent-hive.com (at least one dot)")
  .refine((h) => h.split(".").every((label) => label.length <= 63), "each dot-separated label of a DNS name is at most 63 characters")
  .meta({ title: "DNS name" });

const ingress = z.strictObject({
  host: hostName.describe("The public host name clients and the pipeline's tests call (staging.agent-hive.com); its DNS record points at the ingress controller."),
  className: dnsSubdomain("ingress.className")
    .default("nginx")
    .describe("The IngressClass (ingressClassName) of the controller that serves the host; the ACME issuer's HTTP-01 solver answers through it too."),
  controllerNamespace: dnsLabel("ingress.controllerNamespace")
    .default(DEFAULT_INGRESS_CONTROLLER_NAMESPACE)
    .describe("The ingress controller's namespace: the one namespace whose pods the NetworkPolicies admit to the services' ports (and to cert-manager's HTTP-01 solver)."),
  service: dnsLabel("ingress.service")
    .optional()
    .describe("The `services[].name` the Ingress routes to, through its stable Service (`services[].stableServiceName`); without it the first service."),
  tls: z
    .strictObject({
      secretName: dnsSubdomain("ingress.tls.secretName").describe(
        "The Secret in the environment's namespace that holds the host's certificate: cert-manager writes it where a cluster issuer is set; otherwise create it yourself (kubectl create secret tls).",
      ),
      clusterIssuer: dnsSubdomain("ingress.tls.clusterIssuer")
        .optional()
        .describe(
          "The cert-manager ClusterIssuer that issues the certificate (the Ingress's cert-manager.io/cluster-issuer annotation); without it `addons.certManager.acme.issuerName` where that is set, else none and the Secret is yours to provide.",
        ),
    })
    .describe("TLS of the host, which cannot be turned off: the policy pack refuses an Ingress without it."),
  annotations: z
    .record(z.string().regex(LABEL_NAME, "annotation keys must be [prefix/]name, name of letters, digits, '-', '_', '.' (at most 63)").meta({ title: "annotation name" }), z.string())
    .default({})
    .describe("Extra annotations for the ingress controller (nginx.ingress.kubernetes.io/proxy-body-size: 10m); the cluster issuer is `ingress.tls.clusterIssuer`, not an annotation here."),
});

// A registry host as an image reference starts with it: a domain, optionally with a port.
const REGISTRY_SERVER = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$/;

const registry = z.strictObject({
  server: z
    .string()
    .regex(REGISTRY_SERVER, "must be a registry host as images name it, such as ghcr.io or registry.example.com:5000 (no scheme, no path)")
    .meta({ title: "registry host" })
    .describe("The registry host the services' images are pulled from (ghcr.io): at least one `services[].image` must start with it."),
  username: z
    .string()
    .min(1, "must not be empty")
    .max(255, "at most 255 characters")
    .describe("The user the pull secret logs in as (for ghcr.io, the GitHub account of a token with read:packages); its password is the secret key `registryPassword`."),
});

const environmentName = dnsLabel("environment").max(30, "environment names are at most 30 characters");

/** The whole stack config, keyed like `Pulumi.<stack>.yaml` without the project prefix. */
export const stackConfigSchema = z.strictObject({
  environment: environmentName.describe("The environment's name: labels every object, names the default namespace (`agent-hive-<environment>`) and the secrets."),
  kubernetes: kubernetes.describe("The cluster this stack deploys to, and how CI reaches it."),
  namespace: namespace.describe("The environment's namespace, with its quota, LimitRange and NetworkPolicies."),
  services: z
    .array(service)
    .min(1, "at least one service")
    // How each service pins its image, and generated names that collide (Services, Rollouts, ...), are checked in rules.ts.
    .superRefine((services, ctx) => {
      const seen = new Set<string>();
      services.forEach((s, i) => {
        if (seen.has(s.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate service name "${s.name}": names must be unique` });
        seen.add(s.name);
      });
    })
    .describe("The application's services: each a Rollout with its Services, AnalysisTemplate and PodDisruptionBudget."),
  delivery: delivery.describe("How a new version rolls out (Argo Rollouts)."),
  slo: slo.describe("The service level objectives that alerts, canary analysis and dashboards all read. What each measures is decided once (infra/catalogue/metrics.ts): per pod, on the worst pod."),
  github: github.describe("The application repository's governance: the GitHub environment, branch protection and repository secrets."),
  observability: observability.describe("The environment's alerts, dashboards and notifications."),
  addons: addons.describe("Per-cluster add-ons (the rest of a stack is per environment)."),
  ingress: ingress
    .optional()
    .describe("The environment's public endpoint: an Ingress for one host with TLS, routing to one service. Without it no Ingress, and the NetworkPolicies admit no ingress controller."),
  registry: registry
    .optional()
    .describe(
      `A private image registry: the pull secret \`${REGISTRY_PULL_SECRET.name}\` (kubernetes.io/dockerconfigjson, from server, username and the secret key \`registryPassword\`) that every service's ServiceAccount lists in imagePullSecrets. Without it no pull secret: images are pulled anonymously.`,
    ),
});

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type ParsedStackConfig = z.output<typeof stackConfigSchema>;
