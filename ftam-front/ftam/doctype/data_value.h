// Data values of FTAM-1 and FTAM-3 documents (ISO 8571-2 annex B), consumed and produced
// chunk by chunk without copying the file bytes, and NBS-9 directory entries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ftam/doctype/document_types.h"
#include "osi/ber/reader.h"
#include "osi/ber/writer.h"
#include "osi/gather.h"

namespace gw::ftam::doctype {

// One decoded string value: the universal type and views of its octets (one view for a
// primitive encoding, one per segment for a constructed one).
struct StringValue {
  uint32_t universal_tag = 0;
  std::vector<Bytes> segments;
  size_t size() const;
  std::string Join() const;
};

// FTAM-1: PrintableString 19, TeletexString 20, VideotexString 21, IA5String 22,
// GraphicString 25, VisibleString 26, GeneralString 27 (notes §12.8).
bool IsTextStringType(uint32_t universal_tag);
absl::StatusOr<StringValue> DecodeTextValue(Bytes value, const osi::ber::Limits& l = osi::ber::DefaultLimits());
// FTAM-3: OCTET STRING.
absl::StatusOr<StringValue> DecodeBinaryValue(Bytes value, const osi::ber::Limits& l = osi::ber::DefaultLimits());

// Outbound: the identifier and length octets of one value of `length` octets; the caller
// gathers {header, payload} so the payload is never copied.
osi::ber::Header TextValueHeader(uint32_t universal_tag, size_t length);
osi::ber::Header BinaryValueHeader(size_t length);

// Splits `data` into values of at most max_value octets: appends (header, payload view)
// pairs to out. Headers are copied into out's arena, payloads referenced.
void AppendValues(uint32_t universal_tag, Bytes data, size_t max_value, osi::Gather* out);

// Line ends (osi-ftam-notes §8.1): on reading, CR LF inside values becomes LF (a CR at the
// end of one chunk is held until the next chunk shows whether LF follows); on writing LF
// becomes CR LF. GraphicString-like types carry one line per value without EOL.
class CrLfToLf {
 public:
  void Append(Bytes chunk, std::string* out);
  void Finish(std::string* out);  // flushes a trailing lone CR

 private:
  bool pending_cr_ = false;
};
void LfToCrLf(Bytes chunk, std::string* out);

// NBS-9 directory entry: [PRIVATE 2] EXPLICIT Read-Attributes (ISODE docs.py).
absl::StatusOr<Attributes> DecodeDirectoryEntry(Bytes value, const osi::ber::Limits& l = osi::ber::DefaultLimits());
void EncodeDirectoryEntry(const Attributes& a, std::vector<uint8_t>* out);

}  // namespace gw::ftam::doctype
