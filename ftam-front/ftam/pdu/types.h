// Types shared by FTAM PDUs, ISO 8571-4 §A.1. Every member of a PDU is a std::optional;
// absent means "not on the wire" (DEFAULT values are omitted, as ISODE does).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ftam/pdu/tags.h"
#include "osi/ber/bits.h"
#include "osi/ber/oid.h"
#include "osi/ber/time.h"

namespace gw::ftam {

using osi::ber::NamedBits;
using osi::ber::Oid;
using osi::ber::Time;

enum ActionResult : int64_t { kSuccess = 0, kTransientError = 1, kPermanentError = 2 };
enum StateResult : int64_t { kStateSuccess = 0, kStateFailure = 1 };
enum DiagnosticType : int64_t { kInformative = 0, kTransient = 1, kPermanent = 2 };
// Entity-Reference, §A.1.
enum EntityReference : int64_t {
  kNoCategorization = 0, kInitiatingFileServiceUser = 1, kInitiatingFileProtocolMachine = 2,
  kServiceSupportingTheFileProtocolMachine = 3, kRespondingFileProtocolMachine = 4,
  kRespondingFileServiceUser = 5,
};

// Service-Class bits, §A.1.
namespace service_class {
inline constexpr int kUnconstrained = 0, kManagement = 1, kTransfer = 2,
                     kTransferAndManagement = 3, kAccess = 4;
}
// Functional-Units bits, §A.1.
namespace functional_unit {
inline constexpr int kRead = 2, kWrite = 3, kFileAccess = 4, kLimitedFileManagement = 5,
                     kEnhancedFileManagement = 6, kGrouping = 7, kFaduLocking = 8,
                     kRecovery = 9, kRestartDataTransfer = 10;
}
// Attribute-Groups bits, §A.1.
namespace attribute_group {
inline constexpr int kStorage = 0, kSecurity = 1, kPrivate = 2;
}
// Access-Request bits (also Permitted-Actions 0..7 and Processing-Mode 0..4), §A.1.
namespace access {
inline constexpr int kRead = 0, kInsert = 1, kReplace = 2, kExtend = 3, kErase = 4,
                     kReadAttribute = 5, kChangeAttribute = 6, kDeleteFile = 7;
inline constexpr int kTraversal = 8, kReverseTraversal = 9, kRandomOrder = 10;
}
// Attribute-Names bits, §A.1.
namespace attribute_name {
inline constexpr int kFilename = 0, kPermittedActions = 1, kContentsType = 2,
                     kStorageAccount = 3, kDateOfCreation = 4, kDateOfLastModification = 5,
                     kDateOfLastRead = 6, kDateOfLastAttributeModification = 7,
                     kIdentityOfCreator = 8, kIdentityOfLastModifier = 9,
                     kIdentityOfLastReader = 10, kIdentityOfLastAttributeModifier = 11,
                     kFileAvailability = 12, kFilesize = 13, kFutureFilesize = 14,
                     kAccessControl = 15, kLegalQualifications = 16, kPrivateUse = 17;
}
// Lock values of Concurrency-Control, §A.1.
enum Lock : int64_t { kNotRequired = 0, kShared = 1, kExclusive = 2, kNoAccess = 3 };
// Override of F-CREATE, §A.1.
enum Override : int64_t {
  kCreateFailure = 0, kSelectOldFile = 1, kDeleteAndCreateWithOldAttributes = 2,
  kDeleteAndCreateWithNewAttributes = 3,
};
// FADU operation of F-WRITE, §A.1.
enum FaduOperation : int64_t { kInsert = 0, kReplace = 1, kExtend = 2 };
// Access-Context values, §A.1.
enum AccessContextValue : int64_t {
  kHierarchicalAllDataUnits = 0, kHierarchicalNoDataUnits = 1, kFlatAllDataUnits = 2,
  kFlatOneLevelDataUnit = 3, kFlatSingleDataUnit = 4, kUnstructuredAllDataUnits = 5,
  kUnstructuredSingleDataUnit = 6,
};

// A member kept as its contents (constructed flag + octets), for the rarely used
// members this codec does not model (shared-ASE-information, access-passwords, ...).
struct RawValue {
  bool constructed = false;
  std::string contents;
};

struct DiagnosticEntry {
  std::optional<int64_t> diagnostic_type;
  std::optional<int64_t> error_identifier;
  std::optional<int64_t> error_observer;
  std::optional<int64_t> error_source;
  std::optional<int64_t> suggested_delay;
  std::optional<std::string> further_details;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("diagnostic-type", Context(0), s.diagnostic_type);
    v("error-identifier", Context(1), s.error_identifier);
    v("error-observer", Context(2), s.error_observer);
    v("error-source", Context(3), s.error_source);
    v("suggested-delay", Context(4), s.suggested_delay);
    v("further-details", Context(5), s.further_details);
  }
};
using Diagnostic = std::vector<DiagnosticEntry>;

struct ChargingEntry {
  std::optional<std::string> resource_identifier;
  std::optional<std::string> charging_unit;
  std::optional<int64_t> charging_value;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("resource-identifier", Context(0), s.resource_identifier);
    v("charging-unit", Context(1), s.charging_unit);
    v("charging-value", Context(2), s.charging_value);
  }
};
using Charging = std::vector<ChargingEntry>;

