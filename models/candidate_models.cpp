#include "models/candidate_models.h"

#include <variant>

namespace swarm {

std::vector<const MitigationModel*> models_of_candidate(const Incident& incident,
                                                        const MitigationModel& model) {
    for (const Candidate& candidate : incident.candidates) {
        std::vector<const MitigationModel*> models;
        bool mine = false;
        for (const Action& action : candidate.actions) {
            const auto* m = std::get_if<ModelAction>(&action);
            if (!m) continue;
            models.push_back(m->model.get());
            mine = mine || m->model.get() == &model;
        }
        if (mine) return models;
    }
    return {};
}

}  // namespace swarm
