/* Certificate verification for libetpan's GnuTLS streams (which verify nothing
 * by themselves): the chain the server sent, against the system store or a
 * CA file, for the host name, for TLS server use. */
#ifndef REBOTE_TLS_H
#define REBOTE_TLS_H

#include <stddef.h>
#include <libetpan/libetpan.h>

/* SNI: called by libetpan before the handshake; data is the host name. */
void tls_set_server_name(struct mailstream_ssl_context *ctx, void *data);
/* 0 when the peer's chain is valid for host; otherwise -1 and why in err. */
int tls_verify(mailstream *stream, const char *host, const char *ca_file, char *err, size_t errlen);

#endif
