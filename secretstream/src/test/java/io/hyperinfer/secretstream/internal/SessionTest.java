package io.hyperinfer.secretstream.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.secretstream.SecretStreamException.Code;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.testkit.Vectors;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sans-I/O core driven through in-memory byte queues. */
class SessionTest {
  /** Collects a session's effects. */
  static final class Recorder implements Session.Output {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final List<byte[]> messages = new ArrayList<>();
    HandshakeResult opened;

    @Override public void write(byte[] bytes) { written.writeBytes(bytes); }
    @Override public void opened(HandshakeResult result) { opened = result; }
    @Override public void message(byte[] plaintext) { messages.add(plaintext); }

    byte[] drain() {
      byte[] out = written.toByteArray();
      written.reset();
      return out;
    }
  }

  static HandshakeResult vectorResult(boolean initiator) {
    String role = initiator ? "initiator" : "responder";
    return new HandshakeResult(Vectors.hex("/noiseIK/" + role + "Tx"), Vectors.hex("/noiseIK/" + role + "Rx"),
        Vectors.hex("/noiseIK/handshakeHash64"), new byte[32], new byte[32]);
  }

  @Test
  void shouldWriteJsStreamIdInHeaderWhenStartedFromIkVector() {
    Recorder out = new Recorder();
    Session.established(true, vectorResult(true), false).start(out);
    byte[] header = out.drain();
    assertEquals(59, header.length);
    assertArrayEquals(new byte[] {56, 0, 0}, Arrays.copyOf(header, 3));
    assertArrayEquals(Vectors.hex("/noiseIK/streamId initiator = BLAKE2b256(key=hash, NS_INITIATOR)"),
        Arrays.copyOfRange(header, 3, 35));
    Recorder responder = new Recorder();
    Session.established(false, vectorResult(false), false).start(responder);
    assertArrayEquals(Vectors.hex("/noiseIK/streamId responder"), Arrays.copyOfRange(responder.drain(), 3, 35));
    assertNotNull(out.opened);
  }

