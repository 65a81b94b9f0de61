/* What the triage screen (or an export) looks at: the records through a
 * filter, grouped and sorted, with tags and deletion marks per record.
 * Pure: no I/O, no curses. */
#ifndef REBOTE_VIEW_H
#define REBOTE_VIEW_H

#include <regex.h>
#include <stdbool.h>
#include "rebote/model.h"

typedef enum { VIEW_SORT_COUNT, VIEW_SORT_CODE, VIEW_SORT_DATE, VIEW_SORT_N } view_sort;
/* The order of the bounces inside each group: newest first (the default),
 * by recipient, by the recipient's domain, by code (newest first within each). */
typedef enum { VIEW_MSORT_DATE, VIEW_MSORT_RCPT, VIEW_MSORT_DOMAIN, VIEW_MSORT_CODE, VIEW_MSORT_N } view_msort;

enum { VIEW_TAGGED = 1, VIEW_MARKED = 2 };

typedef enum { VIEW_FIELD_ANY, VIEW_FIELD_RCPT, VIEW_FIELD_DOMAIN, VIEW_FIELD_DIAG, VIEW_FIELD_SUBJECT,
               VIEW_FIELD_MTA, VIEW_FIELD_KIND } view_field;

/* Why a pattern is used as plain text: it is not a valid regular
 * expression, or it is one glibc would take too long on (view.c). */
typedef enum { VIEW_PLAIN_NO, VIEW_PLAIN_INVALID, VIEW_PLAIN_COSTLY } view_plain;

typedef struct {
    char text[256];          /* as typed, prefix included */
    const char *expr;        /* the part after a field prefix */
    view_field field;
    regex_t re;
    bool is_regex;
    unsigned kinds;          /* VIEW_FIELD_KIND: bit k for rb_kind k */
    view_plain plain;        /* set by view_pattern_set: why not a regex (the screen says so) */
} view_pattern;

typedef struct {
    const rb_records *rs;
    model_by by;
    view_sort sort;
    view_msort msort;        /* the bounces of each group */
    view_pattern filter;     /* text "" = everything */
    unsigned char *flags;    /* VIEW_TAGGED | VIEW_MARKED per record */
    size_t nflags;           /* records the flags array covers */
    size_t *sel;             /* the records that pass the filter */
    size_t nsel;
    model_groups groups;     /* groups of the selected records, sorted */
    size_t *bydate;          /* every record, newest first: kept while the records are the same */
    size_t nbydate;
    const rb_record *bydate_of;
} view;

/* Pattern: an extended regular expression, case-insensitive; when it does not
 * compile, a plain substring. Matches recipient, diagnostic, subject, remote
 * MTA and the group key; a prefix limits it to one field: "to:", "domain:"
 * (the recipient's domain), "diag:", "subject:", "mta:"; "kind:" takes kind
 * names, comma-separated (model_kind_parse: "feedback", "queja").
 * Returns 0, or VIEW_PATTERN_NO_VALUE (a prefix with nothing after it),
 * VIEW_PATTERN_NO_KIND (a name after "kind:" that is no kind's), and
 * then p is left as it was. */
enum { VIEW_PATTERN_NO_VALUE = 1, VIEW_PATTERN_NO_KIND = 2 };
int view_pattern_set(view_pattern *p, const char *text);
void view_pattern_free(view_pattern *p);
bool view_pattern_match(const view_pattern *p, const rb_record *r, model_by by);

int view_init(view *v, const rb_records *rs, model_by by);
void view_free(view *v);
/* Re-filters, regroups and sorts after a change of records, filter, grouping or sort. */
int view_refresh(view *v);
/* After a change of sort only (s): the groups and their bounces sorted
 * again, without filtering and grouping again. */
void view_resort(view *v);
/* The limit: 0, -1 (no memory), or view_pattern_set's refusal, and then the
 * previous limit stays. */
int view_set_filter(view *v, const char *text);
/* After records were appended to the view's records: new records get no
 * flags, then the view is refreshed. */
int view_sync(view *v);
/* Tags (on) or untags the selected records matching the pattern; returns how many changed. */
size_t view_tag_pattern(view *v, const char *text, bool on);
/* Sets or clears a flag on record i; a mark for deletion goes to every
 * record of the same message (deletion is per message: a report for several
 * recipients has neighbour records). Returns how many records changed. */
size_t view_flag_record(view *v, size_t i, unsigned char flag, bool on);
/* view_tag_pattern for any flag (D, U: VIEW_MARKED, through view_flag_record). */
size_t view_flag_pattern(view *v, const char *text, unsigned char flag, bool on);
/* Sets or clears a flag on every record of a group (and, for a mark, on
 * the other records of their messages). Returns how many changed. */
size_t view_flag_group(view *v, size_t group, unsigned char flag, bool on);
/* Sets or clears a flag on every selected record carrying the flag `having`. */
size_t view_flag_having(view *v, unsigned char having, unsigned char flag, bool on);
/* Counts selected records with a flag, and the groups they fall in. */
size_t view_count(const view *v, unsigned char flag, size_t *groups);
/* model_messages of the records marked for deletion, over all records
 * (filtered or not); free with model_messages_free. */
size_t view_marked_messages(const view *v, const char ***keys, unsigned int **uids);
/* Drops the records whose message key is in keys (sorted by strcmp) from
 * rs, keeping flags aligned. rs must be the view's records, writable. */
void view_drop_messages(view *v, rb_records *rs, const char **keys, size_t n);
const char *view_sort_name(view_sort s);
/* "date", "recipient", "domain", "code". */
const char *view_msort_name(view_msort s);

#endif
