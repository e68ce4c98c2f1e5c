package io.hyperinfer.dht;

/**
 * A snapshot of a node's counters (JS {@code dht.stats} plus the drops JS does not count).
 *
 * @param queriesActive queries running
 * @param queriesTotal queries started
 * @param requestsActive requests in flight (queued ones included)
 * @param requestsTotal requests created
 * @param responses replies matched to a request
 * @param timeouts requests that failed after their last send
 * @param retries resends
 * @param malformed datagrams that did not decode, or came from a bad port: dropped
 * @param invalidTokens requests whose token matched neither secret: answered INVALID_TOKEN, not handled
 * @param unmatchedResponses replies whose tid matched no request in flight: dropped
 * @param handlerErrors requests whose handler threw (left unanswered), and query maps and listeners that threw
 * @param overloaded requests refused because too many were in flight
 * @param droppedDelayedPings DELAYED_PINGs left unanswered because too many were waiting
 * @param loopErrors tasks on the node's loop that threw (a bug, or a task given to {@code execute}); counted, dropped
 * @param sendErrors datagrams that could not be sent (port 0, a transport error)
 */
public record DhtStats(
    int queriesActive, long queriesTotal, int requestsActive, long requestsTotal, long responses, long timeouts,
    long retries, long malformed, long invalidTokens, long unmatchedResponses, long handlerErrors, long overloaded,
    long droppedDelayedPings, long loopErrors, long sendErrors) {}
