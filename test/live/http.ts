/*
 * The few HTTP calls the live harness makes to its servers, with errors that
 * say which call failed and what the server answered.
 */

const CALL_TIMEOUT_MS = 10_000;

/** Sends a request and returns the body; any status but 2xx throws with the server's answer. */
export async function call(method: string, url: string, body?: string, headers?: Record<string, string>): Promise<string> {
  const response = await fetch(url, { method, body, headers, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status}: ${text.trim()}`);
  return text;
}

export async function getJson<T>(url: string): Promise<T> {
  return JSON.parse(await call("GET", url)) as T;
}
