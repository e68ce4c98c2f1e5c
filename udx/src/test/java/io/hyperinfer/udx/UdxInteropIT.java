package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.Seeds;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java streams against udx-native 1.21.3 (libudx) on 127.0.0.1, both directions. The lossy relay runs in
 * {@link LossyRelayInteropIT}, so the two test JVMs run the two halves side by side.
 */
@Timeout(60)
class UdxInteropIT extends UdxNativeCase {
  @Test
  void shouldEchoSmallMessagesWhenTalkingToUdxNative() throws Exception {
    UdxStream stream = connect("echo", null);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      String line = "message " + i + "\n";
      expected.append(line);
      stream.write(line.getBytes());
    }
    stream.end();
    assertEquals(expected.toString(), new String(UdxStreamIT.readAll(stream)));
    js.awaitLine("closed"::equals, WAIT);
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldDeliverOneMebibyteToUdxNative() throws Exception {
    sendToJs(connect("sink", null), 1 << 20, Seeds.random("interop-1m-out"));
  }

  @Test
  void shouldDeliverSixtyFourMebibytesToUdxNative() throws Exception {
    sendToJs(connect("sink", null), 64 << 20, Seeds.random("interop-64m-out"));
  }

  @Test
  void shouldReceiveOneMebibyteFromUdxNative() throws Exception {
    receiveFromJs(connect("source", null), 1 << 20);
  }

  @Test
  void shouldReceiveSixtyFourMebibytesFromUdxNative() throws Exception {
    receiveFromJs(connect("source", null), 64 << 20);
  }

  @Test
  void shouldSeeEofWhenUdxNativeEnds() throws Exception {
    UdxStream stream = connect("sink", null);
    js.send("write 0102");
    assertArrayEquals(new byte[] {1, 2}, stream.read());
    js.send("end");
    assertNull(stream.read());
    stream.end();
    js.awaitLine("closed"::equals, WAIT);
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldResetUdxNativeWhenJavaDestroys() throws Exception {
    UdxStream stream = connect("sink", null);
    stream.write(new byte[] {7});
    js.send("write 07");
    assertArrayEquals(new byte[] {7}, stream.read());
    stream.destroy();
    assertEquals("error ECONNRESET", js.awaitLine(l -> l.startsWith("error"), WAIT));
  }

  @Test
  void shouldFailWithConnectionResetWhenUdxNativeDestroys() throws Exception {
    UdxStream stream = connect("sink", null);
    js.send("write 09");
    assertArrayEquals(new byte[] {9}, stream.read());
    js.send("destroy");
    UdxException e = assertThrows(UdxException.class, stream::read);
    assertEquals(UdxException.Code.ECONNRESET, e.code());
  }

  @Test
  void shouldExchangeMessagesWithUdxNative() throws Exception {
    UdxStream stream = connect("echo", null);
    LinkedBlockingQueue<byte[]> echoed = new LinkedBlockingQueue<>();
    stream.onMessage((s, m) -> echoed.add(m));
    stream.send(new byte[] {(byte) 0xca, (byte) 0xfe});
    assertEquals("message cafe", js.awaitLine(l -> l.startsWith("message"), WAIT));
    assertArrayEquals(new byte[] {(byte) 0xca, (byte) 0xfe}, echoed.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldAcceptUdxNativeThroughFirewallWhenNotYetConnected() throws Exception {
    UdxStream server = udx.createStream();
    int jsId = server.id() + 1;
    server.firewall((stream, via, from) -> {
      stream.connect(via, jsId, from);
      return true;
    });
    js = JsPeers.start(PEER, Integer.toUnsignedString(jsId), "echo");
    js.awaitLine(l -> l.startsWith("ready"), WAIT);
    js.send("connect " + Integer.toUnsignedString(server.id()) + " " + socket.localAddress().getPort());
    js.send("write 68656c6c6f");
    assertArrayEquals("hello".getBytes(), server.read());
    server.write("echo".getBytes());
    assertArrayEquals("echo".getBytes(), server.read());
    assertEquals(jsId, server.remoteId());
  }
}
