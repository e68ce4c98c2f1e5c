package io.hyperinfer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Loads a worker config from a directory, in this order, each deep-merged over the previous: {@code common.json},
 * {@code <env>.json}, then for every facility file {@code facs/<fac>.config.json} and {@code facs/<env>.<fac>.config.json}
 * under the key {@code facs.<fac>}, then command-line overrides {@code a.b.c=value} (value parsed as JSON when it is
 * valid JSON, else taken as a string). Missing files are skipped; malformed ones fail with the file named.
 */
public final class ConfigLoader {
  private static final Pattern FAC_FILE = Pattern.compile("([A-Za-z0-9_-]+)\\.config\\.json");

  private ConfigLoader() {}

  /** Loads {@code dir} for {@code env} and applies {@code overrides}. */
  public static Config load(Path dir, String env, List<String> overrides) {
    ObjectNode tree = Json.object();
    merge(tree, read(dir.resolve("common.json")));
    merge(tree, read(dir.resolve(env + ".json")));
    for (Map.Entry<String, List<Path>> fac : facilityFiles(dir.resolve("facs"), env).entrySet()) {
      ObjectNode facs = tree.withObjectProperty("facs");
      ObjectNode target = facs.has(fac.getKey()) && facs.get(fac.getKey()) instanceof ObjectNode o ? o : Json.object();
      for (Path file : fac.getValue()) {
        merge(target, read(file));
      }
      facs.set(fac.getKey(), target);
    }
    return Config.of(applyOverrides(tree, overrides));
  }

  /** Applies {@code key.path=value} overrides to a copy of {@code base}. */
  public static Config withOverrides(Config base, List<String> overrides) {
    return Config.of(applyOverrides(base.json(), overrides));
  }

  /** Deep-merges {@code source} into {@code target}: objects merge key by key, everything else replaces. */
  public static void merge(ObjectNode target, JsonNode source) {
    if (source == null || source.isMissingNode()) {
      return;
    }
    source.properties().forEach(e -> {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode so) {
        merge(eo, so);
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    });
  }

  private static ObjectNode applyOverrides(ObjectNode tree, List<String> overrides) {
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw ConfigException.invalid(override, "override must look like key.path=value");
      }
      String path = override.substring(0, eq).trim();
      String[] parts = path.split("\\.", -1);
      ObjectNode node = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        if (parts[i].isEmpty()) {
          throw ConfigException.invalid(path, "empty segment in override key");
        }
        JsonNode child = node.get(parts[i]);
        if (!(child instanceof ObjectNode)) {
          child = Json.object();
          node.set(parts[i], child);
        }
        node = (ObjectNode) child;
      }
      if (parts[parts.length - 1].isEmpty()) {
        throw ConfigException.invalid(path, "empty segment in override key");
      }
      node.set(parts[parts.length - 1], parseValue(override.substring(eq + 1)));
    }
    return tree;
  }

  private static JsonNode parseValue(String raw) {
    try {
      JsonNode parsed = Json.parse(raw);
      // A number that does not print back as typed ("1.50", "1e3", "-0") stays text, so a string key loses nothing.
      boolean lossy = parsed.isNumber() && !parsed.asText().equals(raw);
      return parsed.isMissingNode() || lossy ? TextNode.valueOf(raw) : parsed;
    } catch (IllegalArgumentException notJson) {
      return TextNode.valueOf(raw);
    }
  }

  private static Map<String, List<Path>> facilityFiles(Path facs, String env) {
    Map<String, List<Path>> byFac = new TreeMap<>();
    if (!Files.isDirectory(facs)) {
      return byFac;
    }
    List<String> names;
    try (var files = Files.list(facs)) {
      names = files.map(f -> f.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw ConfigException.invalid("facs", "cannot list " + facs + ": " + e.getMessage());
    }
    for (String name : names) {
      if (FAC_FILE.matcher(name).matches()) {
        byFac.computeIfAbsent(name.substring(0, name.length() - ".config.json".length()), k -> new ArrayList<>())
            .add(facs.resolve(name));
      }
    }
    String envPrefix = env + ".";
    for (String name : names) {
      if (name.startsWith(envPrefix) && FAC_FILE.matcher(name.substring(envPrefix.length())).matches()) {
        String fac = name.substring(envPrefix.length(), name.length() - ".config.json".length());
        byFac.computeIfAbsent(fac, k -> new ArrayList<>()).add(facs.resolve(name));
      }
    }
    return byFac;
  }

  private static JsonNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(file.toFile());
      if (node != null && !node.isObject()) {
        throw ConfigException.invalid(file.getFileName().toString(), "file must hold a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw ConfigException.invalid(file.getFileName().toString(), "malformed JSON in " + file + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
