#include "osi/gather.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace gw::osi {

Bytes Gather::Store(Bytes b) {
  if (b.empty()) return b;
  if (b.size() > kBlock / 4) {
    owned_.emplace_back(b.begin(), b.end());
    return Bytes(owned_.back());
  }
  if (block_used_ + b.size() > kBlock) {
    blocks_.push_back(std::make_unique<uint8_t[]>(kBlock));
    block_used_ = 0;
  }
  uint8_t* p = blocks_.back().get() + block_used_;
  std::memcpy(p, b.data(), b.size());
  block_used_ += b.size();
  return Bytes(p, b.size());
}

void Gather::AddCopy(Bytes b) {
  if (b.empty()) return;
  // Merge with the previous piece when it ends exactly where the arena continues.
  if (!pieces_.empty() && !blocks_.empty() && b.size() <= kBlock / 4 &&
      block_used_ + b.size() <= kBlock &&
      pieces_.back().data() + pieces_.back().size() == blocks_.back().get() + block_used_) {
    Bytes stored = Store(b);
    pieces_.back() = Bytes(pieces_.back().data(), pieces_.back().size() + stored.size());
    return;
  }
  pieces_.push_back(Store(b));
}

void Gather::AddOwned(std::vector<uint8_t> v) {
  if (v.empty()) return;
  owned_.push_back(std::move(v));
  pieces_.push_back(Bytes(owned_.back()));
}

void Gather::PrependCopy(Bytes b) {
  if (b.empty()) return;
  pieces_.insert(pieces_.begin(), Store(b));
}

void Gather::Adopt(Gather&& other) {
  // Adopted blocks go before the current one, which stays last (the arena fills it).
  auto at = blocks_.empty() ? blocks_.end() : blocks_.end() - 1;
  blocks_.insert(at, std::make_move_iterator(other.blocks_.begin()), std::make_move_iterator(other.blocks_.end()));
  for (auto& v : other.owned_) owned_.push_back(std::move(v));
  other.blocks_.clear();
  other.owned_.clear();
  other.pieces_.clear();
  other.block_used_ = kBlock;
}

size_t Gather::size() const {
  size_t n = 0;
  for (auto p : pieces_) n += p.size();
  return n;
}

void Gather::Clear() {
  pieces_.clear();
  owned_.clear();
  if (blocks_.size() > 1) blocks_.erase(blocks_.begin(), blocks_.end() - 1);
  block_used_ = blocks_.empty() ? kBlock : 0;
}

void Gather::AppendTo(std::vector<uint8_t>* out) const {
  out->reserve(out->size() + size());
  for (auto p : pieces_) out->insert(out->end(), p.begin(), p.end());
}

std::vector<uint8_t> Gather::Flatten() const {
  std::vector<uint8_t> out;
  AppendTo(&out);
  return out;
}

}  // namespace gw::osi
