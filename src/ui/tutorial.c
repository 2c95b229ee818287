/* tutorial.c — the tutorial player: chapters loaded and parsed, the current
 * one, its Scenario for a Session, and its lines for a pane (tutorial.h). */
#define _POSIX_C_SOURCE 200809L
#include "tutorial.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/opts.h"
#include "dataset.h"
#include "viewmodel.h"

#define CHAPTER_FILE_MAX (64 * 1024) /* a chapter is a page of text */

#ifndef RTVIZ_PREFIX
#define RTVIZ_PREFIX "/usr/local"
#endif

/* ---------------------------------------------------------------- files */

static int is_chapter_name(const char *s) {
    size_t n = strlen(s);
    return n > 6 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '-' &&
           !strcmp(s + n - 3, ".md");
}

static int has_chapter(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *de;
    int found = 0;
    while (!found && (de = readdir(d)))
        found = is_chapter_name(de->d_name);
    closedir(d);
    return found;
}

int tutorial_find_dir(char *out, size_t n, RtErr *e) {
    char cand[5][1024];
    int k = 0;
    const char *env = getenv("RTVIZ_TUTORIAL");
    if (env && *env) snprintf(cand[k++], sizeof cand[0], "%s", env);
    snprintf(cand[k++], sizeof cand[0], "tutorial");
    char exe[1024];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l > 0) {
        exe[l] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        snprintf(cand[k++], sizeof cand[0], "%.1000s/tutorial", exe);
        snprintf(cand[k++], sizeof cand[0], "%.990s/../share/rtviz/tutorial", exe);
    }
    snprintf(cand[k++], sizeof cand[0], "%s/share/rtviz/tutorial", RTVIZ_PREFIX);
    for (int i = 0; i < k; i++)
        if (has_chapter(cand[i])) {
            snprintf(out, n, "%s", cand[i]);
            return 0;
        }
    return rt_err(e,
                  "no tutorial chapters (NN-name.md) in $RTVIZ_TUTORIAL, ./tutorial, next to the "
                  "executable or in %s/share/rtviz/tutorial",
                  RTVIZ_PREFIX);
}

/* The whole of a small regular file, NUL-terminated (caller frees). */
static char *slurp(const char *path, RtErr *e) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        rt_err(e, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
        fclose(f);
        rt_err(e, "%s: not a regular file", path);
        return NULL;
    }
    if (st.st_size > CHAPTER_FILE_MAX) {
        fclose(f);
        rt_err(e, "%s: %lld bytes, a chapter is at most %d", path, (long long)st.st_size,
               CHAPTER_FILE_MAX);
        return NULL;
    }
    char *buf = rt_calloc((size_t)st.st_size + 1, 1, path, e);
    if (!buf) {
        fclose(f);
        return NULL;
    }
    size_t got = fread(buf, 1, (size_t)st.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != (size_t)st.st_size) {
        free(buf);
        rt_err(e, "%s: read error", path);
        return NULL;
    }
    return buf;
}

/* ---------------------------------------------------------------- parsing */

/* Append src[0..n) to dst (of cap bytes); 0, or -1 when it does not fit. */
static int append(char *dst, size_t cap, const char *src, size_t n) {
    size_t l = strlen(dst);
    if (l + n + 1 > cap) return -1;
    memcpy(dst + l, src, n);
    dst[l + n] = 0;
    return 0;
}

/* The text's keys: every <name> of up to 15 bytes without spaces. */
static void collect_keys(TutChapter *c, const char *s) {
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        const char *q = strchr(p + 1, '>');
        if (!q || q == p + 1 || q - p - 1 > 15) continue;
        if (memchr(p + 1, ' ', (size_t)(q - p - 1))) continue;
        if (c->nkeys < 32) {
            memcpy(c->keys[c->nkeys], p + 1, (size_t)(q - p - 1));
            c->keys[c->nkeys][q - p - 1] = 0;
            c->nkeys++;
        }
    }
}

