import { stackPolicy } from "../lib/define";
import { asRecord, at } from "../lib/props";
import { ROLLOUT_TYPE, environmentOf, nameOf, namespaceOf, podLabelsOf, resourcesOfType, selects } from "../lib/rollouts";
import { PROMETHEUS_RULE_TYPE, rulesOf } from "../lib/rules";

const POD_MONITOR = "kubernetes:monitoring.coreos.com/v1:PodMonitor";
const SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";

export const servicesMustBeMonitored = stackPolicy({
  name: "services-must-be-monitored",
  area: "monitoring",
  description: "Every service the platform delivers is scraped (a PodMonitor or ServiceMonitor), has alert rules in its environment, and has a dashboard.",
  remediation: "keep the observability component enabled for the stack; it creates the monitor, the PrometheusRule and the dashboards per service",
  validate: (args, report) => {
    const rules = resourcesOfType(args.resources, PROMETHEUS_RULE_TYPE);
    const podMonitors = resourcesOfType(args.resources, POD_MONITOR);
    const serviceMonitors = resourcesOfType(args.resources, SERVICE_MONITOR);
    const services = resourcesOfType(args.resources, "kubernetes:core/v1:Service");
    const dashboards = resourcesOfType(args.resources, "kubernetes:core/v1:ConfigMap").filter((c) => asRecord(at(c.props, "metadata", "labels")).grafana_dashboard !== undefined);
    for (const r of resourcesOfType(args.resources, ROLLOUT_TYPE)) {
      const ns = namespaceOf(r.props);
      const env = environmentOf(r.props);
      const name = `Rollout ${nameOf(r.props)} in ${ns}`;
      // A PodMonitor selecting the pods, or a ServiceMonitor selecting a Service
      // that selects them, in the Rollout's namespace: any other monitor (the
      // Pushgateway's, say) scrapes something else.
      const pods = podLabelsOf(r.props);
      const viaPods = podMonitors.some((m) => namespaceOf(m.props) === ns && selects(at(m.props, "spec", "selector"), pods));
      const viaServices = serviceMonitors.some((m) =>
        namespaceOf(m.props) === ns &&
        services.some((s) => namespaceOf(s.props) === ns && selects(at(m.props, "spec", "selector"), at(s.props, "metadata", "labels")) && selects({ matchLabels: at(s.props, "spec", "selector") }, pods)),
      );
      const scraped = viaPods || viaServices;
      if (!scraped) report(`${name} is not scraped by any PodMonitor or ServiceMonitor`, r.urn);
      const alerted = rules.some((p) => namespaceOf(p.props) === ns && rulesOf(p.props).some((x) => x.kind === "alert"));
      if (!alerted) report(`${name} has no alert rules`, r.urn);
      const dashboard = dashboards.some((d) => namespaceOf(d.props) === ns || environmentOf(d.props) === env);
      if (!dashboard) report(`${name} has no dashboard`, r.urn);
    }
  },
});
