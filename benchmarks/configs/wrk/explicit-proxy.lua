-- Sends absolute-form requests ("GET http://upstream:8080/ HTTP/1.1") to the host on wrk's command line,
-- which is then used as an explicit HTTP proxy, as by a client with HTTP_PROXY set.
-- HEDDLE_BENCH_TARGET: the absolute URL; HEDDLE_BENCH_HOST: its authority, for the Host header.
wrk.path = os.getenv("HEDDLE_BENCH_TARGET")
wrk.headers["Host"] = os.getenv("HEDDLE_BENCH_HOST")
