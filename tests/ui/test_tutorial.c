/* test_tutorial.c — the tutorial player (src/ui/tutorial.c) and the shipped
 * chapters: every chapter parses (and bad ones fail with one line naming
 * file, line and key), every <key> a chapter names is bound in the terminal,
 * the pane's lines fit and hold the question, and each chapter's scenario
 * runs headlessly through a Session, where its `trace`, `gallery` and `cliff` facts
 * must hold on what the screen is drawn from (the Session's ViewState), with
 * margins: no block's rate within 1e-3 of θ at a step a fact counts blocks
 * at, no top p within 1e-3 of τ before the stop. (tests/e2e/tutorial_facts.sh
 * checks the same facts and the `eval` ones with the rtviz commands.) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "tui/app.h"
#include "tutorial.h"

static Tutorial tut;

static void load(void) {
    RtErr e = {{0}};
    cr_assert_eq(tutorial_load(&tut, "tutorial", &e), 0, "%s", e.msg);
}

Test(tutorial, chapters_parse) {
    load();
    cr_assert_geq(tut.n, 10, "the tutorial has %d chapters", tut.n);
    for (int i = 0; i < tut.n; i++) {
        const TutChapter *c = &tut.ch[i];
        cr_assert(c->sc.title[0], "%s: no title", c->file);
        cr_assert(c->sc.model[0], "%s: no shipped model", c->file);
        cr_assert(c->sc.nfacts > 0, "%s: declares no facts", c->file);
        cr_assert(c->text[0] && c->question[0] && c->answer[0], "%s: text, Q and A", c->file);
        cr_assert(c->sc.paused, "%s: a chapter starts paused (its facts are the model's)", c->file);
        char pos[64];
        tutorial_select(&tut, i);
        tutorial_position(&tut, pos, sizeof pos);
        char want[64];
        snprintf(want, sizeof want, "chapter %d of %d", i + 1, tut.n);
        cr_assert_str_eq(pos, want);
    }
    tutorial_free(&tut);
}

/* One error naming the file, the line and the key (scenario_parse's), or the
 * missing question / answer. */
Test(tutorial, bad_chapters_name_file_line_key) {
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"title: x\ncolour: red\n\nQ: q\n\nA: a\n", "ch.md:2: unknown key 'colour'"},
        {"title: x\ntau: 2\n\nQ: q\n\nA: a\n", "ch.md:2: tau"},
        {"title: x\nview: sideways\n\nQ: q\n\nA: a\n", "ch.md:2: view"},
        {"title: x\ntheta: 0.3\n\nQ: q\n\nA: a\n", "ch.md:2: theta"},
        {"title: x\ntitle: y\n\nQ: q\n\nA: a\n", "ch.md:2: title: given twice"},
        {"title: x\nQ: q\n", "ch.md:2"},
        {"title: x\n\nsome text\n", "ch.md: no `Q: ` paragraph"},
        {"title: x\n\nQ: one\n\nQ: two\n\nA: a\n", "ch.md:5: a second Q:"},
        {"title: x\n\ntext\n\nQ: q?\n", "ch.md:5: the question has no `A: `"},
        {"title: x\n\nA: a\n\nQ: q\n", "ch.md:3: the A: paragraph comes before"},
    };
    static TutChapter c;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtErr e = {{0}};
        cr_assert_eq(tutorial_parse_chapter(cases[i].text, "dir/ch.md", &c, &e), -1, "case %zu", i);
        cr_assert(strstr(e.msg, cases[i].want), "case %zu: got '%s', want '%s'", i, e.msg,
                  cases[i].want);
        cr_assert(!strchr(e.msg, '\n'), "one line: %s", e.msg);
    }
    RtErr e = {{0}};
    cr_assert_eq(tutorial_parse_chapter("title: ok\nimage: 3\n\nLook.\n  a  table\n\nQ: Why?\n"
                                        "More.\n\nA: So.\n",
                                        "ch.md", &c, &e),
                 0, "%s", e.msg);
    cr_assert_str_eq(c.text, "Look.\n  a  table");
    cr_assert_str_eq(c.question, "Why? More.");
    cr_assert_str_eq(c.answer, "So.");
    cr_assert_eq(c.sc.trace_index, 3);
}

