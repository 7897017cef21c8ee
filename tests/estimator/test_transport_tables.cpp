// Transport tables (SWARM §3.3, App. B): the text format's parser and its errors, grid and
// quantile interpolation on tiny hand-checked grids, and the shipped analytic table set.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "estimator/transport_tables.h"

namespace swarm {
namespace {

const std::filesystem::path kDataDir = SWARM_SOURCE_DATA_DIR;

// ---- helpers ----------------------------------------------------------------------------------

// A one-axis table kind for parser tests: x (linear) -> "v".
QuantileGrid::Spec tiny_spec(bool log_axis = false, bool log_values = false,
                             bool allow_inf = false) {
    return {"tiny", "v", {{"x", log_axis, 1e-9, {}}}, log_values, allow_inf};
}

QuantileGrid::Spec tiny_2d_spec() {
    return {"tiny2", "v", {{"x", false, 0.0, {}}, {"y", false, 0.0, {}}}, false, false};
}

// Header lines 1..9, column header row on line 10, data from line 11.
std::string tiny_text(const std::string& rows, const std::string& quantiles = "0 1",
                      const std::string& columns = "x q0 q1", const std::string& kind = "tiny",
                      const std::string& axes = "x") {
    return "# swarm-table: " + kind + "\n# version: 1\n# source: unit test\n# axes: " + axes +
           "\n# value: v\n# quantiles: " + quantiles +
           "\n# mss_bytes: 1448\n# mtu_bytes: 1500\n# free text comment, ignored\n" + columns +
           "\n" + rows;
}

QuantileGrid parse_tiny(const std::string& text, const QuantileGrid::Spec& spec = tiny_spec()) {
    return QuantileGrid::parse(text, "tiny.tsv", spec);
}

// The parse error message, or "(no error)".
std::string parse_error(const std::string& text, const QuantileGrid::Spec& spec = tiny_spec()) {
    try {
        parse_tiny(text, spec);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

#define EXPECT_ERROR(text, expected)                                          \
    do {                                                                      \
        const std::string msg_ = parse_error(text);                           \
        EXPECT_NE(msg_.find(expected), std::string::npos) << "got: " << msg_; \
    } while (0)

double at(const QuantileGrid& grid, double x, double u) { return grid.sample(&x, u); }

// ---- parsing ----------------------------------------------------------------------------------

TEST(QuantileGridParse, ReadsHeaderAxesAndValues) {
    const auto grid =
        parse_tiny(tiny_text("1 10 20\n0 0 5\n\n# a comment between rows\n2 30 40\n"));
    ASSERT_EQ(grid.axes().size(), 1u);
    EXPECT_EQ(grid.axes()[0].points, (std::vector<double>{0, 1, 2}));  // rows in any order
    EXPECT_EQ(grid.quantile_levels(), (std::vector<double>{0, 1}));
    EXPECT_EQ(grid.provenance(), "unit test");
    EXPECT_EQ(grid.mss_bytes(), 1448.0);
    EXPECT_EQ(grid.mtu_bytes(), 1500.0);
    EXPECT_EQ(grid.mss_line(), 7u);
    EXPECT_DOUBLE_EQ(at(grid, 1, 0), 10);
    EXPECT_DOUBLE_EQ(at(grid, 2, 1), 40);
}

TEST(QuantileGridParse, JoinsSeveralSources) {
    std::string text = tiny_text("0 1 2\n");
    text.insert(text.find("# axes"), "# source: second\n");
    EXPECT_EQ(parse_tiny(text).provenance(), "unit test\nsecond");
}

TEST(QuantileGridParse, HeaderErrorsNameFileAndLine) {
    const std::string good_rows = "0 1 2\n";
    EXPECT_ERROR(tiny_text(good_rows, "0 1", "x q0 q1", "other"),
                 "tiny.tsv:1: swarm-table is \"other\", expected \"tiny\"");
    std::string v2 = tiny_text(good_rows);
    v2.replace(v2.find("version: 1"), 10, "version: 2");
    EXPECT_ERROR(v2, "tiny.tsv:2: version is \"2\", expected \"1\"");
    EXPECT_ERROR(tiny_text(good_rows, "0 1", "x q0 q1", "tiny", "y"),
                 "tiny.tsv:4: axes is \"y\", expected \"x\"");
    std::string no_source = tiny_text(good_rows);
    no_source.erase(no_source.find("# source"), std::string("# source: unit test\n").size());
    EXPECT_ERROR(no_source, "tiny.tsv:9: missing \"# source:\" header");
    std::string no_levels = tiny_text(good_rows);
    no_levels.erase(no_levels.find("# quantiles"), std::string("# quantiles: 0 1\n").size());
    EXPECT_ERROR(no_levels, "tiny.tsv:9: missing \"# quantiles:\" header");
    std::string duplicate = tiny_text(good_rows);
    duplicate.insert(duplicate.find("# mss"), "# value: v\n");
    EXPECT_ERROR(duplicate, "tiny.tsv:7: duplicate \"value:\" header (first on line 5)");
    EXPECT_ERROR(tiny_text(good_rows, "0.5 0.2", "x q0.5 q0.2"),
                 "tiny.tsv:6: quantile levels must increase (got 0.2 after 0.5)");
    EXPECT_ERROR(tiny_text(good_rows, "0 1.5", "x q0 q1.5"),
                 "tiny.tsv:6: quantile level must be in [0, 1] (got 1.5)");
    std::string big_mss = tiny_text(good_rows);
    big_mss.replace(big_mss.find("mss_bytes: 1448"), 15, "mss_bytes: 9000");
    EXPECT_ERROR(big_mss, "tiny.tsv:7: mss_bytes exceeds mtu_bytes");
    EXPECT_ERROR("# swarm-table: tiny\n", "tiny.tsv:1: no column header row");
}

TEST(QuantileGridParse, ColumnHeaderErrors) {
    EXPECT_ERROR(tiny_text("0 1 2\n", "0 1", "x q0"),
                 "tiny.tsv:10: column header row has 2 columns");
    EXPECT_ERROR(tiny_text("0 1 2\n", "0 1", "z q0 q1"),
                 "tiny.tsv:10: column 1 is \"z\", expected \"x\"");
    EXPECT_ERROR(tiny_text("0 1 2\n", "0 1", "x q0 q0.9"),
                 "tiny.tsv:10: column \"q0.9\" should be \"q1\"");
}

TEST(QuantileGridParse, RowErrorsNameFileAndLine) {
    EXPECT_ERROR(tiny_text("0 1 2\n1 3\n"),
                 "tiny.tsv:12: wrong column count: expected 3 fields, got 2");
    EXPECT_ERROR(tiny_text("0 1 2\n1 3 x\n"), "tiny.tsv:12: not a number: \"x\"");
    EXPECT_ERROR(tiny_text("0 1 nan\n"), "tiny.tsv:11: NaN is not a valid v");
    EXPECT_ERROR(tiny_text("0 -1 2\n"), "tiny.tsv:11: v must not be negative (got -1)");
    EXPECT_ERROR(tiny_text("-1 1 2\n"), "tiny.tsv:11: x must not be negative (got -1)");
    EXPECT_ERROR(tiny_text("inf 1 2\n"), "tiny.tsv:11: x must be finite");
    EXPECT_ERROR(tiny_text("0 1 inf\n"), "tiny.tsv:11: inf is not allowed in a tiny table");
    EXPECT_ERROR(tiny_text("0 1 2\n1 5 4\n"),
                 "tiny.tsv:12: quantiles must not decrease (q column 2: 4 after 5)");
    EXPECT_ERROR(tiny_text("0 1 2\n1 1 2\n0 3 4\n"),
                 "tiny.tsv:13: duplicate grid point x=0 (first on line 11)");
    EXPECT_ERROR(tiny_text(""), "tiny.tsv:10: no data rows");
}

TEST(QuantileGridParse, MissingGridPointIsReported) {
    // x in {0, 1}, y in {0, 1}: (1, 1) is missing.
    const std::string text =
        "# swarm-table: tiny2\n# version: 1\n# source: t\n# axes: x y\n# value: v\n# quantiles: "
        "0.5\n"
        "# mss_bytes: 1448\n# mtu_bytes: 1500\nx y q0.5\n0 0 1\n0 1 2\n1 0 3\n";
    try {
        parse_tiny(text, tiny_2d_spec());
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("tiny.tsv:12: missing grid point x=1 y=1"),
                  std::string::npos)
            << e.what();
    }
}

TEST(QuantileGridParse, LogValuesMustBePositive) {
    const std::string msg = parse_error(tiny_text("0 0 1\n"), tiny_spec(false, true));
    EXPECT_NE(msg.find("tiny.tsv:11: v must be positive"), std::string::npos) << msg;
}

// ---- interpolation ----------------------------------------------------------------------------

TEST(QuantileGridSample, LinearAxisCornersMidpointsAndClamping) {
    // x=0: [0, 10], x=1: [10, 30]
    const auto grid = parse_tiny(tiny_text("0 0 10\n1 10 30\n"));
    EXPECT_DOUBLE_EQ(at(grid, 0, 0), 0);
    EXPECT_DOUBLE_EQ(at(grid, 1, 1), 30);
    EXPECT_DOUBLE_EQ(at(grid, 0.5, 0), 5);
    EXPECT_DOUBLE_EQ(at(grid, 0.5, 1), 20);
    EXPECT_DOUBLE_EQ(at(grid, 0.5, 0.5), 12.5);  // (5 + 20) / 2
    EXPECT_DOUBLE_EQ(at(grid, 0.25, 0.5), 0.75 * 5 + 0.25 * 20);
    EXPECT_DOUBLE_EQ(at(grid, -3, 0), 0);    // clamped to x = 0
    EXPECT_DOUBLE_EQ(at(grid, 7, 1), 30);    // clamped to x = 1
    EXPECT_DOUBLE_EQ(at(grid, NAN, 1), 10);  // NaN coordinates land on the first point
    EXPECT_DOUBLE_EQ(grid.median(std::vector<double>{1}.data()), 20);
}

TEST(QuantileGridSample, QuantileLevelsInterpolateLinearlyAndClamp) {
    const auto grid = parse_tiny(tiny_text("0 0 10 100\n", "0 0.5 1", "x q0 q0.5 q1"));
    EXPECT_DOUBLE_EQ(at(grid, 0, 0.25), 5);
    EXPECT_DOUBLE_EQ(at(grid, 0, 0.5), 10);
    EXPECT_DOUBLE_EQ(at(grid, 0, 0.75), 55);
    EXPECT_DOUBLE_EQ(at(grid, 0, -1), 0);
    EXPECT_DOUBLE_EQ(at(grid, 0, 2), 100);

    // Levels not reaching 0 and 1: u outside them takes the nearest level's value.
    const auto inner = parse_tiny(tiny_text("0 4 8\n", "0.1 0.9", "x q0.1 q0.9"));
    EXPECT_DOUBLE_EQ(at(inner, 0, 0.0), 4);
    EXPECT_DOUBLE_EQ(at(inner, 0, 0.5), 6);
    EXPECT_DOUBLE_EQ(at(inner, 0, 1.0), 8);
}

TEST(QuantileGridSample, LogAxisInterpolatesInLogSpace) {
    // x = 1 -> 0, x = 100 -> 20: x = 10 is the log-midpoint.
    const auto grid = parse_tiny(tiny_text("1 0 0\n100 20 20\n"), tiny_spec(true));
    EXPECT_DOUBLE_EQ(at(grid, 10, 0.5), 10);
    EXPECT_NEAR(at(grid, std::pow(10.0, 0.5), 0.5), 5, 1e-12);
    EXPECT_DOUBLE_EQ(at(grid, 0.001, 0.5), 0);  // clamped below
    EXPECT_DOUBLE_EQ(at(grid, 1e6, 0.5), 20);   // clamped above
}

TEST(QuantileGridSample, LogValuesInterpolateGeometrically) {
    const auto grid = parse_tiny(tiny_text("1 1e6 1e6\n100 1e8 1e8\n"), tiny_spec(true, true));
    EXPECT_NEAR(at(grid, 10, 0.5), 1e7, 1e-3);
    EXPECT_NEAR(at(grid, 1, 0.5), 1e6, 1e-6);
}

TEST(QuantileGridSample, BilinearOnTwoAxes) {
    const std::string text =
        "# swarm-table: tiny2\n# version: 1\n# source: t\n# axes: x y\n# value: v\n# quantiles: "
        "0.5\n"
        "# mss_bytes: 1448\n# mtu_bytes: 1500\nx y q0.5\n0 0 0\n0 10 10\n2 0 100\n2 10 110\n";
    const auto grid = parse_tiny(text, tiny_2d_spec());
    const double corner[] = {2, 10};
    EXPECT_DOUBLE_EQ(grid.sample(corner, 0.3), 110);
    const double middle[] = {1, 5};
    EXPECT_DOUBLE_EQ(grid.sample(middle, 0.5), 55);  // v = 50 x + y
    const double edge[] = {0.5, 2};
    EXPECT_DOUBLE_EQ(grid.sample(edge, 0.5), 27);
    const double clamped[] = {5, -5};
    EXPECT_DOUBLE_EQ(grid.sample(clamped, 0.5), 100);
}

TEST(QuantileGridSample, InfinityOnlyWhenAllWeightedCellsAreInfinite) {
    // Like the throughput table: drop rate 0 is "not loss-limited" (inf), 1e-6 is finite.
    const auto grid = parse_tiny(tiny_text("0 inf inf\n1e-6 1e9 2e9\n1e-4 1e7 2e7\n"),
                                 tiny_spec(true, true, true));
    EXPECT_TRUE(std::isinf(at(grid, 0, 0.5)));
    EXPECT_TRUE(std::isinf(at(grid, 1e-12, 0.5)));  // below the log floor (1e-9) counts as 0
    EXPECT_DOUBLE_EQ(at(grid, 1e-7, 0), 1e9);       // finite neighbours only, renormalised
    EXPECT_DOUBLE_EQ(at(grid, 1e-6, 1), 2e9);
    EXPECT_NEAR(at(grid, 1e-5, 0), 1e8, 1e-3);  // log-midpoint, geometric mean

    // An infinite upper quantile makes the upper part of the distribution infinite.
    const auto tail = parse_tiny(tiny_text("0 1 inf\n"), tiny_spec(false, false, true));
    EXPECT_DOUBLE_EQ(at(tail, 0, 0), 1);
    EXPECT_TRUE(std::isinf(at(tail, 0, 0.5)));
}

// ---- the shipped analytic table set -----------------------------------------------------------

class AnalyticTables : public ::testing::Test {
   protected:
    static void SetUpTestSuite() {
        tables_ = new TransportTables(TransportTables::load(kDataDir / "tables" / "analytic-reno"));
    }
    static void TearDownTestSuite() {
        delete tables_;
        tables_ = nullptr;
    }
    static const TransportTables& tables() { return *tables_; }

   private:
    static inline TransportTables* tables_ = nullptr;
};

TEST_F(AnalyticTables, LoadWithProvenance) {
    EXPECT_EQ(tables().name, "analytic-reno");
    EXPECT_EQ(tables().mss_bytes, 1448.0);
    EXPECT_EQ(tables().mtu_bytes, 1500.0);
    for (const QuantileGrid* grid : {&tables().loss_limited.grid(),
                                     &tables().short_flow_rtts.grid(), &tables().queueing.grid()}) {
        EXPECT_NE(grid->provenance().find("ns-3"), std::string::npos);
    }
    EXPECT_NE(tables().loss_limited.grid().provenance().find("PFTK"), std::string::npos);
}

TEST_F(AnalyticTables, ThroughputFallsWithDropRateAndRtt) {
    const auto& axes = tables().loss_limited.grid().axes();
    const auto& drops = axes[0].points;
    const auto& rtts_us = axes[1].points;
    ASSERT_EQ(drops.front(), 0.0);
    for (const double rtt_us : rtts_us) {
        EXPECT_TRUE(std::isinf(tables().loss_limited.sample_bps(0.0, rtt_us * 1e-6, 0.5)));
        double previous = HUGE_VAL;
        for (std::size_t i = 1; i < drops.size(); ++i) {
            const double bps = tables().loss_limited.sample_bps(drops[i], rtt_us * 1e-6, 0.5);
            EXPECT_LT(bps, previous) << "drop " << drops[i] << " rtt " << rtt_us;
            previous = bps;
        }
    }
    for (std::size_t i = 1; i < drops.size(); ++i) {
        double previous = HUGE_VAL;
        for (const double rtt_us : rtts_us) {
            const double bps = tables().loss_limited.sample_bps(drops[i], rtt_us * 1e-6, 0.5);
            EXPECT_LE(bps, previous) << "drop " << drops[i] << " rtt " << rtt_us;
            previous = bps;
        }
    }
}

TEST_F(AnalyticTables, ThroughputNearPftkAtOnePoint) {
    // PFTK, p = 1e-3, RTT = 100 us, b = 1, T0 = max(200 ms, 3 RTT) = 0.2 s, MSS = 1448 B:
    //   RTT sqrt(2bp/3)             = 1e-4 * 0.0258199          = 2.58199e-6 s
    //   T0 min(1, 3 sqrt(3bp/8)) p (1 + 32p^2)
    //                               = 0.2 * 0.0580948 * 1e-3 * 1.000032 = 1.16193e-5 s
    //   B = 1448 * 8 / (1.42013e-5 s) = 8.157e8 b/s.
    // The table is a Monte Carlo of PFTK's renewal process measuring goodput over 10 s (PFTK
    // models the send rate), so its median sits somewhat below; it must stay in the same range.
    const double pftk =
        1448.0 * 8.0 /
        (1e-4 * std::sqrt(2e-3 / 3.0) + 0.2 * 3.0 * std::sqrt(3e-3 / 8.0) * 1e-3 * (1.0 + 32e-6));
    EXPECT_NEAR(pftk, 8.157e8, 0.001e8);
    const double median = tables().loss_limited.sample_bps(1e-3, 100e-6, 0.5);
    EXPECT_GT(median, 0.6 * pftk);
    EXPECT_LT(median, 1.25 * pftk);
}

TEST_F(AnalyticTables, TinyDropRatesAreNotLossLimited) {
    EXPECT_TRUE(std::isinf(tables().loss_limited.sample_bps(1e-12, 50e-6, 0.9)));
    EXPECT_TRUE(std::isfinite(tables().loss_limited.sample_bps(1e-7, 50e-6, 0.9)));
}

TEST_F(AnalyticTables, ShortFlowRttsRiseWithSizeAndDropRate) {
    const auto& table = tables().short_flow_rtts;
    const auto& axes = table.grid().axes();
    for (const double rtt_us : axes[2].points) {
        for (const double drop : axes[1].points) {
            double previous = 0.0;
            for (const double size : axes[0].points) {
                const double rtts = table.sample_rtts(size, drop, rtt_us * 1e-6, 0.5);
                EXPECT_GE(rtts, previous) << size << " " << drop << " " << rtt_us;
                previous = rtts;
            }
        }
        for (const double size : axes[0].points) {
            double previous = 0.0;
            for (const double drop : axes[1].points) {
                const double rtts = table.sample_rtts(size, drop, rtt_us * 1e-6, 0.5);
                EXPECT_GE(rtts, previous) << size << " " << drop << " " << rtt_us;
                previous = rtts;
            }
        }
    }
    // No loss: handshake + slow-start rounds from IW 10. 1 KB: 1 packet -> 2 RTTs; 150 KB:
    // 104 packets = 10 + 20 + 40 + 34 -> 1 + 4 = 5 RTTs.
    EXPECT_DOUBLE_EQ(table.sample_rtts(1000, 0, 100e-6, 0.99), 2);
    EXPECT_DOUBLE_EQ(table.sample_rtts(150000, 0, 100e-6, 0.5), 5);
    // A timeout costs RTO_min / RTT = 2000 RTTs at 100 us: the heavy losses' tail shows it.
    EXPECT_GT(table.sample_rtts(1000, 0.2, 100e-6, 0.999), 2000);
}

TEST_F(AnalyticTables, QueueingRisesWithUtilisation) {
    const auto& table = tables().queueing;
    const auto& axes = table.grid().axes();
    for (const double flows : axes[1].points) {
        double previous = -1.0;
        for (const double utilization : axes[0].points) {
            const double packets = table.sample_packets(utilization, flows, 0.5);
            EXPECT_GE(packets, previous) << utilization << " " << flows;
            previous = packets;
        }
    }
    EXPECT_DOUBLE_EQ(table.sample_packets(0.0, 8, 0.99), 0.0);
    // M/D/1 below saturation: P(wait = 0) = 1 - rho, so at rho = 0.5 the median is 0.
    EXPECT_DOUBLE_EQ(table.sample_packets(0.5, 0, 0.5), 0.0);
    // DCTCP at saturation stays around K = 65 packets.
    EXPECT_NEAR(table.sample_packets(1.0, 1, 0.5), 65, 10);
}

TEST_F(AnalyticTables, SamplingIsCheapAndFinite) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    double sum = 0.0;
    for (int i = 0; i < 100000; ++i) {
        sum += tables().short_flow_rtts.sample_rtts(2e5 * uniform(rng), 1e-3 * uniform(rng),
                                                    1e-3 * uniform(rng), uniform(rng));
        sum += tables().queueing.sample_packets(uniform(rng), 64 * uniform(rng), uniform(rng));
    }
    EXPECT_TRUE(std::isfinite(sum));
}

// ---- TransportTables::load errors --------------------------------------------------------------

class ScratchTableDir {
   public:
    ScratchTableDir() {
        dir_ = std::filesystem::temp_directory_path() /
               ("swarm_tables_test_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir_);
        for (const char* file :
             {"loss_limited_throughput.tsv", "short_flow_rtts.tsv", "queueing_delay.tsv"}) {
            std::filesystem::copy_file(kDataDir / "tables" / "analytic-reno" / file, dir_ / file);
        }
    }
    ~ScratchTableDir() { std::filesystem::remove_all(dir_); }
    const std::filesystem::path& dir() const { return dir_; }

    void replace(const std::string& file, const std::string& from, const std::string& to) {
        std::ifstream in(dir_ / file);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        text.replace(text.find(from), from.size(), to);
        std::ofstream(dir_ / file) << text;
    }

   private:
    std::filesystem::path dir_;
};

std::string load_error(const std::filesystem::path& dir) {
    try {
        TransportTables::load(dir);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(TransportTablesLoad, MissingFileIsNamed) {
    ScratchTableDir scratch;
    std::filesystem::remove(scratch.dir() / "queueing_delay.tsv");
    EXPECT_NE(load_error(scratch.dir()).find("queueing_delay.tsv: cannot open"), std::string::npos);
}

TEST(TransportTablesLoad, WrongKindInFileIsNamed) {
    ScratchTableDir scratch;
    scratch.replace("short_flow_rtts.tsv", "swarm-table: short_flow_rtts",
                    "swarm-table: queueing_delay");
    const std::string msg = load_error(scratch.dir());
    EXPECT_NE(msg.find("short_flow_rtts.tsv:1: swarm-table is \"queueing_delay\""),
              std::string::npos)
        << msg;
}

TEST(TransportTablesLoad, PacketSizesMustAgree) {
    ScratchTableDir scratch;
    scratch.replace("queueing_delay.tsv", "# mss_bytes: 1448", "# mss_bytes: 1460");
    const std::string msg = load_error(scratch.dir());
    EXPECT_NE(msg.find("queueing_delay.tsv:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("mss_bytes 1460 differs from 1448 in loss_limited_throughput.tsv"),
              std::string::npos)
        << msg;
}

}  // namespace
}  // namespace swarm
