package io.hyperinfer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable JSON config tree read by dotted paths ("auth.session.ttl"). Every failed read throws a
 * {@link ConfigException} naming the full path. Thread-safe.
 */
public final class Config {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final ObjectNode root;
  private final String prefix;

  private Config(ObjectNode root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  public static Config empty() {
    return of(Json.object());
  }

  /** A config over a copy of {@code tree}, which must be a JSON object. */
  public static Config of(JsonNode tree) {
    if (!(tree instanceof ObjectNode object)) {
      throw ConfigException.invalid("", "config root must be a JSON object");
    }
    return new Config(object.deepCopy(), "");
  }

  /** A copy of the whole tree. */
  public ObjectNode json() {
    return root.deepCopy();
  }

  /** The node at a JSON pointer ("/auth/session/ttl"); missing node when absent. */
  public JsonNode at(String pointer) {
    return root.at(pointer).deepCopy();
  }

  public boolean has(String path) {
    return !node(path).isMissingNode() && !node(path).isNull();
  }

  /** The sub-tree at {@code path} as a config whose errors still name full paths; empty when absent. */
  public Config section(String path) {
    JsonNode n = node(path);
    if (n.isMissingNode() || n.isNull()) {
      return new Config(Json.object(), full(path));
    }
    if (!(n instanceof ObjectNode object)) {
      throw ConfigException.invalid(full(path), "expected an object");
    }
    return new Config(object, full(path));
  }

  /**
   * A string-typed key. A number or boolean is taken as its text: {@code --set key=0123456789} cannot say whether it
   * meant a string, and {@link ConfigLoader} keeps a scalar override as a number only when its text is exactly that
   * number's, so nothing is lost. Objects and arrays are refused.
   */
  public String string(String path) {
    JsonNode n = required(path);
    if (n.isTextual()) {
      return n.textValue();
    }
    if (!n.isNumber() && !n.isBoolean()) {
      throw ConfigException.invalid(full(path), "expected a string");
    }
    return n.asText();
  }

  public String string(String path, String fallback) {
    return has(path) ? string(path) : fallback;
  }

  public int intValue(String path) {
    JsonNode n = required(path);
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw ConfigException.invalid(full(path), "expected an integer");
    }
    return n.intValue();
  }

  public int intValue(String path, int fallback) {
    return has(path) ? intValue(path) : fallback;
  }

  public long longValue(String path) {
    JsonNode n = required(path);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw ConfigException.invalid(full(path), "expected an integer");
    }
    return n.longValue();
  }

  public long longValue(String path, long fallback) {
    return has(path) ? longValue(path) : fallback;
  }

  public boolean bool(String path) {
    JsonNode n = required(path);
    if (!n.isBoolean()) {
      throw ConfigException.invalid(full(path), "expected true or false");
    }
    return n.booleanValue();
  }

  public boolean bool(String path, boolean fallback) {
    return has(path) ? bool(path) : fallback;
  }

  /**
   * A duration: a number of milliseconds, a short form ("250ms", "30s", "5m", "2h", "1d") or ISO-8601 ("PT30S").
   * Negative durations are invalid.
   */
  public Duration duration(String path) {
    JsonNode n = required(path);
    Duration d;
    if (n.isIntegralNumber()) {
      d = Duration.ofMillis(n.longValue());
    } else if (n.isTextual()) {
      d = parseDuration(path, n.textValue());
    } else {
      throw ConfigException.invalid(full(path), "expected a duration");
    }
    if (d.isNegative()) {
      throw ConfigException.invalid(full(path), "duration must not be negative");
    }
    return d;
  }

  public Duration duration(String path, Duration fallback) {
    return has(path) ? duration(path) : fallback;
  }

  /** The raw node at {@code path}, if present. */
  public Optional<JsonNode> node(String path, boolean copy) {
    JsonNode n = node(path);
    return n.isMissingNode() ? Optional.empty() : Optional.of(copy ? n.deepCopy() : n);
  }

  private Duration parseDuration(String path, String text) {
    Matcher m = SHORT_DURATION.matcher(text.trim());
    if (m.matches()) {
      long v = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        case "m" -> Duration.ofMinutes(v);
        case "h" -> Duration.ofHours(v);
        default -> Duration.ofDays(v);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw ConfigException.invalid(full(path), "'" + text + "' is not a duration");
    }
  }

  private JsonNode required(String path) {
    JsonNode n = node(path);
    if (n.isMissingNode() || n.isNull()) {
      throw ConfigException.missing(full(path));
    }
    return n;
  }

  private JsonNode node(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.", -1)) {
      if (part.isEmpty()) {
        throw ConfigException.invalid(full(path), "empty segment in key path");
      }
      n = n.path(part);
    }
    return n == null ? MissingNode.getInstance() : n;
  }

  private String full(String path) {
    return prefix.isEmpty() ? path : prefix + "." + path;
  }

  @Override
  public String toString() {
    return "Config[" + (prefix.isEmpty() ? "root" : prefix) + "]";
  }
}
