#include "ftam/responder/attributes.h"

#include <ctime>

#include "absl/strings/str_cat.h"
#include "ftam/doctype/document_types.h"
#include "ftam/pdu/diagnostics.h"
#include "ftam/responder/initialize.h"

namespace gw::ftam::responder {

namespace v1 = gateway::v1;
namespace dt = doctype;
namespace an = attribute_name;

NamedBits Nbs9AttributeNames() {
  // Filename through filesize (bits 0..13), as ISODE's initiator asks.
  NamedBits b;
  for (int k = an::kFilename; k <= an::kFilesize; ++k) b.Set(k);
  return b;
}

ContentsType ContentsTypeOf(const v1::Attributes& a) {
  if (a.type() == v1::ENTRY_TYPE_DIRECTORY) return dt::Nbs9ContentsType({Nbs9AttributeNames()});
  if (a.has_contents() && a.contents() == v1::TRANSFER_TYPE_TEXT)
    return dt::Ftam1ContentsType({27, std::nullopt, dt::kNotSignificant});
  return dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant});
}

namespace {

Time FromUnix(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  Time out;
  out.year = tm.tm_year + 1900;
  out.month = tm.tm_mon + 1;
  out.day = tm.tm_mday;
  out.hour = tm.tm_hour;
  out.minute = tm.tm_min;
  out.second = tm.tm_sec;
  out.utc = true;
  return out;
}

template <typename V>
V NoValue() {
  V v;
  v.no_value = true;
  return v;
}

}  // namespace

Attributes ToFtamAttributes(const v1::Attributes& a, const std::string& name, NamedBits wanted, bool storage) {
  Attributes out;
  if (wanted.Test(an::kFilename)) out.pathname = Pathname{name};
  if (wanted.Test(an::kPermittedActions)) {
    // Everything the kernel group names, plus traversal in both directions and random
    // order (as ISODE reports for its files).
    NamedBits p;
    for (int k = 0; k <= 10; ++k) p.Set(k);
    out.permitted_actions = p;
  }
  if (wanted.Test(an::kContentsType)) out.contents_type = ContentsTypeOf(a);
  if (!storage) return out;
  if (wanted.Test(an::kStorageAccount)) {
    AccountValue v = NoValue<AccountValue>();
    if (!a.owner().empty()) v = {false, a.owner()};
    out.storage_account = v;
  }
  if (wanted.Test(an::kDateOfCreation)) out.date_and_time_of_creation = NoValue<DateValue>();
  if (wanted.Test(an::kDateOfLastModification)) {
    out.date_and_time_of_last_modification =
        a.has_mtime_unix() ? DateValue{false, FromUnix(a.mtime_unix())} : NoValue<DateValue>();
  }
  if (wanted.Test(an::kDateOfLastRead)) out.date_and_time_of_last_read_access = NoValue<DateValue>();
  if (wanted.Test(an::kDateOfLastAttributeModification))
    out.date_and_time_of_last_attribute_modification = NoValue<DateValue>();
  if (wanted.Test(an::kIdentityOfCreator)) {
    out.identity_of_creator = a.owner().empty() ? NoValue<IdentityValue>() : IdentityValue{false, a.owner()};
  }
  if (wanted.Test(an::kIdentityOfLastModifier)) out.identity_of_last_modifier = NoValue<IdentityValue>();
  if (wanted.Test(an::kIdentityOfLastReader)) out.identity_of_last_reader = NoValue<IdentityValue>();
  if (wanted.Test(an::kIdentityOfLastAttributeModifier)) out.identity_of_last_attribute_modifier = NoValue<IdentityValue>();
  if (wanted.Test(an::kFileAvailability)) out.file_availability = IntegerValue{false, 0};  // immediate
  if (wanted.Test(an::kFilesize))
    out.filesize = a.has_size() ? IntegerValue{false, static_cast<int64_t>(a.size())} : NoValue<IntegerValue>();
  if (wanted.Test(an::kFutureFilesize)) out.future_filesize = NoValue<IntegerValue>();
  return out;
}

Diagnostic DiagnosticFor(const v1::Result& r, int64_t fallback_id) {
  for (auto it = r.origin().rbegin(); it != r.origin().rend(); ++it) {
    if (!it->has_ftam()) continue;
    const auto& f = it->ftam();
    DiagnosticEntry e;
    e.diagnostic_type = f.diagnostic_type();
    e.error_identifier = f.error_identifier();
    e.error_observer = f.error_observer();
    e.error_source = f.error_source();
    if (!f.further_details().empty()) e.further_details = f.further_details();
    return {e};
  }
  int64_t id = fallback_id;
  int64_t type = kPermanent;
  switch (r.code()) {
    case v1::STATUS_NOT_FOUND: id = error_id::kFilenameNotFound; break;
    case v1::STATUS_ALREADY_EXISTS: id = error_id::kFileAlreadyExists; break;
    case v1::STATUS_PERMISSION_DENIED: id = error_id::kAccessRequestViolatesLocalSecurity; break;
    case v1::STATUS_NOT_LOGGED_IN: id = error_id::kInvalidFilestorePassword; break;
    case v1::STATUS_RESOURCE_EXHAUSTED: id = error_id::kSpaceExhausted; break;
    case v1::STATUS_UNAVAILABLE:
    case v1::STATUS_DEADLINE_EXCEEDED:
      id = error_id::kLowerLayerFailure;
      type = kTransient;
      break;
    default: break;
  }
  std::string details = r.message();
  for (const auto& o : r.origin()) {
    if (o.has_ftp() && !o.ftp().text().empty()) details = absl::StrCat(o.ftp().code(), " ", o.ftp().text());
  }
  return MakeDiagnostic(type, id, details);
}

}  // namespace gw::ftam::responder
