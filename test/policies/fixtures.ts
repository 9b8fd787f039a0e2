import type { EnforcementLevel } from "@pulumi/policy";
import { PIPELINE_QUALITY_GATES } from "../../infra/catalogue/pipeline";
import { CODECOV_PROJECT_CHECK } from "../../infra/catalogue/quality";
import { QualityGate } from "../../policies/lib/define";
import { PolicyConfigFile, evaluatePolicies } from "../../stacks/offline/policy";
import { PlanOptions, PlanResource } from "../../stacks/offline/recorder";
import { PlanValue } from "../../stacks/offline/redact";

/** Compliant fixtures: the smallest resources that pass every policy. Tests change one field each. */
export type Fixture = PlanResource & { inputs: { [key: string]: PlanValue } };

const OPTIONS: PlanOptions = {
  protect: false,
  retainOnDelete: false,
  dependsOn: [],
  deleteBeforeReplace: false,
  ignoreChanges: [],
  replaceOnChanges: [],
  aliases: [],
  provider: null,
  additionalSecretOutputs: [],
};

export function resource(type: string, name: string, inputs: { [key: string]: PlanValue }, options: Partial<PlanOptions> = {}): Fixture {
  return { urn: `urn:pulumi:production::agent-hive-platform::${type}::${name}`, type, name, parent: null, custom: true, inputs, options: { ...OPTIONS, ...options } };
}

const NS = "agent-hive-production";
const podLabels = { app: "agent-hive", "app.kubernetes.io/name": "agent-hive-orchestrator" };

export const container = (): { [key: string]: PlanValue } => ({
  name: "orchestrator",
  image: "ghcr.io/leanvibe/agent-hive:1.0.0",
  ports: [{ name: "http", containerPort: 8080 }],
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  livenessProbe: { httpGet: { path: "/health", port: 8080 } },
  readinessProbe: { httpGet: { path: "/health", port: 8080 } },
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 10001,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  },
});

export const rollout = (): Fixture =>
  resource("kubernetes:argoproj.io/v1alpha1:Rollout", "orchestrator-rollout", {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    metadata: { name: "agent-hive-orchestrator", namespace: NS, labels: { environment: "production", app: "agent-hive" } },
    spec: {
      replicas: 10,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
          containers: [container()],
        },
      },
      strategy: {
        canary: {
          stableService: "agent-hive-service",
          canaryService: "agent-hive-orchestrator-canary",
          analysis: { templates: [{ templateName: "agent-hive-orchestrator-slo" }], startingStep: 0 },
          steps: [{ setWeight: 10 }, { pause: { duration: 300 } }, { setWeight: 50 }, { pause: { duration: 300 } }],
        },
      },
    },
  });

export const pdb = (): Fixture =>
  resource("kubernetes:policy/v1:PodDisruptionBudget", "orchestrator-pdb", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "agent-hive-orchestrator", namespace: NS },
    spec: { maxUnavailable: 1, selector: { matchLabels: podLabels } },
  });

export const service = (): Fixture =>
  resource("kubernetes:core/v1:Service", "stable-service", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "agent-hive-service", namespace: NS },
    spec: { type: "ClusterIP", selector: podLabels, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
  });

export const namespace = (): Fixture =>
  resource(
    "kubernetes:core/v1:Namespace",
    "agent-hive-namespace",
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NS, labels: { environment: "production", "pod-security.kubernetes.io/enforce": "restricted" } } },
    { protect: true },
  );

export const defaultDeny = (): Fixture =>
  resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny", {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny-all", namespace: NS },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });

export const quota = (): Fixture =>
  resource("kubernetes:core/v1:ResourceQuota", "quota", {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "agent-hive-quota", namespace: NS },
    spec: { hard: { pods: "60" } },
  });

export const analysisTemplate = (): Fixture =>
  resource("kubernetes:argoproj.io/v1alpha1:AnalysisTemplate", "slo", {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name: "agent-hive-orchestrator-slo", namespace: NS },
    spec: { metrics: [{ name: "error-rate", successCondition: "result[0] <= 0.1", provider: { prometheus: { address: "http://prometheus:9090", query: "vector(0)" } } }] },
  });

export const prometheusRule = (): Fixture =>
  resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "rules", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "agent-hive-rules", namespace: NS },
    spec: {
      groups: [
        {
          name: "agent-hive-alerts",
          rules: [
            {
              alert: "HighErrorRate",
              expr: 'sum(rate(agent_hive_errors_total{namespace="agent-hive-production"}[5m])) > 0.1',
              for: "5m",
              labels: { severity: "warning" },
              annotations: { summary: "High error rate detected", description: "{{ $value }} errors/s" },
            },
          ],
        },
        { name: "agent-hive-dora", rules: [{ record: "agent_hive:deployment_frequency:per_day_7d", expr: "sum(increase(agent_hive_deployments_total[7d])) / 7" }] },
      ],
    },
  });

