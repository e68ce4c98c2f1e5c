package io.hyperinfer.app;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link RunningUp} network per test JVM, given to the {@code @BeforeAll} of each class that declares a
 * {@code RunningUp} parameter and only needs a running network (its users, keys and client homes its own). Starting
 * {@code up} is about 10 s of CPU, so each class starting its own cost the tier that per class; app's integration
 * tests run in one JVM (two classes at a time, app/pom.xml), so they start one. The network lives in the launcher
 * session's store: one session per JVM, closed after the JVM's last class, which stops {@code up} with SIGTERM and
 * fails that session unless every process stopped cleanly ({@link RunningUp#close()}). Thread-safe (the store
 * computes the value once; a second class asking meanwhile waits for it).
 */
final class SharedUp implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RunningUp.class;
  }

  @Override
  public RunningUp resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION,
            ExtensionContext.Namespace.create(SharedUp.class))
        .getOrComputeIfAbsent(RunningUp.class, k -> start(), RunningUp.class);
  }

  private static RunningUp start() {
    try {
      RunningUp up = new RunningUp(Files.createTempDirectory("shared-up-it-"));
      up.killOnJvmExit();
      return up;
    } catch (Exception e) {
      throw new IllegalStateException("up did not start", e);
    }
  }
}
