// Traffic down-scaling (SWARM §3.4, after POP): split a network of link capacity C into k
// sub-networks of capacity C/k, give each 1/k of the flows at random (for Poisson arrivals, the
// same as arrivals at rate/k, by Poisson splitting) and simulate one of them. Long-flow rates in
// the sub-network are 1/k of the full network's, so throughput is scaled back by k; flows last
// k times longer, so the epoch grows by k too (docs/model.md: the epoch must stay small against
// the long-flow time). What it does not scale, and where its error comes from: loss-limited
// rates and RTTs are absolute (a lossy flow is relatively faster in the sub-network), and
// queueing delay in seconds grows by k (short-flow FCT is not rescaled).
//
// With the epoch scaled, the sub-network over [0, D] is the full network over [0, D/k] slowed
// down k times: down-scaling by k at a fixed horizon is the same as a k times shorter warm-up
// and window, plus the distortions above. auto_downscale() takes k only as large as the
// incident's warm-up and window allow (docs/performance.md, "Traffic down-scaling").
#pragma once

#include "swarm/incident.h"
#include "swarm/ranking.h"

namespace swarm {

/// The incident's sub-network for factor k >= 1: capacities / k, arrival rate / k, epoch x k.
Incident downscaled(const Incident& incident, int k);

/// Throughput estimates, intervals and decision margins of a ranking of downscaled(incident, k),
/// multiplied by k to read as the full network's.
void upscale(Ranking& ranking, int k);

/// The largest k that keeps the incident's warm-up at least the derived default one
/// (estimator_defaults.h) and its window at kDefaultMeasuredLongFlows long flows, in full-network
/// time; 1 when the incident has no slack (the derived defaults have none).
int auto_downscale(const Incident& incident);

}  // namespace swarm
