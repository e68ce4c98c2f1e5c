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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker killed without a word (its UDX sockets closed, as by SIGKILL) and started again with its key, a new node
 * and port, calls a stable peer at once: the peer still holds the dead connection, swaps it for the newcomer's, runs
 * the calls, and every reply must reach the caller (FailureSystemTest's restarted gateway, whose first register ran
 * on Auth but was answered ERR_CONNECTION_LOST: the old connection's loss, handled late, ended the new call).
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
    // one gateway key below auth's and one above: the pair's tie-break goes each way
    KeyPair[] gatewayKeys = {keyBeside(auth.publicKey(), -1), keyBeside(auth.publicKey(), 1)};
    List<String> failures = new ArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    for (int i = 0; i < SPINNERS; i++) {
      Thread.ofPlatform().daemon().name("spinner-" + i).start(() -> spin(done));
    }
    try {
      for (int round = 0; round < ROUNDS; round++) {
        KeyPair keys = gatewayKeys[round % 2];
        SwarmNetFacility gateway = start(keys);
        try {
          firstCalls(gateway);
        } catch (Exception | AssertionError e) {
          failures.add("round " + round + " gateway " + HexFormat.of().formatHex(keys.publicKey(), 0, 4) + ": " + e);
        }
        gateway.dht().udx().orElseThrow().close(); // SIGKILL: auth's connection looks alive
      }
    } finally {
      done.set(true);
    }
    assertEquals(List.of(), failures, failures.size() + " of " + ROUNDS + " rounds lost a reply");
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
