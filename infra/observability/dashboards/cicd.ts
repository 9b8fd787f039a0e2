import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { selector } from "../../catalogue/metrics";
import { APP } from "../../catalogue/names";
import { DORA_RECORDS, DORA_WINDOW } from "../dora";
import { ObservabilitySpec } from "../spec";
import { buildDashboard, dashboardUid, statPanel, timeseriesPanel } from "./panels";

/** The guide's "Agent Hive CI/CD Dashboard", one per environment, from the DORA recording rules. */
export const CICD_TITLE = "Agent Hive CI/CD Dashboard";

export function cicdDashboard(spec: ObservabilitySpec): dashboard.Dashboard {
  // The recording rules carry the environment's namespace; select it so
  // several environments can share one Prometheus.
  const recorded = (name: string) => `${name}${selector({ namespace: spec.namespace })}`;
  return buildDashboard({
    uid: dashboardUid(`${APP}-cicd`, spec.environment),
    // The environment in the title keeps titles unique even when environments share a folder.
    title: `${CICD_TITLE} (${spec.environment})`,
    description: `DORA metrics of ${spec.namespace}, over the last ${DORA_WINDOW}.`,
    tags: [APP, "dora", spec.environment],
    timeFrom: "now-30d",
    panels: [
      statPanel({
        title: "Deployment Frequency",
        description: `Deployments per day, averaged over ${DORA_WINDOW}.`,
        unit: "none",
        targets: [{ expr: recorded(DORA_RECORDS.deploymentFrequency), legend: "per day" }],
      }),
      timeseriesPanel({
        title: "Lead Time",
        description: `Time from commit to deployment over ${DORA_WINDOW}: median and mean.`,
        unit: "s",
        width: 6,
        targets: [
          { expr: recorded(DORA_RECORDS.leadTimeP50), legend: "p50" },
          { expr: recorded(DORA_RECORDS.leadTimeMean), legend: "mean" },
        ],
      }),
      statPanel({
        title: "Change Failure Rate",
        description: `Failed deployments over all deployments in ${DORA_WINDOW}.`,
        unit: "percentunit",
        targets: [{ expr: recorded(DORA_RECORDS.changeFailureRate) }],
      }),
      statPanel({
        title: "Time to Restore",
        description: `Mean time to recover from a failure over ${DORA_WINDOW}.`,
        unit: "s",
        targets: [{ expr: recorded(DORA_RECORDS.timeToRestoreMean) }],
      }),
    ],
  });
}
