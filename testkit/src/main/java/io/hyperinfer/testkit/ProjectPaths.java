package io.hyperinfer.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository, its pinned JS peers and the shared reference notes are, from any module's tests. */
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

  /** {@code ../shared}: the team's protocol and storage notes, vectors and golden files. */
  public static Path shared() {
    return root().resolveSibling("shared");
  }
}
