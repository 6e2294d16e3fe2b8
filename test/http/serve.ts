/**
 * Starts a Fetch-API handler on loopback with the running runtime's own HTTP server:
 * node:http (through toNodeListener) on Node, Deno.serve on Deno, Bun.serve on Bun, each
 * with its connection key so multi-leg Negotiate exchanges stay on their connection.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from '../../src/http/node.ts';
import { forBunServe, forDenoServe } from '../../src/http/runtimes.ts';
import type { FetchHandler } from '../../src/http/server-handler.ts';

export interface Served {
  url: string;
  runtime: 'node' | 'deno' | 'bun';
  close(): Promise<void>;
}

type DenoLike = {
  serve(
    o: { port: number; hostname: string; onListen?: () => void },
    h: (r: Request, i: never) => Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
};
type BunLike = {
  serve(o: { port: number; hostname: string; fetch: (r: Request, s: never) => Promise<Response> }): {
    port: number;
    stop(force?: boolean): void;
  };
};

export async function serve(handler: FetchHandler): Promise<Served> {
  const g = globalThis as { Deno?: DenoLike; Bun?: BunLike };
  if (g.Deno) {
    const server = g.Deno.serve(
      { port: 0, hostname: '127.0.0.1', onListen: () => {} },
      forDenoServe(handler) as never,
    );
    return { url: `http://127.0.0.1:${server.addr.port}`, runtime: 'deno', close: () => server.shutdown() };
  }
  if (g.Bun) {
    const server = g.Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: forBunServe(handler) as never });
    return {
      url: `http://127.0.0.1:${server.port}`,
      runtime: 'bun',
      close: async () => server.stop(true),
    };
  }
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime: 'node',
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
