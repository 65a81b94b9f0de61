/* The triage screen (ncursesw): groups, messages, the side pane with the
 * knowledge base's advice, tags, marks and the confirmed deletion. The only
 * module that includes curses. */
#ifndef REBOTE_TUI_H
#define REBOTE_TUI_H

#include <stdbool.h>
#include "rebote/cache.h"
#include "rebote/load.h"
#include "rebote/source.h"

typedef struct {
    source *src;
    cache *cache;              /* may be NULL */
    load_result *loaded;       /* records; the screen drops the deleted ones */
    const char *title;         /* the source as the user named it */
    bool color;                /* false: --no-color or NO_COLOR */
    bool read_only;            /* --read-only, or deletion impossible: shown in the header; $ refused */
    /* Reloads the source into *loaded (r key); returns 0 or fills err. */
    int (*reload)(void *ctx, char *err, size_t errlen);
    /* While the source loads in the background: appends the records that
     * arrived to *loaded and updates its counts; returns 1 while loading
     * (status holds the progress), 0 when done, -1 when the load failed
     * (status holds the error). NULL: everything is loaded already. */
    int (*poll)(void *ctx, char *status, size_t len);
    void *ctx;
    bool interrupted;          /* out: the user left with Ctrl-C (the caller exits 130) */
    const char *read_only_why; /* with read_only, why, shown in the header ("no UIDPLUS"); NULL: --read-only */
} tui_context;

/* Runs the screen until the user quits. Returns 0, or 1 when the terminal
 * could not be used (the error line is in err). */
int tui_run(tui_context *t, char *err, size_t errlen);
/* Async-signal-safe: the screen ends at the next key or interruption
 * (SIGHUP, SIGTERM: the SSH connection dropped). Nothing is deleted. */
void tui_request_quit(void);
/* Async-signal-safe, for SIGINT: Ctrl-C cancels an open prompt, question,
 * menu or pager as Esc does; on the main screen it quits as q does (asking
 * when deletions are pending) and tui_context.interrupted is set. */
void tui_request_interrupt(void);

#endif
