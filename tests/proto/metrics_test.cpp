// The metrics registry as a scraper sees it: Prometheus text format from prometheus-cpp,
// bucket bounds as written, types by description or by naming convention.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <gtest/gtest.h>

#include "runtime/metrics.h"

// Counts this binary's allocations, to check what an update of an existing series costs.
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

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

TEST(Metrics, LabelOrderDoesNotMakeANewSeries) {
  Registry r;
  r.Add("gw_test_pdus_total", {{"pdu", "F-READ"}, {"direction", "in"}}, 1);
  r.Add("gw_test_pdus_total", {{"direction", "in"}, {"pdu", "F-READ"}}, 2);
  EXPECT_NE(r.Render().find("gw_test_pdus_total{direction=\"in\",pdu=\"F-READ\"} 3\n"), std::string::npos)
      << r.Render();
}

TEST(Metrics, LabelValuesHoldingSeparatorsStayApart) {
  using namespace std::string_literals;
  Registry r;
  const std::string a = "a\0b"s, c = "b\0c"s;
  r.Add("gw_test_x_total", {{"k", a}, {"l", "c"}}, 1);
  r.Add("gw_test_x_total", {{"k", "a"}, {"l", c}}, 5);
  const std::string text = r.Render();
  EXPECT_NE(text.find(" 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" 5\n"), std::string::npos) << text;
}

TEST(Metrics, AnUpdateOfTheWrongKindChangesNothing) {
  Registry r;
  r.Add("gw_test_logins_total", {{"result", "ok"}}, 1);
  r.Set("gw_test_logins_total", {{"result", "ok"}}, 7);         // a counter is not set
  r.Set("gw_test_logins_total", {{"result", "failed"}}, 7);     // nor made by a Set
  r.Observe("gw_test_logins_total", {{"result", "ok"}}, 0.5);  // nor observed
  const std::string text = r.Render();
  EXPECT_NE(text.find("gw_test_logins_total{result=\"ok\"} 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("failed"), std::string::npos) << text;
  EXPECT_EQ(text.find("_bucket"), std::string::npos) << text;
}

// Metrics are updated per PDU and per chunk: once a series exists, an update allocates nothing.
TEST(Metrics, UpdatingAnExistingSeriesAllocatesNothing) {
  Registry r;
  const std::string long_value = "F-INITIALIZE-response";  // longer than a short string
  r.Add("gw_test_pdus_total", {{"pdu", long_value}, {"direction", "out"}}, 1);
  r.Set("gw_test_sessions_active", {}, 1);
  r.Observe("gw_test_operation_seconds", {{"op", "read"}}, 0.01);
  const long before = g_allocations.load();
  for (int i = 0; i < 1000; ++i) {
    r.Add("gw_test_pdus_total", {{"pdu", long_value}, {"direction", "out"}}, 1);
    r.Set("gw_test_sessions_active", {}, i);
    r.Observe("gw_test_operation_seconds", {{"op", "read"}}, 0.01);
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_NE(r.Render().find("gw_test_pdus_total{direction=\"out\",pdu=\"F-INITIALIZE-response\"} 1001\n"),
            std::string::npos);
}

}  // namespace
}  // namespace gw::metrics
