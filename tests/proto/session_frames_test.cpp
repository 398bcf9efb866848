// Session frames on the wire: a data chunk is exactly the protobuf encoding of the
// SessionRequest/SessionResponse it stands for, in both directions, whatever slices gRPC
// delivers it in; its bytes are referenced, not copied; other messages (and chunks encoded
// by other encoders) are parsed as messages.
#include "runtime/session_frames.h"

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/chunk_wire.h"

namespace gw::rt {
namespace {
namespace v1 = gateway::v1;

std::string Pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) % 251);
  return s;
}

std::string Flatten(const grpc::ByteBuffer& bb) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(bb.Dump(&slices).ok());
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// The octets as gRPC might deliver them: cut into pieces at the given offsets.
grpc::ByteBuffer Cut(const std::string& bytes, std::vector<std::size_t> cuts) {
  std::vector<grpc::Slice> slices;
  std::size_t at = 0;
  cuts.push_back(bytes.size());
  for (std::size_t c : cuts) {
    c = std::min(c, bytes.size());
    if (c < at) continue;
    slices.emplace_back(bytes.data() + at, c - at);
    at = c;
  }
  return grpc::ByteBuffer(slices.data(), slices.size());
}

std::string ProtoChunk(const std::string& data, bool last) {
  v1::SessionRequest req;
  req.mutable_data()->set_data(data);
  req.mutable_data()->set_last(last);
  return req.SerializeAsString();
}

class DataChunkWire : public ::testing::TestWithParam<std::tuple<std::size_t, bool>> {};

TEST_P(DataChunkWire, SerializedAsProtobufWould) {
  auto [size, last] = GetParam();
  const std::string data = Pattern(size);
  RequestFrame f = DataFrame<RequestFrame>(Payload::Copy(data), last);
  grpc::ByteBuffer bb;
  bool own = false;
  ASSERT_TRUE(grpc::SerializationTraits<RequestFrame>::Serialize(f, &bb, &own).ok());
  EXPECT_EQ(Flatten(bb), ProtoChunk(data, last));
  // And a response chunk is the same octets (both messages carry it as field 3).
  ResponseFrame r = DataFrame<ResponseFrame>(Payload::Copy(data), last);
  grpc::ByteBuffer rb;
  ASSERT_TRUE(grpc::SerializationTraits<ResponseFrame>::Serialize(r, &rb, &own).ok());
  v1::SessionResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(Flatten(rb)));
  EXPECT_EQ(parsed.data().data(), data);
  EXPECT_EQ(parsed.data().last(), last);
}

