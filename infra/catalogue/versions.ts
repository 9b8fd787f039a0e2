/**
 * Every third-party version the platform installs, pinned in one place. A bump
 * is one line here, visible in the preview diff of every stack.
 */
export const CHARTS = {
  argoRollouts: { chart: "argo-rollouts", repo: "https://argoproj.github.io/argo-helm", version: "2.40.1" },
  kubePrometheusStack: { chart: "kube-prometheus-stack", repo: "https://prometheus-community.github.io/helm-charts", version: "77.0.0" },
  pushgateway: { chart: "prometheus-pushgateway", repo: "https://prometheus-community.github.io/helm-charts", version: "3.4.1" },
  // Loki 3.4.2 in single-binary mode.
  loki: { chart: "loki", repo: "https://grafana.github.io/helm-charts", version: "6.29.0" },
  // Grafana Alloy 1.10.1, the log shipper.
  alloy: { chart: "alloy", repo: "https://grafana.github.io/helm-charts", version: "1.2.1" },
  // Jetstack tags its chart versions with the leading "v".
  certManager: { chart: "cert-manager", repo: "https://charts.jetstack.io", version: "v1.19.1" },
} as const;

export type ChartName = keyof typeof CHARTS;

/** A chart's pinned coordinates as a Helm Release takes them: the one way an add-on names its chart. */
export function pinnedChart(name: ChartName): { chart: string; version: string; repositoryOpts: { repo: string } } {
  const { chart, version, repo } = CHARTS[name];
  return { chart, version, repositoryOpts: { repo } };
}
