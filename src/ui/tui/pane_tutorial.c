/* pane_tutorial.c — the tutorial's chapter pane in the terminal
 * (rtviz --tutorial): where it goes in the layout, drawing it from the
 * player's lines (tutorial.h), and entering a chapter (a fresh Session on
 * its scenario, the view and θ step it asks for).
 *
 * Where it goes: when the terminal is wide enough for the full layout and 40
 * more columns (≥ 160×40), beside the whole live view at the right; else in
 * the network pane's place (the traced image, θ gauge and stats stay;
H  * hides the pane to show the network), and behind the gallery when `g` shows
 * it on a compact screen. */
#include <stdio.h>
#include <string.h>

#include "app.h"

#define TUT_MIN_W 40 /* the pane beside the live view */
#define TUT_MAX_W 60

void tut_layout(App *a, int rows, int cols) {
    a->tut_show = 0;
    if (!a->tut || a->tut->hidden || a->lo.mode == LAYOUT_TOO_SMALL) return;
    if (rows >= LAYOUT_FULL_H && cols - LAYOUT_FULL_W >= TUT_MIN_W) {
        int w = cols - LAYOUT_FULL_W > TUT_MAX_W ? TUT_MAX_W : cols - LAYOUT_FULL_W;
        tui_layout(&a->lo, rows, cols - w, a->u.lower_view);
        a->lo.cols = cols; /* what the screen is: a resize compares with it */
        a->tut_r = (Rect){0, cols - w, rows, w};
        a->tut_show = 1;
        return;
    }
    if (a->lo.mode == LAYOUT_COMPACT && a->u.lower_view) return; /* the gallery has the screen */
    if (!a->lo.show[PANE_NETWORK]) return;
    a->tut_r = a->lo.r[PANE_NETWORK];
    a->lo.show[PANE_NETWORK] = 0;
    a->tut_show = 1;
}

static void put_line(WINDOW *w, int y, int x, int maxw, const TutLine *l) {
    static const int role[] = {
        [TL_TITLE] = CLR_TITLE,    [TL_INFO] = CLR_DIM,    [TL_TEXT] = CLR_TEXT,
        [TL_QUESTION] = CLR_LABEL, [TL_ANSWER] = CLR_GOOD, [TL_HINT] = CLR_KEY_LABEL,
        [TL_BLANK] = CLR_TEXT};
    char buf[512];
    int n = l->len < (int)sizeof buf - 1 ? l->len : (int)sizeof buf - 1;
    memcpy(buf, l->text, (size_t)n);
    buf[n] = 0;
    tui_text(w, y, x, maxw, tui_attr((ColorRole)role[l->kind]), buf);
}

