/* Amazon SES: DSNs from amazonses.com, and SNS notifications whose body is a
 * JSON document (Bounce, Complaint, Delivery), possibly wrapped in an SNS
 * envelope whose "Message" is the JSON as a string. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

/* Parses the first JSON object of the text; lines folded by the mailer
 * ("\n " inside strings) are joined first. */
static json_t *ses_load(const char *text, size_t n)
{
    const char *brace = memchr(text, '{', n);
    if (!brace)
        return NULL;
    strbuf joined;
    sb_init(&joined);
    for (const char *p = brace; p < text + n; p++) {
        if (*p == '\n' && p + 1 < text + n && p[1] == ' ') {
            p++;
            continue;
        }
        sb_add(&joined, p, 1);
    }
    json_t *doc = json_loadb(joined.s, joined.n, JSON_DISABLE_EOF_CHECK, NULL);
    sb_free(&joined);
    const char *inner = json_string_value(json_object_get(doc, "Message"));
    if (inner) {
        json_t *msg = json_loads(inner, 0, NULL);
        json_decref(doc);
        doc = msg;
    }
    if (doc && !json_is_object(doc)) {
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

static void ses_hit(scan_result *r, const char *addr, const char *status, const char *diag,
                    const char *reason)
{
    if (!addr)
        return;
    scan_hit *h = scan_result_add(r, addr, strlen(addr));
    if (!h)
        return;
    if (status && status_is_valid(status, strlen(status)))
        strcpy(h->status, status);
    if (diag) {   /* the JSON's own diagnostic beats whatever the line scan took */
        free(h->diagnostic);
        h->diagnostic = strdup(diag);
    }
    h->reason = reason;
}

static void amazonses_refine(const msg_view *m, scan_result *r)
{
    json_t *doc = ses_load(m->text.s, m->text.n);
    if (!doc)
        return;
    const char *type = json_string_value(json_object_get(doc, "notificationType"));
    size_t i;
    json_t *e;
    if (type && !strcmp(type, "Bounce")) {
        json_t *b = json_object_get(doc, "bounce");
        bool transient = !strcmp(json_string_value(json_object_get(b, "bounceType")) ?: "", "Transient");
        json_array_foreach(json_object_get(b, "bouncedRecipients"), i, e)
            ses_hit(r, json_string_value(json_object_get(e, "emailAddress")),
                    json_string_value(json_object_get(e, "status")),
                    json_string_value(json_object_get(e, "diagnosticCode")), NULL);
        if (transient)
            r->delayed = false;
    } else if (type && !strcmp(type, "Complaint")) {
        json_array_foreach(json_object_get(json_object_get(doc, "complaint"), "complainedRecipients"), i, e)
            ses_hit(r, json_string_value(json_object_get(e, "emailAddress")), NULL, NULL, "feedback");
    } else if (type && !strcmp(type, "Delivery")) {
        json_t *d = json_object_get(doc, "delivery");
        const char *resp = json_string_value(json_object_get(d, "smtpResponse"));
        json_array_foreach(json_object_get(d, "recipients"), i, e)
            ses_hit(r, json_string_value(e), "2.6.0", resp, "delivered");
    }
    json_decref(doc);
}

const mta_family mta_amazonses = {
    .name = "amazonses",
    .headers = L("From:amazonses.com", "X-SES-Outgoing:", "Feedback-ID:amazonses", "X-Original-Sender:amazonses"),
    .body = L("amazonses.com", "\"notificationType\""),
    .start = L("The following message to", "An error occurred while trying to deliver the mail"),
    .end = L("Content-Type: message/rfc822"),
    .diag = L("The reason for the problem:"),
    .refine = amazonses_refine,
};
