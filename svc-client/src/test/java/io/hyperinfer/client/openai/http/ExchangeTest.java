package io.hyperinfer.client.openai.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.worker.ops.HttpHead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Request framing and body decoding on bytes in memory: what a client can send, and what it gets refused for. */
class ExchangeTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final HttpLimits LIMITS = new HttpLimits(8, 2, 4096, 1024, 4096, LONG, LONG, LONG, LONG, 16 << 10);

  private final BodyBudget budget = new BodyBudget(LIMITS.bodyBudgetBytes());
  private final Semaphore inFlight = new Semaphore(LIMITS.maxInFlight());
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

  private Exchange exchange(byte[] request) throws IOException {
    ConnectionInput input = new ConnectionInput(new ByteArrayInputStream(request), ms -> { }, LIMITS.maxHeadBytes());
    HttpHead head = input.readHead(System.nanoTime() + LONG.toNanos(), LONG.toMillis());
    return new Exchange(head, input, new GuardedOutput(sent), LIMITS, budget, inFlight);
  }

  private Exchange exchange(String request) throws IOException {
    return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String chunked(String chunks) {
    return "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
  }

  @Test
  void shouldDecodeChunksWithExtensionsAndTrailersWhenWellFormed() throws Exception {
    Exchange ex = exchange(chunked("3;a=b\r\nabc\r\nA\r\n0123456789\r\n0\r\nT: 1\r\n\r\n"));
    assertArrayEquals("abc0123456789".getBytes(StandardCharsets.US_ASCII), ex.body());
    assertEquals(1, LIMITS.maxInFlight() - inFlight.availablePermits(), "admitted once the body is read");
    ex.release();
    assertEquals(LIMITS.maxInFlight(), inFlight.availablePermits());
    assertEquals(0, budget.held());
  }

  @Test
  void shouldAdmitAtOnceAndReadNothingWhenThereIsNoBody() throws Exception {
    Exchange ex = exchange("GET /x HTTP/1.1\r\n\r\n");
    assertEquals(1, LIMITS.maxInFlight() - inFlight.availablePermits());
    assertEquals(0, ex.body().length);
    ex.release();
  }

  @Test
  void shouldRefuseWhenChunksAreMalformedOrTooLarge() throws Exception {
    for (String bad : new String[] {"zz\r\nab\r\n0\r\n\r\n", "3\r\nabcX\r\n0\r\n\r\n", "\r\n", "123456789\r\n",
        "401\r\n" + "a".repeat(1025) + "\r\n0\r\n\r\n", "0\r\n" + "T: 1\r\n".repeat(40) + "\r\n"}) {
      Exchange ex = exchange(chunked(bad));
      RequestRejected r = assertThrows(RequestRejected.class, ex::body, bad);
      assertTrue(r.status() == 400 || r.status() == 413 || r.status() == 431, r.status() + " for " + bad);
      ex.release();
    }
    assertEquals(0, budget.held());
  }

  @Test
  void shouldRefuseWhenTheBudgetCannotHoldTheBody() throws Exception {
    assertTrue(budget.tryReserve(LIMITS.bodyBudgetBytes() - 10));
    Exchange ex = exchange("POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + "b".repeat(100));
    RequestRejected r = assertThrows(RequestRejected.class, ex::body);
    assertEquals(429, r.status());
    assertEquals(HttpLimits.RETRY_AFTER_SECONDS, r.retryAfterSeconds());
    ex.release();
    budget.release(LIMITS.bodyBudgetBytes() - 10);
    assertEquals(0, budget.held());
  }

  @Test
  void shouldAnswerContinueBeforeReadingWhenClientExpectsIt() throws Exception {
    Exchange ex = exchange("POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok");
    assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), ex.body());
    ex.respond(200, "text/plain", new byte[0]);
    assertTrue(sent.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"));
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyEverRefuseOrEndWhenBodiesAreRandom() throws Exception {
    SplittableRandom random = Seeds.random("http-body-fuzz");
    byte[] valid = chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    int decoded = 0;
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      byte[] request = random.nextBoolean() ? mutateBody(valid, random) : withRandomBody(random);
      Exchange ex;
      try {
        ex = exchange(request);
      } catch (RequestRejected | EOFException expected) {
        continue;
      }
      try {
        assertTrue(ex.body().length <= LIMITS.maxBodyBytes());
        decoded++;
      } catch (RequestRejected | EOFException expected) {
        // refused with a status, or the bytes ended: what a hostile body may get
      } finally {
        ex.release();
      }
      assertEquals(0, budget.held(), "every reserved byte is given back");
    }
    assertTrue(decoded > 0, "some mutated bodies still decode");
  }

  private static byte[] mutateBody(byte[] valid, SplittableRandom random) {
    byte[] b = valid.clone();
    int headEnd = HttpHead.headEnd(b, b.length);
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      b[headEnd + random.nextInt(b.length - headEnd)] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static byte[] withRandomBody(SplittableRandom random) {
    String head = random.nextBoolean() ? "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        : "POST /x HTTP/1.1\r\nContent-Length: " + random.nextInt(2048) + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = Seeds.bytes(random, random.nextInt(256));
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }
}
