/* fuzz_report_csv.c — libFuzzer harness for the figure2.csv reader of
 * `rtviz report --merge` (src/cmd/report.c). Input: the file's bytes. On
 * success every row has a known model, non-empty fields without commas or
 * control characters, percentages in 0..100 and counts in range; on failure
 * the message is one non-empty line naming the file. */
#include "fuzz_util.h"

#include <math.h>

#include "cmd/report.h"

#define MAXR 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    static ReportRow rows[MAXR];
    int n = 0;
    RtErr e = {{0}};
    const char *path = "fuzz/figure2.csv";
    if (report_csv_parse(text, size, path, rows, MAXR, &n, &e) == 0) {
        FUZZ_CHECK(n >= 0 && n <= MAXR);
        for (int i = 0; i < n; i++) {
            const ReportRow *r = &rows[i];
            FUZZ_CHECK(!strcmp(r->model, "rt") || !strcmp(r->model, "mlp"));
            FUZZ_CHECK(r->dataset[0] && r->size[0]);
            for (const char *p = r->dataset; *p; p++)
                FUZZ_CHECK(*p != ',' && (unsigned char)*p >= 0x20);
            FUZZ_CHECK(r->acc >= 0 && r->acc <= 100 && r->acc0 >= 0 && r->acc0 <= 100);
            FUZZ_CHECK(r->act >= 0 && r->act <= 100 && r->used >= 0 && isfinite(r->us));
            FUZZ_CHECK(r->params >= 1 && r->seed >= 0);
        }
    } else {
        size_t m = strnlen(e.msg, sizeof e.msg);
        FUZZ_CHECK(m > 0 && m < sizeof e.msg);
        FUZZ_CHECK(!strchr(e.msg, '\n'));
        FUZZ_CHECK(!strncmp(e.msg, path, strlen(path)));
    }
    free(text);
    return 0;
}
