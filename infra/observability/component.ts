import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../catalogue/k8s-args";
import { componentType } from "../catalogue/names";
import {
  buildAlertmanagerConfig,
  buildPodMonitors,
  buildPrometheusRule,
  buildPushgatewayServiceMonitor,
  buildSlackWebhookSecret,
  dashboardConfigMap,
  dashboards,
} from "./builders";
import type { ObservabilityArgs } from "./spec";

type Model = { readonly apiVersion: string; readonly kind: string; readonly metadata?: { readonly name?: string } };

/**
 * One environment's monitoring: scraping (PodMonitors, the Pushgateway's
 * ServiceMonitor), alert and DORA rules, Slack routing, and Grafana dashboards.
 */
export class Observability extends pulumi.ComponentResource {
  readonly prometheusRuleName: string;
  readonly dashboardUids: string[];

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("observability", "Observability"), name, {}, opts);
    const { spec, provider } = args;
    const inNamespace = { parent: this, provider, dependsOn: [args.namespace] };
    const afterCrds = { ...inNamespace, dependsOn: [args.namespace, ...args.crdDependencies] };
    // Logical names follow the objects' names: both are a contract, renaming either replaces it.
    const logicalName = (m: Model) => `${name}-${m.kind.toLowerCase()}-${m.metadata?.name}`;
    const custom = (model: Model, extra: pulumi.Resource[] = []) =>
      new k8s.apiextensions.CustomResource(logicalName(model), asArgs<k8s.apiextensions.CustomResourceArgs>(model), {
        ...afterCrds,
        dependsOn: [...afterCrds.dependsOn, ...extra],
      });

    const secretModel = buildSlackWebhookSecret(spec);
    const webhooks = spec.slack.destinations.map((d) => {
      const url = args.slackWebhooks[d.secretKey];
      if (url === undefined) throw new pulumi.ResourceError(`no webhook given for the Slack destination ${d.receiver} (Secret key ${d.secretKey})`, this);
      return url.apply((u) => [d.secretKey, u] as const);
    });
    const webhookSecret = new k8s.core.v1.Secret(
      logicalName(secretModel),
      {
        ...asArgs<k8s.core.v1.SecretArgs>(secretModel),
        stringData: pulumi.secret(pulumi.all(webhooks).apply((entries) => Object.fromEntries(entries))),
      },
      { ...inNamespace, additionalSecretOutputs: ["data", "stringData"] },
    );

    const rule = buildPrometheusRule(spec);
    custom(rule);
    for (const monitor of buildPodMonitors(spec)) custom(monitor);
    const pushgateway = buildPushgatewayServiceMonitor(spec);
    if (pushgateway) custom(pushgateway);
    // The operator reads the webhook from the Secret when it merges the config.
    custom(buildAlertmanagerConfig(spec), [webhookSecret]);

    const models = dashboards(spec);
    for (const model of models) {
      const configMap = dashboardConfigMap(spec, model);
      new k8s.core.v1.ConfigMap(logicalName(configMap), asArgs<k8s.core.v1.ConfigMapArgs>(configMap), inNamespace);
    }

    this.prometheusRuleName = rule.metadata?.name ?? "";
    this.dashboardUids = models.map((m) => m.uid ?? "");
    this.registerOutputs({ prometheusRuleName: this.prometheusRuleName, dashboardUids: this.dashboardUids });
  }
}
