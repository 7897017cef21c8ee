#include "estimator/mitigation/mitigation_model.h"

#include <stdexcept>
#include <utility>

namespace swarm {

namespace {

/// Which sources a model's policy may take flows from: none (the model does not steer), all
/// (no governed_sources()), or the listed servers.
struct SourceRule {
    bool steers = false;
    bool all = false;
    std::vector<char> governed;  ///< by server index

    bool allows(std::int32_t server) const {
        if (!steers) return false;
        if (all) return true;
        const auto s = static_cast<std::size_t>(server);
        return s < governed.size() && governed[s];
    }
};

/// A policy run that holds the model's runs to its declaration (MitigationModel::flow_policy).
class CheckedRun : public FlowPolicyRun {
   public:
    CheckedRun(std::unique_ptr<FlowPolicyRun> run, const SourceRule& rule, const std::string& type,
               const Topology& topology)
        : run_(std::move(run)), rule_(&rule), type_(&type), topology_(&topology) {}

    bool plan(const FlowRequest& request, FlowPlan& plan) override {
        if (!run_->plan(request, plan)) return false;
        if (!rule_->allows(request.src_server)) throw std::logic_error(violation(request));
        return true;
    }
    const FlowTransport* transport() const override { return run_->transport(); }
    void side_metrics(double measured_s,
                      std::vector<std::pair<std::string, double>>& out) const override {
        run_->side_metrics(measured_s, out);
    }

   private:
    std::string violation(const FlowRequest& request) const {
        const auto s = static_cast<std::size_t>(request.src_server);
        const std::string server = s < topology_->servers().size()
                                       ? topology_->node(topology_->servers()[s]).name
                                       : "#" + std::to_string(request.src_server);
        if (!rule_->steers) {
            return "mitigation model \"" + *type_ + "\" took flow " + std::to_string(request.flow) +
                   " but declares that it steers no flows (steers_flows() is false)";
        }
        return "mitigation model \"" + *type_ + "\" took flow " + std::to_string(request.flow) +
               " from server " + server + ", which is not among its governed_sources()";
    }

    std::unique_ptr<FlowPolicyRun> run_;
    const SourceRule* rule_;
    const std::string* type_;
    const Topology* topology_;
};

class CheckedPolicy : public FlowPolicy {
   public:
    CheckedPolicy(std::shared_ptr<const FlowPolicy> policy, SourceRule rule, std::string type,
                  const Topology& topology)
        : policy_(std::move(policy)),
          rule_(std::move(rule)),
          type_(std::move(type)),
          topology_(&topology) {}

    std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t seed) const override {
        return std::make_unique<CheckedRun>(policy_->start_run(seed), rule_, type_, *topology_);
    }

   private:
    std::shared_ptr<const FlowPolicy> policy_;
    SourceRule rule_;
    std::string type_;
    const Topology* topology_;
};

SourceRule source_rule(const MitigationModel& model, std::size_t servers) {
    SourceRule rule;
    rule.steers = model.steers_flows();
    const auto sources = model.governed_sources();
    rule.all = !sources;
    if (sources) {
        rule.governed.assign(servers, 0);
        for (std::int32_t s : *sources) {
            if (s >= 0 && static_cast<std::size_t>(s) < servers)
                rule.governed[static_cast<std::size_t>(s)] = 1;
        }
    }
    return rule;
}

}  // namespace

std::shared_ptr<const FlowPolicy> MitigationModel::flow_policy(const ModelContext& context) const {
    std::shared_ptr<const FlowPolicy> policy = do_flow_policy(context);
    if (!policy) {
        if (steers_flows()) {
            throw std::logic_error(
                "mitigation model \"" + type() +
                "\" declares that it steers flows (steers_flows()) but returned no flow policy");
        }
        return nullptr;
    }
    const Topology& topology = context.state.topology();
    return std::make_shared<CheckedPolicy>(
        std::move(policy), source_rule(*this, topology.servers().size()), type(), topology);
}

}  // namespace swarm
