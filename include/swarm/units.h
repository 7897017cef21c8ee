// Physical units used across the public API. Named constructors make the unit explicit at
// every boundary (Parsimon's units.rs); the hot path stores plain doubles in SI units.
#pragma once

namespace swarm {

/// A rate in bits per second.
struct BitsPerSec {
    double value = 0.0;
    static constexpr BitsPerSec from_gbps(double gbps) { return {gbps * 1e9}; }
    static constexpr BitsPerSec from_mbps(double mbps) { return {mbps * 1e6}; }
    constexpr double gbps() const { return value / 1e9; }
    friend constexpr bool operator==(BitsPerSec, BitsPerSec) = default;
};

/// A duration in seconds.
struct Seconds {
    double value = 0.0;
    static constexpr Seconds from_us(double us) { return {us * 1e-6}; }
    static constexpr Seconds from_ms(double ms) { return {ms * 1e-3}; }
    constexpr double us() const { return value * 1e6; }
    friend constexpr bool operator==(Seconds, Seconds) = default;
};

/// An amount of data in bytes.
struct Bytes {
    double value = 0.0;
    constexpr double bits() const { return value * 8.0; }
    friend constexpr bool operator==(Bytes, Bytes) = default;
};

}  // namespace swarm
