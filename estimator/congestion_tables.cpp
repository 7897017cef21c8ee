#include "estimator/congestion_tables.h"

#include <stdexcept>

namespace swarm {

namespace {

// As in the queueing table: 0 competing flows sits at 0.5 on the log axis.
constexpr double kCompetingFlowsFloor = 0.5;

QuantileGrid::Spec congestion_spec(const char* kind, const char* value) {
    return {kind,
            value,
            {{"utilization", false, 0.0, {}},
             {"buffer_packets", true, 1.0, {}},
             {"competing_flows", true, kCompetingFlowsFloor, {}}},
            /*log_values=*/false,
            /*allow_inf=*/false};
}

}  // namespace

QuantileGrid::Spec CongestionTables::loss_spec() {
    return congestion_spec("congestion_loss", "drop_rate");
}
QuantileGrid::Spec CongestionTables::queue_spec() {
    return congestion_spec("congestion_queue", "packets");
}
QuantileGrid::Spec CongestionTables::spread_spec() {
    return congestion_spec("rate_spread", "share");
}

std::optional<CongestionTables> CongestionTables::load(
    const std::filesystem::path& dir, const QuantileGrid& reference,
    const std::filesystem::path& reference_file) {
    const std::filesystem::path files[] = {dir / "congestion_loss.tsv",
                                           dir / "congestion_queue.tsv", dir / "rate_spread.tsv"};
    int present = 0;
    for (const auto& file : files) present += std::filesystem::exists(file) ? 1 : 0;
    if (present == 0) return std::nullopt;
    for (const auto& file : files) {
        if (!std::filesystem::exists(file)) {
            throw std::runtime_error(file.string() +
                                     ": missing (a set with congestion tables needs all three)");
        }
    }
    QuantileGrid loss = load_table_grid(files[0], loss_spec());
    QuantileGrid queue = load_table_grid(files[1], queue_spec());
    QuantileGrid spread = load_table_grid(files[2], spread_spec());
    check_same_packet_sizes(reference, reference_file, loss, files[0]);
    check_same_packet_sizes(reference, reference_file, queue, files[1]);
    check_same_packet_sizes(reference, reference_file, spread, files[2]);
    return CongestionTables(std::move(loss), std::move(queue), std::move(spread));
}

double CongestionTables::drop_rate(double utilization, double buffer_packets,
                                   double competing_flows) const {
    const double coords[] = {utilization, buffer_packets, competing_flows};
    return loss_.median(coords);
}

double CongestionTables::queue_packets(double utilization, double buffer_packets,
                                       double competing_flows, double u) const {
    const double coords[] = {utilization, buffer_packets, competing_flows};
    return queue_.sample(coords, u);
}

double CongestionTables::share(double utilization, double buffer_packets, double competing_flows,
                               double u) const {
    const double coords[] = {utilization, buffer_packets, competing_flows};
    return spread_.sample(coords, u);
}

}  // namespace swarm
