package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Bytes32Test {
  @Test
  void shouldCompareByValueAndCopyInAndOut() {
    byte[] raw = new byte[32];
    raw[0] = 7;
    Bytes32 a = Bytes32.of(raw);
    raw[0] = 8;
    assertEquals(7, a.toByteArray()[0], "copied in");
    a.toByteArray()[1] = 9;
    assertEquals(0, a.toByteArray()[1], "copied out");
    Bytes32 b = Bytes32.fromHex(a.toString());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Bytes32.of(new byte[32]));
    assertNotEquals(a, "x");
    assertTrue(a.equalsBytes(b.toByteArray()));
    assertEquals("07" + "00".repeat(31), a.toString());
    assertArrayEquals(b.toByteArray(), a.toByteArray());
    assertThrows(IllegalArgumentException.class, () -> Bytes32.of(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Bytes32.of(null));
  }
}
