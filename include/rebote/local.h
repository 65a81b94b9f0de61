/* Local message files: a single message, an mbox, or a Maildir directory. */
#ifndef REBOTE_LOCAL_H
#define REBOTE_LOCAL_H

#include <stddef.h>

/* Called once per message; index is 1-based inside its file. Returns 0 to go on. */
typedef int (*local_message_cb)(const char *path, size_t index, const char *buf,
                                size_t len, void *ctx);

/* errno values of the functions below for what is neither a regular file
 * nor a directory (a FIFO, a device, a socket): LOCAL_ENOTREG and up.
 * local_strerror(errno) says which, translated; other values as strerror. */
#define LOCAL_ENOTREG 0x10000
const char *local_strerror(int err);
/* Opens a regular file for reading; anything else is refused (EISDIR,
 * LOCAL_ENOTREG...) without blocking: a FIFO or a device is never opened
 * for long (O_NONBLOCK until fstat says what it is). fd, or -1 with errno. */
struct stat;
int local_open(const char *path, struct stat *st);
/* Reads at most cap bytes of a file (cap 0: all of it, up to 512 MiB);
 * NULL with errno set on failure. Caller frees; the buffer ends with a NUL. */
char *local_read_message(const char *path, size_t cap, size_t *len);
/* Reads the whole file (an mbox); NULL with errno set on failure. */
char *local_read_file(const char *path, size_t *len);
/* Splits an mbox (mboxo/mboxrd) or passes a single message through. */
int local_each_in_buffer(const char *path, const char *buf, size_t len,
                         local_message_cb cb, void *ctx);
/* Files of a folder that could not be read, left out: how many, and the
 * first one as "PATH: reason". */
typedef struct {
    size_t count;
    char first[4352];   /* a path (4096) and a reason */
} local_skips;

/* Where the mbox message after the one starting at pos starts (len: none).
 * The one splitter behind local_each_in_buffer and the mbox source. */
size_t mboxsplit_next(const char *buf, size_t len, size_t pos);
/* A file, or a directory: a Maildir (cur/, new/) or a plain folder of files
 * and sub-folders (a tree of .eml files, a folder of Maildirs: up to 8 levels
 * deep, symbolic links to folders not followed).
 * A single message is read up to the analysis cap (ANALYSIS_MAX_BYTES); a
 * Maildir file that moves meanwhile is followed. Returns 0, or -1 with
 * errno set when the path cannot be read (local_strerror tells why); the
 * files of a folder that cannot be read are counted in skips. */
int local_each_message_skips(const char *path, local_message_cb cb, void *ctx, local_skips *skips);
/* The same, the unreadable files of a folder left out silently. */
int local_each_message(const char *path, local_message_cb cb, void *ctx);

#endif
