// The route table the relay-policy tests and the resolution fuzz target share: a file://
// default, FTP servers on this machine with ports and schemes to choose from, a TLS
// destination limited to one user, an IPv6 destination and an FTAM one.
#pragma once

namespace gw::route::testing {

inline constexpr char kPolicyTable[] = R"(
routes:
  - name: demo
    users: [demo]
    default: true
    destination: file:///srv/demo
  - name: local-ftp
    hosts: [127.0.0.1, localhost, "::1"]
    destination: ftp://127.0.0.1:21/pub
    schemes: [ftp, ftps, ftps-implicit]
    ports: [21, 990, "2000-2999"]
    tls: { ca: /etc/gw/local-ca.pem }
  - name: archive
    hosts: [archive.example.org]
    destination: ftps://archive.example.org:2121/pub
    allow_users: [alice]
  - name: v6
    hosts: ["2001:db8::1"]
    destination: ftp://[2001:db8::1]:21
    ports: ["2100-2199"]
  - name: osi
    destination: ftam://osi-host
)";

}  // namespace gw::route::testing
