// FtpClient against real servers: vsftpd, proftpd, pure-ftpd and pyftpdlib from the peers
// kit, plain, explicit and implicit FTPS. Run by run_peers_test.sh, which starts the servers
// and exports GW_PEERS_BASE and the kit's port variables (VSFTPD_PORT, ...).
#include <csignal>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "client/ftp_client.h"

namespace gw::ftp::client {
namespace {

using Tls = ClientOptions::Tls;

struct Peer {
  const char* name;
  const char* port_var;
  Tls tls;
  bool mlsd;
  bool requires_reuse = false;  // rejects data connections that do not resume (vsftpd, proftpd)
  // proftpd's mod_tls ends the whole session when a data write fails with EPIPE (its
  // TLS log: "panic: SSL_ERROR_SYSCALL ... Broken pipe"), which happens at random when the
  // client closes a TLS data connection to abort it.
  bool abort_may_drop_session = false;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

template <typename T>
T Await(asio::io_context& io, asio::awaitable<T> op) {
  auto f = asio::co_spawn(io, std::move(op), asio::use_future);
  io.restart();
  io.run();
  return f.get();
}

asio::awaitable<absl::StatusOr<std::string>> GetAll(FtpClient* c, std::string path, bool text, uint64_t offset) {
  absl::Status s = co_await c->StartRetrieve(path, text, offset);
  if (!s.ok()) co_return s;
  std::string out;
  std::vector<char> buf(16 * 1024);
  for (;;) {
    auto n = co_await c->ReadData(std::span<char>(buf));
    if (!n.ok()) co_return n.status();
    if (*n == 0) co_return out;
    out.append(buf.data(), *n);
  }
}

asio::awaitable<absl::StatusOr<std::string>> PutAll(FtpClient* c, std::string path, FtpClient::StoreMode mode,
                                                     bool text, uint64_t offset, std::string data) {
  absl::Status s = co_await c->StartStore(path, mode, text, offset);
  if (!s.ok()) co_return s;
  // Several chunks, as a relay would push them.
  for (std::size_t at = 0; at < data.size(); at += 7000) {
    std::string_view chunk = std::string_view(data).substr(at, 7000);
    s = co_await c->WriteData(std::span<const char>(chunk.data(), chunk.size()));
    if (!s.ok()) co_return s;
  }
  co_return co_await c->FinishStore();
}

// Reads `bytes` of a running retrieve, then aborts it.
asio::awaitable<absl::Status> ReadThenAbort(FtpClient* c, std::string path, std::size_t bytes) {
  absl::Status s = co_await c->StartRetrieve(path, false, 0);
  if (!s.ok()) co_return s;
  std::vector<char> buf(16 * 1024);
  std::size_t got = 0;
  while (got < bytes) {
    auto n = co_await c->ReadData(std::span<char>(buf));
    if (!n.ok()) co_return n.status();
    if (*n == 0) co_return absl::InternalError("the transfer ended before the abort");
    got += *n;
  }
  co_return co_await c->Abort();
}

std::string RandomBytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(gen() & 0xff);
  return s;
}

class PeersTest : public ::testing::TestWithParam<Peer> {
 protected:
  void SetUp() override {
    if (Env("GW_PEERS_BASE").empty()) GTEST_SKIP() << "GW_PEERS_BASE not set (run run_peers_test.sh)";
    std::string port = Env(GetParam().port_var);
    if (port.empty()) GTEST_SKIP() << GetParam().port_var << " not set";
    opts_.host = "127.0.0.1";
    opts_.port = static_cast<uint16_t>(std::stoi(port));
    opts_.tls = GetParam().tls;
    opts_.verify_cert = false;  // the kit's certificate is self-signed (see VerifiedWithTheKitCa)
    opts_.connect_timeout = std::chrono::seconds(10);
    opts_.reply_timeout = std::chrono::seconds(20);
    opts_.data_timeout = std::chrono::seconds(30);
    if (!Env("GW_FTP_TRACE").empty()) opts_.trace = [](std::string_view line) { fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data()); };
  }

  std::unique_ptr<FtpClient> LoggedIn() {
    auto c = std::make_unique<FtpClient>(io_.get_executor(), opts_);
    absl::Status s = Await(io_, c->Connect());
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) return nullptr;
    s = Await(io_, c->Login("ftptest", "ftptest"));
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) return nullptr;
    return c;
  }

  asio::io_context io_;
  ClientOptions opts_;
};

TEST_P(PeersTest, WrongPasswordIsUnauthenticated) {
  FtpClient c(io_.get_executor(), opts_);
  ASSERT_TRUE(Await(io_, c.Connect()).ok());
  absl::Status s = Await(io_, c.Login("ftptest", "wrong-password"));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  EXPECT_EQ(s.message(), c.last_reply().Quote());
  EXPECT_TRUE(std::string(s.message()).starts_with("530")) << s;
}

