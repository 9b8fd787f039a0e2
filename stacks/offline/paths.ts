import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError, onFile } from "./errors";

// Where the offline commands may write and delete: only inside `--out`, only in
// `<out>/<stack>/` directories that hold nothing but what the commands write.

/** Pulumi's own rule for a stack name, which is also the `<name>` of `Pulumi.<name>.yaml`. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Why `name` cannot be a stack name, or undefined when it can. */
export function stackNameProblem(name: string): string | undefined {
  if (name === "." || name === "..") return "is a directory reference";
  if (name.length > 100) return "is longer than 100 characters";
  if (!STACK_NAME.test(name)) return `may hold only letters, digits, ".", "_" and "-"`;
  return undefined;
}

/** A stack name given on the command line (`--stack`), or a UsageError naming the flag, the value and the fix. */
export function checkStackFlag(name: string, flag = "--stack"): string {
  const problem = stackNameProblem(name);
  if (problem) throw new UsageError(`${flag} ${JSON.stringify(name)} is not a stack name: it ${problem}; give the <name> of a Pulumi.<name>.yaml`);
  return name;
}

/** A stack name found on disk (a stack file, a plan directory), or a UsageError saying which file to rename. */
export function checkStackFound(name: string, where: string): string {
  const problem = stackNameProblem(name);
  if (problem) throw new UsageError(`${where} names the stack ${JSON.stringify(name)}, which ${problem}: rename it`, 1);
  return name;
}

/** True when `target` is strictly inside `dir` (lexically, after resolving both). */
export function isInside(dir: string, target: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(target));
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** `dir/...parts`, refused unless it resolves strictly inside `dir`. */
export function within(dir: string, ...parts: string[]): string {
  const target = path.resolve(dir, ...parts);
  if (!isInside(dir, target)) throw new UsageError(`refusing to write ${target}: it is outside ${dir}`, 1);
  return target;
}

// Filesystems that are not storage (statfs f_type): writing there is at best an error, at worst a hang.
const PSEUDO_FS: Readonly<Record<number, string>> = {
  0x9fa0: "proc",
  0x62656572: "sysfs",
  0x1cd1: "devpts",
  0x27e0eb: "cgroup",
  0x63677270: "cgroup2",
  0x64626720: "debugfs",
  0x74726163: "tracefs",
  0x73636673: "securityfs",
  0xcafe4a11: "bpf",
  0x6165676c: "pstore",
  0x62656570: "configfs",
  0xde5e81e4: "efivarfs",
  0x19800202: "mqueue",
  0x42494e4d: "binfmt_misc",
  0x65735543: "fusectl",
  0x6e736673: "nsfs",
};
// /dev is devtmpfs, which reports itself as tmpfs: known by its place instead.
const PSEUDO_ROOTS = ["/proc", "/sys", "/dev"];

/** Where `dir` (which exists) is when that is not storage (`under /dev`, `on a proc filesystem`), else undefined. */
export function pseudoFilesystem(dir: string): string | undefined {
  const under = PSEUDO_ROOTS.find((p) => dir === p || dir.startsWith(`${p}/`));
  if (under) return `under ${under}`;
  try {
    const kind = PSEUDO_FS[fs.statfsSync(dir).type];
    return kind ? `on a ${kind} filesystem` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks `--out` before anything is planned and returns the real directory it
 * names (symlinks followed). Refused: the filesystem root, the project
 * directory or one that contains it, something that exists and is not a
 * directory, and a place on a filesystem that is not storage (/proc, /sys, /dev).
 */
export function resolveOut(out: string, root: string): string {
  const refuse = (why: string, fix = "give a directory of its own, e.g. --out out") => new UsageError(`--out ${JSON.stringify(out)} ${why}: ${fix}`);
  const target = path.resolve(root, out);
  let existing = target;
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  const real = fs.realpathSync(existing);
  if (!fs.statSync(real).isDirectory()) throw refuse(rest.length === 0 ? "exists and is not a directory" : `is inside ${JSON.stringify(existing)}, which is not a directory`);
  const pseudo = pseudoFilesystem(real);
  if (pseudo) throw refuse(`is ${pseudo}, not a directory on disk`);
  const resolved = path.join(real, ...rest);
  if (resolved === path.parse(resolved).root) throw refuse("is the filesystem root");
  const project = fs.realpathSync(root);
  if (resolved === project) throw refuse("is the project directory itself");
  if (isInside(resolved, project)) throw refuse("contains the project directory");
  return resolved;
}

/** What the offline commands write into `<out>/<stack>/`; a directory holding anything else is not theirs to delete. */
export const STACK_DIR_ENTRIES: readonly string[] = ["plan.json", "manifests", "prometheus", "grafana", "policy-report.json"];

/**
 * Removes `<out>/<stack>/` when it is one the offline commands wrote (a
 * directory of their files only), and returns its path. Anything else there (a
 * file, a link, a directory with other files) is refused, never deleted.
 */
export function removeStackDir(outRoot: string, stack: string): string {
  const dir = within(outRoot, checkStackFound(stack, "a plan"));
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return dir;
    throw e;
  }
  if (!stat.isDirectory()) throw new UsageError(`${dir} is not a plan directory (it is a ${stat.isSymbolicLink() ? "symbolic link" : "file"}): move it away or give another --out`, 1);
  const foreign = fs.readdirSync(dir).filter((e) => !STACK_DIR_ENTRIES.includes(e));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((f) => JSON.stringify(f)).join(", ") + (foreign.length > 3 ? `, and ${foreign.length - 3} more` : "");
    throw new UsageError(`${dir} holds files npm run plan did not write (${shown}): move them away or give another --out`, 1);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** mkdir -p, one level at a time: bounded by the path's depth, where a recursive mkdir can spin on /proc. */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) fs.mkdirSync(d);
}

/** Writes `dir/name`, refused outside `dir` and over anything that is not a plain file. */
export function writeInside(dir: string, name: string, text: string): string {
  const file = within(dir, name);
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new UsageError(`refusing to write ${file}: it exists and is not a plain file`, 1);
  onFile(file, () => fs.writeFileSync(file, text));
  return file;
}
