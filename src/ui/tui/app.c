/* app.c — the terminal UI's loop (docs/DESIGN.md §5, docs/UI.md). The Session
 * trains in its own thread; this loop sleeps in wgetch until a key arrives
 * or a frame is due (~31 ms). A key becomes an action (keys.c bindings →
 * action_run) with the engine held once for all its commands, then a fresh
 * snapshot; a frame takes the engine only to re-trace when due and to
 * snapshot. Pane models are updated and drawn from the private snapshot,
 * without the lock, with one doupdate(). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#define FRAME_S (1.0 / 32.0) /* ~31 ms: a margin above the 30 frames/s target */

/* ---------------------------------------------------------------- screen */

static void sync_layout(App *a);

/* Where the prompt's list of matches goes: above the key line, at the left. */
static Rect list_rect(int rows, int cols) {
    int h = rows - 4 < 16 ? rows - 4 : 16;
    int w = cols < 72 ? cols : 72;
    if (h < 3) h = 3;
    return (Rect){rows - 1 - h, 0, h, w};
}

static void set_mouse(App *a) {
    if (!a->mouse) return;
    mmask_t m = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED;
    if (a->u.draw_mode) m |= REPORT_MOUSE_POSITION; /* drag to paint */
    mousemask(m, NULL);
}

static void make_windows(App *a) {
    for (int i = 0; i < PANE_COUNT; i++) {
        if (a->win[i]) delwin(a->win[i]);
        a->win[i] = NULL;
    }
    if (a->help_win) delwin(a->help_win);
    a->help_win = NULL;
    if (a->alert_win) delwin(a->alert_win);
    a->alert_win = NULL;
    if (a->list_win) delwin(a->list_win);
    a->list_win = NULL;
    if (a->tut_win) delwin(a->tut_win);
    a->tut_win = NULL;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout(&a->lo, rows, cols, a->u.lower_view);
    tut_layout(a, rows, cols);
    sync_layout(a);
    if (a->lo.mode == LAYOUT_TOO_SMALL) return;
    for (int i = 0; i < PANE_COUNT; i++)
        if (a->lo.show[i]) {
            Rect r = a->lo.r[i];
            a->win[i] = newwin(r.h, r.w, r.y, r.x);
            if (a->win[i]) leaveok(a->win[i], TRUE);
        }
    Rect h = a->lo.help;
    a->help_win = newwin(h.h, h.w, h.y, h.x);
    if (a->tut_show) {
        Rect t = a->tut_r;
        a->tut_win = newwin(t.h, t.w, t.y, t.x);
        if (a->tut_win) leaveok(a->tut_win, TRUE);
        a->tut_dirty = 1;
    }
}

/* The front end's facts the actions need: compact layout, help paging. */
static void sync_layout(App *a) {
    a->u.compact = a->lo.mode == LAYOUT_COMPACT;
    int page = a->lo.help.h - 4;
    a->u.help_page = page > 1 ? page : 1;
    a->u.help_max = help_max_scroll((Rect){0, 0, a->lo.help.h, a->lo.help.w});
    a->pr.list_rows = list_rect(a->lo.rows, a->lo.cols).h - 2;
}

/* Pane models from the snapshot and the UI state (no lock: both are ours). */
static void update_panes(App *a) {
    double now = rt_now();
    ui_animate(&a->u, &a->vs, now);
    ui_observe(&a->u, &a->vs, now);
    vm_update(&a->pm, &a->vs, &a->u, now);
}

/* The alert over the panes (its own window, made when its size changes). */
static void render_alert(App *a, int rows, int cols) {
    if (!a->pm.alert || a->u.help) {
        if (a->alert_win) delwin(a->alert_win);
        a->alert_win = NULL;
        return;
    }
    Rect ar = tui_alert_rect(rows, cols, a->pm.alert_text);
    if (!a->alert_win || memcmp(&ar, &a->alert_r, sizeof ar)) {
        if (a->alert_win) delwin(a->alert_win);
        a->alert_win = newwin(ar.h, ar.w, ar.y, ar.x);
        a->alert_r = ar;
        if (!a->alert_win) return;
        leaveok(a->alert_win, TRUE);
    }
    Rect r = {0, 0, ar.h, ar.w};
    alert_draw(a->alert_win, r, a->pm.alert_title, a->pm.alert_text, a->pm.alert_bad);
    touchwin(a->alert_win); /* on top of any pane redrawn this frame */
    wnoutrefresh(a->alert_win);
}

