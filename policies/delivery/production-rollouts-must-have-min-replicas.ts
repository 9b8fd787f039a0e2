import { resourcePolicy } from "../lib/define";
import { at } from "../lib/props";
import { ROLLOUT_TYPE, environmentOf, nameOf } from "../lib/rollouts";

export const productionRolloutsMustHaveMinReplicas = resourcePolicy<{ minReplicas: number; environments: string[] }>({
  name: "production-rollouts-must-have-min-replicas",
  area: "delivery",
  description: "Rollouts in production environments run enough replicas that a canary step and a node loss leave the service up.",
  remediation: "raise services[].replicas in the stack config to at least minReplicas",
  config: {
    schema: {
      properties: {
        minReplicas: { type: "integer", default: 3 },
        environments: { type: "array", items: { type: "string" }, default: ["production"] },
      },
    },
    defaults: { minReplicas: 3, environments: ["production"] },
  },
  validate: (args, report, config) => {
    if (args.type !== ROLLOUT_TYPE) return;
    const env = environmentOf(args.props);
    if (env === undefined || !config.environments.includes(env)) return;
    const replicas = at(args.props, "spec", "replicas");
    if (typeof replicas !== "number" || replicas < config.minReplicas) {
      report(`Rollout ${nameOf(args.props)} in ${env} has ${String(replicas ?? "no")} replicas; at least ${config.minReplicas} required`);
    }
  },
});
