import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "vitest";

/*
 * Real servers for live tests. Every server binds 127.0.0.1 only, lives in a
 * fresh temp dir of its own, and runs under `timeout`, so that a test run that
 * crashes before `stop()` still cannot leave one running for long.
 */

export const LIVE_INSTALL_HINT = "apt-get install prometheus prometheus-alertmanager prometheus-pushgateway";

/** The programs the live harness runs (amtool ships with prometheus-alertmanager). */
export const LIVE_BINARIES = ["/usr/bin/prometheus", "/usr/bin/prometheus-alertmanager", "/usr/bin/prometheus-pushgateway", "/usr/bin/amtool"] as const;

/** Default lifetime of a server: far longer than any live test file, short enough not to linger. */
const LIFETIME_SECONDS = 900;
const READY_TIMEOUT_MS = 20_000;
const KILL_AFTER_MS = 5_000;
const LOG_TAIL_LINES = 40;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function requireBinary(file: string, hint: string): void {
  if (!isExecutable(file)) throw new Error(`${file} is not installed: ${hint}`);
}

/**
 * `describe` for live tests: skips on a developer's machine without the
 * servers, but fails in CI, where a green run must mean they really ran.
 */
export function describeLive(name: string, body: () => void): void {
  const missing = LIVE_BINARIES.filter((b) => !isExecutable(b));
  if (missing.length === 0) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it(`needs ${missing.join(", ")}`, () => {
        throw new Error(`${missing.join(", ")} not installed, and CI must run the live tests: ${LIVE_INSTALL_HINT}`);
      });
    });
  } else {
    describe.skip(`${name} (${missing.join(", ")} not installed: ${LIVE_INSTALL_HINT})`, body);
  }
}

/** A fresh directory for one server; its owner removes it on stop. */
export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `live-${name}-`));
}

/** A port free right now: the OS picks it, we release it for the server to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `poll` gives something other than `undefined` or `false`. A
 * throwing poll counts as "not yet"; its last error is reported on timeout.
 */
export async function waitFor<T>(what: string, poll: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await poll();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const last = lastError === undefined ? "" : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last}`);
    }
    await sleep(intervalMs);
  }
}

/** The last lines of a log, for error messages. */
export function logTail(logFile: string, lines = LOG_TAIL_LINES): string {
  try {
    return fs.readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export interface Daemon {
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  name: string;
  command: string;
  args: string[];
  dir: string;
  readyUrl: string;
  lifetimeSeconds?: number;
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/**
 * Starts `command` under `timeout` and waits until `readyUrl` answers 200.
 * The child leads its own process group (detached), so stop() signals
 * `timeout` and the server together by that PID.
 */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  requireBinary(opts.command, LIVE_INSTALL_HINT);
  const logFile = path.join(opts.dir, `${opts.name}.log`);
  const fd = fs.openSync(logFile, "a");
  let child: ChildProcess;
  try {
    const lifetime = String(opts.lifetimeSeconds ?? LIFETIME_SECONDS);
    child = spawn("timeout", ["--signal=TERM", lifetime, opts.command, ...opts.args], { cwd: opts.dir, stdio: ["ignore", fd, fd], detached: true });
  } finally {
    fs.closeSync(fd);
  }
  // A forgotten daemon must not keep the test worker alive; `timeout` ends it.
  child.unref();
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const pid = await Promise.race([
    new Promise<number>((resolve) => child.once("spawn", () => resolve(child.pid as number))),
    spawnError.then((e) => Promise.reject(new Error(`${opts.name}: cannot start ${opts.command}: ${e.message}`))),
  ]);

  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // The group is gone already.
    }
  };
  const stop = async (): Promise<void> => {
    if (exited(child)) {
      // `timeout` is gone; should the server have outlived it, end it too.
      signal("SIGKILL");
      return;
    }
    signal("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([exit.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), KILL_AFTER_MS)))]);
    clearTimeout(timer);
    if (killed) {
      signal("SIGKILL");
      await exit;
    }
  };

  try {
    await untilReady(opts.readyUrl, () => exited(child) && `exited (code ${child.exitCode}, signal ${child.signalCode})`);
  } catch (e) {
    await stop();
    throw new Error(`${opts.name} did not start: ${(e as Error).message}\n--- last lines of ${logFile} ---\n${logTail(logFile)}`);
  }
  return { pid, logFile, stop };
}

/** Polls `url` for a 200; gives up at once when `dead()` tells why the server will never answer. */
async function untilReady(url: string, dead: () => string | false): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer";
  for (;;) {
    const why = dead();
    if (why) throw new Error(why);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() >= deadline) throw new Error(`${url} not ready after ${READY_TIMEOUT_MS}ms (${last})`);
    await sleep(100);
  }
}

/** Starts a server whose directory is its own: on a failed start the directory goes too. */
export async function startOwning(dir: string, launch: () => Promise<Daemon>): Promise<Daemon> {
  try {
    return await launch();
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
