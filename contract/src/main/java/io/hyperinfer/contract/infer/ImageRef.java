package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.Base64;

/**
 * An image in a user message: a {@code data:} URL (base64) or an http(s) URL, as OpenAI's {@code image_url} part
 * carries it, with OpenAI's detail hint ("auto", "low", "high") or null. Engines that take raw bytes (Ollama) accept
 * data URLs only; nothing in the network fetches remote URLs. JSON {@code {url, detail?}}.
 */
public record ImageRef(String url, String detail) {
  public static final int MAX_URL_CHARS = 8_000_000;

  public ImageRef {
    if (url == null || url.isBlank() || url.length() > MAX_URL_CHARS) {
      throw NetException.badRequest("an image needs a url of at most " + MAX_URL_CHARS + " characters");
    }
    if (!url.startsWith("data:") && !url.startsWith("https://") && !url.startsWith("http://")) {
      throw NetException.badRequest("an image url must be a data: URL or an http(s) URL");
    }
  }

  public boolean isData() {
    return url.startsWith("data:");
  }

  /** The base64 payload of a data URL; ERR_BAD_REQUEST when it is not base64 data. */
  public String base64() {
    int comma = url.indexOf(',');
    if (!isData() || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
      throw NetException.badRequest("the image is not a base64 data: URL");
    }
    String data = url.substring(comma + 1);
    try {
      Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw NetException.badRequest("the image data is not valid base64");
    }
    return data;
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("url", url);
    return detail == null ? o : o.put("detail", detail);
  }

  public static ImageRef fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "an image");
    return new ImageRef(Fields.text(o, "url", MAX_URL_CHARS), Fields.optionalText(o, "detail", 16));
  }
}
