import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError, runMain } from "../offline/args";
import { onFile } from "../offline/errors";
import { ListedStack, PullRequestEvent, expiredReviewStacks, reviewAction } from "./lifecycle";
import { readTemplate, reviewStack } from "./stack-file";

const USAGE = `usage: npm run review -- stack --pr <n>             writes Pulumi.review-<n>.yaml from stacks/review/template.yaml, prints the stack name
       npm run review -- decide --event <event.json>   what a pull_request event means: {"action":"deploy"|"destroy","stack"} or {"action":"skip","reason"}
       npm run review -- expired --stacks <stacks.json> --open <prs.json>
                                                        review stacks to destroy (pulumi stack ls --json; gh pr list --label review-env --json number)`;

function option(argv: readonly string[], flag: string): string {
  const i = argv.indexOf(flag);
  const v = i >= 0 ? argv[i + 1] : undefined;
  if (v === undefined || v === "") throw new UsageError(`${flag} is required\n${USAGE}`);
  return v;
}

const readJson = <T>(file: string): T => onFile(file, () => JSON.parse(fs.readFileSync(file, "utf8")) as T);

/** The fields of GitHub's pull_request event payload the decision reads. */
interface EventPayload {
  readonly action: string;
  readonly pull_request: { readonly number: number; readonly state: "open" | "closed"; readonly labels: readonly { readonly name: string }[]; readonly head: { readonly repo: { readonly full_name: string } | null } };
  readonly repository: { readonly full_name: string };
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "stack") {
    const pr = Number(option(rest, "--pr"));
    const file = path.join(process.cwd(), `Pulumi.${reviewStack(pr)}.yaml`);
    const text = readTemplate().stackFile(pr);
    onFile(file, () => fs.writeFileSync(file, text));
    console.log(reviewStack(pr));
    return 0;
  }
  if (command === "decide") {
    const e = readJson<EventPayload>(option(rest, "--event"));
    const event: PullRequestEvent = {
      action: e.action,
      number: e.pull_request.number,
      state: e.pull_request.state,
      labels: e.pull_request.labels.map((l) => l.name),
      // A deleted fork has no head repository: treat it as a fork.
      fork: e.pull_request.head.repo?.full_name !== e.repository.full_name,
    };
    console.log(JSON.stringify(reviewAction(event)));
    return 0;
  }
  if (command === "expired") {
    const stacks = readJson<ListedStack[]>(option(rest, "--stacks"));
    const open = readJson<{ number: number }[]>(option(rest, "--open")).map((p) => p.number);
    console.log(JSON.stringify(expiredReviewStacks(stacks, open, new Date(), readTemplate().ttlHours)));
    return 0;
  }
  throw new UsageError(USAGE, command === "--help" || command === "-h" ? 0 : 1);
}

runMain(main);
