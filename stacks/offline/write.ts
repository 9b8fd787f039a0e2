import * as fs from "node:fs";
import * as path from "node:path";
import { manifestYaml, planManifests } from "./manifests";
import { Plan } from "./run";

export interface WrittenPlan {
  readonly dir: string;
  readonly manifests: number;
}

/**
 * Writes `out/<stack>/plan.json` and `out/<stack>/manifests/`, replacing what
 * an earlier run left there so that no stale manifest survives a rename.
 */
export function writePlan(plan: Plan, outRoot: string): WrittenPlan {
  const dir = path.join(outRoot, plan.stack);
  fs.rmSync(dir, { recursive: true, force: true });
  const manifestDir = path.join(dir, "manifests");
  fs.mkdirSync(manifestDir, { recursive: true });
  const document = { stack: plan.stack, project: plan.project, resources: plan.resources, outputs: plan.outputs, warnings: plan.warnings, secretConfig: plan.secretConfig };
  fs.writeFileSync(path.join(dir, "plan.json"), `${JSON.stringify(document, null, 2)}\n`);
  const manifests = planManifests(plan.resources);
  for (const m of manifests) fs.writeFileSync(path.join(manifestDir, m.file), manifestYaml(m));
  return { dir, manifests: manifests.length };
}
