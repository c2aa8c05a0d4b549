/*
 * test_cli.c - end-to-end tests of `vtsim` through cli_main(): run,
 * validate, show-config, results folder, determinism, failure paths.
 *
 * Harts are the test-only "scripted" front end (tests/scripted_isa.h), so
 * every path of a run is exercised with exactly predictable numbers; the
 * expected values below are worked out by hand from the scripts in
 * tests/data/cli/.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "scripted_isa.h"
#include "sim/cli.h"

#include "cli_harness.h"

/* A stat's line in pretty-printed stats.json, e.g. "cpu0.instructions": 390 */
static int has_stat(const char *json, const char *name, const char *value)
{
    char pat[256];
    snprintf(pat, sizeof(pat), "\"%s\": %s", name, value);
    return strstr(json, pat) != NULL;
}

static void test_version_and_help(void)
{
    CU_ASSERT_EQUAL(vtsim((const char *[]){"--version", NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "vtsim 0."));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "git "));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"--help", NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "show-config"));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "--help", NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "--set"));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"frobnicate", NULL}), 2);
    CU_ASSERT_EQUAL(vtsim((const char *[]){NULL}), 2);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", NULL}), 2);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-j", "x", DATA "det.yaml", NULL}), 2);
}

static void test_run_exact_stats(void)
{
    char dir[PATH_MAX];
    outdir(dir, sizeof(dir), "exact");
    CU_ASSERT_EQUAL_FATAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "det.yaml", NULL}),
                          0);
    char *js = slurp_in(dir, "stats.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(js);
    /* Worked out from a.script / b.script (see the header of this file). */
    CU_ASSERT(has_stat(js, "cpu0.instructions", "390"));
    CU_ASSERT(has_stat(js, "cpu1.instructions", "119"));
    CU_ASSERT(has_stat(js, "cpu.instructions", "509"));
    CU_ASSERT(has_stat(js, "cpu0.cycles", "514"));
    CU_ASSERT(has_stat(js, "cpu1.cycles", "515"));
    CU_ASSERT(has_stat(js, "cpu1.sleep_cycles", "375"));
    /* The ROI phase holds only what happened between the marks. */
    const char *roi = strstr(js, "\"roi\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(roi);
    CU_ASSERT(has_stat(roi, "cpu0.instructions", "180"));
    CU_ASSERT(has_stat(roi, "cpu1.instructions", "92"));
    CU_ASSERT(has_stat(roi, "cpu1.sleep_cycles", "375"));
    /* The check is not vacuous: a wrong value is not found. */
    CU_ASSERT_FALSE(has_stat(js, "cpu0.instructions", "391"));
    free(js);

    char *csv = slurp_in(dir, "summary.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    CU_ASSERT(strncmp(csv, "point,status,", 13) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "cpu.instructions"));
    CU_ASSERT_PTR_NULL(strstr(csv, "cpu0.instructions"));
    free(csv);

    char *man = slurp_in(dir, "manifest.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(man);
    CU_ASSERT_PTR_NOT_NULL(strstr(man, "\"git_revision\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(man, "\"instructions\": 509"));
    CU_ASSERT_PTR_NOT_NULL(strstr(man, "\"stop_reason\": \"exit\""));
    free(man);

    char *cfg = slurp_in(dir, "config.yaml");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_PTR_NOT_NULL(strstr(cfg, "isa: scripted"));
    free(cfg);
}

static void test_determinism(void)
{
    char d1[PATH_MAX], d2[PATH_MAX];
    outdir(d1, sizeof(d1), "det1");
    outdir(d2, sizeof(d2), "det2");
    CU_ASSERT_EQUAL_FATAL(vtsim((const char *[]){"run", "-q", "-o", d1, DATA "det.yaml", NULL}), 0);
    CU_ASSERT_EQUAL_FATAL(vtsim((const char *[]){"run", "-q", "-o", d2, DATA "det.yaml", NULL}), 0);
    char *a = slurp_in(d1, "stats.json"), *b = slurp_in(d2, "stats.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a);
    free(b);
}

static void test_sweep_parallel_equals_serial(void)
{
    char d1[PATH_MAX], d2[PATH_MAX];
    outdir(d1, sizeof(d1), "sweep1");
    outdir(d2, sizeof(d2), "sweep2");
    CU_ASSERT_EQUAL_FATAL(
        vtsim((const char *[]){"run", "-q", "-j", "1", "-o", d1, DATA "sweep.yaml", NULL}), 0);
    CU_ASSERT_EQUAL_FATAL(
        vtsim((const char *[]){"run", "-q", "-j", "3", "-o", d2, DATA "sweep.yaml", NULL}), 0);
    char *s1 = slurp_in(d1, "summary.csv"), *s2 = slurp_in(d2, "summary.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s2);
    CU_ASSERT_STRING_EQUAL(s1, s2);
    /* One row per point, in sweep order; one core runs a.script alone:
     * 390 instructions; with more cores each hart runs it. */
    CU_ASSERT_PTR_NOT_NULL(strstr(s1, "point,machine.cores,status,cpu.instructions"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s1, "\ncores-1,1,ok,390,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s1, "\ncores-2,2,ok,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s1, "\ncores-3,3,ok,"));
    free(s1);
    free(s2);
    const char *pts[] = {"cores-1/stats.json", "cores-2/stats.json", "cores-3/stats.json"};
    for (int i = 0; i < 3; i++) {
        char *a = slurp_in(d1, pts[i]), *b = slurp_in(d2, pts[i]);
        CU_ASSERT_PTR_NOT_NULL(a);
        CU_ASSERT_PTR_NOT_NULL(b);
        if (a && b)
            CU_ASSERT_STRING_EQUAL(a, b);
        free(a);
        free(b);
    }
}

static void test_refuses_to_overwrite(void)
{
    char dir[PATH_MAX];
    outdir(dir, sizeof(dir), "again");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "fail.yaml", NULL}), 1);
    char *before = slurp_in(dir, "stats.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(before);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "det.yaml", NULL}), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "refusing to overwrite"));
    char *after = slurp_in(dir, "stats.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(after);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(before);
    free(after);
}

static void test_fatal_keeps_stats(void)
{
    char dir[PATH_MAX];
    outdir(dir, sizeof(dir), "fatal");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "fatal.yaml", NULL}), 1);
    /* The diagnostic names the hart, the IP, the bytes and the cause. */
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "hart 0 ip 0x1 bytes 66 61 74 61: invalid opcode"));
    char *js = slurp_in(dir, "stats.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(js);
    CU_ASSERT(has_stat(js, "cpu0.instructions", "10"));
    free(js);
    char *man = slurp_in(dir, "manifest.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(man);
    CU_ASSERT_PTR_NOT_NULL(strstr(man, "\"stop_reason\": \"fatal\""));
    free(man);
}

static void test_guest_failure_idle_and_limit(void)
{
    char dir[PATH_MAX];
    outdir(dir, sizeof(dir), "fail");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "fail.yaml", NULL}), 1);
    char *csv = slurp_in(dir, "summary.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "failed: exit status 3"));
    free(csv);

    outdir(dir, sizeof(dir), "idle");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "idle.yaml", NULL}), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "asleep"));

    /* 1000-cycle limit, 3-cycle steps: the step at 999 runs, ending at 1002;
     * 334 steps of 2 instructions. */
    outdir(dir, sizeof(dir), "limit");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "limit.yaml", NULL}), 0);
    char *js = slurp_in(dir, "stats.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(js);
    CU_ASSERT(has_stat(js, "cpu0.instructions", "668"));
    CU_ASSERT(has_stat(js, "cpu0.cycles", "1002"));
    free(js);
}

