// The metrics registry as a scraper sees it: Prometheus text format from prometheus-cpp,
// bucket bounds as written, types by description or by naming convention.
#include <gtest/gtest.h>

#include "runtime/metrics.h"

namespace gw::metrics {
namespace {

TEST(Metrics, CountersGaugesAndHistogramsRenderAsPrometheusText) {
  Registry r;
  r.Describe("gw_test_sessions_active", "gauge", "Sessions open now.");
  r.Describe("gw_test_operation_seconds", "histogram", "Operation latency.");
  r.Add("gw_test_sessions_active", {}, 2);
  r.Add("gw_test_sessions_active", {}, -1);
  r.Add("gw_test_bytes_total", {{"direction", "out"}}, 300);
  r.Add("gw_test_bytes_total", {{"direction", "out"}}, 200);
  r.Observe("gw_test_operation_seconds", {{"op", "read"}}, 0.004);
  std::string text = r.Render();
  EXPECT_NE(text.find("# HELP gw_test_sessions_active Sessions open now.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE gw_test_sessions_active gauge\ngw_test_sessions_active 1\n"), std::string::npos) << text;
  // Undescribed, ending in _total: a counter.
  EXPECT_NE(text.find("# TYPE gw_test_bytes_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("gw_test_bytes_total{direction=\"out\"} 500\n"), std::string::npos) << text;
  // Bounds print as written, cumulative counts.
  EXPECT_NE(text.find("gw_test_operation_seconds_bucket{op=\"read\",le=\"0.001\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("gw_test_operation_seconds_bucket{op=\"read\",le=\"0.005\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("gw_test_operation_seconds_bucket{op=\"read\",le=\"+Inf\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("gw_test_operation_seconds_count{op=\"read\"} 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("0.0050000000000000001"), std::string::npos) << text;
}

TEST(Metrics, CountersNeverGoDown) {
  Registry r;
  r.Add("gw_test_logins_total", {{"result", "ok"}}, 1);
  r.Add("gw_test_logins_total", {{"result", "ok"}}, -1);
  EXPECT_NE(r.Render().find("gw_test_logins_total{result=\"ok\"} 1\n"), std::string::npos) << r.Render();
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry r;
  r.Add("gw_test_commands_total", {{"command", "a\"b\\c"}}, 1);
  EXPECT_NE(r.Render().find(R"(gw_test_commands_total{command="a\"b\\c"} 1)"), std::string::npos) << r.Render();
}

}  // namespace
}  // namespace gw::metrics
