#include "runtime/flags_env.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"

namespace gw::rt {
namespace {

// The project-relative form of a flag's source file ("bridge/main.cpp"), so that --help
// shows no path of the machine the binary was built on. This file's own name tells the
// prefix the compiler gave every project source.
std::string ProjectRelative(absl::string_view file) {
  constexpr absl::string_view kSelf = "proto/runtime/flags_env.cpp";
  absl::string_view self = __FILE__;
  absl::string_view prefix;
  if (self.size() >= kSelf.size() && self.substr(self.size() - kSelf.size()) == kSelf)
    prefix = self.substr(0, self.size() - kSelf.size());
  if (!prefix.empty() && file.substr(0, prefix.size()) == prefix) {
    file.remove_prefix(prefix.size());
  } else if (auto at = file.rfind("absl/"); at != absl::string_view::npos && (at == 0 || file[at - 1] == '/')) {
    file.remove_prefix(at);  // Abseil's own flags, wherever its sources were
  }
  for (;;) {
    if (file.substr(0, 3) == "../") file.remove_prefix(3);
    else if (file.substr(0, 2) == "./") file.remove_prefix(2);
    else break;
  }
  // Anything still absolute lies outside the project: its name alone.
  if (!file.empty() && file.front() == '/') file.remove_prefix(file.rfind('/') + 1);
  return std::string(file);
}

}  // namespace

std::vector<std::string> ParseFlags(int argc, char** argv, std::string_view env_prefix,
                                    std::string_view usage) {
  // absl prints "<program>: " before the usage message: a message that starts with the
  // program's name already is not prefixed twice.
  std::string_view program = argc > 0 ? std::string_view(argv[0]) : std::string_view();
  if (auto slash = program.rfind('/'); slash != std::string_view::npos) program.remove_prefix(slash + 1);
  if (!program.empty() && usage.size() > program.size() + 2 && usage.substr(0, program.size()) == program &&
      usage.substr(program.size(), 2) == ": ")
    usage.remove_prefix(program.size() + 2);
  absl::SetProgramUsageMessage(std::string(usage));
  absl::FlagsUsageConfig cfg;
  cfg.contains_help_flags = [](absl::string_view file) {
    return file.find("absl/") == absl::string_view::npos;
  };
  cfg.contains_helpshort_flags = cfg.contains_help_flags;
  cfg.normalize_filename = ProjectRelative;
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
