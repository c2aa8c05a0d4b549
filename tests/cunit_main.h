/*
 * cunit_main.h - the shared main() of every CUnit suite executable.
 *
 * A suite file defines `static CU_TestInfo tests[]` (NULL-terminated) and
 * then writes CUNIT_MAIN("suite name", tests).  The executable runs the
 * suite with CUnit's basic interface (verbose), prints CUnit's summary and
 * exits non-zero when any assertion failed.
 */
#ifndef VTSIM_TESTS_CUNIT_MAIN_H
#define VTSIM_TESTS_CUNIT_MAIN_H

#include <CUnit/Basic.h>

static inline int cunit_run(const char *suite, CU_TestInfo *tests)
{
    CU_SuiteInfo suites[] = {{(char *)suite, NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

#define CUNIT_MAIN(suite, tests)                                                                   \
    int main(void)                                                                                 \
    {                                                                                              \
        return cunit_run(suite, tests);                                                            \
    }

#endif
