/**
 * The MIT output the sample commands reproduce, checked against text captured from
 * krb5 1.20.1's own gss-server / gss-client (vectors/mit-gss-sample-output.json).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromHex, utf8 } from '../../src/core/bytes.ts';
import { MutualAuthRequiredError, gssError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import {
  displayCtxFlags,
  displayStatus,
  inquireLine,
  printToken,
  receivedMessage,
} from '../../src/cli/gss-sample/mit-text.ts';
import { findMechanism } from '../../src/cli/mechanisms.ts';
import { braceOid } from '../../src/cli/oids.ts';

const mit = JSON.parse(
  readFileSync(new URL('./vectors/mit-gss-sample-output.json', import.meta.url), 'utf8'),
);

describe('MIT gss-sample output', () => {
  it('display_ctx_flags lines, trailing spaces included', () => {
    assert.equal(displayCtxFlags(mit.displayCtxFlags.grantedMask), mit.displayCtxFlags.text);
    assert.equal(displayCtxFlags(Flags.DELEGATE), 'context flag: GSS_C_DELEG_FLAG\n');
    assert.equal(displayCtxFlags(0), '');
  });

  it("gss-client's inquiry line", () => {
    const v = mit.inquireLine;
    const line = inquireLine({
      source: v.source,
      target: v.target,
      lifetimeSeconds: v.lifetimeSeconds + 0.4,
      flags: v.flags,
      locallyInitiated: true,
    });
    assert.equal(line, v.text);
  });

  it('the krb5 name-type block from the mechanism table', () => {
    const entry = findMechanism('kerberos');
    let text = `Name type of source name is ${braceOid(entry.sourceNameType)}.\n`;
    text += `Mechanism ${braceOid(entry.oids[0] as string)} supports ${entry.nameTypes.length} names\n`;
    entry.nameTypes.forEach((oid, i) => {
      text += `  ${i}: ${braceOid(oid)}\n`;
    });
    assert.equal(text, mit.kerberosNameTypes);
  });

  it('print_token hex dump: 16 per line, a trailing space per byte', () => {
    assert.equal(printToken(fromHex(mit.printToken62.hex)), mit.printToken62.text);
    assert.equal(printToken(new Uint8Array(0)), '\n');
    // Exactly 16 bytes: MIT ends the row, then prints its final newline as well.
    assert.equal(printToken(new Uint8Array(16)), `${'00 '.repeat(16)}\n\n`);
  });

  it('"Received message:" quotes text, dumps binary', () => {
    assert.equal(receivedMessage(utf8(mit.receivedText.message)), mit.receivedText.text);
    assert.equal(receivedMessage(fromHex(mit.receivedBinary.hex)), mit.receivedBinary.text);
    assert.equal(receivedMessage(new Uint8Array(0)), 'Received message: ""\n');
  });

  it('display_status: the major text MIT prints, then our message', () => {
    const text = displayStatus('initializing context', gssError('NO_CREDENTIALS', 'no ticket for alice'));
    const [major, minor] = text.split('\n');
    assert.equal(`${major}\n`, mit.gssErrorNoCreds);
    assert.equal(minor, 'GSS-API error initializing context: no ticket for alice (NO_CREDENTIALS)');
    const mutual = displayStatus('initializing context', new MutualAuthRequiredError());
    assert.match(mutual, /Unspecified GSS failure\. {2}Minor code may provide more information/);
    assert.match(mutual, /MUTUAL_AUTH_REQUIRED/);
  });
});