// Contents-Type-Attribute ::= CHOICE { document-type [0] ..., constraint-set-and-abstract-syntax [1] ... }
struct ContentsType {
  bool is_document_type = true;
  Oid document_type_name;                // [APPLICATION 14]
  std::optional<std::string> parameter;  // complete BER of the parameter ([0] EXPLICIT contents)
  Oid constraint_set_name;               // [APPLICATION 11]
  Oid abstract_syntax_name;              // [APPLICATION 0]
};

// F-OPEN-request contents-type [1] CHOICE { unknown [0] NULL, proposed [1] Contents-Type-Attribute }
struct OpenContentsType {
  bool unknown = false;
  ContentsType proposed;
};

// contents-type-list entries: Document-Type-Name or Abstract-Syntax-Name.
struct ContentsTypeListEntry {
  bool is_document_type = true;
  Oid name;
};
using ContentsTypeList = std::vector<ContentsTypeListEntry>;

// Password ::= CHOICE { GraphicString, OCTET STRING } (ISODE sends OCTET STRING).
struct Password {
  std::string value;
  bool graphic = false;
};

struct ConcurrencyControl {  // read, insert, replace, extend, erase, read-attribute, change-attribute, delete-file
  std::array<int64_t, 8> lock{};
};

// FADU-Identity ::= CHOICE, §A.1.
struct FaduIdentity {
  enum Kind : uint32_t { kFirstLast = 0, kRelative = 1, kBeginEnd = 2, kSingleName = 3,
                         kNameList = 4, kFaduNumber = 5 };
  uint32_t kind = kFirstLast;
  int64_t value = 0;     // first(0)/last(1), previous(0)/current(1)/next(2), begin(0)/end(1), number
  std::string raw;       // contents of single-name / name-list
};

struct AccessContext {
  int64_t context = kUnstructuredAllDataUnits;
  std::optional<int64_t> level_number;
};

using Pathname = std::vector<std::string>;

// An attribute value that may be "no-value-available-or-not-supported" ([0] NULL).
template <typename T, Tag kActual>
struct Valued {
  bool no_value = false;
  T value{};
  static constexpr Tag kActualTag = kActual;
};

using AccountValue = Valued<std::string, common_tag::kAccount>;
using DateValue = Valued<Time, Context(1)>;
using IdentityValue = Valued<std::string, common_tag::kUserIdentity>;
using IntegerValue = Valued<int64_t, Context(1)>;

// Read-, Select-, Create- and Change-Attributes share the attribute tags (§A.1); each
// set only uses some of them.
struct Attributes {
  std::optional<Pathname> pathname;
  std::optional<NamedBits> permitted_actions;
  std::optional<ContentsType> contents_type;
  std::optional<AccountValue> storage_account;
  std::optional<DateValue> date_and_time_of_creation;
  std::optional<DateValue> date_and_time_of_last_modification;
  std::optional<DateValue> date_and_time_of_last_read_access;
  std::optional<DateValue> date_and_time_of_last_attribute_modification;
  std::optional<IdentityValue> identity_of_creator;
  std::optional<IdentityValue> identity_of_last_modifier;
  std::optional<IdentityValue> identity_of_last_reader;
  std::optional<IdentityValue> identity_of_last_attribute_modifier;
  std::optional<IntegerValue> file_availability;
  std::optional<IntegerValue> filesize;
  std::optional<IntegerValue> future_filesize;
  std::optional<RawValue> access_control;
  std::optional<RawValue> legal_qualification;
  std::optional<RawValue> private_use;
  template <class S, class V> static void Fields(S& s, V& v) {
    v("pathname", ContextC(0), s.pathname);                    // [0] IMPLICIT SEQUENCE OF GraphicString
    v("permitted-actions", Context(1), s.permitted_actions);   // [1] IMPLICIT BIT STRING
    v("contents-type", ContextC(2), s.contents_type);          // [2] Contents-Type-Attribute
    v("storage-account", ContextC(3), s.storage_account);
    v("date-and-time-of-creation", ContextC(4), s.date_and_time_of_creation);
    v("date-and-time-of-last-modification", ContextC(5), s.date_and_time_of_last_modification);
    v("date-and-time-of-last-read-access", ContextC(6), s.date_and_time_of_last_read_access);
    v("date-and-time-of-last-attribute-modification", ContextC(7), s.date_and_time_of_last_attribute_modification);
    v("identity-of-creator", ContextC(8), s.identity_of_creator);
    v("identity-of-last-modifier", ContextC(9), s.identity_of_last_modifier);
    v("identity-of-last-reader", ContextC(10), s.identity_of_last_reader);
    v("identity-of-last-attribute-modifier", ContextC(11), s.identity_of_last_attribute_modifier);
    v("file-availability", ContextC(12), s.file_availability);
    v("filesize", ContextC(13), s.filesize);
    v("future-filesize", ContextC(14), s.future_filesize);
    v("access-control", ContextC(15), s.access_control);
    v("legal-qualification", ContextC(16), s.legal_qualification);
    v("private-use", ContextC(17), s.private_use);
  }
};

// Attribute-Names bit for each attribute of Attributes, in order.
NamedBits PresentAttributeNames(const Attributes& a);

}  // namespace gw::ftam
