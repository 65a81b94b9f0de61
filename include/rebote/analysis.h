/* Bounce analysis: raw message bytes in, bounce records out. Pure: no I/O. */
#ifndef REBOTE_ANALYSIS_H
#define REBOTE_ANALYSIS_H

#include "rebote/bounce.h"

/* Bytes of one message that the analysis reads at most; the rest (usually the
 * body of the returned original) is ignored. */
#define ANALYSIS_MAX_BYTES (256 * 1024)

typedef enum {
    ANALYSIS_OK = 0,
    ANALYSIS_ENOMEM,
    ANALYSIS_EMPTY      /* no message at all (empty or header-less input) */
} analysis_status;

/* Must be called before analysis_parse: sets GMime up once per process
 * (thread-safe; it is shut down at exit). analysis_parse may run in several
 * threads. */
void analysis_init(void);

/* Appends one record per recipient of the message in [buf, buf+len) to out.
 * A message that is not a report appends nothing and returns ANALYSIS_OK. */
analysis_status analysis_parse(const char *buf, size_t len, rb_records *out);

/* Appends one record of kind RB_KIND_NONE for the message in [buf, buf+len)
 * (one that analysis_parse finds no report in): its own Date, Message-Id,
 * Subject and From, read from its header block alone (the body is not
 * read). The loader gives every such message this record, so that mail
 * that is not a bounce is listed, never lost from sight. */
analysis_status analysis_message_record(const char *buf, size_t len, rb_records *out);

const char *analysis_strerror(analysis_status st);

#endif
