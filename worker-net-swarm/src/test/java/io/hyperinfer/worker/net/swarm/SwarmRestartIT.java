package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker killed without a word (its UDX sockets closed, as by SIGKILL) and started again with its key, a new node
 * and port, calls a stable peer at once: the peer still holds the dead connection, swaps it for the newcomer's, runs
 * the calls, and every reply must reach the caller (FailureSystemTest's restarted gateway, whose first register ran
 * on Auth but was answered ERR_CONNECTION_LOST: the old connection's loss, handled late, ended the new call).
 * The other way round too: the stable peer calls the restarted one as soon as it is back, and those calls, on the
 * new connection, must not fail when the old one's loss is handled late.
 * {@code -Drestart.rounds} (default 10) and {@code -Drestart.spinners} (busy threads in this JVM meanwhile, default
 * 0: CPU contention is what delays the loss's thread, so loops looking for the race use a few).
 */
@Timeout(600)
class SwarmRestartIT extends OnTestnet {
  private static final int ROUNDS = Integer.getInteger("restart.rounds", 10);
  private static final int SPINNERS = Integer.getInteger("restart.spinners", 0);
  private static final int BURST = 8;
  private static final Duration CALL = Duration.ofSeconds(10);

  @Test
  void shouldAnswerARestartedPeersFirstCallsWhenItsOldConnectionDiedSilently() throws Exception {
    SwarmNetFacility auth = start(Ed25519.generate());
    // the work of a register (a password hash) before the answer, off the loop
    auth.respondAsync("register", call -> CompletableFuture.supplyAsync(() -> TextNode.valueOf("registered"),
        CompletableFuture.delayedExecutor(15, TimeUnit.MILLISECONDS)));
    auth.announce("restart/auth").get(20, TimeUnit.SECONDS);
    List<String> failures = restartRounds(auth, gateway -> firstCalls(gateway));
    assertEquals(List.of(), failures, failures.size() + " of " + ROUNDS + " rounds lost a reply");
  }

  /**
   * The other direction: the stable side calls the restarted peer the moment it is back (a gateway whose processor
   * came back and said hello on its new connection); the old connection's loss, handled late, must not fail those
   * calls, which went out on the new one.
   */
  @Test
  void shouldAnswerCallsToARestartedPeerWhenItsOldConnectionDiedSilently() throws Exception {
    SwarmNetFacility gateway = start(Ed25519.generate());
    List<String> lost = new CopyOnWriteArrayList<>();
    gateway.respondAsync("hello", call -> {
      List<CompletableFuture<JsonNode>> burst = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        burst.add(gateway.request(call.remotePublicKey(), "work", null, RequestOptions.timeout(CALL))
            .whenComplete((ok, e) -> {
              if (e != null || !TextNode.valueOf("done").equals(ok)) {
                lost.add(e != null ? String.valueOf(e) : String.valueOf(ok));
              }
            }));
      }
      return CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).handle((v, e) -> TextNode.valueOf(
          "hello"));
    });
    gateway.announce("restart/gateway").get(20, TimeUnit.SECONDS);
    List<String> failures = restartRounds(gateway, processor -> {
      processor.respondAsync("work", call -> CompletableFuture.supplyAsync(() -> TextNode.valueOf("done"),
          CompletableFuture.delayedExecutor(15, TimeUnit.MILLISECONDS)));
      lost.clear();
      JsonNode hello = processor.topicRequest("restart/gateway", "hello", null, RequestOptions.timeout(CALL))
          .get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
      assertEquals(TextNode.valueOf("hello"), hello);
      assertEquals(List.of(), List.copyOf(lost), "the gateway's calls to the processor");
    });
    assertEquals(List.of(), failures, failures.size() + " of " + ROUNDS + " rounds lost a reply");
  }

  /** What one round does with the restarted peer, just started. */
  private interface Round {
    void run(SwarmNetFacility restarted) throws Exception;
  }

  /**
   * {@link #ROUNDS} rounds of: a peer started with one of two keys (below and above {@code stable}'s, so the pair's
   * tie-break goes each way), {@code round} with it, then its UDX sockets closed without a word (SIGKILL: the stable
   * side's connection looks alive). Returns each failed round, with {@link #SPINNERS} busy threads meanwhile.
   */
  private List<String> restartRounds(SwarmNetFacility stable, Round round) {
    KeyPair[] keys = {keyBeside(stable.publicKey(), -1), keyBeside(stable.publicKey(), 1)};
    List<String> failures = new ArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    for (int i = 0; i < SPINNERS; i++) {
      Thread.ofPlatform().daemon().name("spinner-" + i).start(() -> spin(done));
    }
    try {
      for (int r = 0; r < ROUNDS; r++) {
        KeyPair k = keys[r % 2];
        SwarmNetFacility restarted = start(k);
        try {
          round.run(restarted);
        } catch (Exception | AssertionError e) {
          failures.add("round " + r + " key " + HexFormat.of().formatHex(k.publicKey(), 0, 4) + ": " + e);
        }
        restarted.dht().udx().orElseThrow().close();
      }
    } finally {
      done.set(true);
    }
    return failures;
  }

  private SwarmNetFacility start(KeyPair keys) {
    return peers.start(keys, Config.empty(), "facs.net.connections=swarm");
  }

  /** Its first calls at once, by topic, as clients reach a gateway that just came back: each must be answered. */
  private static void firstCalls(SwarmNetFacility gateway) throws Exception {
    List<CompletableFuture<JsonNode>> burst = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      burst.add(gateway.topicRequest("restart/auth", "register", null, RequestOptions.timeout(CALL)));
    }
    for (CompletableFuture<JsonNode> call : burst) {
      assertEquals(TextNode.valueOf("registered"), call.get(CALL.toSeconds() + 5, TimeUnit.SECONDS));
    }
  }

  /** A key pair whose public key sorts below ({@code side} < 0) or above {@code auth}. */
  private static KeyPair keyBeside(byte[] auth, int side) {
    while (true) {
      KeyPair k = Ed25519.generate();
      if (Integer.signum(Arrays.compareUnsigned(k.publicKey(), auth)) == side) {
        return k;
      }
    }
  }

  private static void spin(AtomicBoolean done) {
    long sink = 0;
    while (!done.get()) {
      sink += System.nanoTime() & 1;
    }
    if (sink < 0) {
      throw new AssertionError(sink);
    }
  }
}
