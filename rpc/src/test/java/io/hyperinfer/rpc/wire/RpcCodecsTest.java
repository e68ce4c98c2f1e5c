package io.hyperinfer.rpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.rpc.wire.RpcMessage.Request;
import io.hyperinfer.rpc.wire.RpcMessage.Response;
import io.hyperinfer.rpc.wire.RpcMessage.WireCause;
import io.hyperinfer.rpc.wire.RpcMessage.WireError;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.testkit.Vectors;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class RpcCodecsTest {
  private static final String FRAMES = "/captured/protomuxRpcPlaintextFrames/";

  /** A captured frame without its [channel][type] prefix: the message body. */
  private static byte[] body(String name) {
    byte[] frame = Vectors.hex(FRAMES + name);
    return Arrays.copyOfRange(frame, 2, frame.length);
  }

  private static <T> void assertRoundTrip(Codec<T> codec, T value, byte[] expected) {
    assertArrayEquals(expected, Compact.encode(codec, value));
    assertEquals(value.toString().length() > 0, true);
    byte[] again = Compact.encode(codec, Compact.decode(codec, expected));
    assertArrayEquals(expected, again);
  }

  @Test
  void shouldMatchJsRequestFramesWhenEncoding() {
    byte[] hello = Compact.encode(Compact.OPTIONAL_BUFFER, "hello".getBytes());
    assertRoundTrip(RpcCodecs.REQUEST, new Request(1, "echo", hello),
        body("request id=1 method=echo value=optionalBuffer(hello): [ch1][type0][id][string][raw]"));
    assertRoundTrip(RpcCodecs.REQUEST, new Request(2, "echo", new byte[] {0}), body("request id=2 echo null"));
    assertRoundTrip(RpcCodecs.REQUEST, new Request(0, "echo", Compact.encode(Compact.OPTIONAL_BUFFER, "ev".getBytes())),
        body("event (id=0) echo ev"));
  }

  @Test
  void shouldMatchJsResponseFramesWhenEncoding() {
    byte[] hello = Compact.encode(Compact.OPTIONAL_BUFFER, "hello".getBytes());
    assertRoundTrip(RpcCodecs.RESPONSE, new Response(1, hello, null),
        body("response id=1 ok value=hello: [ch1][type1][flags=0][id][raw optionalBuffer]"));
    assertRoundTrip(RpcCodecs.RESPONSE, new Response(2, new byte[] {0}, null), body("response id=2 null"));
    assertRoundTrip(RpcCodecs.RESPONSE,
        new Response(3, null, new WireError("Request failed", "REQUEST_ERROR", new WireCause("boom", "", null))),
        body("error response REQUEST_ERROR with cause boom (flags=7)"));
    assertRoundTrip(RpcCodecs.RESPONSE,
        new Response(4, null, new WireError("Unknown method 'nope'", "UNKNOWN_METHOD", null)),
        body("error response UNKNOWN_METHOD (flags=3)"));
  }

  @Test
  void shouldCarryContextAndOmitCodeWhenPresentOrAbsent() {
    Response withContext = new Response(5, null, new WireError("m", "", new WireCause("c", "E", "ctx")));
    byte[] bytes = Compact.encode(RpcCodecs.RESPONSE, withContext);
    assertEquals(0b1101, bytes[0]);
    Response back = Compact.decode(RpcCodecs.RESPONSE, bytes);
    assertNull(back.error().code());
    assertEquals("ctx", back.error().cause().context());
    assertEquals("E", back.error().cause().code());
  }

  @Test
  void shouldRejectInvalidRecordsWhenConstructed() {
    assertThrows(IllegalArgumentException.class, () -> new Request(-1, "m", new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Response(1, new byte[0], new WireError("m", null, null)));
    assertThrows(IllegalArgumentException.class, () -> new Response(1, null, null));
    assertThrows(IllegalArgumentException.class, () -> new WireError(null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new WireCause("m", null, null));
  }

  @Test
  void shouldThrowDecodeExceptionWhenTruncated() {
    byte[] request = body("request id=1 method=echo value=optionalBuffer(hello): [ch1][type0][id][string][raw]");
    for (int n = 0; n < 6; n++) {
      byte[] prefix = Arrays.copyOf(request, n);
      assertThrows(DecodeException.class, () -> Compact.decode(RpcCodecs.REQUEST, prefix));
    }
    byte[] error = body("error response REQUEST_ERROR with cause boom (flags=7)");
    for (int n = 0; n < error.length; n++) {
      byte[] prefix = Arrays.copyOf(error, n);
      assertThrows(DecodeException.class, () -> Compact.decode(RpcCodecs.RESPONSE, prefix));
    }
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyThrowEncodingErrorsWhenFuzzed() {
    SplittableRandom random = Seeds.random("rpc-codecs");
    byte[] seed = body("error response REQUEST_ERROR with cause boom (flags=7)");
    int iterations = Seeds.fuzzIterations();
    for (int i = 0; i < iterations; i++) {
      byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(40)) : mutate(seed, random);
      Codec<?> codec = i % 3 == 0 ? RpcCodecs.REQUEST : RpcCodecs.RESPONSE;
      try {
        codec.decode(Buf.wrap(input));
      } catch (EncodingException expected) {
        // typed rejection is the contract
      }
    }
  }

  private static byte[] mutate(byte[] seed, SplittableRandom random) {
    byte[] copy = Arrays.copyOf(seed, random.nextInt(seed.length + 1));
    for (int k = random.nextInt(4); k >= 0 && copy.length > 0; k--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }
}
