/*
 * test_config.c - units, study validation with exact diagnostics, presets
 * and precedence, --set, sweeps, show-config round trips, docs/config.md,
 * and the hypervisor settings as the boot-info blocks carry them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "hv/x86/bootinfo.h"
#include "model/platform/physmem.h"
#include "sim/bootinfo_ia64.h"
#include "sim/bootinfo_x86.h"
#include "sim/config.h"
#include "sim/units.h"

#define DATA VTSIM_SOURCE_DIR "/tests/data/config/"

static char diagbuf[8192];

/* Load text as study "t.yaml", apply sets, resolve; diagnostics in diagbuf. */
static struct study_config *resolve_text(const char *text, const char *const *sets,
                                         unsigned *errors)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct diag d = {.out = f};
    struct study_config *c = NULL;
    struct config_src *src = config_load_buffer("t.yaml", text, strlen(text), &d);
    if (src) {
        for (; sets && *sets; sets++)
            config_set(src, *sets, &d);
        if (d.errors == 0)
            config_resolve(src, &c, &d);
    }
    config_src_free(src);
    fclose(f);
    snprintf(diagbuf, sizeof(diagbuf), "%s", buf ? buf : "");
    free(buf);
    if (errors)
        *errors = d.errors;
    return c;
}

static void expect_error(const char *text, const char *line)
{
    unsigned n;
    struct study_config *c = resolve_text(text, NULL, &n);
    CU_ASSERT_PTR_NULL(c);
    config_free(c);
    if (!strstr(diagbuf, line)) {
        fprintf(stderr, "\nexpected: %s\ngot: %s\n", line, diagbuf);
        CU_FAIL("diagnostic not found");
    }
}

#define OK_HEAD "study: t\nmachine: {isa: x86}\n"

static void test_units(void)
{
    uint64_t v;
    int64_t i;
    bool b;
    double d;
    CU_ASSERT(units_parse_size("64", &v) == 0 && v == 64);
    CU_ASSERT(units_parse_size("16KiB", &v) == 0 && v == 16384);
    CU_ASSERT(units_parse_size("3MiB", &v) == 0 && v == 3u << 20);
    CU_ASSERT(units_parse_size("1GB", &v) == 0 && v == 1u << 30);
    CU_ASSERT(units_parse_size("1.5KiB", &v) == 0 && v == 1536);
    CU_ASSERT(units_parse_size("1.3KiB", &v) == -1); /* 1331.2 bytes */
    CU_ASSERT(units_parse_size("16kib", &v) == -1);
    CU_ASSERT(units_parse_size("-1", &v) == -1);
    CU_ASSERT(units_parse_size("99999999999TiB", &v) == -1);
    CU_ASSERT(units_parse_count("50M", &v) == 0 && v == 50000000);
    CU_ASSERT(units_parse_count("2e9", &v) == 0 && v == 2000000000);
    CU_ASSERT(units_parse_count("1.5M", &v) == 0 && v == 1500000);
    CU_ASSERT(units_parse_count("1_000_000", &v) == 0 && v == 1000000);
    CU_ASSERT(units_parse_count("1__0", &v) == -1);
    CU_ASSERT(units_parse_count("_10", &v) == -1);
    CU_ASSERT(units_parse_count("99999999999999999999", &v) == -1);
    CU_ASSERT(units_parse_count("18446744073709551615", &v) == 0 && v == UINT64_MAX);
    CU_ASSERT(units_parse_count("20000000T", &v) == -1);
    CU_ASSERT(units_parse_uint("0x1000", &v) == 0 && v == 4096);
    CU_ASSERT(units_parse_uint("0x", &v) == -1);
    CU_ASSERT(units_parse_uint(" 1", &v) == -1);
    CU_ASSERT(units_parse_int("-9223372036854775808", &i) == 0 && i == INT64_MIN);
    CU_ASSERT(units_parse_int("9223372036854775808", &i) == -1);
    CU_ASSERT(units_parse_bool("yes", &b) == 0 && b);
    CU_ASSERT(units_parse_bool("off", &b) == 0 && !b);
    CU_ASSERT(units_parse_bool("2", &b) == -1);
    CU_ASSERT(units_parse_double("2.5e-3", &d) == 0 && d == 2.5e-3);
    CU_ASSERT(units_parse_double("inf", &d) == -1);
    CU_ASSERT(units_parse_double("0x1p3", &d) == -1);
    char buf[32];
    units_format_size(16384, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "16KiB");
    units_format_size(3u << 20, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "3MiB");
    units_format_size(1000, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "1000");
    CU_ASSERT_STRING_NOT_EQUAL(buf, "1000B");
}

