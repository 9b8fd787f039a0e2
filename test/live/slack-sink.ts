import * as http from "node:http";
import { waitFor } from "./process";

/*
 * Stands in for Slack's incoming webhooks: Alertmanager's slack_configs post
 * to `url(path)` here, and tests read what would have reached a channel.
 */

export interface SlackMessage {
  path: string;
  /** The parsed JSON as posted (channel, username, attachments[{ title, text, ... }]); the raw text if it was not JSON. */
  body: unknown;
  receivedAt: number;
}

export type Message = SlackMessage;

export interface SlackSink {
  /** The full URL of a webhook path such as /services/critical. */
  url(path: string): string;
  readonly messages: readonly SlackMessage[];
  waitForMessage(pred: (m: SlackMessage) => boolean, timeoutMs: number): Promise<SlackMessage>;
  clear(): void;
  stop(): Promise<void>;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function startSlackSink(): Promise<SlackSink> {
  let messages: SlackMessage[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST") messages.push({ path: req.url ?? "/", body: parse(Buffer.concat(chunks).toString("utf8")), receivedAt: Date.now() });
      res.writeHead(req.method === "POST" ? 200 : 405, { "Content-Type": "text/plain" });
      // Slack answers "ok"; notifiers may check it.
      res.end(req.method === "POST" ? "ok" : "POST only");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: (path) => `http://127.0.0.1:${port}${path.startsWith("/") ? path : `/${path}`}`,
        get messages() {
          return messages;
        },
        waitForMessage: (pred, timeoutMs) => waitFor("a Slack message that matches", async () => messages.find(pred), timeoutMs, 100),
        clear() {
          messages = [];
        },
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Senders keep connections alive; close() alone would wait for them.
            server.closeAllConnections();
          }),
      });
    });
  });
}
