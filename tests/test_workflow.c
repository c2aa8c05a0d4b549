/*
 * test_workflow.c - the study workflow end to end: sweeps, summary rows,
 * plots, claims and `vtsim check`, `compare`, `rerun`, `plot`, `list`.
 * Expected numbers are worked out in tests/data/cli/workflow.yaml.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_harness.h"
#include "cunit_main.h"

static char run1[PATH_MAX];

static long file_size(const char *dir, const char *file)
{
    char path[PATH_MAX + 64];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_sweep_rows_plots_claims(void)
{
    outdir(run1, sizeof(run1), "wf1");
    int rc = vtsim((const char *[]){"run", "-j", "2", "-o", run1, DATA "workflow.yaml", NULL});
    if (rc != 0)
        fputs(out_text, stderr);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    /* The check table ran at the end and passed. */
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "two cores retire twice the instructions"));
    CU_ASSERT_PTR_NULL(strstr(out_text, "FAIL"));
    char *csv = slurp_in(run1, "summary.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    CU_ASSERT_STRING_EQUAL(csv, "point,machine.cores,run.max_cycles,status,cpu.instructions,"
                                "cpu.cycles\n"
                                "cores-1_max_cycles-1000,1,1000,ok (run.max_cycles reached),500,"
                                "1000\n"
                                "cores-1_max_cycles-2000,1,2000,ok (run.max_cycles reached),1000,"
                                "2000\n"
                                "cores-2_max_cycles-1000,2,1000,ok (run.max_cycles reached),1000,"
                                "2000\n"
                                "cores-2_max_cycles-2000,2,2000,ok (run.max_cycles reached),2000,"
                                "4000\n");
    free(csv);
    char pdir[PATH_MAX + 16];
    snprintf(pdir, sizeof(pdir), "%s/plots", run1);
    CU_ASSERT_TRUE(file_size(pdir, "insts.dat") > 0);
    CU_ASSERT_TRUE(file_size(pdir, "insts.gp") > 0);
    char *dat = slurp_in(pdir, "insts.dat");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dat);
    CU_ASSERT_STRING_EQUAL(dat, "# run.max_cycles\tmachine.cores=1\tmachine.cores=2\n"
                                "1000\t500\t1000\n"
                                "2000\t1000\t2000\n");
    free(dat);
    if (access("/usr/bin/gnuplot", X_OK) == 0) {
        CU_ASSERT_TRUE(file_size(pdir, "insts.png") > 1000);
        CU_ASSERT_TRUE(file_size(pdir, "insts.svg") > 1000);
        CU_ASSERT_TRUE(file_size(pdir, "bars.png") > 1000);
        CU_ASSERT_TRUE(file_size(pdir, "bars.svg") > 1000);
    }
}

static void test_check(void)
{
    CU_ASSERT_EQUAL(vtsim((const char *[]){"check", run1, NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "mean over the sweep"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "1125"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "PASS"));

    char dir[PATH_MAX];
    outdir(dir, sizeof(dir), "wrong");
    /* A claim that does not hold fails the run and the check with 1. */
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "wrong.yaml", NULL}), 1);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"check", dir, NULL}), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "does not hold"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "FAIL"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, ">= 3"));

    /* A claim naming a missing stat or point is an error, named precisely: 2. */
    outdir(dir, sizeof(dir), "missing");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "missing.yaml", NULL}), 2);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"check", dir, NULL}), 2);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(out_text, "no stat 'cpu.nope' in phase 'total' of point 'cores-1'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "no point with machine.cores=7"));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"check", "/nonexistent", NULL}), 2);
}

static void test_compare_and_rerun(void)
{
    char run2[PATH_MAX], other[PATH_MAX];
    outdir(run2, sizeof(run2), "wf2");
    CU_ASSERT_EQUAL_FATAL(
        vtsim((const char *[]){"run", "-q", "-j", "1", "-o", run2, DATA "workflow.yaml", NULL}), 0);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"compare", run1, run2, NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "no stat moved"));

    /* Same point names, twice the harts: the moved stats are listed (and
     * the mean claim, made for one thread per core, fails: exit 1). */
    outdir(other, sizeof(other), "wf-other");
    CU_ASSERT_EQUAL_FATAL(
        vtsim((const char *[]){"run", "-q", "-o", other, "--set", "machine.threads_per_core=2",
                               DATA "workflow.yaml", NULL}),
        1);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"compare", run1, other, NULL}), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "cpu.instructions"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "+100.00%"));

    CU_ASSERT_EQUAL(vtsim((const char *[]){"rerun", run1, NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "4 points identical, 0 different"));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"rerun", "/nonexistent", NULL}), 2);
}

static void test_plot_and_list(void)
{
    char pdir[PATH_MAX + 16];
    snprintf(pdir, sizeof(pdir), "%s/plots", run1);
    char path[PATH_MAX + 32];
    snprintf(path, sizeof(path), "%s/insts.dat", pdir);
    unlink(path);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"plot", run1, NULL}), 0);
    CU_ASSERT_TRUE(file_size(pdir, "insts.dat") > 0);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"list", NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "itanium2"));
}

static CU_TestInfo tests[] = {
    {"sweep rows, plots, claims", test_sweep_rows_plots_claims},
    {"check: pass, fail, missing", test_check},
    {"compare and rerun", test_compare_and_rerun},
    {"plot again, list", test_plot_and_list},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    if (harness_init() != 0)
        return 2;
    return cunit_run("workflow", tests);
}
