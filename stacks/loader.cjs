"use strict";
/* global require, module, __dirname, __filename, process, Buffer */
/**
 * How the project's commands load it: `node -r ./stacks/loader.cjs <file>.ts` (package.json's
 * scripts). Pulumi's host runs the same sources through ts-node; only the loading differs.
 *
 * 1. TypeScript from a cache. Each source file's JavaScript, as ts-node makes it with the project's
 *    tsconfig (transpile-only, as `ts-node --transpile-only` did), is kept in
 *    node_modules/.cache/ts-cache/ under a hash of the source, the tsconfig, the TypeScript and
 *    ts-node versions and this file. An unchanged file runs from there without loading TypeScript
 *    or ts-node; a new or edited one is transpiled by ts-node and stored. Nothing to build first:
 *    a fresh clone fills the cache on its first run.
 * 2. The SDK's start-up imports that no offline command uses load on first use instead: TypeScript
 *    (through `typescript-shim`) and the closure serialiser with npm's Arborist (pacote, tar,
 *    sigstore), which only serialise closures (`runtime.serializeFunction`, dynamic providers);
 *    the Automation API (execa, tmp, js-yaml), which drives the CLI; and gRPC with the engine's
 *    clients, which talk to a real engine (the mocks need neither). Whatever touches them gets
 *    the real module.
 * 3. The SDK's own stack captures (one per promise it tracks) are kept as frames and formatted only
 *    if read (stacks/sdk-stack-captures.ts).
 * 4. Where require() found each installed package's files is remembered between runs, for as long
 *    as package-lock.json is unchanged (rememberResolutions, below).
 * 5. V8's compiled code for each module is kept between runs (keepCompiledCode, below).
 *
 * Stack traces show the JavaScript's positions: mapping every frame back to TypeScript is what
 * made a plan slow. The code carries its source map inline: NODE_OPTIONS=--enable-source-maps
 * maps them (and then leaves the SDK's captures to Node as well).
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "ts-cache");

const versionOf = (pkg) => JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
const VERSIONS = [versionOf("typescript"), versionOf("ts-node"), fs.readFileSync(__filename, "utf8")].join("\0");

/**
 * The source tree a file belongs to: the nearest directory above it with a Pulumi.yaml and a
 * tsconfig.json (this checkout, or another revision of it that `npm run diff --base <rev>`
 * checks out beside it and plans with this loader), else this checkout. A tree's files are
 * compiled with its own tsconfig and cached under their path inside it, so a revision's
 * unchanged files reuse this checkout's entries instead of adding their own on every diff.
 */
const trees = new Map();
function treeOf(filename) {
  const seen = [];
  let dir = path.dirname(filename);
  let tree;
  for (;;) {
    tree = trees.get(dir);
    if (tree !== undefined) break;
    seen.push(dir);
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "tsconfig.json"))) {
      tree = newTree(dir);
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) {
      tree = trees.get(ROOT) ?? newTree(ROOT);
      break;
    }
    dir = up;
  }
  for (const d of seen) trees.set(d, tree);
  return tree;
}
function newTree(root) {
  const tsconfig = path.join(root, "tsconfig.json");
  // What else decides the output: the compiler options, the transpiler's versions and this loader.
  const salt = crypto.createHash("sha256").update(fs.readFileSync(tsconfig, "utf8")).update("\0").update(VERSIONS).digest("hex");
  const tree = { root, tsconfig, salt, service: undefined };
  trees.set(root, tree);
  return tree;
}

/** ts-node's transpile-only compile of one file with its tree's tsconfig, loaded only on a cache miss. */
function transpile(source, filename, tree) {
  if (tree.service === undefined) {
    // ts-node installs source-map support for the files it compiles; a cache hit has none, so a miss has none either.
    const prepare = Error.prepareStackTrace;
    tree.service = require("ts-node").create({ transpileOnly: true, project: tree.tsconfig });
    Error.prepareStackTrace = prepare;
  }
  return tree.service.compile(source, filename);
}

