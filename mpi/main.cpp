// swarm_mpi: `swarm rank FILE` with its samples sharded over MPI ranks (docs/mpi.md).
//   mpirun -np 4 swarm_mpi INCIDENT.json [the options of swarm rank]
// Every rank reads the incident and the tables itself (the same paths on every node, or a
// shared filesystem); rank 0 ranks and prints exactly what `swarm rank` prints, the others run
// their blocks of each round (mpi_rounds.h) and print nothing on stdout. Every rank exits with
// the same code: 0 ok, 1 the ranking failed, 2 bad usage or bad input.
#include <mpi.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "estimator/sample_runner.h"
#include "mpi/mpi_rounds.h"
#include "service/data_paths.h"
#include "service/rank_command.h"

namespace {

using swarm::cli::RankArguments;
using swarm::cli::SingleRank;

/// MPI_Init_thread / MPI_Finalize. Only the main thread calls MPI.
class MpiSession {
   public:
    MpiSession(int& argc, char**& argv) {
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
    }
    ~MpiSession() { MPI_Finalize(); }
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;

    int rank() const { return rank_; }
    int ranks() const { return ranks_; }

   private:
    int rank_ = 0;
    int ranks_ = 1;
};

/// Holds what is written to std::cerr while it lives, when `active`.
class CerrCapture {
   public:
    explicit CerrCapture(bool active) : saved_(active ? std::cerr.rdbuf(text_.rdbuf()) : nullptr) {}
    ~CerrCapture() {
        if (saved_) std::cerr.rdbuf(saved_);
    }
    CerrCapture(const CerrCapture&) = delete;
    CerrCapture& operator=(const CerrCapture&) = delete;
    std::string text() const { return text_.str(); }

