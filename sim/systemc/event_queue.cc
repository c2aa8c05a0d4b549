/* event_queue.cc - see event_queue.hh. */
#include "sim/systemc/event_queue.hh"

namespace vtsim::sc {

std::uint64_t EventQueue::post(std::uint64_t when, event_fn fn, void *ctx)
{
    if (m_last_id == UINT64_MAX)
        return 0;
    std::uint64_t id = m_last_id + 1;
    /* Insert in both maps before taking the id, so a throw leaves no trace. */
    m_time_of.emplace(id, when);
    try {
        m_queue.emplace(std::make_pair(when, id), Action{fn, ctx});
    } catch (...) {
        m_time_of.erase(id);
        throw;
    }
    m_last_id = id;
    return id;
}

bool EventQueue::cancel(std::uint64_t id)
{
    auto it = m_time_of.find(id);
    if (it == m_time_of.end())
        return false;
    m_queue.erase(std::make_pair(it->second, id));
    m_time_of.erase(it);
    return true;
}

EventQueue::Due EventQueue::pop()
{
    auto it = m_queue.begin();
    Due d{it->first.first, it->first.second, it->second.fn, it->second.ctx};
    m_queue.erase(it);
    m_time_of.erase(d.id);
    return d;
}

} // namespace vtsim::sc
