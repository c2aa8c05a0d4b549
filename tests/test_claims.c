/*
 * test_claims.c - the claim language's syntax checks, and derived stats
 * over a run built in memory (claims over real results are covered end to
 * end in test_workflow.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "sim/claims.h"
#include "sim/derived.h"

static const char *syntax(const char *text)
{
    static char err[160];
    err[0] = '\0';
    return claim_check_syntax(text, err, sizeof(err)) == 0 ? "ok" : err;
}

static void test_syntax(void)
{
    CU_ASSERT_STRING_EQUAL(syntax("ratio(a.b, k=1, k=2) >= 3"), "ok");
    CU_ASSERT_STRING_EQUAL(syntax("value(x, a.b=64MiB&c='q r') == 1e3"), "ok");
    CU_ASSERT_STRING_EQUAL(syntax("mean(x) * 2 - abs(-min(y)) <= 5%"), "ok");
    CU_ASSERT_STRING_EQUAL(syntax("count() != 0"), "ok");
    CU_ASSERT_STRING_EQUAL(syntax("ratio(a, k=1, k=2)"),
                           "column 19: a claim must compare two values, e.g. ratio(...) >= 3");
    CU_ASSERT_STRING_EQUAL(syntax("(1 >= 2"), "column 4: expected ')'");
    CU_ASSERT_STRING_EQUAL(syntax("min(x,( y"), "column 10: expected ')'");
    CU_ASSERT_STRING_EQUAL(syntax("value(x, k=) > 1"), "column 12: expected a value after '='");
    CU_ASSERT_STRING_EQUAL(syntax("value(x, k='a) > 1"), "column 19: unterminated quote");
    CU_ASSERT_STRING_EQUAL(syntax("1 >= 2 3"), "column 8: unexpected character");
    CU_ASSERT_STRING_EQUAL(syntax(""), "column 1: unexpected end");
    CU_ASSERT_STRING_NOT_EQUAL(syntax("1 >"), "ok");
}

/* Three points of a two-VM study: a mix and each VM alone (the alone
 * points name their VM alone_NAME, the empty slot none). */
static const char *const point_json[][2] = {
    {"{\"vms.0.name\": \"warm\", \"vms.1.name\": \"stream\"}",
     "{\"phases\": {\"total\": {\"u0\": 30, \"u1\": 10}}}"},
    {"{\"vms.0.name\": \"alone_warm\", \"vms.1.name\": \"none\"}",
     "{\"phases\": {\"total\": {\"u0\": 40, \"u1\": 0}}}"},
    {"{\"vms.0.name\": \"none\", \"vms.1.name\": \"alone_stream\"}",
     "{\"phases\": {\"total\": {\"u0\": 0, \"u1\": 20}}}"},
};
#define NPOINTS (sizeof(point_json) / sizeof(point_json[0]))

struct mem_run {
    struct run_data r;
    struct run_point p[NPOINTS];
    struct jval *params[NPOINTS];
};

static void mem_run_init(struct mem_run *m)
{
    static const char *const names[NPOINTS] = {"mix", "a0", "a1"};
    char err[128];
    memset(m, 0, sizeof(*m));
    m->r.dir = ".";
    m->r.points = m->p;
    m->r.npoints = NPOINTS;
    for (size_t i = 0; i < NPOINTS; i++) {
        m->params[i] = jread_parse(point_json[i][0], strlen(point_json[i][0]), err, sizeof(err));
        m->p[i].name = names[i];
        m->p[i].params = m->params[i];
        m->p[i].stats = jread_parse(point_json[i][1], strlen(point_json[i][1]), err, sizeof(err));
    }
}

static void mem_run_free(struct mem_run *m)
{
    for (size_t i = 0; i < NPOINTS; i++) {
        jread_free(m->params[i]);
        jread_free(m->p[i].stats);
        free(m->p[i].derived);
    }
}

static void test_derived(void)
{
    struct study_config c = {0};
    c.derived[0] = (struct derived_config){
        "s0", "u0 / value(u0, vms.0.name=alone_@&vms.1.name=none)", "vms.1.name=stream", "total"};
    c.derived[1] = (struct derived_config){
        "s1", "u1 / value(u1, vms.0.name=none&vms.1.name=alone_@)", "vms.1.name=stream", "total"};
    c.derived[2] = (struct derived_config){
        "jain", "(s0 + s1) * (s0 + s1) / (2 * (s0 * s0 + s1 * s1))", "vms.1.name=stream", "total"};
    c.derived[3] =
        (struct derived_config){"alone", "u0 + u1", "vms.1.name=none|vms.0.name=none", "total"};
    c.nderived = 4;
    struct mem_run m;
    mem_run_init(&m);
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(derived_apply(&c, &m.r, err, sizeof(err)), 0);
    double v;
    CU_ASSERT_TRUE(run_stat(&m.p[0], "total", "s0", &v) && v == 0.75);
    CU_ASSERT_TRUE(run_stat(&m.p[0], "total", "s1", &v) && v == 0.5);
    /* (1.25)^2 / (2 * (0.5625 + 0.25)) = 1.5625 / 1.625 */
    CU_ASSERT_TRUE(run_stat(&m.p[0], "total", "jain", &v) && fabs(v - 1.5625 / 1.625) < 1e-12);
    CU_ASSERT_FALSE(run_stat(&m.p[0], "total", "alone", &v));
    CU_ASSERT_FALSE(run_stat(&m.p[1], "total", "s0", &v));
    CU_ASSERT_TRUE(run_stat(&m.p[1], "total", "alone", &v) && v == 40);
    CU_ASSERT_TRUE(run_stat(&m.p[2], "total", "alone", &v) && v == 20);
    CU_ASSERT_FALSE(run_stat(&m.p[0], "roi", "s0", &v));

    /* A claim reads them like measured stats; '@' outside a derived stat
     * is an error, not a silent match. */
    struct claim_result res;
    claim_eval("value(jain, vms.1.name=stream) < 1", "total", 0, &m.r, &res);
    CU_ASSERT_EQUAL(res.outcome, CLAIM_PASS);
    claim_eval("value(u0, vms.0.name=alone_@) > 1", "total", 0, &m.r, &res);
    CU_ASSERT_EQUAL(res.outcome, CLAIM_ERROR);

    /* A baseline that is not there names the derived stat and the point. */
    c.derived[0].value = "u0 / value(u0, vms.0.name=solo_@)";
    CU_ASSERT_EQUAL(derived_apply(&c, &m.r, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "derived 's0' at point 'mix': no point with vms.0.name=solo_warm");
    /* An unswept key in `where`. */
    c.derived[0].value = "u0";
    c.derived[0].where = "vms.2.name=x";
    CU_ASSERT_EQUAL(derived_apply(&c, &m.r, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "'vms.2.name' is not a swept key"));
    mem_run_free(&m);

    char e2[160];
    CU_ASSERT_EQUAL(claim_check_expr("a / value(a, k=x_@)", e2, sizeof(e2)), 0);
    CU_ASSERT_EQUAL(claim_check_expr("a >= 1", e2, sizeof(e2)), -1);
}

static CU_TestInfo tests[] = {
    {"syntax", test_syntax},
    {"derived", test_derived},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("claims", tests)
