// The real-engine test's judgements that need more than a grep (run.sh calls these):
//   live-objects <manifests dir>   every object the offline plan wrote exists in the API server with the same spec
//   parity <preview.json> <diff.json>   `pulumi preview --json` and `npm run diff -- --format json` change the same resources the same way
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import type { StackDiff } from "../../stacks/offline/diff";
import { PreviewJson, engineChanges, offlineChanges, parityProblems } from "./preview-parity";
import { comparable, specDrift } from "./spec-drift";

type Obj = Record<string, unknown>;

function liveObjects(dir: string): number {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
  if (files.length === 0) return fail(`${dir} holds no manifests: the offline plan wrote none`);
  const problems: string[] = [];
  for (const file of files) {
    const planned = parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8")).map((d) => d.toJS() as Obj);
    // `kubectl get -f` finds each object by the identity in the file itself (group, kind, namespace, name).
    const r = spawnSync("kubectl", ["get", "-f", path.join(dir, file), "-o", "json"], { encoding: "utf8" });
    if (r.status !== 0) {
      problems.push(`${file}: not in the API server: ${r.stderr.trim().split("\n")[0]}`);
      continue;
    }
    const got = JSON.parse(r.stdout) as Obj;
    const live = (got.kind === "List" ? got.items : [got]) as Obj[];
    planned.forEach((p, i) => {
      const [want, have] = comparable(p, live[i] ?? {});
      problems.push(...specDrift(want, have).map((d) => `${file}: ${d}`));
    });
    console.log(`${file}: ${planned.length === 1 ? "same spec" : `${planned.length} objects, same spec`}`);
  }
  if (problems.length > 0) return fail(`${problems.length} difference(s) between the plan and the API server:\n  ${problems.join("\n  ")}`);
  console.log(`live-objects: all ${files.length} planned objects exist in the API server with the planned spec`);
  return 0;
}

function parity(previewFile: string, diffFile: string): number {
  const engine = engineChanges(JSON.parse(fs.readFileSync(previewFile, "utf8")) as PreviewJson);
  const offline = offlineChanges(JSON.parse(fs.readFileSync(diffFile, "utf8")) as StackDiff[]);
  for (const [urn, change] of [...engine].sort()) console.log(`engine:  ${change.padEnd(7)} ${urn}`);
  for (const [urn, change] of [...offline].sort()) console.log(`offline: ${change.padEnd(7)} ${urn}`);
  if (engine.size === 0) return fail("pulumi preview changes nothing: the config change did not reach the engine");
  const problems = parityProblems(engine, offline);
  if (problems.length > 0) return fail(`pulumi preview and npm run diff disagree:\n  ${problems.join("\n  ")}`);
  console.log(`parity: both change the same ${engine.size} resource(s) the same way`);
  return 0;
}

function fail(message: string): number {
  console.error(`checks: ${message}`);
  return 1;
}

const [command, ...rest] = process.argv.slice(2);
const usage = "usage: checks-cli.ts live-objects <manifests dir> | parity <preview.json> <diff.json>";
if (command === "live-objects" && rest.length === 1) process.exit(liveObjects(rest[0]));
else if (command === "parity" && rest.length === 2) process.exit(parity(rest[0], rest[1]));
else process.exit(fail(usage));