TEST_P(DataChunkWire, ParsedFromAnySlicing) {
  auto [size, last] = GetParam();
  const std::string data = Pattern(size);
  const std::string wire = ProtoChunk(data, last);
  // Every cut in the first 12 octets (inside the tags and varints) and a few in the data.
  for (std::size_t c = 0; c <= std::min<std::size_t>(12, wire.size()); ++c) {
    for (std::vector<std::size_t> cuts : {std::vector<std::size_t>{c}, std::vector<std::size_t>{c, c + 1, wire.size() / 2},
                                          std::vector<std::size_t>{1, 2, 3, c + 5, wire.size() - 1}}) {
      grpc::ByteBuffer bb = Cut(wire, cuts);
      RequestFrame f;
      ASSERT_TRUE(grpc::SerializationTraits<RequestFrame>::Deserialize(&bb, &f).ok());
      ASSERT_TRUE(f.is_data());
      EXPECT_EQ(f.last(), last);
      EXPECT_EQ(f.payload.size(), data.size());
      EXPECT_EQ(f.payload.ToString(), data);
      EXPECT_TRUE(f.msg.data().data().empty());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, DataChunkWire,
                         ::testing::Combine(::testing::Values(0, 1, 127, 128, 16383, 16384, 1 << 20),
                                            ::testing::Bool()));

TEST(SessionFrames, ReceivedDataIsReferencedNotCopied) {
  const std::string wire = ProtoChunk(Pattern(100000), false);
  grpc::Slice whole(wire.data(), wire.size());  // one slice, as gRPC would hold it
  grpc::ByteBuffer bb(&whole, 1);
  ResponseFrame f;
  ASSERT_TRUE(grpc::SerializationTraits<ResponseFrame>::Deserialize(&bb, &f).ok());
  ASSERT_EQ(f.payload.slices().size(), 1u);
  // The payload points into the received slice, past the header.
  const uint8_t* at = f.payload.slices()[0].begin();
  EXPECT_GT(at, whole.begin());
  EXPECT_LT(at, whole.end());
}

TEST(SessionFrames, SentDataIsReferencedNotCopied) {
  ChunkBuffer buf = Payload::NewBuffer(65536);
  std::memset(buf.data(), 'x', 65536);
  const char* where = buf.data();
  RequestFrame f = DataFrame<RequestFrame>(Payload::Adopt(std::move(buf), 65536), true);
  grpc::ByteBuffer bb;
  bool own = false;
  ASSERT_TRUE(grpc::SerializationTraits<RequestFrame>::Serialize(f, &bb, &own).ok());
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(bb.Dump(&slices).ok());
  bool found = false;
  for (const auto& s : slices) found |= reinterpret_cast<const char*>(s.begin()) == where;
  EXPECT_TRUE(found) << "the chunk's buffer is not among the message's slices";
  EXPECT_EQ(Flatten(bb), ProtoChunk(std::string(65536, 'x'), true));
}

TEST(SessionFrames, PassedOnUnchanged) {
  // The bridge's relay: a chunk received from one stream is sent on another as it came.
  const std::string wire = ProtoChunk(Pattern(300000), true);
  grpc::ByteBuffer in = Cut(wire, {5, 16384, 16390, 200000});
  ResponseFrame f;
  ASSERT_TRUE(grpc::SerializationTraits<ResponseFrame>::Deserialize(&in, &f).ok());
  grpc::ByteBuffer out;
  bool own = false;
  ASSERT_TRUE(grpc::SerializationTraits<ResponseFrame>::Serialize(f, &out, &own).ok());
  EXPECT_EQ(Flatten(out), wire);
}

TEST(SessionFrames, MessagesRoundTrip) {
  RequestFrame op;
  op.msg.mutable_op()->set_id(7);
  op.msg.mutable_op()->mutable_read()->set_path("a/b.bin");
  grpc::ByteBuffer bb;
  bool own = false;
  ASSERT_TRUE(grpc::SerializationTraits<RequestFrame>::Serialize(op, &bb, &own).ok());
  EXPECT_EQ(Flatten(bb), op.msg.SerializeAsString());
  RequestFrame back;
  ASSERT_TRUE(grpc::SerializationTraits<RequestFrame>::Deserialize(&bb, &back).ok());
  EXPECT_FALSE(back.is_data());
  EXPECT_EQ(back.msg.op().read().path(), "a/b.bin");

  v1::SessionResponse result;
  result.mutable_result()->set_id(9);
  result.mutable_result()->set_bytes(12345);
  grpc::ByteBuffer rb = Cut(result.SerializeAsString(), {1, 3});
  ResponseFrame r;
  ASSERT_TRUE(grpc::SerializationTraits<ResponseFrame>::Deserialize(&rb, &r).ok());
  EXPECT_FALSE(r.is_data());
  EXPECT_EQ(r.msg.result().bytes(), 12345u);
}

TEST(SessionFrames, OtherEncodingsOfAChunkAreParsedAsMessages) {
  // `last` before `data`, a repeated field (the last one counts), and an unknown field: all
  // valid protobuf, none in the usual form.
  std::string last_first = std::string("\x1a\x07\x10\x01\x0a\x03" "abc", 9);
  std::string twice = ProtoChunk("old", false) + ProtoChunk("new", true);
  std::string unknown = std::string("\x1a\x07\x0a\x03" "abc" "\x18\x05", 9);
  for (const auto& [wire, data, last] : {std::tuple{last_first, std::string("abc"), true},
                                         std::tuple{twice, std::string("new"), true},
                                         std::tuple{unknown, std::string("abc"), false}}) {
    v1::SessionRequest expect;
    ASSERT_TRUE(expect.ParseFromString(wire));
    ASSERT_EQ(expect.data().data(), data);
    grpc::ByteBuffer bb = Cut(wire, {2});
    RequestFrame f;
    ASSERT_TRUE(grpc::SerializationTraits<RequestFrame>::Deserialize(&bb, &f).ok());
    ASSERT_TRUE(f.is_data());
    EXPECT_EQ(f.payload.ToString(), data);
    EXPECT_EQ(f.last(), last);
  }
}

// Forms no protobuf encoder writes are not located in place but given to protobuf, which
// decides: an overlong length (refused by protobuf when longer than five octets, a fuzzer's
// find: the chunk parser had taken a six-octet zero as an empty chunk), an overlong zero
// length of two octets, and a `last` written as a multi-octet varint.
TEST(SessionFrames, UnusualVarintsMeanWhatProtobufSays) {
  for (std::string wire : {std::string("\x1a\x80\x80\x80\x80\x80\x00", 7), std::string("\x1a\x80\x00", 3),
                           std::string("\x1a\x05\x0a\x01" "a" "\x10\x81\x00", 8),
                           std::string("\x1a\x06\x0a\x82\x00" "ab", 7), std::string("\x1a\x03\x10\x02", 4)}) {
    v1::SessionRequest expect;
    const bool protobuf_ok = expect.ParseFromString(wire);
    for (std::size_t cut : {std::size_t{1}, std::size_t{2}, wire.size()}) {
      grpc::ByteBuffer bb = Cut(wire, {cut});
      RequestFrame f;
      const bool ok = grpc::SerializationTraits<RequestFrame>::Deserialize(&bb, &f).ok();
      ASSERT_EQ(ok, protobuf_ok) << testing::PrintToString(wire);
      if (!ok) continue;
      ASSERT_EQ(f.is_data(), expect.has_data());
      EXPECT_EQ(f.payload.ToString() + f.msg.data().data(), expect.data().data());
      EXPECT_EQ(f.last(), expect.data().last());
    }
  }
}

TEST(SessionFrames, MalformedFramesAreRefused) {
  const std::string wire = ProtoChunk(Pattern(1000), true);
  for (std::string bad : {wire.substr(0, 5), wire.substr(0, wire.size() - 3), std::string("\x1a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11),
                          std::string("\x1a\x05\x0a\x10" "ab", 6), std::string("\xff", 1)}) {
    grpc::ByteBuffer bb = Cut(bad, {1});
    RequestFrame f;
    EXPECT_FALSE(grpc::SerializationTraits<RequestFrame>::Deserialize(&bb, &f).ok()) << bad.size();
  }
}

TEST(ChunkWire, LocatesTheDataWithoutCopying) {
  const std::string wire = ProtoChunk("hello world", false);
  std::vector<std::string_view> pieces = {std::string_view(wire).substr(0, 6), std::string_view(wire).substr(6)};
  std::vector<wire::Range> ranges;
  bool last = true;
  ASSERT_TRUE(wire::ParseDataChunk(pieces, &ranges, &last));
  EXPECT_FALSE(last);
  std::string got;
  for (const auto& r : ranges) got += pieces[r.index].substr(r.begin, r.end - r.begin);
  EXPECT_EQ(got, "hello world");
  EXPECT_EQ(ranges.size(), 2u);
}

}  // namespace
}  // namespace gw::rt
