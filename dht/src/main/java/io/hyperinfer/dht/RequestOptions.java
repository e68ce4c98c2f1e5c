package io.hyperinfer.dht;

/**
 * Options of one request (JS {@code dht.request(..., opts)}).
 *
 * @param retry resend on timeout (3 retries, 4 sends in all); false sends once, for requests expected to go unanswered
 * @param timeoutMs the wait per send; 0 means the default 1,000 ms
 * @param socket send from this socket (null: the client socket while firewalled, else the server socket)
 * @param session the session that can cancel this request with others (null: none)
 */
public record RequestOptions(boolean retry, long timeoutMs, DhtSocket socket, Session session) {
  public static final RequestOptions DEFAULT = new RequestOptions(true, 0, null, null);

  public RequestOptions {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0");
    }
  }

  public RequestOptions withRetry(boolean on) {
    return new RequestOptions(on, timeoutMs, socket, session);
  }

  public RequestOptions withTimeoutMs(long ms) {
    return new RequestOptions(retry, ms, socket, session);
  }

  public RequestOptions withSocket(DhtSocket from) {
    return new RequestOptions(retry, timeoutMs, from, session);
  }

  public RequestOptions withSession(Session s) {
    return new RequestOptions(retry, timeoutMs, socket, s);
  }
}