/* The prompt's list of matches over the panes (its own window). */
static void render_list(App *a, int rows, int cols) {
    if (!a->pr.open || !a->pr.list_open) {
        if (a->list_win) {
            delwin(a->list_win);
            a->list_win = NULL;
            a->full_redraw = 1; /* repaint what it covered on the next frame */
        }
        return;
    }
    Rect lr = list_rect(rows, cols);
    if (!a->list_win || memcmp(&lr, &a->list_r, sizeof lr)) {
        if (a->list_win) delwin(a->list_win);
        a->list_win = newwin(lr.h, lr.w, lr.y, lr.x);
        a->list_r = lr;
        if (!a->list_win) return;
        leaveok(a->list_win, TRUE);
    }
    werase(a->list_win);
    prompt_draw_list(&a->pr, a->list_win, (Rect){0, 0, lr.h, lr.w});
    touchwin(a->list_win);
    wnoutrefresh(a->list_win);
}

/* Draw every pane from its own copy (no engine access: the training thread
 * may be running). update_panes() must have run under the lock before. */
static void render(App *a) {
    double t0 = rt_now();
    int lower = a->lo.mode == LAYOUT_COMPACT ? a->u.lower_view : 0, forced = 0;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    if (a->full_redraw || rows != a->lo.rows || cols != a->lo.cols ||
        (a->lo.mode == LAYOUT_COMPACT && lower != a->lo.show[PANE_LOWER])) {
        make_windows(a);
        clearok(curscr, TRUE);
        werase(stdscr);
        wnoutrefresh(stdscr);
        a->full_redraw = 0;
        forced = 1;
    }
    if (a->lo.mode == LAYOUT_TOO_SMALL) {
        tui_draw_too_small(stdscr, rows, cols);
        wnoutrefresh(stdscr);
    } else {
        /* redraw only the panes whose values changed since they were drawn */
        static NetPane net0;
        static GaugePane gauge0;
        static ImagePane img0;
        static GalleryPane gal0;
        static ConfPane conf0;
        static StatsPane stats0;
        static int conf_shown0 = -1, draw0 = -1, help0 = -1;
        int all = forced || conf_shown0 != a->u.confusion || draw0 != a->u.draw_mode ||
                  help0 != a->u.help || a->u.help;
        conf_shown0 = a->u.confusion;
        draw0 = a->u.draw_mode;
        help0 = a->u.help;
#define CHANGED(cur, old) (all || memcmp(&(cur), &(old), sizeof(cur)) ? ((old) = (cur), 1) : 0)
        int dirty[PANE_COUNT] = {0};
        dirty[PANE_GAUGE] = CHANGED(a->pm.gauge, gauge0);
        dirty[PANE_NETWORK] = CHANGED(a->pm.net, net0);
        dirty[PANE_IMAGE] = CHANGED(a->pm.img, img0);
        dirty[PANE_STATS] = CHANGED(a->pm.stats, stats0);
        dirty[PANE_LOWER] = a->u.confusion ? CHANGED(a->pm.conf, conf0) : CHANGED(a->pm.gal, gal0);
        dirty[PANE_KEYS] = all || a->pr_dirty || a->pr.open;
        a->pr_dirty = 0;
#undef CHANGED
        for (int i = 0; i < PANE_COUNT; i++) {
            WINDOW *w = a->win[i];
            if (!w || !dirty[i]) continue;
            werase(w);
            Rect r = {0, 0, a->lo.r[i].h, a->lo.r[i].w};
            switch (i) {
            case PANE_GAUGE:
                gauge_draw(&a->pm.gauge, w, r);
                break;
            case PANE_NETWORK:
                net_draw(&a->pm.net, w, r);
                break;
            case PANE_IMAGE:
                image_draw(&a->pm.img, w, r);
                break;
            case PANE_STATS:
                stats_draw(&a->pm.stats, w, r);
                break;
            case PANE_LOWER:
                if (a->u.confusion)
                    conf_draw(&a->pm.conf, w, r);
                else
                    gallery_draw(&a->pm.gal, w, r);
                break;
            case PANE_KEYS:
                if (a->pr.open)
                    prompt_draw(&a->pr, w, r);
                else
                    keys_draw_line(w, r, a->u.draw_mode, a->u.keys_page);
                break;
            }
            wnoutrefresh(w);
        }
        if (a->tut_win && (all || a->tut_dirty)) tut_draw(a);
        a->tut_dirty = 0;
        if (a->u.help && a->help_win) {
            Rect r = {0, 0, a->lo.help.h, a->lo.help.w};
            help_draw(a->help_win, r, a->u.draw_mode, a->u.help_scroll);
            wnoutrefresh(a->help_win);
        }
        render_alert(a, rows, cols);
        render_list(a, rows, cols);
    }
    doupdate();
    double dt = rt_now() - t0;
    a->draw_s += dt;
    a->avg_draw_s = a->frames ? 0.9 * a->avg_draw_s + 0.1 * dt : dt;
    a->frames++;
    if (!a->t_first_frame) {
        a->t_first_frame = rt_now();
        if (a->fstats)
            fprintf(a->fstats, "first_frame_ms %.1f\n", 1000.0 * (a->t_first_frame - a->t_start));
    }
}

