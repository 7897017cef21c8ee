// The adapter from an operator's model (the installed interface, include/swarm/model_plugin.h)
// to the core's MitigationModel: the plugin's edits are checked against the topology and the
// edit vocabulary before they touch the network, so a plugin cannot corrupt a ranking, only be
// rejected with a message naming it (docs/design.md "Extension points").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "estimator/mitigation/mitigation_model.h"
#include "estimator/mitigation/model_registry.h"
#include "swarm/model_plugin.h"

namespace swarm {

/// Applies `edits` of the model registered as `type` to `state`, in order. Throws
/// std::logic_error naming the model and the edit when one does not fit the topology or the
/// vocabulary (a link or node that does not exist, a drop rate outside [0, 1], a capacity that
/// is not positive and finite, a server where a switch is expected). `when` says which of the
/// model's answers the edits came from, for the message ("edits()", "timed_edits() at 2 s").
void apply_plugin_edits(const std::string& type, const std::string& when,
                        const std::vector<NetworkEdit>& edits, NetworkState& state);

/// The core's view of a plugin model.
class PluginModel : public MitigationModel {
   public:
    PluginModel(std::string type, std::shared_ptr<const ModelPlugin> plugin);
    std::string type() const override { return type_; }
    std::string describe(const Topology& topology) const override;
    void edit_state(NetworkState& state) const override;
    /// Checked here, once: negative or non-finite start times are rejected.
    std::vector<TimedEdit> timed_edits() const override;
    std::optional<std::string> infeasible(const NetworkState& state,
                                          const Incident& incident) const override;

   private:
    std::string type_;
    std::shared_ptr<const ModelPlugin> plugin_;
};

/// The registry entry of a plugin: its make() validates the parameters through PluginParams
/// and wraps the plugin's model. A make() that returns no model is an IncidentError at the
/// action's path (the plugin's fault, but the action is where the reader stands).
ModelSpec plugin_model_spec(ModelPluginSpec spec);

}  // namespace swarm
