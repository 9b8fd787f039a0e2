import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { selector } from "../../../catalogue/metrics";
import { APP } from "../../../catalogue/names";
import { DORA_RECORDS, DORA_WINDOW } from "../dora";
import type { ObservabilitySpec } from "../../spec";
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
        description: `Successful deployments per day, averaged over the runs deployed in the last ${DORA_WINDOW}. Failed deploys count in the change failure rate, not here.`,
        unit: "none",
        targets: [{ expr: recorded(DORA_RECORDS.deploymentFrequency), legend: "per day" }],
      }),
      timeseriesPanel({
        title: "Lead Time",
        description: `Time from the deployed commit to its successful deploy, over the runs deployed in the last ${DORA_WINDOW}: median (from the guide's buckets) and mean.`,
        unit: "s",
        width: 6,
        targets: [
          { expr: recorded(DORA_RECORDS.leadTimeP50), legend: "p50" },
          { expr: recorded(DORA_RECORDS.leadTimeMean), legend: "mean" },
        ],
      }),
      statPanel({
        title: "Change Failure Rate",
        description: `Failed deploys (aborted canaries, failed checks) over all deploys in the last ${DORA_WINDOW}; a pipeline run counts once, as its last attempt.`,
        unit: "percentunit",
        targets: [{ expr: recorded(DORA_RECORDS.changeFailureRate) }],
      }),
      statPanel({
        title: "Time to Restore",
        description: `Mean time from an environment's first failed deploy to its next successful deploy, for the recoveries in the last ${DORA_WINDOW}.`,
        unit: "s",
        targets: [{ expr: recorded(DORA_RECORDS.timeToRestoreMean) }],
      }),
    ],
  });
}
