/* libFuzzer harness for the IMAP response path: the input is what a server
 * says (greeting, then answers to SELECT, UID SEARCH and UID FETCH
 * BODY.PEEK[]<0.262144>, tags 1, 2, 3...), read from a memory stream through
 * rebote's stream guard (src/source/imapguard.c), by libetpan and, for the
 * SEARCH, by rebote's own reader (src/source/imapsearch.c), as the IMAP
 * source reads a socket. Leaks that are libetpan's own (it never frees a BYE
 * greeting, nor an atom of a BODYSTRUCTURE it fails to parse) are left out
 * below; tests/lsan.supp says the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libetpan/libetpan.h>
#include "imapguard.h"
#include "imapsearch.h"

/* The slow unwinder, so that a leak's stack reaches the libetpan function
 * the suppressions name (libetpan has no frame pointers). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:mailimap_greeting_parse\nleak:mailimap_atom_parse\n";
}

typedef struct {
    const uint8_t *p;
    size_t n, at;
} memsrc;

static ssize_t mem_read(mailstream_low *s, void *buf, size_t count)
{
    memsrc *m = s->data;
    size_t k = m->n - m->at < count ? m->n - m->at : count;
    memcpy(buf, m->p + m->at, k);
    m->at += k;
    return (ssize_t)k;   /* 0 at the end: the guard calls it an error */
}
static ssize_t mem_write(mailstream_low *s, const void *buf, size_t count) { (void)s; (void)buf; return (ssize_t)count; }
static int mem_close(mailstream_low *s) { (void)s; return 0; }
static int mem_fd(mailstream_low *s) { (void)s; return -1; }
static void mem_free(mailstream_low *s) { free(s); }
static void mem_cancel(mailstream_low *s) { (void)s; }
static struct mailstream_cancel *mem_get_cancel(mailstream_low *s) { (void)s; return NULL; }
static mailstream_low_driver mem_driver = {
    .mailstream_read = mem_read, .mailstream_write = mem_write, .mailstream_close = mem_close,
    .mailstream_get_fd = mem_fd, .mailstream_free = mem_free, .mailstream_cancel = mem_cancel,
    .mailstream_get_cancel = mem_get_cancel,
};

static void fuzz_session(mailimap *imap, imapguard *g)
{
    if (mailimap_select(imap, "INBOX") != MAILIMAP_NO_ERROR || !imap->imap_selection_info)
        return;
    imapsearch_set found = {0};
    const char *why;
    char text[64];
    int r = imapsearch_run(imap, g, imap->imap_selection_info->sel_exists & 1, imap->imap_selection_info->sel_exists,
                           &found, &why, text, sizeof text);
    imapsearch_set_free(&found);
    if (r < 0)
        return;   /* the stream is out of step: the IMAP source stops here too */
    struct mailimap_set *set = mailimap_set_new_interval(1, 0);
    struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
    mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
    mailimap_fetch_type_new_fetch_att_list_add(
        ft, mailimap_fetch_att_new_body_peek_section_partial(mailimap_section_new(NULL), 0, 262144));
    clist *result = NULL;
    if (mailimap_uid_fetch(imap, set, ft, &result) == MAILIMAP_NO_ERROR)
        mailimap_fetch_list_free(result);
    mailimap_fetch_type_free(ft);
    mailimap_set_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memsrc m = {data, size, 0};
    mailstream_low *low = mailstream_low_new(&m, &mem_driver);
    mailstream *st = low ? mailstream_new(low, 8192) : NULL;
    if (!st) {
        if (low)
            mailstream_low_free(low);
        return 0;
    }
    mailimap *imap = mailimap_new(0, NULL);
    imapguard *g = imap ? imapguard_wrap(st, 262144) : NULL;
    if (!g) {
        mailstream_close(st);
        if (imap)
            mailimap_free(imap);
        return 0;
    }
    int r = mailimap_connect(imap, st);   /* the session owns the stream from here */
    if (r == MAILIMAP_NO_ERROR || r == MAILIMAP_NO_ERROR_AUTHENTICATED || r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
        fuzz_session(imap, g);
    mailimap_free(imap);
    return 0;
}
