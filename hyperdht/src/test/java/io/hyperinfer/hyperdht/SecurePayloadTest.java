package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.testkit.Vectors;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SecurePayloadTest {
  private static final byte[] SECRET = Vectors.hex("/secretbox/key");

  @Test
  void shouldMatchTheJsWireFormWhenTheNonceIsFixed() {
    SecurePayload box = new SecurePayload(SECRET, b -> Arrays.fill(b, (byte) 9));
    HolepunchPayload probe = new HolepunchPayload(0, Firewall.OPEN, 0, false, false, null, null, null, null);
    assertArrayEquals(Vectors.hex("/secretbox/wire = nonce||box"), box.encrypt(probe));
    HolepunchPayload back = box.decrypt(Vectors.hex("/secretbox/wire = nonce||box")).orElseThrow();
    assertEquals(Firewall.OPEN, back.firewall());
  }

  @Test
  void shouldOpenWhatThePeerSealedWhenBothHoldTheSecret() {
    SecurePayload a = new SecurePayload(SECRET);
    SecurePayload b = new SecurePayload(SECRET);
    HolepunchPayload p = new HolepunchPayload(0, Firewall.CONSISTENT, 3, false, true,
        List.of(new HostPort("1.2.3.4", 5)), new HostPort("5.6.7.8", 9), a.token("5.6.7.8"), new byte[32]);
    byte[] sealed = a.encrypt(p);
    assertFalse(Arrays.equals(sealed, a.encrypt(p)), "a fresh nonce each time");
    HolepunchPayload got = b.decrypt(sealed).orElseThrow();
    assertEquals(3, got.round());
    assertArrayEquals(a.token("5.6.7.8"), got.token());
    assertFalse(Arrays.equals(a.token("5.6.7.8"), b.token("5.6.7.8")), "tokens are keyed by a local secret");
    assertFalse(Arrays.equals(a.token("5.6.7.8"), a.token("5.6.7.9")));
  }

  @Test
  void shouldReturnEmptyWhenTheBoxIsShortForgedOrUndecodable() {
    SecurePayload box = new SecurePayload(SECRET);
    assertTrue(box.decrypt(new byte[40]).isEmpty(), "40 bytes hold no plaintext");
    byte[] sealed = box.encrypt(new HolepunchPayload(0, 0, 0, false, false, null, null, null, null));
    sealed[30] ^= 1;
    assertTrue(box.decrypt(sealed).isEmpty());
    byte[] other = new byte[32];
    assertTrue(new SecurePayload(other).decrypt(box.encrypt(new HolepunchPayload(0, 0, 0, false, false, null, null,
        null, null))).isEmpty());
    // A box that authenticates but holds a truncated payload (flags say a token follows).
    SecurePayload fixed = new SecurePayload(SECRET, b -> Arrays.fill(b, (byte) 1));
    byte[] wire = fixed.encrypt(new HolepunchPayload(0, 0, 0, false, false, null, null, new byte[32], null));
    byte[] plain = io.hyperinfer.crypto.SecretBox.openEasy(Arrays.copyOfRange(wire, 24, wire.length),
        Arrays.copyOf(wire, 24), SECRET);
    byte[] cut = io.hyperinfer.crypto.SecretBox.easy(Arrays.copyOf(plain, 10), Arrays.copyOf(wire, 24), SECRET);
    byte[] cutWire = new byte[24 + cut.length];
    System.arraycopy(wire, 0, cutWire, 0, 24);
    System.arraycopy(cut, 0, cutWire, 24, cut.length);
    assertTrue(fixed.decrypt(cutWire).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new SecurePayload(new byte[31]));
  }

  @Tag("fuzz")
  @Test
  void shouldNeverThrowWhenFuzzed() {
    SplittableRandom random = Seeds.random("SecurePayloadTest.fuzz");
    SecurePayload box = new SecurePayload(SECRET);
    byte[] valid = box.encrypt(new HolepunchPayload(0, 2, 1, true, false, List.of(), null, null, null));
    int iterations = Seeds.fuzzIterations() / 10;
    for (int i = 0; i < iterations; i++) {
      byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(90)) : valid.clone();
      if (i % 2 == 1) {
        input[random.nextInt(input.length)] ^= (byte) (1 + random.nextInt(255));
      }
      assertTrue(box.decrypt(input).isEmpty() || i % 2 == 0);
    }
  }
}
