// libFuzzer target: document data values (FTAM-1 text, FTAM-3 binary, NBS-9 directory
// entries) and document-type parameters; the first octet picks the decoder.
#include <cstdlib>

#include "ftam/doctype/data_value.h"
#include "ftam/doctype/document_types.h"

using namespace gw;
using namespace gw::ftam::doctype;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  osi::Bytes b(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      auto v = DecodeTextValue(b);
      if (!v.ok()) break;
      CrLfToLf conv;
      std::string out;
      for (auto seg : v->segments) conv.Append(seg, &out);
      conv.Finish(&out);
      if (out.size() > v->size()) std::abort();
      break;
    }
    case 1: {
      auto v = DecodeBinaryValue(b);
      if (v.ok() && v->size() > b.size()) std::abort();
      break;
    }
    case 2: {
      auto a = DecodeDirectoryEntry(b);
      if (!a.ok()) break;
      std::vector<uint8_t> out;
      EncodeDirectoryEntry(*a, &out);
      if (!DecodeDirectoryEntry(out).ok()) std::abort();
      break;
    }
    case 3: {
      auto p = DecodeFtam1Parameter(b);
      if (p.ok() && !DecodeFtam1Parameter(osi::AsBytes(EncodeParameter(*p))).ok()) std::abort();
      break;
    }
    case 4: {
      auto p = DecodeFtam3Parameter(b);
      if (p.ok() && !DecodeFtam3Parameter(osi::AsBytes(EncodeParameter(*p))).ok()) std::abort();
      break;
    }
    default: {
      auto p = DecodeNbs9Parameter(b);
      if (p.ok() && !DecodeNbs9Parameter(osi::AsBytes(EncodeParameter(*p))).ok()) std::abort();
    }
  }
  return 0;
}