TEST_P(PeersTest, FileOperations) {
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->features().mlst, GetParam().mlsd);
  EXPECT_EQ(c->data_protected(), GetParam().tls != Tls::kNone);
  const std::string dir = std::string("clt-") + GetParam().name + "-" + std::to_string(getpid());
  ASSERT_TRUE(Await(io_, c->MakeDirectory(dir)).ok()) << c->last_reply().Quote();

  // Text and binary, byte-exact both ways.
  const std::string text = "first line\r\nsecond line\r\n\r\nlast\r\n";
  const std::string binary = RandomBytes(300 * 1024 + 17, 1);
  auto put = Await(io_, PutAll(c.get(), dir + "/t.txt", FtpClient::StoreMode::kReplace, true, 0, text));
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(*put, dir + "/t.txt");
  put = Await(io_, PutAll(c.get(), dir + "/b.bin", FtpClient::StoreMode::kReplace, false, 0, binary));
  ASSERT_TRUE(put.ok()) << put.status();
  if (GetParam().requires_reuse) EXPECT_TRUE(c->data_session_reused()) << "data TLS did not resume";
  auto got = Await(io_, GetAll(c.get(), dir + "/t.txt", true, 0));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, text);
  got = Await(io_, GetAll(c.get(), dir + "/b.bin", false, 0));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->size(), binary.size());
  EXPECT_TRUE(*got == binary);

  // Append, then resumed retrieve and resumed store (REST).
  const std::string tail = RandomBytes(5000, 2);
  put = Await(io_, PutAll(c.get(), dir + "/b.bin", FtpClient::StoreMode::kAppend, false, 0, tail));
  ASSERT_TRUE(put.ok()) << put.status();
  got = Await(io_, GetAll(c.get(), dir + "/b.bin", false, 1000));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == (binary + tail).substr(1000));
  put = Await(io_, PutAll(c.get(), dir + "/r.bin", FtpClient::StoreMode::kReplace, false, 0, binary.substr(0, 100000)));
  ASSERT_TRUE(put.ok()) << put.status();
  put = Await(io_, PutAll(c.get(), dir + "/r.bin", FtpClient::StoreMode::kReplace, false, 100000, binary.substr(100000)));
  ASSERT_TRUE(put.ok()) << put.status();
  got = Await(io_, GetAll(c.get(), dir + "/r.bin", false, 0));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == binary);

  // Listing (MLSD where offered, else LIST) and names.
  ASSERT_TRUE(Await(io_, c->MakeDirectory(dir + "/sub")).ok());
  auto list = Await(io_, c->List(dir));
  ASSERT_TRUE(list.ok()) << list.status();
  bool saw_bin = false, saw_sub = false;
  for (const Entry& e : *list) {
    EXPECT_TRUE(e.parsed) << e.name;
    if (e.name == "b.bin") {
      saw_bin = true;
      EXPECT_EQ(e.type, Entry::Type::kFile);
      EXPECT_EQ(e.size, binary.size() + tail.size());
      EXPECT_TRUE(e.mtime_unix.has_value());
    }
    if (e.name == "sub") {
      saw_sub = true;
      EXPECT_EQ(e.type, Entry::Type::kDirectory);
    }
  }
  EXPECT_TRUE(saw_bin && saw_sub) << list->size() << " entries";
  auto names = Await(io_, c->NameList(dir));
  ASSERT_TRUE(names.ok()) << names.status();
  bool named = false;
  for (const std::string& n : *names) named |= n == "t.txt" || n == dir + "/t.txt";
  EXPECT_TRUE(named);

  auto st = Await(io_, c->Stat(dir + "/b.bin"));
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->size, binary.size() + tail.size());
  EXPECT_EQ(st->type, Entry::Type::kFile);
  auto sd = Await(io_, c->Stat(dir + "/sub"));
  ASSERT_TRUE(sd.ok()) << sd.status();
  EXPECT_EQ(sd->type, Entry::Type::kDirectory);

  // Rename, delete, a missing file quoted exactly.
  ASSERT_TRUE(Await(io_, c->Rename(dir + "/t.txt", dir + "/u.txt")).ok()) << c->last_reply().Quote();
  auto gone = Await(io_, c->Stat(dir + "/t.txt"));
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound) << gone.status();
  absl::Status missing = Await(io_, c->StartRetrieve(dir + "/no-such-file", false, 0));
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
  EXPECT_EQ(missing.message(), c->last_reply().Quote());
  EXPECT_TRUE(std::string(missing.message()).starts_with("550 ")) << missing;
  for (const char* f : {"/u.txt", "/b.bin", "/r.bin"}) EXPECT_TRUE(Await(io_, c->Delete(dir + f)).ok()) << f;
  EXPECT_EQ(Await(io_, c->Delete(dir + "/u.txt")).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Await(io_, c->RemoveDirectory(dir + "/sub")).ok());
  EXPECT_TRUE(Await(io_, c->RemoveDirectory(dir)).ok()) << c->last_reply().Quote();

  auto pwd = Await(io_, c->Pwd());
  EXPECT_TRUE(pwd.ok()) << pwd.status();
  EXPECT_TRUE(Await(io_, c->Quit()).ok());
}

