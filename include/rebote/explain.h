/* Knowledge of SMTP codes: what a reply code or enhanced status code means,
 * who must act, whether a retry helps and what to do; plus hints for the big
 * receivers and blocklists recognised in the diagnostic text. Pure: every
 * text is an untranslated message id (N_), the views call gettext. */
#ifndef REBOTE_EXPLAIN_H
#define REBOTE_EXPLAIN_H

#include <stdbool.h>

typedef enum {
    KB_WHO_SENDER,     /* whoever sent the message: fix the address, list or content */
    KB_WHO_OURS,       /* our mail server's administrator: DNS, IP, authentication */
    KB_WHO_REMOTE,     /* the receiving server's administrator */
    KB_WHO_RECIPIENT,  /* the recipient: free space, re-enable the account */
    KB_WHO_NOBODY      /* nothing to do: information or success */
} kb_who;

typedef enum {
    KB_RETRY_NO,       /* retrying the same message will fail again */
    KB_RETRY_AUTO,     /* temporary: the sending server retries by itself */
    KB_RETRY_AFTER_FIX /* retry once the cause named in the actions is fixed */
} kb_retry;

typedef struct {
    const char *code;     /* "550", "X.1.1" (any class), "5.X.X", "X.7.X" */
    const char *title;    /* message ids, translated by the caller */
    const char *meaning;
    const char *actions;  /* steps separated by '\n' */
    kb_who who;
    kb_retry retry;
} kb_entry;

typedef struct {
    const char *name;     /* provider or list: "Gmail", "Spamhaus" */
    const char *const *patterns;   /* lower-case phrases; any one matches */
    const char *also;     /* and, when set, this phrase too (the provider's mark) */
    const char *title;
    const char *advice;   /* steps separated by '\n' */
    kb_who who;
    kb_retry retry;
    /* When set, the provider documents its own meaning of the code it sends
     * (Microsoft 365's 550 5.4.1 is a recipient missing from its directory,
     * not "no answer from host"): the hint's title and this meaning replace
     * the registry's in the answer. */
    const char *meaning;
} kb_hint;

typedef enum { KB_FROM_HINT, KB_FROM_STATUS, KB_FROM_REPLY, KB_FROM_CLASS, KB_FROM_SUBJECT } kb_source;

typedef struct {
    char reply[4];          /* the codes looked up ("" when absent) */
    char status[16];
    const kb_hint *hint;    /* provider or list recognised in the diagnostic, or NULL */
    const kb_entry *by_status, *by_reply, *by_class, *by_subject;
    const kb_entry *entry;  /* the most specific entry; never NULL after a lookup */
    kb_source source;       /* where the answer comes from (KB_FROM_HINT: hint + entry) */
    bool temporary;         /* the failure is transient (4xx / 4.X.X) */
    bool disagree;          /* reply code and enhanced code are of different classes */
    /* The explanation to show, resolved once here so that every view says the
     * same: the hint's advice and who must act win over the code's; its title
     * and meaning too when it has its own meaning (kb_hint.meaning). */
    const char *title, *meaning, *actions;
    kb_who who;
    bool overridden;        /* title and meaning are the provider's, not the registry's */
} kb_answer;

/* Looks up the most specific answer. reply and status may be NULL or "";
 * diagnostic (may be NULL) is searched for provider hints and, when no code
 * is given, for codes. Returns false only when there is nothing to explain. */
bool explain_lookup(const char *reply, const char *status, const char *diagnostic, kb_answer *out);

/* Reads a user's query: "550", "5.1.1", "550 5.1.1", "550-5.7.26" or a whole
 * diagnostic line. Returns false when it holds no valid code. */
bool explain_parse(const char *query, char reply[4], char status[16]);

/* Message ids for the enums. */
const char *explain_who_text(kb_who who);
const char *explain_retry_text(const kb_answer *a);
/* The steps of what to do, translated, one per line; for a permanent reply
 * without the first step that only says to wait for the retries (the
 * sending server has given up: "Let your server retry" contradicted "Retry:
 * only after fixing the cause"). */
const char *explain_actions_text(const kb_answer *a);
const char *explain_who_id(kb_who who);
/* What a record of a kind without codes is (rb_kind), as a message id. */
const char *explain_kind_text(int kind);
/* What to do about a record of that kind: steps separated by '\n' (a message
 * id), or "" when there is nothing to add. */
const char *explain_kind_advice(int kind);
/* For bounces (returned for good) of a temporary code, greylisting among
 * them: the sending server gave up, so "your server retries" is not the
 * whole story (msgid). */
const char *explain_gave_up_text(void);
const char *explain_retry_id(const kb_answer *a);

/* Hard and soft, defined once for the screen, the summaries and the manual
 * (the rule is reason_is_hard's): message ids. */
const char *explain_hard_text(void);
/* What a reason name (userunknown, mailboxfull...) means, translated, in a
 * few words; NULL for a name it does not know. */
const char *explain_reason_text(const char *reason);
const char *explain_soft_text(void);

/* The tables, for tests and the help screen. */
const kb_entry *explain_reply_table(unsigned *n);
const kb_entry *explain_status_table(unsigned *n);
const kb_entry *explain_fallback_table(unsigned *n);
const kb_hint *explain_hint_table(unsigned *n);

#endif