static void test_defaults_and_values(void)
{
    struct study_config *c =
        resolve_text(OK_HEAD "vms:\n  - {name: a, image: a.elf, memory: 1MiB}\n", NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(c->study, "t");
    CU_ASSERT_STRING_EQUAL(c->description, "");
    CU_ASSERT_EQUAL(c->machine.cores, 1);
    CU_ASSERT_EQUAL(c->machine.memory, 256u << 20);
    CU_ASSERT_EQUAL(c->run.max_cycles, 2000000000u);
    CU_ASSERT_EQUAL(c->nvms, 1);
    CU_ASSERT_EQUAL(c->vms[0].memory, 1u << 20);
    CU_ASSERT_EQUAL(c->vms[0].vcpus, 1);
    CU_ASSERT_PTR_NULL(c->hypervisor.image);
    CU_ASSERT_EQUAL(c->hypervisor.mmu, HV_MMU_DIRECT);
    CU_ASSERT_EQUAL(c->hypervisor.trace.mmu, HV_TR_POST_SYNC);
    CU_ASSERT_EQUAL(c->hypervisor.trace.gdt, HV_TR_BRACKETING);
    CU_ASSERT_EQUAL(c->hypervisor.trace.code, HV_TR_BRACKETING);
    CU_ASSERT_EQUAL(c->hypervisor.trace.override, 0);
    CU_ASSERT_FALSE(c->hypervisor.trace.null_trace || c->hypervisor.trace.defer_mmu ||
                    c->hypervisor.trace.code_patch);
    CU_ASSERT_EQUAL(c->hypervisor.trace.actor_delay_cycles, 0);
    CU_ASSERT_EQUAL(config_npoints(c), 1);
    char buf[64];
    CU_ASSERT_TRUE(config_get(c, "vms.0.memory", buf, sizeof(buf)));
    CU_ASSERT_STRING_EQUAL(buf, "1MiB");
    CU_ASSERT_TRUE(config_get(c, "machine.isa", buf, sizeof(buf)));
    CU_ASSERT_STRING_EQUAL(buf, "x86");
    CU_ASSERT_FALSE(config_get(c, "vms.1.memory", buf, sizeof(buf)));
    CU_ASSERT_FALSE(config_get(c, "machine", buf, sizeof(buf)));
    CU_ASSERT_FALSE(config_get(c, "machine.cores.x", buf, sizeof(buf)));
    config_free(c);
}

static void test_error_messages(void)
{
    expect_error("study: t\nmachine:\n  isa: x86\n  corse: 2\n",
                 "t.yaml:4:3: error: unknown key 'corse' in machine (did you mean 'cores'?)\n");
    expect_error(OK_HEAD "zzzzzz: 1\n",
                 "t.yaml:3:1: error: unknown key 'zzzzzz' in the study "
                 "(valid keys: study, description, report, machine, "
                 "hypervisor, vms, run, plots, claims, derived, sweep, sweep_zip)\n");
    expect_error("study: t\nmachine: {isa: x86, cores: many}\n",
                 "t.yaml:2:28: error: machine.cores: expected an unsigned integer, got 'many'\n");
    expect_error("study: t\nmachine: {isa: x86, cores: 100}\n",
                 "t.yaml:2:28: error: machine.cores: 100 is out of range [1, 64]\n");
    expect_error("study: t\nmachine: {isa: arm}\n",
                 "t.yaml:2:16: error: machine.isa: 'arm' is not one of: ia64, x86\n");
    expect_error(OK_HEAD "vms:\n  - name: a\n",
                 "t.yaml:4:5: error: vms[0]: missing required key 'image'\n");
    expect_error("machine: {isa: x86}\n",
                 "t.yaml:1:1: error: the study: missing required key 'study'\n");
    expect_error(OK_HEAD "run:\n  max_cycles: {a: 1}\n",
                 "t.yaml:4:15: error: run.max_cycles: expected a count (e.g. 1000, 50M, 2e9), "
                 "got a mapping\n");
    expect_error(OK_HEAD "run: 5\n", "t.yaml:3:6: error: run: expected a mapping\n");
    expect_error(OK_HEAD "run: {seed: 1, seed: 2}\n",
                 "t.yaml:3:16: error: duplicate key 'seed' (first at line 3:7)\n");
    expect_error(OK_HEAD "run: {seed: 1\n", "t.yaml:4:1: error: YAML syntax: ");
    expect_error(OK_HEAD "a: &x 1\n", "anchors and tags are not supported");
    expect_error(OK_HEAD "run: {seed: !!str 1}\n", "anchors and tags are not supported");
    expect_error("", "t.yaml:1:1: error: the study is empty\n");
    expect_error("- a\n- b\n", "t.yaml:1:1: error: a study must be a mapping of keys\n");
    expect_error("study: Bad/Name\nmachine: {isa: x86}\n",
                 "t.yaml:1:8: error: study: 'Bad/Name' is not a study name");
    expect_error(OK_HEAD "run: {max_cycles: 0}\n",
                 "t.yaml:3:19: error: run.max_cycles: 0 is below the minimum 1\n");
    expect_error(OK_HEAD "report: [cpu.IPC]\n",
                 "t.yaml:3:10: error: report: 'cpu.IPC' is not a stat name ([a-z0-9_.])\n");
    expect_error(OK_HEAD "hypervisor:\n  trace: {mmu: post_write}\n",
                 "t.yaml:4:16: error: hypervisor.trace.mmu: 'post_write' is not one of: "
                 "bracketing, post_sync, post_async, pre_write, pre_write_data\n");
    expect_error(OK_HEAD "hypervisor:\n  trace:\n    actor_delay_cycles: 100000001\n",
                 "t.yaml:5:25: error: hypervisor.trace.actor_delay_cycles: 100000001 is out of "
                 "range [0, 100000000]\n");
    expect_error(OK_HEAD "hypervisor: {mmu: nested}\n",
                 "t.yaml:3:19: error: hypervisor.mmu: 'nested' is not one of: direct, shadow\n");

    /* Every error of a file is reported, not just the first. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct diag d = {.out = f};
    struct config_src *src = config_load_file(DATA "many_errors.yaml", &d);
    struct study_config *c = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(src);
    CU_ASSERT_EQUAL(config_resolve(src, &c, &d), -1);
    config_src_free(src);
    fclose(f);
    /* isa, cores, memory, threads_per_core, vms[0].image, vms[1].name,
     * vms[1].vcpus, runn */
    CU_ASSERT_EQUAL(d.errors, 8);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "many_errors.yaml:11:1: error: unknown key 'runn' in the "
                                       "study (did you mean 'run'?)"));
    free(buf);

    d = (struct diag){.out = NULL};
    CU_ASSERT_PTR_NULL(config_load_file(DATA "does-not-exist.yaml", &d));
    CU_ASSERT_EQUAL(d.errors, 1);
}