/* ---------------------------------------------------------------- input */

static Reaction run_action(App *a, ActionId id, const ActionArg *arg) {
    ActionCtx c = {.s = a->s, .tut = a->tut, .ui = &a->u, .vs = &a->vs, .now = rt_now()};
    Reaction r = action_run(&c, id, arg);
    a->tut_dirty = 1;
    if (r & RE_CHAPTER) a->chapter_pending = 1;
    if (r & RE_FAILED) {
        snprintf(a->err, sizeof a->err, "%s", c.error);
        a->quit = 2;
    } else if (r & RE_QUIT)
        a->quit = 1;
    if (r & RE_POINTER) set_mouse(a);
    if (r & RE_RELAYOUT) a->full_redraw = 1;
    if (a->u.load_ask) { /* `l`: the path prompt, with the last directory loaded from */
        a->u.load_ask = 0;
        if (a->lo.mode == LAYOUT_TOO_SMALL)
            ui_status(&a->u, rt_now(), 1, "l: the terminal is too small for the prompt");
        else {
            prompt_open(&a->pr, "load image: ", a->load_dir);
            a->pr_dirty = 1;
        }
    }
    return r;
}

/* A key while the prompt is open: it takes every key; Enter loads. */
static void on_prompt_key(App *a, int ch) {
    PromptResult pr = prompt_key(&a->pr, ch);
    a->pr_dirty = 1;
    if (pr == PR_CANCEL) {
        ui_status(&a->u, rt_now(), 0, "load cancelled");
    } else if (pr == PR_SUBMIT) {
        static char path[PROMPT_MAX];
        snprintf(path, sizeof path, "%s", a->pr.buf);
        const char *sl = strrchr(path, '/');
        snprintf(a->load_dir, sizeof a->load_dir, "%.*s", sl ? (int)(sl - path) + 1 : 0, path);
        ActionArg arg = {.path = path};
        if (!path[0])
            ui_status(&a->u, rt_now(), 1, "load: no file name given (l asks again)");
        else
            run_action(a, ACT_LOAD, &arg);
    }
}

static void on_mouse(App *a) {
    MEVENT me;
    if (getmouse(&me) != OK) return;
    /* paint on press and drag; everything else acts on the release (a click
     * is press + release, and a fast pair may arrive as the release alone) */
    int press = (me.bstate & BUTTON1_PRESSED) != 0;
    int release = (me.bstate & (BUTTON1_RELEASED | BUTTON1_CLICKED)) != 0;
    int drag = (me.bstate & REPORT_MOUSE_POSITION) && a->u.painting;
    if (a->u.help) {
        if (release) run_action(a, ACT_HELP, NULL);
        return;
    }
    if (a->u.draw_mode && (press || drag) && a->lo.show[PANE_IMAGE] &&
        rect_contains(a->lo.r[PANE_IMAGE], me.y, me.x)) {
        Rect r = a->lo.r[PANE_IMAGE];
        Rect rr = {0, 0, r.h, r.w};
        ActionArg arg = {0};
        if (image_hit(&a->pm.img, rr, me.y - r.y, me.x - r.x, &arg.y, &arg.x) == 0)
            run_action(a, ACT_PAINT_AT, &arg);
        return;
    }
    if (release) a->u.painting = 0;
    if (!release) return;
    if (a->lo.show[PANE_LOWER] && !a->u.confusion && a->vs.gallery_valid &&
        rect_contains(a->lo.r[PANE_LOWER], me.y, me.x)) {
        Rect r = a->lo.r[PANE_LOWER];
        Rect rr = {0, 0, r.h, r.w};
        ActionArg arg = {.index = gallery_hit(rr, me.y - r.y, me.x - r.x)};
        if (arg.index >= 0) run_action(a, ACT_GALLERY_PICK, &arg);
    }
}

