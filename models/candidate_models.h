// The mitigation models that share a candidate with a given model, for placement rules that
// span actions: VROOM's "primary and backup never on one node" (Keller thesis §3.7), a link
// grafted only once (§4.3). Models are candidate actions only (never ongoing mitigations), so
// the candidate's own action list is the whole story.
#pragma once

#include <vector>

#include "estimator/mitigation/mitigation_model.h"
#include "swarm/incident.h"

namespace swarm {

/// Every model of the candidate holding `model` (itself included), in action order; empty if
/// no candidate of the incident holds it (a model built outside an incident, in tests).
std::vector<const MitigationModel*> models_of_candidate(const Incident& incident,
                                                        const MitigationModel& model);

}  // namespace swarm
