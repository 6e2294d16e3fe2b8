/**
 * node:http adapter for negotiateHandler (also what Bun and Deno's node:http run).
 *
 *   import { createServer } from 'node:http';
 *   createServer(toNodeListener(negotiateHandler(app, { mechanism })))
 *
 * Each IncomingMessage becomes a Fetch Request (the body streamed through), the socket is
 * the connection key (multi-leg exchanges stay on their connection, RFC 4559 §4.4), and
 * the Response is written back. Only loaded from its own subpath: it imports node:http types.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FetchHandler } from './server-handler.ts';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** A node:http request listener running a Fetch-API handler (e.g. negotiateHandler(...)). */
export function toNodeListener(handler: FetchHandler, options: { origin?: string } = {}): NodeListener {
  return (req, res) => {
    void serve(handler, req, res, options.origin).catch((e: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy(e instanceof Error ? e : undefined);
    });
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, origin?: string) {
  const host = req.headers.host ?? 'localhost';
  const url = new URL(req.url ?? '/', origin ?? `http://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const request = new Request(url, {
    method,
    headers,
    ...(hasBody
      ? { body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>, duplex: 'half' }
      : {}),
  } as RequestInit);
  const response = await handler(request, { key: req.socket });
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const grouped = new Map<string, string[]>();
  response.headers.forEach((value, name) => {
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  });
  for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? values[0]! : values);
  if (!response.body || method === 'HEAD') {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}