/* A key name as the chapters write it (<n>, <space>, <←>) → curses key. */
static int key_code(const char *name) {
    if (!strcmp(name, "space")) return ' ';
    if (!strcmp(name, "←")) return KEY_LEFT;
    if (!strcmp(name, "→")) return KEY_RIGHT;
    if (!strcmp(name, "Esc")) return 27;
    if (!strcmp(name, "Enter")) return '\n';
    if (!strcmp(name, "PgDn")) return KEY_NPAGE;
    if (!strcmp(name, "PgUp")) return KEY_PPAGE;
    if (strlen(name) == 1) return (unsigned char)name[0];
    return -1;
}

Test(tutorial, every_key_named_is_bound) {
    load();
    int named = 0;
    for (int i = 0; i < tut.n; i++) {
        const TutChapter *c = &tut.ch[i];
        for (int k = 0; k < c->nkeys; k++) {
            int code = key_code(c->keys[k]);
            cr_assert_neq(code, -1, "%s: <%s> is no key name", c->file, c->keys[k]);
            ActionArg arg;
            const KeyBinding *b = keys_find(code, KM_NORMAL, &arg);
            if (!b) b = keys_find(code, KM_DRAW, &arg);
            cr_assert_not_null(b, "%s: <%s> is not bound to any action", c->file, c->keys[k]);
            cr_assert(b->act > ACT_NONE && b->act < ACT_COUNT);
            named++;
        }
    }
    cr_assert_gt(named, 20, "the chapters name keys as <key> (%d found)", named);
    ActionArg arg;
    cr_assert_eq(keys_find(']', KM_NORMAL, &arg)->act, ACT_CHAPTER);
    cr_assert_eq(arg.dir, 1);
    cr_assert_eq(keys_find('[', KM_NORMAL, &arg)->act, ACT_CHAPTER);
    cr_assert_eq(arg.dir, -1);
    cr_assert_eq(keys_find('a', KM_NORMAL, &arg)->act, ACT_ANSWER);
    tutorial_free(&tut);
}

/* The pane's lines at 36 and 56 cells: every line fits, the question is
 * there, the answer only once revealed. A line kept as written (a table)
 * is cut, not wrapped, so it must fit the narrowest pane: 32 cells inside
 * at 80×24. */
#define TUT_NARROWEST 32
Test(tutorial, pane_lines_fit) {
    load();
    for (int i = 0; i < tut.n; i++)
        for (const char *p = tut.ch[i].text; *p;) {
            size_t l = strcspn(p, "\n");
            char buf[512];
            snprintf(buf, sizeof buf, "%.*s", (int)l, p);
            if (l >= 2 && p[0] == ' ' && p[1] == ' ')
                cr_assert_leq(vm_strwidth(buf), TUT_NARROWEST,
                              "%s: '%s' is cut in an 80x24 terminal (%d cells at most)",
                              tut.ch[i].file, buf, TUT_NARROWEST);
            p += l;
            if (*p) p++;
        }
    static TutLine h[256], b[256], f[256];
    for (int w = 36; w <= 56; w += 20)
        for (int i = 0; i < tut.n; i++) {
            tutorial_select(&tut, i);
            for (int rev = 0; rev < 2; rev++) {
                tut.revealed = rev;
                int nh, nb, nf;
                tutorial_lines(&tut, w, h, &nh, b, &nb, f, &nf, 256);
                cr_assert(nh >= 1 && nb >= 1 && nf >= 3, "%s", tut.ch[i].file);
                TutLine *all[3] = {h, b, f};
                int cnt[3] = {nh, nb, nf}, q = 0, a = 0;
                for (int p = 0; p < 3; p++)
                    for (int j = 0; j < cnt[p] && j < 256; j++) {
                        char buf[512];
                        snprintf(buf, sizeof buf, "%.*s", all[p][j].len, all[p][j].text);
                        cr_assert_leq(vm_strwidth(buf), w, "%s: '%s' wider than %d", tut.ch[i].file,
                                      buf, w);
                        q += all[p][j].kind == TL_QUESTION;
                        a += all[p][j].kind == TL_ANSWER;
                    }
                cr_assert_geq(q, 2, "%s: the question is shown", tut.ch[i].file);
                cr_assert(rev ? a >= 2 : a == 0, "%s: the answer %s", tut.ch[i].file,
                          rev ? "is shown" : "stays hidden");
            }
        }
    /* an 80x24 terminal: the pane 32 cells wide inside, 12 rows; the revealed
     * answer (its label, its lines, the keys) must fit them */
    for (int i = 0; i < tut.n; i++) {
        tutorial_select(&tut, i);
        tut.revealed = 1;
        int nh, nb, nf, na = 0;
        tutorial_lines(&tut, TUT_NARROWEST, h, &nh, b, &nb, f, &nf, 256);
        for (int j = 0; j < nf && j < 256; j++)
            na += f[j].kind == TL_ANSWER;
        cr_assert_leq(na + 1, 12, "%s: the answer takes %d rows at 80x24 (11 at most)",
                      tut.ch[i].file, na);
    }
    tutorial_free(&tut);
}

