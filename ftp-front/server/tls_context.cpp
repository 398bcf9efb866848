#include "server/tls_context.h"

#include <stdexcept>

#include <openssl/rand.h>
#include <openssl/ssl.h>

namespace gw::ftp {
namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> MakeServerTlsContext(const std::string& cert_file,
                                                   const std::string& key_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  SSL_CTX_set_cipher_list(native, "HIGH:!aNULL:!MD5:!RC4:!3DES");
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_SERVER);
  SSL_CTX_sess_set_cache_size(native, 20000);
  SSL_CTX_set_timeout(native, 3600);
  static const unsigned char kDefaultSidCtx[] = "ftp-front";
  SSL_CTX_set_session_id_context(native, kDefaultSidCtx, sizeof kDefaultSidCtx - 1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("cannot load certificate " + cert_file + ": " + ec.message());
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot load private key " + key_file + ": " + ec.message());
  if (SSL_CTX_check_private_key(native) != 1)
    throw std::runtime_error("the private key does not match the certificate");
  return ctx;
}

std::string NewSessionContext() {
  unsigned char raw[16];
  RAND_bytes(raw, sizeof raw);
  return std::string(reinterpret_cast<char*>(raw), sizeof raw);
}

}  // namespace gw::ftp
