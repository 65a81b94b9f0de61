/* Local message files: a single message, an mbox, or a Maildir directory. */
#ifndef REBOTE_LOCAL_H
#define REBOTE_LOCAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
/* Reads the whole file, up to 512 MiB (the benchmarks: rebote itself never
 * reads an mbox whole, see mboxscan); NULL with errno set on failure. */
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
/* FNV-1a of n more bytes, from h (the mbox keys' hash). */
uint64_t mboxsplit_hash(uint64_t h, const char *s, size_t n);

/* One message of an mbox file: [start, end) in the file, its "From " line
 * included, and the FNV-1a hash of those bytes. */
typedef struct {
    uint64_t start, end, hash;
} mbox_span;
/* Called per message, in order; returns 0 to go on. */
typedef int (*mbox_span_cb)(const mbox_span *m, void *ctx);
/* Reads up to n bytes at offset off: the count, 0 at the end, -1 (errno). */
typedef ssize_t (*mbox_reader)(void *ctx, char *buf, size_t n, uint64_t off);
/* Splits the first size bytes of a file (fewer when it ends sooner) as
 * mboxsplit_next splits them whole, reading them in chunks of chunk bytes
 * (0: 1 MiB), of which it holds one: the memory does not grow with the
 * file. A file not starting with "From " is one message. Returns 0, cb's
 * non-zero answer, or -1 with errno. */
int mboxscan(mbox_reader rd, void *rctx, uint64_t size, size_t chunk, mbox_span_cb cb, void *ctx);
/* mboxscan over a file descriptor, by pread (a file truncated meanwhile
 * cannot fault the reader, as a mapping could). */
int mboxscan_fd(int fd, uint64_t size, mbox_span_cb cb, void *ctx);
/* Reads message m of fd as local_each_in_buffer passes it (its "From " line
 * dropped, ">From " quoting undone, lone CRs made LF), at most cap bytes of
 * that (0: all), NUL-terminated; reads only what that needs. NULL with errno. */
char *mboxscan_read(int fd, const mbox_span *m, size_t cap, size_t *len);
/* A file, or a directory: a Maildir (cur/, new/) or a plain folder of files
 * and sub-folders (a tree of .eml files, a folder of Maildirs: up to 8 levels
 * deep, symbolic links to folders not followed).
 * A single message is read up to the analysis cap (ANALYSIS_MAX_BYTES), and
 * so is each message of an mbox (split by mboxscan, not read whole); a
 * Maildir file that moves meanwhile is followed. Returns 0, or -1 with
 * errno set when the path cannot be read (local_strerror tells why); the
 * files of a folder that cannot be read are counted in skips. */
int local_each_message_skips(const char *path, local_message_cb cb, void *ctx, local_skips *skips);
/* The same, the unreadable files of a folder left out silently. */
int local_each_message(const char *path, local_message_cb cb, void *ctx);

#endif
