/* See tls.h. Verification happens after the handshake and before any
 * password is sent. */
#include <config.h>
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
            gnutls_datum_t why = {NULL, 0};
            gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why, 0);
            snprintf(err, errlen, _("the server's certificate is not trusted for %s: %s"), host,
                     why.data ? (const char *)why.data : "unknown reason");
            gnutls_free(why.data);
        } else {
            rc = 0;
        }
    }
    gnutls_x509_trust_list_deinit(tl, 1);
    tls_free_certs(certs, n);
    return rc;
}