static void test_presets_and_precedence(void)
{
    setenv("VTSIM_PRESET_PATH", DATA "presets", 1);
    const char *sets[] = {"machine.frequency_mhz=3000", NULL};
    struct study_config *c = resolve_text("study: t\nmachine:\n  preset: tiny\n  cores: 2\n"
                                          "  frequency_mhz: 2000\n  l1d: {ways: 4}\n",
                                          sets, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->machine.isa, 1); /* preset */
    /* The preset's sections reach the machine's, key by key. */
    CU_ASSERT_EQUAL(c->machine.mem.l1d.size, 8192);           /* preset */
    CU_ASSERT_EQUAL(c->machine.mem.l1d.ways, 4);              /* study over preset */
    CU_ASSERT_EQUAL(c->machine.bpred.mispredict_penalty, 11); /* preset */
    CU_ASSERT_EQUAL(c->machine.cores, 2);                     /* study over preset */
    CU_ASSERT_EQUAL(c->machine.frequency_mhz, 3000);          /* --set over study */
    CU_ASSERT_EQUAL(c->machine.threads_per_core, 1);          /* default */
    config_free(c);

    expect_error("study: t\nmachine: {preset: nosuch}\n",
                 "t.yaml:2:19: error: machine.preset: no preset 'nosuch'");
    expect_error("study: t\nmachine: {preset: ../x}\n",
                 "t.yaml:2:19: error: machine.preset: '../x' is not a preset name");
    expect_error("study: t\nmachine: {preset: badkey}\n",
                 "presets/badkey.yaml:2:1: error: unknown key 'coers' in machine preset (did you "
                 "mean 'cores'?)");
    expect_error("study: t\nmachine: {preset: nested, isa: x86}\n",
                 "presets/nested.yaml:1:9: error: a preset cannot name another preset");
    /* The repository's own presets resolve. */
    unsetenv("VTSIM_PRESET_PATH");
    c = resolve_text("study: t\nmachine: {preset: itanium2}\n", NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(c);
    config_free(c);
    c = resolve_text("study: t\nmachine: {preset: core2}\n", NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(c);
    config_free(c);
}

static void test_set(void)
{
    const char *good[] = {"vms.0.vcpus=2", "report=[cpu.ipc, cpu.cycles]", "run.max_cycles=5M",
                          "vms.0.image=dir/with spaces.elf", NULL};
    struct study_config *c = resolve_text(OK_HEAD "vms: [{name: a, image: a}]\n", good, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->vms[0].vcpus, 2);
    CU_ASSERT_EQUAL(c->report.n, 2);
    CU_ASSERT_STRING_EQUAL(c->report.v[1], "cpu.cycles");
    CU_ASSERT_EQUAL(c->run.max_cycles, 5000000);
    CU_ASSERT_STRING_EQUAL(c->vms[0].image, "dir/with spaces.elf");
    config_free(c);

    const char *s1[] = {"machine.corse=2", NULL};
    CU_ASSERT_PTR_NULL(resolve_text(OK_HEAD, s1, NULL));
    CU_ASSERT_STRING_EQUAL(diagbuf, "--set machine.corse=2: error: unknown key 'corse' in "
                                    "machine (did you mean 'cores'?)\n");
    const char *s2[] = {"machine.cores=x", NULL};
    CU_ASSERT_PTR_NULL(resolve_text(OK_HEAD, s2, NULL));
    CU_ASSERT_STRING_EQUAL(diagbuf, "--set machine.cores=x: error: machine.cores: expected an "
                                    "unsigned integer, got 'x'\n");
    const char *s3[] = {"vms.5.name=x", NULL};
    CU_ASSERT_PTR_NULL(resolve_text(OK_HEAD, s3, NULL));
    CU_ASSERT_STRING_EQUAL(diagbuf,
                           "--set vms.5.name=x: error: vms[5].name does not exist in this study\n");
    const char *s4[] = {"machine=3", NULL};
    CU_ASSERT_PTR_NULL(resolve_text(OK_HEAD, s4, NULL));
    CU_ASSERT_STRING_EQUAL(diagbuf,
                           "--set machine=3: error: 'machine' is a section, not a value\n");
    const char *s5[] = {"noequals", NULL};
    CU_ASSERT_PTR_NULL(resolve_text(OK_HEAD, s5, NULL));
    CU_ASSERT_STRING_EQUAL(diagbuf, "--set noequals: error: expected key.path=value\n");
}

static const char sweep_study[] = OK_HEAD "vms: [{name: a, image: a}]\n"
                                          "sweep:\n"
                                          "  machine.cores: [1, 2]\n"
                                          "  vms.0.vcpus: [1, 2, 4]\n";

static void round_trip(const char *text);

static void test_sweep(void)
{
    struct diag d = {.out = NULL};
    struct config_src *src = config_load_buffer("t.yaml", sweep_study, strlen(sweep_study), &d);
    struct study_config *c = NULL;
    CU_ASSERT_EQUAL_FATAL(config_resolve(src, &c, &d), 0);
    CU_ASSERT_EQUAL(config_npoints(c), 6);
    CU_ASSERT_EQUAL(config_sweep_naxes(c), 2);
    CU_ASSERT_STRING_EQUAL(config_sweep_key(c, 1), "vms.0.vcpus");
    config_free(c);
    const char *names[] = {"cores-1_vcpus-1", "cores-1_vcpus-2", "cores-1_vcpus-4",
                           "cores-2_vcpus-1", "cores-2_vcpus-2", "cores-2_vcpus-4"};
    const unsigned cores[] = {1, 1, 1, 2, 2, 2}, vcpus[] = {1, 2, 4, 1, 2, 4};
    for (size_t i = 0; i < 6; i++) {
        char name[128];
        CU_ASSERT_EQUAL_FATAL(config_resolve_point(src, i, &c, name, sizeof(name), &d), 0);
        CU_ASSERT_STRING_EQUAL(name, names[i]);
        CU_ASSERT_EQUAL(c->machine.cores, cores[i]);
        CU_ASSERT_EQUAL(c->vms[0].vcpus, vcpus[i]);
        config_free(c);
    }
    CU_ASSERT_EQUAL(config_resolve_point(src, 6, &c, NULL, 0, &d), -1);
    config_src_free(src);

    /* --set on a swept key: the sweep's value would win, so it is refused,
     * saying why. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct diag dd = {.out = f};
    src = config_load_buffer("t.yaml", sweep_study, strlen(sweep_study), &dd);
    CU_ASSERT_EQUAL(config_set(src, "machine.cores=4", &dd), 0);
    CU_ASSERT_EQUAL(config_resolve_point(src, 0, &c, NULL, 0, &dd), -1);
    config_src_free(src);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "machine.cores is swept in this study, so --set cannot fix "
                                       "it: narrow the sweep instead"));
    free(buf);

    /* Two keys ending alike get longer suffixes. */
    const char twin[] = OK_HEAD "vms: [{name: a, image: a}, {name: b, image: b}]\n"
                                "sweep: {vms.0.vcpus: [1], vms.1.vcpus: [2]}\n";
    src = config_load_buffer("t.yaml", twin, strlen(twin), &d);
    char name[128];
    CU_ASSERT_EQUAL(config_resolve_point(src, 0, &c, name, sizeof(name), &d), 0);
    CU_ASSERT_STRING_EQUAL(name, "0.vcpus-1_1.vcpus-2");
    config_free(c);
    config_src_free(src);

    /* A path value names the point by its file name, never with "..". */
    const char paths[] = OK_HEAD "vms: [{name: a, image: a}]\n"
                                 "sweep: {vms.0.image: [../../x/guest-a.elf, ./y/b.elf]}\n";
    src = config_load_buffer("t.yaml", paths, strlen(paths), &d);
    CU_ASSERT_EQUAL(config_resolve_point(src, 0, &c, name, sizeof(name), &d), 0);
    CU_ASSERT_STRING_EQUAL(name, "image-guest-a.elf");
    config_free(c);
    CU_ASSERT_EQUAL(config_resolve_point(src, 1, &c, name, sizeof(name), &d), 0);
    CU_ASSERT_STRING_EQUAL(name, "image-b.elf");
    config_free(c);
    config_src_free(src);

    /* sweep_zip lists move together, as one more (fastest) axis. */
    const char zip[] = OK_HEAD "vms: [{name: a, image: a}]\n"
                               "sweep: {machine.cores: [1, 2]}\n"
                               "sweep_zip: {vms.0.vcpus: [1, 4], run.seed: [7, 8]}\n";
    src = config_load_buffer("t.yaml", zip, strlen(zip), &d);
    CU_ASSERT_EQUAL_FATAL(config_resolve(src, &c, &d), 0);
    CU_ASSERT_EQUAL(config_npoints(c), 4);
    config_free(c);
    const char *znames[] = {"cores-1_vcpus-1_seed-7", "cores-1_vcpus-4_seed-8",
                            "cores-2_vcpus-1_seed-7", "cores-2_vcpus-4_seed-8"};
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL_FATAL(config_resolve_point(src, i, &c, name, sizeof(name), &d), 0);
        CU_ASSERT_STRING_EQUAL(name, znames[i]);
        CU_ASSERT_EQUAL(c->run.seed, i % 2 ? 8 : 7);
        CU_ASSERT_EQUAL(c->vms[0].vcpus, i % 2 ? 4 : 1);
        CU_ASSERT_EQUAL(c->machine.cores, i < 2 ? 1 : 2);
        config_free(c);
    }
    config_src_free(src);
    round_trip(zip);
    expect_error(OK_HEAD "sweep_zip: {run.seed: [1, 2], machine.cores: [1]}\n",
                 "t.yaml:3:46: error: sweep_zip: machine.cores has 1 values but the lists before "
                 "it have 2; lists that move together must have the same length\n");
    expect_error(OK_HEAD "sweep: {run.seed: [1]}\nsweep_zip: {run.seed: [1]}\n",
                 "sweep_zip: 'run.seed' is already swept");

    expect_error(OK_HEAD "sweep: {machine.coers: [1]}\n",
                 "t.yaml:3:9: error: sweep: unknown key 'coers' in machine (did you mean "
                 "'cores'?)\n");
    expect_error(OK_HEAD "sweep: {machine.cores: [1, 99]}\n",
                 "t.yaml:3:28: error: machine.cores: 99 is out of range [1, 64]\n");
    expect_error(OK_HEAD "sweep: {machine.cores: []}\n",
                 "t.yaml:3:24: error: sweep: machine.cores: expected a non-empty list of values\n");
    expect_error(OK_HEAD "sweep: {study: [a]}\n", "sweep: 'study' cannot be swept");
    expect_error(OK_HEAD
                 "sweep:\n  run.seed: [1,2,3,4,5,6,7,8,9]\n  machine.cores: [1,2,3,4,5,6,7,8]\n"
                 "  vms.0.vcpus: [1,2,3,4,5,6,7,8]\n  machine.threads_per_core: "
                 "[1,2,3,4,5,6,7,8]\nvms: [{name: a, image: a}]\n",
                 "sweep: more than 4096 points");
}

static char *emit(const struct study_config *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_emit_yaml(c, f);
    fclose(f);
    return buf;
}

static void round_trip(const char *text)
{
    struct study_config *a = resolve_text(text, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    char *y1 = emit(a);
    struct study_config *b = resolve_text(y1, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(b);
    if (b) {
        char *y2 = emit(b);
        CU_ASSERT_STRING_EQUAL(y1, y2);
        free(y2);
    } else {
        fprintf(stderr, "\nre-read failed:\n%s\n%s\n", y1, diagbuf);
    }
    free(y1);
    config_free(a);
    config_free(b);
}

static void test_show_config_round_trip(void)
{
    round_trip(sweep_study);
    round_trip("study: t\nmachine: {preset: itanium2, cores: 3}\n");
    round_trip("study: t\ndescription: \"a: b, 'c' \\\"d\\\" \\\\ -e\"\nmachine: {isa: ia64}\n"
               "vms:\n  - {name: 'yes', image: '-dash', memory: 12345}\n  - {name: '', image: x}\n"
               "report: [a.b, c]\nhypervisor: {image: \"tab\\there\"}\n");
    round_trip(OK_HEAD "hypervisor:\n  mmu: shadow\n  trace: {mmu: pre_write_data, override: "
                       "post_async, null_trace: true, actor_delay_cycles: 5000}\n");
    struct study_config *c = resolve_text("study: t\nmachine: {preset: itanium2}\n", NULL, NULL);
    char *y = emit(c);
    CU_ASSERT_PTR_NOT_NULL(strstr(y, "machine:\n  preset: itanium2\n  isa: ia64\n"));
    free(y);
    config_free(c);
}

static void test_doc_current(void)
{
    char *gen = NULL, *doc = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&gen, &len);
    CU_ASSERT_EQUAL(config_write_doc(f), 0);
    fclose(f);
    FILE *d = fopen(VTSIM_SOURCE_DIR "/docs/config.md", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    doc = calloc(1, len + 2);
    size_t got = fread(doc, 1, len + 1, d);
    fclose(d);
    bool same = got == len && memcmp(doc, gen, len) == 0;
    if (!same) {
        FILE *o = fopen("docs-config.md", "w");
        if (o) {
            fputs(gen, o);
            fclose(o);
        }
        fprintf(stderr, "docs/config.md is out of date: run build/vtsim docs config > "
                        "docs/config.md\n");
    }
    CU_ASSERT_TRUE(same);
    CU_ASSERT_PTR_NOT_NULL(strstr(gen, "| `machine.cores` | uint | `1` | 1 .. 64 |"));
    free(gen);
    free(doc);
}

/* The boot-info block a study gives the IA-32 hypervisor, through empty
 * slots so no image is loaded; NULL when the front end refuses, with its
 * reason in diagbuf. */
static bool x86_bootinfo(const char *text, struct xbi *out)
{
    struct study_config *c = resolve_text(text, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    struct physmem *pm = physmem_new();
    CU_ASSERT_FATAL(pm && physmem_add_ram(pm, 0, c->machine.memory) == 0);
    const char *paths[SCHEMA_MAX_VMS] = {NULL};
    bool ok = bootinfo_x86_build(c, pm, paths, diagbuf, sizeof(diagbuf)) == 0;
    uint32_t *w = (uint32_t *)out;
    for (size_t k = 0; ok && k < sizeof(*out) / 4; k++) {
        uint64_t v = 0;
        CU_ASSERT_EQUAL(physmem_read(pm, XBI_ADDR + 4 * k, 4, &v), PM_OK);
        w[k] = (uint32_t)v;
    }
    physmem_free(pm);
    config_free(c);
    return ok;
}

#define HV_HEAD OK_HEAD "vms: [{name: a, image: null, memory: 16MiB, vcpus: %s}]\nhypervisor:\n"

static void test_x86_bootinfo(void)
{
    char text[512];
    struct xbi bi;
    snprintf(text, sizeof(text), HV_HEAD "  image: hv.elf\n", "1");
    CU_ASSERT_TRUE_FATAL(x86_bootinfo(text, &bi));
    CU_ASSERT_EQUAL(bi.version, 2);
    CU_ASSERT_EQUAL(bi.mmu_mode, 0);
    CU_ASSERT_EQUAL(bi.tr_sem[0], 1); /* post_sync */
    CU_ASSERT_EQUAL(bi.tr_sem[1], 0); /* bracketing */
    CU_ASSERT_EQUAL(bi.tr_sem[2], 0);
    CU_ASSERT_EQUAL(bi.tr_override, 0);
    CU_ASSERT_EQUAL(bi.tr_null + bi.tr_defer_mmu + bi.tr_actor_delay + bi.code_patch, 0);

    snprintf(text, sizeof(text),
             HV_HEAD "  image: hv.elf\n  mmu: shadow\n  trace:\n    mmu: pre_write_data\n"
                     "    gdt: post_async\n    code: pre_write\n    override: bracketing\n"
                     "    null_trace: true\n    defer_mmu: true\n"
                     "    actor_delay_cycles: 123456\n    code_patch: true\n",
             "16");
    CU_ASSERT_TRUE_FATAL(x86_bootinfo(text, &bi));
    CU_ASSERT_EQUAL(bi.mmu_mode, 1);
    CU_ASSERT_EQUAL(bi.tr_sem[0], 4);
    CU_ASSERT_EQUAL(bi.tr_sem[1], 2);
    CU_ASSERT_EQUAL(bi.tr_sem[2], 3);
    CU_ASSERT_EQUAL(bi.tr_override, 1); /* bracketing + 1 */
    CU_ASSERT_EQUAL(bi.tr_null, 1);
    CU_ASSERT_EQUAL(bi.tr_defer_mmu, 1);
    CU_ASSERT_EQUAL(bi.tr_actor_delay, 123456);
    CU_ASSERT_EQUAL(bi.code_patch, 1);
    CU_ASSERT_EQUAL(bi.nvms, 0); /* an empty slot starts no VM */

    /* Several virtual CPUs need shadow tables, and at most 16 of them. */
    snprintf(text, sizeof(text), HV_HEAD "  image: hv.elf\n", "2");
    CU_ASSERT_FALSE(x86_bootinfo(text, &bi));
    CU_ASSERT_STRING_EQUAL(diagbuf,
                           "hypervisor.mmu: several virtual CPUs need mmu: shadow (vms.0.vcpus "
                           "is 2)");
    snprintf(text, sizeof(text), HV_HEAD "  image: hv.elf\n  mmu: shadow\n", "17");
    CU_ASSERT_FALSE(x86_bootinfo(text, &bi));
    CU_ASSERT_STRING_EQUAL(diagbuf,
                           "vms.0.vcpus: at most 16 virtual CPUs for the IA-32 hypervisor");

    /* The IA-64 hypervisor has no shadow tables. */
    struct study_config *c = resolve_text("study: t\nmachine: {isa: ia64}\n"
                                          "vms: [{name: a, image: null, memory: 16MiB}]\n"
                                          "hypervisor: {image: hv.elf, mmu: shadow}\n",
                                          NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    struct physmem *pm = physmem_new();
    CU_ASSERT_FATAL(pm && physmem_add_ram(pm, 0, c->machine.memory) == 0);
    const char *paths[SCHEMA_MAX_VMS] = {NULL};
    CU_ASSERT_EQUAL(bootinfo_ia64_build(c, pm, paths, diagbuf, sizeof(diagbuf)), -1);
    CU_ASSERT_STRING_EQUAL(diagbuf, "hypervisor.mmu: shadow is for the IA-32 hypervisor only");
    physmem_free(pm);
    config_free(c);
}

static CU_TestInfo tests[] = {
    {"units", test_units},
    {"defaults and values", test_defaults_and_values},
    {"error messages", test_error_messages},
    {"presets and precedence", test_presets_and_precedence},
    {"--set", test_set},
    {"sweep", test_sweep},
    {"show-config round trip", test_show_config_round_trip},
    {"docs/config.md is current", test_doc_current},
    {"IA-32 boot-info: memory mode and traces", test_x86_bootinfo},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("config", tests)
