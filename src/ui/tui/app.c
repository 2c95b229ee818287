/* app.c — the terminal UI's loop (docs/DESIGN.md §5, docs/UI.md). Training runs
 * back to back in its own thread, with a test-set slice when one is due; one
 * mutex guards the engine, and that thread yields it between minibatches
 * whenever the UI asks. Each frame (~31 ms) the UI thread takes the lock only
 * to handle keys and mouse, advance the sweep animation and copy the
 * view-state into the panes (and, while paused, to finish a test pass); it
 * draws without the lock, with one doupdate(). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#define FRAME_S (1.0 / 32.0) /* ~31 ms: a margin above the 30 frames/s target */

void app_status(App *a, int bad, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    a->v.status_bad = bad;
    a->status_until = rt_now() + 4.0;
}

/* ---------------------------------------------------------------- tracing */

static void start_anim(App *a) {
    a->v.step = 0;
    a->v.animating = a->vs->trace.nsteps > 1 && a->vs->trace.stop > 0;
    if (!a->v.animating) a->v.step = a->vs->trace.stop;
    a->manual_step = 0;
    a->anim_next = rt_now() + a->step_ms / 1000.0;
}

void app_trace_test(App *a, int i) {
    int n = a->ds.test.n;
    if (n <= 0) return;
    i %= n;
    if (i < 0) i += n;
    a->index = i;
    trainer_trace_test(a->t, i);
    start_anim(a);
    a->retrace_next = rt_now() + 1.0;
}

void app_trace_canvas(App *a) {
    trainer_trace_image(a->t, a->canvas, -1);
    a->v.animating = 0;
    a->manual_step = 0;
    a->v.step = a->vs->trace.stop;
    a->retrace_next = rt_now() + 1.0;
}

void app_replay(App *a) { start_anim(a); }

/* Refresh the trace of the same image with the current weights (training
 * changes them); keeps the animation or the hand-picked step. */
static void refresh_trace(App *a) {
    if (a->v.draw_mode)
        trainer_trace_image(a->t, a->canvas, -1);
    else
        trainer_trace_test(a->t, a->index);
    if (!a->v.animating && !a->manual_step) a->v.step = a->vs->trace.stop;
    if (a->v.step >= a->vs->trace.nsteps) a->v.step = a->vs->trace.nsteps - 1;
}

void app_paint(App *a, int py, int px, int strong) {
    int h = a->vs->h, w = a->vs->w, ch = a->vs->ch;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int y = py + dy, x = px + dx;
            if (y < 0 || y >= h || x < 0 || x >= w) continue;
            int v = (dy == 0 && dx == 0) ? 255 : (dy == 0 || dx == 0) ? (strong ? 190 : 150) : 60;
            for (int c = 0; c < ch; c++) {
                uint8_t *p = &a->canvas[(size_t)c * h * w + (size_t)y * w + x];
                if (*p < v) *p = (uint8_t)v;
            }
        }
}

void app_set_mouse(App *a) {
    if (!a->mouse) return;
    mmask_t m = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED;
    if (a->v.draw_mode) m |= REPORT_MOUSE_POSITION; /* drag to paint */
    mousemask(m, NULL);
}

/* ---------------------------------------------------------------- engine */

