package io.hyperinfer.testkit;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility's defaults for every test: check the condition at once and then every {@link #POLL_INTERVAL}, instead of
 * waiting 100 ms before the first check and between checks. A condition that is already true then costs nothing, and
 * one that turns true costs at most 10 ms more: with ~130 awaits in the unit and integration tiers, the 100 ms
 * default was seconds of idle wall time. Timeouts ({@code atMost}) stay what each test says. Registered for every test
 * through JUnit's extension auto-detection (root pom, {@code configurationParameters}). Stateless.
 */
public final class AwaitDefaults implements BeforeAllCallback {
  /** How often a pending condition is checked again. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(10);

  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(POLL_INTERVAL);
  }
}
