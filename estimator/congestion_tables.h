// The congestion tables of a measured table set (issue 13; docs/tables.md "Congestion"): what a
// drop-tail egress port does to the long flows that share it, measured in ns-3 with the
// queueing experiment of Appendix B (Fig. 1(b)) at and below saturation, per buffer size.
// Three files beside the set's other tables, all with axes utilization (linear, 0..1),
// buffer_packets (log) and competing_flows (log):
//   congestion_loss.tsv   drop_rate  the port's overflow loss (quantiles over repetitions)
//   congestion_queue.tsv  packets    the FIFO wait in MTU transmission times (pooled probes)
//   rate_spread.tsv       share      a competitor's rate / the fair share (pooled flows)
// A set without them (analytic-reno) has no congestion model.
#pragma once

#include <filesystem>
#include <optional>

#include "estimator/transport_tables.h"

namespace swarm {

class CongestionTables {
   public:
    static QuantileGrid::Spec loss_spec();
    static QuantileGrid::Spec queue_spec();
    static QuantileGrid::Spec spread_spec();

    /// Loads the three files of `dir`; nullopt when none exists. Throws std::runtime_error
    /// naming the file and line when one is malformed, when only some exist, or when their
    /// packet sizes differ from `reference` (the set's loss-limited table, `reference_file`).
    static std::optional<CongestionTables> load(const std::filesystem::path& dir,
                                                const QuantileGrid& reference,
                                                const std::filesystem::path& reference_file);

    /// The port's loss rate: the median over repetitions (a rate, not a per-flow draw).
    double drop_rate(double utilization, double buffer_packets, double competing_flows) const;
    /// The FIFO wait in packet times at quantile u.
    double queue_packets(double utilization, double buffer_packets, double competing_flows,
                         double u) const;
    /// A competitor's rate relative to the fair share at quantile u (mean 1 over competitors).
    double share(double utilization, double buffer_packets, double competing_flows, double u) const;

    const QuantileGrid& loss() const { return loss_; }
    const QuantileGrid& queue() const { return queue_; }
    const QuantileGrid& spread() const { return spread_; }

    /// From parsed grids (loss_spec(), queue_spec(), spread_spec()); load() checks them.
    CongestionTables(QuantileGrid loss, QuantileGrid queue, QuantileGrid spread)
        : loss_(std::move(loss)), queue_(std::move(queue)), spread_(std::move(spread)) {}

   private:
    QuantileGrid loss_;
    QuantileGrid queue_;
    QuantileGrid spread_;
};

}  // namespace swarm
