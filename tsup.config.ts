import { defineConfig } from 'tsup';

// One entry per public subpath (package.json "exports"); ESM + .d.ts, like the sources' layout.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'spn/index': 'src/spn/index.ts',
    'transport/framing/index': 'src/transport/framing/index.ts',
    'transport/adapters/node': 'src/transport/adapters/node.ts',
    'transport/adapters/deno': 'src/transport/adapters/deno.ts',
    'transport/adapters/bun': 'src/transport/adapters/bun.ts',
    'transport/adapters/web-streams': 'src/transport/adapters/web-streams.ts',
    'transport/adapters/memory': 'src/transport/adapters/memory.ts',
    'transport/adapters/auto': 'src/transport/adapters/auto.ts',
    'providers/mock/index': 'src/providers/mock/index.ts',
    'providers/kerberos/index': 'src/providers/kerberos/index.ts',
    'providers/ntlm/index': 'src/providers/ntlm/index.ts',
    'testing/index': 'src/testing/index.ts',
    'testing/kerberos': 'src/testing/kerberos.ts',
    'kdc/index': 'src/kdc/index.ts',
    'providers/kerberos/kdc/index': 'src/providers/kerberos/kdc/index.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  dts: true,
  splitting: true,
  clean: true,
  sourcemap: false,
  external: [/^node:/, 'bun', /^bun:/, 'koffi'],
});
