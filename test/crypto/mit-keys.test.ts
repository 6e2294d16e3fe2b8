/**
 * Our string-to-key agrees with MIT krb5: keys made by MIT's ktutil (`addent -password`,
 * default salt "EXAMPLE.TESTalice") for enctypes 17, 18, 19, 20 and 23 must equal ours.
 * The keytab is read with a minimal parser here (the real reader is
 * src/providers/kerberos/keytab.ts, written separately).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { toHex } from '../../src/core/bytes.ts';
import { getEnctype } from '../../src/providers/kerberos/crypto/index.ts';
import { MIT_ENCTYPE_NAMES } from '../support/mit-realm.ts';

const inCi = Boolean(process.env.CI);
const hasKtutil = spawnSync('ktutil', ['-V'], { encoding: 'utf8' }).error === undefined;
const skip =
  !hasKtutil && !inCi ? 'MIT ktutil not installed (apt install krb5-user); set CI to make this fail' : false;

const PRINCIPAL = 'alice@EXAMPLE.TEST';
const SALT = 'EXAMPLE.TESTalice';
const ENCTYPES = MIT_ENCTYPE_NAMES;
// ASCII, Latin-1 (UTF-8 two-byte, UTF-16 one unit) and a non-BMP character (surrogates).
const PASSWORDS = ['Secret-123', 'Pässwörd-ç', 'clef \u{1D11E} key'];

interface Entry {
  vno: number;
  etype: number;
  key: Uint8Array;
}

/** Minimal MIT keytab v0x502 reader (entries: principal, timestamp, vno, keyblock). */
function readKeytab(bytes: Uint8Array): Entry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(v.getUint16(0), 0x502);
  const out: Entry[] = [];
  let off = 2;
  while (off + 4 <= bytes.length) {
    const size = v.getInt32(off);
    off += 4;
    if (size <= 0) {
      off += Math.abs(size);
      continue;
    }
    const end = off + size;
    let p = off;
    const components = v.getUint16(p);
    p += 2;
    for (let i = 0; i <= components; i++) p += 2 + v.getUint16(p); // realm + components
    p += 4 + 4; // name type, timestamp
    const vno8 = bytes[p]!;
    p += 1;
    const etype = v.getUint16(p);
    const keyLen = v.getUint16(p + 2);
    const key = bytes.slice(p + 4, p + 4 + keyLen);
    p += 4 + keyLen;
    const vno = end - p >= 4 ? v.getUint32(p) : vno8;
    out.push({ vno, etype, key });
    off = end;
  }
  return out;
}

describe('string-to-key agrees with MIT ktutil', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gssock-crypto-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, 'krb5.conf');
  // arcfour-hmac needs allow_rc4 on Debian's MIT 1.20; never touch /etc/krb5.conf.
  writeFileSync(conf, '[libdefaults]\n  allow_rc4 = true\n  allow_weak_crypto = true\n');

  PASSWORDS.forEach((password, index) => {
    it(`password #${index + 1} (${[...password].length} characters), enctypes 17, 18, 19, 20, 23`, () => {
      const keytab = join(dir, `k${index}.keytab`);
      const script = `${ENCTYPES.map(
        ([, name]) => `addent -password -p ${PRINCIPAL} -k ${index + 1} -e ${name}\n${password}\n`,
      ).join('')}wkt ${keytab}\nquit\n`;
      const r = spawnSync('ktutil', [], {
        input: script,
        encoding: 'utf8',
        env: { ...process.env, KRB5_CONFIG: conf },
        timeout: 20000,
      });
      assert.equal(r.status, 0, r.stderr);
      const entries = readKeytab(new Uint8Array(readFileSync(keytab)));
      assert.equal(entries.length, ENCTYPES.length, r.stdout + r.stderr);
      for (const [etype] of ENCTYPES) {
        const mit = entries.find((e) => e.etype === etype);
        assert.ok(mit, `ktutil wrote no ${etype} key`);
        assert.equal(mit.vno, index + 1);
        const ours = getEnctype(etype, { allowRc4: true }).stringToKey(password, SALT);
        assert.equal(toHex(ours.value), toHex(mit.key), `etype ${etype}`);
      }
    });
  });
});
