#include "estimator/mitigation/plugin_model.h"

#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include "estimator/helper/json_fields.h"
#include "estimator/mitigation/model_params.h"
#include "estimator/network_state.h"

namespace swarm {

// ---- NetworkView and PluginParams (declared in include/swarm/model_plugin.h) ------------------

const Topology& NetworkView::topology() const { return state_->topology(); }
double NetworkView::link_drop_rate(LinkId link) const { return state_->link_drop_rate(link); }
double NetworkView::node_drop_rate(NodeId node) const { return state_->node_drop_rate(node); }
double NetworkView::link_capacity_bps(LinkId link) const { return state_->link_capacity_bps(link); }
bool NetworkView::link_usable(LinkId link) const { return state_->link_usable(link); }
bool NetworkView::node_usable(NodeId node) const { return state_->node_usable(node); }

const std::string& PluginParams::path() const { return params_->path(); }
const Topology& PluginParams::topology() const { return params_->topology(); }
bool PluginParams::has(std::string_view key) const { return params_->has(key); }

double PluginParams::number(std::string_view key, double default_value, double lo,
                            double hi) const {
    return params_->number(key, default_value, json_fields::Range{lo, hi});
}
double PluginParams::required_number(std::string_view key, double lo, double hi) const {
    return params_->required_number(key, json_fields::Range{lo, hi});
}
int PluginParams::integer(std::string_view key, int default_value, int lo, int hi) const {
    return params_->integer(key, default_value, lo, hi);
}
bool PluginParams::flag(std::string_view key, bool default_value) const {
    return params_->flag(key, default_value);
}
std::string PluginParams::choice(std::string_view key, const std::string& default_value,
                                 const std::vector<std::string>& options) const {
    return params_->choice(key, default_value, options);
}
std::string PluginParams::text(std::string_view key, const std::string& default_value) const {
    const nlohmann::json* value = params_->raw(key);
    return value ? json_fields::as_string(*value, params_->at(key)) : default_value;
}
NodeId PluginParams::node(std::string_view key) const { return params_->node(key); }
LinkId PluginParams::link(std::string_view key) const { return params_->link(key); }
std::vector<LinkId> PluginParams::links(std::string_view key) const { return params_->links(key); }
std::vector<std::int32_t> PluginParams::servers(std::string_view key) const {
    return params_->servers(key);
}
void PluginParams::fail(std::string_view key, const std::string& message) const {
    params_->fail(key, message);
}

// ---- the adapter --------------------------------------------------------------------------

namespace {

/// Why `edit` does not fit `topology`, or empty.
std::string misfit(const NetworkEdit& edit, const Topology& topology) {
    const auto link_missing = [&](LinkId l) {
        return l < 0 || static_cast<std::size_t>(l) >= topology.link_count();
    };
    const auto switch_missing = [&](NodeId n) {
        return n < 0 || static_cast<std::size_t>(n) >= topology.node_count() ||
               topology.node(n).kind != NodeKind::Switch;
    };
    return std::visit(
        [&](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, DisableNode> || std::is_same_v<T, EnableNode>) {
                if (switch_missing(e.node))
                    return "node " + std::to_string(e.node) + " is not a switch of the topology";
                return {};
            } else {
                if (link_missing(e.link))
                    return "link " + std::to_string(e.link) + " does not exist (the topology has " +
                           std::to_string(topology.link_count()) + " links)";
                if constexpr (std::is_same_v<T, SetLinkDropRate>) {
                    if (!(e.drop_rate >= 0.0 && e.drop_rate <= 1.0))
                        return "drop rate " + json_fields::format_number(e.drop_rate) +
                               " is not in [0, 1]";
                } else if constexpr (std::is_same_v<T, SetLinkCapacity>) {
                    if (!(e.capacity_bps > 0.0 && std::isfinite(e.capacity_bps)))
                        return "capacity " + json_fields::format_number(e.capacity_bps) +
                               " bps is not positive and finite";
                }
                return {};
            }
        },
        edit);
}

void apply_edit(const NetworkEdit& edit, NetworkState& state) {
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, SetLinkDropRate>) {
                state.set_link_drop_rate(e.link, e.drop_rate);
            } else if constexpr (std::is_same_v<T, SetLinkCapacity>) {
                state.set_link_capacity_bps(e.link, e.capacity_bps);
            } else {
                state.apply(Action{e});
            }
        },
        edit);
}

std::string model_name(const std::string& type) { return "mitigation model \"" + type + "\""; }

}  // namespace

void apply_plugin_edits(const std::string& type, const std::string& when,
                        const std::vector<NetworkEdit>& edits, NetworkState& state) {
    // Every edit is checked before any applies: a rejected answer leaves the state as it was.
    for (std::size_t i = 0; i < edits.size(); ++i) {
        if (const std::string why = misfit(edits[i], state.topology()); !why.empty()) {
            throw std::logic_error(model_name(type) + " returned an invalid edit from " + when +
                                   " (edit " + std::to_string(i) + "): " + why);
        }
    }
    for (const NetworkEdit& edit : edits) apply_edit(edit, state);
}

PluginModel::PluginModel(std::string type, std::shared_ptr<const ModelPlugin> plugin)
    : type_(std::move(type)), plugin_(std::move(plugin)) {}

std::string PluginModel::describe(const Topology& topology) const {
    return plugin_->describe(topology);
}

void PluginModel::edit_state(NetworkState& state) const {
    apply_plugin_edits(type_, "edits()", plugin_->edits(NetworkView(state)), state);
}

std::vector<TimedEdit> PluginModel::timed_edits() const {
    std::vector<TimedEdit> out;
    for (TimedNetworkEdits& timed : plugin_->timed_edits()) {
        if (!(timed.start_s >= 0.0 && std::isfinite(timed.start_s))) {
            throw std::logic_error(model_name(type_) + " returned timed edits \"" + timed.label +
                                   "\" at " + json_fields::format_number(timed.start_s) +
                                   " s (a start time must be >= 0 and finite)");
        }
        const std::string when =
            "timed_edits() at " + json_fields::format_number(timed.start_s) + " s";
        out.push_back({timed.start_s, type_ + ": " + timed.label,
                       [type = type_, when, edits = std::move(timed.edits)](NetworkState& s) {
                           apply_plugin_edits(type, when, edits, s);
                       }});
    }
    return out;
}

std::optional<std::string> PluginModel::infeasible(const NetworkState& state,
                                                   const Incident&) const {
    return plugin_->infeasible(NetworkView(state));
}

ModelSpec plugin_model_spec(ModelPluginSpec spec) {
    if (!spec.make) throw std::invalid_argument("model plugin \"" + spec.type + "\" has no make()");
    return {spec.type, spec.keys,
            [type = spec.type, make = std::move(spec.make)](const ModelParams& params) {
                auto plugin = make(PluginParams(params));
                if (!plugin) json_fields::fail(params.path(), model_name(type) + " built no model");
                return std::make_shared<const PluginModel>(type, std::move(plugin));
            }};
}

}  // namespace swarm
