/* See tls.h. Verification happens after the handshake and before any
 * password is sent. */
#include <config.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "rebote/util.h"
#include "tls.h"

void tls_set_server_name(struct mailstream_ssl_context *ctx, void *data)
{
    mailstream_ssl_set_server_name(ctx, (char *)data);
}

static void tls_free_certs(gnutls_x509_crt_t *certs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gnutls_x509_crt_deinit(certs[i]);
    free(certs);
}

/* The server's chain as GnuTLS certificates. */
static gnutls_x509_crt_t *tls_chain(mailstream *stream, size_t *n, char *err, size_t errlen)
{
    carray *chain = mailstream_get_certificate_chain(stream);
    *n = 0;
    if (!chain || carray_count(chain) == 0) {
        snprintf(err, errlen, "%s", _("the server sent no certificate"));
        if (chain)
            mailstream_certificate_chain_free(chain);
        return NULL;
    }
    unsigned count = carray_count(chain);
    gnutls_x509_crt_t *certs = calloc(count, sizeof *certs);
    for (unsigned i = 0; certs && i < count; i++) {
        MMAPString *der = carray_get(chain, i);
        gnutls_datum_t d = {(unsigned char *)der->str, (unsigned)der->len};
        if (gnutls_x509_crt_init(&certs[*n]) < 0)
            break;
        if (gnutls_x509_crt_import(certs[*n], &d, GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crt_deinit(certs[*n]);
            break;
        }
        (*n)++;
    }
    mailstream_certificate_chain_free(chain);
    if (*n == 0) {
        free(certs);
        snprintf(err, errlen, "%s", _("the server's certificate could not be read"));
        return NULL;
    }
    return certs;
}

/* What each failed check of GnuTLS's verification means (one table). */
static const struct {
    unsigned bit;
    const char *why;
} tls_checks[] = {
    {GNUTLS_CERT_SIGNER_NOT_FOUND, N_("issuer unknown (not signed by a trusted CA; --ca-file names one)")},
    {GNUTLS_CERT_SIGNER_NOT_CA, N_("its issuer is not a CA")},
    {GNUTLS_CERT_UNEXPECTED_OWNER, N_("name mismatch")},   /* said with the names it is for */
    {GNUTLS_CERT_EXPIRED, N_("expired")},
    {GNUTLS_CERT_NOT_ACTIVATED, N_("not valid yet")},
    {GNUTLS_CERT_REVOKED, N_("revoked")},
    {GNUTLS_CERT_SIGNATURE_FAILURE, N_("bad signature")},
    {GNUTLS_CERT_INSECURE_ALGORITHM, N_("insecure algorithm")},
    {GNUTLS_CERT_PURPOSE_MISMATCH, N_("not for TLS servers")},
};

/* The names the certificate is for: its DNS and IP subject alternative names. */
static void tls_names(gnutls_x509_crt_t crt, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (unsigned i = 0; o + 1 < len; i++) {
        char name[256];
        size_t nl = sizeof name - 1;
        unsigned critical;
        int t = gnutls_x509_crt_get_subject_alt_name(crt, i, name, &nl, &critical);
        if (t < 0)
            break;
        if (t == GNUTLS_SAN_DNSNAME) {
            name[nl < sizeof name ? nl : sizeof name - 1] = '\0';
        } else if (t == GNUTLS_SAN_IPADDRESS && (nl == 4 || nl == 16)) {
            unsigned char ip[16];
            memcpy(ip, name, nl);
            if (!inet_ntop(nl == 4 ? AF_INET : AF_INET6, ip, name, sizeof name))
                continue;
        } else {
            continue;
        }
        for (char *c = name; *c; c++)   /* the peer's text: printable only */
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                *c = '?';
        int k = snprintf(out + o, len - o, "%s%s", o ? ", " : "", name);
        o = k < 0 || (size_t)k >= len - o ? len - 1 : o + (size_t)k;
    }
    if (!out[0])
        snprintf(out, len, "%s", _("another name"));
}

/* "issuer unknown (...), expired": the checks that failed, in words. */
static void tls_why(unsigned status, gnutls_x509_crt_t crt, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof tls_checks / sizeof *tls_checks; i++) {
        if (!(status & tls_checks[i].bit))
            continue;
        char one[512], names[300];
        if (tls_checks[i].bit == GNUTLS_CERT_UNEXPECTED_OWNER) {
            tls_names(crt, names, sizeof names);
            snprintf(one, sizeof one, _("name mismatch (issued for %s)"), names);
        } else {
            snprintf(one, sizeof one, "%s", _(tls_checks[i].why));
        }
        int k = snprintf(out + o, len - o, "%s%s", o ? ", " : "", one);
        o = k < 0 || (size_t)k >= len - o ? len - 1 : o + (size_t)k;
        status &= ~tls_checks[i].bit;
    }
    status &= ~(unsigned)GNUTLS_CERT_INVALID;   /* set with any of them */
    if (status || !out[0]) {   /* a check the table does not name: GnuTLS's words */
        gnutls_datum_t why = {NULL, 0};
        gnutls_certificate_verification_status_print(status ? status : GNUTLS_CERT_INVALID, GNUTLS_CRT_X509, &why,
                                                     0);
        snprintf(out + o, len - o, "%s%s", o ? ", " : "", why.data ? (const char *)why.data : _("unknown reason"));
        gnutls_free(why.data);
    }
}

int tls_verify(mailstream *stream, const char *host, const char *ca_file, char *err, size_t errlen)
{
    size_t n;
    gnutls_x509_crt_t *certs = tls_chain(stream, &n, err, errlen);
    if (!certs)
        return -1;
    gnutls_x509_trust_list_t tl;
    int rc = -1;
    if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
        snprintf(err, errlen, "%s", _("cannot set up certificate verification"));
        tls_free_certs(certs, n);
        return -1;
    }
    int added = ca_file ? gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0)
                        : gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
    if (added <= 0) {
        snprintf(err, errlen, ca_file ? _("no CA certificate could be read from %s") : _("no system CA certificates%s"),
                 ca_file ? ca_file : "");
    } else {
        gnutls_typed_vdata_st data[2] = {
            {.type = GNUTLS_DT_DNS_HOSTNAME, .data = (unsigned char *)host},
            {.type = GNUTLS_DT_KEY_PURPOSE_OID, .data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER},
        };
        unsigned status = 0;
        int v = gnutls_x509_trust_list_verify_crt2(tl, certs, (unsigned)n, data, 2, 0, &status, NULL);
        if (v < 0) {
            snprintf(err, errlen, _("certificate verification failed: %s"), gnutls_strerror(v));
        } else if (status != 0) {
            char why[768];
            tls_why(status, certs[0], why, sizeof why);
            snprintf(err, errlen, _("TLS: the server's certificate is not trusted for %s: %s"), host, why);
        } else {
            rc = 0;
        }
    }
    gnutls_x509_trust_list_deinit(tl, 1);
    tls_free_certs(certs, n);
    return rc;
}
