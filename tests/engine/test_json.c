/* test_json.c — the one JSON writer (json.h), the safetensors header built
 * with it (safetensors.h), the one parameter count (model.h) and the one
 * argmax (common.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "json.h"
#include "model.h"
#include "safetensors.h"

static char *render(cJSON *d, int style) {
    RtErr e = {{0}};
    size_t n = 0;
    char *t = json_render(d, style, &n, &e);
    cr_assert_not_null(t, "%s", e.msg);
    cr_assert_eq(n, strlen(t));
    return t;
}

Test(json, numbers_round_like_the_text_and_non_finite_is_null) {
    cJSON *d = cJSON_CreateObject();
    cr_assert(json_add_real(d, "acc", 88.03f, "%.6g")); /* a float: 88.0299987792968... */
    cr_assert(json_add_real(d, "sps", 84400.04, "%.1f"));
    cr_assert(json_add_real(d, "r", 1.0 / 3.0, "%.4f"));
    cr_assert(json_add_real(d, "nan", NAN, "%.6g"));
    cr_assert(json_add_real(d, "inf", -INFINITY, "%.3f"));
    cr_assert(json_add_int(d, "big", 3000000000LL));
    char *t = render(d, JSON_COMPACT);
    cr_assert_str_eq(t, "{\"acc\":88.03,\"sps\":84400,\"r\":0.3333,\"nan\":null,\"inf\":null,"
                        "\"big\":3000000000}");
    free(t);
    cJSON_Delete(d);
}

Test(json, strings_are_escaped) {
    cJSON *d = cJSON_CreateObject();
    cr_assert(cJSON_AddStringToObject(d, "path", "a\"b\\c\x01\n\x1b[31m"));
    char *t = render(d, JSON_COMPACT);
    cr_assert_str_eq(t, "{\"path\":\"a\\\"b\\\\c\\u0001\\n\\u001b[31m\"}");
    cJSON *back = cJSON_Parse(t);
    cr_assert_not_null(back);
    cr_assert_str_eq(cJSON_GetObjectItem(back, "path")->valuestring, "a\"b\\c\x01\n\x1b[31m");
    cJSON_Delete(back);
    free(t);
    cJSON_Delete(d);
}

Test(json, pretty_layout_two_levels_of_lines_then_inline) {
    cJSON *d = cJSON_CreateObject();
    cr_assert(cJSON_AddStringToObject(d, "name", "x"));
    cr_assert(cJSON_AddBoolToObject(d, "quick", 1));
    cJSON *a = cJSON_AddArrayToObject(d, "shapes");
    for (int k = 0; k < 2; k++) {
        cJSON *o = cJSON_CreateObject();
        cr_assert(cJSON_AddItemToArray(a, o));
        cr_assert(json_add_int(o, "M", 128 >> k));
        cr_assert(json_add_real(o, "g", 1.5 + k, "%.3f"));
    }
    cr_assert(cJSON_AddArrayToObject(d, "empty"));
    char *t = render(d, JSON_PRETTY);
    cr_assert_str_eq(t, "{\n"
                        "  \"name\": \"x\",\n"
                        "  \"quick\": true,\n"
                        "  \"shapes\": [\n"
                        "    {\"M\": 128, \"g\": 1.5},\n"
                        "    {\"M\": 64, \"g\": 2.5}\n"
                        "  ],\n"
                        "  \"empty\": []\n"
                        "}\n");
    cJSON *back = cJSON_Parse(t); /* and it is JSON */
    cr_assert_not_null(back);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(back, "shapes")), 2);
    cJSON_Delete(back);
    free(t);
    cJSON_Delete(d);
}

Test(json, null_document_is_an_error_not_a_crash) {
    RtErr e = {{0}};
    cr_assert_null(json_render(NULL, JSON_PRETTY, NULL, &e));
    cr_assert(strstr(e.msg, "out of memory"), "%s", e.msg);
}

