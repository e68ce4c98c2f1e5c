package io.hyperinfer.worker.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where one user's Hyperinfer files live, by the XDG base directory conventions: {@code data} (worker stores) under
 * {@code $XDG_DATA_HOME/hyperinfer} (default {@code ~/.local/share/hyperinfer}), {@code config} (config files,
 * credentials) under {@code $XDG_CONFIG_HOME/hyperinfer} ({@code ~/.config/hyperinfer}), {@code state} (logs, status
 * files) under {@code $XDG_STATE_HOME/hyperinfer} ({@code ~/.local/state/hyperinfer}). A relative {@code XDG_*} value
 * is ignored, as the specification says. One folder overrides all three ({@link #under}, or the environment variable
 * {@value #OVERRIDE_ENV}): {@code DIR/data}, {@code DIR/config}, {@code DIR/state}. Nothing is created until
 * {@link #create}. Immutable.
 */
public record DataDirs(Path data, Path config, Path state) {
  /** The environment variable that puts everything under one folder. */
  public static final String OVERRIDE_ENV = "HYPERINFER_HOME";
  static final String APP = "hyperinfer";

  public DataDirs {
    data = Objects.requireNonNull(data, "data").toAbsolutePath().normalize();
    config = Objects.requireNonNull(config, "config").toAbsolutePath().normalize();
    state = Objects.requireNonNull(state, "state").toAbsolutePath().normalize();
  }

  /** This process's user: the real environment and {@code user.home}. */
  public static DataDirs forUser() {
    return forUser(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The folders for an environment and a home folder; {@value #OVERRIDE_ENV} wins when set. */
  public static DataDirs forUser(Map<String, String> env, Path home) {
    String override = env.get(OVERRIDE_ENV);
    if (override != null && !override.isBlank()) {
      return under(Path.of(override));
    }
    return new DataDirs(base(env, "XDG_DATA_HOME", home.resolve(".local/share")).resolve(APP),
        base(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve(APP),
        base(env, "XDG_STATE_HOME", home.resolve(".local/state")).resolve(APP));
  }

  /** Everything under one folder (a {@code --data-dir} flag, a container volume, a test). */
  public static DataDirs under(Path root) {
    return new DataDirs(root.resolve("data"), root.resolve("config"), root.resolve("state"));
  }

  /** The store folder of one worker: {@code data/workers/<type>-<instanceId>}. */
  public Path workerStore(String type, String instanceId) {
    return data.resolve("workers").resolve(checkName(type) + "-" + checkName(instanceId));
  }

  /** The CLI's saved credentials: {@code config/credentials.json}. */
  public Path credentials() {
    return config.resolve("credentials.json");
  }

  /** Log files: {@code state/logs}. */
  public Path logs() {
    return state.resolve("logs");
  }

  /** Creates the three folders (and missing parents) 0700; returns this. */
  public DataDirs create() throws IOException {
    PrivateFiles.createDirectories(data);
    PrivateFiles.createDirectories(config);
    PrivateFiles.createDirectories(state);
    return this;
  }

  private static Path base(Map<String, String> env, String name, Path fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    Path p = Path.of(value);
    return p.isAbsolute() ? p : fallback;
  }

  private static String checkName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException("'" + name + "' cannot name a folder (letters, digits, '.', '_', '-')");
    }
    return name;
  }
}
