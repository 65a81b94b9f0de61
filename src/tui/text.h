/* The text the screen shows, built by pure functions: wrapped lines for the
 * side pane, the pager and the help, the rows of the lists, the header and
 * the status line. No curses here: the tui draws what these return, so the
 * cmocka tests read the same words the user reads. */
#ifndef REBOTE_TUI_TEXT_H
#define REBOTE_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>
#include "rebote/explain.h"
#include "rebote/view.h"

/* How a line is drawn; the tui maps each style to its colour role. */
typedef enum { TEXT_NORMAL, TEXT_BOLD, TEXT_HEADING, TEXT_ERROR, TEXT_HARD, TEXT_SOFT, TEXT_NOFAIL } text_style;

/* What a row is, for its colour (doc/rebote.1, "Hard and soft failures"):
 * a hard failure (the address itself is bad: remove it), a soft one (the
 * message, the sender or the moment failed: the address may be fine), or
 * not a failure at all (auto-replies, feedback reports, not a bounce). */
typedef enum { TEXT_SEV_HARD, TEXT_SEV_SOFT, TEXT_SEV_NONE } text_severity;

typedef struct {
    char **line;
    text_style *style;
    size_t n, cap;
    int width;          /* columns to wrap at */
} text_lines;

/* One character of s (n > 0 bytes left) as the screen draws it: *wc the
 * character drawn (U+FFFD for an invalid byte, a space for a tab; where
 * the locale cannot print it, LANG=C, its ASCII fallback: '-' for dashes,
 * 'a' for 'á', '^' for '↑'; '?' only when there is none), *cols its columns, 0 when it is not drawn
 * at all (controls, bidi, invisible and zero-width characters:
 * sanitize_cp_width). Returns the bytes it takes. Every measure of the
 * screen goes through it, so what is counted is what is drawn. */
size_t text_cell(const char *s, size_t n, wchar_t *wc, int *cols);
/* Where the line that starts at p[start] (plen bytes in all) ends in w
 * columns after `used` columns already taken; with at_space, at the last
 * space that fits when a word goes on past the edge. Always past start
 * when start < plen (a character with no room goes alone). */
size_t text_cut(const char *p, size_t start, size_t plen, int used, int w, bool at_space);
/* The columns text_cell gives s whole. */
int text_width(const char *s);
/* s cut to at most cols columns (never inside a character) and padded with
 * spaces to exactly cols, into out (len bytes): printf's %-N.Ns by columns. */
void text_fit(char *out, size_t len, const char *s, int cols);

void text_push(text_lines *L, const char *s, size_t len, text_style style);
/* Adds text wrapped at L->width (by display columns, at spaces when it can);
 * lines after the first align under the indent. */
void text_wrap(text_lines *L, const char *indent, const char *text, text_style style);
/* "Label: value", wrapped; nothing when value is empty. */
void text_field(text_lines *L, const char *label, const char *value);
void text_free(text_lines *L);

/* The side pane's line for a recognised provider or list: "Recognised:" and
 * the hint's title (as the CLI says it), the provider's name before it only
 * when the title does not name it already (hints without a provider have no name). */
void text_hint_heading(const kb_hint *h, char *out, size_t len);
/* The knowledge layer's answer for the record, then the record itself
 * (full: every field, for the pager). */
void text_explain(text_lines *L, const rb_record *r, bool full);

/* What a reason name of the analysis ("norelaying") means in a few words
 * ("relaying denied"), translated; NULL for an unknown name. */
const char *text_reason_text(const char *reason);
/* What a record is, in the few words of a group's breakdown: the provider
 * or list recognised in its diagnostic, else what its reason or kind says. */
const char *text_record_label(const rb_record *r);
/* The side pane on a group (the focus on the groups): the group's code (or
 * reason, domain, remote MTA), its counts, what is inside it (the distinct
 * providers and kinds with their counts, the codes, the top remote MTAs),
 * then what the code means and what to do. Not its first bounce's advice.
 * memo: NULL, or one slot per record of v->rs (NULL when not known yet)
 * where each record's text_record_label is kept between calls. */
void text_group_explain(text_lines *L, const view *v, const model_group *g, const char **memo);

/* A record: hard when rb_record.hardbounce, none when it is no bounce nor delay, else soft. */
text_severity text_record_severity(const rb_record *r);
/* A group: none when none of its records is a failure, hard when most of
 * its failures are hard (model_group.hard), else soft. */
text_severity text_group_severity(const model_group *g);
/* The end of the help: the limit's patterns (text_limit_help_lines), the
 * definition of hard and soft and the legend of the colours. */
void text_legend_lines(text_lines *L);
/* The kinds "kind:" takes: "bounce, delay, feedback, autoreply, ..., none
 * (not a bounce)", each with the name the screen gives its group when that
 * is another ("feedback (queja)"). */
void text_limit_kinds(char *out, size_t len);
/* The help's lines on the limit's patterns: fields, kind names. */
void text_limit_help_lines(text_lines *L);
/* Why the limit pattern was refused (rc: VIEW_PATTERN_NO_VALUE, _NO_KIND):
 * "domain: needs a value; ...", "kind: "x" is not a kind (...)". */
void text_limit_error(char *out, size_t len, int rc, const char *pattern);
/* The same for the other pattern keys (/, T, ^T, D, U): "nothing was done". */
void text_pattern_error(char *out, size_t len, int rc, const char *pattern, bool limit);

/* ' ' when no record of the group has the flag, all when every one has, some otherwise. */
char text_flag_char(const view *v, const model_group *g, unsigned char flag, char all, char some);
/* A group key as the screen shows it: "(autoreply)", "(feedback)", "(not a
 * bounce)" translated (the model's keys stay English), others as they are. */