static void small_rt(ModelConfig *c) {
    model_config_default(c, ARCH_RT, 1, 4, 5, 3); /* D = 20 */
    c->L = 2;
    c->B = 3;
    c->H = 4;
}

Test(json, safetensors_header_parses_aligned_with_every_tensor) {
    ModelConfig c;
    small_rt(&c);
    Model m;
    RtErr e = {{0}};
    cr_assert_eq(model_init(&m, &c, 1, &e), 0, "%s", e.msg);
    size_t n = 0;
    char *h = safetensors_header(&m, "x.safetensors", &n, &e);
    cr_assert_not_null(h, "%s", e.msg);
    cr_assert_eq((8 + n) % 8, 0, "header of %zu bytes leaves the data unaligned", n);
    cr_assert_eq(strlen(h), n);
    cJSON *d = cJSON_Parse(h);
    cr_assert_not_null(d, "not JSON: %s", h);
    cr_assert_eq(cJSON_GetArraySize(d), m.nt + 1);
    size_t off = 0;
    for (int i = 0; i < m.nt; i++) {
        cJSON *t = cJSON_GetObjectItem(d, m.t[i].name);
        cr_assert_not_null(t, "%s missing", m.t[i].name);
        cr_assert_str_eq(cJSON_GetObjectItem(t, "dtype")->valuestring, "F32");
        cJSON *shape = cJSON_GetObjectItem(t, "shape"), *r = cJSON_GetObjectItem(t, "data_offsets");
        cr_assert_eq(cJSON_GetArraySize(shape), m.t[i].ndim);
        cr_assert_eq(cJSON_GetArrayItem(shape, 0)->valueint, m.t[i].shape[0]);
        cr_assert_eq((size_t)cJSON_GetArrayItem(r, 0)->valuedouble, off);
        off += 4 * m.t[i].n;
        cr_assert_eq((size_t)cJSON_GetArrayItem(r, 1)->valuedouble, off);
    }
    cr_assert_eq(off, 4 * m.n);
    cJSON *md = cJSON_GetObjectItem(d, "__metadata__");
    cr_assert_str_eq(cJSON_GetObjectItem(md, "arch")->valuestring, "rt");
    cr_assert_str_eq(cJSON_GetObjectItem(md, "L")->valuestring, "2");
    cr_assert_str_eq(cJSON_GetObjectItem(md, "schedule")->valuestring,
                     "0.5,0.300000012,0.200000003,0.119999997,0.0799999982,0.0500000007,"
                     "0.0299999993,0.0199999996,0.00999999978,0.00499999989,0");
    cJSON_Delete(d);
    free(h);
    model_free(&m);
}

Test(json, param_count_is_the_buffer_length) {
    ModelConfig c;
    small_rt(&c);
    Model m;
    RtErr e = {{0}};
    /* router 3x20+3; layer 0: 3 x (4*20+4 + 3*4+3); layer 1: 3 x (4*4+4 + 3*4+3) */
    cr_assert_eq(model_param_count(&c), (size_t)(63 + 3 * 99 + 3 * 35));
    cr_assert_eq(model_init(&m, &c, 1, &e), 0, "%s", e.msg);
    cr_assert_eq(model_param_count(&c), m.n);
    model_free(&m);
    model_config_default(&c, ARCH_MLP, 1, 28, 28, 10);
    cr_assert_eq(model_param_count(&c), (size_t)269322); /* 784-256-256-10 */
}

Test(json, argmax_first_on_ties_and_never_nan) {
    float a[] = {0.1f, 0.7f, 0.7f, 0.2f};
    cr_assert_eq(rt_argmax(a, 4), 1);
    float b[] = {NAN, 0.3f, NAN, 0.5f};
    cr_assert_eq(rt_argmax(b, 4), 3);
    float c[] = {-2.0f};
    cr_assert_eq(rt_argmax(c, 1), 0);
    cr_assert_eq(rt_argmax(c, 0), -1);
}
