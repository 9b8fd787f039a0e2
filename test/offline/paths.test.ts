import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { filesystemErrorLine } from "../../stacks/offline/errors";
import { isInside, removeStackDir, resolveOut, stackNameProblem, within } from "../../stacks/offline/paths";

const dirs: string[] = [];
const temp = () => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-paths-")));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("stack names", () => {
  it.each(["staging", "production", "qa-2", "eu_west.1", "..hidden", "a".repeat(100)])("accepts %j", (name) => expect(stackNameProblem(name)).toBeUndefined());
  const CHARACTERS = 'may hold only letters, digits, ".", "_" and "-"';
  it.each([
    [".", "is a directory reference"],
    ["..", "is a directory reference"],
    ["a".repeat(101), "is longer than 100 characters"],
    ...["../x", "x/y", "x\\y", "/abs", "", "a b", "x\n", "é"].map((name) => [name, CHARACTERS]),
  ])("refuses %j: it %s", (name, problem) => expect(stackNameProblem(name)).toBe(problem));
});

describe("inside a directory", () => {
  it("knows a child named ..x from the parent", () => {
    expect(isInside("/a/out", "/a/out/..x")).toBe(true);
    expect(isInside("/a/out", "/a/out/../x")).toBe(false);
    expect(isInside("/a/out", "/a/out")).toBe(false);
    expect(isInside("/a/out", "/a/outside")).toBe(false);
    expect(() => within("/a/out", "x", "..", "..", "y")).toThrow(/outside \/a\/out/);
  });
});

describe("--out", () => {
  it("resolves a new directory inside an existing one, through a link", () => {
    const root = temp();
    const elsewhere = temp();
    fs.symlinkSync(elsewhere, path.join(root, "link"));
    expect(resolveOut("out", root)).toBe(path.join(root, "out"));
    expect(resolveOut("link/plans", root)).toBe(path.join(elsewhere, "plans"));
  });

  it("refuses a link to the project, and the places that are not storage", () => {
    const root = temp();
    fs.symlinkSync(root, path.join(root, "self"));
    expect(() => resolveOut("self", root)).toThrow(/is the project directory itself/);
    expect(() => resolveOut("/proc/self/fd", root)).toThrow(/under \/proc/);
    expect(() => resolveOut("/dev/shm/x", root)).toThrow(/under \/dev/);
  });
});

describe("replacing out/<stack>", () => {
  it("removes a plan directory, refuses one that holds other files", () => {
    const out = temp();
    fs.mkdirSync(path.join(out, "staging", "manifests"), { recursive: true });
    fs.writeFileSync(path.join(out, "staging", "plan.json"), "{}");
    removeStackDir(out, "staging");
    expect(fs.existsSync(path.join(out, "staging"))).toBe(false);
    fs.mkdirSync(path.join(out, "prod"));
    fs.writeFileSync(path.join(out, "prod", "thesis.tex"), "years of work");
    expect(() => removeStackDir(out, "prod")).toThrow(/holds files npm run plan did not write \("thesis.tex"\)/);
    expect(fs.existsSync(path.join(out, "prod", "thesis.tex"))).toBe(true);
    expect(() => removeStackDir(out, "..")).toThrow(/directory reference/);
  });
});

describe("filesystem errors", () => {
  const error = (code: string, syscall: string, file?: string) => Object.assign(new Error(`${code}: x`), { code, syscall, path: file });
  it.each([
    ["ENOENT", "open", "cannot open out/x: no such file or directory (ENOENT)"],
    ["EACCES", "open", "cannot open out/x: permission denied (EACCES)"],
    ["ENOTDIR", "mkdir", "cannot create directory out/x: a part of the path is not a directory (ENOTDIR)"],
    ["EISDIR", "open", "cannot open out/x: it is a directory (EISDIR)"],
    ["EROFS", "mkdir", "cannot create directory out/x: read-only file system (EROFS)"],
    ["ENOSPC", "write", "cannot write out/x: no space left on device (ENOSPC)"],
  ])("%s is one line naming the file", (code, syscall, line) => expect(filesystemErrorLine(error(code, syscall, "out/x"))).toBe(line));

  it("leaves other errors to their stack", () => {
    expect(filesystemErrorLine(new Error("bug"))).toBeUndefined();
    expect(filesystemErrorLine(error("ECONNRESET", "read"))).toBeUndefined();
  });
});
