import { resourcePolicy } from "../lib/define";
import { DEFAULT_IDENTITY, IDENTITY_SCHEMA, Identity, guarded } from "../lib/identity";
import { at } from "../lib/props";
import { ROLLOUT_TYPE, environmentOf, nameOf } from "../lib/rollouts";

export const productionRolloutsMustHaveMinReplicas = resourcePolicy<Identity & { minReplicas: number }>({
  name: "production-rollouts-must-have-min-replicas",
  area: "delivery",
  description: "Rollouts of production stacks run enough replicas that a canary step and a node loss leave the service up.",
  remediation: "raise services[].replicas in the stack config to at least minReplicas",
  config: {
    schema: { properties: { minReplicas: { type: "integer", default: 3 }, ...IDENTITY_SCHEMA } },
    defaults: { minReplicas: 3, ...DEFAULT_IDENTITY },
  },
  validate: (args, report, config) => {
    if (args.type !== ROLLOUT_TYPE || !guarded(config, args.urn, environmentOf(args.props))) return;
    const replicas = at(args.props, "spec", "replicas");
    if (typeof replicas !== "number" || replicas < config.minReplicas) {
      report(`Rollout ${nameOf(args.props)} has ${String(replicas ?? "no")} replicas; at least ${config.minReplicas} required`);
    }
  },
});
