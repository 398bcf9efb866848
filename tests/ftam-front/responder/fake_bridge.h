// An in-memory destination behind the responder's BridgeLink, for tests and the fuzz
// target: a few files and directories, the login ftamtest/ftampass, and a switch that
// makes the session break (a lost bridge).
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "ftam/responder/bridge_link.h"

namespace gw::test {

class FakeBridge : public ftam::responder::BridgeLink {
 public:
  struct Node {
    bool directory = false;
    std::string data;
  };
  std::map<std::string, Node> files{{"/", {true, ""}},
                                    {"/hello.txt", {false, "hello\nworld\n"}},
                                    {"/random.bin", {false, std::string("\x00\x01\x02\xff\x80", 5)}},
                                    {"/dir", {true, ""}},
                                    {"/dir/inner.txt", {false, "inner\n"}}};
  std::atomic<bool> broken{false};  // every call fails, as when the bridge died
  int break_after_ops = -1;   // the session breaks after this many operations
  int ops = 0;
  // A failure of the gateway's own (as out of memory would be): the next operation, or the
  // next data sent, throws.
  std::atomic<bool> throw_on_op{false}, throw_on_data{false};
  std::atomic<int> cancelled{0};  // Cancel() calls
  std::string last_login_user, last_login_account;

  boost::asio::awaitable<bool> Open(gateway::v1::OpenSession) override { co_return !broken; }
  boost::asio::awaitable<uint64_t> Send(gateway::v1::Operation op) override;
  boost::asio::awaitable<bool> SendData(std::string data, bool last) override;
  boost::asio::awaitable<std::optional<gateway::v1::SessionResponse>> Receive() override;
  boost::asio::awaitable<void> Close() override { co_return; }
  boost::asio::awaitable<void> Cancel() override {
    ++cancelled;
    writing_.reset();
    broken = true;
    co_return;
  }
  std::string error() const override { return "fake bridge"; }

 private:
  void Result(uint64_t id, gateway::v1::StatusCode code, std::string message = {});
  static std::string Normalize(const std::string& p);
  std::deque<gateway::v1::SessionResponse> queue_;
  uint64_t next_id_ = 1;
  struct Writing {
    uint64_t id;
    std::string path;
    std::string data;
    bool append;
  };
  std::optional<Writing> writing_;
};

}  // namespace gw::test
