// The TLS context of the server role: TLS 1.2 and 1.3 only, a server session cache so that
// data connections can resume the control connection's session.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace gw::ftp {

// Throws std::runtime_error with a clear message if the files cannot be used.
std::shared_ptr<boost::asio::ssl::context> MakeServerTlsContext(const std::string& cert_file,
                                                                const std::string& key_file);

// A random session-id context for one control connection: set on the control SSL object and
// on each of its data connections, so a data connection can only resume a session of its
// own control connection (RFC 4217 §10.2 "data connection security").
std::string NewSessionContext();

}  // namespace gw::ftp