   private:
    std::ostringstream text_;
    std::streambuf* saved_;
};

/// What swarm_mpi does not do (it ranks one incident file); empty when the arguments are fine.
std::string unsupported(const RankArguments& args) {
    if (args.inputs.size() != 1)
        return "swarm_mpi ranks one incident file; run batches with swarm rank";
    std::error_code error;
    if (std::filesystem::is_directory(args.inputs[0], error))
        return "swarm_mpi ranks one incident file, not a directory; run batches with swarm rank";
    if (args.inputs[0] == "-")
        return "swarm_mpi reads the incident from a file, not stdin: every rank reads it";
    if (!args.out_dir.empty()) return "--out is for batches: run them with swarm rank";
    if (!args.strategies.empty()) return "--strategy runs no samples: use swarm rank --strategy";
    if (!args.report.empty()) return "--report is not supported under MPI: use swarm rank --report";
    return {};
}

/// FNV-1a, 64 bits.
class Fnv1a {
   public:
    void add(const std::string& bytes) {
        for (char c : bytes) hash_ = (hash_ ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        hash_ = (hash_ ^ 0xffu) * 1099511628211ull;  // ends the string: ("ab","c") != ("a","bc")
    }
    std::uint64_t value() const { return hash_; }

   private:
    std::uint64_t hash_ = 14695981039346656037ull;
};

/// The file's bytes, or empty when unreadable.
std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// What every rank must share: the options that change the samples (mpirun can start ranks
/// with different arguments) and the bytes of the incident file (each node may hold its own
/// copy). --threads, --format, --data-dir and --tables may differ: threads never change the
/// result, only rank 0 prints, and paths may differ between nodes (docs/mpi.md).
struct Fingerprint {
    std::uint64_t options;
    std::uint64_t incident;
};

/// `loaded`: the incident passed load_single's checks (a regular file within the size limit);
/// otherwise its bytes are not read (/dev/zero would never end) and the failure is reported.
Fingerprint fingerprint(const RankArguments& args, bool loaded) {
    Fnv1a options;
    options.add(args.seed ? std::to_string(*args.seed) : "");
    options.add(args.time_budget_s ? std::to_string(*args.time_budget_s) : "");
    options.add(args.sampling);
    options.add(args.downscale);
    for (double limit : {args.budget.max_servers, args.budget.max_links,
                         args.budget.max_flows_per_sample, args.budget.max_epochs_per_sample,
                         args.budget.max_samples, args.budget.max_memory_bytes}) {
        options.add(std::to_string(limit));
    }
    Fnv1a incident;
    if (loaded) incident.add(file_bytes(args.inputs[0]));
    return {options.value(), incident.value()};
}

/// Every rank has loaded the incident; returns the exit code all ranks share when any failed
/// (rank 0's message, or the first failing rank's) or when they disagree, or 0.
int agree_on_input(const MpiSession& mpi, const std::string& path, bool loaded,
                   const std::string& captured, const Fingerprint& print) {
    struct Status {
        std::int64_t failed;
        Fingerprint print;
    };
    const Status mine{loaded ? 0 : 1, print};
    std::vector<Status> all(static_cast<std::size_t>(mpi.ranks()));
    MPI_Allgather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine, MPI_BYTE, MPI_COMM_WORLD);
    if (all[0].failed) return 2;  // rank 0 has said why
    for (int k = 1; k < mpi.ranks(); ++k) {
        const Status& other = all[static_cast<std::size_t>(k)];
        std::string problem;
        if (other.failed) {
            if (mpi.rank() == k) std::cerr << "MPI rank " + std::to_string(k) + ": " + captured;
            problem = "MPI rank " + std::to_string(k) +
                      " could not load the incident or its tables (see its message)";
        } else if (other.print.options != all[0].print.options) {
            problem = "MPI rank " + std::to_string(k) +
                      " was started with other options than rank 0: every rank needs the same "
                      "--seed, --sampling, --downscale, --time-budget and work budget";
        } else if (other.print.incident != all[0].print.incident) {
            problem = path + " differs on MPI rank " + std::to_string(k) +
                      ": every rank must read the same incident file";
        }
        if (problem.empty()) continue;
        if (mpi.rank() == 0) std::cerr << "error: " << problem << "\n";
        return 2;
    }
    return 0;
}

int run(const MpiSession& mpi, const RankArguments& args) {
    const std::string& path = args.inputs[0];
    const std::filesystem::path data_dir = swarm::cli::resolve_data_dir(args.data_dir);
    std::unique_ptr<SingleRank> input;
    std::string captured;
    {
        // The others say what went wrong only if rank 0 did not: one message, not one per rank.
        CerrCapture capture(mpi.rank() != 0);
        input = swarm::cli::load_single(args, path, data_dir);
        captured = capture.text();
    }
    const bool loaded = input != nullptr;
    if (const int code = agree_on_input(mpi, path, loaded, captured, fingerprint(args, loaded)))
        return code;
    if (mpi.rank() == 0) {
        swarm::mpi::MpiExecutor executor(MPI_COMM_WORLD);
        const int code = swarm::cli::rank_single(args, path, *input, &executor);
        executor.finish(code);
        return code;
    }
    // Rank 0 meets the same problems building its own runner and reports them.
    std::unique_ptr<swarm::SampleRunner> runner;
    std::string error;
    try {
        runner =
            std::make_unique<swarm::SampleRunner>(input->incident, *input->tables, input->options);
    } catch (const std::exception& e) {
        error = e.what();
    }
    return swarm::mpi::serve_rounds(MPI_COMM_WORLD, runner.get(), error);
}

}  // namespace

int main(int argc, char** argv) {
    MpiSession mpi(argc, argv);
    CLI::App app{
        "swarm_mpi: swarm rank FILE with its samples sharded over MPI ranks (docs/mpi.md); "
        "run under mpirun. The output is bit-identical to swarm rank's (elapsed_s aside)."};
    app.set_version_flag("--version", std::string("swarm_mpi ") + SWARM_VERSION);
    RankArguments args;
    swarm::cli::add_rank_options(app, args);
    std::ostringstream quiet;
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // Every rank parses the same arguments; only rank 0 talks.
        const int code = mpi.rank() == 0 ? app.exit(e) : app.exit(e, quiet, quiet);
        return code == 0 ? 0 : 2;
    }
    if (const std::string why = unsupported(args); !why.empty()) {
        if (mpi.rank() == 0) std::cerr << "error: " << why << "\n";
        return 2;
    }
    return run(mpi, args);
}