const char *text_group_key(const char *key);
/* The columns the group keys of the view take, at most `most` (at least 9). */
int text_group_key_width(const view *v, int most);
/* A row of the group list; max is the largest group's record count (for
 * the bar), keyw the columns of the key (a longer key ends with "…"). */
void text_group_row(char *out, size_t len, const view *v, const model_group *g, size_t max, int keyw);
/* The column headings over the group rows, for keys keyw columns wide. */
void text_group_columns(char *out, size_t len, const view *v, int keyw);
/* Appends where the selection is in a list of n ("  12/33", 1-based) to
 * the pane heading in out; nothing when the list is empty. */
void text_position(char *out, size_t len, size_t sel, size_t n);
/* The code and recipient columns of the bounce rows. */
enum { TEXT_RCPT_COLS = 28, TEXT_CODE_COLS = 11 };   /* "451 4.7.650" */
/* The reply itself in a diagnostic, without its wrapper ("Technical details
 * of permanent failure:", "Remote host said:", "because:", "<<< ", the
 * session's "RCPT TO:<...>:") and without the codes the code column shows;
 * the whole diagnostic when nothing is left. Points into r->diagnostic. */
const char *text_reply(const rb_record *r);
/* text_fit, but a cut ends with "…" ("..." where the locale cannot draw it). */
/* "…", or "..." where the locale cannot draw it. */
const char *text_ellipsis(void);
void text_fit_ellipsis(char *out, size_t len, const char *s, int cols);
/* A row of the bounce list for record ri: marks, date, code, recipient (an
 * ellipsis where it is cut), the reply; feedback reports their type and
 * source; mail that is no bounce its sender and subject. */
void text_bounce_row(char *out, size_t len, const view *v, size_t ri);
/* The column headings over the bounce rows. */
void text_bounce_columns(char *out, size_t len);
/* The marks for deletion as $ deletes them: every marked message, whatever
 * the limit shows; those of them the limit hides (none of their marked
 * records passes it); the groups they fall in under the view's grouping.
 * Records without a message key cannot be deleted and are not counted.
 * Returns -1 when out of memory (counts then 0). */
typedef struct {
    size_t messages, hidden, groups;
} text_marks;
int text_count_marks(const view *v, text_marks *m);
/* The counts kept while nothing they depend on changed (a pass over the
 * flags decides): the status line asks at every redraw. */
typedef struct {
    unsigned long long sig;
    bool valid;
    text_marks m;
} text_marks_memo;
int text_count_marks_memo(const view *v, text_marks_memo *memo, text_marks *m);
/* $'s question: "Delete 39 messages (2 groups), 31 of them hidden by the
 * limit, from TITLE? [y/N] ", shortened to cols columns by whole parts
 * (the mailbox goes first, then the groups, ending "…"); the count, the
 * hidden ones and the answer "[y/N]" always stay. */
void text_commit_question(char *out, size_t len, const text_marks *m, const char *title, int cols);
/* A question ending in its answer hint ("... Quit? [y/N] ") fitted to cols
 * columns: when too long, cut after a whole word, "…", the hint whole. */
void text_question_fit(char *out, size_t len, const char *q, int cols);
/* A line built from parts: each part is kept whole or left out, never cut
 * inside; when the parts do not fit in cols columns the lowest priority
 * goes first (the last of equal ones), and the line ends with "…" when
 * something went. TEXT_PRIO_ALWAYS parts always stay. sep comes before the
 * part when a part precedes it. */
enum { TEXT_PRIO_ALWAYS = 100, TEXT_MAX_PARTS = 16 };
typedef struct {
    const char *text, *sep;
    int prio;
} text_part;
void text_join(char *out, size_t len, const text_part *parts, size_t n, int cols);
/* The header line at cols columns: the limit's pattern and, when deleting
 * is not possible, a read-only flag are always there. */
void text_header(char *out, size_t len, const char *title, size_t messages, const view *v, int cols, bool read_only);
/* The same with why it is read-only: NULL (it is not), "" ("[read-only]"),
 * or a reason ("[read-only: no UIDPLUS]"). messages is TEXT_LOADING while
 * the mailbox loads (its count is not known yet: never "No bounces"). */
#define TEXT_LOADING ((size_t)-1)
void text_header_read_only(char *out, size_t len, const char *title, size_t messages, const view *v, int cols,
                           const char *read_only);
/* The status line's counts (progress: NULL, or the loader's progress while
 * it loads; memo: NULL, or where the mark counts are kept between calls),
 * shortened to cols columns by whole parts; the marks always stay. */
void text_status(char *out, size_t len, const view *v, bool tagged_next, const char *progress,
                 text_marks_memo *memo, int cols);

/* What a new limit lets through, the kinds counted apart ("27 feedback
 * reports match the limit", "Limit cleared: 334 bounces, 10 delays, ..."):
 * an auto-reply is no bounce. */
void text_limit_result(char *out, size_t len, const view *v);
/* What an export wrote to path: the recipients CSV its rows (list, rows);
 * a summary the kinds of the records sel[0..n) of rs it summarises
 * ("Wrote F (summary of 334 bounces, 29 auto-replies)"), tagged: of the tagged. */
void text_export_result(char *out, size_t len, const char *path, const rb_records *rs, const size_t *sel, size_t n,
                        bool tagged, bool list, size_t rows);

/* The last row of a pane whose text goes on below it: "↓ 12 more lines". */
void text_more_line(char *out, size_t len, size_t hidden);
/* The lines of L that rows rows do not show when the last of them says
 * "↓ N more lines" (blank lines at the end not counted); 0 when it all fits. */
size_t text_lines_hidden(const text_lines *L, int rows);

#endif