void tut_draw(App *a) {
    WINDOW *w = a->tut_win;
    if (!w || !a->tut) return;
    Rect r = {0, 0, a->tut_r.h, a->tut_r.w};
    werase(w);
    char pos[64];
    tutorial_position(a->tut, pos, sizeof pos);
    tui_box(w, r, pos, 1);
    int inner_w = r.w - 4, inner_h = r.h - 2;
    if (inner_w < 8 || inner_h < 3) {
        wnoutrefresh(w);
        return;
    }
    enum { MAXL = 256 };
    static TutLine head[MAXL], body[MAXL], foot[MAXL];
    int nh, nb, nf;
    tutorial_lines(a->tut, inner_w, head, &nh, body, &nb, foot, &nf, MAXL);
    if (nh > MAXL) nh = MAXL;
    if (nb > MAXL) nb = MAXL;
    if (nf > MAXL) nf = MAXL;
    /* the foot (question, answer, keys) always shows; then the head; the text gets the rest */
    int footn = nf < inner_h ? nf : inner_h;
    int headn = nh < inner_h - footn ? nh : inner_h - footn;
    int room = inner_h - footn - headn - (headn > 0 ? 1 : 0) - 1; /* blank lines between */
    if (room < 0) room = 0;
    int maxs = nb - room > 0 ? nb - room : 0;
    if (a->tut->scroll > maxs) a->tut->scroll = maxs;
    int y = 1;
    for (int i = 0; i < headn; i++)
        put_line(w, y++, 2, inner_w, &head[i]);
    if (headn > 0 && room > 0) y++;
    for (int i = 0; i < room && a->tut->scroll + i < nb; i++)
        put_line(w, y++, 2, inner_w, &body[a->tut->scroll + i]);
    if (nb > room && room > 0) {
        char more[48];
        snprintf(more, sizeof more, " PgDn %d-%d of %d ", a->tut->scroll + 1,
                 a->tut->scroll + room < nb ? a->tut->scroll + room : nb, nb);
        tui_text(w, r.h - 1, r.w - 2 - vm_strwidth(more), vm_strwidth(more), tui_attr(CLR_DIM),
                 more);
    }
    /* a foot taller than the pane: the question gives way first, then the answer's
     * end, so that the answer always shows from its start and the keys stay last */
    int from = nf - footn, upto = nf - 1; /* foot lines shown, then the keys' line */
    int ans = -1;
    for (int i = 0; i < nf && ans < 0; i++)
        if (foot[i].kind == TL_ANSWER) ans = i;
    if (ans >= 0 && from > ans) {
        from = ans;
        upto = ans + footn - 1;
    }
    y = 1 + inner_h - footn;
    for (int i = from; i < upto && y < inner_h; i++)
        put_line(w, y++, 2, inner_w, &foot[i]);
    put_line(w, y, 2, inner_w, &foot[nf - 1]);
    wnoutrefresh(w);
}

int tut_enter(App *a, char *err, size_t n) {
    RtErr e = {{0}};
    Scenario sc;
    if (tutorial_scenario(a->tut, a->tut->cur, &a->base, &sc, &e)) {
        snprintf(err, n, "%s", e.msg);
        return -1;
    }
    int usage = 0;
    /* the engine's worker pool is one for the process: the old run's thread must not
     * use it while the new run traces and measures its first image */
    session_lock(a->s);
    Session *s = session_open(&sc, &usage, &e);
    session_unlock(a->s);
    if (!s) {
        snprintf(err, n, "%s", e.msg);
        return -1;
    }
    /* the window draws the old Session: stop it before that Session goes */
    int had_win = a->sdl && sdlwin_open(a->sdl);
    sdlwin_stop(a->sdl);
    a->sdl = NULL;
    session_close(a->s);
    a->s = s;
    memset(&a->vs, 0, sizeof a->vs);
    session_snapshot(a->s, &a->vs);
    tutorial_note_session(a->tut, s, a->vs.dataset);
    int compact = a->u.compact, mouse = a->u.mouse;
    ui_state_init(&a->u, sc.step_ms);
    a->u.compact = compact;
    a->u.mouse = mouse;
    snprintf(a->u.notice, sizeof a->u.notice, "%s", session_notice(a->s));
    a->u.index = a->vs.subject.index;
    ui_start_anim(&a->u, &a->vs, rt_now());
    a->u.trace_seen = a->vs.trace_serial;
    a->u.retrace_next = rt_now() + 1.0;
    ActionCtx c = {.s = a->s, .tut = a->tut, .ui = &a->u, .vs = &a->vs, .now = rt_now()};
    action_apply_scenario(&c, &sc);
    a->u.lower_view = 0; /* compact: the chapter pane first; `g` shows the gallery */
    if (session_start(a->s, &e)) {
        snprintf(err, n, "%s", e.msg);
        return -1;
    }
    session_snapshot(a->s, &a->vs);
    if (had_win && (sdlwin_probe(&e) || !(a->sdl = sdlwin_start(a->s, &a->sdl_opts, &e))))
        snprintf(a->u.notice, sizeof a->u.notice, "projector window: %.200s", e.msg);
    a->full_redraw = 1;
    return 0;
}
