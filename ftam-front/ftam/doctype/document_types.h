// Document types FTAM-1 (unstructured text), FTAM-3 (unstructured binary) and NBS-9
// (NIST file directory), ISO 8571-2 annex B and the NIST OIW agreements; their
// parameters and the abstract syntax of their data values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ftam/pdu/types.h"
#include "osi/ber/oid.h"
#include "osi/gather.h"

namespace gw::ftam::doctype {

using osi::Bytes;

// Document type names and the abstract syntaxes of their data (osi-ftam-notes §8).
inline constexpr Oid kFtam1DocumentType{1, 0, 8571, 5, 1};
inline constexpr Oid kFtam3DocumentType{1, 0, 8571, 5, 3};
inline constexpr Oid kNbs9DocumentType{1, 3, 14, 5, 5, 9};
inline constexpr Oid kNbs9OldDocumentType{1, 3, 9999, 1, 5, 9};
inline constexpr Oid kUnstructuredTextAbstractSyntax{1, 0, 8571, 2, 3};
inline constexpr Oid kUnstructuredBinaryAbstractSyntax{1, 0, 8571, 2, 4};
inline constexpr Oid kNbs9AbstractSyntax{1, 3, 14, 5, 2, 2};
inline constexpr Oid kNbs9OldAbstractSyntax{1, 3, 9999, 1, 2, 2};
// File model and constraint set common to all three.
inline constexpr Oid kHierarchicalFileModel{1, 0, 8571, 3, 1};
inline constexpr Oid kUnstructuredConstraintSet{1, 0, 8571, 4, 1};

// The abstract syntax whose values carry documents of this type (nullopt if unknown).
std::optional<Oid> AbstractSyntaxOf(const Oid& document_type);
const char* DocumentTypeName(const Oid& document_type);

// string-significance, ISO 8571-2 annex B.1.
enum StringSignificance : int64_t { kVariable = 0, kFixed = 1, kNotSignificant = 2 };

// FTAM-1 parameter: SEQUENCE { universal-class-number [0] IMPLICIT INTEGER OPTIONAL,
// maximum-string-length [1] IMPLICIT INTEGER OPTIONAL, string-significance [2] OPTIONAL }.
struct Ftam1Parameter {
  std::optional<int64_t> universal_class_number;  // 19,20,21,22,25,26,27
  std::optional<int64_t> maximum_string_length;
  std::optional<int64_t> string_significance;
};
// FTAM-3 parameter: SEQUENCE { maximum-string-length [1] OPTIONAL, string-significance [2] OPTIONAL }.
struct Ftam3Parameter {
  std::optional<int64_t> maximum_string_length;
  std::optional<int64_t> string_significance;
};
// NBS-9 parameter: [0] IMPLICIT Attribute-Names, the attributes each entry carries.
struct Nbs9Parameter {
  NamedBits attribute_names;
};

// Parameters travel as the complete BER of the value inside Contents-Type's [0].
absl::StatusOr<Ftam1Parameter> DecodeFtam1Parameter(Bytes b);
absl::StatusOr<Ftam3Parameter> DecodeFtam3Parameter(Bytes b);
absl::StatusOr<Nbs9Parameter> DecodeNbs9Parameter(Bytes b);
std::string EncodeParameter(const Ftam1Parameter& p);
std::string EncodeParameter(const Ftam3Parameter& p);
std::string EncodeParameter(const Nbs9Parameter& p);

// Contents types as offered by this implementation.
ContentsType Ftam1ContentsType(const Ftam1Parameter& p);
ContentsType Ftam3ContentsType(const Ftam3Parameter& p);
ContentsType Nbs9ContentsType(const Nbs9Parameter& p);

}  // namespace gw::ftam::doctype
