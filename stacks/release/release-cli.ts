import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig } from "../config/parse";
import { readStackFile } from "../offline/stack-file";
import { releaseInfo } from "./info";
import { setImage } from "./set-image";
import { stacksCommand } from "./stacks";
import { releaseTarget } from "./target";

/*
 * `npm run release -- <command>`: the thin shell the release workflows call.
 * Everything it decides lives in the pure modules next to it; this file reads
 * the stack file, prints, and turns any error into one message and exit 1.
 */

// Where the stack files are: npm runs scripts in the package root, as `npm run dora` also assumes.
const ROOT = process.cwd();

const USAGE = `usage: npm run release -- info --stack <stack>
       npm run release -- target --stack <stack> --image <ref> [--service <name>]
       npm run release -- set-image --stack <stack> --image <ref> [--service <name>]
       npm run release -- stacks [--branch <branch>]
info       prints JSON for the release workflows: namespace, Rollouts, wait timeout, Pushgateway
target     checks an image against the stack (pinned, its service's repository) and prints the Rollout it changes
set-image  pins the image in Pulumi.<stack>.yaml (imageOwner: stack), keeping comments, and prints what changed
stacks     prints every Pulumi.<stack>.yaml's stack, GitHub environment and deploy branch as the workflows' matrix (JSON); --branch keeps those a push to it deploys`;

const COMMANDS = { info: [], target: ["--image", "--service"], "set-image": ["--image", "--service"] } as const;
type Command = keyof typeof COMMANDS;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { command: Command; flags: Record<string, string> } {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") throw new UsageError(USAGE);
  if (!(command in COMMANDS)) throw new Error(`unknown command "${command}": use info, target or set-image (one stack) or stacks (all of them; npm run release -- --help)`);
  const allowed: readonly string[] = ["--stack", ...COMMANDS[command as Command]];
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (!allowed.includes(flag)) throw new Error(`${command}: unknown argument "${arg}"; it takes ${allowed.join(", ")}`);
    const value = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === "") throw new Error(`${command}: ${flag} needs a value`);
    flags[flag] = value;
  }
  for (const required of command === "info" ? ["--stack"] : ["--stack", "--image"]) {
    if (flags[required] === undefined) throw new Error(`${command}: ${required} is required (npm run release -- --help)`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(flags["--stack"])) throw new Error(`--stack "${flags["--stack"]}": a stack name is letters, digits, '.', '_' and '-' (Pulumi.<stack>.yaml)`);
  return { command: command as Command, flags };
}

function main(argv: readonly string[]): void {
  if (argv[0] === "stacks") {
    console.log(stacksCommand(ROOT, argv.slice(1)));
    return;
  }
  const { command, flags } = parseArgs(argv);
  const stack = flags["--stack"];
  const raw = readStackFile(ROOT, stack);
  if (command === "info") {
    console.log(JSON.stringify(releaseInfo(parseStackConfig(raw)), null, 2));
    return;
  }
  if (command === "target") {
    const t = releaseTarget(parseStackConfig(raw), flags["--image"], flags["--service"]);
    console.log(JSON.stringify({ service: t.service, rollout: t.rollout, container: t.container, image: t.image }, null, 2));
    return;
  }
  const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
  const result = setImage({ text: fs.readFileSync(file, "utf8"), raw, image: flags["--image"], service: flags["--service"] });
  if (result.changes.length === 0) {
    console.log(`Pulumi.${stack}.yaml already pins ${result.target.image} for ${result.target.service}: nothing changed`);
    return;
  }
  fs.writeFileSync(file, result.text);
  console.log(`Pulumi.${stack}.yaml: ${result.target.service} now runs ${result.target.image}`);
  for (const line of result.changes) console.log(`  ${line}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    console.log(e.message);
    process.exit(0);
  }
  // The message is the whole story (bad value, key, fix); a stack trace would bury it.
  console.error(`release: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
