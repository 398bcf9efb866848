// xfer: a command-line client of the bridge's one-shot calls, for scripts and operators.
//   xfer ls|get|put|rm|mv|stat URL [LOCAL|NEWPATH]
// The password comes from XFER_PASSWORD or a prompt; the bridge from --bridge or XFER_BRIDGE.
// Exit status 0 only when the bytes arrived whole: the sha256 of what was sent or received
// locally is compared with the one the bridge computed.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <iostream>
#include <string>

#include <grpcpp/grpcpp.h>
#include <openssl/evp.h>

#include "absl/flags/flag.h"
#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/chunk_wire.h"
#include "runtime/flags_env.h"
#include "runtime/grpc_server.h"

ABSL_FLAG(std::string, bridge, "127.0.0.1:50051", "the bridge's gRPC address");
ABSL_FLAG(std::string, user, "", "login name (default: the URL's user part)");
ABSL_FLAG(bool, insecure, false, "skip the destination's certificate verification for this call");
ABSL_FLAG(bool, append, false, "put: append to the remote file");
ABSL_FLAG(int64_t, offset, 0, "get: start at this byte; put: resume the remote file at this byte");
ABSL_FLAG(bool, json, false, "ls, stat: one JSON object per entry (mtime as Unix seconds) for scripts");
ABSL_FLAG(bool, text, false, "transfer as text (network CR LF line ends)");
ABSL_FLAG(std::string, bridge_cert, "", "client certificate for mutual TLS to the bridge");
ABSL_FLAG(std::string, bridge_key, "", "client key for mutual TLS to the bridge");
ABSL_FLAG(std::string, bridge_ca, "", "CA of the bridge's certificate (enables TLS)");

namespace {
namespace v1 = gateway::v1;

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  void Update(const char* d, size_t n) { EVP_DigestUpdate(ctx_, d, n); }
  std::string Hex() {
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, md, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
      out += hex[md[i] >> 4];
      out += hex[md[i] & 15];
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

int Fail(const std::string& what) {
  std::fprintf(stderr, "xfer: %s\n", what.c_str());
  return 1;
}

int FailStatus(const grpc::Status& s) {
  return Fail(s.error_message().empty() ? "call failed (" + std::to_string(s.error_code()) + ")"
                                        : s.error_message());
}

// Splits user info out of the URL: "ftp://alice@host/x" -> user "alice", URL without it.
v1::Target MakeTarget(std::string url) {
  v1::Target t;
  auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    auto start = scheme + 3;
    auto slash = url.find('/', start);
    auto at = url.rfind('@', slash == std::string::npos ? url.size() : slash);
    if (at != std::string::npos && at >= start) {
      std::string userinfo = url.substr(start, at - start);
      if (auto colon = userinfo.find(':'); colon != std::string::npos) userinfo.resize(colon);
      t.set_user(userinfo);
      url.erase(start, at - start + 1);
    }
  }
  if (!absl::GetFlag(FLAGS_user).empty()) t.set_user(absl::GetFlag(FLAGS_user));
  t.set_url(url);
  t.set_insecure(absl::GetFlag(FLAGS_insecure));
  return t;
}

std::string Password() {
  if (const char* p = std::getenv("XFER_PASSWORD")) return p;
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    std::getline(std::cin, line);
    return line;
  }
  std::fprintf(stderr, "Password: ");
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fprintf(stderr, "\n");
  return line;
}

class Progress {
 public:
  explicit Progress(uint64_t total) : total_(total), tty_(isatty(STDERR_FILENO)) {}
  void Add(uint64_t n) {
    done_ += n;
    if (!tty_) return;
    if (done_ - shown_ < (1u << 20) && done_ != total_) return;
    shown_ = done_;
    if (total_ > 0)
      std::fprintf(stderr, "\r%6.1f%%  %llu / %llu bytes", 100.0 * double(done_) / double(total_),
                   static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_));
    else
      std::fprintf(stderr, "\r%llu bytes", static_cast<unsigned long long>(done_));
  }
  ~Progress() {
    if (tty_ && shown_ > 0) std::fprintf(stderr, "\n");
  }

 private:
  uint64_t total_, done_ = 0, shown_ = 0;
  bool tty_;
};

std::string TypeName(v1::EntryType t) {
  switch (t) {
    case v1::ENTRY_TYPE_DIRECTORY: return "dir";
    case v1::ENTRY_TYPE_FILE: return "file";
    case v1::ENTRY_TYPE_SYMLINK: return "link";
    default: return "other";
  }
}

