import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect, detectRuntime, listen } from '../../src/transport/adapters/auto.ts';
import { adapterSuite } from './adapter-suite.ts';

adapterSuite(`auto (${detectRuntime()})`, false, () => ({ connect, listen }));

describe('auto adapter', () => {
  it('detects the runtime by its globals', () => {
    const g = globalThis as { Bun?: unknown; Deno?: unknown };
    assert.equal(detectRuntime(), g.Bun ? 'bun' : g.Deno ? 'deno' : 'node');
  });
});
