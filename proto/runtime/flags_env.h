// Every flag has an environment-variable equivalent (Kubernetes friendly): the variable
// PREFIX + the flag's name in upper case ("--pasv-ports" with prefix "FTP_FRONT_" reads
// FTP_FRONT_PASV_PORTS; dashes become underscores). A flag given on the command line wins.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gw::rt {

// Parses argv (after applying the environment) and returns the positional arguments.
// Exits with a message on a bad flag or a bad environment value.
std::vector<std::string> ParseFlags(int argc, char** argv, std::string_view env_prefix,
                                    std::string_view usage);

}  // namespace gw::rt
