-- stats.lua - wrk script for tests/bench/run.sh.
--
-- Sets the request method from BENCH_METHOD (default GET) and, when the run
-- ends, prints one machine-readable line per figure, prefixed "BENCH ", so
-- run.sh does not have to parse wrk's human summary (which rounds and
-- switches units).  Latencies are in microseconds.
--
-- No response() callback on purpose: it makes wrk parse every response
-- into Lua and would slow the load generator, not the server.

wrk.method = os.getenv("BENCH_METHOD") or "GET"

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   local n = summary.requests
   io.write(string.format("BENCH requests %d\n", n))
   io.write(string.format("BENCH seconds %.3f\n", secs))
   io.write(string.format("BENCH rps %.1f\n", secs > 0 and n / secs or 0))
   io.write(string.format("BENCH bytes_per_response %.0f\n", n > 0 and summary.bytes / n or 0))
   io.write(string.format("BENCH p50_us %d\n", latency:percentile(50)))
   io.write(string.format("BENCH p99_us %d\n", latency:percentile(99)))
   io.write(string.format("BENCH max_us %d\n", latency.max))
   -- errors.status counts responses with a status of 400 or more
   io.write(string.format("BENCH err_status %d\n", e.status))
   io.write(string.format("BENCH err_socket %d\n", e.connect + e.read + e.write + e.timeout))
end
