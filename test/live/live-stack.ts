import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { IAlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { ALERT_KEYS } from "../../infra/catalogue/alerts";
import { Plan } from "../../stacks/offline/run";
import { writePlan } from "../../stacks/offline/write";
import { StackDoc, cfg, loadStackDoc, planDoc } from "../support/stacks";

/*
 * The live tests' stacks: a committed stack file with its timings scaled down
 * by config alone (alert `for`, the rate window, Alertmanager's timers, the
 * DORA evaluation), so the servers judge the very rules and routing a real
 * `pulumi up` of that stack registers, only faster. No code path differs.
 */

export interface LiveTimings {
  /** `for` of every alert. */
  readonly alertFor: string;
  readonly rateWindow: string;
  readonly doraEvaluationInterval: string;
}

export const LIVE_TIMINGS: LiveTimings = { alertFor: "3s", rateWindow: "8s", doraEvaluationInterval: "1s" };

/** A committed stack file with the live timings; severities, thresholds and routing stay the stack's own. */
export function liveStackDoc(stack: string, timings: LiveTimings = LIVE_TIMINGS): StackDoc {
  const doc = loadStackDoc(stack);
  const observability = cfg(doc, "observability");
  const alerts = (observability.alerts ?? {}) as Record<string, Record<string, unknown>>;
  observability.alerts = Object.fromEntries(ALERT_KEYS.map((k) => [k, { ...alerts[k], for: timings.alertFor }]));
  observability.notifications = { groupWait: "1s", groupInterval: "1s", repeatInterval: { critical: "1h", warning: "1h", info: "1h" } };
  observability.doraEvaluationInterval = timings.doraEvaluationInterval;
  cfg(doc, "slo").rateWindow = timings.rateWindow;
  return doc;
}

/** A planned live stack: the plan, and the files `npm run plan` writes for it. */
export interface LivePlan {
  readonly plan: Plan;
  readonly dir: string;
  /** The rule files exactly as written under `prometheus/`. */
  readonly ruleFiles: Record<string, string>;
  /** The dashboards exactly as written under `grafana/`. */
  readonly dashboards: { readonly file: string; readonly json: DashboardJson }[];
  readonly podMonitors: IPodMonitor[];
  readonly serviceMonitors: IServiceMonitor[];
  readonly alertmanagerConfigs: IAlertmanagerConfig[];
  /** A planned object's inputs by type. */
  inputsOf<T>(type: string): T[];
  /** Removes the written files. */
  remove(): void;
}

export interface DashboardJson {
  readonly title: string;
  readonly panels: { readonly title: string; readonly datasource?: { readonly type?: string; readonly uid?: string }; readonly targets?: { readonly expr: string }[] }[];
}

/** Plans a stack doc with the given secret values and writes its outputs into a temporary `out/`. */
export async function planLive(stack: string, doc: StackDoc, secrets: Record<string, string>): Promise<LivePlan> {
  const plan = await planDoc(stack, doc, secrets);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "live-plan-"));
  const written = writePlan(plan, out);
  const read = (file: string) => fs.readFileSync(path.join(written.dir, file), "utf8");
  const inputsOf = <T>(type: string) => plan.resources.filter((r) => r.type === type).map((r) => r.inputs as T);
  return {
    plan,
    dir: written.dir,
    ruleFiles: Object.fromEntries(written.ruleFiles.map((f) => [path.basename(f), read(f)])),
    dashboards: written.dashboards.map((f) => ({ file: f, json: JSON.parse(read(f)) as DashboardJson })),
    podMonitors: inputsOf<IPodMonitor>("kubernetes:monitoring.coreos.com/v1:PodMonitor"),
    serviceMonitors: inputsOf<IServiceMonitor>("kubernetes:monitoring.coreos.com/v1:ServiceMonitor"),
    alertmanagerConfigs: inputsOf<IAlertmanagerConfig>("kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig"),
    inputsOf,
    remove: () => fs.rmSync(out, { recursive: true, force: true }),
  };
}
