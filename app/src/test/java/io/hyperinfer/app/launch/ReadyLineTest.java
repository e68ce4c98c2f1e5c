package io.hyperinfer.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReadyLineTest {
  private static final String KEY = "ab".repeat(32);

  @Test
  void shouldParseWhatItFormatsWhenTheOpsEndpointIsOnAndOff() {
    ReadyLine with = new ReadyLine("processor", "2", KEY, OptionalInt.of(9101), Path.of("/srv/data/workers/p 2"));
    ReadyLine without = new ReadyLine("auth", "1", KEY, OptionalInt.empty(), Path.of("/srv/auth"));
    assertEquals("processor/2 ready: public key " + KEY + ", ops http://127.0.0.1:9101, store /srv/data/workers/p 2",
        with.format());
    assertEquals(Optional.of(with), ReadyLine.parse(with.format()));
    assertEquals(Optional.of(without), ReadyLine.parse(without.format()));
    assertEquals("auth/1", without.label());
    assertEquals(32, without.publicKeyBytes().length);
  }

  @Test
  void shouldRejectOtherLinesWhenParsing() {
    assertTrue(ReadyLine.parse("listening on 127.0.0.1:4000").isEmpty());
    assertTrue(ReadyLine.parse("auth/1 ready: public key " + KEY.substring(2) + ", store /x").isEmpty());
    assertTrue(ReadyLine.parse("Auth/1 ready: public key " + KEY + ", store /x").isEmpty());
  }

  @Test
  void shouldRefuseAKeyThatIsNotHexWhenConstructed() {
    assertThrows(IllegalArgumentException.class,
        () -> new ReadyLine("auth", "1", "XY".repeat(32), OptionalInt.empty(), Path.of("/x")));
  }
}
