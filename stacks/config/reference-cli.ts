import * as fs from "node:fs";
import * as path from "node:path";
import { REFERENCE_DOC, configReference, referenceProblem, spliceReference } from "./reference";

const USAGE = "usage: npm run docs:config [-- --check]";

/**
 * `npm run docs:config`: writes the config reference generated from the
 * schema into docs/configuration.md, between its markers; the prose around
 * them stays as written. `--check` writes nothing and fails when the file
 * differs from what the schema generates (CI, and test/config/reference.test.ts).
 */
function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown[0]}\n${USAGE}`);
    return 2;
  }
  const file = path.join(process.cwd(), REFERENCE_DOC);
  const doc = fs.readFileSync(file, "utf8");
  const section = configReference();
  if (argv.includes("--check")) {
    const problem = referenceProblem(doc, section);
    if (problem !== undefined) {
      console.error(problem);
      return 1;
    }
    console.log(`${REFERENCE_DOC} is up to date`);
    return 0;
  }
  const next = spliceReference(doc, section);
  if (next === doc) console.log(`${REFERENCE_DOC} is up to date`);
  else {
    fs.writeFileSync(file, next);
    console.log(`${REFERENCE_DOC}: reference regenerated`);
  }
  return 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
