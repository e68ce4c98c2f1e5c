package io.hyperinfer.systemtests;

import static io.hyperinfer.systemtests.ProcessCluster.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.engine.BuiltinEchoEngine;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.Completion;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.worker.Json;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JS example client ({@code interop/example-client/journey.js}: hyperdht and @hyperswarm/rpc only, written from
 * docs/PROTOCOL.md) walks the journey against a network of processes: it joins through the bootstrap address, registers,
 * logs in, creates a key and streams an inference whose text and usage are what the builtin engine makes of the prompt.
 */
@Timeout(180)
class JsExampleClientSystemTest {
  private static final Path CLIENT = ProjectPaths.interop().resolve("example-client/journey.js");
  private static final Duration RUN = Duration.ofSeconds(90);
  private static final Pattern CHUNK = Pattern.compile("\\s+chunk (\\d+): (\".*\")");
  private static ProcessCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    JsPeers.require();
    cluster = ProcessCluster.start(Files.createTempDirectory("js-example-system-test-"), 1, 1,
        "{\"builtin\":{\"tokenDelay\":\"2ms\"}}", List.of());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldStreamWhatTheEngineAnswersWithUsageWhenJsClientWalksTheJourney() throws Exception {
    String prompt = "Hello from JS over the real stack, 42 times!";
    Completion expected;
    List<String> pieces = new ArrayList<>();
    InferRequest request = InferRequest.fromJson(Json.object().put("model", MODEL).put("prompt", prompt));
    expected = new BuiltinEchoEngine().stream(request, pieces::add, new CancelSignal());

    List<String> out = new ArrayList<>();
    try (JsProcess js = JsPeers.start(CLIENT, "--bootstrap", cluster.processes.bootstrapAddress(), "--prompt", prompt,
        "--timeout", Long.toString(RUN.toSeconds()))) {
      js.awaitLine(line -> out.add(line) && line.equals("ok"), RUN);
      assertEquals(0, js.awaitExit(Duration.ofSeconds(10)), "exit status; stderr: " + js.stderr());
    }

    List<String> steps = out.stream().filter(l -> l.startsWith("[")).map(l -> l.substring(0, 5)).toList();
    assertEquals(List.of("[1/6]", "[2/6]", "[3/6]", "[4/6]", "[5/6]", "[6/6]"), steps, String.join("\n", out));
    List<String> chunks = new ArrayList<>();
    for (String line : out) {
      Matcher m = CHUNK.matcher(line);
      if (m.matches()) {
        assertEquals(chunks.size(), Integer.parseInt(m.group(1)), "chunks are printed in sequence order");
        chunks.add(Json.parse(m.group(2)).asText());
      }
    }
    String answer = Json.parse(valueOf(out, "answer ")).asText();
    assertEquals(BuiltinEchoEngine.PREAMBLE + prompt, String.join("", pieces), "the engine's own answer");
    assertEquals(String.join("", pieces), answer, "the streamed text is what the builtin engine answers");
    assertEquals(pieces, chunks, "one chunk per engine piece, each exactly once");

    JsonNode usage = Json.parse(valueOf(out, "usage "));
    assertEquals(expected.promptTokens(), usage.path("promptTokens").asInt(), usage.toString());
    assertEquals(expected.completionTokens(), usage.path("completionTokens").asInt(), usage.toString());
    assertEquals(expected.promptTokens() + expected.completionTokens(), usage.path("totalTokens").asInt());
    assertFalse(String.join("\n", out).contains("hi_"), "the API key's secret must not be printed");
  }

  @Test
  void shouldExitNonZeroNamingTheStepAndCodeWhenModelIsUnknown() throws Exception {
    try (JsProcess js = JsPeers.start(CLIENT, "--bootstrap", cluster.processes.bootstrapAddress(), "--model",
        "no-such-model:1b", "--timeout", Long.toString(RUN.toSeconds()))) {
      assertEquals(1, js.awaitExit(RUN), "exit status; stderr: " + js.stderr());
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> js.stderr().contains("error: infer failed: ERR_MODEL_NOT_FOUND"));
    }
  }

  @Test
  void shouldExitNonZeroWhenNoDhtNodeAnswersAtTheBootstrapAddress() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        JsProcess js = JsPeers.start(CLIENT, "--bootstrap", "127.0.0.1:" + silent.getLocalPort(), "--timeout", "60")) {
      assertEquals(1, js.awaitExit(RUN), "exit status; stderr: " + js.stderr());
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> js.stderr().contains("error: joining failed: no DHT node answered at 127.0.0.1:"));
    }
  }

  private static String valueOf(List<String> lines, String prefix) {
    List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
    assertTrue(found.size() == 1, "one line starting with '" + prefix + "' expected:\n" + String.join("\n", lines));
    return found.getFirst().substring(prefix.length());
  }
}
