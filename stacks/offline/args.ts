/** Options shared by the offline commands: `--stack <name>` (repeatable) and `--out <dir>`. */
export interface OfflineArgs {
  readonly stacks: string[];
  readonly out: string;
}

export function parseOfflineArgs(argv: readonly string[], usage: string): OfflineArgs {
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
    if (flag === "--stack" || flag === "-s") stacks.push(value());
    else if (flag === "--out") out = value();
    else if (flag === "--help" || flag === "-h") throw new UsageError(usage, 0);
    else throw new UsageError(`unknown argument ${arg}\n${usage}`);
  }
  return { stacks, out };
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/**
 * Runs an offline command's main and exits with its code: a UsageError prints
 * its message alone, anything else its stack.
 */
export function runMain(main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof UsageError) {
        console.error(e.message);
        process.exit(e.exitCode);
      }
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
