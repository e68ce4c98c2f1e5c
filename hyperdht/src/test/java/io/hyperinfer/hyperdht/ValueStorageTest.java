package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.wire.MutableGetResponse;
import io.hyperinfer.hyperdht.wire.MutablePutRequest;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.testkit.Seeds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** persistent.js's mutable and immutable roles: seq rules, hash checks, silent drops and the 48 h lifetime. */
class ValueStorageTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final byte[] TOKEN = new byte[32];

  private final ManualClock clock = new ManualClock(START);
  private final DropCounter drops = new DropCounter();
  private final RecordStorage storage = new RecordStorage(new Router(100, Duration.ofMinutes(20), clock, drops),
      CacheOptions.defaults(), clock, Seeds.random("ValueStorageTest"), drops);
  private final KeyPair kp = HyperDhtCrypto.keyPair();
  private final byte[] target = HyperDhtCrypto.hash(kp.publicKey());

  private static ReceivedRequest req(Command c, byte[] target, byte[] token, byte[] value) {
    return new ReceivedRequest(c.id(), target, token, token != null, value, RecordStorageTest.FROM);
  }

  private byte[] put(long seq, String value) {
    byte[] v = value.getBytes();
    return Compact.encode(MutablePutRequest.CODEC,
        new MutablePutRequest(kp.publicKey(), seq, v, Signatures.signMutable(seq, v, kp)));
  }

  private Outcome mutablePut(long seq, String value) {
    return storage.onMutablePut(req(Command.MUTABLE_PUT, target, TOKEN, put(seq, value)));
  }

  private MutableGetResponse mutableGet(long seq) {
    Outcome.Reply r = assertInstanceOf(Outcome.Reply.class,
        storage.onMutableGet(req(Command.MUTABLE_GET, target, null, Compact.encode(Compact.UINT, seq))));
    assertTrue(r.withToken());
    assertTrue(r.withCloserNodes());
    return r.value() == null ? null : MutableGetResponse.CODEC.decode(Buf.wrap(r.value()));
  }

  @Test
  void shouldStoreAndServeTheHighestSeqWhenPutsAreSigned() {
    Outcome.Reply ok = assertInstanceOf(Outcome.Reply.class, mutablePut(1, "one"));
    assertTrue(ok.withToken(), "a mutable put is acknowledged with a token and closer nodes");
    assertTrue(ok.withCloserNodes());
    assertArrayEquals("one".getBytes(), mutableGet(0).value());
    assertArrayEquals("one".getBytes(), mutableGet(1).value());
    assertNull(mutableGet(2), "a newer seq was asked for");
    assertInstanceOf(Outcome.Reply.class, mutablePut(1, "one"), "the same seq with the same value is fine");
    assertInstanceOf(Outcome.Reply.class, mutablePut(5, "five"));
    MutableGetResponse got = mutableGet(5);
    assertEquals(5, got.seq());
    assertTrue(Signatures.verifyMutable(got.signature(), got.seq(), got.value(), kp.publicKey()));
  }

  @Test
  void shouldAnswerSeqErrorsWhenAPutWouldGoBackOrReuseASeq() {
    mutablePut(3, "three");
    assertEquals(new Outcome.ErrorReply(PeerError.SEQ_REUSED, false, true), mutablePut(3, "other"));
    assertEquals(new Outcome.ErrorReply(PeerError.SEQ_TOO_LOW, false, true), mutablePut(2, "two"));
    assertArrayEquals("three".getBytes(), mutableGet(0).value());
  }

  @Test
  void shouldDropMutablePutsSilentlyWhenKeyTokenOrSignatureIsWrong() {
    byte[] good = put(1, "x");
    assertEquals(new Outcome.Drop(DropReason.MISSING_TOKEN),
        storage.onMutablePut(req(Command.MUTABLE_PUT, target, null, good)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_TARGET),
        storage.onMutablePut(req(Command.MUTABLE_PUT, null, TOKEN, good)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        storage.onMutablePut(req(Command.MUTABLE_PUT, target, TOKEN, null)));
    assertEquals(new Outcome.Drop(DropReason.MALFORMED_VALUE),
        storage.onMutablePut(req(Command.MUTABLE_PUT, target, TOKEN, new byte[40])));
    assertEquals(new Outcome.Drop(DropReason.TARGET_MISMATCH),
        storage.onMutablePut(req(Command.MUTABLE_PUT, HyperDhtCrypto.hash(new byte[1]), TOKEN, good)));
    byte[] forged = good.clone();
    forged[forged.length - 1] ^= 1;
    assertEquals(new Outcome.Drop(DropReason.BAD_SIGNATURE),
        storage.onMutablePut(req(Command.MUTABLE_PUT, target, TOKEN, forged)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        storage.onMutableGet(req(Command.MUTABLE_GET, target, null, null)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_TARGET),
        storage.onMutableGet(req(Command.MUTABLE_GET, null, null, new byte[] {0})));
    assertEquals(new Outcome.Drop(DropReason.MALFORMED_VALUE),
        storage.onMutableGet(req(Command.MUTABLE_GET, target, null, new byte[0])));
    assertNull(mutableGet(0));
  }

  @Test
  void shouldKeepValuesBetweenThirtyTwoAndSixtyFourHours() {
    mutablePut(1, "v");
    byte[] value = "hello".getBytes();
    byte[] hash = HyperDhtCrypto.hash(value);
    storage.onImmutablePut(req(Command.IMMUTABLE_PUT, hash, TOKEN, value));
    clock.set(START.plus(Duration.ofHours(64)).minusMillis(1));
    assertArrayEquals(value, immutableGet(hash), "there 64 h minus 1 ms after the put; reading refreshes it");
    clock.set(START.plus(Duration.ofHours(64)));
    assertNull(mutableGet(0), "the unread mutable value is gone at 64 h");
    assertArrayEquals(value, immutableGet(hash));
    clock.set(START.plus(Duration.ofHours(128)));
    assertNull(immutableGet(hash), "the second tick (32 h apart) after the last read, at 64 h");
  }

  private byte[] immutableGet(byte[] hash) {
    Outcome.Reply r = assertInstanceOf(Outcome.Reply.class,
        storage.onImmutableGet(req(Command.IMMUTABLE_GET, hash, null, null)));
    assertTrue(r.withToken());
    return r.value();
  }

  @Test
  void shouldStoreImmutableValuesUnderTheirOwnHashOnly() {
    byte[] value = "hello".getBytes();
    byte[] hash = HyperDhtCrypto.hash(value);
    assertEquals(new Outcome.Drop(DropReason.TARGET_MISMATCH),
        storage.onImmutablePut(req(Command.IMMUTABLE_PUT, target, TOKEN, value)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_TOKEN),
        storage.onImmutablePut(req(Command.IMMUTABLE_PUT, hash, null, value)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        storage.onImmutablePut(req(Command.IMMUTABLE_PUT, hash, TOKEN, null)));
    assertNull(immutableGet(hash));
    Outcome.Reply ok = assertInstanceOf(Outcome.Reply.class,
        storage.onImmutablePut(req(Command.IMMUTABLE_PUT, hash, TOKEN, value)));
    assertTrue(ok.withToken());
    assertArrayEquals(value, immutableGet(hash));
    byte[] empty = new byte[0];
    storage.onImmutablePut(req(Command.IMMUTABLE_PUT, HyperDhtCrypto.hash(empty), TOKEN, empty));
    assertArrayEquals(empty, immutableGet(HyperDhtCrypto.hash(empty)), "an empty value is a value");
    assertEquals(new Outcome.Drop(DropReason.MISSING_TARGET),
        storage.onImmutableGet(req(Command.IMMUTABLE_GET, null, null, null)));
  }
}
