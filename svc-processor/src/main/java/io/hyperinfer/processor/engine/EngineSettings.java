package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Settings of a server-backed engine, read from a {@code processor.engine} (or {@code processor.embedding}) section.
 *
 * @param baseUrl server root, e.g. http://127.0.0.1:11434
 * @param models models to serve; empty means "whatever the server lists"
 * @param connectTimeout TCP connect limit (default 2 s)
 * @param requestTimeout limit until response headers arrive (default 60 s)
 * @param idleTimeout longest silence between streamed lines (default 30 s)
 * @param apiKey bearer token for OpenAI-compatible servers; empty for none. Never logged.
 * @param api for Ollama: "chat" (/api/chat, default) or "generate" (/api/generate)
 * @param features what the served models can do (generation features by default, embeddings for embedding engines)
 */
public record EngineSettings(URI baseUrl, List<String> models, Duration connectTimeout, Duration requestTimeout,
    Duration idleTimeout, String apiKey, String api, Set<Feature> features) {
  /** The environment variable an OpenAI-compatible engine's key is read from unless the config names another. */
  public static final String DEFAULT_KEY_ENV = "OPENAI_API_KEY";

  public EngineSettings {
    models = List.copyOf(models);
    features = Set.copyOf(features);
    String s = baseUrl.toString();
    if (s.endsWith("/")) {
      baseUrl = URI.create(s.substring(0, s.length() - 1));
    }
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("engine baseUrl must be http(s): " + baseUrl);
    }
  }

  public EngineSettings(URI baseUrl, List<String> models, Duration connectTimeout, Duration requestTimeout,
      Duration idleTimeout, String apiKey, String api) {
    this(baseUrl, models, connectTimeout, requestTimeout, idleTimeout, apiKey, api, Feature.generation());
  }

  public static EngineSettings of(String baseUrl) {
    return new EngineSettings(URI.create(baseUrl), List.of(), Duration.ofSeconds(2), Duration.ofSeconds(60),
        Duration.ofSeconds(30), "", "chat");
  }

  public EngineSettings withFeatures(Set<Feature> other) {
    return new EngineSettings(baseUrl, models, connectTimeout, requestTimeout, idleTimeout, apiKey, api, other);
  }

  /**
   * Reads {@code baseUrl}, {@code models}, {@code connectTimeout}, {@code requestTimeout}, {@code idleTimeout}, {@code
   * api} from {@code section}, and the API key from {@code apiKey} or else from the environment variable named by
   * {@code apiKeyEnv} (default {@value #DEFAULT_KEY_ENV}, looked up through {@code env}).
   */
  public static EngineSettings from(JsonNode section, String defaultBaseUrl, UnaryOperator<String> env) {
    List<String> models = new ArrayList<>();
    section.path("models").forEach(m -> models.add(m.asText()));
    String key = section.path("apiKey").asText("");
    if (key.isEmpty()) {
      String fromEnv = env.apply(section.path("apiKeyEnv").asText(DEFAULT_KEY_ENV));
      key = fromEnv == null ? "" : fromEnv.trim();
    }
    return new EngineSettings(URI.create(section.path("baseUrl").asText(defaultBaseUrl)), models,
        EngineJson.duration(section, "connectTimeout", Duration.ofSeconds(2)),
        EngineJson.duration(section, "requestTimeout", Duration.ofSeconds(60)),
        EngineJson.duration(section, "idleTimeout", Duration.ofSeconds(30)),
        key, section.path("api").asText("chat"), Feature.generation());
  }

  URI resolve(String path) {
    return URI.create(baseUrl + path);
  }

  @Override
  public String toString() {
    return "EngineSettings[baseUrl=" + baseUrl + ", models=" + models + ", apiKey=" + (apiKey.isEmpty() ? "none"
        : "set") + ", api=" + api + "]";
  }
}
