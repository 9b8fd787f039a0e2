import * as http from "node:http";

/*
 * A metrics exporter the test controls: each "pod" is a path serving the text
 * the test set for it, so Prometheus scrapes what the test says, when it says.
 */

export interface Exporter {
  readonly url: string;
  /** host:port, for file_sd targets. */
  readonly address: string;
  setPod(pod: string, text: string): void;
  removePod(pod: string): void;
  pods(): string[];
  stop(): Promise<void>;
}

export interface MetricFamily {
  name: string;
  type: "counter" | "gauge" | "histogram";
  help?: string;
  /** `suffix` (_bucket, _sum, _count, _total) is appended to `name` for this sample. */
  samples: Array<{ labels?: Record<string, string>; value: number; suffix?: string }>;
}

const escapeLabel = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (v: string): string => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** Renders families in the Prometheus text exposition format (0.0.4). */
export function exposition(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (f.help !== undefined) lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      const rendered = labels.length === 0 ? "" : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
      lines.push(`${f.name}${s.suffix ?? ""}${rendered} ${formatValue(s.value)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export interface FileSdGroup {
  targets: string[];
  labels: Record<string, string>;
}

/**
 * file_sd groups, one per pod, so each pod is a target of its own with its own
 * `up`. All share the exporter's address (and so `instance`): give each pod a
 * label that tells them apart, e.g. { pod }.
 */
export function fileSdTargets(exporterAddress: string, pods: Array<{ pod: string; labels: Record<string, string> }>): FileSdGroup[] {
  return pods.map(({ pod, labels }) => ({ targets: [exporterAddress], labels: { __metrics_path__: `/pods/${encodeURIComponent(pod)}/metrics`, ...labels } }));
}

export function startExporter(): Promise<Exporter> {
  const pods = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const match = /^\/pods\/([^/]+)\/metrics$/.exec((req.url ?? "").split("?")[0]);
    const text = match ? pods.get(decodeURIComponent(match[1])) : undefined;
    if (req.method !== "GET" || text === undefined) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("no such pod\n");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(text);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        address: `127.0.0.1:${port}`,
        setPod: (pod, text) => void pods.set(pod, text),
        removePod: (pod) => void pods.delete(pod),
        pods: () => [...pods.keys()],
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Prometheus keeps scrape connections alive; close() alone would wait for them.
            server.closeAllConnections();
          }),
      });
    });
  });
}
