/* The bounce record: one failed (or delayed) recipient of one message. */
#ifndef REBOTE_BOUNCE_H
#define REBOTE_BOUNCE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    RB_KIND_NONE = 0,   /* not a report */
    RB_KIND_BOUNCE,     /* delivery failed */
    RB_KIND_DELAY,      /* delivery delayed, the MTA retries */
    RB_KIND_FEEDBACK,   /* ARF abuse/feedback report */
    RB_KIND_AUTOREPLY,  /* RFC 3834 auto-reply, out of office */
    RB_KIND_DELIVERED,  /* success DSN (Action: delivered/relayed/expanded) */
    RB_KIND_CHALLENGE,  /* challenge-response or subscription confirmation request */
    RB_KIND_LAST = RB_KIND_CHALLENGE
} rb_kind;

/* The strings the records of one message share (its date, subject, key,
 * and whatever else all its records say alike): one block per message,
 * counted references, freed with its last record. */
typedef struct rb_shared rb_shared;

typedef struct {
    rb_kind kind;
    char status[16];    /* enhanced status code X.Y.Z, "" when none */
    char replycode[4];  /* SMTP reply code, "" when none */
    const char *reason; /* static reason name (Sisimai's names) */
    bool hardbounce;
    char *recipient;
    char *action;
    char *diagnostic;
    char *rhost;        /* remote MTA */
    char *lhost;        /* reporting MTA */
    char *command;      /* SMTP command that failed, "" if unknown */
    char *date;         /* date of the bounce */
    char *messageid;    /* Message-Id of the original message */
    char *subject;      /* Subject of the original message */
    char *sender;       /* From of the original message */
    char *feedbacktype; /* ARF Feedback-Type */
    char *finalrecipient;   /* DSN Final-Recipient when recipient is the Original-Recipient, else "" */
    char *sourceip;     /* ARF Source-IP: where the complained-about message came from, else "" */
    const char *agent;  /* MTA family that recognised it (static) */
    long long time;     /* the bounce's Date as Unix time, 0 if unknown */
    /* set by the loader, not by the analysis: where the message lives */
    unsigned int uid;   /* IMAP UID, or position in a local source */
    unsigned int dropped;   /* on a message's first record: its records left out by the cap */
    char *key;          /* the source's stable key of the message */
    /* set by rb_record_pack: the block that holds every string above */
    char *pack;
    size_t packlen;
    /* set by rb_records_share: the message's strings, when its records share them */
    rb_shared *shared;
} rb_record;

typedef struct {
    rb_record *v;
    size_t n, cap;
} rb_records;

const char *rb_kind_name(rb_kind kind);
void rb_records_init(rb_records *rs);
void rb_records_free(rb_records *rs);
/* Appends a zeroed record with empty strings; NULL when out of memory. */
rb_record *rb_records_add(rb_records *rs);
void rb_record_free(rb_record *r);
/* Moves *r (its strings) to the end of to, leaving *r empty; NULL when out of memory. */
rb_record *rb_records_take(rb_records *to, rb_record *r);
/* Moves every record of from to the end of to (from keeps empty records
 * until it is freed); returns how many moved. */
size_t rb_records_move(rb_records *from, rb_records *to);
/* Moves the record's strings (key included) into one block: a record kept
 * for the session is one allocation instead of a dozen. key, when not NULL,
 * is copied in as the record's key (borrowed: no copy of it to make first).
 * The fields of a packed record are read-only (rb_record_free frees them).
 * -1 when out of memory, the record unchanged. */
int rb_record_pack(rb_record *r, const char *key);
/* The record's string fields, in a fixed order, the key last. */
#define RB_NFIELDS 14
void rb_record_fields(rb_record *r, char **fields[RB_NFIELDS]);
/* What a record costs the session: the struct, its own strings and its
 * share of nothing else (the message's shared block is counted once, by
 * rb_records_share). */
size_t rb_record_bytes(const rb_record *r);
/* Packs the records rs->v[from..n), all of one message, for the session:
 * the strings each has in common with the first record (key included, given
 * as for rb_record_pack) are stored once, in a block they share; the rest
 * of each record in a block of its own. The records past cap bytes (the
 * shared block counted once) are freed and left out: their number is added
 * to the first record's dropped count and returned in *dropped (may be
 * NULL). -1 when out of memory: the records stay valid, maybe unshared. */
int rb_records_share(rb_records *rs, size_t from, const char *key, size_t cap, size_t *dropped);
/* Bit i set: field i (rb_record_fields order) of r is the one of first's
 * shared block (both records of one shared message). */
unsigned rb_record_shared_mask(const rb_record *r, const rb_record *first);
/* For a store: block (allocated, len bytes) holds the RB_NFIELDS strings of
 * r (as rb_record_adopt_pack), r is a message's first record, and block
 * becomes the message's shared block. -1 as rb_record_adopt_pack. */
int rb_record_adopt_shared(rb_record *r, char *block, size_t len);
/* r takes first's shared strings for the fields of mask, the others (in
 * order, each NUL-terminated) from block (allocated, len bytes), its own
 * pack. -1 (block freed, r unchanged) when block holds fewer strings, or
 * first has no shared block for a field of mask. */
int rb_record_adopt_sharing(rb_record *r, const rb_record *first, unsigned mask, char *block, size_t len);
/* Makes block (allocated, len bytes) the record's pack: it holds the
 * RB_NFIELDS strings in rb_record_fields order, each NUL-terminated ("" for
 * an empty one). The record's fields must be empty. -1 when the block holds
 * fewer strings: it is freed and the record unchanged. */
int rb_record_adopt_pack(rb_record *r, char *block, size_t len);
/* Deep copy of a record into dst (strings duplicated, not packed). */
int rb_record_copy(rb_record *dst, const rb_record *src);
/* A record's string fields are owned copies or one shared empty string:
 * free them with rb_field_free, set them with rb_field_dup or rb_record_set. */
void rb_field_free(char **field);
int rb_field_dup(char **field, const char *s);
/* Replaces *field with a sanitised copy of [s, s+n). */
void rb_record_set(char **field, const char *s, size_t n);

#endif