int tutorial_parse_chapter(const char *text, const char *file, TutChapter *c, RtErr *e) {
    memset(c, 0, sizeof *c);
    const char *base = strrchr(file, '/');
    snprintf(c->file, sizeof c->file, "%s", base ? base + 1 : file);
    if (scenario_parse(text, c->file, &c->sc, e)) return -1;
    /* the text: paragraphs (joined into one line each), lines starting with
     * two spaces kept as they are, then the Q: and A: paragraphs */
    char *part = c->text;
    size_t cap = sizeof c->text;
    int line = c->sc.body_line, nq = 0, na = 0, qline = 0, in_par = 0, gap = 0;
    for (const char *s = text + c->sc.body_off; *s; line++) {
        size_t n = strcspn(s, "\n");
        size_t k = n > 0 && s[n - 1] == '\r' ? n - 1 : n;
        const char *ln = s;
        s += n + (s[n] ? 1 : 0);
        size_t lead = 0;
        while (lead < k && ln[lead] == ' ')
            lead++;
        if (lead == k) { /* blank: the paragraph ends */
            in_par = 0;
            gap = 1;
            continue;
        }
        if (!strncmp(ln, "Q: ", 3) || !strncmp(ln, "A: ", 3)) {
            int q = ln[0] == 'Q';
            if (q ? nq++ : na++)
                return rt_err(e, "%s:%d: a second %s paragraph (a chapter asks one question)",
                              c->file, line, q ? "Q:" : "A:");
            if (!q && !nq)
                return rt_err(e, "%s:%d: the A: paragraph comes before any Q:", c->file, line);
            if (q) qline = line;
            part = q ? c->question : c->answer;
            cap = q ? sizeof c->question : sizeof c->answer;
            ln += 3;
            k -= 3;
            in_par = gap = 0;
        }
        int verbatim = lead >= 2 && part == c->text;
        const char *sep = !part[0] ? "" : gap ? "\n\n" : in_par && !verbatim ? " " : "\n";
        if (append(part, cap, sep, strlen(sep)) || append(part, cap, ln, k))
            return rt_err(e, "%s:%d: the chapter's text is longer than %zu bytes", c->file, line,
                          cap - 1);
        in_par = !verbatim;
        gap = 0;
    }
    if (!nq) return rt_err(e, "%s: no `Q: ` paragraph (each chapter asks one question)", c->file);
    if (!na)
        return rt_err(e, "%s:%d: the question has no `A: ` paragraph after it", c->file, qline);
    collect_keys(c, text + c->sc.body_off);
    return 0;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tutorial_load(Tutorial *t, const char *dir, RtErr *e) {
    memset(t, 0, sizeof *t);
    if (dir)
        snprintf(t->dir, sizeof t->dir, "%s", dir);
    else if (tutorial_find_dir(t->dir, sizeof t->dir, e))
        return -1;
    DIR *d = opendir(t->dir);
    if (!d) return rt_err(e, "%s: cannot open: %s", t->dir, strerror(errno));
    char *names[TUT_MAX_CHAPTERS];
    int n = 0, over = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!is_chapter_name(de->d_name)) continue;
        if (n == TUT_MAX_CHAPTERS) {
            over = 1;
            break;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) break;
        n++;
    }
    closedir(d);
    int rc = 0;
    if (over) rc = rt_err(e, "%s: more than %d chapters", t->dir, TUT_MAX_CHAPTERS);
    if (!rc && n == 0) rc = rt_err(e, "%s: no chapters (NN-name.md)", t->dir);
    if (!rc) {
        qsort(names, (size_t)n, sizeof names[0], cmp_name);
        t->ch = rt_calloc((size_t)n, sizeof *t->ch, "tutorial chapters", e);
        if (!t->ch) rc = -1;
    }
    for (int i = 0; !rc && i < n; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", t->dir, names[i]);
        char *text = slurp(path, e);
        if (!text) {
            rc = -1;
            break;
        }
        rc = tutorial_parse_chapter(text, path, &t->ch[i], e);
        free(text);
        if (!rc) t->n = i + 1;
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    if (rc) tutorial_free(t);
    return rc;
}

void tutorial_free(Tutorial *t) {
    free(t->ch);
    t->ch = NULL;
    t->n = 0;
}

void tutorial_select(Tutorial *t, int i) {
    t->cur = i < 0 ? 0 : i >= t->n ? t->n - 1 : i;
    t->revealed = 0;
    t->scroll = 0;
    t->hidden = 0;
    t->notice[0] = 0;
}

int tutorial_scenario(const Tutorial *t, int i, const Scenario *base, Scenario *out, RtErr *e) {
    if (i < 0 || i >= t->n) return rt_err(e, "no chapter %d (the tutorial has %d)", i + 1, t->n);
    const TutChapter *c = &t->ch[i];
    *out = c->sc;
    if (out->model[0] && !strchr(out->model, '/')) {
        char path[SCN_PATH_MAX];
        int w = snprintf(path, sizeof path, "%s/models/%s", rtviz_assets_dir(), out->model);
        if (w < 0 || (size_t)w >= sizeof path)
            return rt_err(e, "%s: the model path is too long", c->file);
        snprintf(out->model, sizeof out->model, "%s", path);
    }
    if (out->model[0] && access(out->model, R_OK))
        return rt_err(e, "%s: model %s: %s (make models makes it)", c->file, out->model,
                      strerror(errno));
    out->dataset_fallback = !out->dataset[0] || !strcmp(out->dataset, "fashionmnist");
    if (base) {
        out->step_ms = base->step_ms;
        out->tc.threads = base->tc.threads;
        snprintf(out->save, sizeof out->save, "%s", base->save);
    }
    return 0;
}

