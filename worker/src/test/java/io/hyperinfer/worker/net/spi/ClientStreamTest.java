package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClientStreamTest {
  private final RecordingListener listener = new RecordingListener();
  private final List<String> events = listener.events;
  private final List<String> closes = new CopyOnWriteArrayList<>();
  private final ClientStream stream = new ClientStream(listener, e -> closes.add(e == null ? "clean" : e.code()));

  @Test
  void shouldDeliverInSequenceOrderWhenFramesArriveShuffled() {
    SplittableRandom random = Seeds.random("ClientStreamTest.shuffle");
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new java.util.Random(random.nextLong()));
    stream.end(200, TextNode.valueOf("done"));
    for (int seq : order) {
      stream.chunk(seq, IntNode.valueOf(seq), 1);
      stream.chunk(seq, IntNode.valueOf(-1), 1);
    }
    assertEquals(201, events.size());
    for (int i = 0; i < 200; i++) {
      assertEquals(i + ":" + i, events.get(i));
    }
    assertEquals("end:done", events.getLast());
    assertEquals(List.of("clean"), closes);
  }

  @Test
  void shouldFailWithBadFrameWhenPeerSendsTooFarAhead() {
    stream.chunk(ClientStream.MAX_AHEAD, IntNode.valueOf(0), 1);
    assertEquals(List.of("error:" + NetException.ERR_BAD_FRAME), events);
    assertEquals(List.of(NetException.ERR_BAD_FRAME), closes);
    assertTrue(stream.isFinished());
    stream.chunk(0, IntNode.valueOf(0), 1);
    stream.end(0, null);
    assertEquals(1, events.size());
  }

  @Test
  void shouldFailWithBadFrameWhenHeldChunksWouldPassTheByteBound() {
    int size = (int) (ClientStream.MAX_AHEAD_BYTES / 4);
    for (int seq = 1; seq <= 4; seq++) {
      stream.chunk(seq, IntNode.valueOf(seq), size);
    }
    assertEquals(List.of(), events);
    stream.chunk(5, IntNode.valueOf(5), 1);
    assertEquals(List.of("error:" + NetException.ERR_BAD_FRAME), events);
  }

  @Test
  void shouldDeliverLargeChunkWhenItIsTheNextOne() {
    stream.chunk(0, IntNode.valueOf(0), (int) ClientStream.MAX_AHEAD_BYTES * 2);
    stream.end(1, IntNode.valueOf(9));
    assertEquals(List.of("0:0", "end:9"), events);
  }

  @Test
  void shouldFailWithBadFrameWhenEndCountsFewerChunksThanArrived() {
    stream.chunk(0, IntNode.valueOf(0), 1);
    stream.chunk(3, IntNode.valueOf(3), 1);
    stream.end(2, TextNode.valueOf("short"));
    assertEquals(List.of("0:0", "error:" + NetException.ERR_BAD_FRAME), events);
  }

  @Test
  void shouldFailWithBadFrameWhenChunkComesPastTheAnnouncedEnd() {
    stream.end(2, TextNode.valueOf("x"));
    stream.chunk(2, IntNode.valueOf(2), 1);
    assertEquals(List.of("error:" + NetException.ERR_BAD_FRAME), events);
  }

  @Test
  void shouldReportOneTerminalEventWhenCancelledTwice() {
    stream.chunk(0, IntNode.valueOf(0), 1);
    stream.cancel();
    stream.cancel();
    stream.fail(NetException.internal());
    assertEquals(List.of("0:0", "error:" + NetException.ERR_CANCELLED), events);
    assertEquals(List.of(NetException.ERR_CANCELLED), closes);
    assertTrue(stream.done().isCompletedExceptionally());
  }

  @Test
  void shouldStillCompleteAndCloseWhenTheListenerThrowsOnEnd() {
    ClientStream s = new ClientStream(new ThrowingListener(), e -> closes.add(e == null ? "clean" : e.code()));

    s.chunk(0, IntNode.valueOf(0), 1);
    s.end(1, TextNode.valueOf("last"));

    assertEquals(TextNode.valueOf("last"), s.done().join(), "the caller's future is not lost to the listener");
    assertEquals(List.of("clean"), closes, "the stream is released once");
    assertTrue(s.isFinished());
  }

  @Test
  void shouldStillFailAndCloseWhenTheListenerThrowsOnError() {
    ClientStream s = new ClientStream(new ThrowingListener(), e -> closes.add(e == null ? "clean" : e.code()));

    s.fail(NetException.internal());
    s.fail(NetException.cancelled());

    assertTrue(s.done().isCompletedExceptionally());
    assertEquals(List.of(NetException.ERR_INTERNAL), closes, "released once, with the first error");
  }

  /** A caller's listener that breaks on every terminal event. */
  private static final class ThrowingListener implements io.hyperinfer.worker.net.StreamListener {
    @Override
    public void onChunk(long seq, com.fasterxml.jackson.databind.JsonNode chunk) {}

    @Override
    public void onEnd(com.fasterxml.jackson.databind.JsonNode last) {
      throw new IllegalStateException("listener broke on end");
    }

    @Override
    public void onError(NetException error) {
      throw new IllegalStateException("listener broke on error");
    }
  }
}
