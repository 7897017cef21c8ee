// Flow-size CDF library: the shipped data/cdfs files, validation messages, inverse-CDF sampling.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "estimator/flow_size_cdf_library.h"

namespace swarm {
namespace {

const std::filesystem::path kDataDir = SWARM_SOURCE_DATA_DIR;

FlowSizeCdf load_shipped(const std::string& name) {
    auto cdf = load_named_flow_size_cdf(kDataDir, name);
    if (!cdf) {
        ADD_FAILURE() << "missing data/cdfs/" << name << ".cdf";
        return {};
    }
    return *cdf;
}

// A scratch data dir with one cdfs/<name>.cdf holding `text`; removed on destruction.
class ScratchCdfDir {
   public:
    explicit ScratchCdfDir(const std::string& text) {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = std::filesystem::temp_directory_path() /
               ("swarm_cdf_test_" + std::string(info->name()) + "_" +
                std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir_ / "cdfs");
        std::ofstream(dir_ / "cdfs" / "bad.cdf") << text;
    }
    ~ScratchCdfDir() { std::filesystem::remove_all(dir_); }
    const std::filesystem::path& dir() const { return dir_; }

   private:
    std::filesystem::path dir_;
};

std::string load_error(const std::string& text) {
    ScratchCdfDir scratch(text);
    try {
        load_named_flow_size_cdf(scratch.dir(), "bad");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(FlowSizeCdfLibrary, ListsShippedCdfs) {
    const auto names = named_flow_size_cdfs(kDataDir);
    EXPECT_NE(std::find(names.begin(), names.end(), "dctcp-websearch"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "vl2-datamining"), names.end());
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST(FlowSizeCdfLibrary, LoadsShippedCdfs) {
    const auto web = load_shipped("dctcp-websearch");
    ASSERT_EQ(web.points.size(), 12u);
    EXPECT_EQ(web.name, "dctcp-websearch");
    EXPECT_EQ(web.points.front(), (std::pair<double, double>{0.0, 0.0}));
    EXPECT_EQ(web.points[5], (std::pair<double, double>{80000.0, 0.53}));
    EXPECT_EQ(web.points.back(), (std::pair<double, double>{30e6, 1.0}));

    const auto mining = load_shipped("vl2-datamining");
    ASSERT_EQ(mining.points.size(), 13u);
    EXPECT_EQ(mining.points[5], (std::pair<double, double>{1100.0, 0.5}));
    EXPECT_EQ(mining.points.back(), (std::pair<double, double>{1e9, 1.0}));
}

TEST(FlowSizeCdfLibrary, UnknownOrPathLikeNamesAreAbsent) {
    EXPECT_FALSE(load_named_flow_size_cdf(kDataDir, "no-such-cdf"));
    EXPECT_FALSE(load_named_flow_size_cdf(kDataDir, "../cdfs/dctcp-websearch"));
    EXPECT_FALSE(load_named_flow_size_cdf(kDataDir, ""));
    EXPECT_TRUE(named_flow_size_cdfs("/nonexistent/swarm").empty());
}

TEST(FlowSizeCdfCheck, AcceptsValidCdfs) {
    EXPECT_FALSE(check_flow_size_cdf({{0, 0}, {100, 1}}));
    EXPECT_FALSE(check_flow_size_cdf({{100, 0.3}, {200, 0.3}, {300, 1.0 - 1e-10}}));
}

TEST(FlowSizeCdfCheck, RejectsWithPointAndReason) {
    EXPECT_EQ(check_flow_size_cdf({{100, 1}}), "need at least 2 points (got 1)");
    EXPECT_EQ(check_flow_size_cdf({{0, 0}, {200, 0.5}, {100, 1}}),
              "point 3: bytes must increase (got 100 after 200)");
    EXPECT_EQ(check_flow_size_cdf({{-1, 0}, {200, 1}}),
              "point 1: bytes must not be negative (got -1)");
    EXPECT_EQ(check_flow_size_cdf({{0, 0}, {0, 1}}), "point 2: bytes must be positive (got 0)");
    EXPECT_EQ(check_flow_size_cdf({{0, 0}, {100, 1.5}}),
              "point 2: probability must be in [0, 1] (got 1.5)");
    EXPECT_EQ(check_flow_size_cdf({{0, 0.5}, {100, 0.4}, {200, 1}}),
              "point 2: probability must not decrease (got 0.4 after 0.5)");
    EXPECT_EQ(check_flow_size_cdf({{0, 0}, {100, 0.9}}),
              "point 2: last probability must be 1 (got 0.9)");
}

TEST(FlowSizeCdfLoad, ErrorsNameFileAndLine) {
    const std::string bad_order = "# comment\n0 0\n\n200 0.5\n100 1\n";
    const std::string msg = load_error(bad_order);
    EXPECT_NE(msg.find("bad.cdf:5: point 3: bytes must increase (got 100 after 200)"),
              std::string::npos)
        << msg;
    EXPECT_NE(load_error("0 0\n100 x\n").find("bad.cdf:2: not a number: \"x\""), std::string::npos);
    EXPECT_NE(load_error("0 0 7\n").find("bad.cdf:1: expected"), std::string::npos);
    EXPECT_NE(load_error("# only a comment\n").find("bad.cdf:1: need at least 2 points"),
              std::string::npos);
}

TEST(FlowSizeSampler, EndpointsAndPointMass) {
    const FlowSizeSampler web(load_shipped("dctcp-websearch"));
    EXPECT_DOUBLE_EQ(web.sample(0.0), 1.0);  // size 0 is floored at one byte
    EXPECT_DOUBLE_EQ(web.sample(1.0), 30e6);
    EXPECT_DOUBLE_EQ(web.sample(0.15), 10000.0);
    EXPECT_DOUBLE_EQ(web.sample(0.175), 15000.0);  // halfway between (10000, .15) and (20000, .2)

    // 30% of flows are exactly 500 bytes, the rest uniform on [500, 1500].
    const FlowSizeSampler mass(FlowSizeCdf{"inline", {{500, 0.3}, {1500, 1.0}}});
    EXPECT_DOUBLE_EQ(mass.sample(0.0), 500.0);
    EXPECT_DOUBLE_EQ(mass.sample(0.3), 500.0);
    EXPECT_DOUBLE_EQ(mass.sample(0.65), 1000.0);
    EXPECT_DOUBLE_EQ(mass.cdf(499.0), 0.0);
    EXPECT_DOUBLE_EQ(mass.cdf(500.0), 0.3);
    EXPECT_DOUBLE_EQ(mass.cdf(1000.0), 0.65);
    EXPECT_DOUBLE_EQ(mass.cdf(2000.0), 1.0);
    EXPECT_DOUBLE_EQ(mass.mean(), 0.3 * 500 + 0.7 * 1000);
}

TEST(FlowSizeSampler, FlatSegmentsAreSkipped) {
    // No flows between 200 and 300 bytes: no sample may land there.
    const FlowSizeSampler s(FlowSizeCdf{"inline", {{100, 0}, {200, 0.5}, {300, 0.5}, {400, 1}}});
    EXPECT_DOUBLE_EQ(s.sample(0.5), 200.0);
    EXPECT_DOUBLE_EQ(s.sample(0.5 + 1e-12), 300.0 + 1e-12 * 200.0);
}

TEST(FlowSizeSampler, RejectsInvalidCdf) {
    EXPECT_THROW(FlowSizeSampler(FlowSizeCdf{"x", {{0, 0}, {0, 1}}}), std::invalid_argument);
}

TEST(FlowSizeSampler, WebSearchMeanIsExact) {
    // Each segment is uniform, so it contributes (p_i - p_{i-1}) * (b_{i-1} + b_i) / 2:
    //   0.15*5e3 + 0.05*15e3 + 0.1*25e3 + 0.1*40e3 + 0.13*65e3 + 0.07*140e3 + 0.1*600e3
    //   + 0.1*1.5e6 + 0.1*3.5e6 + 0.07*7.5e6 + 0.03*20e6
    //   = 750 + 750 + 2500 + 4000 + 8450 + 9800 + 60000 + 150000 + 350000 + 525000 + 600000
    //   = 1 711 250 bytes (the often-quoted "~1.6 MB" is a rounder reading of the same figure).
    const FlowSizeSampler web(load_shipped("dctcp-websearch"));
    EXPECT_NEAR(web.mean(), 1711250.0, 1e-6);
}

TEST(FlowSizeSampler, DataMiningMeanIsExact) {
    // 0.1*90 + 0.1*198 + 0.1*388 + 0.1*730 + 0.1*1000 + 0.1*1485 + 0.1*2515 + 0.1*6580
    // + 0.1*205000 + 0.05*1780000 + 0.03*51580000 + 0.02*550000000
    // = 9 + 19.8 + 38.8 + 73 + 100 + 148.5 + 251.5 + 658 + 20500 + 89000 + 1547400 + 11000000
    // = 12 658 198.6 bytes.
    const FlowSizeSampler mining(load_shipped("vl2-datamining"));
    EXPECT_NEAR(mining.mean(), 12658198.6, 1e-4);
}

TEST(FlowSizeSampler, EmpiricalFrequenciesMatchCdf) {
    const FlowSizeCdf cdf = load_shipped("dctcp-websearch");
    const FlowSizeSampler sampler(cdf);
    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    constexpr int kSamples = 200000;
    std::vector<double> sizes(kSamples);
    double sum = 0.0;
    for (double& size : sizes) {
        size = sampler.sample(uniform(rng));
        sum += size;
    }
    std::sort(sizes.begin(), sizes.end());
    // DKW: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2); eps = 0.005 makes that ~1e-4.
    for (const double probe : {5000.0, 10000.0, 25000.0, 80000.0, 150000.0, 1.5e6, 7e6, 2e7}) {
        const auto below = std::upper_bound(sizes.begin(), sizes.end(), probe) - sizes.begin();
        EXPECT_NEAR(static_cast<double>(below) / kSamples, sampler.cdf(probe), 0.005) << probe;
    }
    EXPECT_NEAR(sum / kSamples, sampler.mean(), 0.03 * sampler.mean());
}

}  // namespace
}  // namespace swarm
