import * as fs from "node:fs";
import { UsageError, runMain } from "../offline/args";
import { onFile } from "../offline/errors";
import { checkStackFlag } from "../offline/paths";
import { OpenIssue, driftAction } from "./lifecycle";
import { EngineJson, driftOf, driftTitle, issueBody } from "./report";

const USAGE = `usage: npm run drift -- report --stack <stack> --refresh <refresh.json> --preview <preview.json> --run-url <url> --body <out.md>
       npm run drift -- decide --stack <stack> --drifted <n> --issues <issues.json> --bot <login>
report  reads pulumi refresh --preview-only --json and pulumi preview --expect-no-changes --json, writes the issue body,
        prints {"drifted": n, "title": ...} (values are never shown)
decide  prints {"action": "open"|"update"|"close"|"none", "issue"?: n} from gh issue list --json number,body,author`;

function flags(argv: readonly string[], names: readonly string[]): Map<string, string> {
  const got = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!names.includes(flag)) throw new UsageError(`unknown argument ${flag}\n${USAGE}`);
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
    got.set(flag, value);
  }
  const missing = names.filter((n) => !got.has(n));
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(", ")}\n${USAGE}`);
  return got;
}

const readJson = <T>(file: string, what: string): T =>
  onFile(file, () => {
    const text = fs.readFileSync(file, "utf8");
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new UsageError(`${file} is not JSON (${what}): did the pulumi command fail before printing it? See its log`, 1);
    }
  });

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "report") {
    const f = flags(rest, ["--stack", "--refresh", "--preview", "--run-url", "--body"]);
    const stack = checkStackFlag(f.get("--stack") ?? "");
    const drifted = driftOf(readJson<EngineJson>(f.get("--refresh") ?? "", "pulumi refresh --json"), readJson<EngineJson>(f.get("--preview") ?? "", "pulumi preview --json"));
    const body = f.get("--body") ?? "";
    onFile(body, () => fs.writeFileSync(body, `${issueBody(stack, drifted, f.get("--run-url") ?? "")}\n`));
    console.log(JSON.stringify({ drifted: drifted.length, title: driftTitle(stack) }));
    return 0;
  }
  if (command === "decide") {
    const f = flags(rest, ["--stack", "--drifted", "--issues", "--bot"]);
    const stack = checkStackFlag(f.get("--stack") ?? "");
    const n = Number(f.get("--drifted"));
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--drifted must be a count, not ${f.get("--drifted")}`);
    console.log(JSON.stringify(driftAction(stack, n > 0, readJson<OpenIssue[]>(f.get("--issues") ?? "", "gh issue list --json"), f.get("--bot") ?? "")));
    return 0;
  }
  throw new UsageError(USAGE, command === "--help" || command === "-h" ? 0 : 1);
}

runMain(main);
