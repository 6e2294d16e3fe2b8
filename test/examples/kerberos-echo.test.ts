import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runKerberosEcho } from '../../examples/kerberos-echo/main.ts';

// The README's library example must keep working as printed.
describe('examples/kerberos-echo (the README example)', () => {
  it('authenticates both ways over loopback TCP and echoes a sealed message', async () => {
    const lines: string[] = [];
    const reply = await runKerberosEcho((line) => lines.push(line));
    assert.equal(reply, 'echo: hello');
    assert.ok(lines.includes('service: authenticated alice@GSSOCK.TEST'), lines.join('\n'));
    assert.ok(
      lines.includes('client: the service proved it is host/localhost@GSSOCK.TEST'),
      lines.join('\n'),
    );
  });
});
