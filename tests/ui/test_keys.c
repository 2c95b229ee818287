/* test_keys.c — the terminal's bindings (src/ui/tui/keys.c): no key bound
 * twice in a mode, every key documented, the keys the issue names all present. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/app.h"

static const KeyBinding *find(int ch, int mode) {
    for (int i = 0; i < NKEYS; i++) {
        const KeyBinding *k = &KEYS[i];
        if (k->mode != KM_ANY && k->mode != mode) continue;
        if (k->key == ch || (k->key2 && k->key2 == ch)) return k;
    }
    return NULL;
}

Test(keys, unique_per_mode) {
    for (int i = 0; i < NKEYS; i++)
        for (int j = i + 1; j < NKEYS; j++) {
            const KeyBinding *a = &KEYS[i], *b = &KEYS[j];
            int help_a = a->mode == KM_HELP, help_b = b->mode == KM_HELP;
            int modes_meet = help_a || help_b
                                 ? help_a && help_b
                                 : a->mode == KM_ANY || b->mode == KM_ANY || a->mode == b->mode;
            if (!modes_meet) continue;
            int ka[2] = {a->key, a->key2}, kb[2] = {b->key, b->key2};
            for (int x = 0; x < 2; x++)
                for (int y = 0; y < 2; y++)
                    cr_assert(!(ka[x] && ka[x] == kb[y]), "key %d bound twice (%s, %s)", ka[x],
                              action_help(a->act), action_help(b->act));
        }
}

Test(keys, documented) {
    for (int i = 0; i < NKEYS; i++) {
        cr_assert(KEYS[i].act > ACT_NONE && KEYS[i].act < ACT_COUNT);
        if (KEYS[i].name[0])
            cr_assert(action_help(KEYS[i].act)[0], "key %s has no help", KEYS[i].name);
    }
    cr_assert_geq(NLEGEND, 5);
}

Test(keys, issue_keys_present) {
    const int normal[] = {' ', '.', '+', '-', 't', 'T', KEY_LEFT, KEY_RIGHT, 'n', 'p',
                          'r', 'g', 'c', 'd', 'S', 'R', 'q',      '?',       12};
    for (size_t i = 0; i < sizeof normal / sizeof normal[0]; i++)
        cr_assert_not_null(find(normal[i], KM_NORMAL), "key %d missing", normal[i]);
    const int draw[] = {' ', '\n', KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN, 'x', 'd', 'q', 'n', 'g'};
    for (size_t i = 0; i < sizeof draw / sizeof draw[0]; i++)
        cr_assert_not_null(find(draw[i], KM_DRAW), "draw-mode key %d missing", draw[i]);
    /* pause works in every mode; Enter paints */
    cr_assert_eq(find(' ', KM_NORMAL)->act, ACT_PAUSE);
    cr_assert_eq(find(' ', KM_DRAW)->act, ACT_PAUSE, "space pauses in draw mode too");
    cr_assert_eq(find('\n', KM_DRAW)->act, ACT_PAINT);
    cr_assert_null(find('\n', KM_NORMAL));
}
