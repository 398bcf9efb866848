// A minimal FTAM initiator for the benchmark (tests/bench/bench.sh): one association that
// reads or writes one file as FTAM-3, streaming, and prints the rate. Built from the
// engines' own message builders and data-phase decoder.
//   ftam_bench_client HOST:PORT USER PASSWORD get NAME
//   ftam_bench_client HOST:PORT USER PASSWORD put NAME BYTES
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "ftam/doctype/document_types.h"
#include "osi/association/inbound.h"
#include "osi/association/messages.h"
#include "osi/transport/tpkt.h"
#include "osi/transport/tsdu.h"
#include "tshark/wire.h"

namespace {

namespace asio = boost::asio;
namespace assoc = gw::osi::association;
namespace dt = gw::ftam::doctype;
namespace tp = gw::osi::transport;
using gw::osi::Bytes;

class Link {
 public:
  explicit Link(const std::string& target) : sock_(io_) {
    auto colon = target.rfind(':');
    asio::ip::tcp::resolver r(io_);
    asio::connect(sock_, r.resolve(target.substr(0, colon), target.substr(colon + 1)));
    sock_.set_option(asio::ip::tcp::no_delay(true));
  }
  void Send(const std::vector<uint8_t>& b) { asio::write(sock_, asio::buffer(b)); }
  void Send(const gw::osi::Gather& g) {
    std::vector<asio::const_buffer> bufs;
    for (Bytes p : g.pieces()) bufs.emplace_back(p.data(), p.size());
    asio::write(sock_, bufs);
  }
  // The next TPDU (view valid until the next call).
  Bytes Tpdu() {
    for (;;) {
      auto f = tp::NextTpkt(Bytes(buf_.data() + begin_, end_ - begin_));
      if (!f.ok()) throw std::runtime_error("bad TPKT");
      if (f->has_value()) {
        begin_ += (*f)->consumed;
        return (*f)->tpdu;
      }
      if (buf_.size() - end_ < 70000) {
        std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
      }
      size_t n = sock_.read_some(asio::buffer(buf_.data() + end_, buf_.size() - end_));
      end_ += n;
    }
  }
  // The next TSDU (DTs reassembled).
  Bytes Tsdu() {
    for (;;) {
      auto t = tp::DecodeTpdu(Tpdu());
      if (!t.ok()) throw std::runtime_error("bad TPDU");
      auto* d = std::get_if<tp::DataTpdu>(&*t);
      if (!d) return {};
      auto whole = tsdu_.Add(*d);
      if (!whole.ok()) throw std::runtime_error("bad TSDU");
      if (whole->has_value()) return **whole;
    }
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket sock_;
  std::vector<uint8_t> buf_ = std::vector<uint8_t>(1 << 20);
  size_t begin_ = 0, end_ = 0;
  tp::TsduReassembler tsdu_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: ftam_bench_client HOST:PORT USER PASSWORD get NAME | put NAME BYTES\n";
    return 2;
  }
  const std::string target = argv[1], user = argv[2], password = argv[3], op = argv[4], name = argv[5];
  const uint64_t total = argc > 6 ? std::stoull(argv[6]) : 0;
  try {
    Link link(target);
    tp::ConnectTpdu cr;
    cr.src_ref = 0x0101;
    cr.preferred_max_tpdu_size = 65531 / 128;  // large TPDUs: the responder may lower them
    link.Send(assoc::ConnectConfirm(cr));
    auto cc = tp::DecodeTpdu(link.Tpdu());
    if (!cc.ok() || !std::holds_alternative<tp::ConnectTpdu>(*cc)) throw std::runtime_error("no CC");
    assoc::Wire w;
    const auto& c = std::get<tp::ConnectTpdu>(*cc);
    w.tpdu_size = c.preferred_max_tpdu_size ? *c.preferred_max_tpdu_size * 128 : tp::TpduSizeOctets(c.tpdu_size.value_or(7));
    w.acse_ctx = gw::test::wire::kCtxAcse;
    w.ftam_ctx = gw::test::wire::kCtxFtam;
    gw::ftam::FInitializeRequest req;
    req.service_class = gw::ftam::NamedBits::Of({1, 2, 3});
    req.functional_units = gw::ftam::NamedBits::Of({2, 3, 5, 6, 7});
    req.ftam_quality_of_service = 0;
    req.contents_type_list = gw::ftam::ContentsTypeList{{true, dt::kFtam3DocumentType}};
    req.initiator_identity = user;
    req.filestore_password = gw::ftam::Password{password, false};
    gw::osi::presentation::ConnectPpdu cp;
    cp.context_definitions = gw::test::wire::Contexts();
    gw::osi::session::ConnectSpdu cn;
    cn.version_number = gw::osi::session::kVersion2;
    cn.session_user_requirements = gw::osi::session::requirement::kDuplex;
    std::vector<uint8_t> out;
    if (!assoc::Connect(w, cn, cp, gw::osi::acse::Aarq{}, req, &out).ok()) throw std::runtime_error("encode");
    link.Send(out);
    link.Tsdu();  // AC (or RF: the next request then fails)
    gw::osi::presentation::ContextTable contexts;
    (void)contexts.Propose(cp.context_definitions);
    std::vector<gw::osi::presentation::ContextResult> all(cp.context_definitions.size(),
                                                          {0, gw::osi::presentation::kBasicEncoding, std::nullopt});
    (void)contexts.ApplyResults(all);
    assoc::DataPhaseDecoder dec(&contexts, w.ftam_ctx, w.acse_ctx);
    auto pdus = [&](std::vector<gw::ftam::Pdu> p) {
      out.clear();
      (void)assoc::FtamData(w, p, &out);
      link.Send(out);
    };
    auto ct = dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant});
    auto t0 = std::chrono::steady_clock::now();
    uint64_t bytes = 0;
    gw::ftam::FBeginGroupRequest begin{2};
    if (op == "get") {
      gw::ftam::FSelectRequest s;
      s.attributes = gw::ftam::Attributes{};
      s.attributes->pathname = gw::ftam::Pathname{name};
      s.requested_access = gw::ftam::NamedBits::Of({0});
      gw::ftam::FOpenRequest o;
      o.contents_type = gw::ftam::OpenContentsType{false, ct};
      pdus({begin, s, o, gw::ftam::FEndGroupRequest{}});
      link.Tsdu();
      pdus({gw::ftam::FReadRequest{gw::ftam::FaduIdentity{}, gw::ftam::AccessContext{}, std::nullopt, std::nullopt}});
      bool end = false;
      std::vector<assoc::Indication> ind;
      while (!end) {
        ind.clear();
        dec.OnTsdu(link.Tsdu(), &ind);
        for (auto& i : ind) {
          if (auto* d = std::get_if<assoc::DataValues>(&i)) bytes += d->payload.size();
          else if (std::holds_alternative<assoc::FtamPdus>(i)) end = true;
          else throw std::runtime_error("the association ended during the read");
        }
      }
    } else {
      gw::ftam::FCreateRequest c;
      c.override = gw::ftam::kDeleteAndCreateWithNewAttributes;
      c.initial_attributes = gw::ftam::Attributes{};
      c.initial_attributes->pathname = gw::ftam::Pathname{name};
      c.initial_attributes->contents_type = ct;
      c.initial_attributes->permitted_actions = gw::ftam::NamedBits::Of({0, 2});
      gw::ftam::FOpenRequest o;
      o.processing_mode = gw::ftam::NamedBits::Of({2});
      o.contents_type = gw::ftam::OpenContentsType{false, ct};
      pdus({begin, c, o, gw::ftam::FEndGroupRequest{}});
      link.Tsdu();
      gw::ftam::FWriteRequest wr;
      wr.file_access_data_unit_operation = gw::ftam::kReplace;
      wr.file_access_data_unit_identity = gw::ftam::FaduIdentity{};
      pdus({wr});
      std::string block(1 << 20, '\0');
      std::mt19937_64 rng(42);
      for (size_t i = 0; i + 8 <= block.size(); i += 8) {
        uint64_t v = rng();
        std::memcpy(block.data() + i, &v, 8);
      }
      while (bytes < total) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(block.size(), total - bytes));
        gw::osi::Gather g;
        assoc::ValuesPData(w, gw::test::wire::kCtxBinary, 4, gw::osi::AsBytes(std::string_view(block).substr(0, n)), 32768, &g);
        link.Send(g);
        bytes += n;
      }
      pdus({gw::ftam::FDataEndRequest{}});
    }
    pdus({gw::ftam::FTransferEndRequest{}});
    std::vector<assoc::Indication> ind;
    dec.OnTsdu(link.Tsdu(), &ind);
    bool ok = false;
    for (auto& i : ind)
      if (auto* f = std::get_if<assoc::FtamPdus>(&i))
        for (auto& p : f->pdus)
          if (auto* r = std::get_if<gw::ftam::FTransferEndResponse>(&p)) ok = r->action_result.value_or(0) == 0;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    pdus({begin, gw::ftam::FCloseRequest{}, gw::ftam::FDeselectRequest{}, gw::ftam::FEndGroupRequest{}});
    link.Tsdu();
    out.clear();
    (void)assoc::ReleaseRequest(w, gw::ftam::Pdu(gw::ftam::FTerminateRequest{}), &out);
    link.Send(out);
    link.Tsdu();
    std::printf("%s %llu bytes in %.3f s: %.1f MB/s%s\n", op.c_str(), static_cast<unsigned long long>(bytes), secs,
                bytes / secs / 1e6, ok ? "" : " (FAILED)");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "ftam_bench_client: " << e.what() << "\n";
    return 1;
  }
}
