// One client session's state (RFC 1415 §5): login progress, destination, current
// directory. A session reaches its destination one of two ways:
//   - file://: the bridge's own filestore; operations are answered here, reads and writes
//     are opened here and streamed by the driver (session_stream.cpp);
//   - ftp://, ftps://, ftps-implicit://: an outbound leg, i.e. a session stream on the
//     front that speaks the destination's protocol (ftp-front's client role); operations
//     are relayed to it and its results, which keep the far server's own words, come back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "filestore/filestore.h"
#include "gateway/v1/file_service.grpc.pb.h"
#include "route/route_table.h"
#include "runtime/session_frames.h"

namespace gw::rt {
class SessionClient;
}

namespace gw::bridge {

// Where outbound legs are opened: one FileService per front.
struct Fronts {
  std::unique_ptr<rt::SessionStub> ftp;   // null: ftp destinations unavailable
  std::unique_ptr<rt::SessionStub> ftam;  // null: ftam destinations unavailable
};

class Session {
 public:
  Session(const route::RouteTable& routes, const Fronts& fronts, std::string session_id, std::string peer,
          gateway::v1::Protocol protocol = gateway::v1::PROTOCOL_UNSPECIFIED);
  ~Session();

  const std::string& id() const { return id_; }
  const std::string& login() const { return login_; }
  const std::string& destination() const { return destination_; }
  gateway::v1::Protocol protocol() const { return protocol_; }
  bool logged_in() const { return store_ != nullptr || leg_ != nullptr; }
  // True when operations go to an outbound leg.
  bool remote() const { return leg_ != nullptr; }
  rt::SessionClient* leg() { return leg_.get(); }
  // True when the leg is an FTAM association: the bridge keeps its current directory
  // (RFC 1415 §5.1) and sends the leg paths resolved against it.
  bool ftam_leg() const { return leg_ != nullptr && ftam_leg_; }
  // The operation as the leg gets it: for FTAM legs, every path resolved against the
  // current directory. An unusable path is an error result.
  absl::StatusOr<gateway::v1::Operation> ForLeg(const gateway::v1::Operation& op) const;

  // Every operation but read and write. A broken outbound leg is a nullopt: the session
  // cannot go on (RFC 1415 §5, "connection dropped").
  boost::asio::awaitable<std::optional<gateway::v1::OperationResult>> Handle(const gateway::v1::Operation& op);

  // Logs in (RFC 1415 §3, §4): the destination comes from `match` when the caller resolved
  // it (one-shot calls), else from SITE/HOST, user@host or the route table.
  boost::asio::awaitable<gateway::v1::Result> Login(const gateway::v1::Login& login,
                                                    const route::RouteTable::Match* match = nullptr);
  // Ends the outbound leg, if any (QUIT to the far server). Call before destruction.
  boost::asio::awaitable<void> End();
  // Drops the outbound leg at once (the inbound side vanished).
  boost::asio::awaitable<void> Cancel();

  // file:// sessions: resolves a path argument against the current directory.
  absl::StatusOr<std::string> Resolve(std::string_view arg) const;

  absl::StatusOr<std::unique_ptr<filestore::Reader>> OpenRead(const gateway::v1::ReadFile& op);
  absl::StatusOr<std::unique_ptr<filestore::Writer>> OpenWrite(const gateway::v1::WriteFile& op);

  filestore::FileStore* store() { return store_.get(); }

 private:
  gateway::v1::OperationResult HandleLocal(const gateway::v1::Operation& op);
  // Attributes.contents for a file:// file (RFC 1415 §6): text only when text throughout.
  void DecideContents(const std::string& path, const filestore::Entry& e, gateway::v1::Attributes* out);
  boost::asio::awaitable<gateway::v1::Result> OpenLeg(const route::RouteTable::Match& match,
                                                      const gateway::v1::Login& login);

  const route::RouteTable& routes_;
  const Fronts& fronts_;
  std::string id_, peer_, login_, destination_;
  gateway::v1::Protocol protocol_;
  std::string cwd_ = "/";
  // Files larger than this are reported as binary without being scanned.
  uint64_t sniff_limit_ = 16ull << 20;
  std::unique_ptr<filestore::FileStore> store_;
  std::unique_ptr<rt::SessionClient> leg_;
  bool ftam_leg_ = false;
};

void FillAttributes(const filestore::Entry& e, gateway::v1::Attributes* out);

}  // namespace gw::bridge
