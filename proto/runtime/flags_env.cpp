#include "runtime/flags_env.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"

namespace gw::rt {

std::vector<std::string> ParseFlags(int argc, char** argv, std::string_view env_prefix,
                                    std::string_view usage) {
  absl::SetProgramUsageMessage(std::string(usage));
  absl::FlagsUsageConfig cfg;
  cfg.contains_help_flags = [](absl::string_view file) {
    return file.find("absl/") == absl::string_view::npos;
  };
  cfg.contains_helpshort_flags = cfg.contains_help_flags;
  absl::SetFlagsUsageConfig(cfg);
  for (auto& [name, flag] : absl::GetAllFlags()) {
    if (flag->Filename().find("absl/") != std::string::npos) continue;
    std::string env(env_prefix);
    for (char c : name) env += (c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    const char* value = std::getenv(env.c_str());
    if (!value) continue;
    std::string err;
    if (!flag->ParseFrom(value, &err)) {
      std::fprintf(stderr, "%s: bad value in environment variable %s: %s\n", argv[0], env.c_str(),
                   err.c_str());
      std::exit(2);
    }
  }
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> out;
  for (std::size_t i = 1; i < rest.size(); ++i) out.emplace_back(rest[i]);
  return out;
}

}  // namespace gw::rt
