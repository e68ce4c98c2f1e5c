package io.hyperinfer.protomux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.Compact;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProtomuxTest {
  private static final byte[] ID = HexFormat.of().parseHex("8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c");

  private final MemoryPipe pipe = new MemoryPipe();
  private final RecordingListener aEvents = new RecordingListener();
  private final RecordingListener bEvents = new RecordingListener();
  private final List<String> aReceived = new ArrayList<>();
  private final List<String> bReceived = new ArrayList<>();

  private Message<String> textMessage(Channel channel, List<String> sink) {
    return channel.addMessage(Compact.STRING, (value, ch) -> sink.add(value));
  }

  @Test
  void shouldOpenBothSidesWhenBothSendOpen() {
    Channel a = pipe.a.mux.createChannel("test", ID, aEvents);
    Channel b = pipe.b.mux.createChannel("test", ID, bEvents);
    a.open("hi-a".getBytes(StandardCharsets.UTF_8));
    b.open(null);
    pipe.flush();
    assertTrue(a.isOpened());
    assertTrue(b.isOpened());
    assertArrayEquals(new byte[0], aEvents.opens.getFirst());
    assertArrayEquals("hi-a".getBytes(StandardCharsets.UTF_8), bEvents.opens.getFirst());
    assertArrayEquals("hi-a".getBytes(StandardCharsets.UTF_8), b.remoteHandshake());
    assertTrue(pipe.a.mux.opened("test", ID));
  }

  @Test
  void shouldExchangeMessagesWhenOpened() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    Message<String> aText = textMessage(a, aReceived);
    Message<String> bText = textMessage(b, bReceived);
    a.open(null);
    b.open(null);
    pipe.flush();
    assertTrue(aText.send("ping"));
    assertTrue(bText.send("pong"));
    pipe.flush();
    assertEquals(List.of("ping"), bReceived);
    assertEquals(List.of("pong"), aReceived);
    assertEquals(0, aText.type());
  }

  @Test
  void shouldWriteJsOpenBytesWhenOpeningRpcChannel() {
    Channel a = pipe.a.mux.createChannel("protomux-rpc", ID, aEvents);
    a.open(null);
    assertEquals("0001010c70726f746f6d75782d727063208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c",
        HexFormat.of().formatHex(pipe.a.sent.getFirst()));
    a.close();
    assertEquals("000301", HexFormat.of().formatHex(pipe.a.sent.get(1)));
  }

  @Test
  void shouldRejectAndCloseWhenNobodyPairs() {
    Channel a = pipe.a.mux.createChannel("nobody", null, aEvents);
    a.open(null);
    pipe.flush();
    assertEquals("000201", HexFormat.of().formatHex(pipe.b.sent.getFirst()));
    assertTrue(a.isClosed());
    assertEquals(List.of(true), aEvents.closes);
    assertEquals(Channel.CloseCause.REJECTED, a.closeCause());
    assertTrue(pipe.a.mux.isIdle());
    Channel again = pipe.a.mux.createChannel("nobody", null, aEvents);
    again.open(null);
    assertEquals("00010106", HexFormat.of().formatHex(pipe.a.sent.getLast()).substring(0, 8));
  }

  @Test
  void shouldBufferEarlyMessagesWhenLocalOpensLater() {
    List<Channel> created = new ArrayList<>();
    pipe.b.mux.pair("test", null, (mux, protocol, id) -> {
      Channel b = mux.createChannel(protocol, id, bEvents);
      textMessage(b, bReceived);
      created.add(b);
    });
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Message<String> aText = textMessage(a, aReceived);
    a.open(null);
    aText.send("one");
    aText.send("two");
    pipe.flush();
    assertTrue(bReceived.isEmpty());
    assertFalse(a.isOpened());
    created.getFirst().open(null);
    assertEquals(List.of("one", "two"), bReceived);
    pipe.flush();
    assertTrue(a.isOpened());
  }

  @Test
  void shouldPauseReadingWhenTooMuchIsBuffered() {
    List<Channel> created = new ArrayList<>();
    pipe.b.mux.pair("test", null, (mux, protocol, id) -> created.add(mux.createChannel(protocol, id, bEvents)));
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Message<byte[]> raw = a.addMessage(Compact.RAW, null);
    a.open(null);
    for (int i = 0; i < 40; i++) {
      raw.send(new byte[1024]);
    }
    pipe.flush();
    assertEquals(List.of(true), pipe.b.pauses);
    created.getFirst().open(null);
    assertEquals(List.of(true, false), pipe.b.pauses);
  }

  @Test
  void shouldReleaseBufferWhenPairedChannelClosesUnopened() {
    List<Channel> created = new ArrayList<>();
    pipe.b.mux.pair("test", null, (mux, protocol, id) -> created.add(mux.createChannel(protocol, id, bEvents)));
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Message<byte[]> raw = a.addMessage(Compact.RAW, null);
    a.open(null);
    for (int i = 0; i < 40; i++) {
      raw.send(new byte[1024]);
    }
    pipe.flush();
    created.getFirst().close();
    assertEquals(List.of(true, false), pipe.b.pauses);
    assertEquals(List.of(false), bEvents.closes);
  }

  @Test
  void shouldSendOneBatchWhenCorked() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    Message<String> aText = textMessage(a, aReceived);
    textMessage(b, bReceived);
    a.open(null);
    b.open(null);
    pipe.flush();
    int before = pipe.a.sent.size();
    a.cork();
    aText.send("x");
    aText.send("y");
    a.close();
    a.uncork();
    assertEquals(before + 1, pipe.a.sent.size());
    assertEquals("00000103000178030001790000020301", HexFormat.of().formatHex(pipe.a.sent.getLast()));
    pipe.flush();
    assertEquals(List.of("x", "y"), bReceived);
    assertEquals(List.of(true), bEvents.closes);
  }

  @Test
  void shouldKeepBatchesUnderLimitWhenLargeMessagesAreCorked() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    Message<byte[]> aBytes = a.addMessage(Compact.BUFFER, (value, ch) -> {});
    List<Integer> sizes = new ArrayList<>();
    b.addMessage(Compact.BUFFER, (value, ch) -> sizes.add(value.length));
    a.open(null);
    b.open(null);
    pipe.flush();
    int before = pipe.a.sent.size();
    int big = 6 * 1024 * 1024;
    int huge = Protomux.MAX_BATCH + 1;
    a.cork();
    aBytes.send(new byte[10]);
    aBytes.send(new byte[big]);
    aBytes.send(new byte[big]);
    aBytes.send(new byte[huge]);
    aBytes.send(new byte[20]);
    a.uncork();
    List<byte[]> frames = pipe.a.sent.subList(before, pipe.a.sent.size());
    assertTrue(frames.stream().allMatch(f -> f.length <= Protomux.MAX_BATCH + 16),
        frames.stream().map(f -> f.length).toList().toString());
    assertEquals(4, frames.size());
    assertEquals(1, frames.get(2)[0], "the huge message leaves alone, as a plain channel message");
    pipe.flush();
    assertEquals(List.of(10, big, big, huge, 20), sizes);
  }

  @Test
  void shouldReplyWithBatchWhenBatchArrives() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    Message<String> aText = textMessage(a, aReceived);
    AtomicReference<Message<String>> bText = new AtomicReference<>();
    bText.set(b.addMessage(Compact.STRING, (value, ch) -> bText.get().send(value + "!")));
    a.open(null);
    b.open(null);
    pipe.flush();
    int before = pipe.b.sent.size();
    a.cork();
    aText.send("p");
    aText.send("q");
    a.uncork();
    pipe.flush();
    assertEquals(before + 1, pipe.b.sent.size());
    assertEquals(List.of("p!", "q!"), aReceived);
  }

  @Test
  void shouldCloseRemoteWhenPeerCloses() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    a.open(null);
    b.open(null);
    pipe.flush();
    a.close();
    a.close();
    pipe.flush();
    assertEquals(List.of(false), aEvents.closes);
    assertEquals(List.of(true), bEvents.closes);
    assertEquals(Channel.CloseCause.LOCAL, a.closeCause());
    assertEquals(Channel.CloseCause.REMOTE_CLOSED, b.closeCause());
    assertTrue(pipe.a.mux.isIdle());
    assertTrue(pipe.b.mux.isIdle());
    assertFalse(aTextSend(a));
  }

  private boolean aTextSend(Channel closed) {
    return textMessage(closed, aReceived).send("late");
  }

  @Test
  void shouldRefuseSecondChannelWhenUnique() {
    Channel a = pipe.a.mux.createChannel("test", ID, aEvents);
    a.open(null);
    assertNull(pipe.a.mux.createChannel("test", ID, aEvents));
    assertNotNull(pipe.a.mux.createChannel("test", ID, false, aEvents));
    assertThrows(ProtomuxException.class, () -> a.open(null));
  }

  @Test
  void shouldSignalBackpressureWhenTransportIsFull() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Message<String> text = textMessage(a, aReceived);
    a.open(null);
    pipe.a.full = true;
    assertFalse(text.send("x"));
    assertFalse(a.isDrained());
    pipe.a.full = false;
    pipe.a.mux.onTransportDrained();
    assertTrue(a.isDrained());
    assertEquals(1, aEvents.drains);
  }

  @Test
  void shouldCloseAllChannelsWhenTransportCloses() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    a.open(null);
    b.open(null);
    pipe.flush();
    pipe.a.mux.destroy(null);
    assertTrue(pipe.a.closed);
    assertEquals(List.of(true), aEvents.closes);
    assertEquals(List.of(true), bEvents.closes);
    assertEquals(Channel.CloseCause.MUX_DESTROYED, a.closeCause());
    assertEquals(Channel.CloseCause.TRANSPORT_CLOSED, b.closeCause(), "the other end saw its stream close");
    assertTrue(pipe.a.mux.isDestroyed());
    assertNull(pipe.a.mux.createChannel("test", null, aEvents));
  }

  @Test
  void shouldIgnoreUnknownTypesAndChannelsWhenReceived() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    textMessage(b, bReceived);
    a.open(null);
    b.open(null);
    pipe.flush();
    pipe.b.mux.receive(HexFormat.of().parseHex("010561"));
    pipe.b.mux.receive(HexFormat.of().parseHex("090061"));
    pipe.b.mux.receive(HexFormat.of().parseHex("0009"));
    pipe.b.mux.receive(new byte[0]);
    pipe.b.mux.receive(HexFormat.of().parseHex("000300"));
    assertFalse(pipe.b.mux.isDestroyed());
    assertTrue(bReceived.isEmpty());
  }

  @Test
  void shouldDestroyWhenOpenReusesLiveId() {
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    b.open(null);
    pipe.b.mux.receive(HexFormat.of().parseHex("000101047465737400"));
    assertFalse(pipe.b.mux.isDestroyed());
    pipe.b.mux.receive(HexFormat.of().parseHex("000101047465737400"));
    assertTrue(pipe.b.mux.isDestroyed());
    assertEquals(ProtomuxException.Code.INVALID_OPEN, ((ProtomuxException) pipe.b.closedWith).code());
  }

  @Test
  void shouldDestroyWhenRejectIsUnknownOrInputTruncated() {
    pipe.b.mux.receive(HexFormat.of().parseHex("000207"));
    assertEquals(ProtomuxException.Code.INVALID_REJECT, ((ProtomuxException) pipe.b.closedWith).code());
    MemoryPipe other = new MemoryPipe();
    other.a.mux.receive(HexFormat.of().parseHex("0001"));
    assertEquals(ProtomuxException.Code.DECODE_ERROR, ((ProtomuxException) other.a.closedWith).code());
  }

  @Test
  void shouldDestroyWhenListenerThrows() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    Message<String> text = textMessage(a, aReceived);
    b.addMessage(Compact.STRING, (value, ch) -> {
      throw new IllegalStateException("listener bug");
    });
    a.open(null);
    b.open(null);
    pipe.flush();
    text.send("x");
    pipe.flush();
    assertTrue(pipe.b.mux.isDestroyed());
    assertEquals(List.of(true), aEvents.closes);
    assertEquals(Channel.CloseCause.MUX_DESTROYED, b.closeCause());
    assertEquals("listener bug", pipe.b.mux.destroyCause().getCause().getMessage());
  }

  @Test
  void shouldDestroyWhenBatchesNestTooDeep() {
    byte[] body = {3, 0};
    for (int depth = 0; depth < Protomux.MAX_BATCH_DEPTH + 2; depth++) {
      byte[] wrapped = new byte[body.length + 3];
      wrapped[0] = 0;
      wrapped[1] = 0;
      wrapped[2] = (byte) body.length;
      System.arraycopy(body, 0, wrapped, 3, body.length);
      body = wrapped;
    }
    byte[] message = new byte[body.length + 1];
    System.arraycopy(body, 0, message, 1, body.length);
    pipe.b.mux.receive(message);
    assertEquals(ProtomuxException.Code.DECODE_ERROR, ((ProtomuxException) pipe.b.closedWith).code());
  }

  @Test
  void shouldReuseLocalIdsWhenChannelsClose() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    a.open(null);
    b.open(null);
    pipe.flush();
    a.close();
    pipe.flush();
    Channel next = pipe.a.mux.createChannel("other", null, aEvents);
    next.open(null);
    assertEquals("00010105", HexFormat.of().formatHex(pipe.a.sent.getLast()).substring(0, 8));
    pipe.a.mux.unpair("test", null);
    assertEquals("other", next.protocol());
    assertNull(next.id());
    assertFalse(next.isOpened());
    assertFalse(next.isClosed());
    assertEquals(pipe.a.mux, next.mux());
  }

  @Test
  void shouldFreeIdWhenRemoteOpenAnswersClosedChannel() {
    Channel a = pipe.a.mux.createChannel("test", null, aEvents);
    a.open(null);
    a.close();
    Channel b = pipe.b.mux.createChannel("test", null, bEvents);
    b.open(null);
    pipe.flush();
    assertTrue(b.isClosed());
    assertTrue(pipe.a.mux.isIdle());
  }
}