/* Handle one input event; returns 1 if it may change the screen. */
static int on_input(App *a, int ch) {
    if (ch == KEY_RESIZE) {
        a->full_redraw = 1;
        return 1;
    }
    if (a->pr.open) {
        if (ch == KEY_MOUSE) {
            MEVENT me;
            getmouse(&me); /* the prompt takes the keys; a click does nothing meanwhile */
            return 0;
        }
        on_prompt_key(a, ch);
        return 1;
    }
    if (ch == KEY_MOUSE) {
        on_mouse(a);
        return 1;
    }
    ActionArg arg;
    const KeyBinding *k;
    if (a->u.quit_ask && (ch == 'y' || ch == 'Y')) { /* the answer to "quit?" */
        run_action(a, ACT_QUIT, NULL);
        return 1;
    }
    if (a->u.help) { /* scroll keys scroll it; ?, Esc, q and ^L do what they do; others close it */
        if ((k = keys_find(ch, KM_HELP, &arg))) {
            run_action(a, k->act, &arg);
            return 1;
        }
        if (ch != '?' && ch != 'q' && ch != 'Q' && ch != 12 && ch != 27) {
            run_action(a, ACT_HELP, NULL);
            return 1;
        }
    }
    int mode = a->u.draw_mode ? KM_DRAW : KM_NORMAL;
    k = keys_find(ch, mode, &arg);
    if (k && k->act == ACT_QUIT && a->lo.mode == LAYOUT_TOO_SMALL)
        a->u.quit_ask = 1; /* no room to ask: "enlarge to 64×20" is all there is */
    if (!k) {
        /* a key of the other mode, or of none: say so rather than nothing */
        const KeyBinding *o = keys_find(ch, mode == KM_DRAW ? KM_NORMAL : KM_DRAW, &arg);
        char name[16];
        keys_char_name(ch, name, sizeof name);
        if (a->u.quit_ask) run_action(a, ACT_NONE, NULL); /* any other key stays */
        if (o && mode == KM_DRAW)
            ui_status(&a->u, rt_now(), 0, "%s works outside draw mode (%s); d goes back", name,
                      action_name(o->act));
        else if (o)
            ui_status(&a->u, rt_now(), 0, "%s works in draw mode (%s): d starts drawing", name,
                      action_name(o->act));
        else if (ch > 0 && ch < KEY_MIN)
            ui_status(&a->u, rt_now(), 0, "%s does nothing here: ? lists the keys", name);
        else
            return 0;
        return 1;
    }
    run_action(a, k->act, &arg);
    return 1;
}

/* Handle ch (unless ERR) and every other pending event; returns how many
 * changed the screen. (No ungetch: it would lose mouse events.) */
static int poll_input(App *a, int ch) {
    int changed = 0;
    wtimeout(stdscr, 0);
    if (ch == ERR) ch = wgetch(stdscr);
    while (ch != ERR) {
        changed += on_input(a, ch);
        if (a->quit) break;
        ch = wgetch(stdscr);
    }
    return changed;
}

/* ---------------------------------------------------------------- loop */

static void key_rendered(App *a, double k0) {
    double lat = rt_now() - k0;
    a->key_lat_sum += lat;
    if (lat > a->key_lat_max) a->key_lat_max = lat;
    a->keys++;
    if (a->fstats) fprintf(a->fstats, "key_ms %.2f\n", 1000.0 * lat);
}

