// Seeded random streams. Every stream is derived from (incident seed, sample indices), never
// from thread identity, so results are identical whatever the thread count (docs/design.md).
// Own generator and transforms (not <random>'s distributions) so that a seed gives the same
// numbers with every standard library.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace swarm {

/// SplitMix64 step: a strong 64-bit mixer used to derive independent seeds.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// Seed of the stream named by `base` and a path of indices (e.g. {STREAM_TRAFFIC, t}).
constexpr std::uint64_t derive_seed(std::uint64_t base, std::initializer_list<std::uint64_t> path) {
    std::uint64_t state = base;
    std::uint64_t out = splitmix64(state);
    for (std::uint64_t p : path) {
        state ^= p + 0x632BE59BD9B4E019ULL + (out << 6) + (out >> 2);
        out = splitmix64(state);
    }
    return out;
}

/// xoshiro256** (Blackman and Vigna): fast, small state, good statistical quality.
class Rng {
   public:
    explicit Rng(std::uint64_t seed) {
        for (auto& word : s_) word = splitmix64(seed);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    /// Exponential with the given rate (> 0).
    double exponential(double rate) { return -std::log1p(-uniform()) / rate; }

    /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for our n).
    std::uint32_t below(std::uint32_t n) {
        return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
    }

   private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
        return (x << k) | (x >> (64 - k));
    }
    std::uint64_t s_[4];
};

/// Names of the independent random streams of one rank() call.
enum StreamId : std::uint64_t {
    kTrafficStream = 1,       ///< demand sample t: arrivals, endpoints, sizes
    kRoutingStream = 2,       ///< routing sample r of traffic sample t: ECMP/WCMP choices
    kTransportStream = 3,     ///< draws from the empirical tables
    kDemandEditStream = 4,    ///< VM moves and drains: which flows move where
    kTransportMixStream = 5,  ///< which congestion control each flow uses
    kModelStream = 6          ///< mitigation models' own draws (per policy, per sample)
};

}  // namespace swarm
