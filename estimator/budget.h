// Checking an incident against a WorkBudget (include/swarm/budget.h): what it would cost,
// estimated from the incident alone in O(size of the input), before anything large is built.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "estimator/helper/json_fields.h"
#include "swarm/budget.h"
#include "swarm/incident.h"

namespace swarm {

/// An incident over one of the budget's limits: an IncidentError at the JSON path of the field
/// that drives the cost, which also names the limit and both values (the service's 422).
class BudgetExceeded : public IncidentError {
   public:
    BudgetExceeded(std::string path, std::string limit, double limit_value, double requested,
                   const std::string& message);
    const std::string& limit() const { return limit_; }  ///< "max_servers", ...
    double limit_value() const { return limit_value_; }
    double requested() const { return requested_; }

   private:
    std::string limit_;
    double limit_value_;
    double requested_;
};

/// What an incident asks for, in WorkBudget's units (doubles: a 1e300 must not overflow).
struct WorkEstimate {
    double servers = 0;
    double links = 0;
    double flows_per_sample = 0;
    double epochs_per_sample = 0;
    double samples = 0;  ///< traffic x routing
    double memory_bytes = 0;
};

/// `threads` as in RankOptions (0 = every core): samples in flight at once hold memory each.
WorkEstimate estimate_work(const Incident& incident, int threads = 0);

/// Throws BudgetExceeded for the first limit the incident exceeds, in WorkBudget's order.
void check_budget(const Incident& incident, const WorkBudget& budget, int threads = 0);

/// The topology section's size from the document itself, before the reader builds it: a
/// 200-byte Clos can declare a million nodes. Fields that are not numbers are left to the reader.
void check_topology_budget(const nlohmann::json& document, const WorkBudget& budget);

}  // namespace swarm
