// Reading the directory from the route table's YAML (format in DIRECTORY.md).
#include <map>
#include <optional>

#include "bridge/route/directory.h"
#include "bridge/route/yaml_util.h"

namespace gw::route {
namespace {

bool IsEntryNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

std::string LowerName(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A value whose parser reports InvalidArgument: the message, with the node's line.
template <typename T>
absl::StatusOr<T> Parsed(const YAML::Node& node, absl::StatusOr<T> value) {
  if (!value.ok()) return ErrorAt(node, std::string(value.status().message()));
  return value;
}

// The ftam:// URL a presentation address stands for (messages and logs show it).
std::string FtamUrlOf(const PresentationAddress& address) {
  bool v6 = address.host.find(':') != std::string::npos;
  std::string url = Cat("ftam://", v6 ? "[" : "", address.host, v6 ? "]" : "", ":", address.port);
  std::string query;
  auto add = [&](std::string_view key, const std::string& octets) {
    if (!octets.empty()) query = Cat(query, query.empty() ? "?" : "&", key, "=", HexOf(octets));
  };
  add("tsel", address.tsel);
  add("ssel", address.ssel);
  add("psel", address.psel);
  return url + query;
}

absl::StatusOr<DirectoryEntry> ParseEntry(const YAML::Node& node) {
  DirectoryEntry entry;
  std::optional<YAML::Node> destination_node, address_node, title_node, qualifier_node;
  absl::Status status = ForEachKey(
      node, "a directory entry",
      {"name", "dn", "ufn", "presentation_address", "destination", "ae_title", "ae_qualifier"},
      [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> absl::Status {
        if (key == "name") {
          absl::StatusOr<std::string> name = ScalarOf(value, "name");
          if (!name.ok()) return name.status();
          if (name->empty() || name->size() > 128 ||
              !std::all_of(name->begin(), name->end(), IsEntryNameChar))
            return ErrorAt(value, Cat("invalid directory entry name \"", *name,
                                      "\" (letters, digits, '.', '-' and '_' only)"));
          entry.name = std::move(*name);
        } else if (key == "dn") {
          absl::StatusOr<std::string> text = ScalarOf(value, "dn");
          if (!text.ok()) return text.status();
          absl::StatusOr<DistinguishedName> dn = Parsed(value, ParseDistinguishedName(*text));
          if (!dn.ok()) return dn.status();
          entry.dn = std::move(*dn);
        } else if (key == "ufn") {
          std::vector<YAML::Node> items;
          if (value.IsSequence()) {
            for (const YAML::Node& item : value) items.push_back(item);
          } else {
            items.push_back(value);
          }
          for (const YAML::Node& item : items) {
            absl::StatusOr<std::string> text = ScalarOf(item, "each ufn");
            if (!text.ok()) return text.status();
            absl::StatusOr<std::vector<std::string>> ufn = Parsed(item, ParseUserFriendlyName(*text));
            if (!ufn.ok()) return ufn.status();
            entry.ufn.push_back(std::move(*ufn));
          }
        } else if (key == "presentation_address") {
          address_node = value;
        } else if (key == "destination") {
          destination_node = value;
        } else if (key == "ae_title") {
          title_node = value;
        } else {
          qualifier_node = value;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (entry.name.empty()) return ErrorAt(node, "directory entry without a name");
  const std::string in_entry = Cat(" in directory entry \"", entry.name, "\"");

  if (address_node) {
    absl::StatusOr<std::string> text = ScalarOf(*address_node, "presentation_address");
    if (!text.ok()) return text.status();
    absl::StatusOr<PresentationAddress> address = Parsed(*address_node, ParsePresentationAddress(*text));
    if (!address.ok()) return address.status();
    entry.presentation_address = std::move(*address);
  }
  if (destination_node) {
    absl::StatusOr<std::string> url = ScalarOf(*destination_node, "destination");
    if (!url.ok()) return url.status();
    absl::StatusOr<Destination> destination = Parsed(*destination_node, ParseDestinationUrl(*url));
    if (!destination.ok()) return destination.status();
    entry.destination = std::move(*destination);
    if (entry.destination.scheme == Scheme::kFtam && entry.presentation_address)
      return ErrorAt(*address_node, Cat("an ftam:// destination carries its own address: give "
                                        "presentation_address or destination, not both", in_entry));
  } else if (entry.presentation_address) {
    const PresentationAddress& address = *entry.presentation_address;
    entry.destination.scheme = Scheme::kFtam;
    entry.destination.url = FtamUrlOf(address);
    entry.destination.host = address.host;
    entry.destination.port = address.port;
    entry.destination.port_named = true;
    entry.destination.tsel = address.tsel;
    entry.destination.ssel = address.ssel;
    entry.destination.psel = address.psel;
  } else {
    return ErrorAt(node, Cat("missing presentation_address or destination", in_entry));
  }
  const bool ftam = entry.destination.scheme == Scheme::kFtam;
  if (title_node) {
    absl::StatusOr<std::string> text = ScalarOf(*title_node, "ae_title");
    if (!text.ok()) return text.status();
    absl::StatusOr<std::string> oid = Parsed(*title_node, ParseObjectIdentifier(*text, "ae_title"));
    if (!oid.ok()) return oid.status();
    if (ftam && !entry.destination.ap_title.empty())
      return ErrorAt(*title_node, Cat("ae_title given twice (the URL has ap_title)", in_entry));
    entry.ae_title = *oid;
    if (ftam) entry.destination.ap_title = std::move(*oid);
  } else if (ftam) {
    entry.ae_title = entry.destination.ap_title;
  }
  if (qualifier_node) {
    absl::StatusOr<std::string> text = ScalarOf(*qualifier_node, "ae_qualifier");
    if (!text.ok()) return text.status();
    absl::StatusOr<int64_t> qualifier = Parsed(*qualifier_node, ParseAeQualifier(*text, "ae_qualifier"));
    if (!qualifier.ok()) return qualifier.status();
    if (ftam && entry.destination.ae_qualifier)
      return ErrorAt(*qualifier_node, Cat("ae_qualifier given twice (the URL has one)", in_entry));
    entry.ae_qualifier = *qualifier;
    if (ftam) entry.destination.ae_qualifier = *qualifier;
  } else if (ftam) {
    entry.ae_qualifier = entry.destination.ae_qualifier;
  }
  return entry;
}

// Names, DNs, AE titles and selectors each name one entry.
absl::Status CheckDistinct(const std::vector<DirectoryEntry>& entries, const std::vector<YAML::Node>& nodes) {
  std::map<std::string, std::string> names, dns, titles, selectors;
  auto claim = [&](std::map<std::string, std::string>& seen, const std::string& key, size_t i,
                   std::string_view what) -> absl::Status {
    auto [it, inserted] = seen.emplace(key, entries[i].name);
    if (!inserted)
      return ErrorAt(nodes[i], Cat("directory entry \"", entries[i].name, "\": ", what,
                                   " already names entry \"", it->second, "\""));
    return absl::OkStatus();
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    const DirectoryEntry& e = entries[i];
    if (absl::Status s = claim(names, LowerName(e.name), i, "the name"); !s.ok()) return s;
    if (!e.dn.empty()) {
      std::string key;
      for (const Rdn& rdn : e.dn) key = Cat(key, "@", rdn.type, "=", NormalizeNameValue(rdn.value));
      if (absl::Status s = claim(dns, key, i, "its dn"); !s.ok()) return s;
    }
    if (!e.ae_title.empty()) {
      std::string key = Cat(e.ae_title, "/", e.ae_qualifier ? Cat(*e.ae_qualifier) : "-");
      if (absl::Status s = claim(titles, key, i, "its ae_title"); !s.ok()) return s;
    }
    const PresentationAddress* a = e.presentation_address ? &*e.presentation_address : nullptr;
    std::string psel = a ? a->psel : e.destination.psel, ssel = a ? a->ssel : e.destination.ssel,
                tsel = a ? a->tsel : e.destination.tsel;
    if (!psel.empty() || !ssel.empty() || !tsel.empty()) {
      std::string key = Cat(HexOf(psel), "/", HexOf(ssel), "/", HexOf(tsel));
      if (absl::Status s = claim(selectors, key, i, "its selectors"); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<DirectoryEntry>> ParseDirectory(const YAML::Node& node) {
  std::vector<DirectoryEntry> entries;
  if (node.IsNull()) return entries;
  if (!node.IsSequence()) return ErrorAt(node, "\"directory\" must be a list");
  std::vector<YAML::Node> nodes;
  for (const YAML::Node& item : node) {
    absl::StatusOr<DirectoryEntry> entry = ParseEntry(item);
    if (!entry.ok()) return entry.status();
    entries.push_back(std::move(*entry));
    nodes.push_back(item);
  }
  if (absl::Status s = CheckDistinct(entries, nodes); !s.ok()) return s;
  return entries;
}

}  // namespace gw::route