static int engine_build(App *a, RtErr *e) {
    memset(&a->model, 0, sizeof a->model);
    if (a->o.model) {
        CkptMeta meta;
        memset(&meta, 0, sizeof meta);
        adam_free(&a->adam0);
        memset(&a->adam0, 0, sizeof a->adam0);
        if (ckpt_load(a->o.model, &a->model, &a->adam0, &meta, e)) return -1;
        a->have_adam0 = a->adam0.n > 0;
        if (a->model.cfg.D != a->ds.test.d || a->model.cfg.C != a->ds.classes) {
            rt_err(e, "%s: the model takes %d inputs and %d classes, dataset %s has %d and %d",
                   a->o.model, a->model.cfg.D, a->model.cfg.C, a->ds.name, a->ds.test.d,
                   a->ds.classes);
            model_free(&a->model);
            return -1;
        }
        if (a->o.given & OPTBIT(OPT_TAU)) a->model.cfg.tau = a->o.tau;
        if (!(a->o.given & OPTBIT(OPT_SEED))) a->tc.seed = meta.seed;
        a->mc = a->model.cfg;
    } else if (model_init(&a->model, &a->mc, a->tc.seed, e))
        return -1;
    a->t = trainer_new(&a->model, &a->ds, &a->tc, a->have_adam0 ? &a->adam0 : NULL, e);
    if (!a->t) {
        model_free(&a->model);
        return -1;
    }
    a->vs = trainer_view(a->t);
    memset(a->v.mlp_width, 0, sizeof a->v.mlp_width);
    if (a->model.cfg.arch == ARCH_MLP)
        for (int l = 0; l < a->model.cfg.nhidden && l < RT_MAX_L; l++)
            a->v.mlp_width[l] = a->model.cfg.hidden[l];
    a->eval_mark = 0;
    a->eval_fresh = 0;
    return 0;
}

static void engine_free(App *a) {
    if (a->t) trainer_free(a->t);
    a->t = NULL;
    a->vs = NULL;
    model_free(&a->model);
}

int app_restart(App *a) {
    float floor = a->vs->floor, tau = a->vs->tau;
    engine_free(a);
    RtErr e = {{0}};
    a->tc.floor = floor;
    if (engine_build(a, &e)) {
        snprintf(a->notice, sizeof a->notice, "restart failed: %.200s", e.msg);
        a->quit = 2;
        return -1;
    }
    trainer_set_tau(a->t, tau);
    app_alert_clear(a);
    app_status(a, 0, "restarted with seed %llu%s: the same run replays%s",
               (unsigned long long)a->tc.seed, a->o.model ? " from the checkpoint" : "",
               a->v.paused ? " (paused: space resumes)" : "");
    if (a->v.draw_mode)
        app_trace_canvas(a);
    else
        app_trace_test(a, a->index);
    return 0;
}

void app_save(App *a) {
    CkptMeta meta;
    memset(&meta, 0, sizeof meta);
    meta.seed = a->tc.seed;
    meta.step = (uint64_t)a->vs->step;
    meta.epoch = (uint32_t)a->vs->epoch;
    snprintf(meta.dataset, sizeof meta.dataset, "%s", a->ds.name);
    RtErr e = {{0}};
    if (ckpt_save(a->save_path, trainer_model(a->t), trainer_adam(a->t), &meta, &e))
        app_status(a, 1, "save failed: %s", e.msg);
    else
        app_status(a, 0, "saved step %ld to %s", a->vs->step, a->save_path);
}

int app_step_result(App *a, int rc, const RtErr *e) {
    if (rc == 0) return 0;
    char brief[256];
    if (rc < 0) {
        snprintf(a->alert, sizeof a->alert,
                 "Training stopped on an error: %.300s\n\nS saves the weights as they are  ·  R "
                 "restarts from the start  ·  q quits  ·  Esc hides this note",
                 e->msg);
        snprintf(brief, sizeof brief, "training error: %.200s", e->msg);
        a->alert_bad = 1;
    } else {
        tui_nan_notice(e->msg, a->alert, sizeof a->alert, brief, sizeof brief);
        a->alert_bad = 0;
    }
    a->v.paused = 1;
    app_status(a, 1, "%s", brief);
    a->status_until = 1e300; /* until training resumes */
    return 1;
}

void app_alert_clear(App *a) {
    if (a->alert[0]) a->full_redraw = 1; /* repaint what it covered */
    a->alert[0] = 0;
    if (a->status_until > 1e299) a->status_until = 0;
}