TEST_P(PeersTest, AbortRunningRetrieveThenCarryOn) {
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  absl::Status s = Await(io_, ReadThenAbort(c.get(), "big.bin", 200000));
  if (GetParam().abort_may_drop_session && !s.ok()) {
    // Never a false success: the loss of the session is reported as such.
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
    EXPECT_FALSE(c->connected());
    GTEST_SKIP() << "the server dropped the session on abort: " << s;
  }
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_FALSE(c->transferring());
  // The control connection is in step: a command and a transfer work.
  auto pwd = Await(io_, c->Pwd());
  EXPECT_TRUE(pwd.ok()) << pwd.status();
  auto hello = Await(io_, GetAll(c.get(), "hello.txt", false, 0));
  ASSERT_TRUE(hello.ok()) << hello.status();
  EXPECT_FALSE(hello->empty());
  // Twice in a row.
  s = Await(io_, ReadThenAbort(c.get(), "big.bin", 50000));
  if (GetParam().abort_may_drop_session && !s.ok()) {
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
    GTEST_SKIP() << "the server dropped the session on abort: " << s;
  }
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_TRUE(Await(io_, c->Pwd()).ok());
}

INSTANTIATE_TEST_SUITE_P(
    Servers, PeersTest,
    ::testing::Values(Peer{"vsftpd_plain", "VSFTPD_PORT", Tls::kNone, false},
                      Peer{"vsftpd_explicit", "VSFTPD_PORT", Tls::kExplicit, false, true},
                      Peer{"vsftpd_implicit", "VSFTPD_IMPLICIT_PORT", Tls::kImplicit, false, true},
                      Peer{"proftpd_plain", "PROFTPD_PORT", Tls::kNone, true},
                      Peer{"proftpd_explicit", "PROFTPD_PORT", Tls::kExplicit, true, true, true},
                      Peer{"proftpd_implicit", "PROFTPD_IMPLICIT_PORT", Tls::kImplicit, true, true, true},
                      Peer{"pure_plain", "PURE_PORT", Tls::kNone, true},
                      Peer{"pure_explicit", "PURE_PORT", Tls::kExplicit, true},
                      Peer{"pyftpd_plain", "PYFTPD_PORT", Tls::kNone, true},
                      Peer{"pyftpd_explicit", "PYFTPD_PORT", Tls::kExplicit, true},
                      Peer{"pyftpd_implicit", "PYFTPD_IMPLICIT_PORT", Tls::kImplicit, true}),
    [](const ::testing::TestParamInfo<Peer>& info) { return std::string(info.param.name); });

class PeersVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("GW_PEERS_BASE").empty() || Env("PROFTPD_PORT").empty()) GTEST_SKIP() << "GW_PEERS_BASE not set";
    opts_.host = "127.0.0.1";
    opts_.port = static_cast<uint16_t>(std::stoi(Env("PROFTPD_PORT")));
    opts_.tls = Tls::kExplicit;
    opts_.reply_timeout = std::chrono::seconds(20);
  }
  asio::io_context io_;
  ClientOptions opts_;
};

// The kit's certificate (CN=localhost, SAN IP:127.0.0.1) as the CA: verification passes,
// data connections included.
TEST_F(PeersVerifyTest, VerifiedWithTheKitCa) {
  opts_.ca_file = Env("GW_PEERS_BASE") + "/certs/server.crt";
  FtpClient c(io_.get_executor(), opts_);
  ASSERT_TRUE(Await(io_, c.Connect()).ok());
  absl::Status s = Await(io_, c.Login("ftptest", "ftptest"));
  ASSERT_TRUE(s.ok()) << s;
  auto list = Await(io_, c.List(""));
  EXPECT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(c.data_session_reused());
}

// Verification is on by default: a self-signed certificate not in the trust store fails.
TEST_F(PeersVerifyTest, UntrustedCertificateIsRefused) {
  FtpClient c(io_.get_executor(), opts_);
  ASSERT_TRUE(Await(io_, c.Connect()).ok());
  absl::Status s = Await(io_, c.Login("ftptest", "ftptest"));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_NE(s.message().find("certificate verify failed"), std::string::npos) << s;
}

}  // namespace
}  // namespace gw::ftp::client

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // as ftp-front's main: a server may close a data connection we write to
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
