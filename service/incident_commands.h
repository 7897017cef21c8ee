// `swarm validate FILE...` and `swarm convert FILE`: check incident files without ranking them,
// and show what swarm understood of one (its imported topology in swarm's explicit form).
// Exit codes: 0 ok, 2 bad usage or any invalid input (as `swarm rank`).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace swarm::cli {

struct ValidateArguments {
    std::vector<std::string> inputs;  ///< incident files, or "-" for stdin
    std::string data_dir;
};

struct ConvertArguments {
    std::string input;  ///< an incident file, or "-" for stdin
    std::string out;    ///< write here instead of stdout
    std::string data_dir;
};

/// The `validate` and `convert` subcommands of `app`, filling `args` when parsed.
CLI::App* add_validate_command(CLI::App& app, ValidateArguments& args);
CLI::App* add_convert_command(CLI::App& app, ConvertArguments& args);

int run_validate(const ValidateArguments& args);
int run_convert(const ConvertArguments& args);

}  // namespace swarm::cli
