// A flow policy that takes no flow and reports fixed costs beside the CLP (extension point (f)
// for a model whose effect is all in the network state: VROOM, the bug-tolerant router).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "estimator/mitigation/flow_policy.h"

namespace swarm {

class CostReport : public FlowPolicy {
   public:
    explicit CostReport(std::vector<std::pair<std::string, double>> costs)
        : costs_(std::move(costs)) {}
    std::unique_ptr<FlowPolicyRun> start_run(std::uint64_t) const override {
        return std::make_unique<Run>(*this);
    }

   private:
    class Run : public FlowPolicyRun {
       public:
        explicit Run(const CostReport& report) : report_(&report) {}
        bool plan(const FlowRequest&, FlowPlan&) override { return false; }
        void side_metrics(double, std::vector<std::pair<std::string, double>>& out) const override {
            out.insert(out.end(), report_->costs_.begin(), report_->costs_.end());
        }

       private:
        const CostReport* report_;
    };
    std::vector<std::pair<std::string, double>> costs_;
};

}  // namespace swarm
