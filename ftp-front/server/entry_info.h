#pragma once

#include "gateway/v1/file_service.pb.h"
#include "protocol/listing.h"

namespace gw::ftp {

inline EntryInfo ToEntryInfo(const gateway::v1::Attributes& a) {
  EntryInfo e;
  e.name = a.name();
  switch (a.type()) {
    case gateway::v1::ENTRY_TYPE_DIRECTORY: e.type = EntryInfo::Type::kDirectory; break;
    case gateway::v1::ENTRY_TYPE_SYMLINK: e.type = EntryInfo::Type::kSymlink; break;
    case gateway::v1::ENTRY_TYPE_FILE: e.type = EntryInfo::Type::kFile; break;
    default: e.type = EntryInfo::Type::kOther; break;
  }
  if (a.has_size()) e.size = a.size();
  if (a.has_mtime_unix()) e.mtime_unix = a.mtime_unix();
  if (a.has_permissions()) e.mode = a.permissions();
  e.owner = a.owner();
  e.group = a.group();
  e.nlink = a.nlink() ? a.nlink() : 1;
  return e;
}

}  // namespace gw::ftp