int app_run(App *a, const Scenario *sc) {
    make_windows(a);
    set_mouse(a);
    session_snapshot(a->s, &a->vs);
    a->u.index = a->vs.subject.index;
    a->u.saved_step = a->vs.step; /* 0, or the step of the checkpoint it started from */
    a->u.pace = sc->pace > 0 ? (int)sc->pace : 0;
    ui_start_anim(&a->u, &a->vs, rt_now());
    a->u.trace_seen = a->vs.trace_serial;
    a->u.retrace_next = rt_now() + 1.0;
    if (sc->view != SCN_VIEW_NETWORK || sc->theta_step >= 0) {
        ActionCtx c = {.s = a->s, .ui = &a->u, .vs = &a->vs, .now = rt_now()};
        Reaction r = action_apply_scenario(&c, sc);
        if (a->tut) a->u.lower_view = 0; /* compact: the chapter pane first; `g`: the gallery */
        if (r & RE_POINTER) set_mouse(a);
        if (r & RE_RELAYOUT) make_windows(a);
    }
    update_panes(a);
    a->full_redraw = 1; /* also refreshes stdscr once, so wgetch never repaints it */
    render(a);
    RtErr e = {{0}};
    if (session_start(a->s, &e)) {
        snprintf(a->err, sizeof a->err, "%.250s", e.msg);
        return -1;
    }
    /* the run state as started: a key before the first frame (space) must
     * see it running, not the paused state of before the start */
    session_snapshot(a->s, &a->vs);
    double sched = rt_now() + FRAME_S; /* when the next frame is due */
    while (!a->quit && !tui_signal) {
        /* wait for input until the frame is due (wakes at once on a key) */
        double now = rt_now();
        int ms = now < sched ? (int)ceil((sched - now) * 1000.0) : 0;
        wtimeout(stdscr, ms);
        int ch = wgetch(stdscr);
        if (ch != ERR) {
            double k0 = rt_now();
            session_lock(a->s); /* one engine pause for every command of these keys */
            int changed = poll_input(a, ch);
            if (changed && !a->quit) session_snapshot(a->s, &a->vs);
            session_unlock(a->s);
            if (a->quit) break;
            if (a->chapter_pending) { /* after the unlock: the old Session closes */
                char msg[RT_ERRLEN];
                a->chapter_pending = 0;
                if (tut_enter(a, msg, sizeof msg)) ui_status(&a->u, rt_now(), 1, "%s", msg);
                set_mouse(a);
            }
            if (changed) {
                update_panes(a);
                render(a);
                key_rendered(a, k0);
            }
        }
        int tc = sdlwin_tutorial_changed(a->sdl); /* the tutorial's keys in the window */
        if (tc & SDLWIN_TUT_CHAPTER) {
            char msg[RT_ERRLEN];
            if (tut_enter(a, msg, sizeof msg)) ui_status(&a->u, rt_now(), 1, "%s", msg);
            set_mouse(a);
        } else if (tc & SDLWIN_TUT_PANE) {
            a->tut_dirty = 1;
            a->full_redraw = 1;
        }
        if (rt_now() < sched) continue;
        double f0 = rt_now();
        session_lock(a->s);
        double f1 = rt_now();
        if (ui_retrace_due(&a->u, &a->vs, f0)) {
            SessionCmd c = {.id = SES_RETRACE};
            session_do(a->s, &c, &e);
        }
        session_snapshot(a->s, &a->vs);
        session_unlock(a->s);
        double tw = rt_now();
        update_panes(a);
        int idle = a->vs.run_state != VS_RUNNING && !a->u.animating && a->vs.eval_fresh;
        long step = a->vs.step;
        render(a);
        if (a->fstats)
            fprintf(a->fstats,
                    "frame_at_ms %.1f lock_wait_ms %.2f work_ms %.2f draw_ms %.2f step %ld\n",
                    1000.0 * (f0 - a->t_start), 1000.0 * (f1 - f0), 1000.0 * (tw - f1),
                    1000.0 * (rt_now() - tw), step);
        sched += FRAME_S;
        if (sched < rt_now() - FRAME_S) sched = rt_now(); /* fell behind: resync */
        if (idle) sched = rt_now() + 0.1;                 /* nothing moves: fewer frames */
    }
    return a->quit == 2 ? -1 : 0;
}

void app_free(App *a) {
    for (int i = 0; i < PANE_COUNT; i++)
        if (a->win[i]) delwin(a->win[i]);
    if (a->help_win) delwin(a->help_win);
    if (a->alert_win) delwin(a->alert_win);
    if (a->list_win) delwin(a->list_win);
    if (a->tut_win) delwin(a->tut_win);
    memset(a->win, 0, sizeof a->win);
    a->help_win = a->alert_win = a->tut_win = a->list_win = NULL;
}
