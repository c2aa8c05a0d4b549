/*
 * test_claims.c - the claim language's syntax checks (evaluation over real
 * results is covered end to end in test_workflow.c).
 */
#include <string.h>

#include "cunit_main.h"
#include "sim/claims.h"

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

static CU_TestInfo tests[] = {
    {"syntax", test_syntax},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("claims", tests)
