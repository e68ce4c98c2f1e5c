package io.hyperinfer.worker.log;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How a process logs, from one place. Each setting is read from config key {@code log.<name>} (a worker's config, at
 * its start), else system property {@code hyperinfer.log.<name>}, else environment variable
 * {@code HYPERINFER_LOG_<NAME>}, else its default:
 * <ul>
 *   <li>{@code format}: {@code plain} (one line per event, ISO date in UTC) or {@code json} (one object per line)</li>
 *   <li>{@code level}: the root level, {@code INFO} by default</li>
 *   <li>{@code file}: a file to write instead of standard error, rotated by size</li>
 *   <li>{@code maxFileSize}: bytes before the file rotates ({@code 10MB}; suffixes KB, MB, GB)</li>
 *   <li>{@code maxFiles}: files kept, the live one included ({@code 5}, 1..20)</li>
 * </ul>
 * {@code level} and {@code file} say whether they were set explicitly ({@link #levelExplicit()}) so a launcher can keep
 * its own quieter default unless the operator asked. Immutable.
 */
public record LogSettings(String format, String level, Optional<Path> file, long maxFileSize, int maxFiles,
    boolean levelExplicit) {
  public static final String PLAIN = "plain";
  public static final String JSON = "json";
  static final long DEFAULT_MAX_FILE_SIZE = 10L << 20;
  static final int DEFAULT_MAX_FILES = 5;
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  public LogSettings {
    if (!PLAIN.equals(format) && !JSON.equals(format)) {
      throw ConfigException.invalid("log.format", "expected \"plain\" or \"json\"");
    }
    if (!LEVELS.contains(level)) {
      throw ConfigException.invalid("log.level", "expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    if (maxFileSize < 1024) {
      throw ConfigException.invalid("log.maxFileSize", "expected a size of at least 1KB, such as \"10MB\"");
    }
    if (maxFiles < 1 || maxFiles > 20) {
      throw ConfigException.invalid("log.maxFiles", "expected an integer from 1 to 20");
    }
  }

  /** From system properties and environment variables only: what a process starts with. */
  public static LogSettings fromSystem() {
    return from(System.getProperties()::getProperty, System.getenv(), Config.empty());
  }

  /** This process's settings with the worker config's {@code log.*} keys over them. */
  public static LogSettings fromSystemAnd(Config config) {
    return from(System.getProperties()::getProperty, System.getenv(), config);
  }

  /** Settings from a config, system properties (as a lookup) and an environment, config first. */
  static LogSettings from(UnaryOperator<String> properties, Map<String, String> env, Config config) {
    Source s = new Source(properties, env, config);
    Optional<String> level = s.get("level");
    return new LogSettings(s.get("format").orElse(PLAIN).toLowerCase(Locale.ROOT),
        level.orElse("INFO").toUpperCase(Locale.ROOT), s.get("file").filter(f -> !f.isBlank()).map(Path::of),
        s.get("maxFileSize").map(LogSettings::size).orElse(DEFAULT_MAX_FILE_SIZE),
        s.get("maxFiles").map(LogSettings::count).orElse(DEFAULT_MAX_FILES), level.isPresent());
  }

  /** Whether the config sets any {@code log.*} key. */
  static boolean configures(Config config) {
    return config.has("log");
  }

  static long size(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    for (var suffix : new String[] {"KB", "MB", "GB"}) {
      if (t.endsWith(suffix)) {
        unit = switch (suffix) {
          case "KB" -> 1L << 10;
          case "MB" -> 1L << 20;
          default -> 1L << 30;
        };
        t = t.substring(0, t.length() - 2).trim();
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(t), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw ConfigException.invalid("log.maxFileSize", "expected a size such as \"10MB\" (suffixes KB, MB, GB)");
    }
  }

  private static int count(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw ConfigException.invalid("log.maxFiles", "expected an integer from 1 to 20");
    }
  }

  /** Where each setting comes from, in order. */
  private record Source(UnaryOperator<String> properties, Map<String, String> env, Config config) {
    Optional<String> get(String name) {
      String key = "log." + name;
      if (config.has(key)) {
        return Optional.of(config.node(key, false).map(n -> n.isTextual() ? n.textValue() : n.toString())
            .orElseThrow());
      }
      String property = properties.apply("hyperinfer.log." + name);
      if (property != null && !property.isBlank()) {
        return Optional.of(property);
      }
      String variable = env.get("HYPERINFER_LOG_" + name.replaceAll("([a-z])([A-Z])", "$1_$2")
          .toUpperCase(Locale.ROOT));
      return variable == null || variable.isBlank() ? Optional.empty() : Optional.of(variable);
    }
  }
}
