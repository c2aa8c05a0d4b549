/*
 * event_queue.hh - the device events of the SystemC kernel: a queue ordered
 * by (time, id), ids counting up from 1 and never reused, so equal times
 * fire in posting order exactly as in the native scheduler.
 *
 * SystemC's own timed notifications would not do: an sc_event holds one
 * pending notification, and events due at the same time are triggered in
 * no specified order.  The kernel's arbiter (kernel.cc) pops this queue and
 * wakes itself with one timed sc_event at the earliest time.
 *
 * Not hot: posting is rare compared to steps (timers, IPIs).  Allocation
 * failures surface as std::bad_alloc, caught at the C boundary.
 */
#ifndef VTSIM_SIM_SYSTEMC_EVENT_QUEUE_HH
#define VTSIM_SIM_SYSTEMC_EVENT_QUEUE_HH

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>

#include "model/base/sched.h"

namespace vtsim::sc {

class EventQueue {
  public:
    struct Due {
        std::uint64_t time;
        std::uint64_t id;
        event_fn fn;
        void *ctx;
    };

    /* Queue fn(ctx) at `when`; the new id, or 0 once ids are exhausted. */
    std::uint64_t post(std::uint64_t when, event_fn fn, void *ctx);
    /* Remove a pending event; false if it is not pending. */
    bool cancel(std::uint64_t id);
    bool empty() const { return m_queue.empty(); }
    /* Time of the earliest pending event; the queue must not be empty. */
    std::uint64_t next_time() const { return m_queue.begin()->first.first; }
    /* Remove and return the earliest pending event; must not be empty. */
    Due pop();

  private:
    struct Action {
        event_fn fn;
        void *ctx;
    };
    std::map<std::pair<std::uint64_t, std::uint64_t>, Action> m_queue; /* (time, id) */
    std::unordered_map<std::uint64_t, std::uint64_t> m_time_of;        /* id -> time */
    std::uint64_t m_last_id = 0;
};

} // namespace vtsim::sc

#endif
