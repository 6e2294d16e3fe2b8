/**
 * A counting layer over the SSPI bindings of a loaded NativeSspi, for the Wine path: every
 * handle or buffer SSPI hands out is counted up, every release down, so a test can assert
 * that AcquireCredentialsHandleW == FreeCredentialsHandle, contexts created by ISC/ASC ==
 * DeleteSecurityContext, and SSPI-allocated buffers (ISC/ASC output tokens, SecPkgInfoW,
 * SECPKG_ATTR_NAMES) == FreeContextBuffer. It replaces `lib.sspi` in place, so every
 * SspiContext made from this library afterwards goes through it.
 */
import type { NativeSspi } from '../../src/providers/native/sspi-library.ts';
import { descArray, readSecBuffers } from '../../src/providers/native/sspi-structs.ts';
import { readPointer } from '../../src/providers/native/structs.ts';
import { SEC } from '../../src/providers/native/symbols-sspi.ts';

export interface SspiCounts {
  credentialsAcquired: number;
  credentialsFreed: number;
  contextsCreated: number;
  contextsDeleted: number;
  buffersAllocated: number;
  buffersFreed: number;
  /** Calls per SSPI function (by table key). */
  calls: Record<string, number>;
}

/** ISC_REQ_ALLOCATE_MEMORY and ASC_REQ_ALLOCATE_MEMORY (both 0x100). */
const ALLOCATE_MEMORY = 0x100;

const isZeroHandle = (h: Uint8Array | null): boolean => h === null || h.every((b) => b === 0);

export function countSspi(lib: NativeSspi): SspiCounts {
  const counts: SspiCounts = {
    credentialsAcquired: 0,
    credentialsFreed: 0,
    contextsCreated: 0,
    contextsDeleted: 0,
    buffersAllocated: 0,
    buffersFreed: 0,
    calls: {},
  };
  const inner = lib.sspi;
  const call = (name: string) => {
    counts.calls[name] = (counts.calls[name] ?? 0) + 1;
  };
  /** Output SecBuffers SSPI allocated (only when ISC/ASC_REQ_ALLOCATE_MEMORY was asked). */
  const allocatedIn = (desc: Uint8Array | null, req: number): number => {
    if (!desc || (req & ALLOCATE_MEMORY) === 0) return 0;
    const { count, array } = descArray(desc);
    return readSecBuffers(lib.memory, array, count).filter((b) => b.pointer !== 0n).length;
  };
  lib.sspi = {
    ...inner,
    acquireCredentialsHandle: (...a) => {
      call('AcquireCredentialsHandleW');
      const s = inner.acquireCredentialsHandle(...a);
      if (s >= 0) counts.credentialsAcquired++;
      return s;
    },
    freeCredentialsHandle: (h) => {
      call('FreeCredentialsHandle');
      const s = inner.freeCredentialsHandle(h);
      if (s >= 0) counts.credentialsFreed++;
      return s;
    },
    initializeSecurityContext: (cred, prior, target, req, r1, drep, input, r2, ctx, out, attrs, life) => {
      call('InitializeSecurityContextW');
      const s = inner.initializeSecurityContext(
        cred,
        prior,
        target,
        req,
        r1,
        drep,
        input,
        r2,
        ctx,
        out,
        attrs,
        life,
      );
      if (s >= 0 && isZeroHandle(prior)) counts.contextsCreated++;
      counts.buffersAllocated += allocatedIn(out, req);
      return s;
    },
    acceptSecurityContext: (cred, prior, input, req, drep, ctx, out, attrs, life) => {
      call('AcceptSecurityContext');
      const s = inner.acceptSecurityContext(cred, prior, input, req, drep, ctx, out, attrs, life);
      if (s >= 0 && isZeroHandle(prior)) counts.contextsCreated++;
      counts.buffersAllocated += allocatedIn(out, req);
      return s;
    },
    deleteSecurityContext: (h) => {
      call('DeleteSecurityContext');
      const s = inner.deleteSecurityContext(h);
      if (s >= 0) counts.contextsDeleted++;
      return s;
    },
    querySecurityPackageInfo: (name, slot) => {
      call('QuerySecurityPackageInfoW');
      const s = inner.querySecurityPackageInfo(name, slot);
      if (s >= 0 && slot && readPointer(slot) !== 0n) counts.buffersAllocated++;
      return s;
    },
    queryContextAttributes: (h, attr, out) => {
      call('QueryContextAttributesW');
      const s = inner.queryContextAttributes(h, attr, out);
      if (s >= 0 && attr === SEC.ATTR_NAMES && out && readPointer(out) !== 0n) counts.buffersAllocated++;
      return s;
    },
    freeContextBuffer: (p) => {
      call('FreeContextBuffer');
      const s = inner.freeContextBuffer(p);
      if (s >= 0) counts.buffersFreed++;
      return s;
    },
    encryptMessage: (...a) => {
      call('EncryptMessage');
      return inner.encryptMessage(...a);
    },
    decryptMessage: (...a) => {
      call('DecryptMessage');
      return inner.decryptMessage(...a);
    },
    makeSignature: (...a) => {
      call('MakeSignature');
      return inner.makeSignature(...a);
    },
    verifySignature: (...a) => {
      call('VerifySignature');
      return inner.verifySignature(...a);
    },
    completeAuthToken: (...a) => {
      call('CompleteAuthToken');
      return inner.completeAuthToken(...a);
    },
  };
  return counts;
}

/** Why the counts do not balance, or undefined when every handle and buffer was released. */
export function unbalanced(c: SspiCounts): string | undefined {
  const problems: string[] = [];
  if (c.credentialsAcquired !== c.credentialsFreed)
    problems.push(`credentials ${c.credentialsAcquired} acquired, ${c.credentialsFreed} freed`);
  if (c.contextsCreated !== c.contextsDeleted)
    problems.push(`contexts ${c.contextsCreated} created, ${c.contextsDeleted} deleted`);
  if (c.buffersAllocated !== c.buffersFreed)
    problems.push(`buffers ${c.buffersAllocated} allocated, ${c.buffersFreed} freed`);
  return problems.length ? problems.join('; ') : undefined;
}
