/*
 * test_stats.c - the stats registry, its expressions and its JSON output.
 * Every expected number is worked out by hand in the comments.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "model/base/expr.h"
#include "model/base/json.h"
#include "model/base/stats.h"

static double val(struct stats *s, const char *phase, const char *name)
{
    double v = -12345;
    if (!stats_value(s, phase, name, &v))
        return -99999;
    return v;
}

static char *json_of(struct stats *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    stats_write_json(s, f);
    fclose(f);
    return buf;
}

/* Two harts: aggregate counters are sums; the aggregate IPC is total
 * instructions over total cycles (400 / 500 = 0.8), not the mean of the
 * per-hart IPCs ((1.0 + 0.5) / 2 = 0.75). */
static void test_aggregate_sums_and_formulas(void)
{
    struct stats *s = stats_new();
    uint64_t cyc[2] = {200, 300}, ins[2] = {200, 150}, miss[2] = {7, 5};
    for (unsigned i = 0; i < 2; i++) {
        struct stats_group *g = stats_instance(stats_root(s), "cpu", i, "hart");
        CU_ASSERT_EQUAL(stats_counter(g, "cycles", &cyc[i], "cycles", "c"), 0);
        CU_ASSERT_EQUAL(stats_counter(g, "instructions", &ins[i], "instructions", "i"), 0);
        CU_ASSERT_EQUAL(stats_formula(g, "ipc", "instructions / cycles", "ratio", "ipc"), 0);
        struct stats_group *l1 = stats_group(g, "l1d", "cache");
        CU_ASSERT_EQUAL(stats_counter(l1, "misses", &miss[i], "events", "m"), 0);
    }
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu.cycles"), 500, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu.instructions"), 350, 0);
    ins[1] = 200; /* values are read when asked, never copied at registration */
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu.instructions"), 400, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu.ipc"), 0.8, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu0.ipc"), 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu1.ipc"), 200.0 / 300.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu.l1d.misses"), 12, 0);
    /* The check can fail: the mean of ratios is not what is reported. */
    CU_ASSERT_TRUE(fabs(val(s, "total", "cpu.ipc") - 0.8333333) > 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "cpu.nothing"), -99999, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "nophase", "cpu.cycles"), -99999, 0);
    stats_free(s);
}

/* An instance registering a stat the others lack still aggregates; nested
 * instances (core0.thread1) aggregate at both levels. */
static void test_nested_instances(void)
{
    struct stats *s = stats_new();
    uint64_t v[2][2] = {{1, 2}, {10, 20}}, extra = 5;
    for (unsigned c = 0; c < 2; c++) {
        struct stats_group *core = stats_instance(stats_root(s), "core", c, "core");
        for (unsigned t = 0; t < 2; t++) {
            struct stats_group *th = stats_instance(core, "thread", t, "thread");
            CU_ASSERT_EQUAL(stats_counter(th, "insts", &v[c][t], "instructions", "i"), 0);
        }
    }
    struct stats_group *c1 = stats_group(stats_root(s), "core1", NULL);
    CU_ASSERT_EQUAL(stats_counter(c1, "only_here", &extra, "events", "x"), 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "core0.thread.insts"), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "core1.thread.insts"), 30, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "core.thread1.insts"), 22, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "core.thread.insts"), 33, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "core.only_here"), 5, 0);
    stats_free(s);
}

/* Phases accumulate the changes between each begin and end. */
static void test_phases(void)
{
    struct stats *s = stats_new();
    uint64_t c = 0;
    struct histogram h;
    CU_ASSERT_EQUAL_FATAL(histogram_init(&h, 4, 10), 0);
    struct stats_group *g = stats_group(stats_root(s), "sim", "");
    stats_counter(g, "events", &c, "events", "");
    stats_histogram(g, "lat", &h, "cycles", "");
    stats_formula(g, "double_events", "events * 2", "events", "");

    c = 5; /* before: not in roi */
    CU_ASSERT_EQUAL(stats_phase_begin(s, "roi"), 0);
    CU_ASSERT_EQUAL(stats_phase_begin(s, "roi"), -1); /* already open */
    c += 3;                                           /* roi +3 */
    histogram_add(&h, 15);
    CU_ASSERT_EQUAL(stats_phase_begin(s, "warm"), 0); /* overlapping phase */
    c += 4;                                           /* roi +4, warm +4 */
    histogram_add(&h, 100);
    CU_ASSERT_EQUAL(stats_phase_end(s, "roi"), 0);
    c += 100; /* warm +100 */
    CU_ASSERT_EQUAL(stats_phase_end(s, "warm"), 0);
    CU_ASSERT_EQUAL(stats_phase_end(s, "warm"), -1); /* not open */
    CU_ASSERT_EQUAL(stats_phase_end(s, "never"), -1);
    c += 1000;
    CU_ASSERT_EQUAL(stats_phase_begin(s, "roi"), 0); /* second interval */
    c += 2;                                          /* roi +2 */
    stats_finish(s);                                 /* closes roi */
    c += 50000;

    CU_ASSERT_DOUBLE_EQUAL(val(s, "roi", "sim.events"), 9, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "warm", "sim.events"), 104, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "sim.events"), 51114, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "roi", "sim.double_events"), 18, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "roi", "sim.lat.count"), 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "roi", "sim.lat"), 115, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "roi", "sim.lat.mean"), 57.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "warm", "sim.lat.count"), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(val(s, "total", "sim.lat.max"), 100, 0);
    CU_ASSERT_EQUAL(stats_phase_begin(s, "total"), -1);
    CU_ASSERT_EQUAL(stats_phase_begin(s, "Bad Name"), -1);
    histogram_free(&h);
    stats_free(s);
}

