package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** A checkout without {@code ../shared} beside it: tests that need it skip loudly, or fail where it is required. */
class SharedReferenceTest {
  private final Properties saved = (Properties) System.getProperties().clone();
  @TempDir Path parent;
  private Path checkout;

  /** A class whose static initialiser reads the shared vectors, as some golden tests do. */
  static final class NeedsSharedStatically {
    static final Path VECTORS = ProjectPaths.shared().resolve("protocol/vectors.json");
  }

  static final class NeedsSharedAgain {
    static final Path VECTORS = ProjectPaths.shared();
  }

  static final class NeedsSharedThird {
    static final Path VECTORS = ProjectPaths.shared();
  }

  /** A class whose static initialiser fails for another reason. */
  static final class BrokenStatically {
    static final int VALUE = Integer.parseInt("not a number");
  }

  @BeforeEach
  void checkoutWithoutShared() throws Exception {
    checkout = Files.createDirectories(parent.resolve("hyperinfer"));
    Files.writeString(checkout.resolve("mvnw"), "#!/bin/sh\n");
    System.setProperty("hyperinfer.root", checkout.toString());
  }

  @AfterEach
  void restoreProperties() {
    System.setProperties(saved);
  }

  @Test
  void shouldSkipWhenSharedIsMissingAndNotRequired() {
    System.setProperty("shared.required", "false");
    TestAbortedException e = assertThrows(TestAbortedException.class, ProjectPaths::shared);
    assertTrue(e.getMessage().contains(parent.resolve("shared").toString()), e.getMessage());
  }

  @Test
  void shouldFailWhenSharedIsMissingAndRequired() {
    System.setProperty("shared.required", "true");
    IllegalStateException e = assertThrows(IllegalStateException.class, ProjectPaths::shared);
    assertTrue(e.getMessage().contains("required here"), e.getMessage());
  }

  @Test
  void shouldReturnSharedWhenItIsThere() throws Exception {
    Path shared = Files.createDirectories(parent.resolve("shared"));
    System.setProperty("shared.required", "true");
    assertEquals(shared, ProjectPaths.shared());
  }

  @Test
  void shouldRequireSharedExactlyWhenToldOrUnderCi() {
    System.setProperty("shared.required", " true ");
    assertTrue(ProjectPaths.sharedRequired());
    System.setProperty("shared.required", "false");
    assertFalse(ProjectPaths.sharedRequired());
    System.setProperty("shared.required", "");
    assertEquals("true".equalsIgnoreCase(System.getenv("CI")), ProjectPaths.sharedRequired());
  }

  @Test
  void shouldDisableClassWhoseStaticInitialiserNeedsMissingShared() {
    System.setProperty("shared.required", "false");
    ConditionEvaluationResult result = SharedReferenceCondition.evaluate(NeedsSharedStatically.class);
    assertTrue(result.isDisabled());
    assertTrue(result.getReason().orElseThrow().startsWith("SHARED MISSING: "), result.getReason().orElseThrow());
    assertTrue(result.getReason().orElseThrow().contains("NeedsSharedStatically"), result.getReason().orElseThrow());
  }

  @Test
  void shouldDisableClassAgainWhenItsInitialiserFailedBefore() {
    System.setProperty("shared.required", "false");
    assertTrue(SharedReferenceCondition.evaluate(NeedsSharedAgain.class).isDisabled());
    assertTrue(SharedReferenceCondition.evaluate(NeedsSharedAgain.class).isDisabled(), "NoClassDefFoundError now");
  }

  @Test
  void shouldLeaveMethodsAndCheckoutsWithSharedAlone() throws Exception {
    ExtensionContext method = context(SharedReferenceTest.class,
        SharedReferenceTest.class.getDeclaredMethod("restoreProperties"));
    assertFalse(new SharedReferenceCondition().evaluateExecutionCondition(method).isDisabled());
    ExtensionContext clazz = context(NeedsSharedThird.class, null);
    System.setProperty("shared.required", "false");
    assertTrue(new SharedReferenceCondition().evaluateExecutionCondition(clazz).isDisabled());
    Files.createDirectories(parent.resolve("shared"));
    assertFalse(new SharedReferenceCondition().evaluateExecutionCondition(clazz).isDisabled());
  }

  /** An extension context that knows only its test class and method, as the condition asks for nothing else. */
  private static ExtensionContext context(Class<?> testClass, Method testMethod) {
    return (ExtensionContext) Proxy.newProxyInstance(SharedReferenceTest.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, called, args) -> switch (called.getName()) {
          case "getTestClass" -> Optional.of(testClass);
          case "getTestMethod" -> Optional.ofNullable(testMethod);
          default -> throw new UnsupportedOperationException(called.getName());
        });
  }

  @Test
  void shouldFindRootFromWorkingDirectoryWhenConfiguredRootHasNoWrapper() {
    System.setProperty("hyperinfer.root", parent.toString());
    Path found = ProjectPaths.root();
    assertTrue(Files.isRegularFile(found.resolve("mvnw")) && Files.isDirectory(found.resolve("interop")),
        found.toString());
    System.clearProperty("hyperinfer.root");
    assertEquals(found, ProjectPaths.root());
  }

  @Test
  void shouldEnableClassesThatDoNotNeedShared() {
    assertFalse(SharedReferenceCondition.evaluate(SharedReferenceTest.class).isDisabled());
  }

  @Test
  void shouldKeepOtherInitialiserFailuresAsFailures() {
    ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class,
        () -> SharedReferenceCondition.evaluate(BrokenStatically.class));
    assertTrue(e.getCause() instanceof NumberFormatException);
  }
}
