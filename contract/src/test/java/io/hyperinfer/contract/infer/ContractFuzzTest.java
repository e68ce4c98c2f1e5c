package io.hyperinfer.contract.infer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every decoder of the contract, fed mutated valid messages: a typed ERR_BAD_REQUEST or a valid record, never else. */
class ContractFuzzTest {
  private record Decoder(String name, String valid, Function<JsonNode, Object> decode) {}

  private static final List<Decoder> DECODERS = List.of(
      new Decoder("InferRequest", "{\"apiKey\":\"k\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
          + "\"hi\"}],\"maxTokens\":12,\"temperature\":0.5,\"caller\":{\"userId\":\"u\",\"keyId\":\"k1\"}}",
          InferRequest::fromJson),
      new Decoder("InferRequest with options", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
          + "\"hi\",\"images\":[{\"url\":\"data:image/png;base64,AAAA\"}]},{\"role\":\"assistant\",\"content\":\"\","
          + "\"toolCalls\":[{\"index\":0,\"id\":\"c\",\"name\":\"f\",\"arguments\":\"{}\"}]},{\"role\":\"tool\","
          + "\"content\":\"1\",\"toolCallId\":\"c\"}],\"topP\":0.5,\"seed\":3,\"presencePenalty\":1,"
          + "\"frequencyPenalty\":-1,\"stop\":[\"x\"],\"tools\":[{\"name\":\"f\",\"parameters\":{}}],"
          + "\"toolChoice\":\"auto\",\"responseFormat\":{\"type\":\"json_schema\",\"schema\":{}}}",
          InferRequest::fromJson),
      new Decoder("InferRequest completion", "{\"model\":\"m\",\"completionPrompt\":\"Once\",\"maxTokens\":4}",
          InferRequest::fromJson),
      new Decoder("InferChunk", "{\"text\":\"hello\"}", InferChunk::fromJson),
      new Decoder("InferChunk tool call", "{\"toolCall\":{\"index\":0,\"id\":\"c\",\"name\":\"f\","
          + "\"arguments\":\"{\\\"a\\\"\"}}", InferChunk::fromJson),
      new Decoder("EmbedRequest", "{\"apiKey\":\"k\",\"model\":\"m\",\"input\":[\"a\",\"bc\"],"
          + "\"caller\":{\"userId\":\"u\"}}", EmbedRequest::fromJson),
      new Decoder("EmbedReply", "{\"model\":\"m\",\"dimensions\":2,\"vectors\":[\"AAAAPwAAgD8=\"],"
          + "\"usage\":{\"promptTokens\":3},\"timings\":{\"engineMs\":1},\"processor\":\"ab\",\"attempts\":1}",
          EmbedReply::fromJson),
      new Decoder("InferEnd", "{\"model\":\"m\",\"finishReason\":\"stop\",\"usage\":{\"promptTokens\":1,"
          + "\"completionTokens\":2},\"timings\":{\"authMs\":1.5,\"engineMs\":3},\"processor\":\"ab\",\"attempts\":1}",
          InferEnd::fromJson),
      new Decoder("ProcessorStatus", "{\"engine\":\"builtin\",\"healthy\":true,\"inFlight\":1,\"queued\":0,"
          + "\"concurrency\":2,\"queueLimit\":8,\"models\":[{\"id\":\"echo\",\"engine\":\"builtin\"}]}",
          ProcessorStatus::fromJson),
      new Decoder("ModelsReply", "{\"models\":[{\"id\":\"a\",\"processors\":2}]}", ModelsReply::fromJson),
      new Decoder("ServedModels", "{\"models\":[{\"id\":\"a\",\"engine\":\"x\",\"features\":[\"chat\"],"
          + "\"created\":5}]}", ServedModels::fromJson));

  @Tag("fuzz")
  @Test
  void shouldOnlyEverFailWithBadRequestWhenDecodingMutatedMessages() {
    SplittableRandom random = Seeds.random("ContractFuzzTest");
    int perDecoder = Math.max(1, Seeds.fuzzIterations() / DECODERS.size());
    for (Decoder d : DECODERS) {
      byte[] valid = d.valid().getBytes(StandardCharsets.UTF_8);
      int decoded = 0;
      for (int i = 0; i < perDecoder; i++) {
        JsonNode tree;
        try {
          tree = Json.parse(mutate(valid, random));
        } catch (IllegalArgumentException notJson) {
          continue;
        }
        try {
          d.decode().apply(tree);
          decoded++;
        } catch (NetException e) {
          assertTrue(e.code().equals(NetException.ERR_BAD_REQUEST), d.name() + ": " + e);
        }
      }
      assertTrue(decoded > 0, d.name() + ": some mutations stay valid");
    }
  }

  private static final String JSON_CHARS = "0123456789-.e\"{}[],:";

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] out = valid.clone();
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(out.length);
      out[at] = switch (random.nextInt(4)) {
        case 0 -> (byte) random.nextInt(256);
        case 1 -> (byte) JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
        case 2 -> (byte) ' ';
        default -> out[random.nextInt(out.length)];
      };
    }
    return out;
  }
}
