// One client session's state (RFC 1415 §5): login progress, destination, current
// directory. The operations that move no bulk data are answered here; reads and writes
// are opened here and streamed by the driver (session_stream.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "filestore/filestore.h"
#include "gateway/v1/file_service.pb.h"
#include "route/route_table.h"

namespace gw::bridge {

class Session {
 public:
  Session(const route::RouteTable& routes, std::string session_id, std::string peer);

  const std::string& id() const { return id_; }
  const std::string& login() const { return login_; }
  const std::string& destination() const { return destination_; }
  bool logged_in() const { return store_ != nullptr; }

  // Any operation but read and write.
  gateway::v1::OperationResult Handle(const gateway::v1::Operation& op);

  // Resolves a path argument against the current directory.
  absl::StatusOr<std::string> Resolve(std::string_view arg) const;

  absl::StatusOr<std::unique_ptr<filestore::Reader>> OpenRead(const gateway::v1::ReadFile& op);
  absl::StatusOr<std::unique_ptr<filestore::Writer>> OpenWrite(const gateway::v1::WriteFile& op);

  // For one-shot calls: log in directly.
  absl::Status Login(const gateway::v1::Login& login);

  filestore::FileStore* store() { return store_.get(); }

 private:
  gateway::v1::OperationResult DoLogin(const gateway::v1::Login& login);

  const route::RouteTable& routes_;
  std::string id_, peer_, login_, destination_;
  std::string cwd_ = "/";
  std::unique_ptr<filestore::FileStore> store_;
};

void FillAttributes(const filestore::Entry& e, gateway::v1::Attributes* out);

}  // namespace gw::bridge
