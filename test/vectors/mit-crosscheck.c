/*
 * Cross-checks the transcribed vectors in this folder against MIT krb5's own library, and
 * computes the KRB-FX-CF2 values for enctypes MIT's t_cf2.expected does not list.
 * Not part of the test suite (needs a C compiler and libkrb5-dev). Build and run:
 *   cc -o /tmp/mit-crosscheck test/vectors/mit-crosscheck.c -lkrb5 -lk5crypto
 *   node test/vectors/mit-crosscheck.mjs /tmp/mit-crosscheck
 * Reads commands on stdin, one per line, hex arguments ("-" for empty):
 *   dec ETYPE USAGE KEY CIPHERTEXT  -> plaintext, or FAIL
 *   s2k ETYPE PASSWORD SALT PARAMS   -> key
 *   prf ETYPE KEY INPUT              -> output
 *   ck CKSUMTYPE ETYPE USAGE KEY DATA -> checksum
 *   cf2 ETYPE KEY1 KEY2 PEPPER1 PEPPER2 -> key
 */
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static krb5_data unhex(const char *s) {
    krb5_data d = { 0 };
    size_t n = strcmp(s, "-") == 0 ? 0 : strlen(s) / 2;
    d.length = n;
    d.data = malloc(n + 1);
    for (size_t i = 0; i < n; i++) sscanf(s + 2 * i, "%2hhx", (unsigned char *)&d.data[i]);
    d.data[n] = 0;
    return d;
}

static void hex(const void *p, size_t n) {
    for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]);
    printf("\n");
}

static krb5_keyblock key(int etype, krb5_data d) {
    krb5_keyblock k = { 0 };
    k.enctype = etype;
    k.length = d.length;
    k.contents = (krb5_octet *)d.data;
    return k;
}

int main(void) {
    krb5_context ctx;
    char op[16], a[4096], b[4096], c[4096], e[4096], f[4096];
    if (krb5_init_context(&ctx)) return 2;
    while (scanf("%15s", op) == 1) {
        if (strcmp(op, "dec") == 0) {
            int etype, usage;
            scanf("%d %d %4095s %4095s", &etype, &usage, a, b);
            krb5_keyblock k = key(etype, unhex(a));
            krb5_enc_data enc = { 0 };
            enc.enctype = etype;
            enc.ciphertext = unhex(b);
            krb5_data out;
            out.length = enc.ciphertext.length;
            out.data = malloc(out.length + 1);
            if (krb5_c_decrypt(ctx, &k, usage, NULL, &enc, &out)) printf("FAIL\n");
            else if (out.length == 0) printf("-\n");
            else hex(out.data, out.length);
        } else if (strcmp(op, "s2k") == 0) {
            int etype;
            scanf("%d %4095s %4095s %4095s", &etype, a, b, c);
            krb5_data pw = unhex(a), salt = unhex(b), params = unhex(c);
            krb5_keyblock k = { 0 };
            if (krb5_c_string_to_key_with_params(ctx, etype, &pw, &salt, params.length ? &params : NULL, &k))
                printf("FAIL\n");
            else hex(k.contents, k.length);
        } else if (strcmp(op, "prf") == 0) {
            int etype;
            scanf("%d %4095s %4095s", &etype, a, b);
            krb5_keyblock k = key(etype, unhex(a));
            krb5_data in = unhex(b), out;
            size_t len;
            krb5_c_prf_length(ctx, etype, &len);
            out.length = len;
            out.data = malloc(len);
            if (krb5_c_prf(ctx, &k, &in, &out)) printf("FAIL\n");
            else hex(out.data, out.length);
        } else if (strcmp(op, "ck") == 0) {
            int cksumtype, etype, usage;
            scanf("%d %d %d %4095s %4095s", &cksumtype, &etype, &usage, a, b);
            krb5_keyblock k = key(etype, unhex(a));
            krb5_data data = unhex(b);
            krb5_checksum ck;
            if (krb5_c_make_checksum(ctx, cksumtype, &k, usage, &data, &ck)) printf("FAIL\n");
            else hex(ck.contents, ck.length);
        } else if (strcmp(op, "cf2") == 0) {
            int etype;
            scanf("%d %4095s %4095s %4095s %4095s", &etype, a, b, e, f);
            krb5_keyblock k1 = key(etype, unhex(a)), k2 = key(etype, unhex(b)), *out;
            krb5_data p1 = unhex(e), p2 = unhex(f);
            if (krb5_c_fx_cf2_simple(ctx, &k1, p1.data, &k2, p2.data, &out)) printf("FAIL\n");
            else hex(out->contents, out->length);
        } else {
            printf("?\n");
        }
        fflush(stdout);
    }
    return 0;
}
