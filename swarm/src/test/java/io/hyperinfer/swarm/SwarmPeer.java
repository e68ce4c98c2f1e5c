package io.hyperinfer.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Java swarm for the integration tests: its key pair from a seed byte (as the JS driver's), every connection it gets
 * recorded, "ping:X" answered with "pong:X" and pongs collected.
 */
final class SwarmPeer implements AutoCloseable {
  /**
   * For a peer whose dials get refused: it redials soon (200 ms, then up to 1.6 s) and gives each refused dial up
   * fast. A firewall refuses by silence, so a refused dial lasts as long as its handshakes' sends through the relays,
   * here 4 of 100 ms per relay instead of dht-rpc's 4 of 1 s (loopback answers come in milliseconds; a reply to any
   * of the 4 sends counts, so a loaded server has 400 ms; a dial that still misses it is redialed).
   */
  static final SwarmOptions REDIALS_FAST = SwarmOptions.DEFAULT.withBackoffs(List.of(200L, 400L, 800L, 1600L), 0)
      .withConnect(ConnectOptions.DEFAULT.withHandshakeTimeout(Duration.ofMillis(100)));

  /**
   * For a peer that redials one that left and comes back: its first redial after 200 ms and the next after 1 s
   * instead of JS's 1-1.5 s and 5-6 s, the last after JS's 15 s, so a peer slow to come back is still found.
   */
  static final SwarmOptions REDIALS_SOON = SwarmOptions.DEFAULT.withBackoffs(List.of(200L, 1000L, 15_000L, 600_000L),
      0);

  final KeyPair keys;
  final Swarm swarm;
  final List<SwarmConnection> events = new CopyOnWriteArrayList<>();
  final List<PeerInfo> bans = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<String> pongs = new LinkedBlockingQueue<>();
  /** Empty messages read: keep-alives, seen only when this side's streams do not filter them (keep-alive off). */
  final java.util.concurrent.atomic.AtomicInteger empties = new java.util.concurrent.atomic.AtomicInteger();

  SwarmPeer(HyperDht node, int seed, SwarmOptions options) {
    this(node, seed, options, TopicQueries.of(node));
  }

  /** A swarm whose topics run their queries through {@code queries}. */
  SwarmPeer(HyperDht node, int seed, SwarmOptions options, TopicQueries queries) {
    this.keys = keyPair(seed);
    this.swarm = Swarm.create(node, options.withKeyPair(keys), new SwarmListener() {
      @Override
      public void onConnection(SwarmConnection connection, PeerInfo peer) {
        events.add(connection);
        Thread.ofVirtual().start(() -> serve(connection.stream()));
      }

      @Override
      public void onBan(PeerInfo peer, SwarmException reason) {
        bans.add(peer);
      }
    }, queries);
  }

  SwarmPeer(HyperDht node, int seed) {
    this(node, seed, SwarmOptions.DEFAULT);
  }

  static KeyPair keyPair(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    return HyperDhtCrypto.keyPair(s);
  }

  private void serve(SecretStream s) {
    try {
      answer(s);
    } catch (SecretStreamException e) {
      // the connection ended (a duplicate closed, the peer left): nothing more to answer
    }
  }

  private void answer(SecretStream s) {
    byte[] m;
    while ((m = s.read()) != null) {
      if (m.length == 0) {
        empties.incrementAndGet();
        continue;
      }
      String text = new String(m, StandardCharsets.UTF_8);
      if (text.startsWith("ping:")) {
        s.write(("pong:" + text.substring(5)).getBytes(StandardCharsets.UTF_8));
      } else if (text.startsWith("pong:")) {
        pongs.add(text.substring(5));
      }
    }
  }

  /** Sends a ping over the connection to {@code remote} and waits for its pong. */
  boolean pingPong(byte[] remote, String token) throws InterruptedException {
    SwarmConnection c = swarm.connection(remote).orElseThrow(() -> new AssertionError("no connection"));
    c.stream().write(("ping:" + token).getBytes(StandardCharsets.UTF_8));
    String got;
    while ((got = pongs.poll(20, TimeUnit.SECONDS)) != null) {
      if (got.equals(token)) {
        return true;
      }
    }
    return false;
  }

  /** The open connection to {@code remote}'s key, or null. */
  SwarmConnection to(SwarmPeer remote) {
    return swarm.connection(remote.keys.publicKey()).orElse(null);
  }

  String describe() {
    return java.util.HexFormat.of().formatHex(keys.publicKey(), 0, 2) + " " + swarm.stats() + " open "
        + swarm.connections() + " events " + events.size();
  }

  @Override
  public void close() {
    swarm.close();
  }
}
