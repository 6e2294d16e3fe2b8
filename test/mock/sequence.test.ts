import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GssockError } from '../../src/core/errors.ts';
import { ReplayWindow, WINDOW } from '../../src/providers/mock/sequence.ts';

function run(w: ReplayWindow, seqs: number[]): string[] {
  return seqs.map((s) => {
    try {
      w.check(s);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof GssockError && e.origin === 'peer');
      return e.code;
    }
  });
}

describe('ReplayWindow (RFC 2743 §1.2.3, failing closed)', () => {
  it('table of outcomes', () => {
    const cases: Array<[{ replay: boolean; sequence: boolean }, number[], string[]]> = [
      [{ replay: false, sequence: false }, [5, 5, 0], ['ok', 'ok', 'ok']],
      [{ replay: true, sequence: false }, [0, 2, 1, 2], ['ok', 'ok', 'ok', 'DUPLICATE_TOKEN']],
      [
        { replay: false, sequence: true },
        [0, 2, 1, 1, 3],
        ['ok', 'GAP_TOKEN', 'UNSEQ_TOKEN', 'UNSEQ_TOKEN', 'ok'],
      ],
      [
        { replay: true, sequence: true },
        [0, 1, 3, 2, 3],
        ['ok', 'ok', 'GAP_TOKEN', 'UNSEQ_TOKEN', 'DUPLICATE_TOKEN'],
      ],
      // Number 65 seen: the window holds 2..65, so 1 is too old and 2 still checkable.
      [
        { replay: true, sequence: false },
        [WINDOW + 1, 1, 2, 2],
        ['ok', 'OLD_TOKEN', 'ok', 'DUPLICATE_TOKEN'],
      ],
    ];
    for (const [flags, seqs, expected] of cases)
      assert.deepEqual(run(new ReplayWindow(flags), seqs), expected, JSON.stringify({ flags, seqs }));
  });

  it('REPLAY: any order of distinct numbers within the window is accepted; every repeat is refused', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: WINDOW }, (_, i) => i),
          { minLength: 1 },
        ),
        fc.nat(),
        (seqs, pick) => {
          const w = new ReplayWindow({ replay: true, sequence: false });
          if (run(w, seqs).some((r) => r !== 'ok')) return false;
          return run(w, [seqs[pick % seqs.length]!])[0] === 'DUPLICATE_TOKEN';
        },
      ),
    );
  });

  it('SEQUENCE: in-order delivery is always accepted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => {
        const w = new ReplayWindow({ replay: true, sequence: true });
        return run(
          w,
          Array.from({ length: n }, (_, i) => i),
        ).every((r) => r === 'ok');
      }),
    );
  });
});