static void test_registration_errors(void)
{
    struct stats *s = stats_new();
    uint64_t c = 0;
    struct stats_group *g = stats_group(stats_root(s), "g", "");
    CU_ASSERT_EQUAL(stats_counter(g, "a", &c, "", ""), 0);
    CU_ASSERT_EQUAL(stats_counter(g, "a", &c, "", ""), -1);   /* duplicate */
    CU_ASSERT_EQUAL(stats_counter(g, "A", &c, "", ""), -1);   /* bad name */
    CU_ASSERT_EQUAL(stats_counter(g, "a.b", &c, "", ""), -1); /* dot in a segment */
    CU_ASSERT_EQUAL(stats_counter(g, "n", NULL, "", ""), -1);
    CU_ASSERT_EQUAL(stats_formula(g, "f", "a +", "", ""), -1);
    CU_ASSERT_EQUAL(stats_formula(g, "f", "a + (", "", ""), -1);
    CU_ASSERT_PTR_NULL(stats_group(g, "Bad", ""));
    CU_ASSERT_PTR_NULL(stats_instance(g, "cpu1", 0, ""));
    /* A formula naming a stat that does not exist is NaN, not a crash. */
    CU_ASSERT_EQUAL(stats_formula(g, "ghost", "missing / a", "", ""), 0);
    CU_ASSERT_TRUE(isnan(val(s, "total", "g.ghost")));
    stats_free(s);
}

static void test_json_exact(void)
{
    struct stats *s = stats_new();
    uint64_t a = 3, b = 0;
    struct histogram h;
    histogram_init(&h, 2, 8);
    histogram_add(&h, 1);
    histogram_add(&h, 9);
    histogram_add(&h, 1000);
    struct stats_group *g = stats_group(stats_root(s), "x", "");
    stats_counter(g, "a", &a, "events", "");
    stats_counter(g, "b", &b, "events", "");
    stats_formula(g, "ratio", "a / b", "ratio", "");
    stats_formula(g, "third", "1 / a", "ratio", "");
    stats_histogram(g, "h", &h, "cycles", "");
    stats_phase_begin(s, "roi");
    a = 4;
    stats_finish(s);
    char *js = json_of(s);
    const char *expect = "{\n"
                         "  \"format\": \"vtsim-stats-1\",\n"
                         "  \"phases\": {\n"
                         "    \"total\": {\n"
                         "      \"x.a\": 4,\n"
                         "      \"x.b\": 0,\n"
                         "      \"x.ratio\": null,\n"
                         "      \"x.third\": 0.25,\n"
                         "      \"x.h\": {\n"
                         "        \"width\": 8,\n"
                         "        \"count\": 3,\n"
                         "        \"sum\": 1010,\n"
                         "        \"max\": 1000,\n"
                         "        \"buckets\": [\n"
                         "          1,\n"
                         "          2\n"
                         "        ]\n"
                         "      }\n"
                         "    },\n"
                         "    \"roi\": {\n"
                         "      \"x.a\": 1,\n"
                         "      \"x.b\": 0,\n"
                         "      \"x.ratio\": null,\n"
                         "      \"x.third\": 1,\n"
                         "      \"x.h\": {\n"
                         "        \"width\": 8,\n"
                         "        \"count\": 0,\n"
                         "        \"sum\": 0,\n"
                         "        \"buckets\": [\n"
                         "          0,\n"
                         "          0\n"
                         "        ]\n"
                         "      }\n"
                         "    }\n"
                         "  }\n"
                         "}\n";
    CU_ASSERT_STRING_EQUAL(js, expect);
    CU_ASSERT_STRING_NOT_EQUAL(js, "{}\n");
    free(js);
    histogram_free(&h);
    stats_free(s);
}

static void test_doc_folds_instances(void)
{
    struct stats *s = stats_new();
    uint64_t c[3] = {0};
    for (unsigned i = 0; i < 3; i++)
        stats_counter(stats_instance(stats_root(s), "cpu", i, ""), "cycles", &c[i], "cycles",
                      "clock");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL(stats_write_doc(s, f), 0);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "| name | kind | unit | description |\n"
                                "|---|---|---|---|\n"
                                "| `cpu.cycles` | counter | cycles | clock (sum over all cpuN) |\n"
                                "| `cpuN.cycles` | counter | cycles | clock |\n");
    free(buf);
    stats_free(s);
}

