package io.hyperinfer.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class whose static initialiser reads {@code ../shared} where it is missing.
 *
 * <p>A test that reads the shared vectors in a method or a field is skipped by {@link ProjectPaths#shared} itself,
 * which throws JUnit's abort. A static field cannot be: the JVM wraps the abort in an
 * {@link ExceptionInInitializerError}, which JUnit reports as a failure. So, only where {@code ../shared} is missing,
 * this condition initialises each test class before JUnit does and disables the class when that aborts. Registered
 * for every test through JUnit's extension auto-detection (root pom, {@code configurationParameters}). Stateless.
 */
public final class SharedReferenceCondition implements ExecutionCondition {
  private static final ConditionEvaluationResult ENABLED = ConditionEvaluationResult.enabled("../shared not needed");

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isPresent() || context.getTestClass().isEmpty() || sharedPresent()) {
      return ENABLED;
    }
    return evaluate(context.getTestClass().get());
  }

  /** Initialises {@code testClass}; disabled when its initialiser found {@code ../shared} missing. */
  static ConditionEvaluationResult evaluate(Class<?> testClass) {
    try {
      Class.forName(testClass.getName(), true, testClass.getClassLoader());
      return ENABLED;
    } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
      if (causedByMissingShared(e)) {
        return ConditionEvaluationResult.disabled("SHARED MISSING: " + testClass.getName() + " needs "
            + ProjectPaths.root().resolveSibling("shared"));
      }
      throw e;
    } catch (ClassNotFoundException e) {
      return ENABLED;
    }
  }

  /**
   * Whether {@code e} comes from {@link ProjectPaths#shared}: directly, or (a class whose initialiser failed before)
   * through the {@link NoClassDefFoundError} that names the original exception only in its message.
   */
  static boolean causedByMissingShared(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProjectPaths.SharedMissingException
          || String.valueOf(t.getMessage()).contains(ProjectPaths.SharedMissingException.class.getName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean sharedPresent() {
    return java.nio.file.Files.isDirectory(ProjectPaths.root().resolveSibling("shared"));
  }
}
