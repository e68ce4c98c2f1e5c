package io.hyperinfer.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.demo.AuthDemoSteps;
import io.hyperinfer.app.demo.DemoContext;
import io.hyperinfer.app.demo.DemoJourney;
import io.hyperinfer.app.demo.DemoStep;
import io.hyperinfer.auth.ApiKeyToken;
import io.hyperinfer.auth.AuthException;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.auth.SessionVerifier;
import io.hyperinfer.worker.net.memory.MemoryNetwork;
import io.hyperinfer.worker.net.spi.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo's Auth journey on a local network, step by step, each step's outcome checked. */
@Timeout(60)
class AuthJourneySystemTest {
  @TempDir
  Path stores;

  /** Runs every step and returns the detail lines, failing on the first step that does not do what it should. */
  private static List<String> walk(DemoContext ctx, List<DemoStep> steps) throws Exception {
    List<String> details = new ArrayList<>();
    for (DemoStep step : steps) {
      details.add(step.run(ctx));
    }
    return details;
  }

  @Test
  void shouldCompleteAuthJourneyWhenEveryWorkerIsHealthy() throws Exception {
    try (DemoContext ctx = new DemoContext(new MemoryNetwork(), stores, true)) {
      List<DemoStep> steps = new ArrayList<>();
      steps.add(AuthDemoSteps.startAuth());
      steps.addAll(AuthDemoSteps.journey());
      List<String> details = walk(ctx, steps);

      assertTrue(details.get(0).contains("announced on topic 'hyperinfer/auth'"), details.get(0));
      assertTrue(details.get(1).startsWith("registered ann@example.com"), details.get(1));
      assertEquals("rejected with ERR_USER_EXISTS", details.get(2));
      assertEquals("rejected with ERR_INVALID_CREDENTIALS", details.get(3));
      assertTrue(details.get(4).contains("signed by Auth"), details.get(4));
      assertTrue(details.get(5).contains("online: not revoked"), details.get(5));
      assertTrue(details.get(6).contains("_****") && details.get(6).contains("llama3.2:1b"), details.get(6));
      assertTrue(details.get(7).contains("revoked=false"), details.get(7));
      assertTrue(details.get(8).contains("belongs to ann@example.com"), details.get(8));
      assertEquals("rejected with ERR_FORBIDDEN", details.get(9));
      assertTrue(details.get(10).endsWith("revoked"), details.get(10));
      assertEquals("rejected with ERR_KEY_REVOKED", details.get(11));
      assertEquals("rejected with ERR_SESSION_REVOKED", details.get(13));

      String apiKey = ctx.get(AuthDemoSteps.API_KEY, String.class);
      for (String detail : details) {
        assertTrue(!detail.contains(ApiKeyToken.parse(apiKey).secret()), "a step printed the key's secret");
      }
      AuthWorker auth = ctx.get(AuthDemoSteps.AUTH, AuthWorker.class);
      String token = ctx.get(AuthDemoSteps.SESSION, String.class);
      assertEquals(ctx.get(AuthDemoSteps.SESSION, String.class), token);
      assertTrue(new SessionVerifier(auth.sessionPublicKey(), ctx.clock()).verify(token).email()
          .equals("ann@example.com"), "offline verification cannot see the logout, by design");

      assertEquals("every worker drained and stopped", DemoJourney.shutdown().run(ctx));
      assertEquals(0, ctx.runningWorkers());
    }
  }

  @Test
  void shouldCompleteAuthJourneyWhenNetworkAddsLatency() throws Exception {
    MemoryNetwork network = new MemoryNetwork(Scheduler.system(), 42L);
    network.setLatency(Duration.ofMillis(1), Duration.ofMillis(8));
    try (DemoContext ctx = new DemoContext(network, stores, true)) {
      List<DemoStep> steps = new ArrayList<>();
      steps.add(AuthDemoSteps.startAuth());
      steps.addAll(AuthDemoSteps.journey());
      steps.add(DemoJourney.shutdown());
      List<String> details = walk(ctx, steps);
      assertEquals(steps.size(), details.size());
      assertEquals("rejected with ERR_SESSION_REVOKED", details.get(details.size() - 2));
      assertEquals("every worker drained and stopped", details.getLast());
    }
  }

  @Test
  void shouldRejectSessionOfflineWhenItIsForged() throws Exception {
    try (DemoContext ctx = new DemoContext(new MemoryNetwork(), stores, true)) {
      walk(ctx, List.of(AuthDemoSteps.startAuth(), AuthDemoSteps.journey().get(0), AuthDemoSteps.journey().get(3)));
      String token = ctx.get(AuthDemoSteps.SESSION, String.class);
      char swapped = token.charAt(5) == 'A' ? 'B' : 'A';
      String forged = token.substring(0, 5) + swapped + token.substring(6);
      SessionVerifier verifier = new SessionVerifier(ctx.get(AuthDemoSteps.AUTH, AuthWorker.class)
          .sessionPublicKey(), ctx.clock());
      AuthException e = org.junit.jupiter.api.Assertions.assertThrows(AuthException.class,
          () -> verifier.verify(forged));
      assertEquals(AuthException.Code.INVALID_SESSION, e.code());
    }
  }
}