void tutorial_note_session(Tutorial *t, Session *s, const char *dataset_in_use) {
    (void)s;
    const Scenario *sc = &t->ch[t->cur].sc;
    const char *want = sc->dataset[0] ? sc->dataset : "fashionmnist";
    if (dataset_in_use && strcmp(want, dataset_in_use) && !strcmp(dataset_in_use, "sample"))
        snprintf(t->notice, sizeof t->notice,
                 "%s is not installed: this runs on the sample set, 1,000 test images whose "
                 "first 851 are #0-#850. The traced images and the gallery are as the text says; "
                 "figures over the whole test set differ.",
                 !strcmp(want, "fashionmnist") ? "Fashion-MNIST" : want);
    else if (dataset_in_use && strcmp(want, dataset_in_use))
        snprintf(t->notice, sizeof t->notice,
                 "%s is not installed: this runs on %s; the numbers differ from the text.", want,
                 dataset_in_use);
    else
        t->notice[0] = 0;
}

/* ---------------------------------------------------------------- lines */

/* Wrap text (paragraphs separated by "\n\n", verbatim lines starting with
 * two spaces) into out[*n..max) as kind. */
static void wrap_into(const char *text, int width, int kind, TutLine *out, int *n, int max) {
    for (const char *p = text; *p;) {
        size_t l = strcspn(p, "\n");
        if (l == 0) {
            if (*n < max) out[*n] = (TutLine){TL_BLANK, p, 0};
            (*n)++;
        } else if (l >= 2 && p[0] == ' ' && p[1] == ' ') {
            /* verbatim: as written, cut to the width (whole code points) */
            int cells = 0;
            size_t b = 0;
            while (b < l) {
                size_t cl = 1;
                while (b + cl < l && ((unsigned char)p[b + cl] & 0xC0) == 0x80)
                    cl++;
                if (cells + 1 > width) break;
                cells++;
                b += cl;
            }
            if (*n < max) out[*n] = (TutLine){kind, p, (int)b};
            (*n)++;
        } else {
            char par[TUT_TEXT_MAX];
            size_t m = l < sizeof par - 1 ? l : sizeof par - 1;
            memcpy(par, p, m);
            par[m] = 0;
            int st[256], ln[256];
            int k = vm_wrap(par, width, st, ln, 256);
            for (int i = 0; i < k && i < 256; i++) {
                if (*n < max) out[*n] = (TutLine){kind, p + st[i], ln[i]};
                (*n)++;
            }
        }
        p += l;
        if (*p == '\n') p++;
    }
}

void tutorial_lines(const Tutorial *t, int width, TutLine *head, int *nhead, TutLine *body,
                    int *nbody, TutLine *foot, int *nfoot, int max) {
    *nhead = *nbody = *nfoot = 0;
    if (t->n <= 0) return;
    const TutChapter *c = &t->ch[t->cur];
    wrap_into(c->sc.title, width, TL_TITLE, head, nhead, max);
    static char model_line[256];
    const char *m = c->sc.model;
    if (m[0]) {
        const char *b = strrchr(m, '/');
        snprintf(model_line, sizeof model_line,
                 "Starts from the shipped, already trained assets/models/%.150s.", b ? b + 1 : m);
        wrap_into(model_line, width, TL_INFO, head, nhead, max);
    }
    if (t->notice[0]) wrap_into(t->notice, width, TL_INFO, head, nhead, max);
    wrap_into(c->text, width, TL_TEXT, body, nbody, max);
    static const char q[] = "Question:";
    if (*nfoot < max) foot[*nfoot] = (TutLine){TL_QUESTION, q, (int)sizeof q - 1};
    (*nfoot)++;
    wrap_into(c->question, width, TL_QUESTION, foot, nfoot, max);
    if (t->revealed) {
        static const char a[] = "Answer:";
        if (*nfoot < max) foot[*nfoot] = (TutLine){TL_ANSWER, a, (int)sizeof a - 1};
        (*nfoot)++;
        wrap_into(c->answer, width, TL_ANSWER, foot, nfoot, max);
    }
    static const char hint_hidden[] = "a answer  ]/[ chapter  H hide";
    static const char hint_shown[] = "a hide  ]/[ chapter  H hide";
    wrap_into(t->revealed ? hint_shown : hint_hidden, width, TL_HINT, foot, nfoot, max);
}

void tutorial_position(const Tutorial *t, char *buf, size_t n) {
    snprintf(buf, n, "chapter %d of %d", t->cur + 1, t->n);
}
