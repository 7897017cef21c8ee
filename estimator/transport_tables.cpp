// The typed transport tables of SWARM §3.3 and Appendix B (their axes, scales and lookups) and
// the loading of one table set; the grid format itself is in quantile_grid.cpp.
#include "estimator/transport_tables.h"

#include <filesystem>
#include <optional>
#include <string>

#include "estimator/congestion_tables.h"
#include "estimator/long_flow_window.h"

namespace swarm {

// ---- typed tables -----------------------------------------------------------------------------

// Drop rates below 1e-9 (one packet in a billion) count as "no loss": the 0 row of a table.
constexpr double kDropRateFloor = 1e-9;
// 0 competing flows sits at 0.5 on the log axis: geometrically as far below 1 as 2 is above.
constexpr double kCompetingFlowsFloor = 0.5;

QuantileGrid::Spec LossLimitedThroughputTable::spec() {
    return {"loss_limited_throughput",
            "throughput_bps",
            {{"drop_rate", true, kDropRateFloor, {}}, {"rtt_us", true, 1e-3, {}}},
            /*log_values=*/true,
            /*allow_inf=*/true};
}

double LossLimitedThroughputTable::sample_bps(double drop_rate, double rtt_s, double u) const {
    const double coords[] = {drop_rate, rtt_s * 1e6};
    return grid_.sample(coords, u);
}

QuantileGrid::Spec ShortFlowRttTable::spec() {
    return {"short_flow_rtts",
            "rtts",
            {{"size_bytes", true, 1.0, {}},
             {"drop_rate", true, kDropRateFloor, {}},
             {"rtt_us", true, 1e-3, {}}},
            /*log_values=*/false,
            /*allow_inf=*/false};
}

QuantileGrid::Spec ShortFlowRttTable::body_spec() {
    QuantileGrid::Spec spec = ShortFlowRttTable::spec();
    spec.kind = "short_flow_body";
    return spec;
}

double ShortFlowRttTable::sample_rtts(double size_bytes, double drop_rate, double rtt_s,
                                      double u) const {
    const double coords[] = {size_bytes, drop_rate, rtt_s * 1e6};
    return grid_.sample(coords, u);
}

QuantileGrid::Spec QueueingDelayTable::spec() {
    return {"queueing_delay",
            "packets",
            {{"utilization", false, 0.0, {}}, {"competing_flows", true, kCompetingFlowsFloor, {}}},
            /*log_values=*/false,
            /*allow_inf=*/false};
}

double QueueingDelayTable::sample_packets(double utilization, double competing_flows,
                                          double u) const {
    const double coords[] = {utilization, competing_flows};
    return grid_.sample(coords, u);
}

// ---- TransportTables --------------------------------------------------------------------------

namespace {

std::string set_name(const std::filesystem::path& dir) {
    const auto name = dir.filename().string();
    return name.empty() ? dir.parent_path().filename().string() : name;  // "dir/" has no filename
}

}  // namespace

TransportTables TransportTables::load(const std::filesystem::path& dir) {
    const auto loss_file = dir / "loss_limited_throughput.tsv";
    const auto short_file = dir / "short_flow_rtts.tsv";
    const auto queue_file = dir / "queueing_delay.tsv";
    QuantileGrid loss = load_table_grid(loss_file, LossLimitedThroughputTable::spec());
    QuantileGrid short_rtts = load_table_grid(short_file, ShortFlowRttTable::spec());
    QuantileGrid queue = load_table_grid(queue_file, QueueingDelayTable::spec());
    check_same_packet_sizes(loss, loss_file, short_rtts, short_file);
    check_same_packet_sizes(loss, loss_file, queue, queue_file);
    const double mss = loss.mss_bytes();
    const double mtu = loss.mtu_bytes();
    std::optional<CongestionTables> congestion = CongestionTables::load(dir, loss, loss_file);
    TransportTables tables{
        set_name(dir),
        LossLimitedThroughputTable(std::move(loss)),
        ShortFlowRttTable(std::move(short_rtts)),
        QueueingDelayTable(std::move(queue)),
        mss,
        mtu,
        std::nullopt,
        congestion ? std::make_shared<const CongestionTables>(std::move(*congestion)) : nullptr,
        nullptr};
    if (const auto body_file = dir / "short_flow_body.tsv"; std::filesystem::exists(body_file)) {
        QuantileGrid body = load_table_grid(body_file, ShortFlowRttTable::body_spec());
        check_same_packet_sizes(tables.loss_limited.grid(), loss_file, body, body_file);
        tables.short_flow_body.emplace(std::move(body));
    }
    if (const auto file = dir / "long_flow_window.tsv"; std::filesystem::exists(file)) {
        QuantileGrid window = load_table_grid(file, LongFlowWindow::spec());
        check_same_packet_sizes(tables.loss_limited.grid(), loss_file, window, file);
        tables.long_flow_window = std::make_shared<const LongFlowWindow>(std::move(window));
    }
    return tables;
}

}  // namespace swarm
