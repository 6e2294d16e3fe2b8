/*
 * MIT krb5's own handshake rate, in C, in one process: the reference figure for
 * bench/mit-reference.bench.ts (which builds and runs this). Each iteration is what a
 * gss-client/gss-server pair does per connection, minus the socket: gss_init_sec_context
 * (AP-REQ, mutual), gss_accept_sec_context (AP-REP), gss_init_sec_context again (AP-REP
 * verified), both contexts deleted. Credentials come from the environment exactly as MIT's
 * programs take them: KRB5CCNAME (initiator), KRB5_KTNAME (acceptor), KRB5RCACHETYPE
 * (replay cache), KRB5_CONFIG. Acquired once, like a long-running service and client.
 *
 * With MIT_BENCH_MEMORY=1 the ccache and keytab are first copied into MEMORY: ones (MIT's
 * best case: no file read per context), as a service that loads its keys once would have.
 *
 * Usage: handshakes SERVICE@HOST SECONDS  ->  prints one line: "<handshakes> <seconds>"
 *        handshakes SERVICE@HOST SECONDS wrap SIZE  ->  "<wraps> <seconds> <unwraps> <seconds>":
 *        gss_wrap with confidentiality of SIZE-byte messages by the initiator, then
 *        gss_unwrap of one such token by the acceptor (context without REPLAY/SEQUENCE, so
 *        the same token may be unwrapped again), each for SECONDS.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, OM_uint32 major, OM_uint32 minor) {
  fprintf(stderr, "%s failed: major 0x%x minor %u\n", what, major, minor);
  exit(1);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void handshake(gss_cred_id_t icred, gss_cred_id_t acred, gss_name_t target) {
  OM_uint32 major, minor, flags;
  gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
  gss_buffer_desc apreq = GSS_C_EMPTY_BUFFER, aprep = GSS_C_EMPTY_BUFFER, none = GSS_C_EMPTY_BUFFER;
  major = gss_init_sec_context(&minor, icred, &ictx, target, GSS_C_NO_OID,
                               GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS,
                               GSS_C_NO_BUFFER, NULL, &apreq, &flags, NULL);
  if (major != GSS_S_CONTINUE_NEEDED) die("gss_init_sec_context", major, minor);
  major = gss_accept_sec_context(&minor, &actx, acred, &apreq, GSS_C_NO_CHANNEL_BINDINGS, NULL,
                                 NULL, &aprep, &flags, NULL, NULL);
  if (major != GSS_S_COMPLETE) die("gss_accept_sec_context", major, minor);
  major = gss_init_sec_context(&minor, icred, &ictx, target, GSS_C_NO_OID,
                               GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS,
                               &aprep, NULL, &none, &flags, NULL);
  if (major != GSS_S_COMPLETE) die("gss_init_sec_context (AP-REP)", major, minor);
  gss_release_buffer(&minor, &apreq);
  gss_release_buffer(&minor, &aprep);
  gss_release_buffer(&minor, &none);
  gss_delete_sec_context(&minor, &ictx, GSS_C_NO_BUFFER);
  gss_delete_sec_context(&minor, &actx, GSS_C_NO_BUFFER);
}

static void check(krb5_error_code code, const char *what) {
  if (code) {
    fprintf(stderr, "%s failed: %d\n", what, (int)code);
    exit(1);
  }
}

/* Copies the default ccache and keytab into MEMORY: ones and points the environment at them. */
static void use_memory_credentials(void) {
  krb5_context ctx;
  check(krb5_init_context(&ctx), "krb5_init_context");
  krb5_ccache file_cc, mem_cc;
  krb5_principal client;
  check(krb5_cc_default(ctx, &file_cc), "krb5_cc_default");
  check(krb5_cc_get_principal(ctx, file_cc, &client), "krb5_cc_get_principal");
  check(krb5_cc_resolve(ctx, "MEMORY:gssock-bench", &mem_cc), "krb5_cc_resolve");
  check(krb5_cc_initialize(ctx, mem_cc, client), "krb5_cc_initialize");
  check(krb5_cc_copy_creds(ctx, file_cc, mem_cc), "krb5_cc_copy_creds");
  krb5_keytab file_kt, mem_kt;
  krb5_kt_cursor cursor;
  krb5_keytab_entry entry;
  check(krb5_kt_default(ctx, &file_kt), "krb5_kt_default");
  check(krb5_kt_resolve(ctx, "MEMORY:gssock-bench", &mem_kt), "krb5_kt_resolve");
  check(krb5_kt_start_seq_get(ctx, file_kt, &cursor), "krb5_kt_start_seq_get");
  while (krb5_kt_next_entry(ctx, file_kt, &entry, &cursor) == 0) {
    check(krb5_kt_add_entry(ctx, mem_kt, &entry), "krb5_kt_add_entry");
    krb5_free_keytab_entry_contents(ctx, &entry);
  }
  krb5_kt_end_seq_get(ctx, file_kt, &cursor);
  setenv("KRB5CCNAME", "MEMORY:gssock-bench", 1);
  setenv("KRB5_KTNAME", "MEMORY:gssock-bench", 1);
  /* The MEMORY: ccache and keytab live as long as a handle to them does: keep them open. */
}

