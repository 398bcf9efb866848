// Builds complete RFC 1006 byte streams from our encoders, layer by layer, the way an
// initiator or responder engine will: FTAM PDU -> ACSE/presentation -> session ->
// COTP DT TPDUs in TPKTs.
#pragma once

#include <cstdint>
#include <vector>

#include "ftam/pdu/pdu.h"
#include "osi/presentation/ppdu.h"

namespace gw::test::wire {

// Context ids as ISODE's initiator assigns them (odd, FTAM PCI first).
inline constexpr int64_t kCtxFtam = 1, kCtxBinary = 3, kCtxText = 5, kCtxNbs9 = 7, kCtxAcse = 9;

std::vector<uint8_t> Encode(const ftam::Pdu& p);
std::vector<osi::presentation::ContextDefinition> Contexts();

std::vector<uint8_t> ConnectRequest(uint16_t src_ref);
std::vector<uint8_t> ConnectConfirm(uint16_t dst_ref, uint16_t src_ref);
std::vector<uint8_t> Disconnect(uint16_t dst_ref, uint16_t src_ref);
std::vector<uint8_t> Error(uint16_t dst_ref);

std::vector<uint8_t> Associate(const ftam::FInitializeRequest& req);   // CN CP AARQ
std::vector<uint8_t> Accept(const ftam::FInitializeResponse& rsp);     // AC CPA AARE
std::vector<uint8_t> Refuse(const ftam::FInitializeResponse& rsp);     // RF CPR AARE
// P-DATA: one value -> single-ASN1-type; several -> octet-aligned, one segment each.
std::vector<uint8_t> PData(int64_t ctx, const std::vector<std::vector<uint8_t>>& values);
std::vector<uint8_t> PData(const std::vector<ftam::Pdu>& pdus);
std::vector<uint8_t> Release(const ftam::FTerminateRequest& r);        // FN RLRQ
std::vector<uint8_t> Released(const ftam::FTerminateResponse& r);      // DN RLRE
std::vector<uint8_t> UserAbort(const ftam::Pdu& abort);                // AB ARU ABRT
std::vector<uint8_t> ProviderAbort(int64_t reason);                    // AB ARP

}  // namespace gw::test::wire