/* ---------------------------------------------------------------- facts */

static int near(double a, double b) { return fabs(a - b) < 1e-6; }

/* VALUE syntax of the facts (tests/e2e/tutorial_facts.py): X, A..B, ~X, >=X, <=X. */
static int value_ok(double got, const char *want) {
    char *end;
    if (want[0] == '~') {
        const char *dot = strchr(want, '.');
        int dec = dot ? (int)strlen(dot + 1) : 0;
        return fabs(got - strtod(want + 1, NULL)) <= 0.5 * pow(10, -dec) + 1e-9;
    }
    if (!strncmp(want, ">=", 2)) return got >= strtod(want + 2, NULL);
    if (!strncmp(want, "<=", 2)) return got <= strtod(want + 2, NULL);
    const char *dd = strstr(want, "..");
    if (dd) return got >= strtod(want, NULL) && got <= strtod(dd + 2, NULL);
    double x = strtod(want, &end);
    return *end == 0 && fabs(got - x) <= 1e-9 * fmax(1.0, fabs(x));
}

/* Block list of a step as `rtviz sweep` writes it: "L1:3,5 L2:1 L3:6". */
static void which(const RtTrace *t, int s, char *out, size_t n) {
    size_t len = 0;
    out[0] = 0;
    for (int l = 0; l < t->L; l++) {
        int first = 1;
        for (int b = 0; b < t->B; b++)
            if (t->active[s][l][b]) {
                if (first)
                    len +=
                        (size_t)snprintf(out + len, n - len, "%sL%d:%d", len ? " " : "", l + 1, b);
                else
                    len += (size_t)snprintf(out + len, n - len, ",%d", b);
                first = 0;
            }
    }
    if (!out[0]) snprintf(out, n, "-");
}

static int top_class(const RtTrace *t, int s) {
    if (t->mass[s] <= 0) return -1;
    return vm_argmax(t->prob[s], t->C);
}

static const char *class_of(const ViewState *vs, int k) { return k < 0 ? "" : vs->class_names[k]; }

