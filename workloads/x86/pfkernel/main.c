/*
 * main.c - pfkernel's driver: set-up, ROUNDS rounds of the five
 * scenarios inside the "roi" phase (each scenario in its own named phase),
 * then the report: faults by error code, what each scenario did, and the
 * two checksums.  Every line is the same on QEMU and vtsim.
 */
#include "kern.h"

void kmain(u32 magic, u32 mbi);

struct scenario {
    const char *name;  /* report and phase name */
    const char *phase; /* a control-device phase name */
    void (*run)(u32 round);
};

static const struct scenario scenarios[SC_N] = {
    [SC_SETUP] = {"setup", 0, 0},
    [SC_DEMAND] = {"demand", "pf.demand", scen_demand},
    [SC_PTEDIT] = {"ptedit", "pf.ptedit", scen_ptedit},
    [SC_COW] = {"cow", "pf.cow", scen_cow},
    [SC_USUP] = {"usup", "pf.usup", scen_usup},
    [SC_RSVD] = {"rsvd", "pf.rsvd", scen_rsvd},
};

static void report(void)
{
    for (u32 ec = 0; ec < 16; ec++) {
        char hex[2] = {"0123456789abcdef"[ec], 0};
        con_puts("pfec 0x");
        con_puts(hex);
        con_puts(ec & PF_P ? " P" : " -");
        con_puts(ec & PF_W ? "W" : "-");
        con_puts(ec & PF_U ? "U" : "-");
        con_puts(ec & PF_RSVD ? "R " : "- ");
        con_putdec(pf_count[ec]);
        con_puts("\n");
    }
    for (u32 s = 0; s < SC_N; s++) {
        const struct scen_stats *st = &scen_stats[s];
        con_puts("scenario ");
        con_puts(scenarios[s].name);
        con_puts(" faults ");
        con_putdec(st->faults);
        con_puts(" accesses ");
        con_putdec(st->accesses);
        con_puts(" pte_writes ");
        con_putdec(st->pte_writes);
        con_puts(" pde_writes ");
        con_putdec(st->pde_writes);
        con_puts(" pte_p0 ");
        con_putdec(st->pte_clear_p);
        con_puts(" pte_fig8 ");
        con_putdec(st->pte_fig8);
        con_puts("\n");
    }
    con_puts("faults ");
    con_putdec(pf_total);
    con_puts(" tables ");
    con_putdec(tables_used());
    u32 data = checksum_data(), tables = checksum_tables();
    con_puts("\nchecksum data ");
    con_puthex(data);
    con_puts(" tables ");
    con_puthex(tables);
    ctl_result(data);
    ctl_result(tables);
    con_puts("\n");
}

void kmain(u32 magic, u32 mbi)
{
    mem_check(magic, mbi);
    cpu_init();
    mem_init();
    pt_init();
    con_puts("pfkernel: ptbase ");
    con_puthex(PTBASE);
    con_puts(" rounds ");
    con_putdec(ROUNDS);
    con_puts("\n");
    ctl_roi(1);
    for (u32 round = 0; round < ROUNDS; round++) {
        for (u32 s = SC_DEMAND; s < SC_N; s++) {
            scen_cur = (enum scen)s;
            ctl_phase(scenarios[s].phase, 1);
            scenarios[s].run(round);
            ctl_phase(scenarios[s].phase, 0);
        }
    }
    scen_cur = SC_SETUP;
    ctl_roi(0);
    report();
    con_puts("pfkernel: ok\n");
    ctl_exit(EXIT_OK);
}
