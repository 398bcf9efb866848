// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format and served over HTTP (GET /metrics, GET /healthz).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace gw::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  static Registry& Global();

  void Describe(std::string_view name, std::string_view type, std::string_view help);
  void Add(std::string_view name, const Labels& labels, double delta);   // counter or gauge
  void Set(std::string_view name, const Labels& labels, double value);   // gauge
  void Observe(std::string_view name, const Labels& labels, double value);  // histogram
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative counts per bound
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string type, help;
    std::map<std::string, double> values;       // rendered label set -> value
    std::map<std::string, Histogram> histograms;
  };
  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

// Bounds of every latency histogram, in seconds.
const std::vector<double>& LatencyBounds();

// Serves /metrics and /healthz on `endpoint` until the io_context stops.
boost::asio::awaitable<void> ServeHttp(boost::asio::ip::tcp::acceptor acceptor);

}  // namespace gw::metrics