// "2026-12-04T22:15:00Z": ISO 8601 in UTC.
std::string IsoTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// One entry as a JSON object on one line: name, type, size, mtime (Unix seconds, UTC),
// mode (POSIX bits) where known.
std::string EntryJson(const v1::Attributes& a) {
  std::string out = "{\"name\":" + JsonString(a.name()) + ",\"type\":" + JsonString(TypeName(a.type()));
  if (a.has_size()) out += ",\"size\":" + std::to_string(a.size());
  if (a.has_mtime_unix()) out += ",\"mtime\":" + std::to_string(a.mtime_unix());
  if (a.has_permissions()) out += ",\"mode\":" + std::to_string(a.permissions());
  return out + "}";
}

int Get(v1::FileService::Stub& stub, v1::Target target, const std::string& local) {
  grpc::ClientContext ctx;
  v1::GetRequest req;
  *req.mutable_target() = std::move(target);
  req.set_offset(static_cast<uint64_t>(absl::GetFlag(FLAGS_offset)));
  req.set_type(absl::GetFlag(FLAGS_text) ? v1::TRANSFER_TYPE_TEXT : v1::TRANSFER_TYPE_IMAGE);
  auto reader = stub.Get(&ctx, req);
  // Written to a temporary name and renamed only when complete and verified.
  const bool to_stdout = local == "-";
  std::string tmp = local + ".xfer-part";
  std::ofstream out;
  if (!to_stdout) {
    out.open(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Fail("cannot write " + tmp);
  }
  Sha256 sha;
  uint64_t bytes = 0;
  v1::GetResponse msg;
  std::optional<v1::GetTrailer> trailer;
  std::optional<Progress> progress;
  while (reader->Read(&msg)) {
    if (msg.has_attributes()) {
      progress.emplace(msg.attributes().size() - std::min<uint64_t>(msg.attributes().size(), req.offset()));
    } else if (msg.has_trailer()) {
      trailer = msg.trailer();
    } else {
      sha.Update(msg.data().data(), msg.data().size());
      bytes += msg.data().size();
      if (to_stdout) std::fwrite(msg.data().data(), 1, msg.data().size(), stdout);
      else out.write(msg.data().data(), static_cast<std::streamsize>(msg.data().size()));
      if (progress) progress->Add(msg.data().size());
    }
  }
  grpc::Status s = reader->Finish();
  if (!to_stdout) out.close();
  std::string digest = sha.Hex();
  if (!s.ok() || !trailer || trailer->bytes() != bytes || trailer->sha256() != digest || (!to_stdout && !out)) {
    if (!to_stdout) std::remove(tmp.c_str());
    if (!s.ok()) return FailStatus(s);
    return Fail("transfer incomplete or corrupted: received " + std::to_string(bytes) + " bytes");
  }
  if (!to_stdout && std::rename(tmp.c_str(), local.c_str()) != 0) return Fail("cannot rename to " + local);
  return 0;
}

int Put(v1::FileService::Stub& stub, v1::Target target, const std::string& local) {
  std::ifstream in(local, std::ios::binary);
  if (!in) return Fail("cannot read " + local);
  // The checksum of the whole file is computed first, so the bridge can refuse a mismatch.
  Sha256 pre;
  std::string buf(gw::rt::kChunkSize, '\0');
  uint64_t size = 0;
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    pre.Update(buf.data(), static_cast<size_t>(in.gcount()));
    size += static_cast<uint64_t>(in.gcount());
  }
  std::string digest = pre.Hex();
  in.clear();
  in.seekg(0);
  grpc::ClientContext ctx;
  v1::PutResponse resp;
  auto writer = stub.Put(&ctx, &resp);
  v1::PutRequest first;
  auto* spec = first.mutable_spec();
  *spec->mutable_target() = std::move(target);
  spec->set_mode(absl::GetFlag(FLAGS_append) ? v1::WRITE_MODE_APPEND : v1::WRITE_MODE_REPLACE);
  spec->set_offset(static_cast<uint64_t>(absl::GetFlag(FLAGS_offset)));
  spec->set_type(absl::GetFlag(FLAGS_text) ? v1::TRANSFER_TYPE_TEXT : v1::TRANSFER_TYPE_IMAGE);
  spec->set_expected_sha256(digest);
  bool ok = writer->Write(first);
  Progress progress(size);
  while (ok && (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)) {
    v1::PutRequest msg;
    msg.set_data(buf.data(), static_cast<size_t>(in.gcount()));
    ok = writer->Write(msg);
    progress.Add(static_cast<uint64_t>(in.gcount()));
  }
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  if (!s.ok()) return FailStatus(s);
  if (resp.sha256() != digest || resp.bytes() != size)
    return Fail("the destination did not confirm the bytes sent");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = gw::rt::ParseFlags(
      argc, argv, "XFER_",
      "file transfers through the gateway's bridge.\n"
      "  xfer ls|stat|rm URL  (--json: one JSON object per entry)\n  xfer get URL LOCAL|-\n  xfer put LOCAL URL\n  xfer mv URL NEWPATH\n"
      "URLs: file:///path, ftp://user@host:port/path, ftps://..., ftps-implicit://...,\n"
      "      ftam://user@host:port/path?tsel=HEX&ssel=HEX&psel=HEX&ap_title=OID&ae_qualifier=N\n"
      "The password is read from XFER_PASSWORD or asked for; the bridge is --bridge or XFER_BRIDGE.");
  if (args.size() < 2) return Fail("usage: xfer ls|get|put|rm|mv|stat URL [LOCAL] (see --help)");
  const std::string& cmd = args[0];
  gw::rt::GrpcTls tls{absl::GetFlag(FLAGS_bridge_cert), absl::GetFlag(FLAGS_bridge_key),
                      absl::GetFlag(FLAGS_bridge_ca)};
  auto stub = v1::FileService::NewStub(gw::rt::MakeChannel(absl::GetFlag(FLAGS_bridge), tls));
  std::string url = cmd == "put" ? (args.size() > 2 ? args[2] : "") : args[1];
  if (url.empty()) return Fail("put needs LOCAL and URL");
  v1::Target target = MakeTarget(url);
  target.set_password(Password());
  if (cmd == "get") {
    if (args.size() < 3) return Fail("get needs URL and LOCAL (or - for standard output)");
    return Get(*stub, std::move(target), args[2]);
  }
  if (cmd == "put") return Put(*stub, std::move(target), args[1]);
  grpc::ClientContext ctx;
  grpc::Status s;
  if (cmd == "ls") {
    v1::ListRequest req;
    *req.mutable_target() = std::move(target);
    v1::ListResponse resp;
    s = stub->List(&ctx, req, &resp);
    if (s.ok())
      for (const auto& e : resp.entries()) {
        if (absl::GetFlag(FLAGS_json)) std::printf("%s\n", EntryJson(e).c_str());
        else
          std::printf("%-5s %12llu %s\n", TypeName(e.type()).c_str(), static_cast<unsigned long long>(e.size()),
                      e.name().c_str());
      }
  } else if (cmd == "stat") {
    v1::StatRequest req;
    *req.mutable_target() = std::move(target);
    v1::StatResponse resp;
    s = stub->Stat(&ctx, req, &resp);
    const v1::Attributes& a = resp.attributes();
    if (s.ok() && absl::GetFlag(FLAGS_json)) {
      std::printf("%s\n", EntryJson(a).c_str());
    } else if (s.ok()) {
      std::printf("name: %s\ntype: %s\n", a.name().c_str(), TypeName(a.type()).c_str());
      if (a.has_size()) std::printf("size: %llu\n", static_cast<unsigned long long>(a.size()));
      if (a.has_mtime_unix()) std::printf("mtime: %s\n", IsoTime(a.mtime_unix()).c_str());
      if (a.has_permissions()) std::printf("mode: %04o\n", a.permissions());
    }
  } else if (cmd == "rm") {
    v1::DeleteRequest req;
    *req.mutable_target() = std::move(target);
    v1::DeleteResponse resp;
    s = stub->Delete(&ctx, req, &resp);
  } else if (cmd == "mv") {
    if (args.size() < 3) return Fail("mv needs URL and NEWPATH");
    v1::RenameRequest req;
    *req.mutable_target() = std::move(target);
    req.set_to(args[2]);
    v1::RenameResponse resp;
    s = stub->Rename(&ctx, req, &resp);
  } else {
    return Fail("unknown command " + cmd + " (see --help)");
  }
  return s.ok() ? 0 : FailStatus(s);
}
