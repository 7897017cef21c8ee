// Defaults derived from the fabric and the traffic when the incident leaves them out: the
// epoch length, the warm-up, the measurement window and the duration (docs/model.md, "Epoch,
// warm-up and window when the incident does not say"). The rule for the epoch is the one
// docs/model.md argues for: small against the mean long-flow time at line rate, since
// bandwidth freed mid-epoch is only re-allocated at the next epoch (Algorithm 1, §3.3).
#pragma once

#include <optional>
#include <string>

#include "swarm/incident.h"

namespace swarm {

/// The time scales of an incident's traffic on its fabric, at the servers' line rate.
struct FabricTimescales {
    double line_rate_bps = 0.0;     ///< fastest server link: no flow can go faster
    double mean_long_flow_s = 0.0;  ///< mean size above the short-flow threshold / line rate
    double max_flow_s = 0.0;        ///< largest flow size / line rate
    double long_flows_per_s = 0.0;  ///< arrivals of long flows in the whole fabric
};

/// PRECONDITION: the topology has servers and the traffic a valid flow-size CDF.
FabricTimescales fabric_timescales(const Topology& topology, const TrafficSpec& traffic,
                                   double short_flow_bytes);

/// Long flows the default window aims to measure per sample: p1 then rests on about 20 flows.
inline constexpr double kDefaultMeasuredLongFlows = 2000.0;

/// The epoch: the largest of 1, 2, 5 x 10^n at most half the mean long-flow time at line rate
/// (1 ms for web-search traffic on 10 Gb/s servers, the shipped incidents' setting).
double default_epoch_s(const FabricTimescales& scales);

/// Warm-up, measurement window and duration in seconds (window = [warm-up, warm-up + window]).
struct DefaultHorizon {
    double warmup_s = 0.0;
    double window_s = 0.0;
    double duration_s = 0.0;
};

/// Warm-up: 20 mean long-flow times and 3 times the largest flow's, so the measured flows meet a
/// loaded network. Window: long enough to measure kDefaultMeasuredLongFlows long flows, and at
/// least twice the largest flow's time. Duration: the window plus a warm-up's worth of arrivals
/// after it, so flows measured late in the window still compete with newcomers (the loop stops
/// as soon as the measured flows are done).
DefaultHorizon default_horizon(const FabricTimescales& scales, double epoch_s);

/// A warning when an explicit epoch is too coarse for the link rates (longer than the mean
/// long-flow time at line rate), empty otherwise.
std::optional<std::string> coarse_epoch_warning(double epoch_s, const FabricTimescales& scales);

/// Which time settings the incident gave explicitly.
struct GivenTimeSettings {
    bool epoch = false;
    bool duration = false;
    bool window = false;
};

/// Fills in the settings the incident left out (epoch; duration and window, or the duration
/// after an explicit window) and adds a warning for an explicit epoch that is too coarse.
/// An explicit duration keeps its default window (the middle half), as before.
void fill_derived_defaults(Incident& incident, GivenTimeSettings given);

}  // namespace swarm
