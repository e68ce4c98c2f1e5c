package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a server-backed engine, read from the {@code processor.engine} config section.
 *
 * @param baseUrl server root, e.g. http://127.0.0.1:11434
 * @param models models to serve; empty means "whatever the server lists"
 * @param connectTimeout TCP connect limit (default 2 s)
 * @param requestTimeout limit until response headers arrive (default 60 s)
 * @param idleTimeout longest silence between streamed lines (default 30 s)
 * @param apiKey bearer token for OpenAI-compatible servers; empty for none
 * @param api for Ollama: "chat" (/api/chat, default) or "generate" (/api/generate)
 */
public record EngineSettings(URI baseUrl, List<String> models, Duration connectTimeout, Duration requestTimeout,
    Duration idleTimeout, String apiKey, String api) {

  public EngineSettings {
    models = List.copyOf(models);
    String s = baseUrl.toString();
    if (s.endsWith("/")) {
      baseUrl = URI.create(s.substring(0, s.length() - 1));
    }
  }

  public static EngineSettings of(String baseUrl) {
    return new EngineSettings(URI.create(baseUrl), List.of(), Duration.ofSeconds(2), Duration.ofSeconds(60),
        Duration.ofSeconds(30), "", "chat");
  }

  /** Reads {@code baseUrl}, {@code models}, {@code connectTimeout}, {@code requestTimeout}, {@code idleTimeout},
   * {@code apiKey}, {@code api} from {@code section}. */
  public static EngineSettings from(JsonNode section, String defaultBaseUrl) {
    List<String> models = new ArrayList<>();
    section.path("models").forEach(m -> models.add(m.asText()));
    return new EngineSettings(URI.create(section.path("baseUrl").asText(defaultBaseUrl)), models,
        EngineJson.duration(section, "connectTimeout", Duration.ofSeconds(2)),
        EngineJson.duration(section, "requestTimeout", Duration.ofSeconds(60)),
        EngineJson.duration(section, "idleTimeout", Duration.ofSeconds(30)),
        section.path("apiKey").asText(""), section.path("api").asText("chat"));
  }

  URI resolve(String path) {
    return URI.create(baseUrl + path);
  }
}