void app_train_one(App *a) {
    RtErr e = {{0}};
    double t0 = rt_now();
    int rc = trainer_step(a->t, 1, &e);
    a->train_s += rt_now() - t0;
    a->samples += a->tc.batch;
    a->eval_fresh = 0;
    refresh_trace(a);
    if (app_step_result(a, rc, &e) == 0) {
        app_alert_clear(a);
        app_status(a, 0, "one minibatch: step %ld, loss %.3f", a->vs->step, (double)a->vs->loss);
    }
}

/* ---------------------------------------------------------------- screen */

static void make_windows(App *a) {
    for (int i = 0; i < PANE_COUNT; i++) {
        if (a->win[i]) delwin(a->win[i]);
        a->win[i] = NULL;
    }
    if (a->help_win) delwin(a->help_win);
    a->help_win = NULL;
    if (a->alert_win) delwin(a->alert_win);
    a->alert_win = NULL;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout(&a->lo, rows, cols, a->v.lower_view);
    if (a->lo.mode == LAYOUT_TOO_SMALL) return;
    for (int i = 0; i < PANE_COUNT; i++)
        if (a->lo.show[i]) {
            Rect r = a->lo.r[i];
            a->win[i] = newwin(r.h, r.w, r.y, r.x);
            if (a->win[i]) leaveok(a->win[i], TRUE);
        }
    Rect h = a->lo.help;
    a->help_win = newwin(h.h, h.w, h.y, h.x);
}

static void update_panes(App *a) {
    double now = rt_now();
    a->v.status = now < a->status_until ? a->status : "";
    if (!a->v.status[0] && a->notice[0]) a->v.status = a->notice;
    const ViewState *vs = a->vs;
    net_update(&a->net, vs, &a->v);
    gauge_update(&a->gauge, vs, &a->v);
    image_update(&a->img, vs, &a->v);
    gallery_update(&a->gal, vs, &a->v);
    conf_update(&a->conf, vs, &a->v);
    stats_update(&a->stats, vs, &a->v);
    memcpy(a->alert_drawn, a->alert, sizeof a->alert_drawn);
    a->alert_drawn_bad = a->alert_bad;
}

/* The alert over the panes (its own window, made when its size changes). */
static void render_alert(App *a, int rows, int cols) {
    if (!a->alert_drawn[0] || a->help) {
        if (a->alert_win) delwin(a->alert_win);
        a->alert_win = NULL;
        return;
    }
    Rect ar = tui_alert_rect(rows, cols, a->alert_drawn);
    if (!a->alert_win || memcmp(&ar, &a->alert_r, sizeof ar)) {
        if (a->alert_win) delwin(a->alert_win);
        a->alert_win = newwin(ar.h, ar.w, ar.y, ar.x);
        a->alert_r = ar;
        if (!a->alert_win) return;
        leaveok(a->alert_win, TRUE);
    }
    Rect r = {0, 0, ar.h, ar.w};
    alert_draw(a->alert_win, r, a->alert_drawn_bad ? "training stopped" : "training paused",
               a->alert_drawn, a->alert_drawn_bad);
    touchwin(a->alert_win); /* on top of any pane redrawn this frame */
    wnoutrefresh(a->alert_win);
}

/* Draw every pane from its own copy (no engine access: the training thread
 * may be running). update_panes() must have run under the lock before. */
