import * as fs from "node:fs";
import * as path from "node:path";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { stringify } from "yaml";
import { DEFAULT_DASHBOARD_LABEL } from "../../infra/catalogue/grafana";
import { ruleFile } from "../../infra/observability/builders/prometheus-rule";
import { PlanSource } from "./fingerprint";
import { Manifest, manifestYaml, planManifests } from "./manifests";
import { checkStackFound, ensureDir, removeStackDir, within, writeInside } from "./paths";
import { Plan } from "./run";

export interface WrittenPlan {
  readonly dir: string;
  readonly manifests: number;
  /** Rule files in promtool's format, one per PrometheusRule: `prometheus/<name>.rules.yml`. */
  readonly ruleFiles: string[];
  /** Importable dashboard JSON, one per dashboard in a sidecar ConfigMap: `grafana/<file>.json`. */
  readonly dashboards: string[];
}

/** The PrometheusRules of a plan as promtool rule files: exactly the groups that are registered. */
export function planRuleFiles(manifests: readonly Manifest[]): { file: string; text: string }[] {
  return manifests
    .filter((m) => m.object.apiVersion === "monitoring.coreos.com/v1" && m.object.kind === "PrometheusRule")
    .map((m) => ({ file: `${m.object.metadata.name}.rules.yml`, text: stringify(ruleFile(m.object as unknown as IPrometheusRule), { lineWidth: 0 }) }));
}

/** The dashboards the Grafana sidecar would load: the JSON documents of labelled ConfigMaps. */
export function planDashboards(manifests: readonly Manifest[]): { file: string; text: string }[] {
  return manifests
    .filter((m) => m.object.kind === "ConfigMap" && (m.object.metadata as { labels?: Record<string, string> }).labels?.[DEFAULT_DASHBOARD_LABEL.name] === DEFAULT_DASHBOARD_LABEL.value)
    .flatMap((m) => Object.entries((m.object.data ?? {}) as Record<string, string>).map(([file, text]) => ({ file, text })));
}

/**
 * Writes `out/<stack>/plan.json` and `out/<stack>/manifests/`, replacing what
 * an earlier run left there so that no stale manifest survives a rename. Every
 * path is checked to be inside `outRoot`, and an existing `out/<stack>/` is
 * only replaced when it holds nothing but what the offline commands write.
 * plan.json is written last: a run cut short leaves no plan to trust.
 * `files` are the hashes of the files the plan came from (see PlanSource).
 */
export function writePlan(plan: Plan, outRoot: string, files?: PlanSource["files"]): WrittenPlan {
  const dir = removeStackDir(outRoot, plan.stack);
  const manifestDir = path.join(dir, "manifests");
  ensureDir(manifestDir);
  const manifests = planManifests(plan.resources);
  for (const m of manifests) writeInside(manifestDir, m.file, manifestYaml(m));
  const write = (sub: string, files: { file: string; text: string }[]) => {
    if (files.length > 0) fs.mkdirSync(path.join(dir, sub));
    for (const f of files) writeInside(path.join(dir, sub), f.file, f.text.endsWith("\n") ? f.text : `${f.text}\n`);
    return files.map((f) => path.join(sub, f.file));
  };
  const ruleFiles = write("prometheus", planRuleFiles(manifests));
  const dashboards = write("grafana", planDashboards(manifests));
  const source: PlanSource = files ? { config: plan.configFingerprint, files } : { config: plan.configFingerprint };
  const document = { stack: plan.stack, project: plan.project, source, resources: plan.resources, outputs: plan.outputs, warnings: plan.warnings, secretConfig: plan.secretConfig };
  writeInside(dir, "plan.json", `${JSON.stringify(document, null, 2)}\n`);
  return { dir, manifests: manifests.length, ruleFiles, dashboards };
}

/**
 * After a failed plan: removes what an earlier run wrote for `stack`, so that
 * policy and diff find no plan rather than a stale one. Returns whether there was one.
 */
export function removePlan(outRoot: string, stack: string): boolean {
  const existed = fs.lstatSync(within(outRoot, checkStackFound(stack, "a plan")), { throwIfNoEntry: false }) !== undefined;
  removeStackDir(outRoot, stack);
  return existed;
}
