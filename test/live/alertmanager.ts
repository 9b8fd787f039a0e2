import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { getJson } from "./http";
import { freePort, LIVE_INSTALL_HINT, requireBinary, startDaemon, tempDir } from "./process";

/*
 * A real Alertmanager on 127.0.0.1, to see alerts routed and notified the way
 * production does it.
 */

export interface AlertmanagerOptions {
  configYaml: string;
}

/** An alert as /api/v2/alerts shows it. */
export interface ManagedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
  receivers: Array<{ name: string }>;
}

export interface Alertmanager {
  readonly url: string;
  readonly dir: string;
  alerts(): Promise<ManagedAlert[]>;
  stop(): Promise<void>;
}

export async function startAlertmanager(opts: AlertmanagerOptions): Promise<Alertmanager> {
  requireBinary("/usr/bin/amtool", LIVE_INSTALL_HINT);
  const dir = tempDir("alertmanager");
  const configFile = path.join(dir, "alertmanager.yml");
  try {
    fs.writeFileSync(configFile, opts.configYaml);
    // amtool says what is wrong with a config; the server would only log it and exit.
    const check = spawnSync("/usr/bin/amtool", ["check-config", configFile], { encoding: "utf8", timeout: 30_000 });
    if (check.error) throw check.error;
    if (check.status !== 0) throw new Error(`alertmanager config is invalid:\n${check.stdout}${check.stderr}`);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const daemon = await startDaemon({
      name: "alertmanager",
      command: "/usr/bin/prometheus-alertmanager",
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Empty turns clustering off: no gossip on 0.0.0.0:9094, no waiting for peers before notifying.
        "--cluster.listen-address=",
      ],
      dir,
      readyUrl: `${url}/-/ready`,
    });
    return {
      url,
      dir,
      alerts: () => getJson<ManagedAlert[]>(`${url}/api/v2/alerts`),
      async stop() {
        await daemon.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
