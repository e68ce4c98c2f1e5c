package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDX adapter's error mapping, on streams that never touch a socket. */
class UdxRawStreamTest {
  private final Udx udx = Udx.create();

  @AfterEach
  void close() {
    udx.close();
  }

  private static UdxException.Code udxCode(IOException e) {
    return assertInstanceOf(UdxException.class, e.getCause()).code();
  }

  @Test
  void shouldThrowIoExceptionCarryingBadStateWhenSendingDatagramBeforeConnect() {
    RawStream raw = RawStream.of(udx.createStream());
    assertTrue(raw.supportsDatagrams());
    IOException e = assertThrows(IOException.class, () -> raw.sendDatagram(new byte[] {1}));
    assertEquals(UdxException.Code.BAD_STATE, udxCode(e));
  }

  @Test
  void shouldThrowIoExceptionCarryingDestroyedWhenReadingOrWritingAfterDestroy() {
    UdxStream stream = udx.createStream();
    RawStream raw = RawStream.of(stream);
    raw.destroy();
    raw.destroy();
    IOException read = assertThrows(IOException.class, () -> raw.read(new byte[8], 0, 8));
    assertEquals(UdxException.Code.DESTROYED, udxCode(read));
    IOException write = assertThrows(IOException.class, () -> raw.write(new byte[8], 0, 8));
    assertEquals(UdxException.Code.DESTROYED, udxCode(write));
    assertTrue(stream.closed().isDone());
  }

  @Test
  void shouldNameBothStreamIdsWhenPrinted() {
    UdxStream stream = udx.createStream();
    assertEquals("udx " + Integer.toUnsignedString(stream.id()) + " -> 0@null", RawStream.of(stream).toString());
  }
}
