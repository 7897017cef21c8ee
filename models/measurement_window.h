// The simulated interval and its measurement window as a flow policy sees them
// (SWARM §3.3: flows that start in [window_start, window_end) are measured), for models whose
// side metrics count what happens inside the window (probes, relayed bytes, moved flows).
#pragma once

#include <algorithm>

#include "swarm/incident.h"

namespace swarm {

struct MeasurementWindow {
    double start_s = 0.0;
    double end_s = 0.0;
    double run_end_s = 0.0;  ///< the end of the simulated interval (duration_s)

    explicit MeasurementWindow(const TrafficSpec& traffic)
        : start_s(traffic.window_start.value),
          end_s(traffic.window_end.value),
          run_end_s(traffic.duration.value) {}

    /// Whether a flow arriving then is measured.
    bool measures(double arrival_s) const { return arrival_s >= start_s && arrival_s < end_s; }
    /// The length of [from, to) inside the window.
    double overlap_s(double from, double to) const {
        return std::max(0.0, std::min(to, end_s) - std::max(from, start_s));
    }
};

}  // namespace swarm