/* Check one `trace` fact on session s; "" or why it fails. */
static void check_trace(Session *s, const Scenario *sc, char *toks[], int nt, char *why,
                        size_t wn) {
    RtErr e = {{0}};
    int index = atoi(toks[1]), i = 2;
    float tau = sc->flags.given & MF_TAU ? sc->flags.tau : -1, floor = sc->tc.floor;
    for (; i < nt && strchr(toks[i], '='); i++) {
        if (!strncmp(toks[i], "tau=", 4)) tau = strtof(toks[i] + 4, NULL);
        if (!strncmp(toks[i], "floor=", 6)) floor = strtof(toks[i] + 6, NULL);
        if (!strncmp(toks[i], "model=", 6)) {
            snprintf(why, wn, "model= facts are the e2e checker's");
            return;
        }
    }
    static ViewState vs0;
    memset(&vs0, 0, sizeof vs0);
    session_snapshot(s, &vs0);
    float tau0 = vs0.tau, floor0 = vs0.floor;
    /* the chapter's settings changed by Session commands, as a key would */
    if (tau >= 0) session_cmd_x(s, SES_SET_TAU, tau, &e);
    session_cmd_x(s, SES_SET_FLOOR, floor, &e);
    session_trace_test(s, index, &e);
    static ViewState vs;
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    session_cmd_x(s, SES_SET_TAU, tau0, &e);
    session_cmd_x(s, SES_SET_FLOOR, floor0, &e);
    const RtTrace *t = &vs.trace;
    int step = t->stop;
    if (i < nt && !strcmp(toks[i], "at")) {
        float th = strtof(toks[i + 1], NULL);
        step = -1;
        for (int k = 0; k < t->nsteps; k++)
            if (near(t->theta[k], th)) step = k;
        i += 2;
        if (step < 0) {
            snprintf(why, wn, "no step at θ %g", th);
            return;
        }
    }
    if (i + 1 >= nt + 1) {
        snprintf(why, wn, "no field");
        return;
    }
    const char *field = toks[i];
    char want[256] = "";
    for (int k = i + 1; k < nt; k++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", k > i + 1 ? " " : "",
                 toks[k]);
    /* margins: the stop must not move, counted blocks must not flip */
    for (int k = 0; k <= t->stop; k++) {
        int c = top_class(t, k);
        if (c >= 0 && fabs(t->prob[k][c] - vs.tau) < 1e-3) {
            snprintf(why, wn, "p %.4f at θ %g within 1e-3 of τ", t->prob[k][c], t->theta[k]);
            return;
        }
    }
    int counts = !strcmp(field, "blocks") || !strcmp(field, "active_blocks") ||
                 !strcmp(field, "act") || !strcmp(field, "which");
    if (counts && t->theta[step] > 0)
        for (int l = 0; l < t->L; l++)
            for (int b = 0; b < t->B; b++)
                if (t->rate[step][l][b] > 0 && fabs(t->rate[step][l][b] - t->theta[step]) < 1e-3) {
                    snprintf(why, wn, "block L%d:%d rate %.5f within 1e-3 of θ %g", l + 1, b,
                             t->rate[step][l][b], t->theta[step]);
                    return;
                }
    int c = top_class(t, step);
    char got[256];
    int ok;
    if (!strcmp(field, "stop_theta")) {
        double th = round(t->theta[t->stop] * 1e4) / 1e4; /* a float schedule value */
        snprintf(got, sizeof got, "%g", th);
        ok = value_ok(th, want);
    } else if (counts && strcmp(field, "which") && strcmp(field, "act")) {
        snprintf(got, sizeof got, "%d", t->nactive[step]);
        ok = value_ok(t->nactive[step], want);
    } else if (!strcmp(field, "act")) {
        double a = round(t->act_pct[step] * 10.0) / 10.0; /* as the screen prints it */
        snprintf(got, sizeof got, "%.1f", a);
        ok = value_ok(a, want);
    } else if (!strcmp(field, "which")) {
        which(t, step, got, sizeof got);
        ok = !strcmp(got, want);
    } else if (!strcmp(field, "mass")) {
        snprintf(got, sizeof got, "%g", t->mass[step]);
        ok = value_ok(t->mass[step], want);
    } else if (!strcmp(field, "pred")) {
        snprintf(got, sizeof got, "%s", class_of(&vs, c));
        ok = !strcmp(got, want) && c >= 0 && t->prob[step][c] > 0.5;
    } else if (!strcmp(field, "p")) {
        double p = c >= 0 ? t->prob[step][c] : 0;
        snprintf(got, sizeof got, "%.3f", p);
        ok = value_ok(round(p * 1000) / 1000, want);
    } else if (!strcmp(field, "label")) {
        snprintf(got, sizeof got, "%s", class_of(&vs, vs.trace_label));
        ok = !strcmp(got, want);
    } else if (!strcmp(field, "correct")) {
        int r = c >= 0 && c == vs.trace_label;
        snprintf(got, sizeof got, "%s", r ? "yes" : "no");
        ok = !strcmp(got, want);
    } else if (!strcmp(field, "unreached")) {
        int u = t->mass[t->stop] <= 0;
        snprintf(got, sizeof got, "%s", u ? "yes" : "no");
        ok = !strcmp(got, want);
    } else {
        snprintf(why, wn, "unknown field %s", field);
        return;
    }
    if (!ok) snprintf(why, wn, "got %.200s", got);
}

/* The gauge's cliff as the Session measures it (after the first test pass). */
static void check_cliff(Session *s, char *toks[], int nt, char *why, size_t wn) {
    static ViewState vs;
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    if (nt != 2) {
        snprintf(why, wn, "cliff needs one value");
        return;
    }
    if (!near(round(vs.floor_cliff * 100.0) / 100.0, strtod(toks[1], NULL)))
        snprintf(why, wn, "the gauge's cliff is %.2f", (double)vs.floor_cliff);
}

