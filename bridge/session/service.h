// The bridge's FileService: the session stream and the one-shot calls for scripts.
// gRPC reactors only signal; every call runs as a coroutine on a strand of `io`.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/chunk_wire.h"
#include "route/route_table.h"
#include "runtime/session_frames.h"
#include "session/session.h"

namespace gw::bridge {

struct ServiceConfig {
  std::size_t chunk_size = rt::kChunkSize;  // bytes per DataChunk
  std::size_t max_sessions = 1000;       // concurrent session streams
};

class FileServiceImpl final : public rt::WithFrameSession<gateway::v1::FileService::CallbackService> {
 public:
  FileServiceImpl(boost::asio::io_context& io, std::shared_ptr<const route::RouteTable> routes,
                  ServiceConfig config, Fronts fronts = {});

  grpc::ServerBidiReactor<rt::RequestFrame, rt::ResponseFrame>* FrameSession(
      grpc::CallbackServerContext* ctx) override;
  grpc::ServerWriteReactor<gateway::v1::GetResponse>* Get(
      grpc::CallbackServerContext* ctx, const gateway::v1::GetRequest* req) override;
  grpc::ServerReadReactor<gateway::v1::PutRequest>* Put(
      grpc::CallbackServerContext* ctx, gateway::v1::PutResponse* resp) override;
  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* ctx,
                                 const gateway::v1::ListRequest* req,
                                 gateway::v1::ListResponse* resp) override;
  grpc::ServerUnaryReactor* Stat(grpc::CallbackServerContext* ctx,
                                 const gateway::v1::StatRequest* req,
                                 gateway::v1::StatResponse* resp) override;
  grpc::ServerUnaryReactor* Delete(grpc::CallbackServerContext* ctx,
                                   const gateway::v1::DeleteRequest* req,
                                   gateway::v1::DeleteResponse* resp) override;
  grpc::ServerUnaryReactor* Rename(grpc::CallbackServerContext* ctx,
                                   const gateway::v1::RenameRequest* req,
                                   gateway::v1::RenameResponse* resp) override;

  struct Shared {
    Shared(boost::asio::io_context& i, std::shared_ptr<const route::RouteTable> r, ServiceConfig c, Fronts f)
        : io(i), routes(std::move(r)), config(c), fronts(std::move(f)) {}
    boost::asio::io_context& io;
    std::shared_ptr<const route::RouteTable> routes;
    ServiceConfig config;
    Fronts fronts;
    std::atomic<std::size_t> sessions{0};
  };

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace gw::bridge
