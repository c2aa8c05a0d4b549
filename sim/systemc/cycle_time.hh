/*
 * cycle_time.hh - vtsim cycles on SystemC's time axis.  One cycle lasts
 * cycle_period() units of the time resolution: 1 until the kernel is told
 * otherwise (run.systemc_cycle_ps, sched_systemc_set_cycle_ps), so that
 * peripherals sharing the axis can state their latencies in real time.
 * The period is per process, as the SystemC kernel is.
 *
 * Every conversion between a hart's clock and SystemC time goes through
 * these helpers.  Times the kernel creates are whole cycles; a peripheral
 * may move time to within a cycle, which is why comparisons are made on
 * times, and a latency is rounded up to whole cycles.
 */
#ifndef VTSIM_SIM_SYSTEMC_CYCLE_TIME_HH
#define VTSIM_SIM_SYSTEMC_CYCLE_TIME_HH

#include <cstdint>

#include <systemc>

namespace vtsim::sc {

/* Resolution units per cycle (at least 1). */
std::uint64_t cycle_period();
void set_cycle_period(std::uint64_t units);

/* The time `cycles` cycles after time zero, or lasting that long. */
inline sc_core::sc_time cycles_to_time(std::uint64_t cycles)
{
    return sc_core::sc_time::from_value(cycles * cycle_period());
}

/* The whole cycles in t, rounded down (a clock at or before t). */
inline std::uint64_t time_to_cycles(const sc_core::sc_time &t)
{
    return t.value() / cycle_period();
}

/* A duration in cycles, rounded up (a latency costs whole cycles). */
inline std::uint64_t duration_to_cycles(const sc_core::sc_time &d)
{
    std::uint64_t p = cycle_period();
    return (d.value() + p - 1) / p;
}

} // namespace vtsim::sc

#endif