  @Test
  void shouldDeliverMessagesWhenBytesArriveInRandomChunks() {
    SplittableRandom random = Seeds.random("SessionTest.chunks");
    Session a = Session.handshake(true, Ed25519.generate(), true);
    Session b = Session.handshake(false, Ed25519.generate(), true);
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    a.start(ra);
    b.start(rb);
    for (int i = 0; i < 4; i++) {
      feedChunked(b, ra.drain(), rb, random);
      feedChunked(a, rb.drain(), ra, random);
    }
    assertNotNull(ra.opened);
    assertNotNull(rb.opened);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] m = Seeds.bytes(random, random.nextInt(1, 2000)); // never empty: the session filters empty messages
      sent.add(m);
      wire.writeBytes(a.seal(m));
    }
    wire.writeBytes(a.seal(new byte[0]));
    feedChunked(b, wire.toByteArray(), rb, random);
    assertEquals(sent.size(), rb.messages.size());
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), rb.messages.get(i));
    }
    assertArrayEquals(ra.opened.handshakeHash(), b.result().handshakeHash());
    assertNotNull(a.unordered());
  }

  @Test
  void shouldDeliverEmptyMessageWhenNotFiltering() {
    Session[] pair = establishedPair(false);
    Recorder rb = new Recorder();
    byte[] frame = pair[0].seal(new byte[0]);
    assertEquals(20, frame.length);
    pair[1].receive(frame, 0, frame.length, rb);
    assertEquals(1, rb.messages.size());
  }

  @Test
  void shouldRejectHeaderWhenLengthOrIdIsWrong() {
    Session b = Session.established(false, vectorResult(false), false);
    b.start(new Recorder());
    byte[] shortHeader = FrameDecoderTest.frame(new byte[55]);
    assertEquals(Code.INVALID_HEADER, assertThrows(SecretStreamException.class,
        () -> b.receive(shortHeader, 0, shortHeader.length, new Recorder())).code());
    Session c = Session.established(false, vectorResult(false), false);
    byte[] wrongId = FrameDecoderTest.frame(new byte[56]);
    assertEquals(Code.INVALID_HEADER, assertThrows(SecretStreamException.class,
        () -> c.receive(wrongId, 0, wrongId.length, new Recorder())).code());
  }

  @Test
  void shouldRejectDataFrameWhenShortOrTampered() {
    Session[] pair = establishedPair(true);
    byte[] frame = pair[0].seal(new byte[] {1, 2, 3});
    frame[5] ^= 1;
    assertEquals(Code.INVALID_MESSAGE, assertThrows(SecretStreamException.class,
        () -> pair[1].receive(frame, 0, frame.length, new Recorder())).code());
    Session[] other = establishedPair(true);
    byte[] tiny = FrameDecoderTest.frame(new byte[16]);
    assertEquals(Code.INVALID_MESSAGE, assertThrows(SecretStreamException.class,
        () -> other[1].receive(tiny, 0, tiny.length, new Recorder())).code());
  }

  @Test
  void shouldFailHandshakeWhenPeerSendsGarbage() {
    Session b = Session.handshake(false, Ed25519.generate(), false);
    byte[] garbage = FrameDecoderTest.frame(new byte[10]);
    assertEquals(Code.HANDSHAKE_FAILED, assertThrows(SecretStreamException.class,
        () -> b.receive(garbage, 0, garbage.length, new Recorder())).code());
  }

  @Test
  void shouldFailHandshakeBeforeBufferingWhenPeerAnnouncesOversizedFrame() {
    Session b = Session.handshake(false, Ed25519.generate(), false, 128);
    byte[] prefix = {(byte) 0xff, (byte) 0xff, (byte) 0xff}; // 16 MiB announced, nothing of it sent
    SecretStreamException e = assertThrows(SecretStreamException.class,
        () -> b.receive(prefix, 0, prefix.length, new Recorder()));
    assertEquals(Code.HANDSHAKE_FAILED, e.code());
    assertTrue(e.getMessage().contains("limit of 128"), e.getMessage());
    Session c = Session.handshake(false, Ed25519.generate(), false);
    byte[] justOver = {(byte) 0x01, (byte) 0x10, 0}; // 4097
    assertEquals(Code.HANDSHAKE_FAILED, assertThrows(SecretStreamException.class,
        () -> c.receive(justOver, 0, justOver.length, new Recorder())).code());
  }

  @Test
  void shouldRejectHeaderBeforeBufferingWhenPeerAnnouncesLongHeaderFrame() {
    Session b = Session.established(false, vectorResult(false), false);
    b.start(new Recorder());
    byte[] prefix = {57, 0, 0};
    assertEquals(Code.INVALID_HEADER, assertThrows(SecretStreamException.class,
        () -> b.receive(prefix, 0, prefix.length, new Recorder())).code());
  }

  @Test
  void shouldAcceptFullSizeDataFramesWhenOpen() {
    Session[] pair = establishedPair(false);
    byte[] big = pair[0].seal(new byte[70_000]);
    Recorder rb = new Recorder();
    pair[1].receive(big, 0, big.length, rb);
    assertEquals(70_000, rb.messages.getFirst().length);
  }

  @Test
  void shouldRejectSealWhenMessageExceedsFrame() {
    Session[] pair = establishedPair(false);
    assertEquals(Code.MESSAGE_TOO_LARGE, assertThrows(SecretStreamException.class,
        () -> pair[0].seal(new byte[Session.MAX_MESSAGE + 1])).code());
  }

  @Tag("fuzz")
  @Test
  void shouldThrowOnlyStreamExceptionWhenFuzzed() {
    SplittableRandom random = Seeds.random("SessionTest.fuzz");
    KeyPair keys = Ed25519.generate();
    Session[] pair = establishedPair(false);
    Recorder header = new Recorder();
    Session.established(true, pair[0].result(), false).start(header);
    ByteArrayOutputStream valid = new ByteArrayOutputStream();
    valid.writeBytes(header.drain());
    valid.writeBytes(pair[0].seal(new byte[] {1, 2, 3}));
    byte[] validBytes = valid.toByteArray();
    int failures = 0;
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      Session target = i % 4 == 0 ? Session.handshake(false, keys, false)
          : Session.established(false, pair[1].result(), false);
      byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(120)) : mutate(validBytes, random);
      try {
        target.receive(input, 0, input.length, new Recorder());
      } catch (SecretStreamException expected) {
        failures++;
      }
    }
    assertTrue(failures > 0);
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] out = valid.clone();
    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    return random.nextBoolean() ? out : Arrays.copyOf(out, random.nextInt(out.length));
  }

  private static Session[] establishedPair(boolean filterEmpty) {
    Session a = Session.handshake(true, Ed25519.generate(), filterEmpty);
    Session b = Session.handshake(false, Ed25519.generate(), filterEmpty);
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    a.start(ra);
    for (int i = 0; i < 4; i++) {
      byte[] toB = ra.drain();
      b.receive(toB, 0, toB.length, rb);
      byte[] toA = rb.drain();
      a.receive(toA, 0, toA.length, ra);
    }
    assertNull(null);
    return new Session[] {a, b};
  }

  private static void feedChunked(Session s, byte[] bytes, Recorder out, SplittableRandom random) {
    for (int offset = 0; offset < bytes.length; ) {
      int n = Math.min(bytes.length - offset, 1 + random.nextInt(64));
      s.receive(bytes, offset, n, out);
      offset += n;
    }
  }
}
