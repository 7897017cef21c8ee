// The HTML report in a real browser: headless Chromium renders it, takes a screenshot, and the
// test fails on any console error or if the page's script did not run.
#include "service_test_support.h"

namespace swarm::test {
namespace {

std::string chromium_binary() {
    for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
        if (std::filesystem::exists(candidate)) return candidate;
    }
    return "";
}

TEST(ReportHtml, CliWritesOneSelfContainedPage) {
    TempDir dir;
    write_file(dir / "a.json", tiny_incident("alpha").dump());
    write_file(dir / "b.json", tiny_incident("beta").dump());
    const CommandResult run =
        run_command(std::string(SWARM_BINARY) + " rank " + (dir / "a.json").string() + " " +
                        (dir / "b.json").string() + " --report " + (dir / "report.html").string(),
                    dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const std::string html = read_file(dir / "report.html");
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
    for (const char* fragment : {"alpha", "beta", "<svg", "healthy", "What the estimator assumed",
                                 cli::kDefaultTableSet, "confidence", "Content-Security-Policy"}) {
        EXPECT_NE(html.find(fragment), std::string::npos) << fragment;
    }
    for (const char* fetch : {"src=\"http", "href=\"http", "@import", "url(http", "<link "}) {
        EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;
    }
}

TEST(ReportHtml, RendersInHeadlessChromiumWithoutConsoleErrors) {
    const std::string chromium = chromium_binary();
    if (chromium.empty())
        GTEST_SKIP()
            << "chromium is not installed (scripts/setup.sh installs it); report not rendered";
    TempDir dir;
    write_file(dir / "incident.json", slow_incident("scenario-for-the-eye", 3).dump());
    const CommandResult run =
        run_command(std::string(SWARM_BINARY) + " rank " + (dir / "incident.json").string() +
                        " --report " + (dir / "report.html").string(),
                    dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;

    const std::string flags =
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync "
        "--disable-dev-shm-usage --enable-logging=stderr --v=0 --user-data-dir=";
    const std::string url = "file://" + (dir / "report.html").string();
    const auto png = dir / "report.png";
    const CommandResult shot =
        run_command(chromium + flags + (dir / "profile1").string() +
                        " --window-size=1280,2000 --screenshot=" + png.string() + " " + url,
                    dir.path());
    ASSERT_EQ(shot.exit_code, 0) << shot.err;
    ASSERT_TRUE(std::filesystem::exists(png)) << shot.err;
    EXPECT_GT(std::filesystem::file_size(png), 20000u)
        << "a blank page compresses to almost nothing";
    if (const char* keep = std::getenv("SWARM_KEEP_REPORT_SCREENSHOT"); keep && *keep) {
        std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
    }

    const CommandResult dom = run_command(
        chromium + flags + (dir / "profile2").string() + " --dump-dom " + url, dir.path());
    ASSERT_EQ(dom.exit_code, 0) << dom.err;
    EXPECT_NE(dom.out.find("data-rendered=\"ok\""), std::string::npos)
        << "the page's script did not finish";
    EXPECT_NE(dom.out.find("data-plots=\"5\""), std::string::npos)
        << "a dot plot for each of the three ranking metrics and two distribution charts";
    EXPECT_NE(dom.out.find("class=\"diagnosis\""), std::string::npos)
        << "each candidate's diagnosis";
    EXPECT_NE(dom.out.find("of flows cross a failed element"), std::string::npos);
    for (const CommandResult* log : {&shot, &dom}) {
        for (const char* error : {"Uncaught", "CONSOLE(", "Refused to", "ERR_"}) {
            // Chromium logs page console messages as "CONSOLE(<line>)"; the page logs nothing.
            EXPECT_EQ(log->err.find(error), std::string::npos) << error << " in:\n" << log->err;
        }
    }
}

}  // namespace
}  // namespace swarm::test