static void check_gallery(Session *s, char *toks[], int nt, char *why, size_t wn) {
    RtErr e = {{0}};
    static ViewState vs;
    memset(&vs, 0, sizeof vs);
    session_snapshot(s, &vs);
    for (int k = 0; k < 400 && !(vs.gallery_valid && vs.eval_fresh); k++) {
        session_cmd(s, SES_EVAL_SLICE, &e);
        session_snapshot(s, &vs);
    }
    if (!vs.gallery_valid) {
        snprintf(why, wn, "no gallery after a full test pass");
        return;
    }
    const VsGalleryItem *g = !strcmp(toks[1], "easy") ? vs.easy : vs.hard;
    int k = 2, first = VS_GALLERY;
    if (k < nt && !strncmp(toks[k], "first=", 6)) first = atoi(toks[k++] + 6);
    if (first < 1 || first > VS_GALLERY) first = VS_GALLERY;
    const char *field = k < nt ? toks[k] : "", *want = k + 1 < nt ? toks[k + 1] : "";
    if (!strcmp(field, "wrong")) {
        int w = 0;
        for (int i = 0; i < first; i++)
            w += g[i].pred != g[i].label;
        if (!value_ok(w, want)) snprintf(why, wn, "got %d wrong", w);
    } else if (!strcmp(field, "act")) {
        for (int i = 0; i < first; i++)
            if (!value_ok(round(g[i].act_pct), want)) {
                snprintf(why, wn, "#%d at %.1f%%", g[i].index, g[i].act_pct);
                return;
            }
    } else
        snprintf(why, wn, "unknown gallery field %s", field);
}

/* Every chapter opened as rtviz --tutorial opens it, on Fashion-MNIST and on
 * the sample set that replaces it when it is missing (its first 851 test
 * images are Fashion-MNIST's #0-#850, so the traced images and the gallery
 * must be the same); its trace and gallery facts checked on the Session's
 * ViewState. */
static int run_chapters(const char *dataset) {
    int checked = 0;
    for (int i = 0; i < tut.n; i++) {
        const TutChapter *c = &tut.ch[i];
        Scenario sc;
        RtErr e = {{0}};
        cr_assert_eq(tutorial_scenario(&tut, i, NULL, &sc, &e), 0, "%s", e.msg);
        sc.tc.threads = 2;
        if (dataset) {
            snprintf(sc.dataset, sizeof sc.dataset, "%s", dataset);
            sc.dataset_fallback = 0;
        }
        int usage = 0;
        Session *s = session_open(&sc, &usage, &e);
        cr_assert_not_null(s, "%s: %s", c->file, e.msg);
        cr_assert_eq(session_start(s, &e), 0, "%s: %s", c->file, e.msg);
        static ViewState vs;
        memset(&vs, 0, sizeof vs);
        session_snapshot(s, &vs);
        cr_assert_eq(vs.run_state, VS_PAUSED, "%s: starts paused", c->file);
        cr_assert_eq(vs.trace_index, sc.trace_index, "%s: traces its image", c->file);
        for (int f = 0; f < c->sc.nfacts; f++) {
            char buf[SCN_FACT_MAX], *toks[32];
            snprintf(buf, sizeof buf, "%s", c->sc.facts[f]);
            int nt = 0;
            for (char *p = strtok(buf, " "); p && nt < 32; p = strtok(NULL, " "))
                toks[nt++] = p;
            char why[256] = "";
            if (!strcmp(toks[0], "trace"))
                check_trace(s, &c->sc, toks, nt, why, sizeof why);
            else if (!strcmp(toks[0], "gallery"))
                check_gallery(s, toks, nt, why, sizeof why);
            else if (!strcmp(toks[0], "cliff"))
                check_cliff(s, toks, nt, why, sizeof why);
            else
                continue; /* eval facts: tests/e2e/tutorial_facts.sh */
            if (!strcmp(why, "model= facts are the e2e checker's")) continue;
            cr_expect(!why[0], "%s on %s: fact: %s: %s", c->file, vs.dataset, c->sc.facts[f], why);
            checked++;
        }
        session_close(s);
    }
    return checked;
}

Test(tutorial, facts_hold_on_the_sample_set_too, .timeout = 600) {
    load();
    int n = run_chapters("sample");
    cr_assert_gt(n, 40, "%d trace/gallery facts checked", n);
    tutorial_free(&tut);
}

Test(tutorial, scenarios_run_and_facts_hold, .timeout = 600) {
    load();
    RtErr e = {{0}};
    Dataset ds;
    memset(&ds, 0, sizeof ds);
    if (dataset_load("fashionmnist", &ds, &e)) /* scripts/deps.sh test installs it */
        cr_skip_test("Fashion-MNIST is not installed (%s); the sample set test still runs", e.msg);
    dataset_free(&ds);
    int n = run_chapters(NULL);
    cr_assert_gt(n, 40, "%d trace/gallery facts checked", n);
    tutorial_free(&tut);
}
