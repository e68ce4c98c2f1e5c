package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.worker.net.spi.Topics;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The topic keys docs/PROTOCOL.md gives clients in other languages, as the workers derive them. */
class ProtocolVectorsTest {
  private static String key(String topic) {
    return HexFormat.of().formatHex(Topics.key(topic));
  }

  @Test
  void shouldDeriveTheDocumentedKeyWhenHashingEachTopic() {
    assertEquals("82f027aa365422a52171d05cd1651bff7b47bf039842d6b78bf71015affaf8f1", key("hyperinfer/gateway"));
    assertEquals("a751404bc1cb596c579104fa0e9d334230866c31f32e39a6dca72ac6968c45fb", key("hyperinfer/auth"));
    assertEquals("ceb2a1cd5698d6b6bced080eab2fc592e33bd0782770f8bab0f557a828280777", key("hyperinfer/processor"));
    assertEquals("42a883629a31eb065b3a2c33dc33d858026b9a05051d6efdfa44f0b69ab55344",
        key("hyperinfer/model/builtin-echo"));
  }
}
