// Prometheus metrics through prometheus-cpp: counters, gauges and histograms with labels,
// rendered in the text exposition format and served over HTTP (GET /metrics, GET /healthz).
//
// Callers name a metric and its labels per update; the first update of a name that was not
// described creates it by Prometheus' naming convention (a name ending in _total is a
// counter, any other a gauge; Observe makes a histogram with LatencyBounds()). An update of a
// series that exists already allocates nothing: labels are views, and the series is found by
// one hash lookup (metrics are updated per PDU and per chunk).
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace gw::metrics {

// Label names and values, in any order (a series is the same whatever the order).
using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Registry {
 public:
  Registry();
  ~Registry();
  static Registry& Global();

  // `type` is "counter", "gauge" or "histogram". A name keeps the first description.
  void Describe(std::string_view name, std::string_view type, std::string_view help);
  void Add(std::string_view name, Labels labels, double delta);       // counter or gauge
  void Set(std::string_view name, Labels labels, double value);       // gauge
  void Observe(std::string_view name, Labels labels, double value);   // histogram
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Bounds of every latency histogram, in seconds.
const std::vector<double>& LatencyBounds();

// Serves /metrics and /healthz on `acceptor` until the io_context stops.
boost::asio::awaitable<void> ServeHttp(boost::asio::ip::tcp::acceptor acceptor);

}  // namespace gw::metrics
