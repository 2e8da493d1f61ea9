#pragma once
// The places for bcrypt checks waiting or running, shared between clients
// (told apart by their address) so that one client's flood of guesses,
// however many connections it opens, cannot take them all:
//
// - at most kTotal checks are pending in all;
// - a client holds at most kPerClient of them;
// - the last kReservedForNewClients places go only to a client that holds
//   none, so that another client's first check (a scraper's, after a start
//   or a change of password) still finds one.
//
// A place is given back when the Place taken for it is destroyed. Bounded:
// at most kTotal clients are counted at once. Safe from several threads.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gleaner::http {

class PendingPlaces {
 public:
  static constexpr std::size_t kTotal = 16;
  static constexpr std::size_t kPerClient = 4;
  static constexpr std::size_t kReservedForNewClients = 4;

  class Place {
   public:
    Place(PendingPlaces& places, std::string client, bool first_of_its_client)
        : places_(places), client_(std::move(client)), first_of_its_client_(first_of_its_client) {}
    ~Place() { places_.give_back(client_); }
    Place(const Place&) = delete;
    Place& operator=(const Place&) = delete;

    // The client held no other place when this one was taken.
    bool first_of_its_client() const { return first_of_its_client_; }

   private:
    PendingPlaces& places_;
    const std::string client_;
    const bool first_of_its_client_;
  };

  // A place for client; nothing when the rules above leave none. The
  // PendingPlaces must outlive the Place.
  std::shared_ptr<Place> take(std::string_view client);

  std::size_t taken() const;

 private:
  void give_back(const std::string& client);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> taken_by_client_;  // no entry for a client that holds none
  std::size_t taken_ = 0;
};

}  // namespace gleaner::http