static void render(App *a) {
    double t0 = rt_now();
    int lower = a->lo.mode == LAYOUT_COMPACT ? a->v.lower_view : 0, forced = 0;
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
        int all = forced || conf_shown0 != a->v.confusion || draw0 != a->v.draw_mode ||
                  help0 != a->help || a->help;
        conf_shown0 = a->v.confusion;
        draw0 = a->v.draw_mode;
        help0 = a->help;
#define CHANGED(cur, old) (all || memcmp(&(cur), &(old), sizeof(cur)) ? ((old) = (cur), 1) : 0)
        int dirty[PANE_COUNT] = {0};
        dirty[PANE_GAUGE] = CHANGED(a->gauge, gauge0);
        dirty[PANE_NETWORK] = CHANGED(a->net, net0);
        dirty[PANE_IMAGE] = CHANGED(a->img, img0);
        dirty[PANE_STATS] = CHANGED(a->stats, stats0);
        dirty[PANE_LOWER] = a->v.confusion ? CHANGED(a->conf, conf0) : CHANGED(a->gal, gal0);
        dirty[PANE_KEYS] = all;
#undef CHANGED
        for (int i = 0; i < PANE_COUNT; i++) {
            WINDOW *w = a->win[i];
            if (!w || !dirty[i]) continue;
            werase(w);
            Rect r = {0, 0, a->lo.r[i].h, a->lo.r[i].w};
            switch (i) {
            case PANE_GAUGE:
                gauge_draw(&a->gauge, w, r);
                break;
            case PANE_NETWORK:
                net_draw(&a->net, w, r);
                break;
            case PANE_IMAGE:
                image_draw(&a->img, w, r);
                break;
            case PANE_STATS:
                stats_draw(&a->stats, w, r);
                break;
            case PANE_LOWER:
                if (a->v.confusion)
                    conf_draw(&a->conf, w, r);
                else
                    gallery_draw(&a->gal, w, r);
                break;
            case PANE_KEYS:
                keys_draw_line(w, r, a->v.draw_mode);
                break;
            }
            wnoutrefresh(w);
        }
        if (a->help && a->help_win) {
            Rect r = {0, 0, a->lo.help.h, a->lo.help.w};
            help_draw(a->help_win, r, a->v.draw_mode, a->help_scroll);
            wnoutrefresh(a->help_win);
        }
        render_alert(a, rows, cols);
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

static void on_mouse(App *a) {
    MEVENT me;
    if (getmouse(&me) != OK) return;
    /* paint on press and drag; everything else acts on the release (a click
     * is press + release, and a fast pair may arrive as the release alone) */
    int press = (me.bstate & BUTTON1_PRESSED) != 0;
    int release = (me.bstate & (BUTTON1_RELEASED | BUTTON1_CLICKED)) != 0;
    int drag = (me.bstate & REPORT_MOUSE_POSITION) && a->painting;
    if (a->help) {
        if (release) a->help = 0, a->full_redraw = 1;
        return;
    }
    if (a->v.draw_mode && (press || drag) && a->lo.show[PANE_IMAGE] &&
        rect_contains(a->lo.r[PANE_IMAGE], me.y, me.x)) {
        Rect r = a->lo.r[PANE_IMAGE];
        int py, px;
        Rect rr = {0, 0, r.h, r.w};
        if (image_hit(&a->img, rr, me.y - r.y, me.x - r.x, &py, &px) == 0) {
            app_paint(a, py, px, 1);
            if (py + 1 < a->vs->h) app_paint(a, py + 1, px, 1); /* a cell is two pixels */
            a->v.cur_y = py;
            a->v.cur_x = px;
            a->painting = 1;
            app_trace_canvas(a);
        }
        return;
    }
    if (release) a->painting = 0;
    if (!release) return;
    if (a->lo.show[PANE_LOWER] && !a->v.confusion && a->vs->gallery_valid &&
        rect_contains(a->lo.r[PANE_LOWER], me.y, me.x)) {
        Rect r = a->lo.r[PANE_LOWER];
        Rect rr = {0, 0, r.h, r.w};
        int cell = gallery_hit(rr, me.y - r.y, me.x - r.x);
        if (a->vs->arch == ARCH_MLP && cell >= VS_GALLERY) cell = -1; /* one group only */
        if (cell >= 0) {
            const VsGalleryItem *it =
                cell < VS_GALLERY ? &a->vs->easy[cell] : &a->vs->hard[cell - VS_GALLERY];
            a->v.gallery_sel = cell;
            if (a->v.draw_mode) {
                a->v.draw_mode = 0;
                app_set_mouse(a);
            }
            app_trace_test(a, it->index);
            app_status(a, 0, "tracing test image #%d (%s)", it->index,
                       cell < VS_GALLERY ? "easy" : "hard");
            if (a->lo.mode == LAYOUT_COMPACT) a->v.lower_view = 0; /* show its sweep */
        }
    }
}

/* Handle one input event; returns 1 if it may change the screen. */
static int on_input(App *a, int ch) {
    if (ch == KEY_RESIZE) {
        a->full_redraw = 1;
        return 1;
    }
    if (ch == KEY_MOUSE) {
        on_mouse(a);
        return 1;
    }
    if (a->help) { /* scroll keys scroll it */
        int page = a->lo.help.h - 4 > 1 ? a->lo.help.h - 4 : 1, s = a->help_scroll;
        int maxs = help_max_scroll((Rect){0, 0, a->lo.help.h, a->lo.help.w});
        switch (ch) {
        case KEY_UP:
            s--;
            break;
        case KEY_DOWN:
            s++;
            break;
        case KEY_PPAGE:
            s -= page;
            break;
        case KEY_NPAGE:
            s += page;
            break;
        case KEY_HOME:
            s = 0;
            break;
        case KEY_END:
            s = maxs;
            break;
        default:
            s = -100;
        }
        if (s != -100) {
            a->help_scroll = s < 0 ? 0 : s > maxs ? maxs : s;
            return 1;
        }
    }
    if (a->help && ch != '?' && ch != 'q' && ch != 12) { /* any other key closes the overlay */
        a->help = 0;
        a->full_redraw = 1;
        return 1;
    }
    return keys_dispatch(a, ch);
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

/* ------------------------------------------------------- training thread */

/* The engine is not thread-safe: one mutex guards it. The training thread
 * holds it while it runs a minibatch and yields between minibatches whenever
 * the UI asks (ui_wants), so a frame or a key waits at most one minibatch and
 * training never waits for drawing. */
static void ui_lock(App *a) {
    atomic_fetch_add(&a->ui_wants, 1);
    pthread_mutex_lock(&a->mu);
}

static void ui_unlock(App *a) {
    atomic_fetch_sub(&a->ui_wants, 1);
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

/* A test slice is due: the test set gets EVAL_SHARE of the training time
 * (Fashion-MNIST: a full pass, i.e. fresh gallery, confusion matrix and test
 * accuracy, every ~4 s), so training keeps ~94% of its headless speed. */
#define EVAL_SHARE 0.06
static int eval_due(const App *a) { return a->eval_s < EVAL_SHARE * a->train_s + 0.05; }

static void eval_slice(App *a) {
    double s0 = rt_now();
    if (trainer_eval_slice(a->t) == 1) {
        a->eval_fresh = a->vs->step == a->eval_mark;
        a->eval_mark = a->vs->step;
    }
    a->eval_s += rt_now() - s0;
}

static void *train_thread(void *arg) {
    App *a = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the UI thread */
    pthread_mutex_lock(&a->mu);
    while (!a->th_stop) {
        if (a->v.paused || atomic_load(&a->ui_wants) > 0) {
            pthread_cond_wait(&a->cv, &a->mu);
            continue;
        }
        if (eval_due(a)) {
            eval_slice(a);
            continue;
        }
        RtErr e = {{0}};
        double s0 = rt_now();
        int rc = trainer_step(a->t, 1, &e);
        double dt = rt_now() - s0;
        a->avg_step_s = a->avg_step_s > 0 ? 0.9 * a->avg_step_s + 0.1 * dt : dt;
        a->train_s += dt;
        a->samples += a->tc.batch;
        a->eval_fresh = 0;
        app_step_result(a, rc, &e);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

/* The UI's share of a frame (under the lock): a test slice while paused
 * (until a pass has seen the current weights), the sweep animation, the
 * periodic re-trace, then copy everything the panes draw. */
static void frame_work(App *a) {
    if (a->v.paused && !a->eval_fresh) eval_slice(a);
    double now = rt_now();
    if (a->v.animating && now >= a->anim_next) {
        a->v.step++;
        a->anim_next = now + a->step_ms / 1000.0;
        if (a->v.step >= a->vs->trace.stop) {
            a->v.step = a->vs->trace.stop;
            a->v.animating = 0;
        }
    }
    if (!a->v.animating && !a->v.paused && now >= a->retrace_next) {
        refresh_trace(a);
        a->retrace_next = now + 1.0;
    }
    update_panes(a);
}

static void key_rendered(App *a, double k0) {
    double lat = rt_now() - k0;
    a->key_lat_sum += lat;
    if (lat > a->key_lat_max) a->key_lat_max = lat;
    a->keys++;
    if (a->fstats) fprintf(a->fstats, "key_ms %.2f\n", 1000.0 * lat);
}

int app_run(App *a) {
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    atomic_init(&a->ui_wants, 0);
    make_windows(a);
    if (a->v.draw_mode)
        app_trace_canvas(a);
    else
        app_trace_test(a, a->index);
    update_panes(a);
    a->full_redraw = 1; /* also refreshes stdscr once, so wgetch never repaints it */
    render(a);
    if (pthread_create(&a->th, NULL, train_thread, a) != 0) {
        snprintf(a->notice, sizeof a->notice, "cannot start the training thread");
        return -1;
    }
    double sched = rt_now() + FRAME_S; /* when the next frame is due */
    double last = rt_now();
    while (!a->quit && !tui_signal) {
        /* wait for input until the frame is due (wakes at once on a key) */
        double now = rt_now();
        int ms = now < sched ? (int)ceil((sched - now) * 1000.0) : 0;
        wtimeout(stdscr, ms);
        int ch = wgetch(stdscr);
        if (ch != ERR) {
            double k0 = rt_now();
            ui_lock(a);
            int changed = poll_input(a, ch);
            if (changed && !a->quit) update_panes(a);
            ui_unlock(a);
            if (a->quit) break;
            if (changed) {
                render(a);
                key_rendered(a, k0);
            }
        }
        if (rt_now() < sched) continue;
        double f0 = rt_now();
        ui_lock(a);
        double f1 = rt_now();
        if (!a->v.paused) a->run_wall_s += f0 - last;
        last = f0;
        frame_work(a);
        int paused = a->v.paused, idle = a->v.paused && !a->v.animating && a->eval_fresh;
        long step = a->vs->step;
        ui_unlock(a);
        double tw = rt_now();
        render(a);
        if (a->fstats)
            fprintf(a->fstats,
                    "frame_at_ms %.1f lock_wait_ms %.2f work_ms %.2f draw_ms %.2f step %ld\n",
                    1000.0 * (f0 - a->t_start), 1000.0 * (f1 - f0), 1000.0 * (tw - f1),
                    1000.0 * (rt_now() - tw), step);
        (void)paused;
        sched += FRAME_S;
        if (sched < rt_now() - FRAME_S) sched = rt_now(); /* fell behind: resync */
        if (idle) sched = rt_now() + 0.1;                 /* nothing moves: fewer frames */
    }
    ui_lock(a);
    a->th_stop = 1;
    ui_unlock(a);
    pthread_join(a->th, NULL);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    return a->quit == 2 ? -1 : 0;
}

void app_free(App *a) {
    for (int i = 0; i < PANE_COUNT; i++)
        if (a->win[i]) delwin(a->win[i]);
    if (a->help_win) delwin(a->help_win);
    if (a->alert_win) delwin(a->alert_win);
    engine_free(a);
    adam_free(&a->adam0);
}

int app_engine_start(App *a, RtErr *e) { return engine_build(a, e); }
