package io.hyperinfer.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.ServerOptions;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How a {@link Swarm} runs (JS {@code new Hyperswarm(opts)}). {@code keyPair} null: the node's default key pair.
 * {@code backoffsMs} null: JS's four retry waits with their jitter. {@code relay} null: no blind relay. All
 * {@code with…} methods return a copy.
 */
public record SwarmOptions(KeyPair keyPair, SwarmLimits limits, SwarmFirewall firewall, List<Long> backoffsMs,
    long jitterMs, ServerOptions server, ConnectOptions connect, InstantSource clock, RandomGenerator random,
    RelayPolicy relay) {
  public static final SwarmOptions DEFAULT = new SwarmOptions(null, SwarmLimits.DEFAULT, SwarmFirewall.ALLOW_ALL, null,
      500, ServerOptions.DEFAULT, ConnectOptions.DEFAULT, InstantSource.system(), null, null);

  public SwarmOptions {
    if (limits == null || firewall == null || server == null || connect == null || clock == null || jitterMs < 0) {
      throw new SwarmException(SwarmException.Code.BAD_ARGUMENT, "swarm options need limits, firewall, server and "
          + "connect options, a clock and a jitter >= 0");
    }
    backoffsMs = backoffsMs == null ? null : List.copyOf(backoffsMs);
  }

  public SwarmOptions withKeyPair(KeyPair k) {
    return new SwarmOptions(k, limits, firewall, backoffsMs, jitterMs, server, connect, clock, random, relay);
  }

  public SwarmOptions withLimits(SwarmLimits l) {
    return new SwarmOptions(keyPair, l, firewall, backoffsMs, jitterMs, server, connect, clock, random, relay);
  }

  public SwarmOptions withFirewall(SwarmFirewall f) {
    return new SwarmOptions(keyPair, limits, f, backoffsMs, jitterMs, server, connect, clock, random, relay);
  }

  /** Retry waits: short, medium, long and explicit (JS option {@code backoffs}), and the jitter added to each. */
  public SwarmOptions withBackoffs(List<Long> waitsMs, long jitter) {
    return new SwarmOptions(keyPair, limits, firewall, waitsMs, jitter, server, connect, clock, random, relay);
  }

  public SwarmOptions withServer(ServerOptions s) {
    return new SwarmOptions(keyPair, limits, firewall, backoffsMs, jitterMs, s, connect, clock, random, relay);
  }

  public SwarmOptions withConnect(ConnectOptions c) {
    return new SwarmOptions(keyPair, limits, firewall, backoffsMs, jitterMs, server, c, clock, random, relay);
  }

  public SwarmOptions withClock(InstantSource c) {
    return new SwarmOptions(keyPair, limits, firewall, backoffsMs, jitterMs, server, connect, c, random, relay);
  }

  /** The blind relays for dials and accepted connections (JS option {@code relayThrough}; null: none). */
  public SwarmOptions withRelay(RelayPolicy r) {
    return new SwarmOptions(keyPair, limits, firewall, backoffsMs, jitterMs, server, connect, clock, random, r);
  }

  /** The source of the queue's shuffle and the jitters (null: a fresh unseeded one). */
  public SwarmOptions withRandom(RandomGenerator r) {
    return new SwarmOptions(keyPair, limits, firewall, backoffsMs, jitterMs, server, connect, clock, r, relay);
  }
}
