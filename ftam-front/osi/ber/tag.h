// BER identifiers (ITU-T X.690 §8.1.2).
#pragma once

#include <cstdint>
#include <string>

namespace gw::osi::ber {

enum class TagClass : uint8_t { kUniversal = 0, kApplication = 1, kContext = 2, kPrivate = 3 };

struct Tag {
  TagClass cls = TagClass::kUniversal;
  bool constructed = false;
  uint32_t number = 0;
  constexpr bool operator==(const Tag&) const = default;
};

constexpr Tag Universal(uint32_t n, bool constructed = false) {
  return {TagClass::kUniversal, constructed, n};
}
constexpr Tag Application(uint32_t n, bool constructed = false) {
  return {TagClass::kApplication, constructed, n};
}
constexpr Tag Context(uint32_t n, bool constructed = false) {
  return {TagClass::kContext, constructed, n};
}
constexpr Tag Private(uint32_t n, bool constructed = false) {
  return {TagClass::kPrivate, constructed, n};
}
// Constructed variants, the common case for SEQUENCE/SET and explicit tags.
constexpr Tag ContextC(uint32_t n) { return Context(n, true); }
constexpr Tag ApplicationC(uint32_t n) { return Application(n, true); }

// Universal tag numbers, X.680 §8.4 table 1.
namespace universal {
inline constexpr uint32_t kEndOfContents = 0;
inline constexpr uint32_t kBoolean = 1;
inline constexpr uint32_t kInteger = 2;
inline constexpr uint32_t kBitString = 3;
inline constexpr uint32_t kOctetString = 4;
inline constexpr uint32_t kNull = 5;
inline constexpr uint32_t kObjectIdentifier = 6;
inline constexpr uint32_t kObjectDescriptor = 7;
inline constexpr uint32_t kExternal = 8;
inline constexpr uint32_t kEnumerated = 10;
inline constexpr uint32_t kSequence = 16;
inline constexpr uint32_t kSet = 17;
inline constexpr uint32_t kNumericString = 18;
inline constexpr uint32_t kPrintableString = 19;
inline constexpr uint32_t kTeletexString = 20;
inline constexpr uint32_t kVideotexString = 21;
inline constexpr uint32_t kIa5String = 22;
inline constexpr uint32_t kUtcTime = 23;
inline constexpr uint32_t kGeneralizedTime = 24;
inline constexpr uint32_t kGraphicString = 25;
inline constexpr uint32_t kVisibleString = 26;
inline constexpr uint32_t kGeneralString = 27;
}  // namespace universal

inline constexpr Tag kBoolean = Universal(universal::kBoolean);
inline constexpr Tag kInteger = Universal(universal::kInteger);
inline constexpr Tag kBitString = Universal(universal::kBitString);
inline constexpr Tag kOctetString = Universal(universal::kOctetString);
inline constexpr Tag kNull = Universal(universal::kNull);
inline constexpr Tag kOid = Universal(universal::kObjectIdentifier);
inline constexpr Tag kObjectDescriptor = Universal(universal::kObjectDescriptor);
inline constexpr Tag kExternal = Universal(universal::kExternal, true);
inline constexpr Tag kSequence = Universal(universal::kSequence, true);
inline constexpr Tag kSet = Universal(universal::kSet, true);
inline constexpr Tag kGraphicString = Universal(universal::kGraphicString);
inline constexpr Tag kGeneralString = Universal(universal::kGeneralString);
inline constexpr Tag kUtcTime = Universal(universal::kUtcTime);
inline constexpr Tag kGeneralizedTime = Universal(universal::kGeneralizedTime);

// Same class and number, either form (strings may be primitive or constructed).
constexpr bool SameNumber(Tag a, Tag b) { return a.cls == b.cls && a.number == b.number; }

// "[APPLICATION 14]", "[31] C", "UNIVERSAL 16 C" ... for diagnostics and the decode tool.
std::string TagToString(Tag t);

}  // namespace gw::osi::ber