static void test_bad_input(void)
{
    CU_ASSERT_EQUAL(vtsim((const char *[]){"validate", DATA "misspelt.yaml", NULL}), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "misspelt.yaml:4:3: error: unknown key 'corse' in "
                                            "machine (did you mean 'cores'?)"));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"validate", DATA "det.yaml", NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "det.yaml: ok (1 point)"));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"validate", DATA "sweep.yaml", NULL}), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "sweep.yaml: ok (3 points)"));
    CU_ASSERT_EQUAL(vtsim((const char *[]){"validate", DATA "nothere.yaml", NULL}), 2);

    /* Nothing half-runs: no results folder is made for a bad study. */
    char dir[PATH_MAX];
    struct stat st;
    outdir(dir, sizeof(dir), "never");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-o", dir, DATA "misspelt.yaml", NULL}), 2);
    CU_ASSERT_NOT_EQUAL(stat(dir, &st), 0);
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-o", dir, "--set", "run.max_cycles=lots",
                                           DATA "det.yaml", NULL}),
                    2);
    CU_ASSERT_NOT_EQUAL(stat(dir, &st), 0);

    /* A missing image or front end is bad input too, reported clearly. */
    outdir(dir, sizeof(dir), "noimage");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "noimage.yaml", NULL}), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "does-not-exist.script"));
    outdir(dir, sizeof(dir), "ia64");
    CU_ASSERT_EQUAL(vtsim((const char *[]){"run", "-q", "-o", dir, DATA "ia64.yaml", NULL}), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "ia64 front end is not part of this build"));
}

static void test_show_config(void)
{
    CU_ASSERT_EQUAL(
        vtsim((const char *[]){"show-config", "--set", "machine.cores=4", DATA "det.yaml", NULL}),
        0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "cores: 4"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "max_cycles: 1000000"));
    CU_ASSERT_EQUAL(
        vtsim((const char *[]){"show-config", "--set", "machine.corse=4", DATA "det.yaml", NULL}),
        2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out_text, "did you mean 'cores'"));
}

static CU_TestInfo tests[] = {
    {"version and help", test_version_and_help},
    {"run: exact stats, phases, files", test_run_exact_stats},
    {"run twice: identical stats.json", test_determinism},
    {"sweep: -j 3 equals -j 1", test_sweep_parallel_equals_serial},
    {"never overwrites a run", test_refuses_to_overwrite},
    {"fatal error keeps stats", test_fatal_keeps_stats},
    {"guest failure, idle, cycle limit", test_guest_failure_idle_and_limit},
    {"bad input exits 2 before running", test_bad_input},
    {"show-config", test_show_config},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    if (harness_init() != 0)
        return 2;
    return cunit_run("cli", tests);
}
