#include "estimator/transport_mix.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "estimator/random.h"

namespace swarm {

TransportMix::TransportMix(const TransportTables& tables)
    : entries_{{&tables, 1.0}}, primary_(&tables) {}

TransportMix::TransportMix(
    std::vector<std::pair<std::shared_ptr<const TransportTables>, double>> sets) {
    if (sets.empty()) throw std::invalid_argument("a transport mix needs at least one table set");
    double total = 0.0;
    double largest = 0.0;
    for (auto& [tables, probability] : sets) {
        if (!tables || !(probability > 0.0)) {
            throw std::invalid_argument(
                "a transport mix needs table sets with positive probabilities");
        }
        if (!owned_.empty() && tables->mtu_bytes != owned_.front()->mtu_bytes) {
            throw std::invalid_argument("table sets " + owned_.front()->name + " and " +
                                        tables->name + " disagree on mtu_bytes");
        }
        total += probability;
        if (probability > largest) {
            largest = probability;
            primary_ = tables.get();
        }
        entries_.push_back({tables.get(), total});
        owned_.push_back(std::move(tables));
    }
    if (std::abs(total - 1.0) > 1e-6)
        throw std::invalid_argument("transport mix probabilities must sum to 1");
    entries_.back().cumulative = 1.0;
}

const TransportTables& TransportMix::for_flow(std::uint64_t seed, std::size_t flow) const {
    if (entries_.size() == 1) return *entries_.front().tables;
    const double u = static_cast<double>(derive_seed(seed, {flow}) >> 11) * 0x1.0p-53;
    for (const Entry& e : entries_) {
        if (u < e.cumulative) return *e.tables;
    }
    return *entries_.back().tables;
}

std::string TransportMix::describe() const {
    if (entries_.size() == 1) return entries_.front().tables->name;
    std::ostringstream out;
    double previous = 0.0;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        out << (i ? "," : "") << entries_[i].tables->name << ":"
            << entries_[i].cumulative - previous;
        previous = entries_[i].cumulative;
    }
    return out.str();
}

TransportMix incident_transport_mix(const Incident& incident, const TransportTables& tables,
                                    const RankOptions& options) {
    if (incident.transport.mix.empty()) return TransportMix(tables);
    if (!options.table_sets) {
        throw std::invalid_argument(
            "the incident names transport table sets but no table-set loader was given");
    }
    std::vector<std::pair<std::shared_ptr<const TransportTables>, double>> sets;
    for (const auto& [name, probability] : incident.transport.mix) {
        if (name == tables.name) {
            // The caller's default set: borrow it (it outlives this call).
            sets.emplace_back(
                std::shared_ptr<const TransportTables>(&tables, [](const TransportTables*) {}),
                probability);
            continue;
        }
        sets.emplace_back(options.table_sets(name), probability);
    }
    return TransportMix(std::move(sets));
}

}  // namespace swarm
