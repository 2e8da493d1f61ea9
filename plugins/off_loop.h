#pragma once
// Runs pure work on CollectContext::off_loop and resumes the caller on its
// own executor with the result:
//
//   auto outcome = co_await run_off_loop(context.off_loop, co_await this_coro::executor,
//                                        [&] { return parse(text); });
//
// Written out rather than through co_spawn: co_spawn ties the work to the
// caller's cancellation slot, which would then be touched from the
// worker's thread. Here nothing crosses threads but the work and its
// result: the caller's handler is only moved to the worker and back, and
// invoked on the caller's executor. The work must not be cancelled midway
// (it is short and pure); the caller decides what to do with a late result.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace gleaner::plugins {

// `caller`: where to resume (the awaiting coroutine's executor). Not a
// coroutine itself, as Asio's own initiating functions are not: the work is
// handed over as it is, never copied into a coroutine frame of its own.
template <typename Work>
auto run_off_loop(boost::asio::any_io_executor worker, boost::asio::any_io_executor caller, Work work) {
  using Result = std::invoke_result_t<Work&>;
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(Result)>(
      [](auto handler, asio::any_io_executor worker, asio::any_io_executor caller, Work work) {
        asio::post(worker, [handler = std::move(handler), work = std::move(work), caller]() mutable {
          Result result = work();
          asio::post(caller, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      asio::use_awaitable, std::move(worker), std::move(caller), std::move(work));
}

}  // namespace gleaner::plugins
