package io.hyperinfer.worker.net.spi;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The transport seam of a {@link TransportNetFacility}: moves requests, responses and events between peers named by
 * public key, and nothing else. Payloads are opaque bytes (the machinery's JSON); streams, deadlines, firewall and
 * retries are the machinery's job. A transport maps its own errors to {@link NetException} codes
 * (ERR_PEER_UNAVAILABLE when a peer cannot be reached, ERR_CONNECTION_LOST when it goes away mid-call) and reports the
 * remote key it has proven (the Noise handshake's on a real network), never a key a peer claims. Implementations are
 * thread-safe and never block the caller on the network.
 */
public interface Transport {
  /** Starts accepting and sending as {@code identity}; inbound traffic goes to {@code inbound} from now on. */
  void open(KeyPair identity, Inbound inbound);

  /**
   * Sends one request to {@code to}. {@code reply} hears at most one outcome, on any thread, a transport's own loop
   * included (the machinery's replies never block, and hand listener code to virtual threads); a request that is
   * lost without trace may hear none, which the caller's deadline covers ({@code timeout}, given so a transport can
   * free its own state too).
   */
  void request(PeerRef to, String method, byte[] payload, Duration timeout, Reply reply);

  /** Sends one event to {@code to}: no reply, no error, even when the peer is gone. */
  void event(PeerRef to, String method, byte[] payload);

  /** Closes every connection; inbound traffic stops. Idempotent. */
  void close();

  /** The outcome of one request. */
  interface Reply {
    void onResponse(byte[] value);

    void onError(NetException error);

    /**
     * The request went out on a connection, open while {@code connectionOpen} says so (again on each resend). A loss
     * of the peer's key reported on another thread can overtake a request on a newer connection (a peer restarted
     * with its key, whose old connection closes as the new one opens): such a request is spared while its connection
     * is open, and the transport fails it if that connection closes. A transport that cannot tell never calls this,
     * so a lost peer's requests all fail.
     */
    void onSent(BooleanSupplier connectionOpen);
  }

  /** Where a transport delivers what arrives. Calls may come on any thread and must not block. */
  interface Inbound {
    void onRequest(Exchange exchange);

    /** An event from {@code from}, the key the transport proved. */
    void onEvent(PeerRef from, String method, byte[] payload);

    /**
     * Every connection with {@code peer} is gone (it crashed, stopped or is unreachable): the requests it made that
     * still run end, and ours to it fail, except those whose own connection is still open
     * ({@link Exchange#connectionOpen}, {@link Reply#onSent}).
     */
    void onConnectionLost(PeerRef peer);
  }

  /** One inbound request on one connection: answered once, and able to send events back on the same connection. */
  interface Exchange {
    /** The caller's public key as the transport proved it. */
    PeerRef remote();

    String method();

    byte[] payload();

    void respond(byte[] value);

    void fail(NetException error);

    /** An event to the caller on this request's connection (stream frames travel this way). */
    void event(String method, byte[] payload);

    /**
     * Whether the connection this request arrived on is still open. A loss of the caller's key reported on another
     * thread can overtake a request that already came on a newer connection (a peer restarted with its key whose
     * old connection closes as the new one opens): such a request is the new caller's and keeps running. A
     * transport that cannot tell answers false, so a lost peer ends all of its requests.
     */
    default boolean connectionOpen() {
      return false;
    }
  }
}
