import { UsageError, filesystemErrorLine } from "./errors";
import { checkStackFlag } from "./paths";

export { UsageError } from "./errors";

/** Options shared by the offline commands: `--stack <name>` (repeatable) and `--out <dir>`. */
export interface OfflineArgs {
  readonly stacks: string[];
  readonly out: string;
}

/**
 * Parses `--stack` (each checked as a stack name) and `--out`; `out: false`
 * for a command that writes elsewhere, so that `--out` is refused, not ignored.
 */
export function parseOfflineArgs(argv: readonly string[], usage: string, options: { out?: boolean } = {}): OfflineArgs {
  const stacks: string[] = [];
  let out = "out";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value\n${usage}`);
      return v;
    };
    if (flag === "--stack" || flag === "-s") stacks.push(checkStackFlag(value(), flag));
    else if (flag === "--out" && options.out === false) throw new UsageError(`--out is not an option of this command, which writes only where its usage says: ${usage}`);
    else if (flag === "--out") out = value();
    else if (flag === "--help" || flag === "-h") throw new UsageError(usage, 0);
    else throw new UsageError(`unknown argument ${arg}\n${usage}`);
  }
  return { stacks, out };
}

/** An offline command: its arguments in, its exit code out. */
export type Main = (argv: readonly string[]) => Promise<number>;

/**
 * An offline command's exit code for `argv`, with what it prints on failure: a
 * UsageError its message alone, a known filesystem error (ENOENT, EACCES,
 * ENOTDIR, EISDIR, EROFS, ENOSPC, ...) one line and exit 1, anything else its
 * stack. What runMain exits with; the tests call it in their own process.
 */
export async function exitCodeOf(main: Main, argv: readonly string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return e.exitCode;
    }
    const line = filesystemErrorLine(e);
    if (line !== undefined) {
      console.error(line);
      return 1;
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 1;
  }
}

/** Runs an offline command's main with the process's arguments and exits with its code. */
export function runMain(main: Main): void {
  void exitCodeOf(main, process.argv.slice(2)).then((code) => process.exit(code));
}
