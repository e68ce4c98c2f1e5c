package io.hyperinfer.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.TestAbortedException;

/**
 * Where the repository, its pinned JS peers and the shared reference notes are, from any module's tests.
 *
 * <p>{@code ../shared} (vectors and golden files captured from the JS reference) sits beside the project's own
 * checkouts, but not beside a fork's clone on GitHub. Where it is missing, a test that needs it is skipped with a
 * loud message; where it is required ({@code -Dshared.required=true}, or {@code CI=true} unless
 * {@code -Dshared.required=false}, which .ci/run sets only on GitHub Actions), it fails instead. Thread-safe.
 */
public final class ProjectPaths {
  private ProjectPaths() {}

  /** The repository root: {@code -Dhyperinfer.root} (set by the build), else the nearest parent holding mvnw. */
  public static Path root() {
    String configured = System.getProperty("hyperinfer.root");
    if (configured != null && Files.isRegularFile(Path.of(configured, "mvnw"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("interop"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
  }

  /** The pinned JS reference: {@code interop/} with its package.json and lock file. */
  public static Path interop() {
    return root().resolve("interop");
  }

  /**
   * {@code ../shared}: the team's protocol and storage notes, vectors and golden files. Aborts the calling test (a
   * skip) when the directory is missing, or fails it where {@link #sharedRequired} says it must be there.
   */
  public static Path shared() {
    Path shared = root().resolveSibling("shared");
    if (!Files.isDirectory(shared)) {
      String message = "SHARED MISSING: " + shared + " is not there, so tests against the JS reference's vectors and"
          + " golden files cannot run. Check the team's shared notes out beside the repository.";
      if (sharedRequired()) {
        throw new IllegalStateException(message + " (required here: CI=true or -Dshared.required=true)");
      }
      System.err.println("\n*** " + message + " Skipping. ***\n");
      throw new SharedMissingException(message);
    }
    return shared;
  }

  /** Whether a missing {@code ../shared} fails tests rather than skipping them. */
  static boolean sharedRequired() {
    String configured = System.getProperty("shared.required", "");
    if (!configured.isBlank()) {
      return Boolean.parseBoolean(configured.trim());
    }
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The skip raised where {@code ../shared} is missing and not required. */
  static final class SharedMissingException extends TestAbortedException {
    private static final long serialVersionUID = 1L;

    SharedMissingException(String message) {
      super(message);
    }
  }
}
