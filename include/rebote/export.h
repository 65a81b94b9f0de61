/* Exports: summaries (text, CSV, JSON, Markdown) and failed-recipient lists
 * (CSV, JSON) of a set of records. Pure: records in, bytes to a FILE out;
 * export_commit writes a file through a temporary one renamed into place. */
#ifndef REBOTE_EXPORT_H
#define REBOTE_EXPORT_H

#include <stdbool.h>
#include "rebote/explain.h"
#include <stdio.h>
#include "rebote/model.h"

typedef enum { EXPORT_TEXT, EXPORT_CSV, EXPORT_JSON, EXPORT_MARKDOWN } export_format;

typedef struct {
    const char *source;       /* as the user named it */
    long long generated;      /* time of the report (Unix) */
    long long since, until;   /* the period asked for, 0: open */
    size_t messages;          /* messages in the source (not only bounces) */
    size_t fetched, cached;   /* of those, analysed now and taken from the cache */
    size_t skipped;           /* of those, unreadable and left out of the report */
    const char *selection;    /* what part of the source the report holds, in words
                                 ("the tagged bounces; limit: domain:gmail"), or NULL: all of it */
} export_meta;

/* "text", "csv", "json", "markdown" (also "md") -> format; -1 if unknown. */
int export_format_parse(const char *name);
const char *export_format_ext(export_format f);

/* A group's short meaning, translated: the code's title (by code or status),
 * or the provider's own meaning of it when every bounce of the group is that
 * provider's (Microsoft 365's 550 5.4.1 is "recipient not in the directory",
 * not "no answer from host"), what a group without codes is (auto-replies,
 * reports), else "". */
const char *export_group_title(const rb_records *rs, const model_group *g, model_by by);
/* true, with *out the answer of the group's first bounce, when every bounce
 * of g is explained by one provider hint that has its own meaning of the
 * code: then that meaning, who must act and what to do are the group's. */
bool export_group_provider(const rb_records *rs, const model_group *g, kb_answer *out);

/* The kinds counted apart, translated, plural forms by ngettext: "4 bounces,
 * 1 delay, 1 auto-reply, 1 feedback report, 3 not bounces"; kinds of count 0
 * left out, but the bounces (always named). */
void export_kinds_text(char *out, size_t len, const size_t counts[MODEL_NKINDS]);
/* The same with only the kinds there are ("29 auto-replies"). */
void export_kinds_present(char *out, size_t len, const size_t counts[MODEL_NKINDS]);

/* A Unix time as 2026-11-30T12:00:00Z (UTC); "" for 0. */
void export_stamp(long long t, char *out, size_t len);

/* Would a spreadsheet read s as a formula: = + - @ tab CR, full-width
 * = + - @ or U+2212 first, after any blanks or invisible characters? */
bool csv_is_formula(const char *s);
/* One CSV cell: quoted when it holds , ; " tab CR or LF, or is a formula;
 * a formula gets a ' first. */
void csv_cell(FILE *out, const char *s);
/* One Markdown table cell: | \ ` * _ ~ < [ & escaped, no autolink (www.,
 * ://), never a line break. */
void md_cell(FILE *out, const char *s);

/* The summary of the records whose indexes are sel[0..n) (sel NULL: all),
 * grouped by `by`. Returns 0, or -1 when out of memory or the stream failed. */
int export_summary(FILE *out, export_format f, const export_meta *m, const rb_records *rs, const size_t *sel,
                   size_t n, model_by by);

/* Failed recipients (bounces and delays): one row per record, or with
 * by_recipient one per address (times seen, last seen, the last diagnostic);
 * hard_only keeps hard records, or with by_recipient the addresses whose
 * last record is hard (counted over all of theirs). 
 * f is EXPORT_CSV or EXPORT_JSON (JSON Lines). */
int export_list(FILE *out, export_format f, const rb_records *rs, const size_t *sel, size_t n, bool hard_only,
                bool by_recipient);
/* The same, and *written (may be NULL) is the number of rows written (the
 * header row not counted): what a message about the file should say, not
 * the records it was given (auto-replies, reports, other mail and, by
 * recipient, repeated addresses are no rows). */
int export_list_rows(FILE *out, export_format f, const rb_records *rs, const size_t *sel, size_t n, bool hard_only,
                     bool by_recipient, size_t *written);

/* Writing a file safely: export_begin opens PATH.XXXXXX beside PATH;
 * export_commit flushes, fsyncs and renames it to PATH (or removes it and
 * returns -1 with errno set when anything failed). A regular file it
 * replaces leaves its mode (and, as root, owner and group) to the new one;
 * a symlink is replaced, its target untouched. A FIFO, device or socket
 * at PATH is written directly, never replaced (a FIFO with no reader is
 * refused: ENXIO); a directory is refused (EISDIR). */
typedef struct {
    FILE *f;
    char path[4096], tmp[4120];
    bool direct;   /* writing PATH itself */
} export_file;
int export_begin(export_file *x, const char *path);
int export_commit(export_file *x);
void export_abort(export_file *x);

#endif