export const podMonitor = (): Fixture =>
  resource("kubernetes:monitoring.coreos.com/v1:PodMonitor", "pods", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: "agent-hive-orchestrator", namespace: NS },
    spec: { selector: { matchLabels: podLabels }, podMetricsEndpoints: [{ port: "http", path: "/metrics" }] },
  });

/** A monitor of something else (the Pushgateway): it must not count as scraping the service. */
export const pushgatewayMonitor = (): Fixture =>
  resource("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "pushgateway", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "agent-hive-pushgateway", namespace: NS },
    spec: { namespaceSelector: { matchNames: ["monitoring"] }, selector: {}, endpoints: [{ port: "http" }] },
  });

export const dashboard = (): Fixture =>
  resource("kubernetes:core/v1:ConfigMap", "dashboard", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "agent-hive-service-dashboard", namespace: "monitoring", labels: { grafana_dashboard: "1", environment: "production" } },
    // A logs panel with the service dashboard's Loki query, written out (not built by the code under test).
    data: {
      "agent-hive-service.json": JSON.stringify({
        panels: [{ title: "Logs by revision", type: "logs", datasource: { type: "loki", uid: "loki" }, targets: [{ refId: "A", expr: `{namespace="${NS}", revision=~"$revision"}` }] }],
      }),
    },
  });

export const branchProtection = (pattern = "main"): Fixture =>
  resource(
    "github:index/branchProtection:BranchProtection",
    `protect-${pattern}`,
    {
      repositoryId: "agent-hive",
      pattern,
      enforceAdmins: true,
      allowsForcePushes: false,
      allowsDeletions: false,
      requiredLinearHistory: true,
      requireConversationResolution: true,
      requiredStatusChecks: [{ strict: true, contexts: [...PIPELINE_QUALITY_GATES, CODECOV_PROJECT_CHECK] }],
      requiredPullRequestReviews: [{ requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true }],
    },
    { protect: true },
  );

export const environment = (): Fixture =>
  resource(
    "github:index/repositoryEnvironment:RepositoryEnvironment",
    "production-environment",
    {
      repository: "agent-hive",
      environment: "production",
      preventSelfReview: true,
      reviewers: [{ teams: [42], users: [] }],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    },
    { protect: true },
  );

export const deploymentPolicy = (): Fixture =>
  resource(
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    "production-branch-policy",
    { repository: "agent-hive", environment: "production", branchPattern: "main" },
    { protect: true },
  );

export const environmentSecret = (): Fixture =>
  resource(
    "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
    "kube-config",
    { repository: "agent-hive", environment: "production", secretName: "KUBE_CONFIG_PRODUCTION", plaintextValue: "[secret]" },
    { additionalSecretOutputs: ["plaintextValue"] },
  );

const qualityFile = (name: string, file: string, content: string): Fixture =>
  resource("github:index/repositoryFile:RepositoryFile", name, { repository: "agent-hive", branch: "main", file, content, overwriteOnCreate: true }, { protect: true });

/** The deploy branch's threshold files at the guide's values, as the governance component writes them. */
export const codecovFile = (): Fixture =>
  qualityFile("quality-codecov", "codecov.yml", "codecov:\n  require_ci_to_pass: true\n  strict_yaml_branch: main\ncoverage:\n  status:\n    project:\n      default:\n        target: 95%\n        threshold: 0%\n");
export const qualityGatesFile = (): Fixture =>
  qualityFile(
    "quality-gates",
    ".github/quality-gates.yml",
    "snyk:\n  severityThreshold: high\n  args: --severity-threshold=high\nbenchmark:\n  statistic: min\n  maxRegressionPercent: 5\n  compareFail: min:5%\n",
  );

export const ingress = (): Fixture =>
  resource("kubernetes:networking.k8s.io/v1:Ingress", "ingress", {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "agent-hive", namespace: NS, annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } },
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts: ["api.agent-hive.com"], secretName: "agent-hive-production-tls" }],
      rules: [{ host: "api.agent-hive.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "agent-hive-service", port: { number: 8080 } } } }] } }],
    },
  });

/** Every fixture together: a compliant production stack in miniature. */
export const compliantStack = (): Fixture[] => [
  namespace(), defaultDeny(), quota(), rollout(), analysisTemplate(), pdb(), service(), ingress(), prometheusRule(), podMonitor(), pushgatewayMonitor(), dashboard(),
  branchProtection(), environment(), deploymentPolicy(), environmentSecret(), codecovFile(), qualityGatesFile(),
];

/** The messages one policy reports over these resources, run through the offline runner. */
export async function violationsOf(factory: (level: EnforcementLevel) => QualityGate, resources: readonly PlanResource[], config: PolicyConfigFile = {}): Promise<string[]> {
  const gate = factory("mandatory");
  const report = await evaluatePolicies("test", resources, [gate], config);
  return report.violations.map((v) => v.message);
}
