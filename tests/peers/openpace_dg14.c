/* An independent reader of DG14: OpenPACE (libeac, the reference PACE/EAC library many field terminals
 * are built on) run as an external test peer. GPL: built only for the tests when libeac is installed,
 * run as its own process, never linked into any product target.
 *
 *   openpace-dg14 DG14_FILE [POINT_HEX]
 *
 * Hands the SecurityInfos inside DG14 (tag 6E) to EAC_CTX_init_ef_cardaccess, which parses them as a
 * terminal does, the ChipAuthenticationPublicKeyInfo included, and asks OpenPACE for the chip's Chip
 * Authentication public key (CA_STEP1_get_pubkey: a public key data object 7F49 {06 OID, 86 point}).
 * Prints the point in hex. Exit 0 when OpenPACE parsed DG14 and found the key (and, when POINT_HEX is
 * given, the key is that point); 1 otherwise; 2 for a usage error.
 *
 * OpenPACE 1.1.2 loops forever in EAC_CTX_clear_free after EAC_CTX_init_ef_cardaccess failed on a
 * Chip Authentication key it cannot read, so on that path the program exits without freeing. */
#include <eac/ca.h>
#include <eac/eac.h>
#include <openssl/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int read_whole_file(const char *path, unsigned char **out, size_t *out_len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return 0;
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len < cap) break;
        unsigned char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    fclose(f);
    if (buf == NULL) return 0;
    *out = buf;
    *out_len = len;
    return 1;
}

/* The value of the one TLV 6E that makes up the file (definite length, short or long form). */
static int dg14_content(const unsigned char *in, size_t len, const unsigned char **value, size_t *value_len) {
    if (len < 2 || in[0] != 0x6E) return 0;
    size_t pos = 2, n = in[1];
    if (in[1] & 0x80) {
        size_t bytes = in[1] & 0x7Fu;
        if (bytes == 0 || bytes > 3 || len < 2 + bytes) return 0;
        n = 0;
        for (size_t i = 0; i < bytes; ++i) n = (n << 8) | in[2 + i];
        pos = 2 + bytes;
    }
    if (n != len - pos) return 0;
    *value = in + pos;
    *value_len = n;
    return 1;
}

/* One TLV at *p (tags of one or two bytes, definite lengths up to 3 bytes); advances *p. */
static int next_tlv(const unsigned char **p, const unsigned char *end, unsigned *tag, const unsigned char **value,
                    size_t *value_len) {
    const unsigned char *q = *p;
    if (q >= end) return 0;
    unsigned t = *q++;
    if ((t & 0x1Fu) == 0x1Fu) {
        if (q >= end) return 0;
        t = (t << 8) | *q++;
    }
    if (q >= end) return 0;
    size_t n = *q++;
    if (n & 0x80u) {
        size_t bytes = n & 0x7Fu;
        if (bytes == 0 || bytes > 3 || (size_t)(end - q) < bytes) return 0;
        n = 0;
        for (size_t i = 0; i < bytes; ++i) n = (n << 8) | *q++;
    }
    if ((size_t)(end - q) < n) return 0;
    *tag = t;
    *value = q;
    *value_len = n;
    *p = q + n;
    return 1;
}

/* The public point (DO 86) of a public key data object 7F49. */
static int point_of(const unsigned char *in, size_t len, const unsigned char **point, size_t *point_len) {
    const unsigned char *p = in, *end = in + len, *value = NULL;
    unsigned tag = 0;
    size_t value_len = 0;
    if (!next_tlv(&p, end, &tag, &value, &value_len) || tag != 0x7F49u || p != end) return 0;
    p = value;
    end = value + value_len;
    while (next_tlv(&p, end, &tag, &value, &value_len)) {
        if (tag == 0x86u) {
            *point = value;
            *point_len = value_len;
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s DG14_FILE [POINT_HEX]\n", argv[0]);
        return 2;
    }
    unsigned char *file = NULL;
    size_t file_len = 0;
    if (!read_whole_file(argv[1], &file, &file_len)) {
        fprintf(stderr, "openpace-dg14: cannot read %s\n", argv[1]);
        return 2;
    }
    const unsigned char *infos = NULL, *point = NULL;
    size_t infos_len = 0, point_len = 0;
    if (!dg14_content(file, file_len, &infos, &infos_len)) {
        fprintf(stderr, "openpace-dg14: not a DG14 (one TLV 6E)\n");
        return 1;
    }
    EAC_init();
    EAC_CTX *ctx = EAC_CTX_new();
    if (ctx == NULL || !EAC_CTX_init_ef_cardaccess(infos, infos_len, ctx)) {
        fprintf(stderr, "openpace-dg14: OpenPACE cannot parse the SecurityInfos\n");
        return 1; /* not EAC_CTX_clear_free: see above */
    }
    int ok = 0;
    BUF_MEM *key = CA_STEP1_get_pubkey(ctx);
    if (key == NULL || !point_of((const unsigned char *)key->data, key->length, &point, &point_len)) {
        fprintf(stderr, "openpace-dg14: OpenPACE found no Chip Authentication public key\n");
    } else {
        char *hex = malloc(point_len * 2 + 1);
        if (hex != NULL) {
            for (size_t i = 0; i < point_len; ++i) snprintf(hex + 2 * i, 3, "%02X", point[i]);
            printf("%s\n", hex);
            ok = argc < 3 || strcasecmp(hex, argv[2]) == 0;
            if (!ok) fprintf(stderr, "openpace-dg14: the key is not the expected point\n");
            free(hex);
        }
    }
    if (key != NULL) BUF_MEM_free(key);
    EAC_CTX_clear_free(ctx);
    EAC_cleanup();
    free(file);
    return ok ? 0 : 1;
}
