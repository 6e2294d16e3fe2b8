// `gssock demo` with Kerberos by default: the transcript shows the AS exchange (with the
// pre-authentication round), the TGS exchange, the AP-REQ / AP-REP on the socket, both
// established contexts with MUTUAL, and the sealed messages; `--mech mock` still works.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDemo } from '../../src/cli/demo.ts';

describe('gssock demo with the in-process KDC', () => {
  it('Kerberos by default: AS (preauth required, then PA-ENC-TIMESTAMP), TGS, AP-REQ/AP-REP, sealed messages', async () => {
    const t = await runDemo({ message: 'ping' });
    const kinds = t.entries
      .filter((e) => e.kind === 'exchange' || e.kind === 'token')
      .map((e) =>
        e.kind === 'exchange'
          ? `${e.from}>${e.to}:${e.label}`
          : e.kind === 'token'
            ? `${e.from}:${e.label}`
            : '',
      );
    assert.deepEqual(kinds, [
      'initiator>KDC:AS-REQ',
      'KDC>initiator:KRB-ERROR',
      'initiator>KDC:AS-REQ',
      'KDC>initiator:AS-REP',
      'initiator>KDC:TGS-REQ',
      'KDC>initiator:TGS-REP',
      'initiator:AP-REQ',
      'acceptor:AP-REP',
    ]);
    const error = t.entries.find((e) => e.kind === 'exchange' && e.label === 'KRB-ERROR');
    assert.ok(error?.kind === 'exchange' && /KDC_ERR_PREAUTH_REQUIRED \(25\)/.test(error.detail ?? ''));
    const established = t.entries.filter((e) => e.kind === 'established');
    assert.equal(established.length, 2);
    for (const e of established) if (e.kind === 'established') assert.equal(e.mechanism, 'kerberos');
    const text = t.toString();
    assert.match(text, /acceptor established with "alice@GSSOCK\.TEST" \(kerberos\)/);
    assert.match(text, /initiator established with "host\/localhost@GSSOCK\.TEST" \(kerberos\)/);
    assert.match(text, /granted flags: MUTUAL/);
    const messages = t.entries.filter((e) => e.kind === 'message');
    assert.equal(messages.length, 2);
    for (const m of messages) if (m.kind === 'message') assert.ok((m.protectedSize ?? 0) > m.size);
  });

  it('--mech mock keeps the KDC-free demo', async () => {
    const t = await runDemo({ mech: 'mock', message: 'x' });
    assert.equal(t.entries.filter((e) => e.kind === 'exchange').length, 0);
    assert.match(t.toString(), /mechanism\s+mock/);
  });
});
