/**
 * The cross-runtime matrix: `gssock server` started once on each of Node, Deno and Bun
 * (as subprocesses), and `gssock client` run from each of the three against each server:
 * 9 pairs, same-runtime included; mock mechanism, gss-sample framing, two connections of
 * three messages per pair. Runs only under the node test runner: it spawns all three
 * runtimes itself, so running it from deno and bun too would only repeat it.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from './cli-support.ts';

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const onNode = g.Deno === undefined && g.Bun === undefined;
const SKIP = onNode ? false : 'the matrix spawns all three runtimes; it runs once, from the node runner';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const RUNTIMES = {
  node: () => [process.execPath, '--import', 'tsx', 'src/cli/main.ts'],
  deno: () => [bin('deno'), 'run', '-A', '--no-check', 'src/cli/main.ts'],
  bun: () => [bin('bun'), 'src/cli/main.ts'],
} as const;
type Runtime = keyof typeof RUNTIMES;
const NAMES = Object.keys(RUNTIMES) as Runtime[];

interface Server {
  child: ChildProcess;
  port: number;
  stdout: string;
  stderr: string;
}

function startServer(runtime: Runtime): Promise<Server> {
  const [cmd, ...args] = RUNTIMES[runtime]();
  const child = spawn(
    cmd as string,
    [...args, 'server', '-port', '0', '--host', '127.0.0.1', '--mech', 'mock', 'host@localhost'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const server: Server = { child, port: 0, stdout: '', stderr: '' };
  child.stdout?.on('data', (d) => (server.stdout += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime} server did not start: ${server.stderr}`)),
      30_000,
    );
    child.stderr?.on('data', (d) => {
      server.stderr += d;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(server.stderr);
      if (m && server.port === 0) {
        server.port = Number(m[1]);
        clearTimeout(timer);
        resolve(server);
      }
    });
    child.once('exit', (code) => reject(new Error(`${runtime} server exited (${code}): ${server.stderr}`)));
  });
}

function runClient(
  runtime: Runtime,
  port: number,
  message: string,
): Promise<{ code: number | null; out: string }> {
  const [cmd, ...args] = RUNTIMES[runtime]();
  const child = spawn(
    cmd as string,
    [
      ...args,
      'client',
      '-port',
      String(port),
      '--mech',
      'mock',
      '-ccount',
      '2',
      '-mcount',
      '3',
      '127.0.0.1',
      'host@localhost',
      message,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

describe('cross-runtime: gssock server on each runtime, clients on all three', () => {
  const servers = new Map<Runtime, Server>();
  // All nine clients start together once the servers are up (each server takes its
  // connections one at a time); each test then checks one server's three clients.
  const runs = new Map<Runtime, Promise<Array<readonly [Runtime, { code: number | null; out: string }]>>>();
  before(async () => {
    if (!onNode) return;
    for (const [name, server] of await Promise.all(
      NAMES.map(async (n) => [n, await startServer(n)] as const),
    )) {
      servers.set(name, server);
    }
    for (const [serverRuntime, server] of servers) {
      runs.set(
        serverRuntime,
        Promise.all(
          NAMES.map(
            async (c) => [c, await runClient(c, server.port, `from ${c} to ${serverRuntime}`)] as const,
          ),
        ),
      );
    }
  });
  after(() => {
    for (const server of servers.values()) server.child.kill();
  });

  for (const serverRuntime of NAMES) {
    it(`server on ${serverRuntime} <- clients on node, deno and bun`, { skip: SKIP }, async () => {
      const server = servers.get(serverRuntime) as Server;
      const results = await (runs.get(serverRuntime) as NonNullable<ReturnType<typeof runs.get>>);
      for (const [clientRuntime, r] of results) {
        assert.equal(r.code, 0, `${clientRuntime} -> ${serverRuntime}: ${r.out}`);
        assert.equal((r.out.match(/Signature verified\.\n/g) ?? []).length, 6, `${clientRuntime}: ${r.out}`);
        assert.match(r.out, /"alice@MOCK" to "host@localhost"/);
      }
      for (const c of NAMES) {
        const line = `Received message: "from ${c} to ${serverRuntime}"\n`;
        await eventually(
          () => server.stdout.split(line).length - 1 === 6,
          `${serverRuntime} server got 6 from ${c}`,
        );
      }
      assert.equal((server.stdout.match(/Accepted connection: "alice@MOCK"\n/g) ?? []).length, 6);
    });
  }
});
