package io.hyperinfer.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;

/** The byte vectors captured from the JS reference ({@code ../shared/protocol/vectors.json}). */
public final class Vectors {
  private static volatile JsonNode protocol;

  private Vectors() {}

  /** The whole protocol vector file as a JSON tree. */
  public static JsonNode protocol() {
    if (protocol == null) {
      protocol = read(ProjectPaths.shared().resolve("protocol/vectors.json"));
    }
    return protocol;
  }

  /** A hex string at a JSON pointer (e.g. {@code /keys/seed 01*32 publicKey}), as bytes. */
  public static byte[] hex(String pointer) {
    JsonNode node = protocol().at(pointer);
    if (node.isMissingNode()) {
      throw new IllegalArgumentException("no vector at " + pointer);
    }
    return HexFormat.of().parseHex(node.asText());
  }

  /** Any JSON file, as a tree. */
  public static JsonNode read(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read vectors " + file, e);
    }
  }
}
