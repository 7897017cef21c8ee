// A validated incident: the topology, the failures, the traffic model, the candidate
// mitigations and how to compare them (incident format v1, docs/incident-format.md).
// Names are resolved to ids at load time, so everything downstream works on indices.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "swarm/topology.h"
#include "swarm/units.h"

namespace swarm {

// ---- failures (what is broken) -------------------------------------------------------------
/// Packet loss on a link; with `from` set, only in the direction leaving that end (a one-way
/// fault: a bad transceiver or a dirty fibre on one side), else in both directions.
struct LinkLoss {
    LinkId link;
    double drop_rate;
    std::optional<NodeId> from = std::nullopt;
};
struct LinkDown {
    LinkId link;
};
struct LinkCapacity {
    LinkId link;
    double fraction;
};  ///< fraction of capacity left, in (0, 1]
struct NodeLoss {
    NodeId node;
    double drop_rate;
};
struct NodeDown {
    NodeId node;
};
/// A silent blackhole (ZooRoute §2, RON §1): routing still sends traffic over the link or
/// switch, which drops all of it. Unlike `LinkDown`, nothing routes around it by itself.
struct LinkBlackhole {
    LinkId link;
};
struct NodeBlackhole {
    NodeId node;
};
/// A routing-software bug on a switch (Keller thesis ch. 2): during each episode its FIB is
/// wrong for `destinations` (ToRs): no route (a blackhole), or a wrong next hop, which loops
/// (lost once the TTL runs out) or detours. Routing still sends traffic through the switch,
/// as with a silent blackhole. Episodes follow the thesis's synthetic bug model (§2.5.1): a
/// duration and an inter-arrival time (start to start), periodic or exponential, or listed.
struct RoutingBug {
    struct Episode {
        double start_s;
        double end_s;
    };
    NodeId node = -1;
    std::vector<NodeId> destinations;  ///< ToRs, sorted, never `node` itself
    std::vector<NodeId> next_hops;  ///< empty: blackhole; else the wrong neighbour per destination
    double start_s = 0.0;           ///< the first episode
    double duration_s = 600.0;      ///< mean episode length, §2.5.1
    double interarrival_s = 1.2e6;  ///< mean start-to-start time, §2.5.1
    bool random = false;            ///< exponential durations and gaps instead of periodic ones
    std::uint64_t seed = 1;         ///< the random episodes' stream
    std::vector<Episode> episodes;  ///< explicit episodes; when set, the timing above is unused
};
using Failure = std::variant<LinkLoss, LinkDown, LinkCapacity, NodeLoss, NodeDown, LinkBlackhole,
                             NodeBlackhole, RoutingBug>;

// ---- mitigation actions (what an operator can do) -----------------------------------------
struct DisableLink {
    LinkId link;
};
struct EnableLink {
    LinkId link;
};  ///< undoes an earlier DisableLink, never repairs a failure
struct DisableNode {
    NodeId node;
};  ///< drains a switch; a drained ToR's VMs move elsewhere
struct EnableNode {
    NodeId node;
};
/// WCMP weights of `node` towards some of its neighbours; unlisted neighbours keep weight 1.
struct SetWcmp {
    NodeId node;
    std::vector<std::pair<NodeId, double>> weights;
};
/// Moves `fraction` of the traffic of a server or ToR (`from`) to another (`to`): VM placement.
struct MoveTraffic {
    NodeId from;
    NodeId to;
    double fraction;
};
class MitigationModel;
/// A candidate action provided by a mitigation-model plugin (models/, docs/models/): ZooRoute,
/// BIFROST, VROOM, ... `type` is the name it is registered under; the model holds its
/// validated parameters and is shared read-only by every sample.
struct ModelAction {
    std::string type;
    std::shared_ptr<const MitigationModel> model;
};
using Action = std::variant<DisableLink, EnableLink, DisableNode, EnableNode, SetWcmp, MoveTraffic,
                            ModelAction>;

struct Candidate {
    std::string name;
    std::string description;  ///< free text for people; not used by the model
    std::vector<Action> actions;
};

// ---- traffic --------------------------------------------------------------------------------
/// Piecewise-linear flow-size CDF: points (bytes, cumulative probability), strictly increasing
/// bytes, non-decreasing probability from 0 (or more) to exactly 1.
struct FlowSizeCdf {
    std::string name;  ///< library name or "inline"
    std::vector<std::pair<double, double>> points;
};

struct UniformPattern {};
struct LocalityPattern {
    double same_rack;
    double same_pod;
    double other_pod;
};
/// ToR-to-ToR probabilities: row = source ToR (order of Topology::tors()), sums to 1 per row.
struct MatrixPattern {
    std::vector<std::vector<double>> tor_probability;
};
using TrafficPattern = std::variant<UniformPattern, LocalityPattern, MatrixPattern>;

struct TrafficSpec {
    double arrival_rate_per_server = 0.0;  ///< Poisson flow arrivals per server per second
    FlowSizeCdf flow_size;
    TrafficPattern pattern = UniformPattern{};
    Seconds duration{200.0};
    Seconds window_start{50.0};  ///< flows starting in [window_start, window_end) are measured
    Seconds window_end{150.0};
};

// ---- routing --------------------------------------------------------------------------------
struct RoutingSpec {
    /// Static WCMP weights (node, neighbour, weight) in force before any candidate action.
    std::vector<SetWcmp> wcmp;
};

// ---- comparator -----------------------------------------------------------------------------
/// A CLP metric: a statistic (a percentile or the mean) of long-flow throughput or short-flow FCT.
struct Metric {
    enum class Quantity { Throughput, Fct };
    Quantity quantity = Quantity::Throughput;
    std::optional<double> percentile;  ///< in (0, 100); empty means the mean
    std::string name() const;          ///< "p1_throughput", "avg_throughput", "p99_fct", ...
    bool higher_is_better() const { return quantity == Quantity::Throughput; }
    /// Parses "pN_throughput", "pN_fct", "avg_throughput", "avg_fct"; empty on anything else.
    static std::optional<Metric> parse(const std::string& name);
    friend bool operator==(const Metric&, const Metric&) = default;
};

struct PriorityComparatorSpec {
    std::vector<Metric> order;
    double tie_tolerance = 0.1;  ///< paper §4.1: within 10% counts as a tie
};
struct LinearComparatorSpec {
    std::vector<std::pair<Metric, double>> weights;  ///< paper Appendix D.3
};
using ComparatorSpec = std::variant<PriorityComparatorSpec, LinearComparatorSpec>;

// ---- transport ------------------------------------------------------------------------------
/// Which transport table sets the flows use (paper §3.3 footnote 7, Appendix D.1: a mix of
/// congestion controls with their probabilities). Each entry names a table-set directory under
/// data/tables/ ("ns3-cubic", "analytic-reno", ...) resolved from the incident's `cc` names.
/// Empty: every flow uses the caller's default set.
struct TransportSpec {
    std::vector<std::pair<std::string, double>> mix;  ///< (table set, probability), sums to 1
};

// ---- estimator settings ---------------------------------------------------------------------
/// How many samples: in rounds until the comparator's pick is settled (adaptive, capped at the
/// DKW count), or the DKW count (or the explicit counts) up front, the paper's mode (dkw).
enum class SamplingMode { Adaptive, Dkw };

struct EstimatorSpec {
    double confidence = 0.95;
    double epsilon = 0.05;
    Seconds epoch = Seconds::from_ms(200.0);
    Bytes short_flow_threshold{150000.0};
    std::uint64_t seed = 1;
    std::optional<int> traffic_samples;
    std::optional<int> routing_samples;
    SamplingMode sampling = SamplingMode::Adaptive;  ///< explicit sample counts imply Dkw
};

struct Incident {
    int version = 1;
    std::string name;
    std::string description;  ///< free text for people; not used by the model
    Topology topology;
    RoutingSpec routing;
    std::vector<Action> ongoing_mitigations;
    std::vector<Failure> failures;
    TrafficSpec traffic;
    std::vector<Candidate> candidates;
    ComparatorSpec comparator = PriorityComparatorSpec{};
    EstimatorSpec estimator;
    TransportSpec transport;
    /// What the reader noticed but accepted (an epoch too coarse for the link rates, ...).
    std::vector<std::string> warnings;
};

}  // namespace swarm
