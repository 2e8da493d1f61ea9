#include "daemon/http/pending_places.h"

namespace gleaner::http {

std::shared_ptr<PendingPlaces::Place> PendingPlaces::take(std::string_view client) {
  std::string name(client);
  std::size_t holds = 0;
  {
    const std::lock_guard lock(mutex_);
    const auto held = taken_by_client_.find(name);
    holds = held == taken_by_client_.end() ? 0 : held->second;
    const std::size_t open_to_this_client = holds == 0 ? kTotal : kTotal - kReservedForNewClients;
    if (holds >= kPerClient || taken_ >= open_to_this_client) return nullptr;
    ++taken_by_client_[name];
    ++taken_;
  }
  try {
    return std::make_shared<Place>(*this, std::move(name), holds == 0);
  } catch (...) {
    give_back(std::string(client));  // out of memory: the place was never handed out
    throw;
  }
}

std::size_t PendingPlaces::taken() const {
  const std::lock_guard lock(mutex_);
  return taken_;
}

void PendingPlaces::give_back(const std::string& client) {
  const std::lock_guard lock(mutex_);
  const auto held = taken_by_client_.find(client);
  if (held == taken_by_client_.end()) return;
  if (--held->second == 0) taken_by_client_.erase(held);
  --taken_;
}

}  // namespace gleaner::http