/**
 * One entry per source file, so the cache does not grow with edits: its first line is the key it
 * was made for. The entry's code carries the source map of the file that filled it: another
 * tree's identical file maps its stack traces (--enable-source-maps) to that file's path.
 */
function compiled(source, filename) {
  const tree = treeOf(filename);
  const name = path.relative(tree.root, filename);
  const key = crypto.createHash("sha256").update(tree.salt).update("\0").update(name).update("\0").update(source).digest("hex");
  const entry = path.join(CACHE, `${crypto.createHash("sha256").update(name).digest("hex").slice(0, 32)}.js`);
  const header = `//${key}\n`;
  try {
    const cached = fs.readFileSync(entry, "utf8");
    if (cached.startsWith(header)) return cached.slice(header.length);
  } catch {
    // not cached yet
  }
  const code = transpile(source, filename, tree);
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    // Written aside and renamed: processes running side by side never read half an entry.
    const tmp = `${entry}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, header + code);
    fs.renameSync(tmp, entry);
  } catch {
    // A read-only node_modules only costs the next run a transpile.
  }
  return code;
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(compiled(fs.readFileSync(filename, "utf8"), filename), filename);
};

/**
 * Node's flags from the command line and NODE_OPTIONS, without the text of `-e`/`-p` and the
 * title (which only say what to run and what to call it). What is preloaded stays: a process
 * that loads this file itself (a vitest worker, alive through the whole run) and the commands it
 * starts would otherwise share one file, and the worker's write at its exit would drop what the
 * commands added meanwhile, for them to compile and write again (seen: a warm run rewrote the
 * shared file at its end; with the files apart, a warm run writes neither).
 */
const NODE_FLAGS = (() => {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/).filter((a) => a !== "")];
  const kept = [];
  for (let i = 0; i < args.length; i++) {
    if (/^(-e|--eval|-p|--print)$/.test(args[i])) i++;
    else if (!/^(--eval|--print|--title)=/.test(args[i])) kept.push(args[i]);
  }
  return kept;
})();

/**
 * Writes a cache file whole (aside, then renamed: a process running beside never reads half of
 * one), and removes the files beside it that no run has written for a week: those of an earlier
 * lockfile, loader or Node, or of flags no longer used, and what a killed writer left.
 */
function writeCacheFile(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
    const week = Date.now() - 7 * 24 * 3600 * 1000;
    for (const other of fs.readdirSync(path.dirname(file))) {
      const at = path.join(path.dirname(file), other);
      if (at !== file && fs.statSync(at, { throwIfNoEntry: false })?.mtimeMs < week) fs.rmSync(at, { force: true });
    }
  } catch {
    // A read-only node_modules only costs the next run what the cache saves.
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * What require() found for a package, kept in node_modules/.cache/resolved/ for the next run:
 * finding one walks node_modules directories and reads package.json exports, about a tenth of
 * a plan's start-up. Only what the lockfile decides is kept (a package named from anywhere, any
 * request made from inside node_modules), under a key of the lockfile, this loader, Node's version
 * and NODE_PATH; the project's own relative requires are resolved afresh, as is a remembered file
 * that is gone. Failed lookups (optional dependencies) are never kept. Not with flags that change
 * what a name resolves to (--conditions, --preserve-symlinks).
 */
function rememberResolutions() {
  if (NODE_FLAGS.some((f) => /^(-C|--conditions|--preserve-symlinks)/.test(f))) return;
  let lock;
  try {
    lock = fs.readFileSync(path.join(ROOT, "package-lock.json"));
  } catch {
    return;
  }
  const salt = crypto.createHash("sha256").update(lock).update("\0").update(VERSIONS).update("\0").update(`${process.version}\0${process.env.NODE_PATH ?? ""}`).digest("hex");
  const file = path.join(ROOT, "node_modules", ".cache", "resolved", `${salt.slice(0, 32)}.json`);
  let known = Object.create(null);
  try {
    known = Object.assign(known, JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    // nothing remembered yet
  }
  let learnt = 0;
  const PACKAGES = `${path.sep}node_modules${path.sep}`;
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function resolveRemembered(request, parent, isMain, options) {
    const from = parent?.filename;
    if (options !== undefined || typeof from !== "string" || Module.isBuiltin(request) || (/^[./]/.test(request) && !from.includes(PACKAGES))) {
      return resolve.call(this, request, parent, isMain, options);
    }
    const key = `${path.dirname(from)}\0${request}`;
    const hit = known[key];
    if (hit !== undefined && fs.existsSync(hit)) return hit;
    const found = resolve.call(this, request, parent, isMain, options);
    known[key] = found;
    learnt++;
    return found;
  };
  process.on("exit", () => {
    if (learnt === 0) return;
    // Lookups made from a directory since deleted (a test's scratch directory) go.
    const live = Object.fromEntries(Object.entries(known).filter(([key]) => fs.existsSync(key.slice(0, key.indexOf("\0")))));
    writeCacheFile(file, JSON.stringify(live));
  });
}
rememberResolutions();

/**
 * V8's compiled code for the modules of this checkout, kept in node_modules/.cache/v8/ after a
 * run and handed back to V8 on the next: a module then starts without being parsed and compiled
 * again, nor are the functions it ran (the cache is taken at exit, after they were compiled).
 * Each module's code is keyed by the SHA-256 of its source text, never by a file's time or size:
 * V8 itself only checks the length. One file per Node version and set of flags (V8 refuses code
 * made under other flags). A module runs in the function wrapper Node's loader uses, with its
 * own line numbers; Node's own compilation is left every module where it does more than that:
 * one with `import(` (a script made from cached code loses its dynamic-import hook), one that is
 * not CommonJS (Node 20 loads a `.js` file of ES module syntax as one), and every module under a
 * debugger (--inspect-brk pauses in Node's) or with source maps (--enable-source-maps maps
 * through Node's).
 */
function keepCompiledCode() {
  if (process.sourceMapsEnabled || NODE_FLAGS.some((f) => f.startsWith("--inspect"))) return;
  const vm = require("node:vm");
  const flags = crypto.createHash("sha256").update(`${process.version}\0${NODE_FLAGS.join("\0")}\0`).update(VERSIONS).digest("hex");
  const file = path.join(ROOT, "node_modules", ".cache", "v8", `${flags.slice(0, 32)}.bin`);
  // The file: a 4-byte length, a JSON index of { filename: [key, start, length] }, then the code.
  let index = Object.create(null);
  let code = Buffer.alloc(0);
  try {
    const saved = fs.readFileSync(file);
    const n = saved.readUInt32LE(0);
    index = Object.assign(index, JSON.parse(saved.toString("utf8", 4, 4 + n)));
    code = saved.subarray(4 + n);
  } catch {
    // nothing kept yet
  }
  const made = new Map();
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileKept(content, filename, format) {
    if ((format !== undefined && format !== "commonjs") || !filename.startsWith(`${ROOT}${path.sep}`) || content.includes("import(")) return compile.apply(this, arguments);
    const key = crypto.createHash("sha256").update(content).digest("base64");
    const kept = index[filename];
    const cachedData = kept !== undefined && kept[0] === key ? code.subarray(kept[1], kept[1] + kept[2]) : undefined;
    // Node's wrapper, on a line of its own so that the module's lines and columns stay its own.
    const source = `(function (exports, require, module, __filename, __dirname) {\n${content.startsWith("#!") ? `//${content}` : content}\n})`;
    let script;
    try {
      script = new vm.Script(source, { filename, lineOffset: -1, cachedData });
    } catch (error) {
      // Not CommonJS after all (ES module syntax), or not valid: Node's loader decides and reports.
      if (error instanceof SyntaxError) return compile.apply(this, arguments);
      throw error;
    }
    if (cachedData === undefined || script.cachedDataRejected) made.set(filename, { key, script });
    return script.runInThisContext({ displayErrors: true }).call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  /** The `require` a module gets, as Node makes it (makeRequireFunction). */
  const requireFor = (mod) => {
    const req = (id) => mod.require(id);
    req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    req.main = process.mainModule;
    req.extensions = Module._extensions;
    req.cache = Module._cache;
    return req;
  };
  process.on("exit", () => {
    if (made.size === 0) return;
    try {
      const parts = [];
      const next = Object.create(null);
      let at = 0;
      const add = (name, key, data) => {
        next[name] = [key, at, data.length];
        parts.push(data);
        at += data.length;
      };
      // What was kept for a file since deleted (a test's scratch module, another checkout) goes.
      for (const [name, [key, start, length]] of Object.entries(index)) if (!made.has(name) && fs.existsSync(name)) add(name, key, code.subarray(start, start + length));
      for (const [name, { key, script }] of made) add(name, key, script.createCachedData());
      const head = Buffer.from(JSON.stringify(next));
      const size = Buffer.alloc(4);
      size.writeUInt32LE(head.length);
      writeCacheFile(file, Buffer.concat([size, head, ...parts]));
    } catch {
      // Code V8 cannot serialise: the next run compiles again.
    }
  });
}
keepCompiledCode();

/**
 * Puts a stand-in for the module at `file` in require's cache: an object that loads the real
 * module on its first use and forwards to it. `esModule` answers `__esModule` without loading,
 * so that TypeScript's `__importStar` keeps the stand-in instead of copying its keys; each of
 * `functions` is answered with a function that loads the module when it is called, for exports
 * that an importer copies at its own load (`exports.f = m.f`).
 */
function onFirstUse(file, { esModule, functions = [] }) {
  // Already loaded (the loader required late, in a process that has the SDK): one instance only.
  if (require.cache[file] !== undefined) return;
  let real;
  const load = () => {
    if (real === undefined) {
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  const callers = new Map(functions.map((name) => [name, (...args) => load()[name](...args)]));
  const stand = new Module(file, null);
  stand.filename = file;
  stand.loaded = true;
  stand.exports = new Proxy(Object.create(null), {
    get: (_, key) => (esModule && key === "__esModule" ? true : real === undefined && callers.has(key) ? callers.get(key) : Reflect.get(load(), key)),
    set: (_, key, value) => Reflect.set(load(), key, value),
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), key);
      return d && { ...d, configurable: true };
    },
  });
  require.cache[file] = stand;
}

/**
 * The SDK's start-up imports that only serialising closures, driving the CLI or talking to a
 * real engine over gRPC need: under the mocks none of them is used. The SDK copies three
 * closure functions into `runtime` at its load; they load their module when called.
 */
try {
  const sdk = path.dirname(require.resolve("@pulumi/pulumi", { paths: [ROOT] }));
  const closure = path.join(sdk, "runtime", "closure");
  onFirstUse(path.join(sdk, "typescript-shim.js"), { esModule: false });
  onFirstUse(require.resolve("@npmcli/arborist", { paths: [closure] }), { esModule: true });
  onFirstUse(path.join(closure, "serializeClosure.js"), { esModule: true, functions: ["serializeFunction", "serializeFunctionAsync"] });
  onFirstUse(path.join(closure, "codePaths.js"), { esModule: true, functions: ["computeCodePaths"] });
  onFirstUse(path.join(sdk, "automation", "index.js"), { esModule: true });
  onFirstUse(require.resolve("@grpc/grpc-js", { paths: [sdk] }), { esModule: true });
  for (const client of ["analyzer", "callback", "engine", "language", "provider", "resource"]) {
    onFirstUse(path.join(sdk, "proto", `${client}_grpc_pb.js`), { esModule: true });
  }
} catch {
  // An SDK laid out otherwise loads as it is.
}

if (!process.sourceMapsEnabled) require("./sdk-stack-captures.ts").installSdkStackCaptures();

/**
 * `node stacks/loader.cjs`: fills the cache for every source the commands can load, in one
 * process, so that processes started side by side (the tests' CLI runs) all find it filled.
 */
if (require.main === module) {
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p);
      return e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
    });
  for (const file of ["stacks", "infra", "policies", "bench"].flatMap((d) => walk(path.join(ROOT, d)))) compiled(fs.readFileSync(file, "utf8"), file);
}
