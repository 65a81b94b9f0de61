/* The model: records grouped by code (or status, reason, domain, remote MTA),
 * with counts and dates. Pure: records in, groups out. */
#ifndef REBOTE_MODEL_H
#define REBOTE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "rebote/bounce.h"

/* MODEL_BY_RCPT_DOMAIN is no grouping of the screen or the summary: the
 * recipient's domain of every record whatever its kind, for breakdowns
 * ("domains: example.org (5)") of a group of auto-replies too. */
typedef enum {
    MODEL_BY_CODE, MODEL_BY_STATUS, MODEL_BY_REASON, MODEL_BY_DOMAIN, MODEL_BY_MTA, MODEL_BY_RCPT_DOMAIN
} model_by;

typedef struct {
    char key[160];        /* "550 5.1.1", "5.1.1", "userunknown", "example.com", "mx.example.com" */
    char reply[4];        /* the codes of the group's first record (for explanations) */
    char status[16];
    const char *reason;
    size_t records, messages, recipients, hard;
    size_t failures;      /* records that are bounces or delays (not auto-replies, reports) */
    long long first, last;   /* Unix times, 0 if unknown */
    size_t *idx;          /* indexes of the group's records in the input */
    size_t nidx;
} model_group;

typedef struct {
    model_group *v;
    size_t n;
} model_groups;

/* Groups the records; groups sorted by record count, largest first. */
int model_group_records(const rb_records *rs, model_by by, model_groups *out);
/* The same over the records whose indexes are sel[0..n) (sel NULL: the first n). */
int model_group_subset(const rb_records *rs, const size_t *sel, size_t n, model_by by, model_groups *out);
void model_groups_free(model_groups *g);
/* Records of each kind (indexed by rb_kind) among the records sel[0..n)
 * (sel NULL: the first n): the bounces, delays, auto-replies, feedback
 * reports, success notices, challenges and mail that is not a bounce,
 * counted apart. */
#define MODEL_NKINDS (RB_KIND_LAST + 1)
void model_kind_counts(const rb_records *rs, const size_t *sel, size_t n, size_t counts[MODEL_NKINDS]);
/* Distinct messages (by key; a record without one is a message of its own)
 * and distinct recipients (without case; a record without one counts none) of the records sel[0..n) (sel
 * NULL: the first n), counted as the groups count them. -1: no memory. */
int model_totals(const rb_records *rs, const size_t *sel, size_t n, size_t *messages, size_t *recipients);
/* The distinct messages (key and uid) of the records sel[0..n) (sel NULL: the
 * first n), sorted by key, as copies: what a deletion needs. Records without
 * a key are left out. Free with model_messages_free. */
size_t model_messages(const rb_records *rs, const size_t *sel, size_t n, const char ***keys, unsigned int **uids);
/* The records [*lo, *hi) of the message record i is in: a report for several
 * recipients gives a record per recipient, neighbours with the same key
 * (deletion is per message, so they go together). */
void model_message_run(const rb_records *rs, size_t i, size_t *lo, size_t *hi);
void model_messages_free(const char **keys, unsigned int *uids, size_t n);
/* The group of the messages that are no report (kind none), under every grouping. */
#define MODEL_KEY_NONE "(not a bounce)"
/* The group of the failures (bounces, delays) that lack the field grouped
 * by (no status, reason, recipient domain or remote MTA); never "-". */
#define MODEL_KEY_UNKNOWN "(unknown)"
/* Whether records of the kind keep a group of their own, "(autoreply)",
 * "(feedback)", "(delivered)", "(challenge)", MODEL_KEY_NONE, under every
 * grouping: every kind but bounces and delays. */
bool model_kind_own_group(rb_kind kind);
/* The group key of one record. */
void model_key(const rb_record *r, model_by by, char *out, size_t len);
/* The kind named by name[0..n): its record name ("feedback", "autoreply",
 * "none") or its group's as the screen shows it, in English ("not a
 * bounce", "auto-reply") or translated by the catalogue ("queja",
 * "respuesta automática"); case, accents, spaces and dashes do not count.
 * -1 when no kind is called so. */
int model_kind_parse(const char *name, size_t n);
/* "code", "status", "reason", "domain", "mta" -> model_by; -1 if unknown. */
int model_by_parse(const char *name);

#endif