/* Wrap and unwrap throughput over one established context pair (aes keys of the ticket). */
static void wrap_bench(gss_cred_id_t icred, gss_cred_id_t acred, gss_name_t target, double seconds,
                       size_t size) {
  OM_uint32 major, minor, flags;
  gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
  gss_buffer_desc apreq = GSS_C_EMPTY_BUFFER, aprep = GSS_C_EMPTY_BUFFER, none = GSS_C_EMPTY_BUFFER;
  OM_uint32 want = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
  major = gss_init_sec_context(&minor, icred, &ictx, target, GSS_C_NO_OID, want, 0,
                               GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &apreq, &flags, NULL);
  if (major != GSS_S_CONTINUE_NEEDED) die("gss_init_sec_context", major, minor);
  major = gss_accept_sec_context(&minor, &actx, acred, &apreq, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                 &aprep, &flags, NULL, NULL);
  if (major != GSS_S_COMPLETE) die("gss_accept_sec_context", major, minor);
  major = gss_init_sec_context(&minor, icred, &ictx, target, GSS_C_NO_OID, want, 0,
                               GSS_C_NO_CHANNEL_BINDINGS, &aprep, NULL, &none, &flags, NULL);
  if (major != GSS_S_COMPLETE) die("gss_init_sec_context (AP-REP)", major, minor);
  char *data = malloc(size);
  for (size_t i = 0; i < size; i++) data[i] = (char)(i * 131);
  gss_buffer_desc message = {size, data}, token, plain;
  int conf;
  long wraps = 0, unwraps = 0;
  double start = now(), t = start;
  while (t - start < seconds) {
    for (int i = 0; i < 20; i++) {
      major = gss_wrap(&minor, ictx, 1, GSS_C_QOP_DEFAULT, &message, &conf, &token);
      if (major != GSS_S_COMPLETE) die("gss_wrap", major, minor);
      gss_release_buffer(&minor, &token);
    }
    wraps += 20;
    t = now();
  }
  double wrap_seconds = t - start;
  major = gss_wrap(&minor, ictx, 1, GSS_C_QOP_DEFAULT, &message, &conf, &token);
  if (major != GSS_S_COMPLETE) die("gss_wrap", major, minor);
  start = now();
  t = start;
  while (t - start < seconds) {
    for (int i = 0; i < 20; i++) {
      major = gss_unwrap(&minor, actx, &token, &plain, &conf, NULL);
      if (GSS_ERROR(major)) die("gss_unwrap", major, minor);
      gss_release_buffer(&minor, &plain);
    }
    unwraps += 20;
    t = now();
  }
  printf("%ld %.6f %ld %.6f\n", wraps, wrap_seconds, unwraps, t - start);
  free(data);
}

int main(int argc, char **argv) {
  if (argc != 3 && !(argc == 5 && strcmp(argv[3], "wrap") == 0)) {
    fprintf(stderr, "usage: %s SERVICE@HOST SECONDS [wrap SIZE]\n", argv[0]);
    return 2;
  }
  const char *memory = getenv("MIT_BENCH_MEMORY");
  if (memory && strcmp(memory, "1") == 0) use_memory_credentials();
  OM_uint32 major, minor;
  gss_buffer_desc name = {strlen(argv[1]), argv[1]};
  gss_name_t target;
  major = gss_import_name(&minor, &name, GSS_C_NT_HOSTBASED_SERVICE, &target);
  if (major != GSS_S_COMPLETE) die("gss_import_name", major, minor);
  gss_cred_id_t icred, acred;
  major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_INITIATE,
                           &icred, NULL, NULL);
  if (major != GSS_S_COMPLETE) die("gss_acquire_cred (initiator)", major, minor);
  major = gss_acquire_cred(&minor, target, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_ACCEPT, &acred,
                           NULL, NULL);
  if (major != GSS_S_COMPLETE) die("gss_acquire_cred (acceptor)", major, minor);
  double seconds = atof(argv[2]);
  if (argc == 5) {
    wrap_bench(icred, acred, target, seconds, (size_t)atol(argv[4]));
    return 0;
  }
  for (int i = 0; i < 200; i++) handshake(icred, acred, target); /* warm-up */
  long count = 0;
  double start = now(), t = start;
  while (t - start < seconds) {
    for (int i = 0; i < 50; i++) handshake(icred, acred, target);
    count += 50;
    t = now();
  }
  printf("%ld %.6f\n", count, t - start);
  return 0;
}
