#include "responder/fake_bridge.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gw::test {

namespace v1 = gateway::v1;
using boost::asio::awaitable;

std::string FakeBridge::Normalize(const std::string& p) {
  // Names relative to the root; "." and ".." components resolved, never above the root.
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string c = p.substr(i, j - i);
    if (c == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!c.empty() && c != ".") {
      parts.push_back(c);
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& c : parts) out += "/" + c;
  return out.empty() ? "/" : out;
}

void FakeBridge::Result(uint64_t id, v1::StatusCode code, std::string message) {
  v1::SessionResponse r;
  r.mutable_result()->set_id(id);
  r.mutable_result()->mutable_result()->set_code(code);
  r.mutable_result()->mutable_result()->set_message(std::move(message));
  queue_.push_back(std::move(r));
}

awaitable<uint64_t> FakeBridge::Send(v1::Operation op) {
  if (throw_on_op.exchange(false)) throw std::bad_alloc();
  if (broken || (break_after_ops >= 0 && ops >= break_after_ops)) {
    broken = true;
    co_return 0;
  }
  ++ops;
  const uint64_t id = next_id_++;
  if (op.has_login()) {
    last_login_user = op.login().user();
    last_login_account = op.login().account();
    bool ok = op.login().user() == "ftamtest" && op.login().password() == "ftampass";
    Result(id, ok ? v1::STATUS_OK : v1::STATUS_NOT_LOGGED_IN, ok ? "" : "login incorrect");
  } else if (op.has_stat()) {
    auto it = files.find(Normalize(op.stat().path()));
    if (it == files.end()) {
      Result(id, v1::STATUS_NOT_FOUND, "no such file");
    } else {
      Result(id, v1::STATUS_OK);
      auto* a = queue_.back().mutable_result()->add_entries();
      a->set_name(op.stat().path());
      a->set_type(it->second.directory ? v1::ENTRY_TYPE_DIRECTORY : v1::ENTRY_TYPE_FILE);
      a->set_size(it->second.data.size());
      a->set_mtime_unix(1764800000);
      a->set_owner("ftamtest");
      if (!it->second.directory)
        a->set_contents(it->second.data.find('\x00') == std::string::npos ? v1::TRANSFER_TYPE_TEXT : v1::TRANSFER_TYPE_IMAGE);
    }
  } else if (op.has_list()) {
    std::string dir = Normalize(op.list().path());
    Result(id, v1::STATUS_OK);
    for (const auto& [path, node] : files) {
      if (path == dir || path.rfind(dir == "/" ? "/" : dir + "/", 0) != 0) continue;
      std::string rest = path.substr(dir == "/" ? 1 : dir.size() + 1);
      if (rest.find('/') != std::string::npos) continue;
      auto* a = queue_.back().mutable_result()->add_entries();
      a->set_name(rest);
      a->set_type(node.directory ? v1::ENTRY_TYPE_DIRECTORY : v1::ENTRY_TYPE_FILE);
      a->set_size(node.data.size());
    }
  } else if (op.has_read()) {
    auto it = files.find(Normalize(op.read().path()));
    if (it == files.end() || it->second.directory) {
      Result(id, v1::STATUS_NOT_FOUND, "no such file");
    } else {
      Result(id, v1::STATUS_OK);
      queue_.back().mutable_result()->set_transfer_started(true);
      std::string data = it->second.data;
      if (op.read().type() == v1::TRANSFER_TYPE_TEXT) {
        std::string crlf;
        for (char c : data) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        data = crlf;
      }
      v1::SessionResponse chunk;
      chunk.mutable_data()->set_data(data);
      queue_.push_back(chunk);
      Result(id, v1::STATUS_OK);
    }
  } else if (op.has_write()) {
    Result(id, v1::STATUS_OK);
    queue_.back().mutable_result()->set_transfer_started(true);
    writing_ = Writing{id, Normalize(op.write().path()), {}, op.write().mode() == v1::WRITE_MODE_APPEND};
  } else if (op.has_delete_()) {
    Result(id, files.erase(Normalize(op.delete_().path())) ? v1::STATUS_OK : v1::STATUS_NOT_FOUND);
  } else if (op.has_remove_directory()) {
    Result(id, files.erase(Normalize(op.remove_directory().path())) ? v1::STATUS_OK : v1::STATUS_NOT_FOUND);
  } else if (op.has_make_directory()) {
    files[Normalize(op.make_directory().path())] = {true, ""};
    Result(id, v1::STATUS_OK);
  } else if (op.has_rename()) {
    auto it = files.find(Normalize(op.rename().from()));
    if (it == files.end()) {
      Result(id, v1::STATUS_NOT_FOUND, "no such file");
    } else {
      files[Normalize(op.rename().to())] = it->second;
      files.erase(it);
      Result(id, v1::STATUS_OK);
    }
  } else if (op.has_abort()) {
    if (writing_) {
      Result(writing_->id, v1::STATUS_ABORTED, "transfer aborted");
      writing_.reset();
    }
    Result(id, v1::STATUS_OK);
  } else {
    Result(id, v1::STATUS_OK);
  }
  co_return id;
}

awaitable<bool> FakeBridge::SendData(std::string data, bool last) {
  if (throw_on_data.exchange(false)) throw std::bad_alloc();
  if (broken || !writing_) co_return false;
  writing_->data += data;
  if (last) {
    std::string d = writing_->data;
    std::string lf;
    for (size_t i = 0; i < d.size(); ++i)
      if (!(d[i] == '\r' && i + 1 < d.size() && d[i + 1] == '\n')) lf += d[i];
    auto& node = files[writing_->path];
    node.data = writing_->append ? node.data + lf : lf;
    Result(writing_->id, v1::STATUS_OK);
    writing_.reset();
  }
  co_return true;
}

awaitable<std::optional<v1::SessionResponse>> FakeBridge::Receive() {
  // Waits for a message as a session stream does; a session that has broken (or nothing
  // was asked that could answer) ends the wait.
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor);
  while (queue_.empty() && !broken && writing_) {
    t.expires_after(std::chrono::milliseconds(1));
    co_await t.async_wait(boost::asio::use_awaitable);
  }
  if (broken || queue_.empty()) {
    broken = true;
    co_return std::nullopt;
  }
  auto r = std::move(queue_.front());
  queue_.pop_front();
  co_return r;
}

}  // namespace gw::test
