/* cycle_time.cc - see cycle_time.hh. */
#include "sim/systemc/cycle_time.hh"

namespace vtsim::sc {

static std::uint64_t g_period = 1;

std::uint64_t cycle_period()
{
    return g_period;
}

void set_cycle_period(std::uint64_t units)
{
    g_period = units ? units : 1;
}

} // namespace vtsim::sc