static bool lookup(void *ctx, const char *name, double *v)
{
    (void)ctx;
    if (strcmp(name, "a.b") == 0) {
        *v = 6;
        return true;
    }
    if (strcmp(name, "c") == 0) {
        *v = 4;
        return true;
    }
    return false;
}

static double eval(const char *text, char *err, size_t len)
{
    struct expr *e = expr_parse(text, err, len);
    if (!e)
        return -777;
    double v = expr_eval(e, lookup, NULL, err, len);
    expr_free(e);
    return v;
}

static void test_expr(void)
{
    char err[128];
    CU_ASSERT_DOUBLE_EQUAL(eval("1 + 2 * 3", err, sizeof(err)), 7, 0);
    CU_ASSERT_DOUBLE_EQUAL(eval("(1 + 2) * 3", err, sizeof(err)), 9, 0);
    CU_ASSERT_DOUBLE_EQUAL(eval("10 - 4 - 3", err, sizeof(err)), 3, 0); /* left assoc */
    CU_ASSERT_DOUBLE_EQUAL(eval("a.b / c", err, sizeof(err)), 1.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(eval("--c", err, sizeof(err)), 4, 0);
    CU_ASSERT_DOUBLE_EQUAL(eval("1e3 / 8", err, sizeof(err)), 125, 0);
    CU_ASSERT_TRUE(isnan(eval("c / (a.b - 6)", err, sizeof(err))));
    CU_ASSERT_STRING_EQUAL(err, "");
    CU_ASSERT_TRUE(isnan(eval("c + nope", err, sizeof(err))));
    CU_ASSERT_STRING_EQUAL(err, "unknown name 'nope'");
    CU_ASSERT_DOUBLE_EQUAL(eval("1 + * 2", err, sizeof(err)), -777, 0);
    CU_ASSERT_STRING_EQUAL(err, "column 5: expected a number, a name or '('");
    CU_ASSERT_DOUBLE_EQUAL(eval("(1 + 2", err, sizeof(err)), -777, 0);
    CU_ASSERT_STRING_EQUAL(err, "column 7: expected ')'");
    CU_ASSERT_DOUBLE_EQUAL(eval("1 2", err, sizeof(err)), -777, 0);
    CU_ASSERT_STRING_EQUAL(err, "column 3: unexpected character");
    CU_ASSERT_DOUBLE_EQUAL(eval("0x10", err, sizeof(err)), -777, 0);
    char deep[400];
    memset(deep, '(', 200);
    strcpy(deep + 200, "1");
    CU_ASSERT_DOUBLE_EQUAL(eval(deep, err, sizeof(err)), -777, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "nested too deeply"));
    struct expr *e = expr_parse("c * c + a.b", err, sizeof(err));
    CU_ASSERT_EQUAL(expr_nnames(e), 2);
    CU_ASSERT_STRING_EQUAL(expr_name(e, 0), "c");
    CU_ASSERT_STRING_EQUAL(expr_name(e, 1), "a.b");
    expr_free(e);
}

static void test_json_writer(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct json j;
    json_init(&j, f);
    json_begin_object(&j);
    json_key(&j, "s");
    json_string(&j, "q\"\\\n\x01");
    json_key(&j, "d");
    json_begin_array(&j);
    json_double(&j, 0.1);
    json_double(&j, 1.0 / 3.0);
    json_double(&j, 1e300);
    json_double(&j, 5e-324);
    json_double(&j, -0.0);
    json_double(&j, NAN);
    json_int(&j, -5);
    json_bool(&j, true);
    json_null(&j);
    json_end_array(&j);
    json_key(&j, "e");
    json_begin_object(&j);
    json_end_object(&j);
    json_end_object(&j);
    CU_ASSERT_EQUAL(json_finish(&j), 0);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "{\n  \"s\": \"q\\\"\\\\\\n\\u0001\",\n  \"d\": [\n    0.1,\n"
                                "    0.3333333333333333,\n    1e+300,\n    4.94065645841247e-324,\n"
                                "    0,\n    null,\n    -5,\n    true,\n    null\n  ],\n"
                                "  \"e\": {}\n}\n");
    free(buf);

    /* Misuse is an error, never invalid output accepted silently. */
    f = open_memstream(&buf, &len);
    json_init(&j, f);
    json_begin_object(&j);
    json_uint(&j, 1); /* value without a key */
    CU_ASSERT_EQUAL(json_finish(&j), -1);
    fclose(f);
    free(buf);
    f = open_memstream(&buf, &len);
    json_init(&j, f);
    json_begin_array(&j);
    json_end_object(&j); /* wrong closer */
    CU_ASSERT_EQUAL(json_finish(&j), -1);
    fclose(f);
    free(buf);
}

static CU_TestInfo tests[] = {
    {"aggregates sum, formulas over sums", test_aggregate_sums_and_formulas},
    {"nested instances", test_nested_instances},
    {"phases", test_phases},
    {"registration errors", test_registration_errors},
    {"stats.json byte-exact", test_json_exact},
    {"doc folds instances", test_doc_folds_instances},
    {"expressions", test_expr},
    {"json writer", test_json_writer},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("stats", tests)
