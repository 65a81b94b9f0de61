/* Local message files: a single message, an mbox, or a Maildir directory. */
#ifndef REBOTE_LOCAL_H
#define REBOTE_LOCAL_H

#include <stddef.h>

/* Called once per message; index is 1-based inside its file. Returns 0 to go on. */
typedef int (*local_message_cb)(const char *path, size_t index, const char *buf,
                                size_t len, void *ctx);

/* Reads the whole file; NULL with errno set on failure. Caller frees. */
char *local_read_file(const char *path, size_t *len);
/* Splits an mbox (mboxo/mboxrd) or passes a single message through. */
int local_each_in_buffer(const char *path, const char *buf, size_t len,
                         local_message_cb cb, void *ctx);
/* Where the mbox message after the one starting at pos starts (len: none).
 * The one splitter behind local_each_in_buffer and the mbox source. */
size_t mboxsplit_next(const char *buf, size_t len, size_t pos);
/* A file, or a directory: a Maildir (cur/, new/) or a plain folder of files.
 * Returns 0, or -1 with errno set when the path cannot be read. */
int local_each_message(const char *path, local_message_cb cb, void *ctx);

#endif
