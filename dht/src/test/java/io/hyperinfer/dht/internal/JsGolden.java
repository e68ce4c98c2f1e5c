package io.hyperinfer.dht.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Behaviour of the pinned JS helpers recorded by {@code src/test/js/golden.js}. */
final class JsGolden {
  private static JsonNode root;

  private JsGolden() {}

  static synchronized JsonNode get(String name) {
    if (root == null) {
      try (InputStream in = JsGolden.class.getResourceAsStream("/golden/dht-rpc.json")) {
        root = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root.get(name);
  }
}
