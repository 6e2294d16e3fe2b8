/** krb5.conf parsing and the MIT environment variables, pure (I/O injected). */
export * from './krb5-conf.ts';
export * from './krb5-env.ts';
export { type ProfileNode, type ProfileReadOptions, parseProfile } from './profile.ts';
